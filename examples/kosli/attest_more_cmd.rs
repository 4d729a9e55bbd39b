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
use kosli_core::client::Request;
use kosli_core::dryrun::Method;
use kosli_core::fingerprint::{split_exclude_values, Fingerprinter};
use kosli_core::model::pull_request::{PrApprover, PrCommit, PullRequest};
use kosli_core::operations::Operation;
use kosli_core::ops::attest_artifact::{check_annotation_key, AttestArtifact};
use kosli_core::ops::attestations::{Attestation, Evidence};
use kosli_core::ops::naming::AttestationName;
use kosli_core::provenance::{AttestationProvenance, ProcessEnv};
use kosli_core::{ArtifactType, Config, Error, Fingerprint};
use serde_json::Value;

use crate::cmd_support::{self, Runner};
use crate::json_input;
use crate::output::{Context, HostRun};
use crate::provenance_flags::{ArtifactProvenanceArgs, ExternalUrlArgs, ProvenanceArgs};
use crate::timefmt;

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
    /// The pull requests are read from GitHub by this example with the CLI's GraphQL query (and
    /// its REST fallback), sent with the SDK's HTTP client; the SDK's operation takes them as
    /// data. Differences from the official CLI: the GitHub requests carry the SDK's User-Agent
    /// and `Content-Type: application/json; charset=utf-8`; pull requests found only by the REST
    /// fallback are sent without their reviews and commits; only `github` is available.
    Github(Box<GithubArgs>),
}

/// Flags of `kosli attest pullrequest github`.
#[derive(Debug, clap::Args)]
pub struct GithubArgs {
    #[command(flatten)]
    common: AttestFlags,
    /// [optional] Exit with non-zero code if no pull requests found for the given commit.
    #[arg(long)]
    assert: bool,
    /// [optional] GitHub base URL (only needed for GitHub Enterprise installations).
    #[arg(
        long = "github-base-url",
        env = "KOSLI_GITHUB_BASE_URL",
        value_name = "URL"
    )]
    github_base_url: Option<String>,
    /// Github organization (defaulted in GitHub Actions).
    #[arg(long = "github-org", env = "KOSLI_GITHUB_ORG", value_name = "ORG")]
    github_org: Option<String>,
    /// Github token.
    #[arg(
        long = "github-token",
        env = "KOSLI_GITHUB_TOKEN",
        value_name = "TOKEN"
    )]
    github_token: Option<String>,
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
        |_| {
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
        |_| {
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
    let Provider::Github(gh) = &args.provider;
    let required = [
        ("commit", gh.common.provenance.commit.is_some()),
        ("github-org", github_org(gh).is_some()),
        ("github-token", gh.github_token.is_some()),
        ("repository", gh.common.provenance.repo.repository.is_some()),
    ];
    let found = std::cell::Cell::new(0usize);
    let sha = std::cell::RefCell::new(String::new());
    let code = run_attestation(
        &gh.common,
        ctx,
        "pullrequest github",
        &required,
        |prov| {
            let commit = prov
                .git_commit_info
                .as_ref()
                .map(|c| c.sha1.clone())
                .unwrap_or_default();
            let prs = github_pull_requests(gh, &commit)?;
            println!("found {} pull request(s) for commit: {commit}", prs.len());
            found.set(prs.len());
            *sha.borrow_mut() = commit;
            Ok(Evidence::PullRequest {
                git_provider: "github".into(),
                pull_requests: prs,
            })
        },
        |a, dry| {
            if dry {
                return String::new();
            }
            format!(
                "github pull request attestation '{}' is reported to trail: {}",
                a.attestation_name(),
                a.trail()
            )
        },
    );
    if code == ExitCode::SUCCESS && gh.assert && found.get() == 0 && !sha.borrow().is_empty() {
        let label = format!(
            "kosli attest pullrequest github{}{}",
            flag_label("flow", gh.common.flow.as_deref()),
            flag_label("trail", gh.common.trail.as_deref())
        );
        eprintln!(
            "Error: [{label}] assert failed: no pull request found for the given commit: {}",
            sha.borrow()
        );
        return ExitCode::FAILURE;
    }
    code
}

fn flag_label(key: &str, value: Option<&str>) -> String {
    value
        .filter(|v| !v.is_empty())
        .map(|v| format!(" {key}={v}"))
        .unwrap_or_default()
}

/// The frame of every attestation command: checks in the CLI's order, the common payload
/// fields, the type's evidence, the attachments, then dry-run or the send and its message.
fn run_attestation(
    common: &AttestFlags,
    ctx: &Context,
    kind: &str,
    extra_required: &[(&str, bool)],
    evidence: impl Fn(&AttestationProvenance) -> Result<Evidence, Error>,
    message: impl Fn(&Attestation, bool) -> String,
) -> ExitCode {
    let command = format!("kosli attest {kind}");
    let usage = match kind {
        "generic" => "kosli attest generic [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
        "custom" => "kosli attest custom [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
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
        let mut a = Attestation::new(flow, trail, name, evidence(&provenance)?)?
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
        send(config, run, &a, &message)
    })
}

/// Sends (or, in dry-run, prints) an attestation and prints its message.
fn send(
    config: &Config,
    run: &HostRun,
    a: &Attestation,
    message: &dyn Fn(&Attestation, bool) -> String,
) -> Result<(), Error> {
    let outcome = Client::new(config.clone())?
        .attest(a)
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

fn github_org(gh: &GithubArgs) -> Option<String> {
    gh.github_org
        .clone()
        .or_else(|| std::env::var("GITHUB_REPOSITORY_OWNER").ok())
        .filter(|o| !o.is_empty())
}

/// The CLI's GraphQL query for a commit's pull requests (observed from CLI v2.43.1).
const GITHUB_QUERY: &str = "query($commitCursor:String$commitSHA:GitObjectID!$owner:String!$repo:String!$reviewCursor:String){repository(owner: $owner, name: $repo){object(oid: $commitSHA){... on Commit{associatedPullRequests(first: 100){nodes{number,repository{name,owner{login}},title,state,headRefName,baseRefName,url,createdAt,mergedAt,author{login},commits(first: 100, after: $commitCursor){nodes{commit{oid,messageHeadline,committedDate,authoredDate,url,author{name,email,user{login}},signature{isValid,state}}},pageInfo{hasNextPage,endCursor}},reviews(first: 100, states: APPROVED, after: $reviewCursor){nodes{author{login},state,submittedAt},pageInfo{hasNextPage,endCursor}}}}}}}}";

static GITHUB_GRAPHQL: Operation = Operation::new("github_graphql", Method::Post, "/graphql");
static GITHUB_COMMIT_PULLS: Operation = Operation::new(
    "github_commit_pulls",
    Method::Get,
    "/repos/{owner}/{repo}/commits/{sha}/pulls",
);

/// A client of GitHub: `https://api.github.com` (GraphQL at `/graphql`), or for GitHub
/// Enterprise `<base>/api` (GraphQL at `<base>/api/graphql`, REST under `<base>/api/v3`).
fn github_client(gh: &GithubArgs, rest: bool) -> Result<Client, Error> {
    let host = match gh.github_base_url.as_deref() {
        None | Some("") => "https://api.github.com".to_string(),
        Some(base) => {
            let base = base.trim_end_matches('/');
            if rest {
                format!("{base}/api/v3")
            } else {
                format!("{base}/api")
            }
        }
    };
    let config = Config::builder()
        .host(host)
        .api_token(gh.github_token.clone().unwrap_or_default())
        .allow_insecure_http(true)
        .build()?;
    Client::new(config)
}

/// The commit's pull requests: the GraphQL query, then the REST list when it finds none.
fn github_pull_requests(gh: &GithubArgs, commit: &str) -> Result<Vec<PullRequest>, Error> {
    let owner = github_org(gh).unwrap_or_default();
    let repo = gh
        .common
        .provenance
        .repo
        .repository
        .clone()
        .unwrap_or_default();
    let variables = serde_json::json!({
        "commitCursor": null, "commitSHA": commit, "owner": owner, "repo": repo, "reviewCursor": null
    });
    // Go's json.Encoder: the query string escaped as Go does, then a newline.
    let mut body =
        kosli_core::model::go_json::to_string(&serde_json::json!({ "query": GITHUB_QUERY }))?;
    body.truncate(body.len() - 1);
    body.push_str(&format!(
        ",\"variables\":{}}}\n",
        kosli_core::model::go_json::to_string(&variables)?
    ));
    let response =
        github_client(gh, false)?.read(&Request::new(&GITHUB_GRAPHQL).json_bytes(body))?;
    let answer: Value = response.json()?;
    let nodes = answer["data"]["repository"]["object"]["associatedPullRequests"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !nodes.is_empty() {
        return nodes
            .iter()
            .map(|n| graphql_pull_request(n, commit))
            .collect();
    }
    let request = Request::new(&GITHUB_COMMIT_PULLS)
        .param("owner", owner.as_str())
        .param("repo", repo.as_str())
        .param("sha", commit)
        .query("page", "1")
        .query("per_page", "100");
    let response = github_client(gh, true)?.read(&request)?;
    let list: Vec<Value> = response.json().map_err(|_| {
        Error::parse(
            None,
            None,
            "json: cannot unmarshal object into Go value of type []*github.PullRequest",
        )
    })?;
    Ok(list.iter().map(|p| rest_pull_request(p, commit)).collect())
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn epoch(v: &Value) -> Result<i64, Error> {
    let s = v.as_str().unwrap_or_default();
    timefmt::parse_rfc3339(s).ok_or_else(|| {
        Error::parse(
            None,
            None,
            format!("parsing time {s:?}: not an RFC 3339 time"),
        )
    })
}

/// One pull request of the GraphQL answer in the attestation's shape.
fn graphql_pull_request(n: &Value, commit: &str) -> Result<PullRequest, Error> {
    let head = text(&n["headRefName"]);
    let approvers = n["reviews"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            Ok(PrApprover {
                username: text(&r["author"]["login"]),
                state: text(&r["state"]),
                timestamp: epoch(&r["submittedAt"])?,
            })
        })
        .collect::<Result<_, Error>>()?;
    let commits = n["commits"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let c = &c["commit"];
            let signature = c["signature"].as_object();
            Ok(PrCommit {
                sha1: text(&c["oid"]),
                message: text(&c["messageHeadline"]),
                author: format!(
                    "{} <{}>",
                    text(&c["author"]["name"]),
                    text(&c["author"]["email"])
                ),
                author_username: c["author"]["user"]["login"].as_str().map(str::to_string),
                timestamp: epoch(&c["authoredDate"])?,
                branch: head.clone(),
                url: text(&c["url"]),
                verified: signature
                    .and_then(|s| s.get("isValid"))
                    .and_then(Value::as_bool),
                signature_state: signature
                    .and_then(|s| s.get("state"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(PullRequest {
        merge_commit: commit.to_string(),
        url: text(&n["url"]),
        state: text(&n["state"]),
        approvers,
        author: text(&n["author"]["login"]),
        created_at: epoch(&n["createdAt"])?,
        merged_at: match &n["mergedAt"] {
            Value::Null => None,
            v => Some(epoch(v)?),
        },
        title: text(&n["title"]),
        head_ref: head,
        base_ref: text(&n["baseRefName"]),
        commits,
    })
}

/// One pull request of the REST fallback (not observed with PRs: its reviews and commits are
/// not fetched by this example).
fn rest_pull_request(p: &Value, commit: &str) -> PullRequest {
    PullRequest {
        merge_commit: commit.to_string(),
        url: text(&p["html_url"]),
        state: text(&p["state"]),
        approvers: Vec::new(),
        author: text(&p["user"]["login"]),
        created_at: epoch(&p["created_at"]).unwrap_or_default(),
        merged_at: epoch(&p["merged_at"]).ok(),
        title: text(&p["title"]),
        head_ref: text(&p["head"]["ref"]),
        base_ref: text(&p["base"]["ref"]),
        commits: Vec::new(),
    }
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

    #[test]
    fn graphql_answers_become_pull_requests() {
        // The capture's fake GitHub answer (attest_pr_github_fake_gh).
        let node = serde_json::json!({
            "number": 7, "title": "Add feature", "state": "MERGED", "headRefName": "feature-x", "baseRefName": "main",
            "url": "https://github.com/acme/app/pull/7", "createdAt": "2024-06-01T10:00:00Z", "mergedAt": "2024-06-02T10:00:00Z",
            "author": {"login": "alice"},
            "commits": {"nodes": [{"commit": {"oid": "0fc1", "messageHeadline": "feature x", "committedDate": "2024-06-01T09:00:00Z",
                "authoredDate": "2024-06-01T09:00:00Z", "url": "u", "author": {"name": "Alice", "email": "alice@example.com", "user": {"login": "alice"}},
                "signature": null}}]},
            "reviews": {"nodes": [{"author": {"login": "bob"}, "state": "APPROVED", "submittedAt": "2024-06-01T12:00:00Z"}]}
        });
        let pr = graphql_pull_request(&node, "3e74").unwrap();
        let json = kosli_core::model::go_json::to_string(&pr).unwrap();
        assert_eq!(
            json,
            r#"{"merge_commit":"3e74","url":"https://github.com/acme/app/pull/7","state":"MERGED","approvers":[{"username":"bob","state":"APPROVED","timestamp":1717243200}],"author":"alice","created_at":1717236000,"merged_at":1717322400,"title":"Add feature","head_ref":"feature-x","base_ref":"main","commits":[{"sha1":"0fc1","message":"feature x","author":"Alice \u003calice@example.com\u003e","author_username":"alice","timestamp":1717232400,"branch":"feature-x","url":"u"}]}"#
        );
    }
}
