//! `fake-kosli`: an in-memory Kosli API on 127.0.0.1, for the C, Python and example tests and
//! for pointing the official CLI at.
//!
//! Usage: `fake-kosli [--port N] [--token T] [--seed FILE] [--seed-report] [--max-seconds S]`
//! (`--seed-report`: the week of `kosli_tests::fake::seed_report`). The first line on
//! stdout is the bound port (useful with `--port 0`). It stops after `--max-seconds` (default
//! 3600), on Ctrl-C, or when its stdin reaches end of file if `--stop-on-eof` is given.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line program prints"
)]

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use kosli_tests::fake::{FakeKosli, Options};

fn usage() -> ExitCode {
    eprintln!(
        "usage: fake-kosli [--port N] [--token T] [--seed FILE] [--seed-report] [--max-seconds S] [--stop-on-eof]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut options = Options::default();
    let mut max_seconds: u64 = 3600;
    let mut stop_on_eof = false;
    let mut seed_report = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| match args.next() {
            Some(v) => Ok(v),
            None => Err(format!("{name} needs a value")),
        };
        let parsed: Result<(), String> = (|| {
            match arg.as_str() {
                "--port" => {
                    options.port = value("--port")?
                        .parse()
                        .map_err(|e| format!("--port: {e}"))?
                }
                "--token" => options.token = Some(value("--token")?),
                "--seed" => {
                    let path = value("--seed")?;
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("--seed {path}: {e}"))?;
                    options.seed = Some(
                        serde_json::from_str(&text).map_err(|e| format!("--seed {path}: {e}"))?,
                    );
                }
                "--max-seconds" => {
                    max_seconds = value("--max-seconds")?
                        .parse()
                        .map_err(|e| format!("--max-seconds: {e}"))?
                }
                "--stop-on-eof" => stop_on_eof = true,
                "--seed-report" => seed_report = true,
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument {other:?}")),
            }
            Ok(())
        })();
        if let Err(e) = parsed {
            if !e.is_empty() {
                eprintln!("fake-kosli: {e}");
            }
            return usage();
        }
    }
    let fake = match FakeKosli::start_with(options) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fake-kosli: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    if seed_report {
        fake.with_store(kosli_tests::fake::seed_report::apply);
    }
    println!("{}", fake.port());
    let _ = std::io::stdout().flush();
    eprintln!("fake-kosli: listening on {}", fake.url());
    if stop_on_eof {
        std::thread::spawn(|| {
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
            std::process::exit(0);
        });
    }
    std::thread::sleep(Duration::from_secs(max_seconds));
    eprintln!("fake-kosli: --max-seconds reached, stopping");
    drop(fake);
    ExitCode::SUCCESS
}
