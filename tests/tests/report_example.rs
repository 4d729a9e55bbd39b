//! `kosli compliance report|audit|adoption` (the `kosli` example as a separate process)
//! against fake-kosli seeded with the week of `kosli_tests::fake::seed_report`: they print the
//! documents of tests/fixtures/report/ (the same ones the SDK test checks number by number),
//! JSON that reads back, and clear errors with exit code 1.

use std::path::PathBuf;
use std::process::{Command, Output};

use kosli_tests::fake::seed_report::{apply, A43, FLOW, T0};
use kosli_tests::fake::FakeKosli;

fn kosli(fake: &FakeKosli, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(kosli_tests::example_binary("kosli"))
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .env("KOSLI_HOST", fake.url())
        .env("KOSLI_API_TOKEN", "secret-token-123")
        .env("KOSLI_ORG", "acme")
        .current_dir(home.path())
        .args(args)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/report")
        .join(name);
    std::fs::read_to_string(&path).unwrap()
}

fn seeded() -> FakeKosli {
    let fake = FakeKosli::start().unwrap();
    fake.with_store(apply);
    fake
}

fn stdout_of(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_three_documents_print_as_the_fixtures() {
    let fake = seeded();
    let week = ["--since", "2024-06-01", "--until", "2024-06-08T00:00:00Z"];
    assert_eq!(
        stdout_of(&kosli(&fake, &["compliance", "report", FLOW])),
        fixture("compliance.md")
    );
    assert_eq!(
        stdout_of(&kosli(&fake, &["compliance", "report", FLOW, "-o", "csv"])),
        fixture("compliance.csv")
    );
    let audit = format!("{FLOW}@{A43}");
    assert_eq!(
        stdout_of(&kosli(&fake, &["compliance", "audit", &audit])),
        fixture("audit.md")
    );
    let mut args = vec!["compliance", "adoption", "--output", "markdown"];
    args.extend(week);
    assert_eq!(stdout_of(&kosli(&fake, &args)), fixture("adoption.md"));
}

#[test]
fn json_reads_back_and_flags_narrow_the_documents() {
    let fake = seeded();
    let out = stdout_of(&kosli(
        &fake,
        &[
            "compliance",
            "report",
            FLOW,
            "-o",
            "json",
            "-e",
            "production",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["environments"], serde_json::json!(["production"]));
    assert_eq!(v["summary"]["running"], 1);
    assert_eq!(
        v["rows"][5]["trail"]["unknown"],
        "the artifact was reported without a trail"
    );
    let since = (T0 + 3.0 * 86_400.0).to_string();
    let out = stdout_of(&kosli(
        &fake,
        &[
            "compliance",
            "adoption",
            "-o",
            "json",
            "--since",
            &since,
            "--until",
            "2024-06-08",
            "--flow",
            FLOW,
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["window"]["since"], T0 + 3.0 * 86_400.0);
    assert_eq!(v["flows"], serde_json::json!([FLOW]));
    // From T0+3d with provenance only in payments-api: 4 of 9 running (web no longer counts).
    assert_eq!(
        (
            v["with_provenance"].as_u64(),
            v["running_artifacts"].as_u64()
        ),
        (Some(4), Some(9))
    );
    assert_eq!(v["drift"]["total"], 8);
}

#[test]
fn bad_input_is_a_clear_error() {
    let fake = seeded();
    for (args, want) in [
        (
            vec!["compliance", "report", FLOW, "-o", "yaml"],
            "Error: [kosli compliance report] unsupported output format: yaml (use json, csv or markdown)\n",
        ),
        (
            vec!["compliance", "audit", "payments-api"],
            "Error: [kosli compliance audit] invalid expression: payments-api. Use FLOW@FINGERPRINT\n",
        ),
        (
            vec!["compliance", "adoption", "--since", "last week"],
            "Error: [kosli compliance adoption] invalid time \"last week\": use Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n",
        ),
        (
            vec!["compliance", "audit", "payments-api@27e38228", "-o", "csv"],
            "Error: [kosli compliance audit] the audit trail has no CSV view: use json or markdown\n",
        ),
        (
            vec!["compliance", "report"],
            "Error: [kosli compliance report] accepts 1 arg(s), received 0\n",
        ),
    ] {
        let out = kosli(&fake, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), want, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = kosli(&fake, &["compliance", "report", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Flow named 'nope' does not exist"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
