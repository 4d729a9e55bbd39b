//! The journal against fake-kosli failing requests: 1,000 records through a server failing 30 %
//! of requests, and connections dropped after the request was applied (the duplicates that
//! at-least-once delivery allows, counted).

use std::sync::Arc;
use std::time::Duration;

use kosli_core::client::VirtualClock;
use kosli_core::config::Backoff;
use kosli_core::{Client, Config, Outcome};
use kosli_tests::fake::{DropAt, FakeKosli, Fault};
use kosli_tests::journal_load::{applications, check_order, workload};

/// A small deterministic generator (xorshift), so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn percent(&mut self) -> u64 {
        self.next() % 100
    }
}

/// A fault that lets the request through unchanged (it keeps the queue's slots aligned).
fn pass() -> Fault {
    Fault::delay_ms(0)
}

/// A client with the journal in `dir`, millisecond backoff and a virtual clock (so
/// `Retry-After: 1` costs no real time).
fn client(fake: &FakeKosli, dir: &std::path::Path) -> Client {
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org("acme")
        .backoff(
            Backoff::default()
                .with_initial(Duration::from_millis(1))
                .with_max(Duration::from_millis(8)),
        )
        .journal_dir(dir)
        .build()
        .unwrap();
    Client::builder(config)
        .clock(Arc::new(VirtualClock::new()))
        .build()
        .unwrap()
}

/// Writes every item (live), then flushes until nothing is left; returns how many writes were
/// queued.
async fn write_all_then_flush(client: &Client, items: &[kosli_tests::journal_load::Item]) -> usize {
    let mut queued = 0;
    for item in items {
        match client.write(&item.request).await.unwrap() {
            Outcome::Sent(_) => {}
            Outcome::Queued { .. } => queued += 1,
            other => panic!("{other:?}"),
        }
    }
    for _ in 0..100 {
        if client.flush_journal().await.unwrap().is_complete() {
            break;
        }
    }
    let status = client.journal_status().await.unwrap();
    assert_eq!(status.pending, 0, "{status:?}");
    queued
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_records_through_a_server_failing_30_percent_arrive_once_in_order() {
    let fake = FakeKosli::start().unwrap();
    let mut rng = Rng(0x5eed_1234_abcd);
    let mut faults = Vec::new();
    let mut injected = 0;
    for _ in 0..4000 {
        let p = rng.percent();
        faults.push(match p {
            0..10 => Fault::status(503),
            10..20 => Fault::status(429).header("Retry-After", "1"),
            20..30 => Fault::drop_connection(DropAt::Before),
            _ => pass(),
        });
        injected += usize::from(p < 30);
    }
    assert!((1000..1400).contains(&injected), "{injected}");
    fake.push_faults(faults).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, dir.path());
    let items = workload("w", 1000);
    let queued = write_all_then_flush(&client, &items).await;
    let log = fake.requests();
    let failed = log
        .iter()
        .filter(|r| !kosli_tests::journal_load::applied(r))
        .count();
    let duplicates = check_order(&items, &applications(&log)).unwrap();
    assert_eq!(duplicates, 0);
    // The faults did happen, and some outages outlasted the retries (queued, then flushed).
    assert!(failed > 300, "{failed}");
    assert!(queued > 0, "no write was queued");
    let attestations = fake.with_store(|s| s.orgs["acme"].attestations.len());
    assert_eq!(attestations, 1000 - 16);
    println!(
        "{} requests, {failed} failed by injected faults, {queued} writes queued and flushed",
        log.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_dropped_after_applying_give_counted_duplicates() {
    let fake = FakeKosli::start().unwrap();
    let mut rng = Rng(0xd0d0_cafe);
    let faults: Vec<Fault> = (0..2000)
        .map(|_| {
            if rng.percent() < 10 {
                Fault::drop_connection(DropAt::After)
            } else {
                pass()
            }
        })
        .collect();
    fake.push_faults(faults).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, dir.path());
    let items = workload("d", 300);
    write_all_then_flush(&client, &items).await;
    let log = fake.requests();
    let dropped_after = log.iter().filter(|r| r["fault"] == "drop-after").count();
    let duplicates = check_order(&items, &applications(&log)).unwrap();
    // At-least-once: each request applied but unanswered is sent again, once per drop. No
    // other duplicate exists.
    assert!(dropped_after > 10, "{dropped_after}");
    assert_eq!(duplicates, dropped_after);
    // Flows and trails are upserts; attestations show twice.
    let attestations = fake.with_store(|s| s.orgs["acme"].attestations.len());
    let att_dups = log
        .iter()
        .filter(|r| {
            r["fault"] == "drop-after" && r["path"].as_str().unwrap().contains("/attestations/")
        })
        .count();
    assert_eq!(attestations, 300 - 16 + att_dups);
    println!("{dropped_after} connections dropped after applying: {duplicates} duplicates");
}
