//! `snapshot docker` and `--artifact-type docker` through the SDK against the fake Docker
//! Engine and fake-kosli: the captured CLI runs (tests/fixtures/snapshots_runtime) must give
//! the same Engine calls, the same Kosli requests and payloads, and the same skip messages.

use kosli_core::fingerprint::image::{DockerOptions, ImageFingerprinter};
use kosli_core::ops::environments::CreateEnvironment;
use kosli_core::snapshot::{Collector, ReportOptions, Snapshot};
use kosli_core::{ArtifactType, Client, Config, ErrorKind};
use kosli_tests::fake::FakeKosli;
use kosli_tests::fake_docker::FakeDocker;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let p = kosli_tests::fixtures_dir()
        .join("snapshots_runtime")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn capture(name: &str) -> Value {
    fixture("captures.json")[name].clone()
}

/// (method, target) of the Engine calls.
fn engine_calls(list: &[Value]) -> Vec<(String, String)> {
    list.iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_string(),
                r["target"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (method, path, JSON text) of the Kosli requests.
fn kosli_calls(list: &[Value]) -> Vec<(String, String, Option<String>)> {
    list.iter()
        .map(|r| {
            let body = r["body"]
                .as_str()
                .or_else(|| r["body"]["text"].as_str())
                .filter(|b| !b.is_empty())
                .map(str::to_string);
            (
                r["method"].as_str().unwrap().to_string(),
                r["path"].as_str().unwrap().to_string(),
                body,
            )
        })
        .collect()
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

/// Creates `prod-docker` on the fake, then forgets that request.
fn existing_environment(kosli: &FakeKosli) {
    client(kosli)
        .create_environment(&CreateEnvironment::new("prod-docker", "docker"))
        .unwrap();
    kosli.clear_requests();
}

fn run(state: &str, scenario: &str, options: ReportOptions) -> (Snapshot, FakeDocker, FakeKosli) {
    let docker = FakeDocker::start(fixture("docker_states.json")[state].clone()).unwrap();
    let kosli = FakeKosli::start().unwrap();
    if !options.auto_environment {
        existing_environment(&kosli);
    }
    let snapshot = Collector::Docker(DockerOptions::host(docker.docker_host()))
        .collect_blocking("prod-docker")
        .unwrap();
    client(&kosli).report_snapshot(&snapshot, &options).unwrap();
    let want = capture(scenario);
    assert_eq!(
        engine_calls(&docker.requests()),
        engine_calls(want["runtime_requests"].as_array().unwrap()),
        "{scenario}: Engine calls"
    );
    assert_eq!(
        kosli_calls(&kosli.requests()),
        kosli_calls(want["kosli_requests"].as_array().unwrap()),
        "{scenario}: Kosli requests"
    );
    (snapshot, docker, kosli)
}

#[test]
fn snapshot_docker_matches_the_capture() {
    let (snapshot, _, _) = run(
        "three_containers",
        "snapshot_docker_debug",
        ReportOptions::new(),
    );
    let Snapshot::Docker(s) = snapshot else {
        panic!("not a docker snapshot")
    };
    let skipped: Vec<String> = s.skipped.iter().map(|k| k.message()).collect();
    assert_eq!(
        skipped,
        ["ignoring container 'local-build' as it uses an image with no repo digest"]
    );
    assert!(!s.skipped[0].is_warning());
    assert_eq!(s.artifacts.len(), 2);
}

#[test]
fn missing_images_and_several_repo_digests_match_the_capture() {
    let (snapshot, _, _) = run(
        "five_containers",
        "snapshot_docker_missing_image_and_multi_repo_digests",
        ReportOptions::new(),
    );
    let Snapshot::Docker(s) = snapshot else {
        panic!("not a docker snapshot")
    };
    let want = capture("snapshot_docker_missing_image_and_multi_repo_digests");
    let warnings: Vec<String> = s
        .skipped
        .iter()
        .filter(|k| k.is_warning())
        .map(|k| format!("[warning] {}\n", k.message()))
        .collect();
    assert_eq!(warnings.concat(), want["stderr"].as_str().unwrap());
    assert_eq!(s.artifacts.len(), 3);
}

#[test]
fn auto_environment_creates_it_with_the_description() {
    run(
        "three_containers",
        "snapshot_docker_auto_env_404",
        ReportOptions::new()
            .auto_environment(true)
            .environment_description("docker host"),
    );
}

#[test]
fn no_daemon_is_the_clis_error_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.sock");
    let e = Collector::Docker(DockerOptions::host(format!("unix://{}", missing.display())))
        .collect_blocking("prod-docker")
        .unwrap_err();
    let want = capture("snapshot_docker_no_daemon")["stderr"]
        .as_str()
        .unwrap()
        .replace("$FIXDIR", dir.path().to_str().unwrap());
    assert_eq!(format!("Error: [kosli snapshot docker] {e}\n"), want);
    assert_eq!(e.kind(), ErrorKind::Network);
}

#[test]
fn docker_fingerprints_read_the_repo_digest() {
    let docker =
        FakeDocker::start(fixture("docker_states.json")["five_containers"].clone()).unwrap();
    let images = ImageFingerprinter::new().docker(DockerOptions::host(docker.docker_host()));
    let fp = images
        .fingerprint_blocking("nginx:1.25", ArtifactType::Docker)
        .unwrap();
    assert_eq!(
        format!("{fp}\n"),
        capture("fingerprint_docker_repo_digest")["stdout"]
            .as_str()
            .unwrap()
    );
    assert_eq!(
        engine_calls(&docker.requests()),
        engine_calls(
            capture("fingerprint_docker_repo_digest")["runtime_requests"]
                .as_array()
                .unwrap()
        )
    );
    assert_eq!(
        images
            .fingerprint_blocking("acme/tool:2.0", ArtifactType::Docker)
            .unwrap()
            .to_string(),
        "9".repeat(64)
    );
    let e = images
        .fingerprint_blocking("myapp:dev", ArtifactType::Docker)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "repo digest unavailable for the image, has it been pushed to or pulled from a registry?"
    );
    assert_eq!(e.kind(), ErrorKind::Fingerprint);
    let e = images
        .fingerprint_blocking("ghost:1", ArtifactType::Docker)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Error response from daemon: No such image: ghost:1"
    );
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[test]
fn the_async_api_reports_through_snapshot_docker() {
    let docker =
        FakeDocker::start(fixture("docker_states.json")["three_containers"].clone()).unwrap();
    let kosli = FakeKosli::start().unwrap();
    existing_environment(&kosli);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let s = kosli_core::snapshot::DockerSnapshot::collect(
            "prod-docker",
            &DockerOptions::host(docker.docker_host()),
        )
        .await
        .unwrap();
        let c = Client::new(
            Config::builder()
                .host(kosli.url())
                .api_token("secret-token-123")
                .org("acme")
                .build()
                .unwrap(),
        )
        .unwrap();
        c.snapshot_docker(&s, &ReportOptions::new()).await.unwrap();
    });
    let want = capture("snapshot_docker_debug");
    assert_eq!(
        kosli_calls(&kosli.requests()),
        kosli_calls(want["kosli_requests"].as_array().unwrap())
    );
}
