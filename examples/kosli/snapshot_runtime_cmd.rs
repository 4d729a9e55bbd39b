//! `kosli snapshot docker|k8s`: report the containers of a Docker host or the pods of a
//! Kubernetes cluster, with the CLI's flags, output, dry-run, errors and exit codes. The
//! collectors and the report are the SDK's (`kosli_core::snapshot`); this only reads flags
//! and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::fingerprint::image::DockerOptions;
use kosli_core::ops::environments::{types, AutoEnvironment};
use kosli_core::snapshot::k8s::{K8sCluster, K8sEnvironments, NamespaceSelector};
use kosli_core::snapshot::{Collector, ReportOptions, Snapshot};
use kosli_core::{Config, Error};

use crate::cmd_support::{exact_args, Runner};
use crate::env_cmd::report_write;
use crate::output::{Context, HostRun};

/// The flags of both commands about the report.
#[derive(Debug, clap::Args)]
struct ReportFlags {
    /// [optional] Create the environment (with the type inferred from the snapshot subcommand) if it does not already exist, before reporting the snapshot.
    #[arg(short = 'A', long = "auto-environment", env = "KOSLI_AUTO_ENVIRONMENT")]
    auto_environment: bool,
    /// [optional] The environment description.
    #[arg(
        long = "environment-description",
        env = "KOSLI_ENVIRONMENT_DESCRIPTION",
        value_name = "TEXT"
    )]
    environment_description: Option<String>,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
}

impl ReportFlags {
    fn options(&self) -> ReportOptions {
        let mut o = ReportOptions::new().auto_environment(self.auto_environment);
        if let Some(d) = self
            .environment_description
            .as_deref()
            .filter(|d| !d.is_empty())
        {
            o = o.environment_description(d);
        }
        o
    }
}

/// Flags of `snapshot docker`.
#[derive(Debug, clap::Args)]
pub struct DockerArgs {
    /// ENVIRONMENT-NAME
    #[arg(value_name = "ENVIRONMENT-NAME")]
    args: Vec<String>,
    #[command(flatten)]
    report: ReportFlags,
}

/// Flags of `snapshot k8s`.
#[derive(Debug, clap::Args)]
pub struct K8sArgs {
    /// ENVIRONMENT-NAME
    #[arg(value_name = "ENVIRONMENT-NAME")]
    args: Vec<String>,
    /// [optional] The path to a YAML config file that maps multiple Kosli environments to namespace selectors. Cannot be used with a positional environment name argument or namespace flags.
    // The same id as the global flag, so that it shadows it here as in the CLI (no `-c`).
    #[arg(long = "config-file", value_name = "FILE")]
    config_file: Option<String>,
    /// [optional] The comma separated list of namespaces names to exclude from reporting artifacts info from. Requires cluster-wide read permissions for pods and namespaces. Can't be used together with --namespaces or --namespaces-regex.
    #[arg(
        short = 'x',
        long = "exclude-namespaces",
        env = "KOSLI_EXCLUDE_NAMESPACES",
        value_delimiter = ',',
        value_name = "NAMES"
    )]
    exclude_namespaces: Vec<String>,
    /// [optional] The comma separated list of namespaces regex patterns to exclude from reporting artifacts info from. Requires cluster-wide read permissions for pods and namespaces. Can't be used together with --namespaces or --namespaces-regex.
    #[arg(
        long = "exclude-namespaces-regex",
        env = "KOSLI_EXCLUDE_NAMESPACES_REGEX",
        value_delimiter = ',',
        value_name = "REGEXES"
    )]
    exclude_namespaces_regex: Vec<String>,
    /// [defaulted] The kubeconfig path for the target cluster (default $HOME/.kube/config, else the in-cluster service account; $KUBECONFIG is not read, as in the CLI).
    #[arg(
        short = 'k',
        long = "kubeconfig",
        env = "KOSLI_KUBECONFIG",
        value_name = "PATH"
    )]
    kubeconfig: Option<PathBuf>,
    /// [optional] The comma separated list of namespaces names to report artifacts info from. Can't be used together with --exclude-namespaces or --exclude-namespaces-regex.
    #[arg(
        short = 'n',
        long = "namespaces",
        env = "KOSLI_NAMESPACES",
        value_delimiter = ',',
        value_name = "NAMES"
    )]
    namespaces: Vec<String>,
    /// [optional] The comma separated list of namespaces regex patterns to report artifacts info from. Requires cluster-wide read permissions for pods and namespaces. Can't be used together with --exclude-namespaces --exclude-namespaces-regex.
    #[arg(
        long = "namespaces-regex",
        env = "KOSLI_NAMESPACES_REGEX",
        value_delimiter = ',',
        value_name = "REGEXES"
    )]
    namespaces_regex: Vec<String>,
    #[command(flatten)]
    report: ReportFlags,
}

impl K8sArgs {
    /// The namespace flags as a selector (empty values dropped, as cobra's string slices).
    fn selector(&self) -> NamespaceSelector {
        let clean =
            |v: &[String]| -> Vec<String> { v.iter().filter(|s| !s.is_empty()).cloned().collect() };
        NamespaceSelector {
            namespaces: clean(&self.namespaces),
            namespaces_regex: clean(&self.namespaces_regex),
            exclude_namespaces: clean(&self.exclude_namespaces),
            exclude_namespaces_regex: clean(&self.exclude_namespaces_regex),
        }
    }

    /// The config file: `--config-file`, else `KOSLI_CONFIG_FILE` (the CLI binds that
    /// variable to this flag here, since it shadows the global one).
    fn config_file(&self) -> Option<String> {
        self.config_file
            .clone()
            .or_else(|| std::env::var("KOSLI_CONFIG_FILE").ok())
            .filter(|f| !f.is_empty())
    }

    /// The CLI's argument checks, made before anything else: a positional environment or an
    /// explicit `--config-file` (not `KOSLI_CONFIG_FILE`), not both.
    fn check_args(&self) -> Result<(), Error> {
        if self.config_file.as_deref().is_some_and(|f| !f.is_empty()) {
            if !self.args.is_empty() {
                return Err(Error::invalid_input(
                    "arguments",
                    "cannot use '--config-file' together with a positional environment name argument",
                ));
            }
            return Ok(());
        }
        if self.args.is_empty() {
            return Err(Error::invalid_input(
                "arguments",
                "requires either a positional environment name argument or --config-file",
            ));
        }
        exact_args(&self.args, 1)
    }

    /// The CLI's flag checks, made after `--org` and `--api-token`: no namespace flag beside
    /// a config file, and no include flag with an exclude flag.
    fn check_flags(&self) -> Result<(), Error> {
        let s = self.selector();
        if self.config_file().is_none() {
            return s.check_flags();
        }
        for (flag, set) in [
            ("namespaces", !s.namespaces.is_empty()),
            ("exclude-namespaces", !s.exclude_namespaces.is_empty()),
            ("namespaces-regex", !s.namespaces_regex.is_empty()),
            (
                "exclude-namespaces-regex",
                !s.exclude_namespaces_regex.is_empty(),
            ),
        ] {
            if set {
                return Err(Error::invalid_input(
                    "config-file",
                    format!("cannot use '--config-file' together with '--{flag}'"),
                ));
            }
        }
        Ok(())
    }
}

/// Runs `kosli snapshot docker ENV`.
pub fn docker(args: &DockerArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli snapshot docker",
        "kosli snapshot docker ENVIRONMENT-NAME [flags]",
    )
    .dry_run(args.report.dry_run);
    runner.run(
        exact_args(&args.args, 1),
        || Ok(()),
        |config: &Config, run: &HostRun| {
            let env = &args.args[0];
            let client = Client::new(config.clone())?;
            let options = args.report.options();
            // As the CLI: the environment first, then the Engine.
            let prepared = client.prepare_environment(env, types::DOCKER, &options)?;
            announce(run, env, types::DOCKER, prepared);
            let snapshot = Collector::Docker(DockerOptions::default()).collect_blocking(env)?;
            if let Snapshot::Docker(s) = &snapshot {
                for skipped in &s.skipped {
                    if skipped.is_warning() {
                        ctx.warn(&skipped.message());
                    } else {
                        run.println(&skipped.message());
                    }
                }
            }
            report(run, &client, &snapshot, "containers")
        },
    )
}

/// Runs `kosli snapshot k8s ENV` (or one report per environment of `--config-file`).
pub fn k8s(args: &K8sArgs, ctx: &Context) -> ExitCode {
    // Here --config-file (and KOSLI_CONFIG_FILE) is this command's own: the Kosli config
    // file is always $HOME/.kosli.yml, as in the CLI (a missing one is skipped).
    let mut own = ctx.clone();
    own.global.config_file = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| {
        std::path::Path::new(&h)
            .join(".kosli.yml")
            .display()
            .to_string()
    });
    let ctx = &own;
    let runner = Runner::new(
        ctx,
        "kosli snapshot k8s",
        "kosli snapshot k8s ENVIRONMENT-NAME [flags]",
    )
    .dry_run(args.report.dry_run);
    runner.run(
        args.check_args(),
        || args.check_flags(),
        |config: &Config, run: &HostRun| {
            let client = Client::new(config.clone())?;
            let environments = match args.config_file() {
                Some(file) => K8sEnvironments::from_file(file)?.environments,
                None => vec![kosli_core::snapshot::k8s::K8sEnvironment {
                    name: args.args[0].clone(),
                    selector: args.selector(),
                }],
            };
            let cluster = K8sCluster::connect(args.kubeconfig.as_deref())?;
            let options = args.report.options();
            for env in &environments {
                let prepared = client.prepare_environment(&env.name, types::K8S, &options)?;
                announce(run, &env.name, types::K8S, prepared);
                let snapshot = cluster.snapshot_blocking(env.name.as_str(), &env.selector)?;
                if let Some(ns) = &snapshot.namespaces {
                    run.println(&format!(
                        "scanning the following namespaces: {} ",
                        crate::cmd_support::go_list(ns)
                    ));
                }
                for skipped in &snapshot.skipped {
                    ctx.warn(&skipped.message());
                }
                report(run, &client, &Snapshot::K8s(snapshot), "pods")?;
            }
            Ok(())
        },
    )
}

/// The CLI's line for `--auto-environment`'s outcome.
fn announce(run: &HostRun, env: &str, env_type: &str, outcome: Option<AutoEnvironment>) {
    match outcome {
        Some(AutoEnvironment::Created(_)) => run.println(&format!("environment {env} was created")),
        Some(AutoEnvironment::DryRun) => run.println(&format!(
            "dry-run: environment {env} would be created with type {env_type} if it does not exist"
        )),
        _ => {}
    }
}

/// Sends the report (the environment was prepared before) and prints the CLI's line.
fn report(run: &HostRun, client: &Client, snapshot: &Snapshot, what: &str) -> Result<(), Error> {
    let outcome = client.report_snapshot(snapshot, &ReportOptions::new())?;
    report_write(
        run,
        &outcome.report,
        &format!(
            "[{}] {what} were reported to environment {}",
            snapshot.artifact_count(),
            snapshot.environment()
        ),
    );
    Ok(())
}
