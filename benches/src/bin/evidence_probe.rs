//! One evidence parse per process, for throughput and peak-memory measurements
//! (`benches/compare_evidence.sh` runs it under `/usr/bin/time`).
//!
//! Usage: `evidence_probe gen-junit|gen-sarif FILE MB` writes a synthetic file;
//! `evidence_probe junit|junit-detail|xml-scan|snyk|scan|json-scan FILE` parses it once and prints
//! `mode bytes seconds MB/s items`.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a measuring tool prints"
)]

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use kosli_benches::evidence_data;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: evidence_probe MODE FILE [MB]");
        return ExitCode::from(2);
    }
    let (mode, file) = (args[1].as_str(), Path::new(&args[2]));
    let mb: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(50);
    let start = Instant::now();
    let items = match run(mode, file, mb) {
        Ok(items) => items,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "{mode} {bytes} {seconds:.4} {:.1} {items}",
        bytes as f64 / 1e6 / seconds
    );
    ExitCode::SUCCESS
}

fn run(mode: &str, file: &Path, mb: u64) -> Result<u64, Box<dyn std::error::Error>> {
    Ok(match mode {
        "gen-junit" => evidence_data::write_junit(file, mb * 1_000_000)?,
        "gen-sarif" => evidence_data::write_sarif(file, mb * 1_000_000)?,
        "junit" => kosli_core::evidence::junit::parse_file(file)?
            .iter()
            .map(|s| s.total)
            .sum(),
        "junit-detail" => {
            let mut names = 0u64;
            let mut visit = |c: &kosli_core::evidence::junit::TestCase<'_>| {
                names += c.name.len() as u64;
            };
            kosli_core::evidence::junit::parse_file_with(file, &mut visit)?;
            names
        }
        "xml-scan" => xml_scan(file)?,
        "snyk" => kosli_core::evidence::snyk::parse_file(file)?
            .results
            .iter()
            .map(|r| r.high_count + r.medium_count + r.low_count)
            .sum(),
        "scan" => kosli_core::evidence::scan::parse_file(file)?.total(),
        "json-scan" => {
            let bytes = std::fs::read(file)?;
            let _: serde::de::IgnoredAny = serde_json::from_slice(&bytes)?;
            bytes.len() as u64
        }
        other => return Err(format!("unknown mode {other}").into()),
    })
}

/// The baseline: quick-xml's events over a buffered file, nothing decoded.
fn xml_scan(file: &Path) -> Result<u64, Box<dyn std::error::Error>> {
    let input = std::io::BufReader::with_capacity(64 * 1024, std::fs::File::open(file)?);
    count_events(input)
}

fn count_events<R: BufRead>(input: R) -> Result<u64, Box<dyn std::error::Error>> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::with_capacity(4096);
    let mut starts = 0u64;
    loop {
        match reader.read_event_into(&mut buf)? {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_) => starts += 1,
            _ => {}
        }
        buf.clear();
    }
    Ok(starts)
}
