//! The journal's added cost per record, beside the cost of a request to fake-kosli in the same
//! run (loopback HTTP, so the smallest a real request can cost):
//! - `request_without_journal`: a write sent to fake-kosli, no journal (the baseline);
//! - `request_with_journal`: the same with the journal on (record synced, send, mark synced);
//! - `record_offline_one_at_a_time`: an offline write, one fsync'd commit per record;
//! - `record_offline_16_threads`: 16 threads writing offline at once, so group commit puts
//!   several records in one commit (time per record).
//!
//! The journal folder is on the target directory's file system (not a tmpfs), so `fdatasync`
//! does real work.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use kosli_core::blocking::Client;
use kosli_core::client::Request;
use kosli_core::{operations, Config};
use kosli_tests::fake::FakeKosli;

fn request(i: u64) -> Request {
    Request::new(&operations::CREATE_FLOW_LEGACY).json_bytes(format!(
        r#"{{"name":"bench-flow-{}","description":"d"}}"#,
        i % 50
    ))
}

fn bench_dir() -> tempfile::TempDir {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&base).expect("bench folder");
    tempfile::tempdir_in(base).expect("tempdir")
}

fn online(fake: &FakeKosli, journal: Option<&std::path::Path>) -> Client {
    let mut b = Config::builder()
        .host(fake.url())
        .api_token("t")
        .org("acme");
    if let Some(dir) = journal {
        b = b.journal_dir(dir);
    }
    Client::new(b.build().expect("config")).expect("client")
}

fn journal(c: &mut Criterion) {
    let fake = FakeKosli::start().expect("fake-kosli");
    let mut group = c.benchmark_group("journal_per_record");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));

    let plain = online(&fake, None);
    let mut i = 0u64;
    group.bench_function("request_without_journal", |b| {
        b.iter(|| {
            i += 1;
            black_box(plain.write(&request(i)).expect("write"))
        })
    });

    let dir = bench_dir();
    let journaled = online(&fake, Some(dir.path()));
    group.bench_function("request_with_journal", |b| {
        b.iter(|| {
            i += 1;
            black_box(journaled.write(&request(i)).expect("write"))
        })
    });

    let dir = bench_dir();
    let offline = Client::new(Config::offline(dir.path()).expect("config")).expect("client");
    group.bench_function("record_offline_one_at_a_time", |b| {
        b.iter(|| {
            i += 1;
            black_box(offline.write(&request(i)).expect("write"))
        })
    });

    let dir = bench_dir();
    let offline =
        Arc::new(Client::new(Config::offline(dir.path()).expect("config")).expect("client"));
    group.bench_function("record_offline_16_threads", |b| {
        b.iter_custom(|iters| {
            let per_thread = iters.div_ceil(16);
            let start = Instant::now();
            let threads: Vec<_> = (0..16)
                .map(|t| {
                    let client = offline.clone();
                    std::thread::spawn(move || {
                        for k in 0..per_thread {
                            black_box(client.write(&request(t * 1_000_000 + k)).expect("write"));
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().expect("thread");
            }
            // Time per record, as the other cases report it.
            start
                .elapsed()
                .mul_f64(iters as f64 / (per_thread * 16) as f64)
        })
    });
    group.finish();
}

criterion_group!(benches, journal);
criterion_main!(benches);
