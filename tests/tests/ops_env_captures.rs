//! The SDK's environments, snapshots, allow/assert artifact and artifact reads against
//! fake-kosli answering as the CLI's server did (tests/fixtures/ops/env/cases): each request is
//! built with the typed builders and must be the CLI's (method, target, `Authorization`,
//! content type, JSON text); each answer must read into the typed response.

mod env_common;

use env_common::{assert_requests, Case, FixDir, FP};
use kosli_core::ops::artifacts_read::{ArtifactSelector, GetArtifact, ListArtifacts};
use kosli_core::ops::compliance::{AllowArtifact, AssertArtifact};
use kosli_core::ops::environments::{types, AutoEnvironment, CreateEnvironment, ListEnvironments};
use kosli_core::ops::snapshots::{PathsSpec, SnapshotServer};
use kosli_core::{Client, Config, Error, ErrorKind, Fingerprint};
use kosli_tests::fake::FakeKosli;
use serde_json::json;

/// A case's fake server (answering as the CLI's did), fixture folder and client.
struct Run {
    case: Case,
    fake: FakeKosli,
    fix: FixDir,
    client: Client,
}

impl Run {
    fn new(name: &str) -> Run {
        Run::with_config(name, |b| b)
    }

    fn with_config(
        name: &str,
        config: impl FnOnce(kosli_core::config::ConfigBuilder) -> kosli_core::config::ConfigBuilder,
    ) -> Run {
        let case = Case::load(name);
        let fake = FakeKosli::start().unwrap();
        case.replay_answers(&fake);
        let fix = FixDir::new(&case);
        let builder = Config::builder()
            .host(fake.url())
            .api_token("secret-token-123")
            .org("acme");
        let client = Client::new(config(builder).build().unwrap()).unwrap();
        Run {
            case,
            fake,
            fix,
            client,
        }
    }

    fn fixture(&self, rel: &str) -> String {
        self.fix.path().join(rel).to_str().unwrap().to_string()
    }

    /// The requests received are the CLI's.
    fn check(&self) {
        assert_requests(
            &self.case,
            &self.fix,
            &self.fake.url(),
            &self.fake.requests(),
        );
    }

    /// The message the CLI printed after `Error: [...] ` (to the end of the stream).
    fn cli_error(&self) -> String {
        let text = [&self.case.stderr, &self.case.stdout]
            .into_iter()
            .find_map(|s| s.find("Error: [").map(|i| &s[i..]))
            .unwrap();
        let message = text.split_once("] ").unwrap().1.trim_end();
        let message = message.split("\n[warning]").next().unwrap();
        self.fix.fill(message, &self.fake.url())
    }
}

fn fp() -> Fingerprint {
    FP.parse().unwrap()
}

#[tokio::test]
async fn create_env_k8s() {
    let r = Run::new("create_env_k8s");
    let env = CreateEnvironment::new("prod-k8s", types::K8S).description("prod cluster");
    let outcome = r.client.create_environment(&env).await.unwrap();
    assert!(outcome.response().unwrap().created());
    r.check();
}

#[tokio::test]
async fn create_env_logical() {
    let r = Run::new("create_env_logical");
    let env = CreateEnvironment::logical("prod-all", ["prod-k8s", "prod-server"]);
    r.client.create_environment(&env).await.unwrap();
    r.check();
}

#[tokio::test]
async fn create_env_deprecated_flags() {
    let r = Run::new("create_env_all_fields");
    let env = CreateEnvironment::new("e1", "K8S")
        .description("<&>")
        .include_scaling(true)
        .require_provenance(true)
        .included_environments(["x"]);
    r.client.create_environment(&env).await.unwrap();
    r.check();
    let r = Run::new("create_env_exclude_scaling");
    let env = CreateEnvironment::new("e1", "K8S").include_scaling(false);
    r.client.create_environment(&env).await.unwrap();
    r.check();
}

#[tokio::test]
async fn create_env_updated_is_not_created() {
    let r = Run::new("create_env_updated");
    let outcome = r
        .client
        .create_environment(&CreateEnvironment::new("e1", "K8S"))
        .await
        .unwrap();
    assert!(!outcome.response().unwrap().created());
    r.check();
}

#[tokio::test]
async fn dryrun_create_env() {
    let r = Run::with_config("dryrun_create_env", |b| b.dry_run(true));
    let outcome = r
        .client
        .create_environment(&CreateEnvironment::new("prod-k8s", "K8S"))
        .await
        .unwrap();
    let dry = outcome.dry_run().unwrap();
    assert_eq!(dry.to_string(), r.fix.fill(&r.case.stdout, &r.fake.url()));
    r.check(); // nothing sent
}

#[tokio::test]
async fn error_400_message_and_errors() {
    let r = Run::new("error_400_message_and_errors");
    let e = r
        .client
        .create_environment(&CreateEnvironment::new("prod-k8s", "K9S"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Api { status: 400, .. }), "{e:?}");
    assert_eq!(e.to_string(), r.cli_error());
    r.check();
}

#[tokio::test]
async fn config_env_vars() {
    // The org and token of the capture's environment variables.
    let case = Case::load("config_env_vars");
    let fake = FakeKosli::start().unwrap();
    case.replay_answers(&fake);
    let fix = FixDir::new(&case);
    let env: std::collections::HashMap<String, String> = case
        .env
        .iter()
        .map(|(k, v)| (k.clone(), fix.fill(v, &fake.url())))
        .collect();
    let config = Config::builder()
        .load_with_env(&|k| env.get(k).cloned())
        .unwrap();
    let client = Client::new(config).unwrap();
    client
        .create_environment(&CreateEnvironment::new("prod-k8s", "K8S"))
        .await
        .unwrap();
    assert_requests(&case, &fix, &fake.url(), &fake.requests());
}

#[tokio::test]
async fn get_environment() {
    let r = Run::new("get_environment");
    let env = r.client.get_environment("prod-k8s").await.unwrap();
    assert_eq!(env.name, "prod-k8s");
    assert_eq!(env.env_type.as_deref(), Some("server"));
    assert_eq!(env.state, Some(true));
    assert_eq!(env.last_reported_at, Some(1718000000.0));
    r.check();
    let r = Run::new("get_env_not_found");
    let e = r.client.get_environment("prod").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.to_string(), r.cli_error());
    r.check();
}

#[tokio::test]
async fn list_environments() {
    let r = Run::new("list_environments");
    let list = r
        .client
        .list_environments(&ListEnvironments::new())
        .await
        .unwrap();
    assert!(list.page.is_none());
    assert_eq!(list.environments[0].name, "prod");
    r.check();
    let r = Run::new("list_environments_filters");
    let filters = ListEnvironments::new()
        .name_contains("prod")
        .env_type("K8S")
        .env_type("docker")
        .tag("team=core")
        .sort("name")
        .sort_direction("desc");
    r.client.list_environments(&filters).await.unwrap();
    r.check();
    let r = Run::new("list_env_space_tags");
    let filters = ListEnvironments::new()
        .space_id("s1")
        .space_id("s2")
        .tag("team:core")
        .tag("x")
        .env_type("logical");
    r.client.list_environments(&filters).await.unwrap();
    r.check();
}

#[tokio::test]
async fn list_environments_paged() {
    let r = Run::new("list_environments_paged");
    let list = r
        .client
        .list_environments(&ListEnvironments::new().page(2).per_page(5))
        .await
        .unwrap();
    let page = list.page.unwrap();
    assert_eq!((page.page, page.total_pages, page.total_count), (2, 3, 12));
    assert_eq!(
        list.environments[0].policies.as_deref().unwrap(),
        ["prod-policy"]
    );
    r.check();
}

#[tokio::test]
async fn snapshot_path() {
    let r = Run::new("snapshot_path");
    let snap = SnapshotServer::path(
        "prod-server",
        "app2",
        r.fixture("fix/server/app2"),
        &["lib.py"],
    )
    .unwrap();
    let out = r.client.snapshot_server(&snap).await.unwrap();
    assert!(out.environment.is_none());
    assert!(out.report.response().unwrap().created());
    r.check();
    let r = Run::new("snapshot_path_file");
    let snap =
        SnapshotServer::path("prod", "bin", r.fixture("fix/app.bin"), &[] as &[&str]).unwrap();
    r.client.snapshot_server(&snap).await.unwrap();
    r.check();
}

#[tokio::test]
async fn snapshot_paths() {
    for (case, spec) in [
        ("snapshot_paths", "fix/paths.yml"),
        ("snapshot_paths_json", "fix/paths.json"),
        ("snapshot_paths_toml", "fix/paths.toml"),
        ("snapshot_paths_single_exclude", "fix/exclude-string.yml"),
    ] {
        let r = Run::new(case);
        let spec = PathsSpec::from_file(r.fixture(spec)).unwrap();
        let env = if case == "snapshot_paths" {
            "prod-server"
        } else {
            "prod"
        };
        let snap = SnapshotServer::paths(env, &spec).unwrap();
        r.client.snapshot_server(&snap).await.unwrap();
        r.check();
    }
}

#[tokio::test]
async fn snapshot_paths_bad_specs_send_nothing() {
    for name in [
        "snapshot_paths_bad_version",
        "snapshot_paths_no_version",
        "snapshot_paths_bad_key",
        "snapshot_paths_no_artifacts",
        "snapshot_paths_missing_file",
    ] {
        let r = Run::new(name);
        let arg = r.case.args[r
            .case
            .args
            .iter()
            .position(|a| a == "--paths-file")
            .unwrap()
            + 1]
        .clone();
        let e = PathsSpec::from_file(r.fix.fill(&arg, "")).unwrap_err();
        assert_eq!(e.to_string(), r.cli_error(), "{name}");
        r.check();
    }
    let r = Run::new("snapshot_paths_missing_path");
    let spec = PathsSpec::from_file(r.fixture("fix/missing.yml")).unwrap();
    let e = SnapshotServer::paths("prod", &spec).unwrap_err();
    assert_eq!(e.to_string(), r.cli_error());
}

#[tokio::test]
async fn snapshot_server() {
    let r = Run::new("snapshot_server_glob");
    let pattern = format!("{}/*", r.fixture("fix/server"));
    let snap = SnapshotServer::server("prod", &[pattern], &["lib.py"]).unwrap();
    r.client.snapshot_server(&snap).await.unwrap();
    r.check();
    let r = Run::new("snapshot_server_paths");
    let paths = [r.fixture("fix/server/app1"), r.fixture("fix/app.bin")];
    let snap = SnapshotServer::server("prod", &paths, &[] as &[&str]).unwrap();
    r.client.snapshot_server(&snap).await.unwrap();
    r.check();
    let r = Run::new("snapshot_server_no_match");
    let e = SnapshotServer::server("prod", &[r.fixture("fix/zz*")], &[] as &[&str]).unwrap_err();
    assert_eq!(e.to_string(), r.cli_error());
}

#[tokio::test]
async fn snapshot_auto_environment() {
    let r = Run::new("snapshot_auto_env_created");
    let snap = SnapshotServer::path("prod", "x", r.fixture("fix/app.bin"), &[] as &[&str])
        .unwrap()
        .auto_environment(true);
    let out = r.client.snapshot_server(&snap).await.unwrap();
    assert!(matches!(out.environment, Some(AutoEnvironment::Created(_))));
    r.check();
    let r = Run::new("snapshot_auto_env_exists");
    let snap = SnapshotServer::path("prod", "x", r.fixture("fix/app.bin"), &[] as &[&str])
        .unwrap()
        .auto_environment(true);
    let out = r.client.snapshot_server(&snap).await.unwrap();
    assert!(matches!(out.environment, Some(AutoEnvironment::Exists(_))));
    r.check();
    for name in [
        "snapshot_auto_env_logical",
        "snapshot_auto_env_create_fails",
    ] {
        let r = Run::new(name);
        let snap = SnapshotServer::path("prod", "x", r.fixture("fix/app.bin"), &[] as &[&str])
            .unwrap()
            .auto_environment(true);
        let e = r.client.snapshot_server(&snap).await.unwrap_err();
        assert_eq!(e.to_string(), r.cli_error(), "{name}");
        r.check();
    }
    let r = Run::with_config("snapshot_auto_env_dry_run", |b| b.dry_run(true));
    let snap = SnapshotServer::path("prod", "x", r.fixture("fix/app.bin"), &[] as &[&str])
        .unwrap()
        .auto_environment(true);
    let out = r.client.snapshot_server(&snap).await.unwrap();
    assert!(matches!(out.environment, Some(AutoEnvironment::DryRun)));
    assert!(out.report.dry_run().is_some());
    r.check();
}

#[tokio::test]
async fn allow_artifact() {
    let r = Run::new("allow_artifact");
    let allow = AllowArtifact::with_fingerprint("prod", fp(), "app.bin", "emergency hotfix");
    r.client.allow_artifact(&allow).await.unwrap();
    r.check();
    let r = Run::new("allow_fingerprint_arg");
    let allow = AllowArtifact::with_fingerprint("prod", fp(), "some/name:1.0", "r");
    r.client.allow_artifact(&allow).await.unwrap();
    r.check();
    let r = Run::new("allow_env_not_found");
    let allow = AllowArtifact::with_fingerprint("prod", fp(), "a", "r");
    let e = r.client.allow_artifact(&allow).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.to_string(), r.cli_error());
    r.check();
}

#[tokio::test]
async fn assert_artifact_compliant() {
    let r = Run::new("assert_artifact_compliant");
    let v = r
        .client
        .assert_artifact(&AssertArtifact::new(fp()).flow("demo-flow"))
        .await
        .unwrap();
    assert!(v.compliant);
    assert_eq!(v.flows[0].trail, "trail-1");
    assert!(v.reasons().is_empty());
    r.check();
}

#[tokio::test]
async fn assert_artifact_non_compliant() {
    let r = Run::new("assert_artifact_non_compliant");
    let v = r
        .client
        .assert_artifact(&AssertArtifact::new(fp()).flow("demo-flow"))
        .await
        .unwrap();
    assert!(!v.compliant);
    assert_eq!(
        v.reasons(),
        ["flow demo-flow, trail trail-1: attestation unit-tests (junit) is COMPLETE and not compliant"]
    );
    let e = v.into_result().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyDenied);
    assert_eq!(e.to_string(), r.cli_error());
    r.check();
}

#[tokio::test]
async fn assert_artifact_not_found() {
    let r = Run::new("assert_artifact_not_found");
    let e = r
        .client
        .assert_artifact(&AssertArtifact::new(fp()).flow("demo-flow"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.to_string(), r.cli_error());
    r.check();
}

#[tokio::test]
async fn assert_against_environment_and_policies() {
    let r = Run::new("assert_environment");
    let v = r
        .client
        .assert_artifact(&AssertArtifact::new(fp()).environment("prod"))
        .await
        .unwrap();
    assert_eq!(
        (v.scope.as_str(), v.environment.as_deref()),
        ("environment", Some("prod"))
    );
    assert_eq!(v.policy_evaluations[0].policy_name, "prod-policy");
    r.check();
    let r = Run::new("assert_policies");
    r.client
        .assert_artifact(&AssertArtifact::new(fp()).policies(["p1", "p2", "p3"]))
        .await
        .unwrap();
    r.check();
    let r = Run::new("assert_rich");
    let v = r
        .client
        .assert_artifact(&AssertArtifact::new(fp()).environment("prod"))
        .await
        .unwrap();
    assert_eq!(v.reasons().len(), 4, "{:?}", v.reasons());
    assert_eq!(
        v.reasons()[0],
        "policy prod-policy: rule has-provenance (provenance) is not satisfied"
    );
    r.check();
    // A dry-run client still asks (a read).
    let r = Run::with_config("assert_dry_run", |b| b.dry_run(true));
    assert!(
        r.client
            .assert_artifact(&AssertArtifact::new(fp()))
            .await
            .unwrap()
            .compliant
    );
    r.check();
}

#[tokio::test]
async fn get_artifact_by_fingerprint() {
    let r = Run::new("get_artifact_by_fingerprint");
    let a = r.client.get_artifact("demo-flow", FP, None).await.unwrap();
    assert_eq!(
        (a.filename.as_str(), a.trail_name.as_deref()),
        ("app.bin", Some("trail-1"))
    );
    assert_eq!(a.running[0].environment_name, "prod");
    assert_eq!(a.history[0].timestamp, 1718000000.0);
    r.check();
}

#[tokio::test]
async fn get_artifacts_by_commit() {
    let r = Run::new("get_artifact_commit");
    let list = r
        .client
        .get_artifacts_by_commit(
            "demo-flow",
            "0fc1ba9876f91b215679f3649b8668085d820ab5",
            Some("trail-1"),
        )
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    r.check();
    let r = Run::new("get_artifact_commit_multi");
    let get = GetArtifact::new("demo-flow:0fc1ba9".parse::<ArtifactSelector>().unwrap());
    let list = r.client.get_artifacts(&get).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].exited[0].snapshot_index, 1);
    assert_eq!(list[1].trail_name.as_deref(), Some("t2"));
    r.check();
    let r = Run::new("get_artifact_short_trail_json");
    let get = GetArtifact::new("demo-flow@bd81e".parse().unwrap()).trail("trail 1");
    assert_eq!(r.client.get_artifacts(&get).await.unwrap().len(), 1);
    r.check();
}

#[tokio::test]
async fn list_artifacts() {
    let r = Run::new("list_artifacts");
    let page = r
        .client
        .list_artifacts(&ListArtifacts::flow("demo-flow"))
        .await
        .unwrap();
    assert_eq!(page.artifacts.len(), 1);
    assert!(page.next.is_none(), "a page that is not full is the last");
    r.check();
    let r = Run::new("list_artifacts_repo_paged");
    let page = r
        .client
        .list_artifacts(&ListArtifacts::repo("acme/app").page(2).per_page(5))
        .await
        .unwrap();
    assert_eq!(page.artifacts.len(), 2);
    r.check();
    let r = Run::new("list_artifacts_everything");
    r.client
        .list_artifacts(&ListArtifacts::new())
        .await
        .unwrap();
    r.check();
}

#[tokio::test]
async fn list_all_artifacts_reads_page_after_page() {
    // fake-kosli's own data this time: 12 artifacts, pages of 5 -> pages 1, 2 and 3 (2 left).
    let fake = FakeKosli::start().unwrap();
    let artifacts: Vec<_> = (0..12)
        .map(|i| {
            json!({"flow_name": "f", "fingerprint": format!("{i:064x}"), "filename": format!("a{i}"),
                   "trail_name": "t", "git_commit": "0fc1ba9876f91b215679f3649b8668085d820ab5", "created_at": 1718000000.0 + f64::from(i)})
        })
        .collect();
    fake.seed(&json!({"org": "acme", "flows": [{"name": "f"}], "artifacts": artifacts}))
        .unwrap();
    let client = Client::new(
        Config::builder()
            .host(fake.url())
            .api_token("t")
            .org("acme")
            .build()
            .unwrap(),
    )
    .unwrap();
    let all = client
        .list_all_artifacts(&ListArtifacts::flow("f").per_page(5))
        .await
        .unwrap();
    assert_eq!(all.len(), 12);
    let targets: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| r["raw_target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        targets,
        [1, 2, 3].map(|p| format!("/api/v2/artifacts/acme?flow_name=f&page={p}&per_page=5"))
    );
}

#[test]
fn the_blocking_client_has_the_same_operations() {
    let case = Case::load("get_environment");
    let fake = FakeKosli::start().unwrap();
    case.replay_answers(&fake);
    let client = kosli_core::blocking::Client::new(
        Config::builder()
            .host(fake.url())
            .api_token("secret-token-123")
            .org("acme")
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(client.get_environment("prod-k8s").unwrap().name, "prod-k8s");
    let fix = FixDir::new(&case);
    assert_requests(&case, &fix, &fake.url(), &fake.requests());
    // And a write, an assert and a list on fake-kosli's own data.
    fake.seed(&json!({"org": "acme", "flows": [{"name": "f"}]}))
        .unwrap();
    client
        .create_environment(&CreateEnvironment::new("e1", "server"))
        .unwrap();
    assert_eq!(
        client
            .list_environments(&ListEnvironments::new())
            .unwrap()
            .environments
            .len(),
        1
    );
    let e = client
        .assert_artifact(&AssertArtifact::new(fp()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}
