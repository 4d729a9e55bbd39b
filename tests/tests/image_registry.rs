//! `--artifact-type oci` (and `docker` with registry credentials) against a real registry on
//! 127.0.0.1 (Debian's docker-registry, see kosli_tests::registry) holding the four test
//! images: every digest must be the one the official CLI read from the same images
//! (tests/fixtures/images/digests.json), with and without Basic auth.

use kosli_core::fingerprint::image::{ImageFingerprinter, RegistryOptions};
use kosli_core::{ArtifactType, ErrorKind};
use kosli_tests::registry::{Registry, PASSWORD, USER};
use serde_json::Value;

fn expected() -> Value {
    let text =
        std::fs::read_to_string(kosli_tests::fixtures_dir().join("images/digests.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn registry(auth: bool) -> Option<Registry> {
    let r = Registry::start(auth);
    if r.is_none() {
        eprintln!(
            "\n\n*** SKIPPED: docker-registry is not installed (apt-get install docker-registry; .ci/run does) ***\n"
        );
    }
    r
}

fn hex(d: &Value) -> String {
    d.as_str()
        .unwrap()
        .trim_start_matches("sha256:")
        .to_string()
}

fn oci(options: RegistryOptions, name: &str) -> kosli_core::Result<String> {
    ImageFingerprinter::new()
        .registry(options)
        .fingerprint_blocking(name, ArtifactType::Oci)
        .map(|f| f.to_string())
}

#[test]
fn every_pushed_image_has_the_clis_digest() {
    let Some(reg) = registry(false) else { return };
    let want = expected();
    // The pusher built the same bytes the CLI was run against.
    for (name, entry) in want.as_object().unwrap() {
        assert_eq!(reg.pushed[name]["digest"], entry["digest"], "{name}");
    }
    let options = || {
        RegistryOptions::new()
            .insecure_registries([reg.host()])
            .auth_files(Vec::<std::path::PathBuf>::new())
    };
    for (name, entry) in want.as_object().unwrap() {
        let got = oci(options(), &format!("{}/{name}", reg.host())).unwrap();
        assert_eq!(got, hex(&entry["digest"]), "{name}");
    }
    // A platform manifest of the index, by digest: HEAD on /manifests/sha256:...
    let child = &want["test/multi:1.0"]["children"]["amd64"];
    let by_digest = format!("{}/test/multi@{}", reg.host(), child.as_str().unwrap());
    assert_eq!(oci(options(), &by_digest).unwrap(), hex(child));
    // `docker` with credentials takes the registry path (no daemon involved).
    let docker = ImageFingerprinter::new()
        .registry(options().username("any").password("thing"))
        .fingerprint_blocking(
            &format!("{}/test/dlist:1.0", reg.host()),
            ArtifactType::Docker,
        )
        .unwrap();
    assert_eq!(docker.to_string(), hex(&want["test/dlist:1.0"]["digest"]));
}

#[test]
fn registry_errors_read_as_the_clis() {
    let Some(reg) = registry(false) else { return };
    let host = reg.host();
    let options = || RegistryOptions::new().insecure_registries([host.clone()]);
    let e = oci(options(), &format!("{host}/test/oci:9.9")).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("failed to get digest for //{host}/test/oci:9.9: reading digest 9.9 in {host}/test/oci: StatusCode: 404, \"\"")
    );
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // No tag means `latest`, which was never pushed.
    let e = oci(options(), &format!("{host}/test/oci")).unwrap_err();
    assert!(
        e.to_string().ends_with(&format!(
            "reading digest latest in {host}/test/oci: StatusCode: 404, \"\""
        )),
        "{e}"
    );
    // Plain http is refused unless the registry is marked insecure.
    let e = oci(RegistryOptions::new(), &format!("{host}/test/oci:1.0")).unwrap_err();
    assert!(
        e.to_string().starts_with(&format!(
            "failed to get digest for //{host}/test/oci:1.0: pinging container registry {host}: Get \"https://{host}/v2/\": "
        )),
        "{e}"
    );
    assert_eq!(e.kind(), ErrorKind::Network);
    let e = oci(options(), &format!("{host}/Test/UPPER:1.0")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn basic_auth_from_arguments_or_the_docker_config_file() {
    let Some(reg) = registry(true) else { return };
    let host = reg.host();
    let want = hex(&expected()["test/oci:1.0"]["digest"]);
    let name = format!("{host}/test/oci:1.0");
    let base = || {
        RegistryOptions::new()
            .insecure_registries([host.clone()])
            .auth_files(Vec::<std::path::PathBuf>::new())
    };
    assert_eq!(
        oci(base().username(USER).password(PASSWORD), &name).unwrap(),
        want
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        format!(r#"{{"auths":{{"{host}":{{"auth":"cmVndXNlcjpyZWdwYXNz"}}}}}}"#),
    )
    .unwrap();
    let from_file = RegistryOptions::new()
        .insecure_registries([host.clone()])
        .auth_files([config]);
    assert_eq!(oci(from_file, &name).unwrap(), want);
    for options in [base(), base().username(USER).password("wrong")] {
        let e = oci(options, &name).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("failed to get digest for //{name}: reading digest 1.0 in {host}/test/oci: authentication required")
        );
        assert_eq!(e.kind(), ErrorKind::Auth);
    }
}
