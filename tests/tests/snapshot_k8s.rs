//! `snapshot k8s` through the SDK against the fake Kubernetes API (TLS, bearer token) and
//! fake-kosli: the captured CLI runs (tests/fixtures/snapshots_runtime) must give the same API
//! calls (as a multiset: per-namespace lists run concurrently), the same payload (pods as a
//! set: the CLI's order is not stable), the same scanned namespaces and warnings.

use std::collections::BTreeMap;

use kosli_core::ops::environments::CreateEnvironment;
use kosli_core::snapshot::k8s::{K8sCluster, K8sEnvironments, NamespaceSelector};
use kosli_core::snapshot::{Collector, K8sOptions, ReportOptions, Snapshot};
use kosli_core::{Config, ErrorKind};
use kosli_tests::fake::FakeKosli;
use kosli_tests::fake_kube::FakeKube;
use serde_json::Value;

const TOKEN: &str = "kube-token-abc";

fn fixture(name: &str) -> Value {
    let p = kosli_tests::fixtures_dir()
        .join("snapshots_runtime")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn capture(name: &str) -> Value {
    fixture("captures.json")[name].clone()
}

/// Sorted (method, target, Authorization).
fn kube_calls(list: &[Value]) -> Vec<(String, String, Option<String>)> {
    let mut v: Vec<_> = list
        .iter()
        .map(|r| {
            let auth = r["authorization"].as_str().map(str::to_string).or_else(|| {
                r["headers"].as_array().and_then(|h| {
                    h.iter()
                        .find(|kv| {
                            kv[0]
                                .as_str()
                                .unwrap()
                                .eq_ignore_ascii_case("authorization")
                        })
                        .map(|kv| kv[1].as_str().unwrap().to_string())
                })
            });
            (
                r["method"].as_str().unwrap().to_string(),
                r["target"].as_str().unwrap().to_string(),
                auth,
            )
        })
        .collect();
    v.sort();
    v
}

/// Per PUT: path and the payload's artifacts keyed by pod name.
fn reports(list: &[Value]) -> Vec<(String, BTreeMap<String, Value>)> {
    list.iter()
        .filter(|r| r["method"] == "PUT")
        .map(|r| {
            let text = r["body"]
                .as_str()
                .or_else(|| r["body"]["text"].as_str())
                .unwrap();
            let body: Value = serde_json::from_str(text).unwrap();
            let pods = body["artifacts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| (a["podName"].as_str().unwrap().to_string(), a.clone()))
                .collect();
            (r["path"].as_str().unwrap().to_string(), pods)
        })
        .collect()
}

struct Setup {
    kube: FakeKube,
    kosli: FakeKosli,
    _dir: tempfile::TempDir,
    kubeconfig: std::path::PathBuf,
}

fn setup(state: &str, envs: &[&str]) -> Setup {
    let kube = FakeKube::start(fixture("kube_states.json")[state].clone(), Some(TOKEN)).unwrap();
    let kosli = FakeKosli::start().unwrap();
    let c = client(&kosli);
    for e in envs {
        c.create_environment(&CreateEnvironment::new(*e, "K8S"))
            .unwrap();
    }
    kosli.clear_requests();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, kube.kubeconfig(TOKEN)).unwrap();
    Setup {
        kube,
        kosli,
        _dir: dir,
        kubeconfig,
    }
}

fn client(fake: &FakeKosli) -> kosli_core::blocking::Client {
    kosli_core::blocking::Client::new(
        Config::builder()
            .host(fake.url())
            .api_token("secret-token-123")
            .org("acme")
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn check(scenario: &str, state: &str, selector: NamespaceSelector) {
    let s = setup(state, &["prod-k8s"]);
    let snapshot = Collector::K8s(K8sOptions {
        kubeconfig: Some(s.kubeconfig.clone()),
        selector,
    })
    .collect_blocking("prod-k8s")
    .unwrap();
    client(&s.kosli)
        .report_snapshot(&snapshot, &ReportOptions::new())
        .unwrap();
    let want = capture(scenario);
    assert_eq!(
        kube_calls(&s.kube.requests()),
        kube_calls(want["runtime_requests"].as_array().unwrap()),
        "{scenario}: API calls"
    );
    assert_eq!(
        reports(&s.kosli.requests()),
        reports(want["kosli_requests"].as_array().unwrap()),
        "{scenario}: reports"
    );
    let Snapshot::K8s(k) = snapshot else {
        panic!("not a k8s snapshot")
    };
    let mut out = String::new();
    if let Some(ns) = &k.namespaces {
        out.push_str(&format!(
            "scanning the following namespaces: [{}] \n",
            ns.join(" ")
        ));
    }
    out.push_str(&format!(
        "[{}] pods were reported to environment prod-k8s\n",
        k.artifacts.len()
    ));
    assert_eq!(out, want["stdout"].as_str().unwrap(), "{scenario}: stdout");
    let warnings: String = k
        .skipped
        .iter()
        .map(|p| format!("[warning] {}\n", p.message()))
        .collect();
    let mut got: Vec<&str> = warnings.lines().collect();
    let mut wanted: Vec<&str> = want["stderr"].as_str().unwrap().lines().collect();
    got.sort_unstable();
    wanted.sort_unstable();
    assert_eq!(got, wanted, "{scenario}: warnings");
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn whole_cluster() {
    check("snapshot_k8s_cluster", "cluster", NamespaceSelector::all());
}

#[test]
fn listed_namespaces() {
    check(
        "snapshot_k8s_namespaces",
        "cluster",
        NamespaceSelector::namespaces(["prod", "staging"]),
    );
}

#[test]
fn excluded_namespaces() {
    let selector = NamespaceSelector {
        exclude_namespaces: strings(&["kube-system", "default"]),
        ..Default::default()
    };
    check("snapshot_k8s_exclude", "cluster", selector);
}

#[test]
fn namespace_regexes() {
    let include = NamespaceSelector {
        namespaces_regex: strings(&["^pr"]),
        ..Default::default()
    };
    check("snapshot_k8s_namespaces_regex", "cluster", include);
    let exclude = NamespaceSelector {
        exclude_namespaces_regex: strings(&["^kube-", "^default$"]),
        ..Default::default()
    };
    check("snapshot_k8s_exclude_regex", "cluster", exclude);
}

#[test]
fn running_pod_without_image_id_is_skipped_with_a_warning() {
    check(
        "snapshot_k8s_running_pod_without_imageid",
        "with_starting_pod",
        NamespaceSelector::namespaces(["staging"]),
    );
}

#[test]
fn a_wrong_token_is_the_clis_error() {
    let s = setup("cluster", &[]);
    std::fs::write(&s.kubeconfig, s.kube.kubeconfig("wrong-token")).unwrap();
    let e = Collector::K8s(K8sOptions {
        kubeconfig: Some(s.kubeconfig.clone()),
        selector: NamespaceSelector::all(),
    })
    .collect_blocking("prod-k8s")
    .unwrap_err();
    let want = capture("snapshot_k8s_bad_token");
    assert_eq!(
        format!("Error: [kosli snapshot k8s] {e}\n"),
        want["stderr"].as_str().unwrap()
    );
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(
        kube_calls(&s.kube.requests()),
        kube_calls(want["runtime_requests"].as_array().unwrap())
    );
    assert!(s.kosli.requests().is_empty());
}

#[test]
fn the_config_file_reports_each_environment_in_order() {
    let s = setup("cluster", &["prod-env", "staging-env", "infra-env"]);
    let files = fixture("k8s_config_files.json");
    let envs = K8sEnvironments::parse(files["k8s-multi.yaml"].as_str().unwrap(), None).unwrap();
    let cluster = K8sCluster::connect(Some(&s.kubeconfig)).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut stdout = String::new();
    for env in &envs.environments {
        let snap = rt
            .block_on(cluster.snapshot(env.name.as_str(), &env.selector))
            .unwrap();
        stdout.push_str(&format!(
            "scanning the following namespaces: [{}] \n[{}] pods were reported to environment {}\n",
            snap.namespaces.clone().unwrap_or_default().join(" "),
            snap.artifacts.len(),
            env.name
        ));
        client(&s.kosli)
            .report_snapshot(&Snapshot::K8s(snap), &ReportOptions::new())
            .unwrap();
    }
    let want = capture("snapshot_k8s_config_file_testdata");
    assert_eq!(stdout, want["stdout"].as_str().unwrap());
    assert_eq!(
        reports(&s.kosli.requests()),
        reports(want["kosli_requests"].as_array().unwrap())
    );
    assert_eq!(
        kube_calls(&s.kube.requests()),
        kube_calls(want["runtime_requests"].as_array().unwrap())
    );
}

#[test]
fn config_file_errors_are_the_clis() {
    let files = fixture("k8s_config_files.json");
    for (file, scenario) in [
        ("k8s-conflicting-filters.yaml", "conflicting-filters"),
        ("k8s-duplicate-names.yaml", "duplicate-names"),
        ("k8s-empty-environments.yaml", "empty-environments"),
        ("k8s-invalid-regex.yaml", "invalid-regex"),
        ("k8s-missing-name.yaml", "missing-name"),
    ] {
        let e = K8sEnvironments::parse(files[file].as_str().unwrap(), None).unwrap_err();
        let want = capture(&format!("snapshot_k8s_config_file_{scenario}"));
        assert_eq!(
            format!("Error: [kosli snapshot k8s] {e}\n"),
            want["stderr"].as_str().unwrap(),
            "{file}"
        );
    }
    let e =
        K8sEnvironments::parse(files["k8s-invalid-yaml.yaml"].as_str().unwrap(), None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parse);
    assert!(
        e.to_string()
            .starts_with("failed to parse config file: yaml: line "),
        "{e}"
    );
}
