//! The `kosli` example's `status` command and global flags against fake-kosli, as a separate
//! process: the CLI's output and exit codes, multi-host errors, the precedence of flags, the
//! environment and the config file, `--debug` (the SDK's log, without the token) and `--quiet`.

use std::path::PathBuf;
use std::process::{Command, Output};

use kosli_tests::fake::{FakeKosli, Fault};

/// The `kosli` example binary, built once.
fn kosli() -> PathBuf {
    kosli_tests::example_binary("kosli")
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(kosli());
    cmd.env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn dead_host() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

#[test]
fn status_prints_the_servers_answer() {
    // Capture status_ready: stdout `"OK"`, exit 0, GET /ready with the bearer token.
    let fake = FakeKosli::start().unwrap();
    let out = run(
        &[
            "status",
            "--host",
            &fake.url(),
            "--api-token",
            "secret-token-123",
            "--org",
            "acme",
        ],
        &[],
    );
    assert_eq!(text(&out.stdout), "\"OK\"\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
    let got = fake.requests();
    assert_eq!(got[0]["path"], "/ready");
    assert!(got[0]["headers"]
        .to_string()
        .contains("Bearer secret-token-123"));
}

#[test]
fn status_of_a_server_that_is_down() {
    let host = dead_host();
    let out = run(&["status", "--host", &host, "-r", "0"], &[]);
    assert_eq!(
        (text(&out.stdout).as_str(), out.status.code()),
        ("Kosli is Down\n", Some(0))
    );
    let out = run(&["status", "--host", &host, "-r", "0", "--assert"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        format!("Error: [kosli status] kosli server {host} is unresponsive\n")
    );
}

#[test]
fn several_hosts_run_the_command_once_each() {
    let fake = FakeKosli::start().unwrap();
    let dead = dead_host();
    let hosts = format!("{},{dead}", fake.url());
    let out = run(
        &[
            "status",
            "--host",
            &hosts,
            "--api-token",
            "a,b",
            "-r",
            "0",
            "--assert",
        ],
        &[],
    );
    // As the CLI: the primary's output, then the failed secondary named, exit 1.
    assert_eq!(text(&out.stdout), "\"OK\"\n");
    assert_eq!(
        text(&out.stderr),
        format!("Error: \n[{dead}]\n[kosli status] kosli server {dead} is unresponsive\n")
    );
    assert_eq!(out.status.code(), Some(1));
    // Two hosts, one token: one URL, which is not one.
    let out = run(&["status", "--host", &hosts, "--api-token", "a"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("invalid port"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn flags_beat_the_environment_which_beats_the_config_file() {
    let (by_flag, by_env, by_file) = (
        FakeKosli::start().unwrap(),
        FakeKosli::start().unwrap(),
        FakeKosli::start().unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kosli.yml");
    std::fs::write(
        &file,
        format!("host: {}\napi-token: file-token\n", by_file.url()),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let out = run(&["status", "--config-file", file], &[]);
    assert_eq!(text(&out.stdout), "\"OK\"\n");
    // The CLI's two warnings for a token read from the file, unless --quiet.
    assert_eq!(
        text(&out.stderr).matches("[warning]").count(),
        2,
        "{}",
        text(&out.stderr)
    );
    assert_eq!(by_file.requests().len(), 1);
    let quiet = run(&["status", "--config-file", file, "--quiet"], &[]);
    assert!(quiet.stderr.is_empty());
    run(
        &["status", "--config-file", file],
        &[("KOSLI_HOST", &by_env.url())],
    );
    assert_eq!(by_env.requests().len(), 1);
    run(
        &["status", "--config-file", file, "--host", &by_flag.url()],
        &[("KOSLI_HOST", &by_env.url())],
    );
    assert_eq!(by_flag.requests().len(), 1);
    // KOSLI_CONFIG_FILE names the file.
    run(&["status"], &[("KOSLI_CONFIG_FILE", file)]);
    assert_eq!(by_file.requests().len(), 3);
    // The token from the file was the one sent.
    assert!(by_file.requests()[0]["headers"]
        .to_string()
        .contains("Bearer file-token"));
}

#[test]
fn bad_settings_read_like_the_cli() {
    let out = run(&["status", "-r", "abc"], &[]);
    assert_eq!(
        text(&out.stderr),
        "Error: [kosli status] invalid argument \"abc\" for \"-r, --max-api-retries\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n"
    );
    let out = run(&["status"], &[("KOSLI_MAX_API_RETRIES", "abc")]);
    assert!(text(&out.stderr).starts_with("Error: [kosli status] failed to set flag '--max-api-retries' from environment variable KOSLI_MAX_API_RETRIES"));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn debug_shows_the_sdk_log_without_the_token() {
    let fake = FakeKosli::start().unwrap();
    fake.push_faults(vec![
        Fault::status(503).body(serde_json::json!({"message": "down"}))
    ])
    .unwrap();
    let out = run(
        &[
            "status",
            "--host",
            &fake.url(),
            "--api-token",
            "secret-token-123",
            "--debug",
            "-r",
            "0",
        ],
        &[],
    );
    let log = text(&out.stderr);
    assert!(log.contains(&format!("GET {}/ready", fake.url())), "{log}");
    assert!(
        log.contains("got status 503") || log.contains("giving up"),
        "{log}"
    );
    assert!(!log.contains("secret-token-123"), "{log}");
    assert_eq!(text(&out.stdout), "Kosli is Down\n");
}
