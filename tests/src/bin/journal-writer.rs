//! A helper process of the journal tests: writes the test workload through a client with a
//! journal, printing `ack <index> <outcome>` after each write returns (so the test knows
//! what was acknowledged), or flushes in a loop.
//!
//! ```text
//! journal-writer <dir> offline <prefix> <count> [- <org>]     record offline
//! journal-writer <dir> online  <prefix> <count> <host> [<org>] live writes, the journal on
//! journal-writer <dir> crash   <prefix> <count> <host>        offline writes, a flush every 20
//! journal-writer <dir> flush   <stop-file> <host>        flush until <stop-file> exists, then
//!                                                        until nothing is left
//! ```
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a test helper process reports on stdout and stderr"
)]

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::{Config, Outcome};
use kosli_tests::journal_load::workload;

const TOKEN: &str = "secret-token-123";

fn online_config(dir: &str, host: &str, org: &str) -> Result<Config, kosli_core::Error> {
    Config::builder()
        .host(host)
        .api_token(TOKEN)
        .org(org)
        .max_api_retries(1)
        .backoff(
            kosli_core::config::Backoff::default()
                .with_initial(std::time::Duration::from_millis(1))
                .with_max(std::time::Duration::from_millis(2)),
        )
        .journal_dir(dir)
        .build()
}

fn run(args: &[String]) -> Result<(), kosli_core::Error> {
    let bad = || kosli_core::Error::invalid_input("args", format!("bad arguments: {args:?}"));
    let dir = args.first().ok_or_else(bad)?;
    let mode = args.get(1).ok_or_else(bad)?.as_str();
    let mut out = std::io::stdout().lock();
    if mode == "flush" {
        let stop = Path::new(args.get(2).ok_or_else(bad)?);
        let client = Client::new(online_config(dir, args.get(3).ok_or_else(bad)?, "acme")?)?;
        let mut delivered = 0;
        loop {
            let stopping = stop.exists();
            let report = client.flush_journal()?;
            delivered += report.delivered();
            let pending = client.journal_status()?.pending;
            if stopping && pending == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let _ = writeln!(out, "flushed {delivered}");
        return Ok(());
    }
    let prefix = args.get(2).ok_or_else(bad)?;
    let count: usize = args.get(3).and_then(|c| c.parse().ok()).ok_or_else(bad)?;
    let host = args.get(4);
    let org = args.get(5).map_or("acme", String::as_str);
    let writer = match mode {
        "offline" | "crash" => Client::new(
            Config::builder()
                .journal_dir(dir)
                .offline(true)
                .org(org)
                .build()?,
        )?,
        "online" => Client::new(online_config(dir, host.ok_or_else(bad)?, org)?)?,
        _ => return Err(bad()),
    };
    let flusher = match (mode, host) {
        ("crash", Some(h)) => Some(Client::new(online_config(dir, h, org)?)?),
        _ => None,
    };
    for (i, item) in workload(prefix, count).iter().enumerate() {
        let outcome = writer.write(&item.request)?;
        let what = match &outcome {
            Outcome::Queued { id } => format!("queued {id}"),
            Outcome::Sent(_) => "sent".to_string(),
            other => format!("{other:?}"),
        };
        let _ = writeln!(out, "ack {i} {what}");
        let _ = out.flush();
        if let (Some(f), true) = (&flusher, i % 20 == 19) {
            f.flush_journal()?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("journal-writer: {e}");
            ExitCode::FAILURE
        }
    }
}
