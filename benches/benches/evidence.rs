//! Evidence parsers on 50 MB inputs, each beside its bare baseline in the same run:
//! JUnit (totals, and with the per-testcase visitor) vs a bare quick-xml event scan of the same
//! file; Snyk `snyk_results` and `ScanSummary` vs a bare serde_json pass (`IgnoredAny`) over
//! the same SARIF bytes. `EVIDENCE_BENCH_MB` changes the size.

use std::hint::black_box;
use std::io::BufReader;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kosli_benches::evidence_data;

fn size() -> u64 {
    std::env::var("EVIDENCE_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50)
        * 1_000_000
}

fn junit(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("junit.xml");
    evidence_data::write_junit(&file, size()).expect("write junit");
    let bytes = std::fs::metadata(&file).expect("size").len();
    let mut group = c.benchmark_group("junit_50mb");
    group.sample_size(10).throughput(Throughput::Bytes(bytes));
    group.bench_function("kosli_junit_parse_file", |b| {
        b.iter(|| black_box(kosli_core::evidence::junit::parse_file(&file).expect("parse")))
    });
    group.bench_function("kosli_junit_with_visitor", |b| {
        b.iter(|| {
            let mut n = 0usize;
            let mut visit = |c: &kosli_core::evidence::junit::TestCase<'_>| n += c.name.len();
            kosli_core::evidence::junit::parse_file_with(&file, &mut visit).expect("parse");
            black_box(n)
        })
    });
    group.bench_function("bare_quick_xml_event_scan", |b| {
        b.iter(|| {
            let input =
                BufReader::with_capacity(64 * 1024, std::fs::File::open(&file).expect("open"));
            let mut reader = quick_xml::Reader::from_reader(input);
            let mut buf = Vec::with_capacity(4096);
            let mut events = 0u64;
            loop {
                match reader.read_event_into(&mut buf).expect("xml") {
                    quick_xml::events::Event::Eof => break,
                    _ => events += 1,
                }
                buf.clear();
            }
            black_box(events)
        })
    });
    group.finish();
}

fn sarif(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("scan.sarif");
    evidence_data::write_sarif(&file, size()).expect("write sarif");
    let bytes = std::fs::read(&file).expect("read");
    let mut group = c.benchmark_group("sarif_50mb");
    group
        .sample_size(10)
        .throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("kosli_snyk_results", |b| {
        b.iter(|| black_box(kosli_core::evidence::snyk::parse_bytes(&bytes, None).expect("snyk")))
    });
    group.bench_function("kosli_scan_summary", |b| {
        b.iter(|| black_box(kosli_core::evidence::scan::parse_bytes(&bytes, None).expect("scan")))
    });
    group.bench_function("bare_serde_json_ignored_any", |b| {
        b.iter(|| {
            let v: serde::de::IgnoredAny = serde_json::from_slice(&bytes).expect("json");
            black_box(v)
        })
    });
    group.finish();
}

criterion_group!(benches, junit, sarif);
criterion_main!(benches);
