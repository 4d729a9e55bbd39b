//! The CLI's verbs that several areas share (`create`, `get`, `list`): each holds one
//! subcommand per noun (`create environment`, `get artifact`, ...). An area adds its noun here
//! as one variant and one dispatch line; its flags and logic stay in its own file.

use std::process::ExitCode;

use crate::output::Context;
use crate::{artifact_read_cmd, env_cmd, flow_cmd, history_cmd, trail_cmd};

/// `kosli create ...`
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    #[command(subcommand)]
    what: Create,
}

#[derive(Debug, clap::Subcommand)]
enum Create {
    /// Create or update a Kosli environment.
    #[command(visible_alias = "env")]
    Environment(env_cmd::CreateArgs),
    /// Create or update a Kosli flow.
    Flow(flow_cmd::CreateArgs),
    /// Create or update a Kosli policy.
    Policy(crate::policy_cmd::CreateArgs),
}

/// `kosli get ...`
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    #[command(subcommand)]
    what: Get,
}

#[derive(Debug, clap::Subcommand)]
enum Get {
    /// Get artifact from a specified flow.
    Artifact(artifact_read_cmd::GetArgs),
    /// Get an environment's metadata.
    #[command(visible_alias = "env")]
    Environment(env_cmd::GetArgs),
    /// Get the metadata of a specific flow.
    Flow(flow_cmd::GetArgs),
    /// Get a Kosli policy.
    Policy(crate::policy_cmd::GetArgs),
    /// Get a specific environment snapshot.
    Snapshot(history_cmd::GetSnapshotArgs),
    /// Get the metadata of a specific trail.
    Trail(history_cmd::GetTrailArgs),
}

/// `kosli list ...`
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(subcommand)]
    what: List,
}

#[derive(Debug, clap::Subcommand)]
enum List {
    /// List artifacts in a flow or repo.
    Artifacts(artifact_read_cmd::ListArgs),
    /// List environments for an org.
    #[command(visible_aliases = ["env", "envs"])]
    Environments(env_cmd::ListArgs),
    /// List flows for an org.
    Flows(flow_cmd::ListArgs),
    /// List environment policies for an org.
    Policies(crate::policy_cmd::ListArgs),
    /// List environment snapshots.
    Snapshots(history_cmd::ListSnapshotsArgs),
    /// List Trails for an org.
    Trails(history_cmd::ListTrailsArgs),
}

/// Runs `kosli create <noun>`.
pub fn create(args: &CreateArgs, ctx: &Context) -> ExitCode {
    match &args.what {
        Create::Environment(a) => env_cmd::create(a, ctx),
        Create::Flow(a) => flow_cmd::create(a, ctx),
        Create::Policy(a) => crate::policy_cmd::create(a, ctx),
    }
}

/// Runs `kosli get <noun>`.
pub fn get(args: &GetArgs, ctx: &Context) -> ExitCode {
    match &args.what {
        Get::Artifact(a) => artifact_read_cmd::get(a, ctx),
        Get::Environment(a) => env_cmd::get(a, ctx),
        Get::Flow(a) => flow_cmd::get(a, ctx),
        Get::Policy(a) => crate::policy_cmd::get(a, ctx),
        Get::Snapshot(a) => history_cmd::get_snapshot(a, ctx),
        Get::Trail(a) => history_cmd::get_trail(a, ctx),
    }
}

/// Runs `kosli list <noun>`.
pub fn list(args: &ListArgs, ctx: &Context) -> ExitCode {
    match &args.what {
        List::Artifacts(a) => artifact_read_cmd::list(a, ctx),
        List::Environments(a) => env_cmd::list(a, ctx),
        List::Flows(a) => flow_cmd::list(a, ctx),
        List::Policies(a) => crate::policy_cmd::list(a, ctx),
        List::Snapshots(a) => history_cmd::list_snapshots(a, ctx),
        List::Trails(a) => history_cmd::list_trails(a, ctx),
    }
}

/// `kosli begin ...`
#[derive(Debug, clap::Args)]
pub struct BeginArgs {
    #[command(subcommand)]
    what: Begin,
}

#[derive(Debug, clap::Subcommand)]
enum Begin {
    /// Begin or update a Kosli flow trail.
    Trail(trail_cmd::BeginArgs),
}

/// Runs `kosli begin <noun>`.
pub fn begin(args: &BeginArgs, ctx: &Context) -> ExitCode {
    match &args.what {
        Begin::Trail(a) => trail_cmd::begin(a, ctx),
    }
}
