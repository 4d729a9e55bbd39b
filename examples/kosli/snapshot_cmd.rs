//! `kosli snapshot path|paths|server`: report what runs in a server environment, with the
//! CLI's flags (`--auto-environment` included), output, dry-run and errors.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::config::Config;
use kosli_core::ops::environments::{types, AutoEnvironment};
use kosli_core::ops::snapshots::{PathsSpec, SnapshotServer};
use kosli_core::Error;

use crate::cmd_support::{exact_args, required, Runner};
use crate::env_cmd::report_write;
use crate::output::{Context, HostRun};

/// `kosli snapshot ...`
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: Kind,
}

#[derive(Debug, clap::Subcommand)]
enum Kind {
    /// Report a snapshot of a single artifact running in a specific filesystem path to Kosli.
    Path(PathArgs),
    /// Report a snapshot of artifacts running in specific filesystem paths to Kosli.
    Paths(PathsArgs),
    /// Report a snapshot of artifacts running in a server environment to Kosli (deprecated).
    #[command(visible_alias = "directories")]
    Server(ServerArgs),
    /// Report a snapshot of running containers from docker host to Kosli.
    Docker(crate::snapshot_runtime_cmd::DockerArgs),
    /// Report a snapshot of running pods in a K8S cluster or namespace(s) to Kosli.
    #[command(alias = "kubernetes")]
    K8s(crate::snapshot_runtime_cmd::K8sArgs),
}

/// The flags every snapshot command has.
#[derive(Debug, clap::Args)]
struct Common {
    /// ENVIRONMENT-NAME
    #[arg(value_name = "ENVIRONMENT-NAME")]
    args: Vec<String>,
    /// [optional] Create the environment (with the type inferred from the snapshot subcommand) if it does not already exist, before reporting the snapshot.
    #[arg(short = 'A', long = "auto-environment", env = "KOSLI_AUTO_ENVIRONMENT")]
    auto_environment: bool,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
}

/// Flags of `snapshot path`.
#[derive(Debug, clap::Args)]
struct PathArgs {
    #[command(flatten)]
    common: Common,
    /// [optional] The comma-separated list of literal paths or glob patterns to exclude when fingerprinting the artifact.
    #[arg(
        short = 'x',
        long,
        env = "KOSLI_EXCLUDE",
        value_delimiter = ',',
        value_name = "PATTERNS",
        allow_hyphen_values = true
    )]
    exclude: Vec<String>,
    /// The reported name of the artifact.
    #[arg(long, env = "KOSLI_NAME", value_name = "NAME")]
    name: Option<String>,
    /// The base path for the artifact to snapshot.
    #[arg(long, env = "KOSLI_PATH", value_name = "PATH")]
    path: Option<String>,
    /// [optional] Watch the filesystem for changes (not supported by this example).
    #[arg(long)]
    watch: bool,
}

/// Flags of `snapshot paths`.
#[derive(Debug, clap::Args)]
struct PathsArgs {
    #[command(flatten)]
    common: Common,
    /// The path to a paths file in YAML/JSON/TOML format.
    #[arg(long = "paths-file", env = "KOSLI_PATHS_FILE", value_name = "FILE")]
    paths_file: Option<String>,
    /// [optional] Watch the filesystem for changes (not supported by this example).
    #[arg(long)]
    watch: bool,
}

/// Flags of `snapshot server`.
#[derive(Debug, clap::Args)]
struct ServerArgs {
    #[command(flatten)]
    common: Common,
    /// [optional] The comma separated list of directories and files to exclude from fingerprinting. Can take glob patterns.
    #[arg(
        short = 'x',
        long,
        env = "KOSLI_EXCLUDE",
        value_delimiter = ',',
        value_name = "PATTERNS",
        allow_hyphen_values = true
    )]
    exclude: Vec<String>,
    /// The comma separated list of absolute or relative paths of artifact directories or files. Can take glob patterns.
    #[arg(
        short = 'p',
        long,
        env = "KOSLI_PATHS",
        value_delimiter = ',',
        value_name = "PATHS"
    )]
    paths: Vec<String>,
}

/// Runs `kosli snapshot <kind>`.
pub fn run(args: &Args, ctx: &Context) -> ExitCode {
    match &args.what {
        Kind::Docker(a) => crate::snapshot_runtime_cmd::docker(a, ctx),
        Kind::K8s(a) => crate::snapshot_runtime_cmd::k8s(a, ctx),
        Kind::Path(a) => {
            let flags = || {
                no_watch(a.watch)?;
                required(&[("name", a.name.is_some()), ("path", a.path.is_some())])
            };
            snapshot(ctx, "path", &a.common, flags, |env| {
                let excludes: Vec<&str> = a
                    .exclude
                    .iter()
                    .map(String::as_str)
                    .filter(|e| !e.is_empty())
                    .collect();
                SnapshotServer::path(
                    env,
                    a.name.clone().unwrap_or_default(),
                    a.path.clone().unwrap_or_default(),
                    &excludes,
                )
            })
        }
        Kind::Paths(a) => {
            let flags = || {
                no_watch(a.watch)?;
                required(&[("paths-file", a.paths_file.is_some())])
            };
            snapshot(ctx, "paths", &a.common, flags, |env| {
                let spec = PathsSpec::from_file(a.paths_file.clone().unwrap_or_default())?;
                SnapshotServer::paths(env, &spec)
            })
        }
        Kind::Server(a) => {
            eprintln!("Command \"server\" is deprecated, use 'kosli snapshot paths' instead");
            let flags = || {
                if a.paths.iter().all(String::is_empty) {
                    return Err(Error::invalid_input(
                        "paths",
                        "required flag \"paths\" not set",
                    ));
                }
                Ok(())
            };
            snapshot(ctx, "server", &a.common, flags, |env| {
                let paths: Vec<&str> = a
                    .paths
                    .iter()
                    .map(String::as_str)
                    .filter(|p| !p.is_empty())
                    .collect();
                let excludes: Vec<&str> = a
                    .exclude
                    .iter()
                    .map(String::as_str)
                    .filter(|e| !e.is_empty())
                    .collect();
                SnapshotServer::server(env, &paths, &excludes)
            })
        }
    }
}

fn no_watch(watch: bool) -> Result<(), Error> {
    if watch {
        return Err(Error::invalid_input(
            "watch",
            "--watch is not supported by this example: run the command again on each change",
        ));
    }
    Ok(())
}

/// The frame of every snapshot command: checks, `--auto-environment` (before anything is
/// fingerprinted, as in the CLI), the report, and the CLI's output.
fn snapshot(
    ctx: &Context,
    kind: &str,
    common: &Common,
    flags: impl FnOnce() -> Result<(), Error>,
    build: impl Fn(&str) -> Result<SnapshotServer, Error>,
) -> ExitCode {
    let command = format!("kosli snapshot {kind}");
    let usage: &'static str = match kind {
        "path" => "kosli snapshot path ENVIRONMENT-NAME [flags]",
        "paths" => "kosli snapshot paths ENVIRONMENT-NAME [flags]",
        _ => "kosli snapshot server ENVIRONMENT-NAME [flags]",
    };
    let runner = Runner::new(ctx, &command, usage).dry_run(common.dry_run);
    runner.run(exact_args(&common.args, 1), flags, |config: &Config, run: &HostRun| {
        let env = &common.args[0];
        let client = Client::new(config.clone())?;
        if common.auto_environment {
            match client.auto_environment(env, types::SERVER)? {
                AutoEnvironment::Created(_) => run.println(&format!("environment {env} was created")),
                AutoEnvironment::DryRun => run.println(&format!(
                    "dry-run: environment {env} would be created with type server if it does not exist"
                )),
                _ => {}
            }
        }
        let snapshot = build(env)?;
        let outcome = client.snapshot_server(&snapshot)?;
        report_write(
            run,
            &outcome.report,
            &format!(
                "[{}] artifacts were reported to environment {env}",
                snapshot.artifacts().len()
            ),
        );
        Ok(())
    })
}
