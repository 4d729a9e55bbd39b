//! The `kosli` example, as a separate process, run with the arguments of every CLI case of
//! environments, snapshots, allow/assert artifact and artifact reads
//! (tests/fixtures/ops/env/cases) against fake-kosli answering as the CLI's server did: the
//! same requests (method, target, `Authorization`, content type, JSON), the same stdout and
//! stderr, the same exit code. Relative times ("2 years ago") depend on today and are compared
//! as such, not as text.

mod env_common;

use std::path::PathBuf;
use std::process::Command;

use env_common::{assert_requests, Case, FixDir};
use kosli_tests::fake::FakeKosli;

/// The `kosli` example binary, built once.
fn kosli() -> PathBuf {
    kosli_tests::example_binary("kosli")
}

/// `text` with the relative part of every `<date> • <relative>` replaced.
fn without_relative_times(text: &str) -> String {
    text.lines()
        .map(|l| match l.find(" \u{2022} ") {
            Some(i) => format!("{} \u{2022} <relative>", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
}

/// Runs one case; returns what differs from the CLI (empty: nothing).
fn run_case(name: &str) -> Vec<String> {
    let case = Case::load(name);
    let fake = FakeKosli::start().unwrap();
    case.replay_answers(&fake);
    let fix = FixDir::new(&case);
    let host = fake.url();
    let mut cmd = Command::new(kosli());
    cmd.env_clear()
        .env("HOME", fix.path().join("home"))
        .env("PATH", "/usr/bin:/bin")
        .current_dir(fix.path().join("repo"))
        .args(case.args.iter().map(|a| fix.fill(a, &host)));
    for (k, v) in &case.env {
        cmd.env(k, fix.fill(v, &host));
    }
    let out = cmd.output().unwrap();
    let mut diffs = Vec::new();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want_stdout = without_relative_times(&fix.fill(&case.stdout, &host));
    if without_relative_times(&stdout) != want_stdout {
        diffs.push(format!(
            "{name}: stdout\n--- got\n{stdout}\n--- want\n{want_stdout}"
        ));
    }
    let want_stderr = fix.fill(&case.stderr, &host);
    if stderr != want_stderr {
        diffs.push(format!(
            "{name}: stderr\n--- got\n{stderr}\n--- want\n{want_stderr}"
        ));
    }
    if out.status.code() != Some(case.exit_code) {
        diffs.push(format!(
            "{name}: exit code {:?}, the CLI's {}",
            out.status.code(),
            case.exit_code
        ));
    }
    let got = fake.requests();
    if let Err(e) = std::panic::catch_unwind(|| assert_requests(&case, &fix, &host, &got)) {
        let text = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        diffs.push(format!("{name}: requests: {text}"));
    }
    diffs
}

#[test]
fn every_case_runs_as_with_the_cli() {
    let names = Case::all_names();
    assert!(names.len() >= 100, "only {} cases", names.len());
    let diffs: Vec<String> = names.iter().flat_map(|n| run_case(n)).collect();
    assert!(
        diffs.is_empty(),
        "{} difference(s):\n\n{}",
        diffs.len(),
        diffs.join("\n\n")
    );
}

#[test]
fn the_shared_captures_are_among_the_cases() {
    let names = Case::all_names();
    for shared in [
        "allow_artifact",
        "assert_artifact_compliant",
        "assert_artifact_non_compliant",
        "assert_artifact_not_found",
        "create_env_k8s",
        "create_env_logical",
        "dryrun_create_env",
        "get_artifact_by_fingerprint",
        "list_artifacts",
        "snapshot_path",
        "snapshot_paths",
        "config_env_vars",
        "error_400_message_and_errors",
        "get_environment",
        "list_environments",
        "list_environments_filters",
        "list_environments_paged",
    ] {
        assert!(names.iter().any(|n| n == shared), "{shared} is missing");
    }
}

#[test]
fn relative_times_are_masked_only_after_the_bullet() {
    assert_eq!(
        without_relative_times(
            "Created on:  Mon, 10 Jun 2024 06:13:20 UTC \u{2022} 2 years ago\nState: x\n"
        ),
        "Created on:  Mon, 10 Jun 2024 06:13:20 UTC \u{2022} <relative>\nState: x\n"
    );
}

/// Runs the example with `args` (and a temporary `HOME`) and returns stdout, stderr and the
/// exit code.
fn run_example(args: &[&str]) -> (String, String, Option<i32>) {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(kosli())
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// The shared capture `multihost_ok` (tests/fixtures/client/captures): the same create on
/// both hosts, each with its own token, the primary's output only.
#[test]
fn multihost_ok() {
    let (a, b) = (FakeKosli::start().unwrap(), FakeKosli::start().unwrap());
    let hosts = format!("{},{}", a.url(), b.url());
    let (stdout, stderr, code) = run_example(&[
        "create",
        "environment",
        "prod-k8s",
        "--type",
        "K8S",
        "--host",
        &hosts,
        "--api-token",
        "tok-primary,tok-secondary",
        "--org",
        "acme",
    ]);
    assert_eq!(
        (stdout.as_str(), stderr.as_str(), code),
        ("environment prod-k8s was created\n", "", Some(0))
    );
    for (fake, token) in [(&a, "Bearer tok-primary"), (&b, "Bearer tok-secondary")] {
        let got = fake.requests();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["raw_target"], "/api/v2/environments/acme");
        assert_eq!(env_common::header(&got[0], "Authorization"), Some(token));
        assert_eq!(
            got[0]["body"]["text"],
            r#"{"name":"prod-k8s","type":"K8S","description":""}"#
        );
    }
}

/// The shared capture `retry_503_twice_then_ok`: two 503s, then success; the same body each
/// time, waits of 1 s and 2 s (measured here as at least 3 s in all).
#[test]
fn retry_503_twice_then_ok() {
    let fake = FakeKosli::start().unwrap();
    fake.push_faults(vec![kosli_tests::fake::Fault::status(503)
        .method("PUT")
        .body(serde_json::json!({"message": "unavailable"}))
        .times(2)])
        .unwrap();
    let started = std::time::Instant::now();
    let (stdout, _, code) = run_example(&[
        "create",
        "environment",
        "prod-k8s",
        "--type",
        "K8S",
        "--host",
        &fake.url(),
        "--api-token",
        "secret-token-123",
        "--org",
        "acme",
    ]);
    assert!(started.elapsed() >= std::time::Duration::from_secs(3));
    assert_eq!(
        (stdout.as_str(), code),
        ("environment prod-k8s was created\n", Some(0))
    );
    let got = fake.requests();
    assert_eq!(got.len(), 3);
    assert!(got
        .iter()
        .all(|g| g["body"]["text"] == got[0]["body"]["text"]));
}

/// The shared capture `config_file`: org, token and host from `--config-file`, and the two
/// warnings about a token kept as plain text.
#[test]
fn config_file() {
    let fake = FakeKosli::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kosli-config.yml");
    std::fs::write(
        &file,
        format!(
            "org: acme-from-config\napi-token: token-from-config\nhost: {}\n",
            fake.url()
        ),
    )
    .unwrap();
    let (stdout, stderr, code) = run_example(&[
        "create",
        "environment",
        "prod-k8s",
        "--type",
        "K8S",
        "--config-file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        (stdout.as_str(), code),
        ("environment prod-k8s was created\n", Some(0))
    );
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(warnings[0].starts_with(&format!(
        "[warning] failed to decrypt api token from [{}]",
        file.display()
    )));
    assert!(warnings[1].starts_with(&format!(
        "[warning] using api token from [{}] as plain text",
        file.display()
    )));
    let got = fake.requests();
    assert_eq!(
        got[0]["raw_target"],
        "/api/v2/environments/acme-from-config"
    );
    assert_eq!(
        env_common::header(&got[0], "Authorization"),
        Some("Bearer token-from-config")
    );
}
