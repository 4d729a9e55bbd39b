//! 100 JUnit attestations (about 2 KB of XML each) to fake-kosli: sent concurrently by one
//! SDK client, against 100 sequential runs of the official CLI (`attest junit`, when `KOSLI_CLI`
//! names it) to the same server; and the SDK's own work per attestation (parse the results,
//! build the payload and the multipart body) with no network.
//!
//! `KOSLI_CLI=/path/to/kosli cargo bench -p kosli-benches --bench attest_concurrency`
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench")]

use std::path::Path;
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use kosli_core::evidence::junit;
use kosli_core::ops::attestations::Attestation;
use kosli_core::{Client, Config};
use kosli_tests::fake::FakeKosli;

const N: usize = 100;

/// About 2 KB of JUnit XML: one suite of 12 testcases, one failing.
fn junit_xml() -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"payments.unit\" tests=\"12\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"1.234\" timestamp=\"2025-01-15T10:00:00\">\n",
    );
    for i in 0..12 {
        xml.push_str(&format!(
            "  <testcase classname=\"payments.unit.Ledger{i}\" name=\"records_entry_{i}_and_balances_the_books\" time=\"0.1{i}\"/>\n"
        ));
    }
    xml.push_str("  <testcase classname=\"payments.unit.Refunds\" name=\"refunds_twice\" time=\"0.2\"><failure message=\"refunded 2 times\">assertion failed: left == right</failure></testcase>\n</testsuite>\n");
    xml
}

fn attestation(results: &Path, i: usize) -> Attestation {
    let summary = junit::parse_dir(results).unwrap();
    Attestation::junit(
        "bench-payments-api",
        format!("trail-{i}"),
        "unit-tests",
        &summary,
        true,
    )
    .unwrap()
}

fn attest(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir(&results).unwrap();
    let xml = junit_xml();
    std::fs::write(results.join("junit.xml"), &xml).unwrap();
    eprintln!("junit.xml: {} bytes", xml.len());

    let fake = FakeKosli::start().expect("fake-kosli");
    let trails: Vec<_> = (0..N)
        .map(|i| serde_json::json!({"flow": "bench-payments-api", "name": format!("trail-{i}")}))
        .collect();
    fake.seed(&serde_json::json!({
        "org": "acme",
        "flows": [{"name": "bench-payments-api"}],
        "trails": trails,
    }))
    .unwrap();
    let config = Config::builder()
        .host(fake.url())
        .api_token("bench-token")
        .org("acme")
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let runtime = kosli_core::blocking::runtime().unwrap();

    let mut g = c.benchmark_group("attest_junit_x100");
    g.sample_size(10);
    g.bench_function("sdk_one_client_concurrent", |b| {
        b.iter(|| {
            let handles: Vec<_> = (0..N)
                .map(|i| {
                    let (client, results) = (client.clone(), results.clone());
                    runtime.spawn(async move { client.attest(&attestation(&results, i)).await })
                })
                .collect();
            runtime.block_on(async {
                for h in handles {
                    h.await.unwrap().unwrap();
                }
            });
            fake.clear_requests();
        })
    });
    g.bench_function("sdk_one_client_sequential", |b| {
        b.iter(|| {
            runtime.block_on(async {
                for i in 0..N {
                    client.attest(&attestation(&results, i)).await.unwrap();
                }
            });
            fake.clear_requests();
        })
    });
    if let Ok(cli) = std::env::var("KOSLI_CLI") {
        let home = tempfile::tempdir().unwrap();
        g.bench_function("official_cli_sequential", |b| {
            b.iter(|| {
                for i in 0..N {
                    let out = Command::new(&cli)
                        .env_clear()
                        .env("HOME", home.path())
                        .args([
                            "attest",
                            "junit",
                            "--name",
                            "unit-tests",
                            "--flow",
                            "bench-payments-api",
                            "--trail",
                            &format!("trail-{i}"),
                            "--results-dir",
                            results.to_str().unwrap(),
                            "--host",
                            &fake.url(),
                            "--api-token",
                            "bench-token",
                            "--org",
                            "acme",
                        ])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                fake.clear_requests();
            })
        });
    } else {
        eprintln!("KOSLI_CLI is not set: the official CLI's runs are skipped");
    }
    g.finish();

    // The SDK's own work per attestation: read and parse the results, build the JSON payload
    // and the multipart body (with the attachment), no network.
    c.bench_function("sdk_own_work_per_attestation", |b| {
        b.iter(|| attestation(&results, 7).request().unwrap())
    });
}

criterion_group!(benches, attest);
criterion_main!(benches);
