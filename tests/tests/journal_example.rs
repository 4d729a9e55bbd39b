//! The `kosli` example's `journal status`, `journal flush` and global `--journal DIR`, as a
//! separate process against fake-kosli: records written offline by the SDK are listed, an
//! unreachable host leaves them pending (exit 1) with its error per host, and a flush with
//! host, token and org delivers them (exit 0).

use std::path::PathBuf;
use std::process::{Command, Output};

use kosli_core::blocking::Client;
use kosli_core::Config;
use kosli_tests::fake::FakeKosli;
use kosli_tests::journal_load::{applications, workload};

/// The `kosli` example binary, built once.
fn kosli() -> PathBuf {
    kosli_tests::example_binary("kosli")
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(kosli());
    cmd.env_clear().env("HOME", home.path()).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn journal_status_and_flush_from_the_example() {
    let fake = FakeKosli::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    // No journal named: a clear error.
    let out = run(&["journal", "status"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "Error: [kosli journal status] no journal: give --journal DIR or set KOSLI_JOURNAL_DIR\n"
    );
    // Four records written offline through the SDK.
    let offline = Client::new(
        Config::builder()
            .journal_dir(dir.path())
            .offline(true)
            .org("acme")
            .build()
            .unwrap(),
    )
    .unwrap();
    let items = workload("x", 4);
    for item in &items {
        offline.write(&item.request).unwrap();
    }
    let out = run(&["journal", "status", "--journal", d], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Pending records:  4\n"), "{stdout}");
    assert!(
        stdout.contains("Not bound yet:    4 (recorded offline)"),
        "{stdout}"
    );
    // An unreachable host: nothing delivered, exit 1, its error per host (KOSLI_JOURNAL_DIR).
    let env = [
        ("KOSLI_JOURNAL_DIR", d),
        ("KOSLI_API_TOKEN", "t"),
        ("KOSLI_ORG", "acme"),
    ];
    let out = run(
        &["journal", "flush", "-H", "http://127.0.0.1:9", "-r", "0"],
        &env,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("0 delivered, 0 superseded, 4 left (stopped:"));
    assert_eq!(
        text(&out.stderr),
        "Error: [kosli journal flush] 4 record(s) left in the journal: see kosli journal status\n"
    );
    let out = run(
        &[
            "journal",
            "status",
            "-o",
            "json",
            "-H",
            "http://127.0.0.1:9",
        ],
        &env,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pending"], 4);
    assert_eq!(v["hosts"][0]["host"], "http://127.0.0.1:9");
    assert!(v["hosts"][0]["last_error"]
        .as_str()
        .unwrap()
        .contains("giving up after 1 attempt(s)"));
    // With the fake: all delivered, in order.
    let out = run(&["journal", "flush", "-H", &fake.url()], &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{}: 4 delivered, 0 superseded, 0 left\n", fake.url())
    );
    let applied = applications(&fake.requests());
    for item in &items {
        assert_eq!(applied[&item.marker].len(), 1, "{}", item.marker);
    }
    let out = run(&["journal", "status", "--journal", d, "-o", "json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pending"], 0);
    // --help names it as the SDK's own.
    let out = run(&["journal", "--help"], &[]);
    assert!(text(&out.stdout).contains("flush"), "{}", text(&out.stdout));
}
