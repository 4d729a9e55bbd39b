//! Fingerprint throughput on the three shapes that matter (one large file, many small files,
//! many large files), each next to a baseline run in the same process: a bare SHA-256 of the
//! same bytes already in memory. `cargo bench -p kosli-benches --bench fingerprint`;
//! `benches/compare.sh` compares with `openssl dgst` and the official CLI on bigger data.
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kosli_core::fingerprint::{self, Fingerprinter};

/// Deterministic pseudo-random bytes (no RNG dependency needed for a bench).
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn write_tree(
    root: &Path,
    dirs: usize,
    files_per_dir: usize,
    size: impl Fn(usize) -> usize,
) -> Vec<Vec<u8>> {
    let mut contents = Vec::new();
    for d in 0..dirs {
        let sub = root.join(format!("d{d:03}"));
        fs::create_dir_all(&sub).unwrap();
        for f in 0..files_per_dir {
            let data = bytes((d * files_per_dir + f) as u64, size(d * files_per_dir + f));
            fs::write(sub.join(format!("f{f:03}.bin")), &data).unwrap();
            contents.push(data);
        }
    }
    contents
}

fn baseline(contents: &[Vec<u8>]) -> usize {
    use sha2::Digest;
    contents
        .iter()
        .map(|c| sha2::Sha256::digest(c)[0] as usize)
        .sum()
}

fn one_large_file(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let data = bytes(7, 256 << 20);
    let path = tmp.path().join("big.bin");
    fs::write(&path, &data).unwrap();
    let mut group = c.benchmark_group("one_large_file_256MiB");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(10);
    group.bench_function("fingerprint::file", |b| {
        b.iter(|| black_box(fingerprint::file(&path).unwrap()))
    });
    group.bench_function("baseline: sha2 in memory", |b| {
        b.iter(|| black_box(baseline(std::slice::from_ref(&data))))
    });
    group.finish();
}

fn many_small_files(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let contents = write_tree(tmp.path(), 50, 100, |i| 1024 + (i * 977) % 7168);
    let total: usize = contents.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("many_small_files_5000");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(20);
    for threads in [1usize, 2, 4] {
        let fp = Fingerprinter::new().threads(threads);
        group.bench_function(format!("fingerprint::dir threads={threads}"), |b| {
            b.iter(|| black_box(fp.dir(tmp.path()).unwrap()))
        });
    }
    group.bench_function("baseline: sha2 in memory", |b| {
        b.iter(|| black_box(baseline(&contents)))
    });
    group.finish();
}

fn many_large_files(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let contents = write_tree(tmp.path(), 1, 32, |_| 8 << 20);
    let total: usize = contents.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("many_large_files_32x8MiB");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    for threads in [1usize, 2] {
        let fp = Fingerprinter::new().threads(threads);
        group.bench_function(format!("fingerprint::dir threads={threads}"), |b| {
            b.iter(|| black_box(fp.dir(tmp.path()).unwrap()))
        });
    }
    group.bench_function("baseline: sha2 in memory, one thread", |b| {
        b.iter(|| black_box(baseline(&contents)))
    });
    group.finish();
}

criterion_group!(benches, one_large_file, many_small_files, many_large_files);
criterion_main!(benches);
