//! `kosli`: a drop-in for the official Kosli CLI's commands, built on the SDK.
//!
//! Same flags, same output, same requests and exit codes as the CLI v2.43.1, so it proves the
//! SDK matches the CLI and lets users try the SDK from a shell. It stays a thin layer: every
//! decision is the SDK's; this only parses flags and prints.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line program prints"
)]

mod artifact_read_cmd;
mod attest_cmd;
mod attest_more_cmd;
mod cmd_support;
mod compliance_cmd;
mod deploy_cmd;
mod env_cmd;
mod evaluate_cmd;
mod fingerprint_cmd;
mod flow_cmd;
mod gate_cmd;
mod history_cmd;
mod image_cmd;
mod journal_cmd;
mod json_input;
mod output;
mod policy_cmd;
mod provenance_flags;
mod report_cmd;
mod review_cmd;
mod snapshot_cmd;
mod snapshot_runtime_cmd;
mod status_cmd;
mod tabwriter;
mod timefmt;
mod trail_cmd;
mod verbs;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Record software-delivery evidence in Kosli (the SDK's drop-in for the official CLI).
///
/// Differences from the official CLI: errors are the SDK's typed errors (an exclude pattern
/// with a syntax error is named in the message), `--debug` shows the SDK's tracing log, and
/// when the retries run out the error names the server's last status and message. A commit that
/// cannot be read (shallow clone, missing revision, empty repository) gets a second line that
/// says what to do. `snapshot path|paths --watch` is not supported; a paths spec's artifacts
/// are sent in name order (the CLI's order is random); a YAML/TOML/JSON paths spec that does
/// not parse is described by this SDK's parsers; `list artifacts` shows a commit shorter than 7
/// characters whole (the CLI crashes); `allow|assert artifact --artifact-type oci|docker` need
/// `--fingerprint`.
#[derive(Debug, Parser)]
#[command(name = "kosli", version, disable_help_subcommand = true)]
struct Cli {
    #[command(flatten)]
    global: output::GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Allow Kosli objects (an artifact in an environment).
    Allow(compliance_cmd::AllowArgs),
    /// Assert the compliance of Kosli objects (an artifact).
    Assert(compliance_cmd::AssertArgs),
    /// Attach a policy to one or more Kosli environments.
    AttachPolicy(policy_cmd::AttachArgs),
    /// Report an artifact or an attestation (generic, junit, snyk, custom, pullrequest) to a Kosli flow.
    Attest(attest_cmd::Args),
    /// Begin Kosli objects (a trail).
    Begin(verbs::BeginArgs),
    /// Compliance documents (ours; not in the official CLI): a flow's report, an artifact's audit trail, adoption metrics.
    Compliance(report_cmd::Args),
    /// Create objects in Kosli.
    Create(verbs::CreateArgs),
    /// Detach a policy from one or more Kosli environments.
    DetachPolicy(policy_cmd::AttachArgs),
    /// Evaluate a Rego policy against a JSON input or Kosli trails (in-process; see `evaluate input --help`).
    Evaluate(evaluate_cmd::Args),
    /// Deploy with a command, then snapshot and check what runs (the SDK's deployment guard; not in the official CLI).
    Deploy(deploy_cmd::Args),
    /// Diff Kosli objects (snapshots).
    Diff(history_cmd::DiffArgs),
    /// Calculate the SHA256 fingerprint of an artifact.
    Fingerprint(fingerprint_cmd::Args),
    /// Evaluate a local gate file against evidence files (the SDK's own; not in the official CLI).
    Gate(gate_cmd::Args),
    /// The SDK's journal (not in the official CLI): pending records kept through an outage.
    Journal(journal_cmd::Args),
    /// Get Kosli objects.
    Get(verbs::GetArgs),
    /// List Kosli objects.
    List(verbs::ListArgs),
    /// Log Kosli objects (an environment's events).
    Log(history_cmd::LogArgs),
    /// Report a snapshot of what runs in an environment to Kosli.
    Snapshot(snapshot_cmd::Args),
    /// Check the status of a Kosli server (GET /ready).
    #[command(visible_alias = "st")]
    Status(status_cmd::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return output::clap_error(e),
    };
    output::init_tracing(cli.global.debug);
    let ctx = output::Context {
        quiet: cli.global.quiet && !cli.global.debug,
        global: cli.global.clone(),
    };
    let (name, result) = match &cli.command {
        Command::Allow(args) => return compliance_cmd::allow(args, &ctx),
        Command::Assert(args) => return compliance_cmd::assert(args, &ctx),
        Command::Attest(args) => return attest_cmd::run(args, &ctx),
        Command::Begin(args) => return verbs::begin(args, &ctx),
        Command::Create(args) => return verbs::create(args, &ctx),
        Command::AttachPolicy(args) => return policy_cmd::attach(args, &ctx),
        Command::DetachPolicy(args) => return policy_cmd::detach(args, &ctx),
        Command::Evaluate(args) => return evaluate_cmd::run(args, &ctx),
        Command::Gate(args) => return gate_cmd::run(args, &ctx),
        Command::Compliance(args) => return report_cmd::run(args, &ctx),
        Command::Deploy(args) => return deploy_cmd::run(args, &ctx),
        Command::Diff(args) => return history_cmd::diff(args, &ctx),
        Command::Log(args) => return history_cmd::log(args, &ctx),
        Command::Get(args) => return verbs::get(args, &ctx),
        Command::List(args) => return verbs::list(args, &ctx),
        Command::Fingerprint(args) => ("kosli fingerprint", fingerprint_cmd::run(args, &ctx)),
        Command::Journal(args) => return journal_cmd::main(args, &ctx),
        Command::Snapshot(args) => return snapshot_cmd::run(args, &ctx),
        Command::Status(args) => return status_cmd::main(args, &ctx),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: [{name}] {e}");
            ExitCode::FAILURE
        }
    }
}
