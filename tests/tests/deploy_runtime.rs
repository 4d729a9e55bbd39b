//! The deployment guard with the runtime collectors (`kosli_core::snapshot::Collector::{Docker,
//! K8s}` as `kosli_core::deploy::Collector`) against the fake Docker Engine, the fake
//! Kubernetes API and fake-kosli, through the SDK and through the `kosli` example's `deploy
//! --snapshot docker|k8s`: a failing deploy reports nothing (and asks no runtime); a succeeding
//! one snapshots once (the report of `snapshot docker|k8s`); the wrong image running is caught.

use std::process::Command;

use kosli_core::blocking::Client;
use kosli_core::deploy::{DeployError, Deployment, Mismatch, Verification};
use kosli_core::fingerprint::image::DockerOptions;
use kosli_core::ops::environments::CreateEnvironment;
use kosli_core::snapshot::k8s::NamespaceSelector;
use kosli_core::snapshot::{Collector, K8sOptions};
use kosli_core::{ArtifactRef, ArtifactType, Config, ErrorKind};
use kosli_tests::fake::FakeKosli;
use kosli_tests::fake_docker::FakeDocker;
use kosli_tests::fake_kube::FakeKube;
use serde_json::Value;

const TOKEN: &str = "kube-token";
/// nginx:1.25's repo digest on the fake Engine, and its image ID in the fake cluster.
const NGINX_DOCKER: &str = "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1";
const NGINX_K8S: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn state(file: &str, name: &str) -> Value {
    let p = kosli_tests::fixtures_dir()
        .join("snapshots_runtime")
        .join(file);
    let all: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    all[name].clone()
}

fn client(kosli: &FakeKosli) -> Client {
    Client::new(
        Config::builder()
            .host(kosli.url())
            .api_token("secret-token-123")
            .org("acme")
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn with_environment(kosli: &FakeKosli, name: &str, kind: &str) {
    client(kosli)
        .create_environment(&CreateEnvironment::new(name, kind))
        .unwrap();
    kosli.clear_requests();
}

/// The `PUT .../report/<kind>` requests fake-kosli received.
fn reports(kosli: &FakeKosli, kind: &str) -> Vec<Value> {
    kosli
        .requests()
        .into_iter()
        .filter(|r| {
            r["method"] == "PUT"
                && r["path"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/report/{kind}"))
        })
        .collect()
}

fn body(request: &Value) -> Value {
    let text = request["body"]
        .as_str()
        .or_else(|| request["body"]["text"].as_str())
        .unwrap();
    serde_json::from_str(text).unwrap()
}

fn nginx(fingerprint: &str) -> ArtifactRef {
    ArtifactRef::new(
        "nginx:1.25",
        fingerprint.parse().unwrap(),
        ArtifactType::Docker,
    )
    .unwrap()
}

fn docker() -> (FakeDocker, Collector) {
    let engine = FakeDocker::start(state("docker_states.json", "three_containers")).unwrap();
    let collector = Collector::Docker(DockerOptions::host(engine.docker_host()));
    (engine, collector)
}

struct Cluster {
    kube: FakeKube,
    _dir: tempfile::TempDir,
    kubeconfig: std::path::PathBuf,
}

fn cluster() -> Cluster {
    let kube = FakeKube::start(state("kube_states.json", "cluster"), Some(TOKEN)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, kube.kubeconfig(TOKEN)).unwrap();
    Cluster {
        kube,
        _dir: dir,
        kubeconfig,
    }
}

fn k8s(c: &Cluster, namespaces: &[&str]) -> Collector {
    Collector::K8s(K8sOptions {
        kubeconfig: Some(c.kubeconfig.clone()),
        selector: NamespaceSelector {
            namespaces: namespaces.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    })
}

#[test]
fn docker_a_failing_deploy_reports_nothing_and_asks_no_engine() {
    let (engine, collector) = docker();
    let kosli = FakeKosli::start().unwrap();
    with_environment(&kosli, "prod-docker", "docker");
    let guard = Deployment::new("prod-docker", &nginx(NGINX_DOCKER)).unwrap();
    let e = client(&kosli)
        .deploy(&guard, &collector, || Err::<(), _>("compose failed"))
        .unwrap_err();
    assert!(matches!(e, DeployError::Step("compose failed")), "{e}");
    assert!(kosli.requests().is_empty());
    assert!(engine.requests().is_empty());
}

#[test]
fn docker_a_succeeding_deploy_snapshots_once_with_the_snapshot_docker_report() {
    let (engine, collector) = docker();
    let kosli = FakeKosli::start().unwrap();
    with_environment(&kosli, "prod-docker", "docker");
    let guard = Deployment::new("prod-docker", &nginx(NGINX_DOCKER)).unwrap();
    let mut steps = 0;
    let report = client(&kosli)
        .deploy(&guard, &collector, || {
            steps += 1;
            Ok::<(), String>(())
        })
        .unwrap();
    assert_eq!(steps, 1);
    assert_eq!(report.verification, Verification::Running { instances: 1 });
    let sent = reports(&kosli, "docker");
    assert_eq!(sent.len(), 1, "{:?}", kosli.requests());
    assert_eq!(kosli.requests().len(), 1);
    // The same report as `snapshot docker` of this Engine (the local build is skipped).
    let want = Collector::Docker(DockerOptions::host(engine.docker_host()))
        .collect_blocking("prod-docker")
        .unwrap()
        .request()
        .unwrap();
    let kosli_core::client::Body::Json(want) = want.body() else {
        panic!("not JSON")
    };
    let want: Value = serde_json::from_slice(want).unwrap();
    assert_eq!(body(&sent[0]), want);
    assert_eq!(body(&sent[0])["artifacts"].as_array().unwrap().len(), 2);
    assert!(!engine.requests().is_empty());
}

#[test]
fn docker_the_wrong_image_running_is_caught() {
    let (_engine, collector) = docker();
    let kosli = FakeKosli::start().unwrap();
    with_environment(&kosli, "prod-docker", "docker");
    // Built and attested, but another nginx:1.25 runs.
    let built = nginx(&"f".repeat(64));
    let guard = Deployment::new("prod-docker", &built).unwrap();
    let e = client(&kosli)
        .deploy(&guard, &collector, || Ok::<(), String>(()))
        .unwrap_err();
    let DeployError::NotRunning(report) = e else {
        panic!("{e}")
    };
    assert_eq!(report.verification, Verification::NotRunning);
    let error = report.not_running_error();
    assert_eq!(error.kind(), ErrorKind::PolicyDenied);
    assert!(
        error
            .to_string()
            .contains(&format!("nginx:1.25 (sha256:{NGINX_DOCKER})")),
        "{error}"
    );
    // The snapshot is still reported (it is what runs), once.
    assert_eq!(reports(&kosli, "docker").len(), 1);
    // Warn-only: the deployment returns, saying so.
    let warn = guard.clone().on_mismatch(Mismatch::Warn);
    let report = client(&kosli)
        .deploy(&warn, &collector, || Ok::<(), String>(()))
        .unwrap();
    assert_eq!(report.verification, Verification::NotRunning);
    // The right digest under another name: a warning, not a failure.
    let renamed = ArtifactRef::new(
        "web:1.25",
        NGINX_DOCKER.parse().unwrap(),
        ArtifactType::Docker,
    )
    .unwrap();
    let report = client(&kosli)
        .deploy(
            &Deployment::new("prod-docker", &renamed).unwrap(),
            &collector,
            || Ok::<(), String>(()),
        )
        .unwrap();
    assert_eq!(
        report.verification,
        Verification::RunningAs {
            names: vec!["nginx:1.25".into()],
            instances: 1
        }
    );
}

#[test]
fn k8s_a_failing_deploy_reports_nothing_and_asks_no_cluster() {
    let c = cluster();
    let kosli = FakeKosli::start().unwrap();
    let guard = Deployment::new("prod-k8s", &nginx(NGINX_K8S))
        .unwrap()
        .auto_environment(true);
    let e = client(&kosli)
        .deploy(&guard, &k8s(&c, &[]), || Err::<(), _>(3))
        .unwrap_err();
    assert!(matches!(e, DeployError::Step(3)));
    assert!(kosli.requests().is_empty());
    assert!(c.kube.requests().is_empty());
}

#[test]
fn k8s_a_succeeding_deploy_creates_the_environment_and_snapshots_once() {
    let c = cluster();
    let kosli = FakeKosli::start().unwrap();
    let guard = Deployment::new("prod-k8s", &nginx(NGINX_K8S))
        .unwrap()
        .auto_environment(true)
        .environment_description("production cluster");
    let report = client(&kosli)
        .deploy(&guard, &k8s(&c, &["prod"]), || Ok::<(), String>(()))
        .unwrap();
    assert_eq!(report.verification, Verification::Running { instances: 1 });
    // What runs in prod: nginx and its sidecar in one pod, the api in another.
    assert_eq!(report.running.len(), 3, "{:?}", report.running);
    let sent = reports(&kosli, "K8S");
    assert_eq!(sent.len(), 1, "{:?}", kosli.requests());
    let sent = body(&sent[0]);
    let pods: Vec<&str> = sent["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["podName"].as_str().unwrap())
        .collect();
    assert_eq!(pods, ["web-7d4b9c-abcde", "api-0"]);
    let created: Vec<Value> = kosli
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "PUT" && r["path"] == "/api/v2/environments/acme")
        .collect();
    assert_eq!(created.len(), 1, "{:?}", kosli.requests());
    assert_eq!(body(&created[0])["type"], "K8S");
    assert_eq!(body(&created[0])["description"], "production cluster");
    let targets: Vec<String> = c
        .kube
        .requests()
        .iter()
        .map(|r| r["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(targets, ["/api/v1/namespaces/prod/pods"]);
}

#[test]
fn k8s_the_wrong_image_running_is_caught() {
    let c = cluster();
    let kosli = FakeKosli::start().unwrap();
    with_environment(&kosli, "prod-k8s", "K8S");
    // nginx:1.25 runs with another digest than the one built.
    let guard = Deployment::new("prod-k8s", &nginx(NGINX_DOCKER)).unwrap();
    let e = client(&kosli)
        .deploy(&guard, &k8s(&c, &[]), || Ok::<(), String>(()))
        .unwrap_err();
    let DeployError::NotRunning(report) = e else {
        panic!("{e}")
    };
    assert!(report
        .running
        .iter()
        .any(|r| r.name == "nginx:1.25" && r.fingerprint == NGINX_K8S));
    assert_eq!(report.not_running_error().kind(), ErrorKind::PolicyDenied);
    assert_eq!(reports(&kosli, "K8S").len(), 1);
}

/// Runs `kosli deploy ... -- CMD` with the fakes.
fn example(args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(kosli_tests::example_binary("kosli"));
    cmd.env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn the_example_deploys_with_snapshot_docker() {
    let (engine, _) = docker();
    let kosli = FakeKosli::start().unwrap();
    with_environment(&kosli, "prod-docker", "docker");
    let host = kosli.url();
    let fp = NGINX_DOCKER;
    let base = [
        "deploy",
        "nginx:1.25",
        "-t",
        "docker",
        "-F",
        fp,
        "-e",
        "prod-docker",
        "--snapshot",
        "docker",
        "--host",
        &host,
        "--api-token",
        "t",
        "--org",
        "acme",
        "--",
    ];
    let envs = [("DOCKER_HOST", engine.docker_host())];
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // A failing command: its exit code, nothing reported, the Engine not asked.
    let out = example(&[&base[..], &["sh", "-c", "exit 3"]].concat(), &envs);
    assert_eq!(out.status.code(), Some(3), "{:?}", out);
    assert!(kosli.requests().is_empty());
    assert!(engine.requests().is_empty());
    // A succeeding one: one report.
    let out = example(&[&base[..], &["true"]].concat(), &envs);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{:?}", out);
    assert_eq!(
        stdout,
        "nginx:1.25 was deployed to prod-docker: the artifact runs (1 instance(s))\n"
    );
    assert_eq!(reports(&kosli, "docker").len(), 1);
    // The wrong digest: exit 1, named.
    kosli.clear_requests();
    let wrong = "f".repeat(64);
    let mut args = base.to_vec();
    args[5] = &wrong;
    let out = example(&[&args[..], &["true"]].concat(), &envs);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("Error: [kosli deploy] the deployed artifact nginx:1.25"),
        "{stderr}"
    );
    assert_eq!(reports(&kosli, "docker").len(), 1);
}

#[test]
fn the_example_deploys_with_snapshot_k8s_and_its_flags() {
    let c = cluster();
    let kosli = FakeKosli::start().unwrap();
    let host = kosli.url();
    let kubeconfig = c.kubeconfig.display().to_string();
    let base = [
        "deploy",
        "nginx:1.25",
        "-t",
        "docker",
        "-F",
        NGINX_K8S,
        "-e",
        "prod-k8s",
        "--snapshot",
        "k8s",
        "--kubeconfig",
        &kubeconfig,
        "--namespaces",
        "prod",
        "-A",
        "--environment-description",
        "production cluster",
        "--host",
        &host,
        "--api-token",
        "t",
        "--org",
        "acme",
        "--",
    ];
    let out = example(&[&base[..], &["true"]].concat(), &[]);
    assert_eq!(out.status.code(), Some(0), "{:?}", out);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "nginx:1.25 was deployed to prod-k8s: the artifact runs (1 instance(s))\n"
    );
    assert_eq!(reports(&kosli, "K8S").len(), 1);
    let targets: Vec<Value> = c
        .kube
        .requests()
        .iter()
        .map(|r| r["target"].clone())
        .collect();
    assert_eq!(targets, ["/api/v1/namespaces/prod/pods"]);
    // Include and exclude filters together: refused before the command runs.
    kosli.clear_requests();
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let mut args = base.to_vec();
    args.insert(14, "--exclude-namespaces");
    args.insert(15, "kube-system");
    let out = example(
        &[&args[..], &["touch", marker.to_str().unwrap()]].concat(),
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{:?}", out);
    assert!(!marker.exists(), "the deploy command ran");
    assert!(kosli.requests().is_empty());
}
