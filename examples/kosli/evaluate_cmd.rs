//! `kosli evaluate input|trail|trails`: a Rego policy evaluated in-process (the SDK's `rego`
//! feature) with the CLI's flags, output, messages and exit codes (wire-2.md §4).
//!
//! Differences from the CLI: the builtins the SDK's engine lacks
//! (`kosli_core::policy::rego::UNSUPPORTED_BUILTINS`) are refused up front by name; parse and
//! recursion errors name the same line and error code but their wording is the engine's.

use std::io::Read;
use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::policy::rego::{self, Decision, OutputFormat, RegoPolicy};
use kosli_core::policy::trail_input::AttestationFilter;
use kosli_core::{Config, Error};
use serde_json::Value;

use crate::cmd_support::{exact_args, required, Runner};
use crate::output::Context;

/// `kosli evaluate ...`
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: Evaluate,
}

#[derive(Debug, clap::Subcommand)]
enum Evaluate {
    /// Evaluate a local JSON input against a Rego policy.
    Input(InputArgs),
    /// Evaluate a trail against a Rego policy.
    Trail(TrailArgs),
    /// Evaluate several trails against a Rego policy.
    Trails(TrailArgs),
}

/// The flags every `evaluate` has.
#[derive(Debug, clap::Args)]
struct Common {
    /// [optional] Exit with a non-zero status when the policy denies. This is the current default; pass --assert to lock it in across future releases.
    #[arg(long)]
    assert: bool,
    /// [optional] Print the result and always exit 0, even when the policy denies. Use when this command feeds another tool as a policy decision point.
    #[arg(long = "no-assert")]
    no_assert: bool,
    /// [defaulted] The format of the output. Valid formats are: [table, json].
    #[arg(short = 'o', long, default_value = "table", value_name = "FORMAT")]
    output: String,
    /// [optional] Policy parameters as inline JSON or @file.json. Available in policies as data.params.
    #[arg(long, value_name = "JSON")]
    params: Option<String>,
    /// Path or http(s):// URL of a Rego policy to evaluate.
    #[arg(short = 'p', long, value_name = "PATH|URL")]
    policy: Option<String>,
    /// [optional] Include the policy input data in the output.
    #[arg(long = "show-input")]
    show_input: bool,
}

/// Flags of `kosli evaluate input`.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// [optional] Path to a JSON input file. Reads from stdin if omitted.
    #[arg(short = 'i', long = "input-file", value_name = "PATH")]
    input_file: Option<String>,
    #[command(flatten)]
    common: Common,
}

/// Flags of `kosli evaluate trail` and `kosli evaluate trails`.
#[derive(Debug, clap::Args)]
pub struct TrailArgs {
    /// TRAIL-NAME...
    #[arg(value_name = "TRAIL-NAME")]
    args: Vec<String>,
    /// [optional] Limit which attestations are included. Plain name for trail-level, dot-qualified (artifact.name) for artifact-level.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    attestations: Vec<String>,
    /// The Kosli flow name.
    #[arg(short = 'f', long, value_name = "FLOW")]
    flow: Option<String>,
    #[command(flatten)]
    common: Common,
}

/// Runs `kosli evaluate <what>`.
pub fn run(args: &Args, ctx: &Context) -> ExitCode {
    match &args.what {
        Evaluate::Input(a) => input(a, ctx),
        Evaluate::Trail(a) => trails(a, ctx, false),
        Evaluate::Trails(a) => trails(a, ctx, true),
    }
}

fn flag_checks(c: &Common) -> Result<(), Error> {
    if c.assert && c.no_assert {
        return Err(Error::invalid_input(
            "assert",
            "if any flags in the group [assert no-assert] are set none of the others can be; [assert no-assert] were all set",
        ));
    }
    required(&[("policy", c.policy.is_some())])
}

fn with_prefix(e: Error, prefix: &str) -> Error {
    Error::invalid_input("file", format!("{prefix}: {e}"))
}

/// The policy's text: a file, or a URL fetched without the Kosli token (a warning for http).
fn load_policy(source: &str, ctx: &Context, config: &Config) -> Result<String, Error> {
    if source.starts_with("http://") || source.starts_with("https://") {
        if source.starts_with("http://") {
            ctx.warn(&format!(
                "fetching policy over plain HTTP from {source}; prefer https://"
            ));
        }
        return Client::new(config.clone())?.fetch_policy(source);
    }
    std::fs::read_to_string(source).map_err(|e| {
        with_prefix(
            Error::io("open", std::path::Path::new(source), e),
            "failed to read policy file",
        )
    })
}

/// Evaluates and prints; the outcome is the exit code the CLI gives.
fn decide(
    policy_text: &str,
    input: &Value,
    params: Option<&Value>,
    c: &Common,
) -> Result<Decision, Error> {
    let decision = RegoPolicy::parse(policy_text)?.evaluate(input, params)?;
    let format = OutputFormat::parse(&c.output)?;
    let shown = c.show_input.then_some((input, params));
    print!("{}", rego::render(&decision, format, shown));
    if !decision.allow && !c.no_assert {
        return Err(Error::PolicyDenied {
            message: rego::denied_message(decision.reasons(), format == OutputFormat::Table),
            reasons: decision.reasons().to_vec(),
        });
    }
    Ok(decision)
}

/// `kosli evaluate input`.
fn input(args: &InputArgs, ctx: &Context) -> ExitCode {
    let label = "kosli evaluate input";
    let c = &args.common;
    let run = || -> Result<(), Error> {
        flag_checks(c)?;
        let bytes = match &args.input_file {
            Some(path) => std::fs::read(path).map_err(|e| {
                with_prefix(
                    Error::io("open", std::path::Path::new(path), e),
                    "failed to read input file",
                )
            })?,
            None => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| Error::io("read", std::path::Path::new("stdin"), e))?;
                buf
            }
        };
        let params = match &c.params {
            Some(p) => rego::parse_params(p)?,
            None => None,
        };
        let input = rego::parse_input(&bytes)?;
        let source = c.policy.clone().unwrap_or_default();
        let config = match ctx.global.config(None) {
            Ok(c) => c,
            Err(_) => Config::builder().build()?,
        };
        let text = load_policy(&source, ctx, &config)?;
        decide(&text, &input, params.as_ref(), c).map(|_| ())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => crate::output::fail(label, &e),
    }
}

/// `kosli evaluate trail T` / `kosli evaluate trails T1 T2 ...`.
fn trails(args: &TrailArgs, ctx: &Context, several: bool) -> ExitCode {
    let c = &args.common;
    let (label, usage) = if several {
        (
            "kosli evaluate trails",
            "kosli evaluate trails TRAIL-NAME [TRAIL-NAME...] [flags]",
        )
    } else {
        (
            "kosli evaluate trail",
            "kosli evaluate trail TRAIL-NAME [flags]",
        )
    };
    let arg_check = if several {
        if args.args.is_empty() {
            Err(Error::invalid_input(
                "arguments",
                "requires at least 1 arg(s), only received 0",
            ))
        } else {
            Ok(())
        }
    } else {
        exact_args(&args.args, 1)
    };
    let runner = Runner::new(ctx, label, usage).label_flag("flow", args.flow.as_deref());
    runner.run(
        arg_check,
        || {
            flag_checks(c)?;
            required(&[("flow", args.flow.is_some())])
        },
        |config, _run| {
            let params = match &c.params {
                Some(p) => rego::parse_params(p)?,
                None => None,
            };
            let client = Client::new(config.clone())?;
            let flow = args.flow.as_deref().unwrap_or_default();
            let filter = AttestationFilter::names(&args.attestations);
            let input = if several {
                client.trails_policy_input(flow, &args.args, &filter)?
            } else {
                client.trail_policy_input(flow, &args.args[0], &filter)?
            };
            let text = load_policy(c.policy.as_deref().unwrap_or_default(), ctx, config)?;
            decide(&text, &input, params.as_ref(), c).map(|_| ())
        },
    )
}
