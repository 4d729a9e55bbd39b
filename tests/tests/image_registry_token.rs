//! `--artifact-type oci` against a registry with Bearer-token auth (the fake of
//! kosli_tests::registry::token): the `kosli` example makes the requests the official CLI
//! v2.43.1 made against the same fake (tests/fixtures/images/token_flow.json: the ping, the
//! token request with its sorted query and Basic credentials when there are some, the HEAD
//! with the token) and prints the same digest or error; the SDK's errors have the right kind.
//!
//! `KOSLI_CLI=/path/to/kosli cargo test -p kosli-tests --test image_registry_token -- --ignored`
//! checks the fixture against the CLI again (`KOSLI_RECORD=1` rewrites it).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use kosli_core::fingerprint::image::{ImageFingerprinter, RegistryOptions};
use kosli_core::{ArtifactType, ErrorKind};
use kosli_tests::registry::token::{TokenRegistry, PASSWORD, USER};
use serde_json::{json, Value};

const PUBLIC_DIGEST: &str =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const PRIVATE_DIGEST: &str =
    "sha256:2222222222222222222222222222222222222222222222222222222222222222";

fn registry() -> TokenRegistry {
    TokenRegistry::start(BTreeMap::from([
        ("test/public:1.0".to_string(), PUBLIC_DIGEST.to_string()),
        ("test/private:1.0".to_string(), PRIVATE_DIGEST.to_string()),
    ]))
    .unwrap()
}

fn fixture_path() -> std::path::PathBuf {
    kosli_tests::fixtures_dir().join("images/token_flow.json")
}

/// The scenarios: name → arguments after `kosli` (`$REGISTRY` filled in) and whether the home
/// holds the credentials in `.docker/config.json`.
fn scenarios() -> Vec<(&'static str, Vec<String>, bool)> {
    let fp = |image: &str, extra: &[&str]| -> Vec<String> {
        ["fingerprint", "--artifact-type", "oci"]
            .iter()
            .map(|s| s.to_string())
            .chain([format!("$REGISTRY/{image}")])
            .chain(extra.iter().map(|s| s.to_string()))
            .collect()
    };
    vec![
        ("anonymous_public", fp("test/public:1.0", &[]), false),
        (
            "flags_private",
            fp(
                "test/private:1.0",
                &["--registry-username", USER, "--registry-password", PASSWORD],
            ),
            false,
        ),
        ("auth_file_private", fp("test/private:1.0", &[]), true),
        (
            "wrong_password",
            fp(
                "test/private:1.0",
                &["--registry-username", USER, "--registry-password", "nope"],
            ),
            false,
        ),
        ("anonymous_private", fp("test/private:1.0", &[]), false),
        ("unknown_tag", fp("test/public:9.9", &[]), false),
    ]
}

/// A home marking the registry insecure (plain http, as the CLI needs it), with the
/// credentials in `.docker/config.json` when asked.
fn home(dir: &Path, host: &str, credentials: bool) {
    let conf = dir.join(".config/containers");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("registries.conf"),
        format!("[[registry]]\nlocation = \"{host}\"\ninsecure = true\n"),
    )
    .unwrap();
    if credentials {
        use base64::Engine as _;
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
        std::fs::create_dir_all(dir.join(".docker")).unwrap();
        std::fs::write(
            dir.join(".docker/config.json"),
            json!({"auths": {host: {"auth": auth}}}).to_string(),
        )
        .unwrap();
    }
}

/// Runs `program` for each scenario against a fresh fake; returns the record of each:
/// `{stdout, stderr, exit_code, requests: [{method, target, authorization}]}` with the host
/// written `$REGISTRY`.
fn observe(program: &Path) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (name, args, credentials) in scenarios() {
        let reg = registry();
        let host = reg.host();
        let dir = tempfile::tempdir().unwrap();
        home(dir.path(), &host, credentials);
        let run = Command::new(program)
            .env_clear()
            .env("HOME", dir.path())
            .env("PATH", "/usr/bin:/bin")
            .args(args.iter().map(|a| a.replace("$REGISTRY", &host)))
            .output()
            .unwrap();
        let anon = |s: &str| s.replace(&host, "$REGISTRY");
        let requests: Vec<Value> = reg
            .requests()
            .iter()
            .map(|r| {
                let auth = r["headers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|h| h[0].as_str().unwrap().eq_ignore_ascii_case("authorization"))
                    .map(|h| h[1].clone())
                    .unwrap_or(Value::Null);
                json!({"method": r["method"], "target": r["target"], "authorization": auth,
                       "status": r["status"]})
            })
            .collect();
        out.insert(
            name.to_string(),
            json!({
                "args": args,
                "credentials_in_auth_file": credentials,
                "stdout": anon(&String::from_utf8_lossy(&run.stdout)),
                "stderr": anon(&String::from_utf8_lossy(&run.stderr)),
                "exit_code": run.status.code(),
                "requests": requests,
            }),
        );
    }
    out
}

fn fixture() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(fixture_path()).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    serde_json::from_value(v["scenarios"].clone()).unwrap()
}

#[test]
fn the_example_follows_the_token_flow_as_the_cli_does() {
    let want = fixture();
    assert_eq!(want.len(), scenarios().len());
    let got = observe(&kosli_tests::example_binary("kosli"));
    for (name, w) in &want {
        assert_eq!(&got[name], w, "{name}");
    }
    // What the fixture holds is what the protocol needs (not just whatever was recorded).
    let flags = &want["flags_private"]["requests"];
    assert_eq!(flags[0]["target"], "/v2/");
    assert_eq!(flags[0]["status"], 401);
    assert_eq!(
        flags[1]["target"],
        "/token?account=tokuser&scope=repository%3Atest%2Fprivate%3Apull&service=fake-registry"
    );
    assert!(flags[1]["authorization"]
        .as_str()
        .unwrap()
        .starts_with("Basic "));
    assert_eq!(flags[2]["method"], "HEAD");
    assert_eq!(flags[2]["authorization"], "Bearer user-token");
    assert_eq!(
        want["anonymous_public"]["stdout"],
        format!("{}\n", PUBLIC_DIGEST.trim_start_matches("sha256:"))
    );
}

#[test]
fn sdk_errors_have_the_right_kind() {
    let reg = registry();
    let oci = |options: RegistryOptions, image: &str| {
        ImageFingerprinter::new()
            .registry(
                options
                    .insecure_registries([reg.host()])
                    .auth_files(Vec::<std::path::PathBuf>::new()),
            )
            .fingerprint_blocking(&format!("{}/{image}", reg.host()), ArtifactType::Oci)
    };
    let fp = oci(
        RegistryOptions::new().username(USER).password(PASSWORD),
        "test/private:1.0",
    )
    .unwrap();
    assert_eq!(format!("sha256:{fp}"), PRIVATE_DIGEST);
    let e = oci(
        RegistryOptions::new().username(USER).password("nope"),
        "test/private:1.0",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(!format!("{e:?}").contains(PASSWORD));
    let e = oci(RegistryOptions::new(), "test/private:1.0").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    let e = oci(RegistryOptions::new(), "test/public:9.9").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

/// Runs the official CLI against the fake and compares with the fixture (or rewrites it with
/// `KOSLI_RECORD=1`). Needs the CLI: `KOSLI_CLI=/path/to/kosli`.
#[test]
#[ignore = "needs the official CLI (KOSLI_CLI)"]
fn the_fixture_is_what_the_cli_does() {
    let cli = std::env::var("KOSLI_CLI").expect("KOSLI_CLI");
    let got = observe(Path::new(&cli));
    if std::env::var_os("KOSLI_RECORD").is_some() {
        let doc = json!({
            "source": "the official CLI v2.43.1 run against kosli_tests::registry::token (tests/tests/image_registry_token.rs, the_fixture_is_what_the_cli_does)",
            "scenarios": got,
        });
        std::fs::write(
            fixture_path(),
            serde_json::to_string_pretty(&doc).unwrap() + "\n",
        )
        .unwrap();
        return;
    }
    assert_eq!(got, fixture());
}
