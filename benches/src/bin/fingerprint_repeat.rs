//! Fingerprints DIR through the Rust API RUNS times and prints the digest and the best
//! wall-clock seconds: the Rust side of `benches/c_vs_rust.sh`.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark program prints"
)]

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: fingerprint_repeat DIR RUNS");
        std::process::exit(2);
    }
    let runs: usize = args[2].parse().unwrap_or(1);
    let mut best = f64::MAX;
    let mut digest = String::new();
    for _ in 0..runs {
        let start = Instant::now();
        match kosli_core::fingerprint::dir(&args[1], Vec::<String>::new()) {
            Ok(fp) => digest = fp.to_string(),
            Err(e) => {
                eprintln!("Error: {e}");
                std::process::exit(1);
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("{digest} {best:.6}");
}
