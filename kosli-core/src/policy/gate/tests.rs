use super::*;
use crate::ErrorKind;

const SEED: &str = "policies:
- name: production-requirements
  rules:
  - type: test-evidence
    required: true
    max-failures: 0
  - type: security-scan
    required: true
    max-critical-vulnerabilities: 0
  - type: code-review
    required: true
    min-approvals: 1
";

fn tests(failures: u64, errors: u64) -> TestEvidence {
    TestEvidence {
        name: "unit".into(),
        total: 10,
        failures,
        errors,
        skipped: 0,
    }
}

fn scan(critical: u64, high: u64, medium: u64, low: u64) -> ScanEvidence {
    ScanEvidence {
        tool: "Snyk".into(),
        critical,
        high,
        medium,
        low,
    }
}

fn review(approvals: u64) -> CodeReview {
    CodeReview {
        url: "https://github.com/acme/app/pull/7".into(),
        approvals,
        approvers: (0..approvals).map(|i| format!("user{i}")).collect(),
    }
}

fn good() -> EvidenceSet {
    EvidenceSet {
        tests: vec![tests(0, 0)],
        scans: vec![scan(0, 3, 0, 0)],
        code_reviews: vec![review(1)],
        attestations: vec![],
    }
}

fn reasons(yaml: &str, e: &EvidenceSet) -> Vec<String> {
    Gate::from_yaml(yaml).unwrap().evaluate(e).reasons()
}

#[test]
fn the_seed_gate_passes_good_evidence() {
    let v = Gate::from_yaml(SEED).unwrap().evaluate(&good());
    assert!(v.allowed);
    assert_eq!(v.results.len(), 3);
    assert!(v.results.iter().all(|r| r.passed && r.reason.is_none()));
    assert!(v.clone().into_result().is_ok());
}

#[test]
fn each_rule_names_what_failed() {
    let mut e = good();
    e.tests = vec![tests(2, 1), tests(1, 0)];
    e.scans = vec![scan(1, 0, 0, 0), scan(2, 0, 0, 0)];
    e.code_reviews = vec![review(1), review(0)];
    let v = Gate::from_yaml(SEED).unwrap().evaluate(&e);
    assert!(!v.allowed);
    assert_eq!(
        v.reasons(),
        [
            "production-requirements: test-evidence: 3 failed tests, more than the 0 allowed (max-failures)",
            "production-requirements: security-scan: 3 critical vulnerabilities, more than the 0 allowed (max-critical-vulnerabilities)",
            "production-requirements: code-review: https://github.com/acme/app/pull/7 has 0 approval(s), fewer than the 1 required (min-approvals)",
        ]
    );
    let err = v.into_result().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PolicyDenied);
    let crate::Error::PolicyDenied { reasons, .. } = err else {
        panic!("not denied")
    };
    assert_eq!(reasons.len(), 3);
}

#[test]
fn missing_evidence_fails_required_rules_only() {
    let empty = EvidenceSet::new();
    assert_eq!(
        reasons(SEED, &empty),
        [
            "production-requirements: test-evidence: no test results (JUnit) were found",
            "production-requirements: security-scan: no security scan was found",
            "production-requirements: code-review: no code review (pull request) was found",
        ]
    );
    let optional = SEED.replace("required: true", "required: false");
    assert!(reasons(&optional, &empty).is_empty());
    // Not required, but present: the limits still apply.
    let mut e = EvidenceSet::new();
    e.tests.push(tests(1, 0));
    assert_eq!(
        reasons(&optional, &e),
        ["production-requirements: test-evidence: 1 failed tests, more than the 0 allowed (max-failures)"]
    );
}

#[test]
fn every_limit_is_checked() {
    let yaml = "policies:
- name: p
  rules:
  - type: test-evidence
    max-errors: 1
  - type: security-scan
    max-high-vulnerabilities: 2
    max-medium-vulnerabilities: 5
    max-low-vulnerabilities: 10
  - type: code-review
    min-approvals: 2
";
    let mut e = good();
    e.tests = vec![tests(5, 2)];
    e.scans = vec![scan(9, 3, 6, 11)];
    e.code_reviews = vec![CodeReview {
        url: String::new(),
        approvals: 1,
        approvers: vec!["bob".into()],
    }];
    assert_eq!(
        reasons(yaml, &e),
        [
            "p: test-evidence: 2 errored tests, more than the 1 allowed (max-errors)",
            "p: security-scan: 3 high vulnerabilities, more than the 2 allowed (max-high-vulnerabilities); 6 medium vulnerabilities, more than the 5 allowed (max-medium-vulnerabilities); 11 low vulnerabilities, more than the 10 allowed (max-low-vulnerabilities)",
            "p: code-review: a change has 1 approval(s), fewer than the 2 required (min-approvals)",
        ]
    );
    // At the limits: allowed. Without limits, only presence counts (9 critical pass).
    e.tests = vec![tests(5, 1)];
    e.scans = vec![scan(9, 2, 5, 10)];
    e.code_reviews[0].approvals = 2;
    assert!(reasons(yaml, &e).is_empty());
    // min-approvals defaults to 1.
    let default_min = "policies:\n- name: p\n  rules:\n  - type: code-review\n";
    e.code_reviews[0].approvals = 0;
    assert_eq!(reasons(default_min, &e).len(), 1);
    e.code_reviews[0].approvals = 1;
    assert!(reasons(default_min, &e).is_empty());
}

#[test]
fn attestation_rules_need_a_compliant_one() {
    let yaml = "policies:\n- name: p\n  rules:\n  - type: attestation\n    name: jira-ticket\n";
    let mut e = EvidenceSet::new();
    assert_eq!(
        reasons(yaml, &e),
        ["p: attestation: no attestation named jira-ticket was found"]
    );
    e.attestations.push(AttestationEvidence {
        name: "jira-ticket".into(),
        attestation_type: "jira".into(),
        compliant: false,
    });
    assert_eq!(
        reasons(yaml, &e),
        ["p: attestation: the attestation jira-ticket is not compliant"]
    );
    e.attestations[0].compliant = true;
    assert!(reasons(yaml, &e).is_empty());
}

#[test]
fn several_policies_are_all_evaluated() {
    let yaml = "policies:\n- name: a\n  rules:\n  - type: test-evidence\n- name: b\n  rules:\n  - type: security-scan\n";
    let v = Gate::from_yaml(yaml).unwrap().evaluate(&EvidenceSet::new());
    assert_eq!(
        v.results
            .iter()
            .map(|r| (r.policy.as_str(), r.rule.as_str(), r.passed))
            .collect::<Vec<_>>(),
        [("a", "test-evidence", false), ("b", "security-scan", false)]
    );
}

/// The error of reading `yaml`: its kind is Parse, and its line.
fn bad(yaml: &str) -> (Option<u64>, String) {
    let e = Gate::from_yaml(yaml).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parse, "{e}");
    let crate::Error::Parse { line, .. } = &e else {
        panic!("not a parse error")
    };
    (*line, e.to_string())
}

#[test]
fn bad_gate_files_name_the_line() {
    let cases: &[(&str, u64, &str)] = &[
        // An unknown rule type.
        (
            "policies:\n- name: p\n  rules:\n  - type: test-evidnce\n",
            4,
            "unknown rule type `test-evidnce`",
        ),
        // An unknown key, before and after the type.
        (
            "policies:\n- name: p\n  rules:\n  - type: test-evidence\n    max-failure: 0\n",
            5,
            "unknown key `max-failure`",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - colour: red\n    type: code-review\n",
            4,
            "unknown key `colour`",
        ),
        // A key of another rule type, after and before the type.
        (
            "policies:\n- name: p\n  rules:\n  - type: security-scan\n    max-failures: 0\n",
            5,
            "`max-failures` does not apply to a security-scan rule",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - min-approvals: 2\n    type: test-evidence\n",
            5,
            "`min-approvals` does not apply to a test-evidence rule",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - type: code-review\n    name: x\n",
            5,
            "`name` does not apply to a code-review rule",
        ),
        // Bad values.
        (
            "policies:\n- name: p\n  rules:\n  - type: test-evidence\n    max-failures: -1\n",
            5,
            "`max-failures` must be 0 or more, not -1",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - type: test-evidence\n    max-failures: 1.5\n",
            5,
            "`max-failures` must be a whole number, not 1.5",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - type: test-evidence\n    max-failures: none\n",
            5,
            "must be a whole number, not \"none\"",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - type: security-scan\n    required: yes please\n",
            5,
            "expected a boolean",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - type: attestation\n    name: ''\n",
            5,
            "`name` must not be empty",
        ),
        // A duplicate key.
        (
            "policies:\n- name: p\n  rules:\n  - type: test-evidence\n    type: code-review\n",
            5,
            "twice",
        ),
        // A rule without a type, an attestation without a name.
        (
            "policies:\n- name: p\n  rules:\n  - required: true\n",
            4,
            "a rule needs a `type`",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - type: attestation\n",
            4,
            "needs the attestation's `name`",
        ),
        // Unknown keys of the file and of a policy; wrong shapes.
        ("policy:\n- name: p\n", 1, "unknown field `policy`"),
        (
            "policies:\n- name: p\n  rule: []\n",
            3,
            "unknown field `rule`",
        ),
        (
            "policies:\n- name: p\n  rules:\n  - just-a-string\n",
            4,
            "a rule: a map with a `type`",
        ),
        ("policies: 3\n", 1, "invalid type"),
        ("policies:\n- rules: []\n", 2, "missing field `name`"),
        (
            "policies:\n- name: p\n  rules: [\n",
            4,
            "did not find expected",
        ),
    ];
    for (yaml, line, words) in cases {
        let (got_line, text) = bad(yaml);
        assert_eq!(got_line, Some(*line), "{yaml:?}: {text}");
        assert!(text.contains(words), "{yaml:?}: {text}");
        assert!(
            text.starts_with(&format!("invalid gate file: line {line}: ")),
            "{text}"
        );
    }
}

#[test]
fn empty_gates_are_refused() {
    for (yaml, words) in [
        ("", "the file is empty"),
        ("policies: []\n", "`policies` is empty"),
        ("policies:\n- name: p\n  rules: []\n", "policy `p` has no rules"),
        ("policies:\n- name: ' '\n  rules:\n  - type: code-review\n", "`name` must not be empty"),
        (
            "policies:\n- name: p\n  rules:\n  - type: code-review\n- name: p\n  rules:\n  - type: code-review\n",
            "appears twice",
        ),
    ] {
        let (_, text) = bad(yaml);
        assert!(text.contains(words), "{yaml:?}: {text}");
    }
}

#[test]
fn files_are_named_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gate.yml");
    std::fs::write(&path, "policies:\n- name: p\n  rules:\n  - type: nope\n").unwrap();
    let e = Gate::from_file(&path).unwrap_err();
    assert_eq!(e.to_string(), format!("invalid gate file: {}:4: policies[0].rules[0].type: unknown rule type `nope` (one of: test-evidence, security-scan, code-review, attestation)", path.display()));
    let e = Gate::from_file(dir.path().join("missing.yml")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
}

#[test]
fn evidence_comes_from_the_sdks_values() {
    use crate::evidence::junit::SuiteSummary;
    use crate::model::pull_request::{PrApprover, PullRequest};
    let junit = crate::evidence::JunitSummary {
        suites: vec![SuiteSummary {
            name: "s".into(),
            failures: 1,
            errors: 2,
            skipped: 3,
            total: 9,
            duration: 0.0,
            timestamp: None,
        }],
        files: vec![],
    };
    let pr = PullRequest {
        merge_commit: "x".into(),
        url: "u".into(),
        state: "MERGED".into(),
        approvers: vec![
            PrApprover {
                username: "bob".into(),
                state: "APPROVED".into(),
                timestamp: 1,
            },
            PrApprover {
                username: "eve".into(),
                state: "CHANGES_REQUESTED".into(),
                timestamp: 2,
            },
        ],
        author: "alice".into(),
        created_at: 0,
        merged_at: None,
        title: "t".into(),
        head_ref: "h".into(),
        base_ref: "main".into(),
        commits: vec![],
    };
    let e = EvidenceSet::new()
        .with_junit(&junit)
        .with_pull_requests(&[pr]);
    assert_eq!(
        (
            e.tests[0].total,
            e.tests[0].failures,
            e.tests[0].errors,
            e.tests[0].skipped
        ),
        (9, 1, 2, 3)
    );
    assert_eq!(
        e.code_reviews[0],
        CodeReview {
            url: "u".into(),
            approvals: 1,
            approvers: vec!["bob".into()]
        }
    );
    // What Kosli returns for attestations (the evaluate_trail capture's details).
    let details = serde_json::json!([
        {"attestation_name": "pr", "attestation_type": "pull_request", "is_compliant": true,
         "pull_requests": [{"url": "https://github.com/acme/app/pull/7", "approvers": [{"username": "bob"}]}]},
        {"attestation_name": "junit", "attestation_type": "junit", "is_compliant": true,
         "junit_results": [{"name": "pkg.Suite", "failures": 0, "total": 3}]},
        {"attestation_name": "snyk", "attestation_type": "snyk", "is_compliant": false,
         "snyk_results": {"results": [{"high_count": 2, "medium_count": 1, "low_count": 0}]}}
    ]);
    let e = EvidenceSet::from_attestations(details.as_array().unwrap());
    assert_eq!(e.code_reviews[0].approvals, 1);
    assert_eq!(e.tests[0].total, 3);
    assert_eq!((e.scans[0].high, e.scans[0].medium), (2, 1));
    assert_eq!(e.attestations.len(), 3);
    assert!(!e.attestations[2].compliant);
    // The set round-trips through JSON (what a binding passes).
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(serde_json::from_str::<EvidenceSet>(&json).unwrap(), e);
    let v = evaluate_yaml(SEED, &e).unwrap();
    assert_eq!(serde_json::to_value(&v).unwrap()["allowed"], true);
    let strict = SEED.replace(
        "max-critical-vulnerabilities: 0",
        "max-high-vulnerabilities: 1",
    );
    let v = evaluate_yaml(&strict, &e).unwrap();
    assert_eq!(serde_json::to_value(&v).unwrap()["allowed"], false);
}
