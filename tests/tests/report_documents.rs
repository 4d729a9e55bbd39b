//! The compliance documents (`kosli_core::report`) built through the SDK against fake-kosli
//! seeded with a realistic week (`kosli_tests::fake::seed_report`): every number checked
//! against the values worked out by hand in tests/fixtures/report/README.md, and the rendered
//! Markdown and CSV compared with the committed files of tests/fixtures/report/.

use std::path::PathBuf;

use kosli_core::blocking::Client;
use kosli_core::drift::DriftEvent;
use kosli_core::report::{
    AdoptionOptions, AuditOptions, ComplianceOptions, Document, EvidenceKind, EvidenceLevel,
    EvidenceState, Format, Known, ReportRequest,
};
use kosli_core::{Config, ErrorKind};
use kosli_tests::fake::seed_report::*;
use kosli_tests::fake::{FakeKosli, Fault};
use serde_json::json;

const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;

fn seeded() -> FakeKosli {
    let fake = FakeKosli::start().unwrap();
    fake.with_store(apply);
    fake
}

fn client(fake: &FakeKosli) -> Client {
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org(ORG)
        .max_api_retries(0)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// Compares `got` with the committed fixture `name`; `REPORT_BLESS=1` rewrites the fixture
/// instead (then review the diff: the numbers in it are the ones worked out by hand).
fn assert_fixture(name: &str, got: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/report")
        .join(name);
    if std::env::var_os("REPORT_BLESS").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(got, want, "{name} differs from {}", path.display());
}

/// The week: 2024-06-01 to 2024-06-08.
fn week() -> AdoptionOptions {
    AdoptionOptions::new().since(T0).until(T0 + 7.0 * DAY)
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_compliance_report_counts_by_hand() {
    let fake = seeded();
    let r = client(&fake)
        .compliance_report(&ComplianceOptions::new(FLOW))
        .unwrap();
    assert_eq!(r.flow, FLOW);
    assert_eq!(r.environments, ["production", "staging"]);
    let s = &r.summary;
    assert_eq!(
        (s.artifacts, s.compliant, s.non_compliant, s.unknown),
        (6, 2, 4, 0)
    );
    assert_eq!((s.running, s.running_non_compliant), (2, 1));
    // Newest first: (fingerprint, trail, compliant, attestations, missing, failing, where).
    type Row<'a> = (
        &'a str,
        &'a str,
        bool,
        u64,
        &'a [&'a str],
        &'a [&'a str],
        &'a [&'a str],
    );
    let want: [Row<'_>; 5] = [
        (
            A45,
            "release-1.45.0",
            false,
            2,
            &["security-scan"],
            &["unit-tests"],
            &[],
        ),
        (
            A44,
            "release-1.44.0",
            false,
            2,
            &["pull-request"],
            &[],
            &["staging"],
        ),
        (A43, "release-1.43.0", true, 3, &[], &[], &["production"]),
        (
            A42,
            "release-1.42.0",
            false,
            3,
            &[],
            &["security-scan"],
            &[],
        ),
        (A41, "release-1.41.0", true, 3, &[], &[], &[]),
    ];
    for (row, (fp, trail, ok, n, missing, failing, envs)) in r.rows.iter().zip(want) {
        assert_eq!(row.fingerprint, fp);
        assert_eq!(row.trail, Known::Value(trail.to_string()), "{fp}");
        assert_eq!(row.compliant, Known::Value(ok), "{fp}");
        assert_eq!(row.attestations, Known::Value(n), "{fp}");
        assert_eq!(row.missing, Known::Value(strings(missing)), "{fp}");
        assert_eq!(row.failing, Known::Value(strings(failing)), "{fp}");
        assert_eq!(row.environments, strings(envs), "{fp}");
    }
    assert_eq!(r.rows[2].artifact, "ghcr.io/acme/payments-api:1.43.0");
    assert_eq!(r.rows[2].created_at, Some(T0 + 2.0 * DAY));
    // The legacy artifact: Kosli's verdict is known, what its trail would say is not.
    let legacy = &r.rows[5];
    assert_eq!(legacy.fingerprint, A40);
    assert_eq!(legacy.compliant, Known::Value(false));
    let why = "the artifact was reported without a trail";
    assert_eq!(legacy.trail.reason(), Some(why));
    assert_eq!(legacy.attestations.reason(), Some(why));
    assert_eq!(legacy.missing.reason(), Some(why));
    assert_fixture("compliance.md", &r.render(Format::Markdown).unwrap());
    assert_fixture("compliance.csv", &r.render(Format::Csv).unwrap());
    let json: serde_json::Value = serde_json::from_str(&r.render(Format::Json).unwrap()).unwrap();
    assert_eq!(json["summary"]["running_non_compliant"], 1);
    assert_eq!(json["rows"][5]["attestations"], json!({"unknown": why}));
    assert_eq!(json["rows"][0]["missing"], json!(["security-scan"]));
}

#[test]
fn the_compliance_report_looks_only_where_told() {
    let fake = seeded();
    let c = client(&fake);
    let r = c
        .compliance_report(&ComplianceOptions::new(FLOW).environments(["production"]))
        .unwrap();
    assert_eq!(r.environments, ["production"]);
    assert_eq!((r.summary.running, r.summary.running_non_compliant), (1, 0));
    assert!(r.rows[1].environments.is_empty());
    let e = c
        .compliance_report(&ComplianceOptions::new(FLOW).environments(["qa"]))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.to_string().contains("'qa'"), "{e}");
    let e = c
        .compliance_report(&ComplianceOptions::new("no-such-flow"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    let e = c
        .compliance_report(&ComplianceOptions::new(""))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn a_trail_kosli_cannot_give_makes_its_values_unknown_not_guessed() {
    let fake = seeded();
    fake.push_faults(vec![Fault::status(400)
        .method("GET")
        .path_re("^/api/v2/trails/acme/payments-api/release-1.42.0$")
        .body(json!({"message": "Trail is being migrated"}))])
        .unwrap();
    let r = client(&fake)
        .compliance_report(&ComplianceOptions::new(FLOW))
        .unwrap();
    let row = r.rows.iter().find(|r| r.fingerprint == A42).unwrap();
    assert_eq!(
        row.attestations.reason(),
        Some("get trail release-1.42.0: Trail is being migrated")
    );
    assert!(!row.missing.is_known() && !row.failing.is_known());
    // The rest is read as before.
    assert_eq!(row.compliant, Known::Value(false));
    assert_eq!(row.trail, Known::Value("release-1.42.0".to_string()));
    assert_eq!(r.rows[0].attestations, Known::Value(2));
    let md = r.render(Format::Markdown).unwrap();
    assert!(
        md.contains("1. get trail release-1.42.0: Trail is being migrated\n"),
        "{md}"
    );
}

#[test]
fn the_audit_trail_of_the_release_in_production() {
    let fake = seeded();
    let a = client(&fake)
        .audit_trail(&AuditOptions::new(FLOW, A43))
        .unwrap();
    assert_eq!(a.artifact, "ghcr.io/acme/payments-api:1.43.0");
    assert_eq!(a.fingerprint, A43);
    assert_eq!(a.trail, Known::Value("release-1.43.0".to_string()));
    assert_eq!(a.created_at, Known::Value(T0 + 2.0 * DAY));
    assert_eq!(a.compliant, Known::Value(true));
    let sha = "7dc177ec4ac83bf834b21ba1d9c3aeeb2f63eac8";
    assert_eq!(a.build.git_commit, Known::Value(sha.to_string()));
    assert_eq!(
        a.build.build_url,
        Known::Value("https://github.com/acme/payments-api/actions/runs/477048".to_string())
    );
    assert_eq!(
        a.build.commit_author,
        Known::Value("Alice <alice@acme.example>".to_string())
    );
    let c = a.checklist.value().unwrap();
    assert_eq!(
        (c.test, c.security, c.review),
        (
            EvidenceState::Compliant,
            EvidenceState::Compliant,
            EvidenceState::Compliant
        )
    );
    let ev = a.evidence.value().unwrap();
    type Line<'a> = (
        &'a str,
        EvidenceKind,
        EvidenceLevel,
        Option<f64>,
        Option<&'a str>,
    );
    let got: Vec<Line<'_>> = ev
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.kind,
                e.level,
                e.reported_at,
                e.details
                    .as_ref()
                    .and_then(|d| d.value())
                    .map(String::as_str),
            )
        })
        .collect();
    let at = T0 + 2.0 * DAY;
    assert_eq!(
        got,
        [
            (
                "pull-request",
                EvidenceKind::Review,
                EvidenceLevel::Trail,
                Some(at - 300.0),
                Some("https://github.com/acme/payments-api/pull/143 (approved by bob)")
            ),
            (
                "unit-tests",
                EvidenceKind::Test,
                EvidenceLevel::Artifact,
                Some(at + 600.0),
                Some("412 tests, 0 failures, 0 errors, 3 skipped")
            ),
            (
                "security-scan",
                EvidenceKind::Security,
                EvidenceLevel::Artifact,
                Some(at + 900.0),
                Some("0 high, 0 medium, 3 low")
            ),
        ]
    );
    assert_eq!(a.environments_checked, ["production", "staging"]);
    let [prod, staging] = a.environments.as_slice() else {
        panic!("{:?}", a.environments)
    };
    assert_eq!(prod.environment, "production");
    assert_eq!(
        (
            prod.first_seen,
            prod.first_snapshot,
            prod.running_now,
            prod.deployments
        ),
        (T0 + 3.0 * DAY + 4.0 * HOUR, 2, true, 1)
    );
    // Still running: last seen at production's latest report.
    assert_eq!(prod.last_seen, Known::Value(T0 + 6.0 * DAY));
    assert_eq!(prod.reported_by.as_deref(), Some("prod-reporter"));
    assert_eq!(prod.ran_as, ["ghcr.io/acme/payments-api:1.43.0"]);
    assert_eq!(
        (
            staging.first_seen,
            staging.first_snapshot,
            staging.running_now
        ),
        (T0 + 2.0 * DAY + 3.0 * HOUR, 3, false)
    );
    // Replaced by 1.44.0 in staging's snapshot #4.
    assert_eq!(staging.last_seen, Known::Value(T0 + 3.0 * DAY + 2.0 * HOUR));
    assert_fixture("audit.md", &a.render(Format::Markdown).unwrap());
    assert_eq!(
        a.render(Format::Csv).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn the_audit_trail_says_what_is_missing_and_failing() {
    let fake = seeded();
    let c = client(&fake);
    let a = c.audit_trail(&AuditOptions::new(FLOW, A45)).unwrap();
    let ch = a.checklist.value().unwrap();
    assert_eq!(
        (ch.test, ch.security, ch.review),
        (
            EvidenceState::NonCompliant,
            EvidenceState::Missing,
            EvidenceState::Compliant
        )
    );
    let scan = a
        .evidence
        .value()
        .unwrap()
        .iter()
        .find(|e| e.name == "security-scan")
        .unwrap();
    assert_eq!(
        (scan.status.as_str(), scan.details.as_ref()),
        ("MISSING", None)
    );
    assert!(a.environments.is_empty());
    let a = c.audit_trail(&AuditOptions::new(FLOW, A44)).unwrap();
    assert_eq!(a.checklist.value().unwrap().review, EvidenceState::Missing);
    assert_eq!(a.compliant, Known::Value(false));
    // The legacy artifact: no trail, so no evidence to list; nothing guessed.
    let a = c.audit_trail(&AuditOptions::new(FLOW, A40)).unwrap();
    assert_eq!(
        a.evidence.reason(),
        Some("the artifact was reported without a trail")
    );
    assert!(!a.checklist.is_known());
    assert!(!a.build.commit_author.is_known());
    let e = c
        .audit_trail(&AuditOptions::new(FLOW, "0".repeat(64)))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

#[test]
fn adoption_over_the_week_by_hand() {
    let fake = seeded();
    let m = client(&fake).adoption_metrics(&week()).unwrap();
    assert_eq!((m.window.since, m.window.until), (T0, T0 + 7.0 * DAY));
    // (env, snapshots, running, with provenance, deployments, tracked, drift)
    let per_env: Vec<(&str, u64, u64, u64, u64, u64, u64)> = m
        .environments
        .iter()
        .map(|e| {
            (
                e.environment.as_str(),
                e.snapshots,
                e.running_artifacts,
                e.with_provenance,
                e.deployments,
                e.tracked_deployments,
                e.drift_events,
            )
        })
        .collect();
    assert_eq!(
        per_env,
        [
            ("production", 4, 5, 3, 2, 1, 4),
            ("staging", 5, 6, 4, 4, 3, 8)
        ]
    );
    assert_eq!((m.with_provenance, m.running_artifacts), (7, 11));
    assert_eq!(m.provenance_share, Known::Value(7.0 / 11.0));
    assert_eq!((m.tracked_deployments, m.deployments), (4, 6));
    assert_eq!(m.tracked_deployment_share, Known::Value(4.0 / 6.0));
    // 1.41.0, 1.42.0, 1.43.0: 3 each; 1.44.0 (no pull request) and web 2.7.0: 2 each.
    assert_eq!((m.evidence.artifacts, m.evidence.attestations), (5, 13));
    assert_eq!(m.evidence.average, Known::Value(2.6));
    assert!(m.evidence.unread.is_empty());
    // Build to deploy: 2h (1.42.0 staging), 2h (1.44.0 staging), 3h (1.43.0 staging),
    // 28h (1.43.0 production).
    let b = &m.build_to_deploy;
    assert_eq!(b.samples, 4);
    assert_eq!(b.median_seconds, Known::Value(2.5 * HOUR));
    assert_eq!(b.p90_seconds, Known::Value(28.0 * HOUR));
    let d = &m.drift;
    assert_eq!(
        (
            d.total,
            d.added,
            d.removed,
            d.changed,
            d.scaled,
            d.untracked
        ),
        (12, 5, 5, 1, 1, 3)
    );
    let nginx = d
        .events
        .iter()
        .find(|r| matches!(r.event, DriftEvent::Changed { .. }))
        .unwrap();
    assert_eq!(
        (
            nginx.environment.as_str(),
            nginx.snapshot,
            nginx.timestamp,
            nginx.tracked
        ),
        ("production", 4, T0 + 5.0 * DAY, false)
    );
    assert_fixture("adoption.md", &m.render(Format::Markdown).unwrap());
    assert_eq!(
        m.render(Format::Csv).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn a_window_opening_mid_week_starts_from_the_snapshot_then_in_effect() {
    let fake = seeded();
    let m = client(&fake)
        .adoption_metrics(&week().since(T0 + 3.0 * DAY))
        .unwrap();
    let per_env: Vec<(u64, u64, u64, u64, u64, u64)> = m
        .environments
        .iter()
        .map(|e| {
            (
                e.snapshots,
                e.running_artifacts,
                e.with_provenance,
                e.deployments,
                e.tracked_deployments,
                e.drift_events,
            )
        })
        .collect();
    // production: #1 (baseline) then #2..#4; staging: #3 (baseline) then #4, #5.
    assert_eq!(per_env, [(3, 5, 3, 2, 1, 4), (2, 4, 2, 2, 1, 4)]);
    assert_eq!(m.provenance_share, Known::Value(5.0 / 9.0));
    assert_eq!(m.tracked_deployment_share, Known::Value(0.5));
    assert_eq!((m.evidence.artifacts, m.evidence.attestations), (4, 10));
    assert_eq!(m.evidence.average, Known::Value(2.5));
    assert_eq!(m.build_to_deploy.median_seconds, Known::Value(15.0 * HOUR));
    assert_eq!(m.build_to_deploy.p90_seconds, Known::Value(28.0 * HOUR));
    let d = &m.drift;
    assert_eq!(
        (
            d.total,
            d.added,
            d.removed,
            d.changed,
            d.scaled,
            d.untracked
        ),
        (8, 3, 3, 1, 1, 3)
    );
}

#[test]
fn provenance_can_be_required_in_named_flows() {
    let fake = seeded();
    let m = client(&fake)
        .adoption_metrics(&week().flows([FLOW]))
        .unwrap();
    // web-frontend no longer counts as provenance.
    assert_eq!((m.with_provenance, m.running_artifacts), (6, 11));
    assert_eq!((m.tracked_deployments, m.deployments), (4, 6));
    assert_eq!((m.evidence.artifacts, m.evidence.attestations), (4, 11));
    assert_eq!(m.evidence.average, Known::Value(2.75));
    assert_eq!(m.drift.untracked, 3);
}

#[test]
fn an_empty_window_has_unknown_shares_and_a_bad_one_is_refused() {
    let fake = seeded();
    let c = client(&fake);
    let m = c
        .adoption_metrics(
            &AdoptionOptions::new()
                .since(T0 - 20.0 * DAY)
                .until(T0 - 10.0 * DAY),
        )
        .unwrap();
    assert_eq!(m.running_artifacts, 0);
    assert_eq!(
        m.provenance_share.reason(),
        Some("nothing ran in the window")
    );
    assert_eq!(
        m.tracked_deployment_share.reason(),
        Some("no deployment in the window")
    );
    assert_eq!(m.build_to_deploy.samples, 0);
    assert!(!m.build_to_deploy.median_seconds.is_known());
    assert!(!m.evidence.average.is_known());
    let e = c
        .adoption_metrics(&AdoptionOptions::new().since(T0).until(T0))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn one_json_request_builds_any_document() {
    let fake = seeded();
    let c = client(&fake);
    let request = ReportRequest::from_json(&format!(
        r#"{{"kind": "audit", "flow": "{FLOW}", "fingerprint": "{A43}", "environments": ["staging"]}}"#
    ))
    .unwrap();
    let doc = c.report(&request).unwrap();
    let Document::Audit(a) = &doc else {
        panic!("{doc:?}")
    };
    assert_eq!(a.environments.len(), 1);
    let json: serde_json::Value = serde_json::from_str(&doc.render(Format::Json).unwrap()).unwrap();
    assert_eq!(json["environments"][0]["environment"], "staging");
    let request = ReportRequest::from_json(&format!(
        r#"{{"kind": "adoption", "since": {T0}, "until": {}}}"#,
        T0 + 7.0 * DAY
    ))
    .unwrap();
    let Document::Adoption(m) = c.report(&request).unwrap() else {
        panic!()
    };
    assert_eq!(m.drift.total, 12);
}

#[test]
fn the_reads_each_document_makes() {
    let fake = seeded();
    let c = client(&fake);
    let paths = |fake: &FakeKosli| -> Vec<String> {
        let got: Vec<String> = fake
            .requests()
            .iter()
            .map(|r| {
                assert_eq!(r["method"], "GET", "{r}");
                r["path"].as_str().unwrap().to_string()
            })
            .collect();
        fake.clear_requests();
        got
    };
    c.compliance_report(&ComplianceOptions::new(FLOW)).unwrap();
    let got = paths(&fake);
    // get flow, list artifacts (one page), list environments, 2 latest snapshots, 5 trails
    // (the legacy artifact has none), 6 asserts: only reads, each trail and verdict once.
    assert_eq!(got.len(), 16, "{got:#?}");
    assert_eq!(got[0], "/api/v2/flows/acme/payments-api");
    assert_eq!(
        got.iter()
            .filter(|p| p.starts_with("/api/v2/asserts/"))
            .count(),
        6
    );
    assert_eq!(
        got.iter()
            .filter(|p| p.starts_with("/api/v2/trails/"))
            .count(),
        5
    );
    c.audit_trail(&AuditOptions::new(FLOW, A43)).unwrap();
    let got = paths(&fake);
    // get artifact, assert, get trail, 3 attestations, list environments, and per
    // environment its snapshot list and every snapshot (4 + 5).
    assert_eq!(got.len(), 1 + 1 + 1 + 3 + 1 + 2 + 9, "{got:#?}");
    c.adoption_metrics(&week()).unwrap();
    let got = paths(&fake);
    // list environments, 2 snapshot lists, 9 snapshots, then per artifact with provenance
    // (5) get artifact, and its trail (5).
    assert_eq!(got.len(), 1 + 2 + 9 + 5 + 5, "{got:#?}");
}
