//! The `pipeline` example (examples/pipeline.rs) as a separate process against fake-kosli:
//! offline (no token) it sends nothing at all, whatever `KOSLI_HOST` says, and queues every
//! report in its journal; online (token and org) the pipeline's requests arrive in order;
//! the next online run delivers what an offline run left; the gate stops the pipeline (failed
//! tests or a critical vulnerability offline, Kosli's verdict online) before the deployment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kosli_tests::fake::FakeKosli;
use serde_json::json;

/// The fingerprint of the demo artifact (its bytes are fixed in examples/pipeline.rs).
const DEMO_FP: &str = "8d072cf765fd2bf8247e0ca6d4a2035016785d21be5a53053a7f0e0aec2ba024";

/// The `pipeline` example binary, built once.
fn pipeline() -> PathBuf {
    kosli_tests::example_binary("pipeline")
}

/// The repository's root: the example reads the commit there, as in a CI checkout.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs the example with only `env` set (no CI variables, no token unless given).
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(pipeline());
    cmd.env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .env("TMPDIR", home.path())
        .current_dir(repo_root())
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `METHOD /path` of every request the fake received, in order.
fn requests(fake: &FakeKosli) -> Vec<String> {
    fake.requests()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap()
            )
        })
        .collect()
}

/// The requests of one online run of the pipeline, trail `trail`, org `acme`, defaults.
fn expected_run(trail: &str) -> Vec<String> {
    vec![
        "PUT /api/v2/flows/acme/template_file".to_string(),
        "PUT /api/v2/trails/acme/demo-payments-api".to_string(),
        "POST /api/v2/artifacts/acme/demo-payments-api".to_string(),
        format!("POST /api/v2/attestations/acme/demo-payments-api/trail/{trail}/junit"),
        format!("POST /api/v2/attestations/acme/demo-payments-api/trail/{trail}/snyk"),
        format!("GET /api/v2/asserts/acme/fingerprint/{DEMO_FP}"),
        "PUT /api/v2/environments/acme".to_string(),
        "PUT /api/v2/environments/acme/demo-payments-production/report/server".to_string(),
    ]
}

/// The operations an offline run queues, in order.
const QUEUED: [&str; 7] = [
    "create_flow",
    "begin_trail",
    "attest_artifact",
    "attest_junit",
    "attest_snyk",
    "create_environment",
    "snapshot_server",
];

#[test]
fn offline_it_contacts_no_host_and_queues_every_report() {
    let fake = FakeKosli::start().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let j = journal.path().to_str().unwrap();
    // KOSLI_HOST alone (or with a token but no org) is not enough to go online.
    for env in [
        vec![("KOSLI_HOST", fake.url())],
        vec![
            ("KOSLI_HOST", fake.url()),
            ("KOSLI_API_TOKEN", "secret".to_string()),
        ],
        vec![
            ("KOSLI_HOST", fake.url()),
            ("KOSLI_ORG", "acme".to_string()),
        ],
    ] {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = run(&["--journal", j, "--trail", "t0"], &env);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{stdout}\n{}",
            text(&out.stderr)
        );
        assert!(stdout.contains("offline"), "{stdout}");
        assert!(
            stdout.contains(
                "local check passed: no failed or errored tests, no critical vulnerabilities"
            ),
            "{stdout}"
        );
        assert!(stdout.contains(DEMO_FP), "{stdout}");
    }
    assert_eq!(requests(&fake), Vec::<String>::new());
    // Three runs of the seven reports, listed as pending in order.
    let out = run(&["--journal", j, "--trail", "t0"], &[]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("28 report(s) pending in the journal"),
        "{stdout}"
    );
    let listed: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.contains("pending in the journal"))
        .skip(1)
        .filter_map(|l| l.strip_prefix("  "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(listed[..7], QUEUED);
    assert_eq!(listed.len(), 28);
    assert_eq!(requests(&fake), Vec::<String>::new());
}

#[test]
fn online_the_pipelines_requests_arrive_in_order() {
    let fake = FakeKosli::start().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let url = fake.url();
    let env = [
        ("KOSLI_HOST", url.as_str()),
        ("KOSLI_API_TOKEN", "secret-token-123"),
        ("KOSLI_ORG", "acme"),
    ];
    let out = run(
        &[
            "--journal",
            journal.path().to_str().unwrap(),
            "--trail",
            "t1",
        ],
        &env,
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert_eq!(requests(&fake), expected_run("t1"));
    let got = fake.requests();
    for r in &got {
        assert!(
            r["headers"].to_string().contains("Bearer secret-token-123"),
            "{r}"
        );
    }
    // The gate asks about the flow; the snapshot reports what was attested.
    assert_eq!(got[5]["query"], json!({"flow_name": ["demo-payments-api"]}));
    let snapshot = got[7]["body"].to_string();
    assert!(snapshot.contains(DEMO_FP), "{snapshot}");
    assert!(
        stdout.contains("Kosli says the artifact is compliant"),
        "{stdout}"
    );
    assert!(
        stdout.contains("nothing pending in the journal"),
        "{stdout}"
    );
}

#[test]
fn online_it_first_delivers_what_offline_runs_left() {
    let fake = FakeKosli::start().unwrap();
    let journal = tempfile::tempdir().unwrap();
    let j = journal.path().to_str().unwrap();
    let url = fake.url();
    let out = run(&["--journal", j, "--trail", "t0"], &[("KOSLI_HOST", &url)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(requests(&fake).is_empty());
    let env = [
        ("KOSLI_HOST", url.as_str()),
        ("KOSLI_API_TOKEN", "secret"),
        ("KOSLI_ORG", "acme"),
    ];
    let out = run(&["--journal", j, "--trail", "t1"], &env);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("delivered 7 record(s) left by earlier runs, 0 still pending"),
        "{stdout}"
    );
    // The offline run's writes (no gate: it was local), then this run's.
    let mut want: Vec<String> = expected_run("t0");
    want.remove(5);
    want.extend(expected_run("t1"));
    assert_eq!(requests(&fake), want);
}

#[test]
fn a_failing_test_stops_the_offline_pipeline_before_deploying() {
    let fake = FakeKosli::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir(&results).unwrap();
    std::fs::write(
        results.join("junit.xml"),
        r#"<testsuite name="payments" tests="3" failures="1" errors="1">
  <testcase classname="payments.Amounts" name="adds" time="0.1"/>
  <testcase classname="payments.Refunds" name="refunds_twice" time="0.2"><failure message="refunded 2 times"/></testcase>
  <testcase classname="payments.Db" name="connects" time="0.3"><error message="connection refused"/></testcase>
</testsuite>"#,
    )
    .unwrap();
    let journal = dir.path().join("journal");
    let out = run(
        &[
            "--journal",
            journal.to_str().unwrap(),
            "--trail",
            "t2",
            "--junit",
            results.to_str().unwrap(),
        ],
        &[("KOSLI_HOST", &fake.url())],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("local check FAILED"), "{stdout}");
    assert!(stderr.contains("the gate refused the artifact"), "{stderr}");
    assert!(
        stderr.contains("2 of 3 tests failed or errored"),
        "{stderr}"
    );
    assert!(
        stderr.contains("payments.Refunds.refunds_twice failed: refunded 2 times"),
        "{stderr}"
    );
    assert!(
        stderr.contains("payments.Db.connects errored: connection refused"),
        "{stderr}"
    );
    // Not deployed, so no environment or snapshot report; the evidence is still recorded.
    assert!(!stdout.contains("deploy "), "{stdout}");
    assert!(!stdout.contains("snapshot"), "{stdout}");
    assert!(requests(&fake).is_empty());
    let status = run(
        &["--journal", journal.to_str().unwrap(), "--trail", "t2"],
        &[],
    );
    assert!(
        text(&status.stdout).contains("12 report(s) pending"),
        "{}",
        text(&status.stdout)
    );
}

#[test]
fn a_critical_vulnerability_stops_the_offline_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("snyk.sarif");
    std::fs::write(
        &sarif,
        r#"{"$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json",
  "version": "2.1.0",
  "runs": [{"tool": {"driver": {"name": "Snyk Open Source", "rules": [
      {"id": "SNYK-JS-EXPRESS-1", "properties": {"security-severity": "9.8", "problem": {"severity": "critical"}}}]}},
    "results": [{"ruleId": "SNYK-JS-EXPRESS-1", "level": "error", "message": {"text": "remote code execution in express"}}]}]}"#,
    )
    .unwrap();
    let out = run(
        &[
            "--journal",
            dir.path().join("journal").to_str().unwrap(),
            "--sarif",
            sarif.to_str().unwrap(),
        ],
        &[],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 critical"), "{stdout}");
    assert!(
        stderr.contains("1 critical vulnerabilities found by Snyk Open Source"),
        "{stderr}"
    );
    assert!(
        stderr.contains("SNYK-JS-EXPRESS-1: remote code execution in express"),
        "{stderr}"
    );
}

#[test]
fn online_kosli_s_verdict_is_the_gate() {
    let fake = FakeKosli::start().unwrap();
    fake.seed(&json!({"org": "acme", "compliance": {DEMO_FP: false}}))
        .unwrap();
    let journal = tempfile::tempdir().unwrap();
    let url = fake.url();
    let env = [
        ("KOSLI_HOST", url.as_str()),
        ("KOSLI_API_TOKEN", "secret"),
        ("KOSLI_ORG", "acme"),
    ];
    let out = run(
        &[
            "--journal",
            journal.path().to_str().unwrap(),
            "--trail",
            "t3",
        ],
        &env,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Kosli says the artifact is NOT compliant"),
        "{stdout}"
    );
    assert!(stderr.contains("the gate refused the artifact"), "{stderr}");
    // Everything up to the gate, and no deployment report.
    let mut want = expected_run("t3");
    want.truncate(6);
    assert_eq!(requests(&fake), want);
}

#[test]
fn a_missing_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-app");
    let out = run(
        &[
            "--journal",
            dir.path().join("journal").to_str().unwrap(),
            "--artifact",
            missing.to_str().unwrap(),
        ],
        &[],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("pipeline: fingerprinting the artifact failed: "),
        "{stderr}"
    );
    assert!(stderr.contains("no-such-app"), "{stderr}");
}
