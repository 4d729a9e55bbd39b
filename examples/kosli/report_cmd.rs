//! `kosli compliance report|audit|adoption` (ours: the official CLI has no such commands): the
//! SDK's compliance documents (`kosli_core::report`), printed as Markdown (the default), JSON
//! or, for the report, CSV.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::report::{
    parse_time, AdoptionOptions, AuditOptions, ComplianceOptions, Format, DEFAULT_WINDOW_DAYS,
};
use kosli_core::Error;

use crate::cmd_support::{exact_args, Runner};
use crate::output::Context;

/// `kosli compliance ...`
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// The compliance report of a flow: each artifact, its trail, Kosli's verdict, its attestations (missing and failing ones named) and where it runs.
    Report(ReportArgs),
    /// The audit trail of one artifact (FLOW@FINGERPRINT): build, test/security/review evidence, and every environment it ran in.
    Audit(AuditArgs),
    /// Adoption metrics over a time window: provenance of what runs, deployments tracked, evidence per artifact, build-to-deploy times, drift.
    Adoption(AdoptionArgs),
}

/// `--output` and `--environment`, shared by the three.
#[derive(Debug, clap::Args)]
struct Common {
    /// [defaulted] The format of the output: markdown, json or csv (csv: the report only).
    #[arg(short = 'o', long, default_value = "markdown", value_name = "FORMAT")]
    output: String,
    /// [optional] Only these environments (repeatable or comma-separated; default: every environment that takes snapshots).
    #[arg(
        short = 'e',
        long = "environment",
        value_delimiter = ',',
        value_name = "ENV"
    )]
    environments: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// FLOW
    #[arg(value_name = "FLOW")]
    args: Vec<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct AuditArgs {
    /// FLOW@FINGERPRINT
    #[arg(value_name = "FLOW@FINGERPRINT")]
    args: Vec<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct AdoptionArgs {
    /// [optional] The window's start: Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC). Default: --days before its end.
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// [optional] The window's end (excluded), as --since. Default: now.
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// [defaulted] The window's length in days when --since is not given.
    #[arg(long, default_value_t = DEFAULT_WINDOW_DAYS, value_name = "N")]
    days: u64,
    /// [optional] Only provenance in these flows counts (repeatable or comma-separated; default: any flow).
    #[arg(short = 'f', long = "flow", value_delimiter = ',', value_name = "FLOW")]
    flows: Vec<String>,
    #[command(flatten)]
    common: Common,
}

/// Runs `kosli compliance <document>`.
pub fn run(args: &Args, ctx: &Context) -> ExitCode {
    match &args.what {
        What::Report(a) => report(a, ctx),
        What::Audit(a) => audit(a, ctx),
        What::Adoption(a) => adoption(a, ctx),
    }
}

fn format(text: &str) -> Result<Format, Error> {
    text.parse()
}

/// The format of a document without a CSV view, refused before any read.
fn format_no_csv(text: &str, document: &str) -> Result<Format, Error> {
    match format(text)? {
        Format::Csv => Err(Error::invalid_input(
            "output",
            format!("the {document} has no CSV view: use json or markdown"),
        )),
        f => Ok(f),
    }
}

fn report(args: &ReportArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli compliance report",
        "kosli compliance report FLOW [flags]",
    );
    let flags = || format(&args.common.output).map(|_| ());
    runner.run(exact_args(&args.args, 1), flags, |config, run| {
        let options = ComplianceOptions::new(&args.args[0])
            .environments(args.common.environments.iter().cloned());
        let doc = Client::new(config.clone())?.compliance_report(&options)?;
        run.print(&doc.render(format(&args.common.output)?)?);
        Ok(())
    })
}

fn audit(args: &AuditArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli compliance audit",
        "kosli compliance audit FLOW@FINGERPRINT [flags]",
    );
    let checked =
        exact_args(&args.args, 1).and_then(|()| AuditOptions::parse(&args.args[0]).map(|_| ()));
    let flags = || format_no_csv(&args.common.output, "audit trail").map(|_| ());
    runner.run(checked, flags, |config, run| {
        let options = AuditOptions::parse(&args.args[0])?
            .environments(args.common.environments.iter().cloned());
        let doc = Client::new(config.clone())?.audit_trail(&options)?;
        run.print(&doc.render(format(&args.common.output)?)?);
        Ok(())
    })
}

fn adoption(args: &AdoptionArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli compliance adoption",
        "kosli compliance adoption [flags]",
    );
    let window = || -> Result<(Option<f64>, Option<f64>), Error> {
        let until = args.until.as_deref().map(parse_time).transpose()?;
        let since = args.since.as_deref().map(parse_time).transpose()?;
        if args.days == 0 {
            return Err(Error::invalid_input("days", "--days must be at least 1"));
        }
        Ok((since, until))
    };
    let flags = || {
        format_no_csv(&args.common.output, "adoption metrics")?;
        window().map(|_| ())
    };
    runner.run(Ok(()), flags, |config, run| {
        let client = Client::new(config.clone())?;
        let (since, until) = window()?;
        let mut options = AdoptionOptions::new()
            .environments(args.common.environments.iter().cloned())
            .flows(args.flows.iter().cloned());
        // The end first (now, unless given), then the start from it.
        let until = match until {
            Some(u) => u,
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0),
        };
        options = options
            .until(until)
            .since(since.unwrap_or(until - (args.days * 86_400) as f64));
        let doc = client.adoption_metrics(&options)?;
        run.print(&doc.render(format(&args.common.output)?)?);
        Ok(())
    })
}
