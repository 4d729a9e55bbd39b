//! The Sonar and Jira captures of the official CLI (tests/fixtures/review/captures, from the
//! contract's captures-2) through the SDK: the fake provider answers as the capture server
//! did, fake-kosli takes the attestation, and the provider requests (target, `Authorization`),
//! the `data_json` and the errors are the CLI's.

mod review_common;

use kosli_core::ops::attestations::Attestation;
use kosli_core::provenance::GitCommitInfo;
use kosli_core::review::jira::JiraSource;
use kosli_core::review::sonar::SonarSource;
use kosli_core::review::ReviewAttestation;
use kosli_core::ErrorKind;
use kosli_tests::fake::{FakeKosli, Fault};
use kosli_tests::fake_providers::captures::{Capture, CAPTURED_BASE};
use kosli_tests::fake_providers::{FakeProvider, Seen};
use serde_json::Value;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// Asserts that the fake saw the capture's provider requests (target and credentials).
fn assert_provider_requests(c: &Capture, got: &[Seen]) {
    let want = c.provider_requests();
    assert_eq!(got.len(), want.len(), "{}: {got:#?}", c.name);
    for (g, w) in got.iter().zip(&want) {
        let target = if g.query.is_empty() {
            g.path.clone()
        } else {
            format!("{}?{}", g.path, g.query)
        };
        assert_eq!(target, w["raw_target"].as_str().unwrap(), "{}", c.name);
        let auth = w["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h[0] == "Authorization")
            .and_then(|h| h[1].as_str());
        assert_eq!(g.header("authorization"), auth, "{}: {target}", c.name);
    }
}

/// Sends `attestation` to a fake-kosli that answers 201, and returns the `data_json` it got.
fn send(attestation: &ReviewAttestation) -> (String, String) {
    let kosli = FakeKosli::start().unwrap();
    let mut fault = Fault::status(201).method("POST");
    fault.path = Some(
        attestation
            .request()
            .unwrap()
            .render_path(Some("acme"))
            .map(|p| format!("/{p}"))
            .unwrap(),
    );
    fault.raw_body = Some("OK".into());
    kosli.push_faults(vec![fault]).unwrap();
    let (client, _) = review_common::client(&kosli.url());
    rt().block_on(client.attest_review(attestation)).unwrap();
    let r = kosli.requests().pop().unwrap();
    let data = r["multipart"][0]["text"].as_str().unwrap().to_string();
    (r["raw_target"].as_str().unwrap().to_string(), data)
}

#[test]
fn attest_sonar_ce_task_url() {
    let c = Capture::load("attest_sonar_ce_task_url");
    let f = FakeProvider::start(Vec::new()).unwrap();
    let base = f.url();
    f.add_routes(c.routes_at(&base));
    let mut source = SonarSource::new(&c.flag("sonar-api-token").unwrap());
    source.ce_task_url = c
        .flag("sonar-ce-task-url")
        .map(|u| u.replace(CAPTURED_BASE, &base));
    let (client, _) = review_common::client(&base);
    let results = rt().block_on(client.sonar_results(&source)).unwrap();
    assert_provider_requests(&c, &f.requests());
    let a = ReviewAttestation::sonar(
        Attestation::generic("demo-flow", "trail-1", "sonar-scan", true).unwrap(),
        results,
    );
    let (target, data) = send(&a);
    assert_eq!(
        target,
        "/api/v2/attestations/acme/demo-flow/trail/trail-1/sonar"
    );
    assert_eq!(data, c.data_json_at(&base).unwrap());
    assert_eq!(c.exit_code, 0);
}

#[test]
fn attest_sonar_project_key() {
    let c = Capture::load("attest_sonar_project_key");
    let f = FakeProvider::start(Vec::new()).unwrap();
    let base = f.url();
    f.add_routes(c.routes_at(&base));
    let mut source = SonarSource::new(&c.flag("sonar-api-token").unwrap());
    source.project_key = c.flag("sonar-project-key");
    source.revision = c.flag("sonar-revision");
    source.server_url = base.clone();
    let (client, _) = review_common::client(&base);
    let e = rt().block_on(client.sonar_results(&source)).unwrap_err();
    assert_provider_requests(&c, &f.requests());
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(c.exit_code, 1);
    assert!(
        c.stderr.contains(&format!("] {e}\n")),
        "{e}\nvs\n{}",
        c.stderr
    );
    assert!(c.kosli_request().is_none());
}

#[test]
fn attest_jira_fields() {
    let c = Capture::load("attest_jira_fields");
    let f = FakeProvider::start(Vec::new()).unwrap();
    let base = f.url();
    f.add_routes(c.routes_at(&base));
    let mut source = JiraSource::new(&base);
    source.pat = Some(c.flag("jira-pat").unwrap().into());
    source.issue_fields = c.flag("jira-issue-fields").unwrap();
    source.secondary_source = c.flag("jira-secondary-source");
    let want = c.data_json_at(&base).unwrap();
    let recorded: Value = serde_json::from_str(&want).unwrap();
    let info: GitCommitInfo = serde_json::from_value(recorded["git_commit_info"].clone()).unwrap();
    let keys = source.references(&info.message, &info.branch);
    assert_eq!(keys, ["ABC-124", "ABC-200", "NOPE-9"]);
    let (client, _) = review_common::client(&base);
    let results = rt().block_on(client.jira_results(&source, &keys)).unwrap();
    assert_provider_requests(&c, &f.requests());
    let a = ReviewAttestation::jira(
        Attestation::generic("demo-flow", "trail-1", "jira-ticket", true)
            .unwrap()
            .git_commit_info(info),
        results,
    );
    let (target, data) = send(&a);
    assert_eq!(
        target,
        "/api/v2/attestations/acme/demo-flow/trail/trail-1/jira"
    );
    assert_eq!(data, want);
}
