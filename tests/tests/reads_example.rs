//! The `kosli` example, as a separate process, run with the arguments of every CLI case of the
//! environment history reads (tests/fixtures/reads/cases: `get trail`, `list trails`, `get
//! snapshot`, `list snapshots`, `log environment`, `diff snapshots`, the contract's captures-2
//! among them) against fake-kosli answering as the CLI's server did: the same requests, the
//! same stdout and stderr (relative times compared as such), the same exit code.

mod reads_common;

use std::process::Command;

use kosli_tests::fake::FakeKosli;
use reads_common::{assert_requests, without_relative_times, Case};

/// Runs one case; returns what differs from the CLI (empty: nothing).
fn run_case(name: &str) -> Vec<String> {
    let case = Case::load(name);
    let fake = FakeKosli::start().unwrap();
    case.replay_answers(&fake);
    let home = tempfile::tempdir().unwrap();
    let host = fake.url();
    let out = Command::new(kosli_tests::example_binary("kosli"))
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .current_dir(home.path())
        .args(case.args.iter().map(|a| a.replace("$HOST", &host)))
        .output()
        .unwrap();
    let mut diffs = Vec::new();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = without_relative_times(&case.stdout.replace("$HOST", &host));
    if without_relative_times(&stdout) != want {
        diffs.push(format!(
            "{name}: stdout\n--- got\n{stdout}\n--- want\n{want}"
        ));
    }
    if stderr != case.stderr {
        diffs.push(format!(
            "{name}: stderr\n--- got\n{stderr}\n--- want\n{}",
            case.stderr
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
    if let Err(e) = std::panic::catch_unwind(|| assert_requests(&case, &got)) {
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
    assert!(names.len() >= 50, "only {} cases", names.len());
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
        "get_trail_json",
        "list_trails",
        "list_trails_paged",
        "get_snapshot_latest",
        "get_snapshot_at_time",
        "list_snapshots_interval",
        "log_environment_opts",
        "log_environment_times",
        "log_environment_ts",
        "diff_snapshots_json",
        "diff_snapshots_unchanged",
    ] {
        assert!(names.iter().any(|n| n == shared), "{shared} is missing");
        assert!(Case::load(shared)
            .source
            .starts_with("contract/captures-2/"));
    }
}

#[test]
fn relative_times_are_masked_and_their_lines_collapsed() {
    assert_eq!(
        without_relative_times("a  b  2 years ago  3\nStarted:  Mon, 10 Jun 2024 06:13:20 UTC \u{2022} about an hour ago\nx  y\n"),
        "a b <ago> 3\nStarted: Mon, 10 Jun 2024 06:13:20 UTC \u{2022} <ago>\nx  y\n"
    );
    assert_eq!(
        without_relative_times("At:  Mon \u{2022} 2024-06-10\n"),
        "At: Mon \u{2022} <ago>\n"
    );
}
