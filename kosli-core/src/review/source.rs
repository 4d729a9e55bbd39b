//! Where a commit's pull requests are looked up: the provider, its credentials, its base URL
//! and the repository, with the CLI's flags' defaults in CI (`from_ci`).

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::provenance::{CiSystem, EnvLookup};

/// A git hosting provider whose pull requests the CLI reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// GitHub or GitHub Enterprise (GraphQL, with the REST list as a fallback).
    Github,
    /// GitLab or a self-managed GitLab (REST v4).
    Gitlab,
    /// Bitbucket Cloud (REST 2.0).
    Bitbucket,
    /// Azure DevOps Services or Server (Git REST).
    Azure,
}

impl Provider {
    /// The `git_provider` value of the attestation and the CLI's sub-command name.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Github => "github",
            Provider::Gitlab => "gitlab",
            Provider::Bitbucket => "bitbucket",
            Provider::Azure => "azure",
        }
    }

    /// What the provider calls a pull request (`merge request` on GitLab), as the CLI's
    /// messages say.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Gitlab => "merge request",
            _ => "pull request",
        }
    }

    /// The provider's name in `assert pullrequest` messages (`Github`, `Azure DevOps`, ...).
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Github => "Github",
            Provider::Gitlab => "Gitlab",
            Provider::Bitbucket => "Bitbucket",
            Provider::Azure => "Azure DevOps",
        }
    }
}

impl std::str::FromStr for Provider {
    type Err = Error;
    fn from_str(s: &str) -> Result<Provider> {
        match s {
            "github" => Ok(Provider::Github),
            "gitlab" => Ok(Provider::Gitlab),
            "bitbucket" => Ok(Provider::Bitbucket),
            "azure" => Ok(Provider::Azure),
            other => Err(Error::invalid_input(
                "provider",
                format!("unknown git provider {other:?}: one of github, gitlab, bitbucket, azure"),
            )),
        }
    }
}

/// The provider, repository and credentials to look pull requests up with. Plain data (the
/// bindings fill it field by field); the secrets are never printed.
#[derive(Clone)]
pub struct PrSource {
    /// The provider.
    pub provider: Provider,
    /// The owner: GitHub org (`--github-org`), GitLab group (`--gitlab-org`), Bitbucket
    /// workspace (`--bitbucket-workspace`); unused by Azure.
    pub owner: String,
    /// The repository (`--repository`). On GitHub an `owner/name` value is cut to `name`, as
    /// the CLI does.
    pub repository: String,
    /// The token: `--github-token`, `--gitlab-token`, `--azure-token`, or Bitbucket's
    /// `--bitbucket-access-token` (Bearer).
    pub token: Option<SecretString>,
    /// Bitbucket's `--bitbucket-username`, sent with `password` as Basic auth.
    pub username: Option<String>,
    /// Bitbucket's `--bitbucket-password` (an API token).
    pub password: Option<SecretString>,
    /// The base URL: `--github-base-url` (GitHub Enterprise), `--gitlab-base-url`
    /// (self-managed), `--azure-org-url` (Azure's organization URL, required). For Bitbucket,
    /// which has no such flag in the CLI, the API root (default `https://api.bitbucket.org/2.0`).
    pub base_url: Option<String>,
    /// Azure's `--project`.
    pub project: String,
}

impl fmt::Debug for PrSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<SecretString>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("PrSource")
            .field("provider", &self.provider)
            .field("owner", &self.owner)
            .field("repository", &self.repository)
            .field("token", &redacted(&self.token))
            .field("username", &self.username)
            .field("password", &redacted(&self.password))
            .field("base_url", &self.base_url)
            .field("project", &self.project)
            .finish()
    }
}

impl PrSource {
    /// A source for `provider` with nothing set yet.
    pub fn new(provider: Provider) -> PrSource {
        PrSource {
            provider,
            owner: String::new(),
            repository: String::new(),
            token: None,
            username: None,
            password: None,
            base_url: None,
            project: String::new(),
        }
    }

    /// GitHub: org, repository and token (`--github-org`, `--repository`, `--github-token`).
    pub fn github(org: &str, repository: &str, token: &str) -> PrSource {
        PrSource::new(Provider::Github)
            .owner(org)
            .repository(repository)
            .token(token)
    }

    /// GitLab: group, repository and token (`--gitlab-org`, `--repository`, `--gitlab-token`).
    pub fn gitlab(org: &str, repository: &str, token: &str) -> PrSource {
        PrSource::new(Provider::Gitlab)
            .owner(org)
            .repository(repository)
            .token(token)
    }

    /// Bitbucket Cloud: workspace and repository; add `token` (access token) or `basic_auth`.
    pub fn bitbucket(workspace: &str, repository: &str) -> PrSource {
        PrSource::new(Provider::Bitbucket)
            .owner(workspace)
            .repository(repository)
    }

    /// Azure DevOps: organization URL, project, repository and personal access token.
    pub fn azure(org_url: &str, project: &str, repository: &str, token: &str) -> PrSource {
        let mut s = PrSource::new(Provider::Azure)
            .repository(repository)
            .token(token)
            .base_url(org_url);
        s.project = project.to_string();
        s
    }

    /// Sets the owner (org, group or workspace).
    pub fn owner(mut self, owner: &str) -> PrSource {
        self.owner = owner.to_string();
        self
    }

    /// Sets the repository.
    pub fn repository(mut self, repository: &str) -> PrSource {
        self.repository = repository.to_string();
        self
    }

    /// Sets the token (empty means none).
    pub fn token(mut self, token: &str) -> PrSource {
        self.token = (!token.is_empty()).then(|| SecretString::from(token.to_string()));
        self
    }

    /// Sets Bitbucket's user name and API token (Basic auth).
    pub fn basic_auth(mut self, username: &str, password: &str) -> PrSource {
        self.username = Some(username.to_string());
        self.password = Some(SecretString::from(password.to_string()));
        self
    }

    /// Sets the base URL (empty means the provider's default).
    pub fn base_url(mut self, url: &str) -> PrSource {
        self.base_url = (!url.is_empty()).then(|| url.to_string());
        self
    }

    /// Fills what is still empty from the CI the environment belongs to, as the CLI's flag
    /// defaults do: GitHub Actions `GITHUB_REPOSITORY_OWNER`, `GITHUB_REPOSITORY`; GitLab CI
    /// `CI_PROJECT_NAMESPACE`, `CI_PROJECT_NAME`; Bitbucket Pipelines `BITBUCKET_WORKSPACE`,
    /// `BITBUCKET_REPO_SLUG`; Azure Pipelines `SYSTEM_COLLECTIONURI`, `SYSTEM_TEAMPROJECT`,
    /// `BUILD_REPOSITORY_NAME`. Only the CI the CLI detects counts (wire.md §8).
    pub fn from_ci(mut self, env: &dyn EnvLookup) -> PrSource {
        let ci = CiSystem::detect(env);
        let fill = |field: &mut String, var: &str| {
            if field.is_empty() {
                *field = env.get(var);
            }
        };
        match (self.provider, ci) {
            (Provider::Github, Some(CiSystem::GitHub)) => {
                fill(&mut self.owner, "GITHUB_REPOSITORY_OWNER");
                fill(&mut self.repository, "GITHUB_REPOSITORY");
            }
            (Provider::Gitlab, Some(CiSystem::GitLab)) => {
                fill(&mut self.owner, "CI_PROJECT_NAMESPACE");
                fill(&mut self.repository, "CI_PROJECT_NAME");
            }
            (Provider::Bitbucket, Some(CiSystem::Bitbucket)) => {
                fill(&mut self.owner, "BITBUCKET_WORKSPACE");
                fill(&mut self.repository, "BITBUCKET_REPO_SLUG");
            }
            (Provider::Azure, Some(CiSystem::AzureDevOps)) => {
                if self.base_url.is_none() {
                    self = self.base_url(&env.get("SYSTEM_COLLECTIONURI"));
                }
                fill(&mut self.project, "SYSTEM_TEAMPROJECT");
                fill(&mut self.repository, "BUILD_REPOSITORY_NAME");
            }
            _ => {}
        }
        // The GitHub org flag is defaulted from its variable wherever it is set (wire.md §8).
        if self.provider == Provider::Github && self.owner.is_empty() {
            self.owner = env.get("GITHUB_REPOSITORY_OWNER");
        }
        self
    }

    /// The flags the CLI requires for this provider that are still empty, by flag name.
    pub fn missing_flags(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        let token_missing = self.token.is_none();
        match self.provider {
            Provider::Github => {
                if self.owner.is_empty() {
                    missing.push("github-org");
                }
                if token_missing {
                    missing.push("github-token");
                }
            }
            Provider::Gitlab => {
                if self.owner.is_empty() {
                    missing.push("gitlab-org");
                }
                if token_missing {
                    missing.push("gitlab-token");
                }
            }
            Provider::Bitbucket => {
                if self.owner.is_empty() {
                    missing.push("bitbucket-workspace");
                }
            }
            Provider::Azure => {
                if self.base_url.is_none() {
                    missing.push("azure-org-url");
                }
                if token_missing {
                    missing.push("azure-token");
                }
                if self.project.is_empty() {
                    missing.push("project");
                }
            }
        }
        if self.repository.is_empty() {
            missing.push("repository");
        }
        missing
    }

    /// Checks that what the lookup needs is set (a `Config` error naming the flags).
    pub fn check(&self) -> Result<()> {
        let missing = self.missing_flags();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|m| format!("\"{m}\"")).collect();
            return Err(Error::config(format!(
                "required flag(s) {} not set",
                names.join(", ")
            )));
        }
        if self.provider == Provider::Bitbucket
            && self.token.is_none()
            && (self.username.is_none() || self.password.is_none())
        {
            return Err(Error::config(
                "bitbucket needs --bitbucket-access-token, or --bitbucket-username with --bitbucket-password",
            ));
        }
        Ok(())
    }

    /// The `Authorization` (or `PRIVATE-TOKEN`) header this provider takes.
    pub(crate) fn auth_header(&self) -> Option<(&'static str, String)> {
        let token = self.token.as_ref().map(|t| t.expose_secret().to_string());
        match self.provider {
            Provider::Github => token.map(|t| ("authorization", format!("Bearer {t}"))),
            Provider::Gitlab => token.map(|t| ("private-token", t)),
            Provider::Azure => token.map(|t| {
                let basic = super::base64::encode(format!(":{t}").as_bytes());
                ("authorization", format!("Basic {basic}"))
            }),
            Provider::Bitbucket => match (&self.username, &self.password) {
                (Some(u), Some(p)) => {
                    let pair = format!("{u}:{}", p.expose_secret());
                    Some((
                        "authorization",
                        format!("Basic {}", super::base64::encode(pair.as_bytes())),
                    ))
                }
                _ => token.map(|t| ("authorization", format!("Bearer {t}"))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let s = PrSource::bitbucket("acme", "app")
            .basic_auth("bob@example.com", "bb-secret")
            .token("tok-secret");
        let text = format!("{s:?}");
        assert!(
            !text.contains("bb-secret") && !text.contains("tok-secret"),
            "{text}"
        );
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn auth_headers_are_the_clis() {
        // Observed (tests/fixtures/review): GitLab PRIVATE-TOKEN, Azure Basic ":pat",
        // Bitbucket Basic "user:password" or Bearer access token.
        let az = PrSource::azure(
            "https://dev.azure.com/acmeorg",
            "proj",
            "app",
            "az-pat-secret",
        );
        assert_eq!(az.auth_header().unwrap().1, "Basic OmF6LXBhdC1zZWNyZXQ=");
        let bb = PrSource::bitbucket("acme", "app").basic_auth("bob@example.com", "bb-api-token");
        assert_eq!(
            bb.auth_header().unwrap().1,
            "Basic Ym9iQGV4YW1wbGUuY29tOmJiLWFwaS10b2tlbg=="
        );
        let gl = PrSource::gitlab("acme", "app", "glpat");
        assert_eq!(gl.auth_header().unwrap(), ("private-token", "glpat".into()));
    }

    #[test]
    fn ci_defaults_come_from_the_detected_ci_only() {
        let env = [
            ("GITLAB_CI", "true"),
            ("CI_PROJECT_NAMESPACE", "acme/sub"),
            ("CI_PROJECT_NAME", "app"),
            ("BITBUCKET_WORKSPACE", "ws"),
        ];
        let s = PrSource::new(Provider::Gitlab).from_ci(&env);
        assert_eq!(
            (s.owner.as_str(), s.repository.as_str()),
            ("acme/sub", "app")
        );
        let s = PrSource::new(Provider::Bitbucket).from_ci(&env);
        assert_eq!(s.owner, "");
        assert_eq!(s.missing_flags(), ["bitbucket-workspace", "repository"]);
        let env = [
            ("TF_BUILD", "True"),
            ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/acmeorg/"),
            ("SYSTEM_TEAMPROJECT", "proj"),
            ("BUILD_REPOSITORY_NAME", "app"),
        ];
        let s = PrSource::new(Provider::Azure).token("t").from_ci(&env);
        assert!(s.missing_flags().is_empty());
        assert_eq!(
            s.base_url.as_deref(),
            Some("https://dev.azure.com/acmeorg/")
        );
        let env = [
            ("GITHUB_RUN_NUMBER", "1"),
            ("GITHUB_REPOSITORY_OWNER", "acme"),
            ("GITHUB_REPOSITORY", "acme/app"),
        ];
        let s = PrSource::new(Provider::Github).from_ci(&env);
        assert_eq!(
            (s.owner.as_str(), s.repository.as_str()),
            ("acme", "acme/app")
        );
        assert!(PrSource::new(Provider::Github).check().is_err());
    }
}
