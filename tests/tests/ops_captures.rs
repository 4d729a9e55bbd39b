//! The reporting operations through the SDK against fake-kosli, one test per case of the
//! official CLI (tests/fixtures/ops/cases): the server gives the answers it gave the CLI, and
//! the requests must be the CLI's (method, target, `Authorization`, content type, JSON text,
//! multipart parts, file names, contents, tar members by name and content).

mod ops_common;

use std::collections::BTreeMap;

use kosli_core::client::Response;
use kosli_core::evidence::{junit, snyk};
use kosli_core::model::pull_request::{PrApprover, PrCommit, PullRequest};
use kosli_core::ops::attest_artifact::AttestArtifact;
use kosli_core::ops::attestations::Attestation;
use kosli_core::ops::flows::{CreateFlow, FlowTemplateDef, ListFlows};
use kosli_core::ops::naming::{FlowNaming, NamingConvention};
use kosli_core::ops::trails::BeginTrail;
use kosli_core::provenance::{external_urls, ProvenanceInput};
use kosli_core::{ArtifactType, Client, Config, ErrorKind, Fingerprint};
use kosli_tests::fake::FakeKosli;
use ops_common::*;
use serde_json::Value;

/// A fake that will answer as the capture server answered `case`, and a client of it.
fn setup(case: &Case) -> (FakeKosli, Client, Fixture) {
    let fake = FakeKosli::start().unwrap();
    case.replay_on(&fake);
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org("acme")
        .build()
        .unwrap();
    (fake, Client::new(config).unwrap(), Fixture::new())
}

/// Checks what fake-kosli received against the case's requests to Kosli.
fn check(case: &Case, fake: &FakeKosli, fx: &Fixture) {
    assert_requests(&fake.requests(), &case.kosli_requests(), fx, &fake.url());
}

fn created(outcome: &kosli_core::Outcome) -> bool {
    outcome.response().is_some_and(Response::created)
}

/// No CI variables.
const NO_CI: [(&str, &str); 0] = [];

fn json_file(path: std::path::PathBuf) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn create_flow_empty_template() {
    let case = Case::load("create_flow_empty_template");
    let (fake, client, fx) = setup(&case);
    let outcome = client
        .create_flow(&CreateFlow::new("demo-flow").description("demo flow"))
        .await
        .unwrap();
    assert!(created(&outcome));
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn create_flow_template_file() {
    let case = Case::load("create_flow_template_file");
    let (fake, client, fx) = setup(&case);
    let flow = CreateFlow::new("demo-flow")
        .description("demo flow")
        .template_file(fx.path("fix/flow-template.yml"));
    client.create_flow(&flow).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn create_flow_legacy() {
    let case = Case::load("create_flow_legacy");
    let (fake, client, fx) = setup(&case);
    let flow = CreateFlow::new("legacy-flow")
        .description("legacy")
        .legacy_template(["unit-tests", "x"]);
    assert!(created(&client.create_flow(&flow).await.unwrap()));
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn create_flow_legacy_visibility() {
    let case = Case::load("create_flow_legacy_visibility");
    let (fake, client, fx) = setup(&case);
    let flow = CreateFlow::new("legacy-flow")
        .description("legacy")
        .visibility("public")
        .legacy_template(["artifact", "y"]);
    client.create_flow(&flow).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn create_flow_updated() {
    let case = Case::load("create_flow_updated");
    let (fake, client, fx) = setup(&case);
    let outcome = client
        .create_flow(&CreateFlow::new("demo-flow"))
        .await
        .unwrap();
    assert!(!created(&outcome), "200 means updated");
    assert_eq!(outcome.response().map(Response::status), Some(200));
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn create_flow_refused_by_the_naming_convention_sends_nothing() {
    let fake = FakeKosli::start().unwrap();
    let config = Config::builder()
        .host(fake.url())
        .api_token("t")
        .org("acme")
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let flow = CreateFlow::new("backend").naming(FlowNaming::refuse(NamingConvention::seed()));
    let e = client.create_flow(&flow).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(fake.requests().is_empty());
    // Warn only: sent.
    let flow = CreateFlow::new("backend").naming(FlowNaming::warn(NamingConvention::seed()));
    client.create_flow(&flow).await.unwrap();
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn get_flow() {
    let case = Case::load("get_flow");
    let (fake, client, fx) = setup(&case);
    let flow = client.get_flow("demo-flow").await.unwrap();
    assert_eq!(flow.name, "demo-flow");
    assert_eq!(flow.description.as_deref(), Some("demo flow"));
    assert_eq!(
        flow.template,
        Some(FlowTemplateDef::Yaml(
            "version: 1\ntrail:\n  artifacts:\n  - name: app\n".into()
        ))
    );
    assert_eq!(flow.last_deployment_at, None);
    assert_eq!(
        flow.tags.unwrap().get("team"),
        Some(&Value::String("core".into()))
    );
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn get_flow_legacy() {
    let case = Case::load("get_flow_legacy");
    let (fake, client, fx) = setup(&case);
    let flow = client.get_flow("x").await.unwrap();
    assert_eq!(
        flow.template,
        Some(FlowTemplateDef::Controls(vec![
            "artifact".into(),
            "unit-test".into()
        ]))
    );
    assert_eq!(flow.last_deployment_at, Some(1500000000.5));
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn get_flow_nulls() {
    let case = Case::load("get_flow_nulls");
    let (fake, client, fx) = setup(&case);
    let flow = client.get_flow("x").await.unwrap();
    assert_eq!(
        (flow.description, flow.template, flow.tags),
        (None, None, None)
    );
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn get_flow_not_found() {
    let case = Case::load("get_flow_not_found");
    let (fake, client, fx) = setup(&case);
    let e = client.get_flow("nope").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // The CLI's message: cut before "You have requested" (wire.md §5).
    let line = case.stderr.strip_suffix('\n').unwrap();
    let want = line.split_once("] ").unwrap().1;
    assert_eq!(e.to_string(), want);
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn list_flows() {
    for (name, list) in [
        ("list_flows", ListFlows::new()),
        ("list_flows_paged", ListFlows::new().per_page(5)),
        ("list_flows_paged_json", ListFlows::new().page(2)),
        ("list_flows_empty", ListFlows::new()),
        (
            "list_flows_name",
            ListFlows::new().name_contains("dem").ignore_case(true),
        ),
    ] {
        let case = Case::load(name);
        let (fake, client, fx) = setup(&case);
        let got = client.list_flows(&list).await.unwrap();
        match name {
            "list_flows" => {
                assert_eq!(got.flows.len(), 1);
                assert_eq!(got.pagination, None);
            }
            "list_flows_paged" => {
                let p = got.pagination.unwrap();
                assert_eq!(
                    (p.page, p.page_count, p.total, p.per_page),
                    (1, 3, 41, Some(5))
                );
                assert_eq!(got.flows[0].name, "demo-flow");
            }
            "list_flows_paged_json" => assert_eq!(got.pagination.unwrap().page, 2),
            "list_flows_empty" => assert!(got.flows.is_empty()),
            _ => assert_eq!(got.flows[1].tags, None),
        }
        check(&case, &fake, &fx);
    }
}

#[tokio::test]
async fn begin_trail_minimal() {
    let case = Case::load("begin_trail_minimal");
    let (fake, client, fx) = setup(&case);
    let outcome = client
        .begin_trail(&BeginTrail::new("demo-flow", "trail-2"))
        .await
        .unwrap();
    assert!(created(&outcome));
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn begin_trail_full() {
    let case = Case::load("begin_trail_full");
    let (fake, client, fx) = setup(&case);
    let provenance = ProvenanceInput::new()
        .commit("HEAD")
        .repo_root(fx.repo())
        .origin_url("https://ci.example.com/build/42")
        .resolve_trail(&NO_CI)
        .unwrap();
    let trail = BeginTrail::new("demo-flow", "trail-1")
        .description("release 42")
        .template_file(fx.path("fix/trail-template.yml"))
        .user_data(json_file(fx.path("fix/trail-data.json")))
        .provenance(&provenance)
        .external_urls(
            external_urls([("jira", "https://jira.example.com/ABC-1")], [("jira", FP)]).unwrap(),
        );
    client.begin_trail(&trail).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn begin_trail_updated() {
    let case = Case::load("begin_trail_updated");
    let (fake, client, fx) = setup(&case);
    let outcome = client
        .begin_trail(&BeginTrail::new("demo-flow", "t1"))
        .await
        .unwrap();
    assert!(!created(&outcome));
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_artifact_file() {
    let case = Case::load("attest_artifact_file");
    let (fake, client, fx) = setup(&case);
    let provenance = ProvenanceInput::new()
        .commit("HEAD")
        .repo_root(fx.repo())
        .build_url("https://ci.example.com/build/42")
        .commit_url(format!("https://github.com/acme/app/commit/{HEAD_SHA}"))
        .resolve_artifact(&NO_CI)
        .unwrap();
    let attest = AttestArtifact::from_path(
        "demo-flow",
        "trail-1",
        "app",
        fx.path("fix/app.bin"),
        ArtifactType::File,
        &[],
    )
    .unwrap()
    .provenance(&provenance);
    assert_eq!(attest.fingerprint().to_string(), FP);
    assert!(created(&client.attest_artifact(&attest).await.unwrap()));
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_artifact_fingerprint() {
    let case = Case::load("attest_artifact_fingerprint");
    let (fake, client, fx) = setup(&case);
    // The CLI ran in the repository without --repo-root.
    let provenance = ProvenanceInput::new()
        .commit(PREV_SHA)
        .working_dir(fx.repo())
        .build_url("https://ci.example.com/build/42")
        .commit_url(format!("https://github.com/acme/app/commit/{PREV_SHA}"))
        .resolve_artifact(&NO_CI)
        .unwrap();
    let fp: Fingerprint = FP.parse().unwrap();
    let attest = AttestArtifact::with_fingerprint(
        "demo-flow",
        "trail-1",
        "app",
        fp,
        "registry.example.com/acme/app:1.0",
    )
    .provenance(&provenance);
    client.attest_artifact(&attest).await.unwrap();
    check(&case, &fake, &fx);
}

/// The CI cases: the CLI ran with the capture's CI variables, in the repository.
async fn attest_artifact_in_ci(name: &str) {
    let case = Case::load(name);
    let (fake, client, fx) = setup(&case);
    let env: BTreeMap<String, String> = case.env.iter().cloned().collect();
    let provenance = ProvenanceInput::new()
        .working_dir(fx.repo())
        .resolve_artifact(&env)
        .unwrap();
    assert!(provenance.warnings.is_empty(), "{:?}", provenance.warnings);
    let attest = AttestArtifact::from_path(
        "demo-flow",
        "trail-1",
        "app",
        fx.path("fix/app.bin"),
        ArtifactType::File,
        &[],
    )
    .unwrap()
    .provenance(&provenance);
    client.attest_artifact(&attest).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn ci_github_attest_artifact() {
    attest_artifact_in_ci("ci_github_attest_artifact").await;
}

#[tokio::test]
async fn ci_gitlab_attest_artifact() {
    attest_artifact_in_ci("ci_gitlab_attest_artifact").await;
}

#[tokio::test]
async fn attest_artifact_dir() {
    let case = Case::load("attest_artifact_dir");
    let (fake, client, fx) = setup(&case);
    let provenance = ProvenanceInput::new()
        .repo_root(fx.repo())
        .build_url("https://ci.example.com/build/42")
        .commit_url(format!("https://github.com/acme/app/commit/{HEAD_SHA}"))
        .resolve_artifact(&NO_CI)
        .unwrap();
    let attest = AttestArtifact::from_path(
        "demo-flow",
        "trail-1",
        "app",
        fx.path("fix/dist"),
        ArtifactType::Dir,
        &["logs"],
    )
    .unwrap()
    .display_name("my app")
    .provenance(&provenance)
    .annotate("k", "v")
    .unwrap()
    .annotate("k2", "v2")
    .unwrap()
    .external_urls(external_urls([("j", "https://j")], [("j", FP)]).unwrap());
    client.attest_artifact(&attest).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_generic_minimal() {
    let case = Case::load("attest_generic_minimal");
    let (fake, client, fx) = setup(&case);
    let a = Attestation::generic("demo-flow", "trail-1", "jira-ticket", true).unwrap();
    assert!(created(&client.attest(&a).await.unwrap()));
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_generic_single_file_attachment() {
    let case = Case::load("attest_generic_single_file_attachment");
    let (fake, client, fx) = setup(&case);
    let a = Attestation::generic("demo-flow", "trail-1", "security-review", true)
        .unwrap()
        .attach(fx.path("fix/blob.bin"));
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_generic_dir_attachment() {
    let case = Case::load("attest_generic_dir_attachment");
    let (fake, client, fx) = setup(&case);
    let a = Attestation::generic("demo-flow", "trail-1", "g1", true)
        .unwrap()
        .attach(fx.path("fix/evidence"));
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_generic_several_attachments() {
    let case = Case::load("attest_generic_several_attachments");
    let (fake, client, fx) = setup(&case);
    let a = Attestation::generic("demo-flow", "trail-1", "g1", true)
        .unwrap()
        .attach(fx.path("fix/report.txt"))
        .attach(fx.path("fix/evidence"))
        .attach(fx.path("fix/blob.bin"));
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_generic_all_fields() {
    let case = Case::load("attest_generic_all_fields");
    let (fake, client, fx) = setup(&case);
    let a = Attestation::generic("demo-flow", "trail-1", "app.g1", false)
        .unwrap()
        .fingerprint(FP.parse().unwrap())
        .description("d <x>")
        .annotate("a", "1")
        .unwrap()
        .annotate("b_2", "x")
        .unwrap()
        .annotate("c", "3")
        .unwrap()
        .external_urls(external_urls([("j", "https://j")], [("j", ""); 0]).unwrap())
        .origin_url("https://o")
        .user_data(json_file(fx.path("fix/trail-data.json")));
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_generic_artifact_file() {
    let case = Case::load("attest_generic_artifact_file");
    let (fake, client, fx) = setup(&case);
    let provenance = ProvenanceInput::new()
        .commit("HEAD")
        .repo_root(fx.repo())
        .repo_id("555111")
        .repository("acme/app")
        .repo_url("https://github.com/acme/app")
        .repo_provider("github")
        .resolve_attestation(&NO_CI)
        .unwrap();
    assert!(provenance.warnings.is_empty());
    let artifact = kosli_core::ArtifactRef::new(
        "app.bin",
        kosli_core::fingerprint::file(fx.path("fix/app.bin")).unwrap(),
        ArtifactType::File,
    )
    .unwrap();
    let a = Attestation::generic("demo-flow", "trail-1", "app.g1", true)
        .unwrap()
        .artifact(&artifact)
        .provenance(&provenance);
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn dryrun_attest_generic_multipart() {
    let case = Case::load("dryrun_attest_generic_multipart");
    let fake = FakeKosli::start().unwrap();
    let fx = Fixture::new();
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org("acme")
        .dry_run(true)
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let a = Attestation::generic("demo-flow", "trail-1", "security-review", true)
        .unwrap()
        .user_data(json_file(fx.path("fix/user-data.json")))
        .attach(fx.path("fix/report.txt"));
    let outcome = client.attest(&a).await.unwrap();
    assert_eq!(
        outcome.dry_run().unwrap().to_string(),
        fx.subst(&case.stdout, &fake.url())
    );
    assert!(fake.requests().is_empty(), "dry-run sends nothing");
}

#[tokio::test]
async fn attest_junit() {
    let case = Case::load("attest_junit");
    let (fake, client, fx) = setup(&case);
    let provenance = ProvenanceInput::new()
        .commit("HEAD")
        .repo_root(fx.repo())
        .origin_url("https://ci.example.com/build/42")
        .resolve_attestation(&NO_CI)
        .unwrap();
    let summary = junit::parse_dir(fx.path("fix/results")).unwrap();
    let a = Attestation::junit("demo-flow", "trail-1", "unit-tests", &summary, true)
        .unwrap()
        .provenance(&provenance);
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_junit_several_files() {
    let case = Case::load("attest_junit_several_files");
    let (fake, client, fx) = setup(&case);
    let summary = junit::parse_dir(fx.path("fix/results2")).unwrap();
    let a = Attestation::junit("demo-flow", "trail-1", "unit-tests", &summary, true)
        .unwrap()
        .attach(fx.path("fix/report.txt"));
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_snyk_sarif() {
    let case = Case::load("attest_snyk_sarif");
    let (fake, client, fx) = setup(&case);
    let file = fx.path("kt/snyk_sarif.json");
    let results = snyk::parse_file(&file).unwrap();
    let a = Attestation::snyk("demo-flow", "trail-1", "snyk-scan", results, Some(file))
        .unwrap()
        .fingerprint(FP.parse().unwrap());
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_custom() {
    let case = Case::load("attest_custom");
    let (fake, client, fx) = setup(&case);
    let a = Attestation::custom(
        "demo-flow",
        "trail-1",
        "person-check",
        "person",
        json_file(fx.path("kt/person-type-data-example.json")),
    )
    .unwrap()
    .user_data(json_file(fx.path("fix/user-data.json")));
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

/// The pull request the fake GitHub of the capture returned, as a caller would pass it.
fn captured_pull_request() -> PullRequest {
    let sha = "0fc1ba9876f91b215679f3649b8668085d820ab5";
    PullRequest {
        merge_commit: HEAD_SHA.into(),
        url: "https://github.com/acme/app/pull/7".into(),
        state: "MERGED".into(),
        approvers: vec![PrApprover {
            username: "bob".into(),
            state: "APPROVED".into(),
            timestamp: 1717243200,
        }],
        author: "alice".into(),
        created_at: 1717236000,
        merged_at: Some(1717322400),
        title: "Add feature".into(),
        head_ref: "feature-x".into(),
        base_ref: "main".into(),
        commits: vec![PrCommit {
            sha1: sha.into(),
            message: "feature x".into(),
            author: "Alice <alice@example.com>".into(),
            author_username: Some("alice".into()),
            timestamp: 1717232400,
            branch: "feature-x".into(),
            url: format!("https://github.com/acme/app/commit/{sha}"),
            verified: None,
            signature_state: None,
        }],
    }
}

async fn attest_pull_requests(name: &str, prs: Vec<PullRequest>) {
    let case = Case::load(name);
    let fake = FakeKosli::start().unwrap();
    // Only the Kosli request: the SDK takes pull requests the caller fetched.
    let kosli_only = Case {
        requests: case.kosli_requests(),
        ..case.clone()
    };
    kosli_only.replay_on(&fake);
    let fx = Fixture::new();
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org("acme")
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let provenance = ProvenanceInput::new()
        .commit("HEAD")
        .repo_root(fx.repo())
        .resolve_attestation(&NO_CI)
        .unwrap();
    let a = Attestation::pull_request("demo-flow", "trail-1", "pr-review", "github", prs)
        .unwrap()
        .provenance(&provenance);
    client.attest(&a).await.unwrap();
    check(&case, &fake, &fx);
}

#[tokio::test]
async fn attest_pr_github_fake_gh() {
    attest_pull_requests("attest_pr_github_fake_gh", vec![captured_pull_request()]).await;
}

#[tokio::test]
async fn attest_pr_no_prs() {
    attest_pull_requests("attest_pr_no_prs", vec![]).await;
}

#[tokio::test]
async fn attest_pr_open_signed() {
    let pr = PullRequest {
        merge_commit: HEAD_SHA.into(),
        url: "https://github.com/acme/app/pull/8".into(),
        state: "OPEN".into(),
        approvers: vec![],
        author: "al".into(),
        created_at: 1717236000,
        merged_at: None,
        title: "T".into(),
        head_ref: "h".into(),
        base_ref: "main".into(),
        commits: vec![PrCommit {
            sha1: "abc".into(),
            message: "m".into(),
            author: "A <a@x>".into(),
            author_username: None,
            timestamp: 1717228800,
            branch: "h".into(),
            url: "https://github.com/acme/app/commit/abc".into(),
            verified: Some(true),
            signature_state: Some("VALID".into()),
        }],
    };
    attest_pull_requests("attest_pr_open_signed", vec![pr]).await;
}

#[test]
fn blocking_client_sends_the_same() {
    let case = Case::load("attest_generic_minimal");
    let fake = FakeKosli::start().unwrap();
    case.replay_on(&fake);
    let fx = Fixture::new();
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org("acme")
        .build()
        .unwrap();
    let client = kosli_core::blocking::Client::new(config).unwrap();
    let a = Attestation::generic("demo-flow", "trail-1", "jira-ticket", true).unwrap();
    client.attest(&a).unwrap();
    check(&case, &fake, &fx);
}

#[test]
fn every_case_of_this_area_has_an_sdk_test() {
    // Cases of local errors, dry-run output and the example's views are the example's
    // (tests/tests/example_captures_flows.rs); each case that reaches Kosli with a request the
    // SDK makes is covered above.
    let src = include_str!("ops_captures.rs");
    let mut missing = Vec::new();
    for name in Case::all_names() {
        let case = Case::load(&name);
        let sends = !case.kosli_requests().is_empty();
        let json_view = name.ends_with("_json") || name == "create_flow_env";
        let example_only =
            json_view || name.starts_with("attest_pr_no_prs_assert") || name.ends_with("_hint");
        if sends && !example_only && !src.contains(&format!("\"{name}\"")) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "cases without an SDK test: {missing:?}");
}
