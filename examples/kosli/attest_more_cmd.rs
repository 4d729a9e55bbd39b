//! `kosli attest artifact`, `attest generic`, `attest custom` and `attest pullrequest github`,
//! as the CLI v2.43.1 runs them, through the SDK's operations.
//!
//! `attest pullrequest github` asks GitHub for the commit's pull requests itself (the SDK takes
//! pull requests its caller fetched): the CLI's GraphQL query, then its REST fallback when the
//! query finds none, both sent with the SDK's HTTP client (so with `User-Agent: kosli-sdk-rust`
//! and `Content-Type: application/json; charset=utf-8`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::fingerprint::{split_exclude_values, Fingerprinter};
use kosli_core::ops::attest_artifact::{check_annotation_key, AttestArtifact};
use kosli_core::ops::attestations::{Attestation, Evidence};
use kosli_core::ops::naming::AttestationName;
use kosli_core::provenance::{AttestationProvenance, ProcessEnv};
use kosli_core::review::{ReviewAttestation, ReviewEvidence};
use kosli_core::{ArtifactType, Config, Error, Fingerprint};

use crate::cmd_support::{self, Runner};
use crate::json_input;
use crate::output::{Context, HostRun};
use crate::provenance_flags::{ArtifactProvenanceArgs, ExternalUrlArgs, ProvenanceArgs};
use crate::review_cmd;

/// What Kosli's "requires at least one of" error says, and what the CLI says instead.
const BINDING_SERVER_TEXT: &str = "artifact_fingerprint or git_commit_info.";
const BINDING_CLI_TEXT: &str = "specifying the fingerprint (either by calculating it using the artifact name/path and --artifact-type, or by providing it using --fingerprint) or providing --commit (requires an available git repo to access commit details)";

/// The flags every attestation command has (`attest generic`, `custom`, `pullrequest ...`).
#[derive(Debug, clap::Args)]
pub struct AttestFlags {
    /// [IMAGE-NAME | FILE-PATH | DIR-PATH] The artifact to fingerprint (with --artifact-type).
    #[arg(value_name = "ARTIFACT")]
    artifact: Vec<String>,
    /// [optional] Annotate the attestation with data using key=value.
    #[arg(long = "annotate", value_name = "KEY=VALUE")]
    annotate: Vec<String>,
    /// The type of the artifact to calculate its SHA256 fingerprint. One of: [oci, docker, file, dir].
    #[arg(
        short = 't',
        long = "artifact-type",
        env = "KOSLI_ARTIFACT_TYPE",
        value_name = "TYPE"
    )]
    artifact_type: Option<String>,
    /// [optional] The comma-separated list of paths of attachments for the reported attestation (files or directories).
    #[arg(long = "attachments", value_delimiter = ',', value_name = "PATHS")]
    attachments: Vec<String>,
    /// [optional] attestation description
    #[arg(long, env = "KOSLI_DESCRIPTION", value_name = "TEXT")]
    description: Option<String>,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// [optional] The comma separated list of directories and files to exclude from fingerprinting.
    #[arg(
        short = 'x',
        long = "exclude",
        value_name = "PATTERNS",
        allow_hyphen_values = true
    )]
    exclude: Vec<String>,
    #[command(flatten)]
    external: ExternalUrlArgs,
    /// [conditional] The SHA256 fingerprint of the artifact to attach the attestation to.
    #[arg(
        short = 'F',
        long = "fingerprint",
        env = "KOSLI_FINGERPRINT",
        value_name = "SHA256"
    )]
    fingerprint: Option<String>,
    /// The Kosli flow name.
    #[arg(short = 'f', long = "flow", env = "KOSLI_FLOW", value_name = "FLOW")]
    flow: Option<String>,
    /// The name of the attestation as declared in the flow or trail yaml template.
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    name: Option<String>,
    #[command(flatten)]
    provenance: ProvenanceArgs,
    /// [conditional] The container registry password or access token.
    #[arg(long = "registry-password", value_name = "PASSWORD")]
    registry_password: Option<String>,
    /// [conditional] The container registry username.
    #[arg(long = "registry-username", value_name = "USER")]
    registry_username: Option<String>,
    /// The Kosli trail name.
    #[arg(short = 'T', long = "trail", env = "KOSLI_TRAIL", value_name = "TRAIL")]
    trail: Option<String>,
    /// [optional] The path to a JSON file containing additional data you would like to attach to the attestation.
    #[arg(
        short = 'u',
        long = "user-data",
        env = "KOSLI_USER_DATA",
        value_name = "FILE"
    )]
    user_data: Option<String>,
}

impl AttestFlags {
    /// `--repository`.
    pub(crate) fn repository(&self) -> Option<&str> {
        self.provenance.repo.repository.as_deref()
    }

    /// `--commit`.
    pub(crate) fn commit(&self) -> Option<&str> {
        self.provenance.commit.as_deref()
    }

    /// `--flow`.
    pub(crate) fn flow(&self) -> Option<&str> {
        self.flow.as_deref()
    }

    /// `--trail`.
    pub(crate) fn trail(&self) -> Option<&str> {
        self.trail.as_deref()
    }
}

/// What an attestation command reports: evidence of the attestation types of `ops`, or
/// external evidence of the review module (pull requests, Sonar, Jira).
pub(crate) enum Reported {
    Core(Evidence),
    Review(ReviewEvidence),
}

impl From<Evidence> for Reported {
    fn from(e: Evidence) -> Reported {
        Reported::Core(e)
    }
}

impl From<ReviewEvidence> for Reported {
    fn from(e: ReviewEvidence) -> Reported {
        Reported::Review(e)
    }
}

/// Flags of `kosli attest generic`.
#[derive(Debug, clap::Args)]
pub struct GenericArgs {
    #[command(flatten)]
    common: AttestFlags,
    /// [defaulted] Whether the attestation is compliant or not.
    #[arg(short = 'C', long = "compliant", env = "KOSLI_COMPLIANT", default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    compliant: bool,
}

/// Flags of `kosli attest custom`.
#[derive(Debug, clap::Args)]
pub struct CustomArgs {
    #[command(flatten)]
    common: AttestFlags,
    /// The filepath of a JSON file containing the custom attestation data.
    #[arg(
        long = "attestation-data",
        env = "KOSLI_ATTESTATION_DATA",
        value_name = "FILE"
    )]
    attestation_data: Option<String>,
    /// The name of the custom attestation type.
    #[arg(long = "type", env = "KOSLI_TYPE", value_name = "TYPE")]
    type_name: Option<String>,
}

/// `kosli attest pullrequest <provider>`.
#[derive(Debug, clap::Args)]
pub struct PullRequestArgs {
    #[command(subcommand)]
    provider: Provider,
}

#[derive(Debug, clap::Subcommand)]
enum Provider {
    /// Report a Github pull request attestation to an artifact or a trail in a Kosli flow.
    ///
    /// The pull requests are read from GitHub with the CLI's GraphQL queries (and its REST
    /// fallback) by the SDK's review module.
    #[command(visible_alias = "gh")]
    Github(Box<review_cmd::AttestPrArgs<review_cmd::GithubFlags>>),
    /// Report a Gitlab merge request attestation to an artifact or a trail in a Kosli flow.
    #[command(visible_alias = "gl")]
    Gitlab(Box<review_cmd::AttestPrArgs<review_cmd::GitlabFlags>>),
    /// Report a Bitbucket pull request attestation to an artifact or a trail in a Kosli flow.
    ///
    /// Difference from the official CLI: `KOSLI_BITBUCKET_API_URL` changes the API root.
    #[command(visible_alias = "bb")]
    Bitbucket(Box<review_cmd::AttestPrArgs<review_cmd::BitbucketFlags>>),
    /// Report an Azure Devops pull request attestation to an artifact or a trail in a Kosli flow.
    #[command(visible_alias = "az")]
    Azure(Box<review_cmd::AttestPrArgs<review_cmd::AzureFlags>>),
}

/// Flags of `kosli attest artifact`.
#[derive(Debug, clap::Args)]
pub struct ArtifactArgs {
    /// {IMAGE-NAME | FILE-PATH | DIR-PATH} The artifact.
    #[arg(value_name = "ARTIFACT")]
    artifact: Vec<String>,
    /// [optional] Annotate the attestation with data using key=value.
    #[arg(long = "annotate", value_name = "KEY=VALUE")]
    annotate: Vec<String>,
    /// The type of the artifact to calculate its SHA256 fingerprint. One of: [oci, docker, file, dir].
    #[arg(
        short = 't',
        long = "artifact-type",
        env = "KOSLI_ARTIFACT_TYPE",
        value_name = "TYPE"
    )]
    artifact_type: Option<String>,
    /// [optional] Artifact display name, if different from file, image or directory name.
    #[arg(
        short = 'N',
        long = "display-name",
        env = "KOSLI_DISPLAY_NAME",
        value_name = "NAME"
    )]
    display_name: Option<String>,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// [optional] The comma separated list of directories and files to exclude from fingerprinting.
    #[arg(
        short = 'x',
        long = "exclude",
        value_name = "PATTERNS",
        allow_hyphen_values = true
    )]
    exclude: Vec<String>,
    #[command(flatten)]
    external: ExternalUrlArgs,
    /// [conditional] The SHA256 fingerprint of the artifact. Only required if you don't specify '--artifact-type'.
    #[arg(
        short = 'F',
        long = "fingerprint",
        env = "KOSLI_FINGERPRINT",
        value_name = "SHA256"
    )]
    fingerprint: Option<String>,
    /// The Kosli flow name.
    #[arg(short = 'f', long = "flow", env = "KOSLI_FLOW", value_name = "FLOW")]
    flow: Option<String>,
    /// The name of the artifact in the yml template file.
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    name: Option<String>,
    #[command(flatten)]
    provenance: ArtifactProvenanceArgs,
    /// [conditional] The container registry password or access token.
    #[arg(long = "registry-password", value_name = "PASSWORD")]
    registry_password: Option<String>,
    /// [conditional] The container registry username.
    #[arg(long = "registry-username", value_name = "USER")]
    registry_username: Option<String>,
    /// The Kosli trail name.
    #[arg(short = 'T', long = "trail", env = "KOSLI_TRAIL", value_name = "TRAIL")]
    trail: Option<String>,
}

/// Runs `kosli attest artifact`.
pub fn artifact(args: &ArtifactArgs, ctx: &Context) -> ExitCode {
    const USAGE: &str = "kosli attest artifact {IMAGE-NAME | FILE-PATH | DIR-PATH} [flags]";
    let runner = Runner::new(ctx, "kosli attest artifact", USAGE)
        .label_flag("flow", args.flow.as_deref())
        .label_flag("trail", args.trail.as_deref())
        .dry_run(args.dry_run);
    let flow = args.flow.as_deref().unwrap_or_default();
    let trail = args.trail.as_deref().unwrap_or_default();
    let name = args.name.as_deref().unwrap_or_default();
    let usage = |m: &str| Error::config(format!("{m}\nUsage: {USAGE}"));
    let flags = || {
        let [path] = args.artifact.as_slice() else {
            return Err(usage("docker image name or file/dir path is required"));
        };
        if args.artifact_type.is_none() && args.fingerprint.is_none() {
            return Err(usage(
                "either --artifact-type or --fingerprint must be specified",
            ));
        }
        if let Some(fp) = &args.fingerprint {
            fp.parse::<Fingerprint>()
                .map_err(|e| usage(&e.to_string()))?;
        }
        cmd_support::required(&[
            ("flow", !flow.is_empty()),
            ("name", !name.is_empty()),
            ("trail", !trail.is_empty()),
        ])?;
        tracing::debug!("attesting {path}");
        Ok(())
    };
    runner.run(Ok(()), flags, |config, run| {
        let path = &args.artifact[0];
        let input = args.provenance.to_input(&ProcessEnv)?;
        let annotations = annotations(&args.annotate)?;
        let external = args.external.to_external_urls(&ProcessEnv)?;
        // The CLI checks annotation keys before it reads git.
        for k in annotations.keys() {
            check_annotation_key(k.clone())?;
        }
        let provenance = input.resolve_artifact(&ProcessEnv)?;
        for w in &provenance.warnings {
            ctx.warn(w);
        }
        let mut attest = match &args.fingerprint {
            Some(fp) => {
                AttestArtifact::with_fingerprint(flow, trail, name, fp.parse()?, path.as_str())
            }
            None => {
                let kind: ArtifactType =
                    args.artifact_type.as_deref().unwrap_or_default().parse()?;
                let fp = match kind {
                    ArtifactType::File | ArtifactType::Dir => {
                        fingerprint(path, kind, &args.exclude)?
                    }
                    image => crate::image_cmd::fingerprint(
                        path,
                        image,
                        args.registry_username.as_deref(),
                        args.registry_password.as_deref(),
                    )?,
                };
                let shown = match kind {
                    ArtifactType::File | ArtifactType::Dir => base_name(path),
                    _ => path.clone(),
                };
                AttestArtifact::with_fingerprint(flow, trail, name, fp, shown)
            }
        };
        if let Some(d) = &args.display_name {
            attest = attest.display_name(d.as_str());
        }
        attest = attest.provenance(&provenance).external_urls(external);
        for (k, v) in annotations {
            attest = attest.annotate(k, v)?;
        }
        let outcome = Client::new(config.clone())?.attest_artifact(&attest)?;
        if let Some(dry) = outcome.dry_run() {
            run.print(&dry.to_string());
            return Ok(());
        }
        run.println(&format!(
            "artifact {} was attested with fingerprint: {}",
            attest.filename(),
            attest.fingerprint()
        ));
        Ok(())
    })
}

/// Runs `kosli attest generic`.
pub fn generic(args: &GenericArgs, ctx: &Context) -> ExitCode {
    run_attestation(
        &args.common,
        ctx,
        "generic",
        &[],
        |_, _| {
            Ok(Evidence::Generic {
                is_compliant: args.compliant,
            })
        },
        |a, _| {
            format!(
                "generic attestation '{}' is reported to trail: {}",
                a.attestation_name(),
                a.trail()
            )
        },
    )
}

/// Runs `kosli attest custom`.
pub fn custom(args: &CustomArgs, ctx: &Context) -> ExitCode {
    let required = [
        ("attestation-data", args.attestation_data.is_some()),
        ("type", args.type_name.is_some()),
    ];
    let type_name = args.type_name.clone().unwrap_or_default();
    run_attestation(
        &args.common,
        ctx,
        "custom",
        &required,
        |_, _| {
            let path = args.attestation_data.as_deref().unwrap_or_default();
            let data = json_input::load(path)
                .map_err(|e| json_input::context("failed to load attestation data. ", e))?;
            Ok(Evidence::Custom {
                type_name: type_name.clone(),
                data,
            })
        },
        |a, _| {
            format!(
                "custom:{type_name} attestation '{}' is reported to trail: {}",
                a.attestation_name(),
                a.trail()
            )
        },
    )
}

/// Runs `kosli attest pullrequest <provider>`.
pub fn pull_request(args: &PullRequestArgs, ctx: &Context) -> ExitCode {
    use review_cmd::ProviderFlags as F;
    let (common, assert, flags) = match &args.provider {
        Provider::Github(a) => (&a.common, a.assert, F::Github(a.flags.clone())),
        Provider::Gitlab(a) => (&a.common, a.assert, F::Gitlab(a.flags.clone())),
        Provider::Bitbucket(a) => (&a.common, a.assert, F::Bitbucket(a.flags.clone())),
        Provider::Azure(a) => (&a.common, a.assert, F::Azure(a.flags.clone())),
    };
    review_cmd::attest_pull_request(common, assert, flags, ctx)
}

/// The frame of every attestation command: checks in the CLI's order, the common payload
/// fields, the type's evidence, the attachments, then dry-run or the send and its message.
pub(crate) fn run_attestation<E: Into<Reported>>(
    common: &AttestFlags,
    ctx: &Context,
    kind: &str,
    extra_required: &[(&str, bool)],
    evidence: impl Fn(&AttestationProvenance, &Config) -> Result<E, Error>,
    message: impl Fn(&Attestation, bool) -> String,
) -> ExitCode {
    let command = format!("kosli attest {kind}");
    let usage = match kind {
        "generic" => "kosli attest generic [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
        "custom" => "kosli attest custom [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
        "pullrequest gitlab" => {
            "kosli attest pullrequest gitlab [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]"
        }
        "pullrequest bitbucket" => {
            "kosli attest pullrequest bitbucket [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]"
        }
        "pullrequest azure" => {
            "kosli attest pullrequest azure [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]"
        }
        "sonar" => "kosli attest sonar [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
        "jira" => "kosli attest jira [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
        _ => "kosli attest pullrequest github [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
    };
    let runner = Runner::new(ctx, &command, usage)
        .label_flag("flow", common.flow.as_deref())
        .label_flag("trail", common.trail.as_deref())
        .dry_run(common.dry_run);
    let flow = common.flow.as_deref().unwrap_or_default();
    let trail = common.trail.as_deref().unwrap_or_default();
    let name = common.name.as_deref().unwrap_or_default();
    let flags = || {
        let mut required: Vec<(&str, bool)> = vec![
            ("flow", !flow.is_empty()),
            ("name", !name.is_empty()),
            ("trail", !trail.is_empty()),
        ];
        required.extend_from_slice(extra_required);
        required.sort_by_key(|(n, _)| *n);
        cmd_support::required(&required)?;
        AttestationName::parse(name).map_err(|e| {
            Error::invalid_input("name", format!("failed to parse attestation name: {e}"))
        })?;
        Ok(())
    };
    runner.run(Ok(()), flags, |config, run| {
        let annotations = annotations(&common.annotate)?;
        for k in annotations.keys() {
            check_annotation_key(k.clone())?;
        }
        let provenance = common
            .provenance
            .to_input(&ProcessEnv)?
            .resolve_attestation(&ProcessEnv)?;
        for w in &provenance.warnings {
            ctx.warn(w);
        }
        let (core, review) = match evidence(&provenance, config)?.into() {
            Reported::Core(e) => (e, None),
            // The review module adds its own evidence to these common fields.
            Reported::Review(r) => (Evidence::Generic { is_compliant: true }, Some(r)),
        };
        let mut a = Attestation::new(flow, trail, name, core)?
            .provenance(&provenance)
            .external_urls(common.external.to_external_urls(&ProcessEnv)?)
            .description(common.description.clone().unwrap_or_default());
        for (k, v) in annotations {
            a = a.annotate(k, v)?;
        }
        if let Some(path) = &common.user_data {
            let data = json_input::load(path)
                .map_err(|e| json_input::context("failed to load user data. ", e))?;
            a = a.user_data(data);
        }
        if let Some(fp) = attestation_fingerprint(common)? {
            a = a.fingerprint(fp);
        }
        for path in &common.attachments {
            a = a.attach(path);
        }
        send(config, run, &a, review, &message)
    })
}

/// Sends (or, in dry-run, prints) an attestation and prints its message.
fn send(
    config: &Config,
    run: &HostRun,
    a: &Attestation,
    review: Option<ReviewEvidence>,
    message: &dyn Fn(&Attestation, bool) -> String,
) -> Result<(), Error> {
    let client = Client::new(config.clone())?;
    let outcome = match review {
        Some(r) => client.attest_review(&ReviewAttestation::new(a.clone(), r)),
        None => client.attest(a),
    }
    .map_err(binding_hint)?;
    if let Some(dry) = outcome.dry_run() {
        run.print(&dry.to_string());
        return Ok(());
    }
    let text = message(a, false);
    if !text.is_empty() {
        run.println(&text);
    }
    Ok(())
}

/// Kosli's "requires at least one of: artifact_fingerprint or git_commit_info." in the CLI's
/// words, which name the flags.
pub fn binding_hint(e: Error) -> Error {
    let text = e.to_string();
    if !text.contains(BINDING_SERVER_TEXT) {
        return e;
    }
    let replaced = text.replace(BINDING_SERVER_TEXT, BINDING_CLI_TEXT);
    match e {
        Error::Api { status, .. } => Error::Api {
            status,
            message: replaced,
        },
        _ => Error::invalid_input("fingerprint", replaced),
    }
}

/// `--fingerprint`, or the fingerprint of the artifact argument with `--artifact-type`.
fn attestation_fingerprint(common: &AttestFlags) -> Result<Option<Fingerprint>, Error> {
    if let Some(fp) = &common.fingerprint {
        return fp.parse().map(Some);
    }
    let (Some(kind), Some(path)) = (&common.artifact_type, common.artifact.first()) else {
        return Ok(None);
    };
    fingerprint(path, kind.parse()?, &common.exclude).map(Some)
}

/// Fingerprints a file or directory (`oci` and `docker` are not in this example yet).
fn fingerprint(path: &str, kind: ArtifactType, exclude: &[String]) -> Result<Fingerprint, Error> {
    let fingerprinter = Fingerprinter::new().excludes(split_exclude_values(exclude)?);
    match kind {
        ArtifactType::File => fingerprinter.file(path),
        ArtifactType::Dir => fingerprinter.dir(path),
        other => Err(Error::invalid_input(
            "artifact-type",
            format!(
                "--artifact-type {other} is not supported by this example yet: give --fingerprint"
            ),
        )),
    }
}

fn base_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// `--annotate` values as pflag's string-to-string flag reads them (`a=1,b=2`, repeatable).
fn annotations(values: &[String]) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for value in values {
        let items: Vec<&str> = if value.matches('=').count() <= 1 {
            vec![value.as_str()]
        } else {
            value.split(',').collect()
        };
        for item in items {
            let Some((k, v)) = item.split_once('=') else {
                return Err(Error::invalid_input(
                    "annotate",
                    format!("invalid argument \"{value}\" for \"--annotate\" flag: {item} must be formatted as key=value"),
                ));
            };
            out.insert(k.to_string(), v.to_string());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_parse_like_pflag() {
        let a = annotations(&["a=1,b_2=x".into(), "c=3".into()]).unwrap();
        assert_eq!(
            a.into_iter().collect::<Vec<_>>(),
            [
                ("a".into(), "1".into()),
                ("b_2".into(), "x".into()),
                ("c".into(), "3".into())
            ]
        );
        let a = annotations(&["k=v,w".into()]).unwrap();
        assert_eq!(a["k"], "v,w");
        assert!(annotations(&["nokey".into()]).is_err());
    }

    #[test]
    fn the_binding_error_names_the_flags() {
        let e = binding_hint(Error::Api {
            status: 400,
            message: "Attestation for artifact 'app' requires at least one of: artifact_fingerprint or git_commit_info.".into(),
        });
        assert_eq!(
            e.to_string(),
            format!("Attestation for artifact 'app' requires at least one of: {BINDING_CLI_TEXT}")
        );
    }
}
