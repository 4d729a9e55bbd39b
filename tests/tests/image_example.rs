//! The `kosli` example's `fingerprint --artifact-type oci|docker`: the real registry (insecure
//! through `$HOME/.config/containers/registries.conf`, as the CLI was run) and the fake Docker
//! Engine give the CLI's output.

use std::process::Command;

use kosli_tests::fake_docker::FakeDocker;
use kosli_tests::registry::Registry;
use serde_json::Value;

fn fixture(path: &str) -> Value {
    let text = std::fs::read_to_string(kosli_tests::fixtures_dir().join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn fingerprint_oci_prints_the_clis_digests() {
    let Some(reg) = Registry::start(false) else {
        eprintln!("\n\n*** SKIPPED: docker-registry is not installed ***\n");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let conf = home.path().join(".config/containers");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("registries.conf"),
        format!(
            "[[registry]]\nlocation = \"{}\"\ninsecure = true\n",
            reg.host()
        ),
    )
    .unwrap();
    let want = fixture("images/digests.json");
    for (name, entry) in want.as_object().unwrap() {
        let out = Command::new(kosli_tests::example_binary("kosli"))
            .args(["fingerprint", "--artifact-type", "oci"])
            .arg(format!("{}/{name}", reg.host()))
            .env_clear()
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let digest = entry["digest"]
            .as_str()
            .unwrap()
            .trim_start_matches("sha256:");
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{digest}\n"));
    }
}

#[test]
fn fingerprint_docker_prints_the_repo_digest() {
    let docker = FakeDocker::start(
        fixture("snapshots_runtime/docker_states.json")["three_containers"].clone(),
    )
    .unwrap();
    let want = fixture("snapshots_runtime/captures.json")["fingerprint_docker_repo_digest"].clone();
    let out = Command::new(kosli_tests::example_binary("kosli"))
        .args(["fingerprint", "--artifact-type", "docker", "nginx:1.25"])
        .env_clear()
        .env("DOCKER_HOST", docker.docker_host())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        want["stdout"].as_str().unwrap()
    );
    assert_eq!(out.status.code(), Some(0));
    let out = Command::new(kosli_tests::example_binary("kosli"))
        .args(["fingerprint", "--artifact-type", "docker", "myapp:dev"])
        .env_clear()
        .env("DOCKER_HOST", docker.docker_host())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: [kosli fingerprint] repo digest unavailable for the image, has it been pushed to or pulled from a registry?\n"
    );
    assert_eq!(out.status.code(), Some(1));
}
