//! `kosli attest pullrequest github|gitlab|bitbucket|azure`, `kosli assert pullrequest
//! github|gitlab|bitbucket|azure`, `kosli attest sonar` and `kosli attest jira`, as the CLI
//! v2.43.1 runs them, through the SDK's review module (`kosli_core::review`): the provider is
//! asked with the CLI's requests, the attestation is the CLI's payload.
//!
//! Differences from the official CLI: Bitbucket's API root can be changed with
//! `KOSLI_BITBUCKET_API_URL` (the CLI has no such setting; tests point it at a fake); the Azure
//! client's resource discovery requests are not sent; `attest sonar --max-wait` is accepted but
//! a scan still being processed is not waited for.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::provenance::{AttestationProvenance, GitRepo};
use kosli_core::review::jira::{assert_issues, JiraSource};
use kosli_core::review::sonar::SonarSource;
use kosli_core::review::{PrSource, Provider, PullRequestEvidence, ReviewEvidence};
use kosli_core::{Config, Error};

use crate::attest_more_cmd::{run_attestation, AttestFlags};
use crate::cmd_support::{self, Runner};
use crate::output::Context;

/// GitHub's flags (`--github-*`).
#[derive(Debug, Clone, clap::Args)]
pub struct GithubFlags {
    /// [optional] GitHub base URL (only needed for GitHub Enterprise installations).
    #[arg(
        long = "github-base-url",
        env = "KOSLI_GITHUB_BASE_URL",
        value_name = "URL"
    )]
    github_base_url: Option<String>,
    /// Github organization. (defaulted if you are running in GitHub Actions).
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

/// GitLab's flags (`--gitlab-*`).
#[derive(Debug, Clone, clap::Args)]
pub struct GitlabFlags {
    /// [optional] Gitlab base URL (only needed for on-prem Gitlab installations).
    #[arg(
        long = "gitlab-base-url",
        env = "KOSLI_GITLAB_BASE_URL",
        value_name = "URL"
    )]
    gitlab_base_url: Option<String>,
    /// Gitlab organization. (defaulted if you are running in Gitlab Pipelines).
    #[arg(long = "gitlab-org", env = "KOSLI_GITLAB_ORG", value_name = "ORG")]
    gitlab_org: Option<String>,
    /// Gitlab token.
    #[arg(
        long = "gitlab-token",
        env = "KOSLI_GITLAB_TOKEN",
        value_name = "TOKEN"
    )]
    gitlab_token: Option<String>,
}

/// Bitbucket Cloud's flags (`--bitbucket-*`).
#[derive(Debug, Clone, clap::Args)]
pub struct BitbucketFlags {
    /// Bitbucket repo/project/workspace access token.
    #[arg(
        long = "bitbucket-access-token",
        env = "KOSLI_BITBUCKET_ACCESS_TOKEN",
        value_name = "TOKEN"
    )]
    bitbucket_access_token: Option<String>,
    /// Bitbucket API token.
    #[arg(
        long = "bitbucket-password",
        env = "KOSLI_BITBUCKET_PASSWORD",
        value_name = "TOKEN"
    )]
    bitbucket_password: Option<String>,
    /// Bitbucket username (your Atlassian account email when using an API token). Only needed if you use --bitbucket-password
    #[arg(
        long = "bitbucket-username",
        env = "KOSLI_BITBUCKET_USERNAME",
        value_name = "USER"
    )]
    bitbucket_username: Option<String>,
    /// Bitbucket workspace ID.
    #[arg(
        long = "bitbucket-workspace",
        env = "KOSLI_BITBUCKET_WORKSPACE",
        value_name = "WORKSPACE"
    )]
    bitbucket_workspace: Option<String>,
}

/// Azure DevOps' flags.
#[derive(Debug, Clone, clap::Args)]
pub struct AzureFlags {
    /// Azure organization url. E.g. 'https://dev.azure.com/myOrg' (defaulted if you are running in Azure Devops pipelines).
    #[arg(
        long = "azure-org-url",
        env = "KOSLI_AZURE_ORG_URL",
        value_name = "URL"
    )]
    azure_org_url: Option<String>,
    /// Azure Personal Access token.
    #[arg(long = "azure-token", env = "KOSLI_AZURE_TOKEN", value_name = "TOKEN")]
    azure_token: Option<String>,
    /// Azure project.(defaulted if you are running in Azure Devops pipelines).
    #[arg(long = "project", env = "KOSLI_PROJECT", value_name = "PROJECT")]
    project: Option<String>,
}

/// One provider's flags and the source they describe.
#[derive(Debug, Clone)]
pub enum ProviderFlags {
    /// `github`.
    Github(GithubFlags),
    /// `gitlab`.
    Gitlab(GitlabFlags),
    /// `bitbucket`.
    Bitbucket(BitbucketFlags),
    /// `azure`.
    Azure(AzureFlags),
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or_default()
}

impl ProviderFlags {
    /// The provider.
    pub fn provider(&self) -> Provider {
        match self {
            ProviderFlags::Github(_) => Provider::Github,
            ProviderFlags::Gitlab(_) => Provider::Gitlab,
            ProviderFlags::Bitbucket(_) => Provider::Bitbucket,
            ProviderFlags::Azure(_) => Provider::Azure,
        }
    }

    /// The source of `repository`, with the CLI's CI defaults.
    pub fn source(&self, repository: Option<&str>) -> PrSource {
        let repository = repository.unwrap_or_default();
        let source = match self {
            ProviderFlags::Github(f) => {
                PrSource::github(text(&f.github_org), repository, text(&f.github_token))
                    .base_url(text(&f.github_base_url))
            }
            ProviderFlags::Gitlab(f) => {
                PrSource::gitlab(text(&f.gitlab_org), repository, text(&f.gitlab_token))
                    .base_url(text(&f.gitlab_base_url))
            }
            ProviderFlags::Bitbucket(f) => {
                let mut s = PrSource::bitbucket(text(&f.bitbucket_workspace), repository)
                    .token(text(&f.bitbucket_access_token))
                    .base_url(&std::env::var("KOSLI_BITBUCKET_API_URL").unwrap_or_default());
                if f.bitbucket_username.is_some() || f.bitbucket_password.is_some() {
                    s = s.basic_auth(text(&f.bitbucket_username), text(&f.bitbucket_password));
                }
                s
            }
            ProviderFlags::Azure(f) => PrSource::azure(
                text(&f.azure_org_url),
                text(&f.project),
                repository,
                text(&f.azure_token),
            )
            .base_url(text(&f.azure_org_url)),
        };
        source.from_ci(&kosli_core::provenance::ProcessEnv)
    }
}

/// A client for provider lookups (the CLI talks to providers over plain http too).
fn lookup_client(config: &Config) -> Result<Client, Error> {
    let mut builder = Config::builder()
        .host(config.primary().as_str())
        .max_api_retries(config.max_api_retries())
        .allow_insecure_http(true);
    if let Some(org) = config.org() {
        builder = builder.org(org);
    }
    Client::new(builder.build()?)
}

/// `attest pullrequest <provider>`: the common attestation flags, `--assert`, the provider's.
#[derive(Debug, clap::Args)]
pub struct AttestPrArgs<F: clap::Args> {
    #[command(flatten)]
    pub(crate) common: AttestFlags,
    /// [optional] Exit with non-zero code if no pull requests found for the given commit.
    #[arg(long)]
    pub(crate) assert: bool,
    #[command(flatten)]
    pub(crate) flags: F,
}

/// Runs `kosli attest pullrequest <provider>` for the provider `flags` name.
pub fn attest_pull_request(
    common: &AttestFlags,
    assert: bool,
    flags: ProviderFlags,
    ctx: &Context,
) -> ExitCode {
    let provider = flags.provider();
    let source = flags.source(common.repository());
    let mut required: Vec<(&str, bool)> = source
        .missing_flags()
        .into_iter()
        .map(|f| (f, false))
        .collect();
    required.push(("commit", common.commit().is_some()));
    let kind = match provider {
        Provider::Github => "pullrequest github",
        Provider::Gitlab => "pullrequest gitlab",
        Provider::Bitbucket => "pullrequest bitbucket",
        Provider::Azure => "pullrequest azure",
    };
    let found = std::cell::RefCell::new(None::<PullRequestEvidence>);
    let code = run_attestation(
        common,
        ctx,
        kind,
        &required,
        |prov: &AttestationProvenance, config: &Config| {
            let commit = prov
                .git_commit_info
                .as_ref()
                .map(|c| c.sha1.clone())
                .unwrap_or_default();
            let evidence = lookup_client(config)?.find_pull_requests(&source, &commit)?;
            println!(
                "found {} {}(s) for commit: {commit}",
                evidence.pull_requests.len(),
                provider.label()
            );
            *found.borrow_mut() = Some(evidence.clone());
            Ok(ReviewEvidence::PullRequests(evidence))
        },
        |a, dry| {
            if dry {
                return String::new();
            }
            format!(
                "{} {} attestation '{}' is reported to trail: {}",
                provider.as_str(),
                provider.label(),
                a.attestation_name(),
                a.trail()
            )
        },
    );
    if code != ExitCode::SUCCESS || !assert {
        return code;
    }
    let verdict = found
        .borrow()
        .as_ref()
        .map(PullRequestEvidence::assert_attested);
    match verdict {
        Some(Err(e)) => {
            let label = format!(
                "kosli attest {kind}{}{}",
                flag_label("flow", common.flow()),
                flag_label("trail", common.trail())
            );
            eprintln!("Error: [{label}] {e}");
            ExitCode::FAILURE
        }
        _ => code,
    }
}

fn flag_label(key: &str, value: Option<&str>) -> String {
    value
        .filter(|v| !v.is_empty())
        .map(|v| format!(" {key}={v}"))
        .unwrap_or_default()
}

/// `kosli assert pullrequest ...`
#[derive(Debug, clap::Args)]
pub struct AssertArgs {
    #[command(subcommand)]
    provider: AssertProvider,
}

#[derive(Debug, clap::Subcommand)]
enum AssertProvider {
    /// Assert a Github pull request for a git commit exists.
    #[command(visible_alias = "gh")]
    Github(AssertPrArgs<GithubFlags>),
    /// Assert a Gitlab merge request for a git commit exists.
    #[command(visible_alias = "gl")]
    Gitlab(AssertPrArgs<GitlabFlags>),
    /// Assert a Bitbucket pull request for a git commit exists.
    #[command(visible_alias = "bb")]
    Bitbucket(AssertPrArgs<BitbucketFlags>),
    /// Assert an Azure DevOps pull request for a git commit exists.
    #[command(visible_alias = "az")]
    Azure(AssertPrArgs<AzureFlags>),
}

/// Flags of `kosli assert pullrequest <provider>`.
#[derive(Debug, clap::Args)]
pub struct AssertPrArgs<F: clap::Args> {
    /// Git commit for which to find pull request evidence.
    #[arg(long, env = "KOSLI_COMMIT", default_value = "HEAD", value_name = "SHA")]
    commit: String,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// Git repository. (defaulted in some CIs).
    #[arg(long, env = "KOSLI_REPOSITORY", value_name = "NAME")]
    repository: Option<String>,
    #[command(flatten)]
    flags: F,
}

/// Runs `kosli assert pullrequest <provider>`.
pub fn assert_pull_request(args: &AssertArgs, ctx: &Context) -> ExitCode {
    let (commit, dry_run, repository, flags) = match &args.provider {
        AssertProvider::Github(a) => (
            &a.commit,
            a.dry_run,
            &a.repository,
            ProviderFlags::Github(a.flags.clone()),
        ),
        AssertProvider::Gitlab(a) => (
            &a.commit,
            a.dry_run,
            &a.repository,
            ProviderFlags::Gitlab(a.flags.clone()),
        ),
        AssertProvider::Bitbucket(a) => (
            &a.commit,
            a.dry_run,
            &a.repository,
            ProviderFlags::Bitbucket(a.flags.clone()),
        ),
        AssertProvider::Azure(a) => (
            &a.commit,
            a.dry_run,
            &a.repository,
            ProviderFlags::Azure(a.flags.clone()),
        ),
    };
    let provider = flags.provider();
    let (command, usage) = match provider {
        Provider::Github => (
            "kosli assert pullrequest github",
            "kosli assert pullrequest github [flags]",
        ),
        Provider::Gitlab => (
            "kosli assert pullrequest gitlab",
            "kosli assert pullrequest gitlab [flags]",
        ),
        Provider::Bitbucket => (
            "kosli assert pullrequest bitbucket",
            "kosli assert pullrequest bitbucket [flags]",
        ),
        Provider::Azure => (
            "kosli assert pullrequest azure",
            "kosli assert pullrequest azure [flags]",
        ),
    };
    let source = flags.source(repository.as_deref());
    let checks = || {
        let required: Vec<(&str, bool)> = source
            .missing_flags()
            .into_iter()
            .map(|f| (f, false))
            .collect();
        cmd_support::required(&required)
    };
    Runner::new(ctx, command, usage)
        .dry_run(dry_run)
        .run(Ok(()), checks, |config, _run| {
            let sha = resolve_commit(commit)?;
            let evidence = lookup_client(config)?.assert_pull_requests(&source, &sha)?;
            println!(
                "found [{}] {}(s) in {} for commit: {sha}",
                evidence.pull_requests.len(),
                provider.label(),
                provider.display_name()
            );
            Ok(())
        })
}

/// A full commit id as given, else the revision resolved in the repository of the current
/// folder.
fn resolve_commit(commit: &str) -> Result<String, Error> {
    if commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(commit.to_string());
    }
    Ok(GitRepo::open(".")?.resolve(commit)?)
}

/// Flags of `kosli attest sonar`.
#[derive(Debug, clap::Args)]
pub struct SonarArgs {
    #[command(flatten)]
    common: AttestFlags,
    /// [optional] Allow the command to wait and retry fetching the scan results from SonarQube, up to the maximum number of seconds provided (accepted; not waited for by this example).
    #[arg(long = "max-wait", default_value_t = 30, value_name = "SECONDS")]
    max_wait: u64,
    /// [conditional] The ID of the pull-request.
    #[arg(long = "pull-request", value_name = "ID")]
    pull_request: Option<String>,
    /// [required] SonarQube API token.
    #[arg(
        long = "sonar-api-token",
        env = "KOSLI_SONAR_API_TOKEN",
        value_name = "TOKEN"
    )]
    sonar_api_token: Option<String>,
    /// [conditional] The name of the branch the SonarQube scan ran on.
    #[arg(long = "sonar-branch", value_name = "BRANCH")]
    sonar_branch: Option<String>,
    /// [conditional] The URL of the SonarQube CE task.
    #[arg(long = "sonar-ce-task-url", value_name = "URL")]
    sonar_ce_task_url: Option<String>,
    /// [conditional] The project key of the SonarQube project.
    #[arg(long = "sonar-project-key", value_name = "KEY")]
    sonar_project_key: Option<String>,
    /// [conditional] The revision of the SonarQube project (defaults to the git commit).
    #[arg(long = "sonar-revision", value_name = "SHA")]
    sonar_revision: Option<String>,
    /// [conditional] The URL of your SonarQube server.
    #[arg(
        long = "sonar-server-url",
        default_value = "https://sonarcloud.io",
        value_name = "URL"
    )]
    sonar_server_url: String,
    /// [conditional] The base directory of the repo scanned by SonarQube.
    #[arg(
        long = "sonar-working-dir",
        default_value = ".scannerwork",
        value_name = "DIR"
    )]
    sonar_working_dir: String,
}

/// Runs `kosli attest sonar`.
pub fn sonar(args: &SonarArgs, ctx: &Context) -> ExitCode {
    let _ = args.max_wait;
    let required = [("sonar-api-token", args.sonar_api_token.is_some())];
    run_attestation(
        &args.common,
        ctx,
        "sonar",
        &required,
        |prov: &AttestationProvenance, config: &Config| {
            let mut source = SonarSource::new(text(&args.sonar_api_token));
            source.ce_task_url = args.sonar_ce_task_url.clone();
            source.working_dir = Some(args.sonar_working_dir.clone());
            source.project_key = args.sonar_project_key.clone();
            source.revision = args
                .sonar_revision
                .clone()
                .or_else(|| prov.git_commit_info.as_ref().map(|c| c.sha1.clone()));
            source.branch = args.sonar_branch.clone();
            source.pull_request = args.pull_request.clone();
            source.server_url = args.sonar_server_url.clone();
            let results = lookup_client(config)?.sonar_results(&source)?;
            Ok(ReviewEvidence::Sonar(results))
        },
        |a, dry| {
            if dry {
                return String::new();
            }
            format!(
                "sonar attestation '{}' is reported to trail: {}",
                a.attestation_name(),
                a.trail()
            )
        },
    )
}

/// Flags of `kosli attest jira`.
#[derive(Debug, clap::Args)]
pub struct JiraArgs {
    #[command(flatten)]
    common: AttestFlags,
    /// [optional] Exit with non-zero code if the attestation is non-compliant
    #[arg(long)]
    assert: bool,
    /// Ignore branch name when searching for Jira ticket reference.
    #[arg(long = "ignore-branch-match")]
    ignore_branch_match: bool,
    /// Jira API token (for Jira Cloud)
    #[arg(
        long = "jira-api-token",
        env = "KOSLI_JIRA_API_TOKEN",
        value_name = "TOKEN"
    )]
    jira_api_token: Option<String>,
    /// The base url for the jira project, e.g. 'https://kosli.atlassian.net'
    #[arg(
        long = "jira-base-url",
        env = "KOSLI_JIRA_BASE_URL",
        value_name = "URL"
    )]
    jira_base_url: Option<String>,
    /// [optional] The comma separated list of fields to include from the Jira issue.
    #[arg(long = "jira-issue-fields", value_name = "FIELDS")]
    jira_issue_fields: Option<String>,
    /// Jira personal access token (for self-hosted Jira)
    #[arg(long = "jira-pat", env = "KOSLI_JIRA_PAT", value_name = "TOKEN")]
    jira_pat: Option<String>,
    /// [optional] Jira project key to match against.
    #[arg(long = "jira-project-key", value_delimiter = ',', value_name = "KEYS")]
    jira_project_key: Vec<String>,
    /// [optional] An optional string to search for Jira ticket reference.
    #[arg(long = "jira-secondary-source", value_name = "TEXT")]
    jira_secondary_source: Option<String>,
    /// [optional] Read issue keys only from this git trailer.
    #[arg(long = "jira-trailer", value_name = "KEY")]
    jira_trailer: Option<String>,
    /// Jira username (for Jira Cloud)
    #[arg(
        long = "jira-username",
        env = "KOSLI_JIRA_USERNAME",
        value_name = "USER"
    )]
    jira_username: Option<String>,
}

/// Runs `kosli attest jira`.
pub fn jira(args: &JiraArgs, ctx: &Context) -> ExitCode {
    let required = [
        ("commit", args.common.commit().is_some()),
        ("jira-base-url", args.jira_base_url.is_some()),
    ];
    let found = std::cell::RefCell::new(Vec::new());
    let code = run_attestation(
        &args.common,
        ctx,
        "jira",
        &required,
        |prov: &AttestationProvenance, config: &Config| {
            let mut source = JiraSource::new(text(&args.jira_base_url));
            source.username = args.jira_username.clone();
            source.api_token = args.jira_api_token.clone().map(Into::into);
            source.pat = args.jira_pat.clone().map(Into::into);
            source.issue_fields = args.jira_issue_fields.clone().unwrap_or_default();
            source.project_keys = args.jira_project_key.clone();
            source.secondary_source = args.jira_secondary_source.clone();
            source.trailer = args.jira_trailer.clone();
            source.ignore_branch = args.ignore_branch_match;
            let (message, branch) = prov
                .git_commit_info
                .as_ref()
                .map(|c| (c.message.clone(), c.branch.clone()))
                .unwrap_or_default();
            if let (Some(t), false) = (&source.trailer, source.has_trailer(&message)) {
                eprintln!("[warning] trailer '{t}' was not found in the commit message");
            }
            let keys = source.references(&message, &branch);
            let results = lookup_client(config)?.jira_results(&source, &keys)?;
            found.replace(results.clone());
            Ok(ReviewEvidence::Jira(results))
        },
        |a, dry| {
            if dry {
                return String::new();
            }
            format!(
                "jira attestation '{}' is reported to trail: {}",
                a.attestation_name(),
                a.trail()
            )
        },
    );
    // As observed (tests/fixtures/review/jira): the attestation is sent first, then --assert
    // fails on no reference or on references Jira does not have.
    if code == ExitCode::SUCCESS && args.assert {
        if let Err(e) = assert_issues(&found.into_inner(), args.jira_trailer.as_deref()) {
            let label = format!(
                "kosli attest jira{}{}",
                flag_label("flow", args.common.flow()),
                flag_label("trail", args.common.trail())
            );
            eprintln!("Error: [{label}] {e}");
            return ExitCode::FAILURE;
        }
    }
    code
}
