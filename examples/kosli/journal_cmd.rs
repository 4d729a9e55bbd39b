//! `kosli journal status` and `kosli journal flush`: the SDK's journal, which the official CLI
//! does not have. The folder comes from the global `--journal DIR`, else `KOSLI_JOURNAL_DIR`
//! (else `journal-dir` in the config file).
//!
//! `status` reads the folder only (no request is made): pending records, the oldest one's age,
//! and per host what is left and the last error. `flush` delivers the pending records with the
//! host, token and org of the global flags and environment, and exits 1 when records are left.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use kosli_core::blocking::Client;
use kosli_core::journal::JournalStatus;
use kosli_core::{Config, Error};

use crate::output::{self, Context};

/// `kosli journal ...`
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Show the journal's pending records: how many, the oldest one's age, and per host.
    Status(StatusArgs),
    /// Deliver the journal's pending records to the configured host(s); exit 1 if any are left.
    Flush,
}

/// Flags of `journal status`.
#[derive(Debug, clap::Args)]
struct StatusArgs {
    /// [defaulted] The format of the output. Valid formats are: [table, json].
    #[arg(short = 'o', long, default_value = "table", value_name = "FORMAT")]
    output: String,
}

/// Runs `kosli journal <sub>`.
pub fn main(args: &Args, ctx: &Context) -> ExitCode {
    let (name, result) = match &args.command {
        Sub::Status(a) => ("kosli journal status", status(a, ctx)),
        Sub::Flush => ("kosli journal flush", flush(ctx)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output::fail(name, &e),
    }
}

fn client(ctx: &Context) -> Result<Client, Error> {
    let config: Config = ctx.global.config(None)?;
    output::print_config_warnings(ctx, &config);
    if config.journal_dir().is_none() {
        return Err(Error::config(
            "no journal: give --journal DIR or set KOSLI_JOURNAL_DIR",
        ));
    }
    Client::new(config)
}

fn status(args: &StatusArgs, ctx: &Context) -> Result<(), Error> {
    if args.output != "table" && args.output != "json" {
        return Err(Error::invalid_input(
            "output",
            format!(
                "{} is not a valid output format: use table or json",
                args.output
            ),
        ));
    }
    let status = client(ctx)?.journal_status()?;
    let text = if args.output == "json" {
        status_json(&status, SystemTime::now()).to_string()
    } else {
        status_table(&status, SystemTime::now())
    };
    println!("{text}");
    Ok(())
}

fn flush(ctx: &Context) -> Result<(), Error> {
    let client = client(ctx)?;
    let report = client.flush_journal()?;
    print!("{report}");
    if report.is_complete() {
        return Ok(());
    }
    Err(Error::Journal {
        message: format!(
            "{} record(s) left in the journal: see kosli journal status",
            report.left()
        ),
        source: None,
    })
}

/// A duration as `3s`, `2m10s`, `1h5m`, `2d3h`.
fn age(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{}s", s / 60, s % 60),
        3600..86400 => format!("{}h{}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d{}h", s / 86400, (s % 86400) / 3600),
    }
}

fn ago(t: Option<SystemTime>, now: SystemTime) -> String {
    t.map(|t| age(now.duration_since(t).unwrap_or_default()))
        .unwrap_or_else(|| "-".to_string())
}

/// The table `journal status` prints.
fn status_table(s: &JournalStatus, now: SystemTime) -> String {
    let mut out = String::new();
    if let Some(dir) = &s.dir {
        out.push_str(&format!("Journal:          {}\n", dir.display()));
    }
    out.push_str(&format!("Pending records:  {}\n", s.pending));
    out.push_str(&format!("Oldest pending:   {}\n", ago(s.oldest, now)));
    out.push_str(&format!(
        "Not bound yet:    {} (recorded offline)\n",
        s.unbound
    ));
    if s.corrupt_lines > 0 {
        out.push_str(&format!("Unreadable lines: {}\n", s.corrupt_lines));
    }
    if !s.hosts.is_empty() {
        let width = s
            .hosts
            .iter()
            .map(|h| h.host.len())
            .max()
            .unwrap_or(4)
            .max(4);
        out.push_str(&format!(
            "\n{:<width$}  {:<7}  {:<7}  LAST ERROR\n",
            "HOST", "PENDING", "OLDEST"
        ));
        for h in &s.hosts {
            out.push_str(&format!(
                "{:<width$}  {:<7}  {:<7}  {}\n",
                h.host,
                h.pending,
                ago(h.oldest, now),
                h.last_error.as_deref().unwrap_or("-")
            ));
        }
    }
    out.trim_end().to_string()
}

/// The JSON `journal status -o json` prints.
fn status_json(s: &JournalStatus, now: SystemTime) -> serde_json::Value {
    let secs =
        |t: Option<SystemTime>| t.map(|t| now.duration_since(t).unwrap_or_default().as_secs());
    serde_json::json!({
        "dir": s.dir,
        "pending": s.pending,
        "oldest_age_seconds": secs(s.oldest),
        "unbound": s.unbound,
        "corrupt_lines": s.corrupt_lines,
        "hosts": s.hosts.iter().map(|h| serde_json::json!({
            "host": h.host,
            "pending": h.pending,
            "oldest_age_seconds": secs(h.oldest),
            "last_error": h.last_error,
        })).collect::<Vec<_>>(),
        "records": s.records.iter().map(|r| serde_json::json!({
            "id": r.id,
            "operation": r.operation,
            "age_seconds": secs(Some(r.recorded_at)),
            "hosts": r.hosts,
            "failures": r.failures,
            "last_error": r.last_error,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_short() {
        assert_eq!(age(Duration::from_secs(5)), "5s");
        assert_eq!(age(Duration::from_secs(130)), "2m10s");
        assert_eq!(age(Duration::from_secs(3900)), "1h5m");
        assert_eq!(age(Duration::from_secs(2 * 86400 + 3 * 3600)), "2d3h");
    }
}
