//! `kosli deploy` (this SDK's, not in the official CLI): runs a deploy command and, only if it
//! succeeded, snapshots the environment and checks that the artifact runs there, through the
//! SDK's deployment guard (`kosli_core::deploy`).
//!
//! ```sh
//! kosli deploy app.bin --environment prod --snapshot paths --path /srv/app.bin -- cp app.bin /srv/
//! kosli deploy nginx:1.25 -t docker -F <sha256> -e prod-docker --snapshot docker -- docker compose up -d
//! kosli deploy api:3.0 -t docker -F <sha256> -e prod-k8s --snapshot k8s --namespaces prod -- kubectl apply -f api.yml
//! ```
//!
//! `--snapshot docker|k8s` take the flags of `kosli snapshot docker|k8s` (the Engine of
//! `DOCKER_HOST`; `--kubeconfig` and the namespace filters; `--environment-description`), but
//! not k8s's `--config-file`: a deployment goes to one environment.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use kosli_core::blocking::Client;
use kosli_core::deploy::{
    Collector, DeployError, Deployment, Mismatch, PathsCollector, Verification,
};
use kosli_core::fingerprint::image::DockerOptions;
use kosli_core::fingerprint::Fingerprinter;
use kosli_core::snapshot::k8s::NamespaceSelector;
use kosli_core::snapshot::{self, K8sOptions};
use kosli_core::{ArtifactRef, ArtifactType, Error, Fingerprint};

use crate::cmd_support::{required, Runner};
use crate::output::Context;

/// Flags of `kosli deploy`.
#[derive(Debug, clap::Args)]
#[command(
    about = "Deploy an artifact with a command, then snapshot the environment and check that the artifact runs there (not in the official CLI).",
    long_about = "Deploy an artifact with a command, then snapshot the environment and check that the artifact runs there.\n\n\
        Not in the official CLI: this is the SDK's deployment guard. The command after `--` runs first, with this \
        process's stdin/stdout/stderr. If it fails, nothing is reported and kosli exits with its exit code. If it \
        succeeds, the environment is snapshotted with the collector named by --snapshot and reported (as `kosli \
        snapshot ...` reports it), and the artifact's fingerprint must be among what runs (exit 1 otherwise, or a \
        warning with --warn-only). A mutable reference (`:latest`, an image with no tag) is refused unless pinned by \
        digest."
)]
pub struct Args {
    /// The artifact deployed: a file or folder (fingerprinted here), or a name with --fingerprint.
    #[arg(value_name = "ARTIFACT-NAME-OR-PATH")]
    artifact: String,
    /// The command that deploys (after `--`).
    #[arg(last = true, value_name = "CMD")]
    command: Vec<String>,
    /// The environment deployed to.
    #[arg(short = 'e', long, env = "KOSLI_ENVIRONMENT", value_name = "ENV")]
    environment: Option<String>,
    /// How to snapshot the environment: paths, docker or k8s.
    #[arg(long, value_name = "KIND")]
    snapshot: Option<String>,
    /// [defaulted] The type of the artifact: file, dir, docker or oci (docker and oci need --fingerprint). (default "file")
    #[arg(short = 't', long = "artifact-type", value_name = "TYPE")]
    artifact_type: Option<String>,
    /// [optional] The artifact's SHA256 fingerprint (as attested at build time).
    #[arg(short = 'F', long, value_name = "SHA256")]
    fingerprint: Option<String>,
    /// [optional] The name the artifact is reported under (default: ARTIFACT-NAME-OR-PATH).
    #[arg(short = 'n', long, value_name = "NAME")]
    name: Option<String>,
    /// [paths] Where the artifact runs (a file or folder), reported as one artifact.
    #[arg(long, value_name = "PATH")]
    path: Option<PathBuf>,
    /// [paths] A paths spec file (as `snapshot paths --paths-file`) instead of --path.
    #[arg(long = "paths-file", value_name = "FILE")]
    paths_file: Option<PathBuf>,
    /// [paths] Patterns to exclude when fingerprinting --path.
    #[arg(short = 'x', long, value_delimiter = ',', value_name = "PATTERNS")]
    exclude: Vec<String>,
    /// [k8s] The kubeconfig path for the target cluster (default $HOME/.kube/config, else the in-cluster service account).
    #[arg(
        short = 'k',
        long = "kubeconfig",
        env = "KOSLI_KUBECONFIG",
        value_name = "PATH"
    )]
    kubeconfig: Option<PathBuf>,
    /// [k8s] The comma separated list of namespaces names to report artifacts info from. Can't be used together with --exclude-namespaces or --exclude-namespaces-regex.
    #[arg(
        long = "namespaces",
        env = "KOSLI_NAMESPACES",
        value_delimiter = ',',
        value_name = "NAMES"
    )]
    namespaces: Vec<String>,
    /// [k8s] The comma separated list of namespaces regex patterns to report artifacts info from. Can't be used together with --exclude-namespaces --exclude-namespaces-regex.
    #[arg(
        long = "namespaces-regex",
        env = "KOSLI_NAMESPACES_REGEX",
        value_delimiter = ',',
        value_name = "REGEXES"
    )]
    namespaces_regex: Vec<String>,
    /// [k8s] The comma separated list of namespaces names to exclude from reporting artifacts info from. Can't be used together with --namespaces or --namespaces-regex.
    #[arg(
        long = "exclude-namespaces",
        env = "KOSLI_EXCLUDE_NAMESPACES",
        value_delimiter = ',',
        value_name = "NAMES"
    )]
    exclude_namespaces: Vec<String>,
    /// [k8s] The comma separated list of namespaces regex patterns to exclude from reporting artifacts info from. Can't be used together with --namespaces or --namespaces-regex.
    #[arg(
        long = "exclude-namespaces-regex",
        env = "KOSLI_EXCLUDE_NAMESPACES_REGEX",
        value_delimiter = ',',
        value_name = "REGEXES"
    )]
    exclude_namespaces_regex: Vec<String>,
    /// [optional] Create the environment if it does not exist.
    #[arg(short = 'A', long = "auto-environment")]
    auto_environment: bool,
    /// [optional] The description of an environment created by --auto-environment.
    #[arg(
        long = "environment-description",
        env = "KOSLI_ENVIRONMENT_DESCRIPTION",
        value_name = "TEXT"
    )]
    environment_description: Option<String>,
    /// [optional] Warn instead of failing when the artifact is not found running.
    #[arg(long = "warn-only")]
    warn_only: bool,
    /// [optional] Run in dry-run mode: the command runs, the snapshot is printed, not sent.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
}

/// The namespace flags as a selector (empty values dropped, as cobra's string slices).
fn selector(args: &Args) -> NamespaceSelector {
    let clean =
        |v: &[String]| -> Vec<String> { v.iter().filter(|s| !s.is_empty()).cloned().collect() };
    NamespaceSelector {
        namespaces: clean(&args.namespaces),
        namespaces_regex: clean(&args.namespaces_regex),
        exclude_namespaces: clean(&args.exclude_namespaces),
        exclude_namespaces_regex: clean(&args.exclude_namespaces_regex),
    }
}

/// The collector named by `--snapshot` (the SDK's paths, docker and k8s collectors).
fn collector(args: &Args) -> Result<Box<dyn Collector>, Error> {
    match args.snapshot.as_deref().unwrap_or_default() {
        "paths" => {
            let c = match (&args.path, &args.paths_file) {
                (Some(p), None) => {
                    let name = args.name.clone().unwrap_or_else(|| args.artifact.clone());
                    PathsCollector::path(name, p).exclude(args.exclude.iter().cloned())
                }
                (None, Some(f)) => PathsCollector::spec_file(f),
                _ => {
                    return Err(Error::invalid_input(
                        "path",
                        "--snapshot paths needs one of --path or --paths-file",
                    ))
                }
            };
            Ok(Box::new(c))
        }
        "docker" => Ok(Box::new(snapshot::Collector::Docker(
            DockerOptions::default(),
        ))),
        "k8s" | "kubernetes" => {
            let selector = selector(args);
            selector.check_flags()?;
            Ok(Box::new(snapshot::Collector::K8s(K8sOptions {
                kubeconfig: args.kubeconfig.clone(),
                selector,
            })))
        }
        other => Err(Error::invalid_input(
            "snapshot",
            format!("unknown --snapshot {other:?}: use paths, docker or k8s"),
        )),
    }
}

/// The artifact as attested at build time: its given fingerprint, or the file/folder's.
fn artifact(args: &Args) -> Result<ArtifactRef, Error> {
    let kind: ArtifactType = args.artifact_type.as_deref().unwrap_or("file").parse()?;
    let fingerprint: Fingerprint = match &args.fingerprint {
        Some(f) => f.parse()?,
        None => match kind {
            ArtifactType::File => Fingerprinter::new().file(&args.artifact)?,
            ArtifactType::Dir => Fingerprinter::new().dir(&args.artifact)?,
            _ => {
                return Err(Error::invalid_input(
                    "fingerprint",
                    format!("--artifact-type {kind} needs --fingerprint"),
                ))
            }
        },
    };
    let name = args.name.clone().unwrap_or_else(|| args.artifact.clone());
    ArtifactRef::new(name, fingerprint, kind)
}

/// `kosli deploy ARTIFACT --environment ENV --snapshot KIND ... -- CMD...`.
pub fn run(args: &Args, ctx: &Context) -> ExitCode {
    const LABEL: &str = "kosli deploy";
    let runner = Runner::new(
        ctx,
        LABEL,
        "kosli deploy ARTIFACT-NAME-OR-PATH --environment ENV --snapshot KIND [flags] -- CMD...",
    )
    .dry_run(args.dry_run);
    let flags = || {
        required(&[
            ("environment", args.environment.is_some()),
            ("snapshot", args.snapshot.is_some()),
        ])?;
        if args.command.is_empty() {
            return Err(Error::invalid_input(
                "command",
                "no deploy command was given after --",
            ));
        }
        Ok(())
    };
    // The step's exit code, when it failed: kosli exits with it.
    let mut step_code: Option<u8> = None;
    // With several hosts the body runs once per host: the command runs only the first time,
    // and each host gets the snapshot.
    let deployed = std::cell::Cell::new(false);
    let code = runner.run(Ok(()), flags, |config, run| {
        let collector = collector(args)?;
        let artifact = artifact(args)?;
        let env = args.environment.clone().unwrap_or_default();
        let mut guard = Deployment::new(&env, &artifact)?.auto_environment(args.auto_environment);
        if let Some(d) = args
            .environment_description
            .as_deref()
            .filter(|d| !d.is_empty())
        {
            guard = guard.environment_description(d);
        }
        if args.warn_only {
            guard = guard.on_mismatch(Mismatch::Warn);
        }
        let client = Client::new(config.clone())?;
        let step = || -> Result<(), (String, u8)> {
            if deployed.replace(true) {
                return Ok(());
            }
            let status = Command::new(&args.command[0])
                .args(&args.command[1..])
                .status()
                .map_err(|e| (format!("could not run {}: {e}", args.command[0]), 1))?;
            if status.success() {
                return Ok(());
            }
            let code = status
                .code()
                .and_then(|c| u8::try_from(c).ok())
                .unwrap_or(1);
            Err((
                format!("the deploy command failed ({status}): nothing was reported"),
                code,
            ))
        };
        match client.deploy(&guard, collector.as_ref(), step) {
            Ok(report) => {
                if let Some(d) = report.outcome.dry_run() {
                    run.print(&d.to_string());
                }
                if let Verification::RunningAs { names, .. } = &report.verification {
                    ctx.warn(&format!(
                        "{} runs in {env} as {}: report and deploy one name",
                        artifact.name(),
                        names.join(", ")
                    ));
                }
                if report.verification == Verification::NotRunning {
                    ctx.warn(&report.not_running_error().to_string());
                }
                run.println(&format!(
                    "{} was deployed to {env}: {}",
                    artifact.name(),
                    report.verification
                ));
                Ok(())
            }
            Err(DeployError::Step((message, code))) => {
                step_code = Some(code);
                Err(Error::invalid_input("command", message))
            }
            Err(e) => Err(match e.into_error() {
                Ok(e) => e,
                Err((message, _)) => Error::invalid_input("command", message),
            }),
        }
    });
    match step_code {
        Some(c) if code != ExitCode::SUCCESS => ExitCode::from(c),
        _ => code,
    }
}
