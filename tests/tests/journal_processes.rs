//! Several processes on one journal folder: two writers (one sending live with the journal on,
//! one recording offline) and a third process flushing at the same time. Every record is
//! delivered exactly once, in order per writer.

use std::process::{Command, Stdio};

use kosli_tests::fake::FakeKosli;
use kosli_tests::journal_load::{applications, check_order, workload};

const WRITER: &str = env!("CARGO_BIN_EXE_journal-writer");

#[test]
fn two_writers_and_a_flusher_deliver_every_record_once() {
    let fake = FakeKosli::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dir_s = dir.path().to_str().unwrap();
    let stop = dir.path().join("stop-flushing");
    let spawn = |args: &[&str]| {
        Command::new(WRITER)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap()
    };
    let flusher = spawn(&[dir_s, "flush", stop.to_str().unwrap(), &fake.url()]);
    // Two orgs, so that A's flows do not wait behind B's (creating a flow is org-wide).
    let online = spawn(&[dir_s, "online", "A", "300", &fake.url(), "org-a"]);
    let offline = spawn(&[dir_s, "offline", "B", "300", "-", "org-b"]);
    let online = online.wait_with_output().unwrap();
    let offline = offline.wait_with_output().unwrap();
    assert!(online.status.success() && offline.status.success());
    std::fs::write(&stop, "").unwrap();
    let flushed = flusher.wait_with_output().unwrap();
    assert!(flushed.status.success());
    let text = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let (a, b, f) = (text(&online), text(&offline), text(&flushed));
    assert_eq!(a.lines().count(), 300);
    assert_eq!(b.lines().count(), 300);
    let applied = applications(&fake.requests());
    for prefix in ["A", "B"] {
        let items = workload(prefix, 300);
        let duplicates = check_order(&items, &applied).unwrap();
        assert_eq!(duplicates, 0, "{prefix}");
    }
    // Both kinds of delivery happened at once: live sends by A, flushes of B (and of any of
    // A's writes that were queued).
    let sent_live = a.lines().filter(|l| l.ends_with(" sent")).count();
    assert!(sent_live > 0, "{a}");
    let flushed_n: usize = f.trim().strip_prefix("flushed ").unwrap().parse().unwrap();
    assert_eq!(sent_live + flushed_n, 600, "{f}");
    let status = kosli_core::journal::Journal::open(dir.path())
        .unwrap()
        .status()
        .unwrap();
    assert_eq!(status.pending, 0);
}
