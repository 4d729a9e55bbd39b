//! The `kosli` example, as a separate process, run with the arguments and environment of every
//! docker/k8s snapshot and image fingerprint run of the official CLI in
//! tests/fixtures/snapshots_runtime/example_cases.json (the shared captures-2 and runs observed
//! against the contract's fakes), against fake-kosli answering as the CLI's server did, the
//! fake Docker Engine, the fake Kubernetes API (TLS, bearer token) and the test registry: the
//! same Kosli requests (method, target, `Authorization`, content type, JSON), the same Engine,
//! API server and registry requests, the same stdout and stderr, the same exit code.
//!
//! Compared as sets, because the CLI's order is not stable: the pods of a k8s report (also in
//! a dry-run's printed payload), the k8s warnings, the per-namespace pod lists. With `--debug`
//! the example prints the SDK's tracing log instead of the CLI's debug lines and payload
//! block (a documented difference): stdout is compared without that block, stderr only for
//! the absence of errors.

mod provenance_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use kosli_tests::fake::{FakeKosli, Fault};
use kosli_tests::fake_docker::FakeDocker;
use kosli_tests::fake_kube::FakeKube;
use kosli_tests::registry::{Registry, PASSWORD, USER};
use serde_json::Value;

const KUBE_TOKEN: &str = "kube-token-abc";

fn dir() -> PathBuf {
    kosli_tests::fixtures_dir().join("snapshots_runtime")
}

fn fixture(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join(name)).unwrap()).unwrap()
}

fn cases() -> BTreeMap<String, Value> {
    serde_json::from_value(fixture("example_cases.json")).unwrap()
}

/// The folder a case runs in, laid out as make_example_cases.py laid it out for the CLI.
struct Fixture {
    dir: tempfile::TempDir,
    registry: Option<String>,
    auth_registry: Option<String>,
}

impl Fixture {
    fn new(kube_url: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in [
            "fix",
            "home",
            "home-kube/.kube",
            "home-kube-bad/.kube",
            "home-insecure",
            "home-auth",
        ] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        captures2_repo(&root.join("repo"));
        let kubeconfig = |token: &str| kube_config(kube_url, token);
        let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        write("fix/kubeconfig", &kubeconfig(KUBE_TOKEN));
        write("fix/kubeconfig-badtoken", &kubeconfig("wrong-token"));
        write("home-kube/.kube/config", &kubeconfig(KUBE_TOKEN));
        write("home-kube-bad/.kube/config", &kubeconfig("wrong-token"));
        for (name, text) in fixture("k8s_config_files.json").as_object().unwrap() {
            write(&format!("fix/{name}"), text.as_str().unwrap());
        }
        Fixture {
            dir,
            registry: None,
            auth_registry: None,
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Points the homes at the registries: `home-insecure` marks the plain one insecure
    /// (`registries.conf`), `home-auth` also holds its credentials (`.docker/config.json`);
    /// `registries-envvar.conf` (for `CONTAINERS_REGISTRIES_CONF`, which the CLI ignores)
    /// marks the plain one too.
    fn registries(&mut self, plain: Option<String>, auth: Option<String>) {
        let root = self.root().to_path_buf();
        let conf = |hosts: &[&String]| -> String {
            hosts
                .iter()
                .map(|h| format!("[[registry]]\nlocation = \"{h}\"\ninsecure = true\n"))
                .collect()
        };
        let hosts: Vec<&String> = plain.iter().chain(auth.iter()).collect();
        for home in ["home-insecure", "home-auth"] {
            let d = root.join(home).join(".config/containers");
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("registries.conf"), conf(&hosts)).unwrap();
        }
        std::fs::write(
            root.join("registries-envvar.conf"),
            conf(&plain.iter().collect::<Vec<_>>()),
        )
        .unwrap();
        if let Some(a) = &auth {
            use base64::Engine as _;
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
            let d = root.join("home-auth/.docker");
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(
                d.join("config.json"),
                serde_json::json!({"auths": {a: {"auth": token}}}).to_string(),
            )
            .unwrap();
        }
        self.registry = plain;
        self.auth_registry = auth;
    }

    /// `text` with `$FIXDIR`, `$HOST` and the registries filled in.
    fn fill(&self, text: &str, host: &str) -> String {
        let mut t = text
            .replace("$FIXDIR", self.root().to_str().unwrap())
            .replace("$HOST", host);
        if let Some(r) = &self.auth_registry {
            t = t.replace("$AUTH_REGISTRY", r);
        }
        if let Some(r) = &self.registry {
            t = t.replace("$REGISTRY", r);
        }
        t
    }
}

/// The repository captures-2 ran in (see tests/fixtures/review/captures/README.md): HEAD
/// `07518e8af157a6e2ee935cdfdd4fb784ffc9eb95`, which `attest artifact` reports.
fn captures2_repo(path: &Path) {
    use provenance_support::git;
    std::fs::create_dir_all(path).unwrap();
    git(path, &["init", "-q", "-b", "main", "."], None);
    git(
        path,
        &["remote", "add", "origin", "git@github.com:acme/app.git"],
        None,
    );
    std::fs::write(path.join("README.md"), "v1\n").unwrap();
    git(path, &["add", "README.md"], None);
    git(
        path,
        &["commit", "-q", "-m", "ABC-123 first commit"],
        Some("2024-06-01T10:00:00Z"),
    );
    std::fs::write(path.join("README.md"), "v1\nv2\n").unwrap();
    git(path, &["add", "README.md"], None);
    let message = [
        "-m",
        "ABC-124 second commit: add feature",
        "-m",
        "Refs NOPE-9",
    ];
    let args: Vec<&str> = ["commit", "-q"].into_iter().chain(message).collect();
    git(path, &args, Some("2024-06-02T11:30:00Z"));
}

/// A kubeconfig for the fake API server at `url` (over TLS: with the tests' CA).
fn kube_config(url: &str, token: &str) -> String {
    use base64::Engine as _;
    let ca = std::fs::read(kosli_tests::fixtures_dir().join("client/tls/ca.pem")).unwrap();
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: fake\nclusters:\n- name: fake\n  cluster:\n    server: {url}\n    certificate-authority-data: {}\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\nusers:\n- name: fake\n  user:\n    token: {token}\n",
        base64::engine::general_purpose::STANDARD.encode(ca)
    )
}

/// What a case runs against; dropped after the case.
enum Runtime {
    None,
    Docker(FakeDocker),
    Kube(FakeKube),
    Registry(#[allow(dead_code, reason = "held so that it runs until the case ends")] Registry),
}

impl Runtime {
    fn requests(&self) -> Vec<Value> {
        match self {
            Runtime::Docker(d) => d.requests(),
            Runtime::Kube(k) => k.requests(),
            // The registry is a real one, without a request log: its side is checked by
            // image_registry.rs and by the digests printed.
            Runtime::Registry(_) | Runtime::None => Vec::new(),
        }
    }
}

fn header<'a>(record: &'a Value, name: &str) -> Option<&'a str> {
    record["headers"]
        .as_array()?
        .iter()
        .find(|h| h[0].as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))
        .and_then(|h| h[1].as_str())
}

/// (method, target, Authorization) of runtime requests, sorted for the k8s API server (its
/// per-namespace lists run concurrently).
fn runtime_calls(list: &[Value], sort: bool) -> Vec<(String, String, Option<String>)> {
    let mut v: Vec<_> = list
        .iter()
        .map(|r| {
            let auth = match r.get("authorization") {
                Some(a) => a.as_str().map(str::to_string),
                None => header(r, "Authorization").map(str::to_string),
            };
            (
                r["method"].as_str().unwrap().to_string(),
                r["target"].as_str().unwrap().to_string(),
                auth,
            )
        })
        .collect();
    if sort {
        v.sort();
    }
    v
}

/// A report's JSON with its k8s pods keyed by name (their order is not the CLI's).
fn canonical(text: &str) -> Option<Value> {
    let mut v: Value = serde_json::from_str(text).ok()?;
    if let Some(list) = v.get_mut("artifacts").and_then(Value::as_array_mut) {
        if list.iter().all(|a| a.get("podName").is_some()) {
            list.sort_by_key(|a| a["podName"].to_string());
        }
    }
    Some(v)
}

/// stdout with each printed dry-run payload replaced by its canonical JSON, and without the
/// CLI's `--debug` payload block.
fn normalized_stdout(text: &str) -> String {
    let mut out = Vec::new();
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line == "############### PAYLOAD ###############\n" {
            // The CLI's --debug block: its two header lines and the indented JSON.
            lines.next();
            lines.next();
            for l in lines.by_ref() {
                if l == "}\n" {
                    break;
                }
            }
            continue;
        }
        out.push(line.to_string());
        if line.starts_with("this is the payload that would be sent") {
            let mut json = String::new();
            for l in lines.by_ref() {
                json.push_str(l);
                if l == "}\n" {
                    break;
                }
            }
            match canonical(&json) {
                Some(v) => out.push(format!("{v}\n")),
                None => out.push(json),
            }
        }
    }
    out.concat()
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text.lines().collect();
    v.sort_unstable();
    v
}

/// Runs one case; returns what differs from the CLI (empty: nothing), or `None` when it was
/// skipped (no docker-registry on this machine).
fn run_case(name: &str, case: &Value) -> Option<Vec<String>> {
    let runtime_spec = case["runtime"].as_str().unwrap();
    let (kind, state) = runtime_spec.split_once(':').unwrap_or((runtime_spec, ""));
    let kube = (kind == "kube").then(|| {
        FakeKube::start(fixture("kube_states.json")[state].clone(), Some(KUBE_TOKEN)).unwrap()
    });
    let kube_url = kube.as_ref().map(FakeKube::url).unwrap_or_default();
    let mut fx = Fixture::new(&kube_url);
    let runtime = match (kind, kube) {
        ("kube", Some(k)) => Runtime::Kube(k),
        ("docker", _) => Runtime::Docker(
            FakeDocker::start_at(
                &fx.root().join("docker.sock"),
                fixture("docker_states.json")[state].clone(),
            )
            .unwrap(),
        ),
        ("registry", _) => {
            let reg = Registry::start(state == "auth")?;
            if state == "auth" {
                fx.registries(None, Some(reg.host()));
            } else {
                fx.registries(Some(reg.host()), None);
            }
            Runtime::Registry(reg)
        }
        _ => Runtime::None,
    };
    let fake = FakeKosli::start().unwrap();
    let faults: Vec<Fault> = case["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let target = r["target"].as_str().unwrap();
            let mut f = Fault::status(r["response"]["status"].as_u64().unwrap() as u16)
                .method(r["method"].as_str().unwrap());
            f.path = Some(target.split('?').next().unwrap().to_string());
            f.raw_body = Some(r["response"]["body_text"].as_str().unwrap().to_string());
            f
        })
        .collect();
    fake.push_faults(faults).unwrap();
    let host = fake.url();
    let args: Vec<String> = case["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| fx.fill(a.as_str().unwrap(), &host))
        .collect();
    let mut cmd = Command::new(kosli_tests::example_binary("kosli"));
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .current_dir(fx.root().join("repo"))
        .args(&args);
    for (k, v) in case["env"].as_object().unwrap() {
        cmd.env(k, fx.fill(v.as_str().unwrap(), &host));
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut diffs = Vec::new();
    let want_stdout = fx.fill(case["stdout"].as_str().unwrap(), &host);
    if normalized_stdout(&stdout) != normalized_stdout(&want_stdout) {
        diffs.push(format!(
            "{name}: stdout\n--- got\n{stdout}--- want\n{want_stdout}"
        ));
    }
    let want_stderr = fx.fill(case["stderr"].as_str().unwrap(), &host);
    let debug = args.iter().any(|a| a == "--debug");
    let stderr_ok = if debug {
        !stderr.contains("Error") && !stderr.contains("[warning]")
    } else if kind == "kube" {
        sorted_lines(&stderr) == sorted_lines(&want_stderr)
    } else {
        stderr == want_stderr
    };
    if !stderr_ok {
        diffs.push(format!(
            "{name}: stderr\n--- got\n{stderr}--- want\n{want_stderr}"
        ));
    }
    if out.status.code() != case["exit_code"].as_i64().map(|c| c as i32) {
        diffs.push(format!(
            "{name}: exit code {:?}, the CLI's {}",
            out.status.code(),
            case["exit_code"]
        ));
    }
    if !matches!(runtime, Runtime::Registry(_)) {
        let got = runtime_calls(&runtime.requests(), kind == "kube");
        let want = runtime_calls(case["runtime_requests"].as_array().unwrap(), kind == "kube");
        if got != want {
            diffs.push(format!(
                "{name}: runtime requests\n got: {got:?}\nwant: {want:?}"
            ));
        }
    }
    diffs.extend(kosli_diffs(name, case, &fake.requests(), &fx, &host));
    Some(diffs)
}

/// The Kosli requests against the CLI's: method, target, `Authorization`, content type and
/// the JSON (a k8s report's pods as a set).
fn kosli_diffs(name: &str, case: &Value, got: &[Value], fx: &Fixture, host: &str) -> Vec<String> {
    let want = case["requests"].as_array().unwrap();
    if got.len() != want.len() {
        return vec![format!(
            "{name}: {} Kosli requests, the CLI sent {}: {:?}",
            got.len(),
            want.len(),
            got.iter().map(|g| &g["raw_target"]).collect::<Vec<_>>()
        )];
    }
    let mut diffs = Vec::new();
    for (g, w) in got.iter().zip(want) {
        let fields = [
            (
                "method",
                g["method"].as_str().map(str::to_string),
                w["method"].as_str().map(str::to_string),
            ),
            (
                "target",
                g["raw_target"].as_str().map(str::to_string),
                w["target"].as_str().map(|t| fx.fill(t, host)),
            ),
            (
                "Authorization",
                header(g, "Authorization").map(str::to_string),
                w["authorization"].as_str().map(str::to_string),
            ),
            (
                "Content-Type",
                header(g, "Content-Type").map(str::to_string),
                w["content_type"].as_str().map(str::to_string),
            ),
        ];
        for (what, a, b) in fields {
            if a != b {
                diffs.push(format!("{name}: {what}: got {a:?}, the CLI's {b:?}"));
            }
        }
        let got_text = g["body"]["text"].as_str().unwrap_or_default();
        let want_text = fx.fill(w["text"].as_str().unwrap_or_default(), host);
        if got_text != want_text
            && (canonical(got_text).is_none() || canonical(got_text) != canonical(&want_text))
        {
            diffs.push(format!("{name}: body\n got: {got_text}\nwant: {want_text}"));
        }
    }
    diffs
}

#[test]
fn every_case_runs_as_with_the_cli() {
    let cases = cases();
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    let mut diffs = Vec::new();
    let mut skipped = Vec::new();
    for (name, case) in &cases {
        match run_case(name, case) {
            Some(d) => diffs.extend(d),
            None => skipped.push(name.as_str()),
        }
    }
    if !skipped.is_empty() {
        eprintln!(
            "\n\n*** SKIPPED (docker-registry is not installed; .ci/run installs it): {} ***\n",
            skipped.join(", ")
        );
    }
    assert!(
        diffs.is_empty(),
        "{} difference(s):\n\n{}",
        diffs.len(),
        diffs.join("\n\n")
    );
}

#[test]
fn every_shared_capture_of_the_area_is_a_case() {
    let cases = cases();
    for shared in [
        "attest_artifact_docker",
        "attest_artifact_oci",
        "fingerprint_docker_repo_digest",
        "fingerprint_oci_auth_docker_config_json",
        "fingerprint_oci_env_registries_conf_ignored",
        "fingerprint_oci_oci_manifest",
        "fingerprint_oci_unknown_tag",
        "snapshot_docker_auto_env_404",
        "snapshot_docker_debug",
        "snapshot_docker_missing_image_and_multi_repo_digests",
        "snapshot_docker_no_daemon",
        "snapshot_k8s_bad_token",
        "snapshot_k8s_cluster",
        "snapshot_k8s_config_file_conflicting-filters",
        "snapshot_k8s_config_file_duplicate-names",
        "snapshot_k8s_config_file_empty-environments",
        "snapshot_k8s_config_file_invalid-regex",
        "snapshot_k8s_config_file_invalid-yaml",
        "snapshot_k8s_config_file_missing-name",
        "snapshot_k8s_config_file_plus_arg",
        "snapshot_k8s_config_file_testdata",
        "snapshot_k8s_dry_run",
        "snapshot_k8s_exclude",
        "snapshot_k8s_exclude_regex",
        "snapshot_k8s_namespaces",
        "snapshot_k8s_namespaces_regex",
        "snapshot_k8s_running_pod_without_imageid",
    ] {
        let case = cases
            .get(shared)
            .unwrap_or_else(|| panic!("{shared} is missing"));
        assert!(
            case["source"].as_str().unwrap().starts_with("contract/"),
            "{shared}"
        );
    }
}

#[test]
fn normalizing_keeps_what_matters() {
    let a = "scanning x \nthis is the payload that would be sent in a real run: \n {\n    \"artifacts\": [{\"podName\": \"b\"}, {\"podName\": \"a\"}]\n}\n[2] pods\n";
    let b = "scanning x \nthis is the payload that would be sent in a real run: \n {\"artifacts\": [{\"podName\": \"a\"}, {\"podName\": \"b\"}]\n}\n[2] pods\n";
    assert_eq!(normalized_stdout(a), normalized_stdout(b));
    let c = b.replace("[2] pods", "[3] pods");
    assert_ne!(normalized_stdout(a), normalized_stdout(&c));
    let debug = "x\n############### PAYLOAD ###############\npayload sent to: PUT u\nthis is the payload being sent: \n {\n  \"a\": 1\n}\n[1] y\n";
    assert_eq!(normalized_stdout(debug), "x\n[1] y\n");
}
