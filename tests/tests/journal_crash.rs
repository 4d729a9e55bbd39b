//! Crash safety: a process writing records (and flushing every 20, so compactions happen too)
//! is killed with SIGKILL at random moments, 100 times, on one journal folder. Each time the
//! journal opens cleanly, reads without a corrupt line, and every record the process was told
//! was queued is either still pending or was delivered. At the end a flush delivers every
//! acknowledged record, each attachment checked against its SHA-256 on the way.
#![cfg(unix)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use kosli_core::journal::Journal;
use kosli_core::Config;
use kosli_tests::fake::FakeKosli;
use kosli_tests::journal_load::{applications, workload};

const WRITER: &str = env!("CARGO_BIN_EXE_journal-writer");

#[test]
fn sigkill_at_random_moments_loses_nothing_acknowledged() {
    let fake = FakeKosli::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dir_s = dir.path().to_str().unwrap();
    let mut seed: u64 = 0x00c0_ffee_1234_5678;
    let mut acked: Vec<(String, String)> = Vec::new(); // (marker, outcome)
    let mut killed_mid_run = 0;
    for round in 0..100 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let prefix = format!("c{round}");
        let mut child = Command::new(WRITER)
            .args([dir_s, "crash", &prefix, "400", &fake.url()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        // Wait for the first acknowledgement (the process is writing), then a random moment.
        let first = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        std::thread::sleep(Duration::from_micros(seed % 40_000));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        killed_mid_run += usize::from(!status.success());
        reader.join().unwrap();
        let items = workload(&prefix, 400);
        for line in std::iter::once(first).chain(rx.try_iter()) {
            let mut words = line.split_whitespace();
            assert_eq!(words.next(), Some("ack"), "{line}");
            let i: usize = words.next().unwrap().parse().unwrap();
            let outcome: Vec<&str> = words.collect();
            assert_eq!(outcome[0], "queued", "{line}");
            acked.push((items[i].marker.clone(), outcome[1].to_string()));
        }
        // The journal opens cleanly and holds every acknowledged record not yet delivered.
        let journal = Journal::open(dir.path()).unwrap();
        let status = journal.status().unwrap();
        assert_eq!(status.corrupt_lines, 0, "round {round}");
        let pending: HashSet<&str> = status.records.iter().map(|r| r.id.as_str()).collect();
        let delivered = applications(&fake.requests());
        for (marker, id) in &acked {
            assert!(
                pending.contains(id.as_str()) || delivered.contains_key(marker),
                "round {round}: {marker} (record {id}) was acknowledged and is lost"
            );
        }
    }
    assert!(
        killed_mid_run > 90,
        "{killed_mid_run} of 100 runs were killed while writing"
    );
    // Everything acknowledged can be delivered, attachments intact.
    let client = kosli_core::blocking::Client::new(
        Config::builder()
            .host(fake.url())
            .api_token("t")
            .org("acme")
            .journal_dir(dir.path())
            .build()
            .unwrap(),
    )
    .unwrap();
    let report = client.flush_journal().unwrap();
    let failures: Vec<_> = report
        .hosts
        .iter()
        .flat_map(|h| h.failures.iter())
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
    assert!(report.is_complete(), "{report}");
    let delivered = applications(&fake.requests());
    for (marker, id) in &acked {
        assert!(
            delivered.contains_key(marker),
            "{marker} (record {id}) never arrived"
        );
    }
    println!("{} records acknowledged over 100 kills", acked.len());
}
