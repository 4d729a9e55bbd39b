//! For every run of the official CLI recorded in tests/fixtures/review (22 scenarios over
//! GitHub, GitLab, Bitbucket Cloud and Azure DevOps), the SDK against a fake provider giving
//! the same answers: the same provider requests (method, path, query, credentials header,
//! content type and body where the CLI sent them), the same `data_json` byte for byte, and an
//! assert that fails exactly when the CLI's did, with its message.
//!
//! Deliberate differences, checked as such: the Azure client's resource discovery
//! (`OPTIONS {org}/_apis`, `GET {org}/_apis/ResourceAreas`) is not sent; the SDK sends
//! `Accept` on GitLab and Azure GETs where the CLI's clients send other defaults (not compared).

mod review_common;

use kosli_core::ops::attestations::Attestation;
use kosli_core::provenance::GitCommitInfo;
use kosli_core::review::ReviewAttestation;
use kosli_core::ErrorKind;
use kosli_tests::fake_providers::{FakeProvider, Scenario, Seen};
use review_common::*;
use serde_json::Value;

/// Runs one scenario through the SDK and compares everything with the CLI's run.
fn run(name: &str) {
    let s = Scenario::load(name);
    let fake = FakeProvider::start(Vec::new()).unwrap();
    let base = fake.url();
    fake.add_routes(s.routes_at(&base));
    let (client, clock) = client(&base);
    let source = source(&s, &base);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let command = s.text("command");
    let is_assert = command.starts_with("kosli assert ");
    let found = if is_assert {
        rt.block_on(client.assert_pull_requests(&source, COMMIT))
    } else {
        rt.block_on(client.find_pull_requests(&source, COMMIT))
    };
    if is_assert {
        // `assert pullrequest`: exit 1 with the SDK's message exactly when the CLI failed.
        let stderr = s.text("stderr");
        match &found {
            Ok(_) => assert_eq!(s.exit_code(), 0, "{name}: the CLI's assert failed"),
            Err(e) => {
                assert_eq!(s.exit_code(), 1, "{name}: the CLI's assert passed: {e}");
                assert_eq!(e.kind(), ErrorKind::PolicyDenied);
                assert!(
                    stderr.contains(&format!("] {e}\n")),
                    "{name}: {e} vs {stderr}"
                );
            }
        }
        assert!(
            s.data_json_at(&base).is_none(),
            "{name}: assert sends nothing to Kosli"
        );
    }
    let evidence = match found {
        Ok(e) => e,
        Err(_) => kosli_core::review::PullRequestEvidence {
            provider: provider(&s),
            commit: COMMIT.into(),
            pull_requests: Vec::new(),
        },
    };
    assert!(clock.sleeps().is_empty(), "{name}: no retries expected");

    // The provider requests, in order.
    let want: Vec<Value> = s
        .provider_requests()
        .into_iter()
        .filter(|r| !is_azure_discovery(r["method"].as_str().unwrap(), r["path"].as_str().unwrap()))
        .collect();
    let got = fake.requests();
    let listed = |v: &[Seen]| {
        v.iter()
            .map(|r| format!("{} {}?{}", r.method, r.path, r.query))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        got.len(),
        want.len(),
        "{name}: requests {:#?}",
        listed(&got)
    );
    for (g, w) in got.iter().zip(&want) {
        let what = format!("{name}: {} {}", g.method, g.path);
        assert_eq!(g.method, w["method"].as_str().unwrap(), "{what}: method");
        assert_eq!(g.path, w["path"].as_str().unwrap(), "{what}: path");
        assert_eq!(g.query, w["query"].as_str().unwrap(), "{what}: query");
        let headers = w["headers"].as_object().unwrap();
        for (k, v) in headers {
            let k = k.to_ascii_lowercase();
            if k == "authorization"
                || k == "private-token"
                || (k == "content-type" && g.method == "POST")
            {
                assert_eq!(g.header(&k), v.as_str(), "{what}: header {k}");
            }
        }
        let body = w["body"]
            .as_str()
            .unwrap_or_default()
            .replace(kosli_tests::fake_providers::OBSERVED_BASE, &base);
        assert_eq!(g.body, body, "{what}: body");
    }

    // The verdict of `attest pullrequest --assert`.
    if is_assert {
        return;
    }
    let stderr = s.text("stderr");
    if s.has_flag("assert") {
        match evidence.assert_attested() {
            Ok(()) => assert_eq!(s.exit_code(), 0, "{name}"),
            Err(e) => {
                assert_eq!(s.exit_code(), 1, "{name}");
                assert!(
                    stderr.contains(&format!("] {e}\n")),
                    "{name}: {e} vs {stderr}"
                );
            }
        }
    } else {
        assert_eq!(s.exit_code(), 0, "{name}");
    }
    assert!(
        s.text("stdout").starts_with(&format!(
            "found {} {}(s) for commit: {COMMIT}\n",
            evidence.pull_requests.len(),
            evidence.provider.label()
        )),
        "{name}: {}",
        s.text("stdout")
    );

    // The payload, byte for byte.
    let want = s.data_json_at(&base).expect("the CLI attested");
    let recorded: Value = serde_json::from_str(&want).unwrap();
    let info: GitCommitInfo = serde_json::from_value(recorded["git_commit_info"].clone()).unwrap();
    let base_attestation = Attestation::generic(
        s.flag("flow").unwrap(),
        s.flag("trail").unwrap(),
        &s.flag("name").unwrap(),
        true,
    )
    .unwrap()
    .git_commit_info(info);
    let attestation = ReviewAttestation::pull_requests(base_attestation, evidence);
    assert_eq!(attestation.data_json().unwrap(), want, "{name}: data_json");
    let request = attestation.request().unwrap();
    assert_eq!(
        request.render_path(Some("acme")).unwrap(),
        format!(
            "api/v2/attestations/acme/{}/trail/{}/pull_request",
            s.flag("flow").unwrap(),
            s.flag("trail").unwrap()
        ),
        "{name}: path"
    );
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run(stringify!($name));
            }
        )*

        #[test]
        fn every_scenario_is_run() {
            let listed = [$(stringify!($name)),*];
            for name in Scenario::all_names() {
                assert!(listed.contains(&name.as_str()), "scenario {name} is not run");
            }
        }
    };
}

scenarios!(
    assert_azure_found,
    assert_bitbucket_none,
    assert_github_found,
    assert_github_none,
    assert_gitlab_found,
    assert_gitlab_none,
    azure_no_approvals,
    azure_none_assert,
    azure_one,
    azure_paged,
    bitbucket_none_assert,
    bitbucket_one,
    bitbucket_open_token,
    bitbucket_paged,
    github_no_reviews,
    github_none_assert,
    github_one,
    github_paged,
    github_rest_fallback,
    github_rest_merge_commit,
    github_rest_paged,
    gitlab_none,
    gitlab_none_assert,
    gitlab_one_mr,
    gitlab_paged,
    gitlab_paged_link,
    gitlab_two_mrs,
);
