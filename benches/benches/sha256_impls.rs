//! In-memory SHA-256 throughput of the candidate implementations (`sha2`, `ring`, `aws-lc-rs`)
//! on the same buffer, to justify the one the core uses. Ratios are what matter: run
//! `cargo bench -p kosli-benches --bench sha256_impls`.
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

fn sha256_impls(c: &mut Criterion) {
    let mut group = c.benchmark_group("sha256");
    for size in [4 * 1024usize, 256 * 1024, 8 << 20] {
        let data: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("sha2", size), &data, |b, d| {
            b.iter(|| {
                use sha2::Digest;
                black_box(sha2::Sha256::digest(black_box(d)))
            })
        });
        group.bench_with_input(BenchmarkId::new("ring", size), &data, |b, d| {
            b.iter(|| black_box(ring::digest::digest(&ring::digest::SHA256, black_box(d))))
        });
        group.bench_with_input(BenchmarkId::new("aws-lc-rs", size), &data, |b, d| {
            b.iter(|| {
                black_box(aws_lc_rs::digest::digest(
                    &aws_lc_rs::digest::SHA256,
                    black_box(d),
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, sha256_impls);
criterion_main!(benches);
