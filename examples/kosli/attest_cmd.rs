//! `kosli attest junit` and `kosli attest snyk`: test results and Snyk scans as attestations.
//!
//! With `--dry-run` (or the API token `DRY_RUN`) the request is printed exactly as the official
//! CLI prints it; otherwise it is sent through the SDK's client, the attachments packed as the
//! CLI packs them. Commit and repository information come from the SDK's provenance module.
//! The other attestation types (`artifact`, `generic`, `custom`, `pullrequest`) are in
//! `attest_more_cmd.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kosli_core::dryrun::{DryRun, Method, MultipartField};
use kosli_core::evidence::{junit, snyk};
use kosli_core::fingerprint::{split_exclude_values, Fingerprinter};
use kosli_core::model::attestation::{AttestationCommon, ExternalUrl};
use kosli_core::model::junit::JunitAttestation;
use kosli_core::model::snyk::SnykAttestation;
use kosli_core::provenance::{AttestationProvenance, ProcessEnv, ProvenanceInput, Redactions};
use kosli_core::{ArtifactType, Error};
use serde_json::Value;

use crate::output::Context;

/// `kosli attest ...`
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Kind,
}

#[derive(Debug, clap::Subcommand)]
enum Kind {
    /// Report a junit attestation to an artifact or a trail in a Kosli flow.
    ///
    /// Differences from the official CLI: results files declaring another encoding (ISO-8859-x,
    /// Windows-125x, UTF-16, ...) are decoded instead of rejected; XML errors name the file and
    /// line but may be worded differently.
    Junit(Box<JunitArgs>),
    /// Report a snyk attestation to an artifact or a trail in a Kosli flow.
    ///
    /// Differences from the official CLI: a malformed value (e.g. a string priorityScore) is an
    /// error naming the field instead of a crash; JSON errors name the line.
    Snyk(Box<SnykArgs>),
    /// Attest an artifact's creation to a Kosli flow.
    ///
    /// Differences from the official CLI: with --artifact-type oci|docker, registries are asked
    /// with the SDK's own User-Agent and the Docker Engine over unix://, tcp:// or http://
    /// (no TLS or ssh DOCKER_HOST).
    Artifact(Box<crate::attest_more_cmd::ArtifactArgs>),
    /// Report a generic attestation to an artifact or a trail in a Kosli flow.
    ///
    /// Differences from the official CLI: among several --attachments, a path that starts with
    /// `..` is archived under its absolute path (the CLI silently leaves it out).
    Generic(Box<crate::attest_more_cmd::GenericArgs>),
    /// Report a custom attestation to an artifact or a trail in a Kosli flow.
    ///
    /// Differences from the official CLI: as for `attest generic`'s attachments.
    Custom(Box<crate::attest_more_cmd::CustomArgs>),
    /// Report a pull request attestation to an artifact or a trail in a Kosli flow.
    #[command(name = "pullrequest")]
    Pullrequest(crate::attest_more_cmd::PullRequestArgs),
    /// Report a SonarQube attestation to an artifact or a trail in a Kosli flow.
    Sonar(Box<crate::review_cmd::SonarArgs>),
    /// Report a jira attestation to an artifact or a trail in a Kosli flow.
    Jira(Box<crate::review_cmd::JiraArgs>),
}

/// Flags of `attest junit`.
#[derive(Debug, clap::Args)]
struct JunitArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// [defaulted] The path to a directory with JUnit test results. By default, the directory will be uploaded to Kosli's evidence vault.
    #[arg(
        short = 'R',
        long = "results-dir",
        default_value = ".",
        value_name = "DIR"
    )]
    results_dir: PathBuf,
    /// [defaulted] Whether to upload the provided Junit results directory as an attachment to Kosli or not.
    #[arg(long = "upload-results", default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    upload_results: bool,
}

/// Flags of `attest snyk`.
#[derive(Debug, clap::Args)]
struct SnykArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The path to Snyk scan SARIF results file from 'snyk test' and 'snyk container test'. By default, the Snyk results will be uploaded to Kosli's evidence vault.
    #[arg(
        short = 'R',
        long = "scan-results",
        default_value = "",
        value_name = "FILE"
    )]
    scan_results: PathBuf,
    /// [defaulted] Whether to upload the provided Snyk results file as an attachment to Kosli or not.
    #[arg(long = "upload-results", default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    upload_results: bool,
}

/// The flags every attestation command has.
#[derive(Debug, clap::Args)]
struct CommonArgs {
    /// [optional] Annotate the attestation with data using key=value.
    #[arg(long = "annotate", value_name = "KEY=VALUE")]
    annotate: Vec<String>,
    /// The type of the artifact to calculate its SHA256 fingerprint. One of: [oci, docker, file, dir].
    #[arg(short = 't', long = "artifact-type", value_name = "TYPE")]
    artifact_type: Option<String>,
    /// [optional] The comma-separated list of paths of attachments for the reported attestation.
    #[arg(long = "attachments", value_delimiter = ',', value_name = "PATHS")]
    attachments: Vec<PathBuf>,
    /// [conditional] The git commit for which the attestation is associated to.
    #[arg(short = 'g', long = "commit", value_name = "SHA")]
    commit: Option<String>,
    /// [optional] attestation description
    #[arg(long = "description", value_name = "TEXT")]
    description: Option<String>,
    /// [optional] Run in dry-run mode: print the request instead of sending it; exit 0 on errors.
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
    /// [optional] A SHA256 fingerprint of an external attachment represented by --external-url (label=fingerprint).
    #[arg(long = "external-fingerprint", value_name = "LABEL=FINGERPRINT")]
    external_fingerprint: Vec<String>,
    /// [optional] Add labeled reference URL for an external resource (label=url).
    #[arg(long = "external-url", value_name = "LABEL=URL")]
    external_url: Vec<String>,
    /// [conditional] The SHA256 fingerprint of the artifact to attach the attestation to.
    #[arg(short = 'F', long = "fingerprint", value_name = "SHA256")]
    fingerprint: Option<String>,
    /// The Kosli flow name.
    #[arg(short = 'f', long = "flow", env = "KOSLI_FLOW", value_name = "FLOW")]
    flow: Option<String>,
    /// The name of the attestation as declared in the flow or trail yaml template.
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    name: Option<String>,
    /// [optional] The url pointing to where the attestation came from or is related.
    #[arg(short = 'o', long = "origin-url", value_name = "URL")]
    origin_url: Option<String>,
    /// [optional] The list of commit info to be redacted before sending to Kosli (author, message, branch).
    #[arg(
        long = "redact-commit-info",
        value_delimiter = ',',
        value_name = "FIELDS"
    )]
    redact_commit_info: Vec<String>,
    /// [conditional] The container registry password or access token.
    #[arg(long = "registry-password", value_name = "PASSWORD")]
    registry_password: Option<String>,
    /// [conditional] The container registry username.
    #[arg(long = "registry-username", value_name = "USER")]
    registry_username: Option<String>,
    /// [conditional] The stable, unique identifier for the repository in your VCS provider.
    #[arg(long = "repo-id", value_name = "ID")]
    repo_id: Option<String>,
    /// [optional] The source code hosting provider.
    #[arg(long = "repo-provider", value_name = "PROVIDER")]
    repo_provider: Option<String>,
    /// [defaulted] The directory where the source git repository is available.
    #[arg(long = "repo-root", default_value = ".", value_name = "DIR")]
    repo_root: PathBuf,
    /// [conditional] The URL of the repository.
    #[arg(long = "repo-url", value_name = "URL")]
    repo_url: Option<String>,
    /// [conditional] The name of the repository (e.g. owner/repo-name).
    #[arg(long = "repository", value_name = "NAME")]
    repository: Option<String>,
    /// The Kosli trail name.
    #[arg(short = 'T', long = "trail", env = "KOSLI_TRAIL", value_name = "TRAIL")]
    trail: Option<String>,
    /// [optional] The path to a JSON file containing additional data you would like to attach to the attestation.
    #[arg(short = 'u', long = "user-data", value_name = "FILE")]
    user_data: Option<PathBuf>,
    /// [IMAGE-NAME | FILE-PATH | DIR-PATH] The artifact to fingerprint (with --artifact-type).
    #[arg(value_name = "ARTIFACT", num_args = 0..=1)]
    artifact: Option<PathBuf>,
}

/// What the command resolved before building its payload.
struct Target {
    url_base: String,
    flow: String,
    trail: String,
    dry_run: bool,
}

/// Runs `kosli attest <kind>` and returns the exit code, printing as the CLI does.
pub fn run(args: &Args, ctx: &Context) -> ExitCode {
    let (kind, common) = match &args.command {
        Kind::Junit(a) => ("junit", &a.common),
        Kind::Snyk(a) => ("snyk", &a.common),
        Kind::Artifact(a) => return crate::attest_more_cmd::artifact(a, ctx),
        Kind::Generic(a) => return crate::attest_more_cmd::generic(a, ctx),
        Kind::Custom(a) => return crate::attest_more_cmd::custom(a, ctx),
        Kind::Pullrequest(a) => return crate::attest_more_cmd::pull_request(a, ctx),
        Kind::Sonar(a) => return crate::review_cmd::sonar(a, ctx),
        Kind::Jira(a) => return crate::review_cmd::jira(a, ctx),
    };
    let dry_run =
        common.dry_run || env_flag("KOSLI_DRY_RUN") || api_token(ctx).as_deref() == Some("DRY_RUN");
    let mut label = format!("kosli attest {kind}");
    let outcome = resolve(common, ctx, dry_run).and_then(|target| {
        label = format!(
            "kosli attest {kind} flow={} trail={}",
            target.flow, target.trail
        );
        let provenance = provenance(common)?;
        for w in &provenance.warnings {
            ctx.warn(w);
        }
        let request = match &args.command {
            Kind::Junit(a) => junit_request(a, &target, &provenance)?,
            Kind::Snyk(a) => snyk_request(a, &target, &provenance)?,
            _ => unreachable!("dispatched above"),
        };
        if target.dry_run {
            print!("{request}");
            Ok(())
        } else {
            send_attestation(
                &request,
                ctx,
                kind,
                &target,
                common.name.as_deref().unwrap_or_default(),
            )
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if dry_run => {
            println!("Error: [{label}] {e}");
            eprintln!("[warning] Encountered an error but --dry-run is enabled. Exiting with 0 exit code.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Error: [{label}] {e}");
            ExitCode::FAILURE
        }
    }
}

/// Sends the attestation the dry-run value describes through the SDK (the same `data_json`,
/// the files packed as the CLI packs them) and prints the CLI's message.
fn send_attestation(
    request: &DryRun,
    ctx: &Context,
    kind: &str,
    target: &Target,
    name: &str,
) -> Result<(), Error> {
    use kosli_core::client::{Part, Request};
    use kosli_core::dryrun::{Body, FieldValue};
    let config = ctx.global.config(Some(false))?;
    if !config.primary().has_token() {
        return Err(Error::config(format!(
            "--api-token is not set\nUsage: kosli attest {kind} [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]"
        )));
    }
    let (mut parts, mut files) = (Vec::new(), Vec::new());
    if let Body::Multipart(fields) = &request.body {
        for f in fields {
            match &f.value {
                FieldValue::Json(text) => parts.push(Part::field(f.name.as_str(), text.as_str())),
                FieldValue::File(path) => files.push(path.clone()),
            }
        }
    }
    parts.extend(kosli_core::ops::attachments::pack(&files)?);
    let op = match kind {
        "junit" => &kosli_core::operations::ATTEST_JUNIT,
        _ => &kosli_core::operations::ATTEST_SNYK,
    };
    let request = Request::new(op)
        .param("flow", target.flow.as_str())
        .param("trail", target.trail.as_str())
        .multipart(parts);
    kosli_core::blocking::Client::new(config)?
        .write(&request)
        .map_err(crate::attest_more_cmd::binding_hint)?;
    let name = kosli_core::ops::naming::AttestationName::parse(name)?;
    println!(
        "{kind} attestation '{}' is reported to trail: {}",
        name.attestation(),
        target.trail
    );
    Ok(())
}

/// Commit, repository and origin URL from the flags, resolved by the SDK's provenance module
/// (CI defaults included).
fn provenance(common: &CommonArgs) -> Result<AttestationProvenance, Error> {
    let mut input = ProvenanceInput::new();
    input.commit = common.commit.clone();
    input.repo_root = Some(common.repo_root.clone());
    input.origin_url = common.origin_url.clone();
    input.repo_id = common.repo_id.clone();
    input.repository = common.repository.clone();
    input.repo_url = common.repo_url.clone();
    input.repo_provider = common.repo_provider.clone();
    input.redact = Redactions::from_values(&common.redact_commit_info)?;
    input.resolve_attestation(&ProcessEnv)
}

fn resolve(common: &CommonArgs, ctx: &Context, dry_run: bool) -> Result<Target, Error> {
    let missing: Vec<&str> = [
        ("flow", &common.flow),
        ("name", &common.name),
        ("trail", &common.trail),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_none())
    .map(|(n, _)| n)
    .collect();
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Error::invalid_input(
            "flags",
            format!("required flag(s) {list} not set"),
        ));
    }
    let flow = common.flow.clone().unwrap_or_default();
    let trail = common.trail.clone().unwrap_or_default();
    let org = ctx
        .global
        .org
        .clone()
        .or_else(|| std::env::var("KOSLI_ORG").ok());
    let Some(org) = org.filter(|o| !o.is_empty()) else {
        return Err(Error::config(
            "--org is not set\nUsage: kosli attest junit [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
        ));
    };
    let host = ctx
        .global
        .host
        .clone()
        .or_else(|| std::env::var("KOSLI_HOST").ok())
        .unwrap_or_else(|| "https://app.kosli.com".to_owned());
    let host = host.trim_end_matches('/');
    Ok(Target {
        url_base: format!("{host}/api/v2/attestations/{org}/{flow}/trail/{trail}"),
        flow,
        trail,
        dry_run,
    })
}

fn junit_request(
    args: &JunitArgs,
    target: &Target,
    provenance: &AttestationProvenance,
) -> Result<DryRun, Error> {
    let common = payload_common(&args.common, provenance)?;
    let summary = junit::parse_dir(&args.results_dir)?;
    let mut fields = vec![MultipartField::json(
        "data_json",
        &JunitAttestation {
            common,
            junit_results: summary.suites,
        },
    )?];
    if args.upload_results {
        fields.extend(
            summary
                .files
                .iter()
                .map(|f| MultipartField::file("attachment_file", f)),
        );
    }
    fields.extend(attachments(&args.common));
    Ok(DryRun::multipart(
        Method::Post,
        format!("{}/junit", target.url_base),
        fields,
    ))
}

fn snyk_request(
    args: &SnykArgs,
    target: &Target,
    provenance: &AttestationProvenance,
) -> Result<DryRun, Error> {
    let common = payload_common(&args.common, provenance)?;
    let results = snyk::parse_file(&args.scan_results)?;
    let mut fields = vec![MultipartField::json(
        "data_json",
        &SnykAttestation {
            common,
            snyk_results: results,
        },
    )?];
    if args.upload_results {
        fields.push(MultipartField::file("attachment_file", &args.scan_results));
    }
    fields.extend(attachments(&args.common));
    Ok(DryRun::multipart(
        Method::Post,
        format!("{}/snyk", target.url_base),
        fields,
    ))
}

fn attachments(common: &CommonArgs) -> impl Iterator<Item = MultipartField> + '_ {
    common
        .attachments
        .iter()
        .map(|p| MultipartField::file("attachment_file", p))
}

/// The common payload fields from the flags, in the CLI's order and with its checks.
fn payload_common(
    args: &CommonArgs,
    provenance: &AttestationProvenance,
) -> Result<AttestationCommon, Error> {
    let name = args.name.as_deref().unwrap_or_default();
    let mut common = AttestationCommon::new(name).map_err(|e| {
        Error::invalid_input("name", format!("failed to parse attestation name: {e}"))
    })?;
    common.artifact_fingerprint = artifact_fingerprint(args)?;
    common.git_commit_info = provenance.git_commit_info.clone();
    common.repo_info = provenance.repo_info.clone();
    common.origin_url = provenance.origin_url.clone().unwrap_or_default();
    common.description = args.description.clone().unwrap_or_default();
    common.annotations = key_values(&args.annotate, "annotate")?;
    let fingerprints = key_values(&args.external_fingerprint, "external-fingerprint")?;
    let urls = key_values(&args.external_url, "external-url")?;
    if let Some(label) = fingerprints.keys().find(|l| !urls.contains_key(*l)) {
        return Err(Error::invalid_input(
            "external-fingerprint",
            format!("--external-fingerprint has labels that don't have a URL in --external-url: [{label}]"),
        ));
    }
    common.external_urls = urls
        .into_iter()
        .map(|(label, href)| {
            let fingerprint = fingerprints.get(&label).cloned();
            (label, ExternalUrl { href, fingerprint })
        })
        .collect();
    if let Some(path) = &args.user_data {
        common.user_data = user_data(path)?;
    }
    Ok(common)
}

fn artifact_fingerprint(args: &CommonArgs) -> Result<Option<String>, Error> {
    if let Some(fp) = &args.fingerprint {
        return Ok(Some(fp.clone()));
    }
    let (Some(kind), Some(path)) = (&args.artifact_type, &args.artifact) else {
        return Ok(None);
    };
    let kind: ArtifactType = kind.parse()?;
    let excludes = split_exclude_values(&args.exclude)?;
    let fingerprinter = Fingerprinter::new().excludes(excludes);
    let fp = match kind {
        ArtifactType::File => fingerprinter.file(path)?,
        ArtifactType::Dir => fingerprinter.dir(path)?,
        other => {
            return Err(Error::invalid_input(
                "artifact-type",
                format!("--artifact-type {other} is not supported by this build yet"),
            ))
        }
    };
    Ok(Some(fp.to_string()))
}

/// `key=value` flags (pflag's stringToString: comma-separated pairs, repeatable).
fn key_values(values: &[String], flag: &str) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for value in values {
        for pair in value.split(',') {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(Error::invalid_input(
                    flag,
                    format!("invalid argument \"{value}\" for \"--{flag}\" flag: {pair} must be formatted as key=value"),
                ));
            };
            out.insert(k.to_owned(), v.to_owned());
        }
    }
    Ok(out)
}

/// The `--user-data` file as Go decodes it: an object whose numbers are all float64.
fn user_data(path: &Path) -> Result<Value, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("open", path, e))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::parse(
            Some(path),
            Some(e.line() as u64),
            format!("failed to parse {}: {e}", path.display()),
        )
    })?;
    Ok(floats(value))
}

fn floats(value: Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Value::Array(items) => Value::Array(items.into_iter().map(floats).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, floats(v))).collect()),
        other => other,
    }
}

fn api_token(ctx: &Context) -> Option<String> {
    ctx.global
        .api_token
        .clone()
        .or_else(|| std::env::var("KOSLI_API_TOKEN").ok())
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}
