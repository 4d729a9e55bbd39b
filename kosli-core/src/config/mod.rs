//! How the client reaches Kosli: hosts, API tokens, org, retries, proxy, dry-run and time limits.
//!
//! A [`Config`] is built in code ([`Config::builder`]), or loaded the way the official CLI loads
//! its settings ([`ConfigBuilder::load`]): values given in code win over the CLI's environment
//! variables (`KOSLI_HOST`, `KOSLI_API_TOKEN`, `KOSLI_ORG`, `KOSLI_MAX_API_RETRIES`,
//! `KOSLI_HTTP_PROXY`, `KOSLI_DRY_RUN`), which win over the config file (`KOSLI_CONFIG_FILE`,
//! else `~/.kosli.yml`), which wins over the defaults. The journal folder comes from code or
//! `KOSLI_JOURNAL_DIR` (see [`crate::journal`]).
//!
//! ```
//! use kosli_core::Config;
//! let config = Config::builder().host("https://app.kosli.com").org("acme").api_token("t").build()?;
//! assert_eq!(config.org(), Some("acme"));
//! assert_eq!(config.max_api_retries(), 3);
//! # Ok::<(), kosli_core::Error>(())
//! ```

mod file;
mod host;
mod layer;
mod timeouts;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};
use crate::journal::{FailureHook, WebhookNotifier};
use layer::Layer;

pub use host::{Host, DRY_RUN_TOKEN};
pub use timeouts::{Backoff, Timeouts};

/// The host used when none is configured.
pub const DEFAULT_HOST: &str = "https://app.kosli.com";

/// The number of retries used when none is configured (so 4 attempts), as in the CLI.
pub const DEFAULT_MAX_API_RETRIES: u32 = 3;

/// The resolved settings of a client. Cheap to clone; its `Debug` never shows a token.
#[derive(Clone)]
pub struct Config {
    hosts: Vec<Host>,
    org: Option<String>,
    max_api_retries: u32,
    http_proxy: Option<Url>,
    dry_run: bool,
    timeouts: Timeouts,
    backoff: Backoff,
    ca_bundle: Option<PathBuf>,
    allow_insecure_http: bool,
    config_file: Option<PathBuf>,
    warnings: Vec<String>,
    journal_dir: Option<PathBuf>,
    offline: bool,
    failure_hooks: Vec<FailureHook>,
    failure_webhook: Option<WebhookNotifier>,
}

impl Config {
    /// A configuration for offline use: only a journal folder, no host, token or org. Its
    /// client records every write and returns [`crate::Outcome::Queued`]; a client that has
    /// host, token and org delivers them with [`crate::Client::flush_journal`].
    pub fn offline(journal_dir: impl Into<PathBuf>) -> Result<Config> {
        Config::builder()
            .journal_dir(journal_dir)
            .offline(true)
            .build()
    }

    /// The journal folder, if the journal is on.
    pub fn journal_dir(&self) -> Option<&Path> {
        self.journal_dir.as_deref()
    }

    /// Whether the client is for offline use (see [`Config::offline`]).
    pub fn is_offline(&self) -> bool {
        self.offline
    }

    /// The closures called when a journal record cannot be delivered.
    pub fn failure_hooks(&self) -> &[FailureHook] {
        &self.failure_hooks
    }

    /// The webhook alerted when a journal record cannot be delivered.
    pub fn failure_webhook(&self) -> Option<&WebhookNotifier> {
        self.failure_webhook.as_ref()
    }
    /// Starts a configuration in code; see [`ConfigBuilder::build`] and [`ConfigBuilder::load`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The CLI's settings from the environment and the config file, over the defaults.
    pub fn from_env() -> Result<Config> {
        ConfigBuilder::default().load()
    }

    /// Every host, the primary first. Writes go to each; reads to the primary.
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// The primary host.
    pub fn primary(&self) -> &Host {
        // `hosts` is never empty: every constructor puts at least the default host in it.
        &self.hosts[0]
    }

    /// Whether several hosts are configured.
    pub fn is_multi_host(&self) -> bool {
        self.hosts.len() > 1
    }

    /// One configuration per host, the primary first (the `kosli` example runs a command once
    /// per host, as the CLI does).
    pub fn per_host(&self) -> Vec<Config> {
        self.hosts
            .iter()
            .map(|h| {
                let mut c = self.clone();
                c.hosts = vec![h.clone()];
                c
            })
            .collect()
    }

    /// The organization, if set.
    pub fn org(&self) -> Option<&str> {
        self.org.as_deref()
    }

    /// How many times a failed call is retried (so `max_api_retries + 1` attempts).
    pub fn max_api_retries(&self) -> u32 {
        self.max_api_retries
    }

    /// The HTTP proxy, if set.
    pub fn http_proxy(&self) -> Option<&Url> {
        self.http_proxy.as_ref()
    }

    /// Whether dry-run was asked for (by flag, `KOSLI_DRY_RUN` or the config file). A host whose
    /// token is `DRY_RUN` is in dry-run too: see [`Config::is_dry_run_for`].
    pub fn dry_run(&self) -> bool {
        self.dry_run
    }

    /// Whether writes to `host` are returned as dry-run values instead of being sent.
    pub fn is_dry_run_for(&self, host: &Host) -> bool {
        self.dry_run || host.is_dry_run_token()
    }

    /// The time limits.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The waits between attempts.
    pub fn backoff(&self) -> Backoff {
        self.backoff
    }

    /// The extra PEM bundle of trusted CA certificates, if set.
    pub fn ca_bundle(&self) -> Option<&Path> {
        self.ca_bundle.as_deref()
    }

    /// Whether a token may be sent over plain `http://` to a host that is not this machine.
    pub fn allow_insecure_http(&self) -> bool {
        self.allow_insecure_http
    }

    /// The config file that was read, if one was.
    pub fn config_file(&self) -> Option<&Path> {
        self.config_file.as_deref()
    }

    /// Warnings found while loading (for example, a token taken as plain text from the config
    /// file), in the CLI's words, for the caller to show.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("hosts", &self.hosts)
            .field("org", &self.org)
            .field("max_api_retries", &self.max_api_retries)
            .field("http_proxy", &self.http_proxy.as_ref().map(redact_userinfo))
            .field("dry_run", &self.dry_run)
            .field("timeouts", &self.timeouts)
            .field("backoff", &self.backoff)
            .field("ca_bundle", &self.ca_bundle)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("config_file", &self.config_file)
            .field("journal_dir", &self.journal_dir)
            .field("offline", &self.offline)
            .field("failure_hooks", &self.failure_hooks.len())
            .field("failure_webhook", &self.failure_webhook)
            .finish()
    }
}

/// A URL with any password replaced, for messages and `Debug`.
pub(crate) fn redact_userinfo(url: &Url) -> String {
    if url.password().is_some() {
        let mut u = url.clone();
        let _ = u.set_password(Some("redacted"));
        u.to_string()
    } else {
        url.to_string()
    }
}

/// Builds a [`Config`]. Values set here are "explicit": they win over the environment and the
/// config file when [`ConfigBuilder::load`] is used.
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    explicit: Layer,
    config_file: Option<PathBuf>,
    timeouts: Timeouts,
    backoff: Backoff,
    ca_bundle: Option<PathBuf>,
    allow_insecure_http: bool,
    offline: bool,
    failure_hooks: Vec<FailureHook>,
    failure_webhook: Option<String>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("host", &self.explicit.host)
            .field(
                "api_token",
                &self.explicit.api_token.as_ref().map(|_| "[redacted]"),
            )
            .field("org", &self.explicit.org)
            .field("config_file", &self.config_file)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// The Kosli host, or a comma-separated list of hosts (one token each, see
    /// [`ConfigBuilder::api_token`]).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.explicit.host = Some(host.into());
        self
    }

    /// The API token, or a comma-separated list with one token per host. `DRY_RUN` turns on
    /// dry-run for its host.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.explicit.api_token = Some(SecretString::from(token.into()));
        self
    }

    /// The organization.
    pub fn org(mut self, org: impl Into<String>) -> Self {
        self.explicit.org = Some(org.into());
        self
    }

    /// How many times a failed call is retried (default 3, so 4 attempts).
    pub fn max_api_retries(mut self, retries: u32) -> Self {
        self.explicit.max_api_retries = Some(retries);
        self
    }

    /// The HTTP proxy URL (`http://proxy:3128`).
    pub fn http_proxy(mut self, url: impl Into<String>) -> Self {
        self.explicit.http_proxy = Some(url.into());
        self
    }

    /// Writes are returned as dry-run values instead of being sent; reads still run.
    pub fn dry_run(mut self, on: bool) -> Self {
        self.explicit.dry_run = Some(on);
        self
    }

    /// The config file to read instead of `KOSLI_CONFIG_FILE` or `~/.kosli.yml` (by `load`).
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }

    /// The time allowed to open a connection (default 30 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.timeouts = self.timeouts.with_connect(d);
        self
    }

    /// The time allowed for one attempt (default: no limit, as the CLI).
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.timeouts = self.timeouts.with_attempt(Some(d));
        self
    }

    /// The time allowed for a whole call with its retries and waits (default: no limit). A
    /// `Retry-After` longer than what is left ends the call with a `Timeout` error.
    pub fn total_timeout(mut self, d: Duration) -> Self {
        self.timeouts = self.timeouts.with_total(Some(d));
        self
    }

    /// The waits between attempts (default: the CLI's 1 s, 2 s, 4 s ... capped at 30 s).
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// A PEM file of CA certificates to trust besides the platform's (for corporate proxies).
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// Allows sending the token over plain `http://` to a host that is not this machine.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Turns the journal on in folder `dir` (created if needed): every write is recorded
    /// before it is sent, and an outage queues it (see [`crate::journal`]).
    pub fn journal_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.explicit.journal_dir = Some(dir.into().to_string_lossy().into_owned());
        self
    }

    /// For offline use: writes are only recorded in the journal (see [`Config::offline`]).
    pub fn offline(mut self, on: bool) -> Self {
        self.offline = on;
        self
    }

    /// Adds a closure called when a journal record cannot be delivered.
    pub fn on_delivery_failure(mut self, hook: FailureHook) -> Self {
        self.failure_hooks.push(hook);
        self
    }

    /// A URL to POST a Slack-compatible `{"text": ...}` alert to when a journal record cannot
    /// be delivered (never with the token).
    pub fn failure_webhook(mut self, url: impl Into<String>) -> Self {
        self.failure_webhook = Some(url.into());
        self
    }

    /// The configuration from the values set here and the defaults only.
    pub fn build(self) -> Result<Config> {
        let explicit = self.explicit.clone();
        self.resolve(explicit, Layer::default(), None)
    }

    /// The configuration as the CLI resolves it: values set here, then the environment, then
    /// the config file, then the defaults.
    pub fn load(self) -> Result<Config> {
        self.load_with_env(&|name| std::env::var(name).ok())
    }

    /// As [`ConfigBuilder::load`], reading environment variables through `lookup` (for tests
    /// and for programs that keep their own environment).
    pub fn load_with_env(self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Config> {
        let env = Layer::from_env(lookup)?;
        let file = match file::locate(self.config_file.as_deref(), lookup) {
            Some(path) => file::read(&path)?,
            None => None,
        };
        let explicit = self.explicit.clone();
        self.resolve(explicit, env, file)
    }

    fn resolve(self, explicit: Layer, env: Layer, file: Option<file::FileLayer>) -> Result<Config> {
        let (file_path, file_layer) = match file {
            Some(f) => (Some(f.path), f.layer),
            None => (None, Layer::default()),
        };
        let pick = |f: fn(&Layer) -> Option<String>| {
            f(&explicit).or_else(|| f(&env)).or_else(|| f(&file_layer))
        };
        let host = pick(|l| l.host.clone()).unwrap_or_else(|| DEFAULT_HOST.to_string());
        let org = pick(|l| l.org.clone());
        let http_proxy = pick(|l| l.http_proxy.clone());
        let mut warnings = Vec::new();
        let token = match (&explicit.api_token, &env.api_token, &file_layer.api_token) {
            (Some(t), _, _) | (None, Some(t), _) => Some(t.clone()),
            (None, None, Some(t)) => {
                // The CLI expects the file's token to be encrypted with a key kept in the OS
                // credential store. This SDK reads no credential store, so, like the CLI when
                // it cannot reach one, it uses the token as plain text and says so twice.
                let path = file_path
                    .as_deref()
                    .unwrap_or(Path::new(""))
                    .display()
                    .to_string();
                warnings.push(format!(
                    "failed to decrypt api token from [{path}]. Failed to get api token encryption key from credentials store: this SDK does not read the OS credential store"
                ));
                warnings.push(format!(
                    "using api token from [{path}] as plain text. It is recommended to encrypt your api token by setting it with: kosli config --api-token <token>"
                ));
                Some(t.clone())
            }
            (None, None, None) => None,
        };
        for w in &warnings {
            tracing::warn!("{w}");
        }
        let max_api_retries = explicit
            .max_api_retries
            .or(env.max_api_retries)
            .or(file_layer.max_api_retries)
            .unwrap_or(DEFAULT_MAX_API_RETRIES);
        let dry_run = explicit
            .dry_run
            .or(env.dry_run)
            .or(file_layer.dry_run)
            .unwrap_or(false);
        let hosts = pair_hosts(&host, token.as_ref())?;
        let http_proxy = match http_proxy {
            None => None,
            Some(p) => Some(
                Url::parse(&p)
                    .map_err(|e| Error::config(format!("invalid http proxy URL: {e}")))?,
            ),
        };
        let journal_dir = pick(|l| l.journal_dir.clone()).map(PathBuf::from);
        if self.offline && journal_dir.is_none() {
            return Err(Error::config(
                "an offline client needs a journal folder (journal_dir or KOSLI_JOURNAL_DIR)",
            ));
        }
        let failure_webhook = match &self.failure_webhook {
            Some(url) => Some(WebhookNotifier::new(url)?),
            None => None,
        };
        Ok(Config {
            journal_dir,
            offline: self.offline,
            failure_hooks: self.failure_hooks,
            failure_webhook,
            hosts,
            org: org.filter(|o| !o.is_empty()),
            max_api_retries,
            http_proxy,
            dry_run,
            timeouts: self.timeouts,
            backoff: self.backoff,
            ca_bundle: self.ca_bundle,
            allow_insecure_http: self.allow_insecure_http,
            config_file: file_path,
            warnings,
        })
    }
}

/// Pairs hosts with tokens as the CLI does: comma lists of the same length (more than one) are
/// several hosts, each with its own token; anything else is one host, taken whole.
fn pair_hosts(host: &str, token: Option<&SecretString>) -> Result<Vec<Host>> {
    let hosts: Vec<&str> = host.split(',').collect();
    if hosts.len() > 1 {
        if let Some(token) = token {
            let tokens: Vec<&str> = token.expose_secret().split(',').collect();
            if tokens.len() == hosts.len() {
                return hosts
                    .iter()
                    .zip(tokens)
                    .map(|(h, t)| Host::new(h, Some(SecretString::from(t.trim().to_string()))))
                    .collect();
            }
        }
    }
    Ok(vec![Host::new(host, token.cloned())?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_are_the_cli_defaults() {
        let c = Config::builder().build().unwrap();
        assert_eq!(c.primary().as_str(), DEFAULT_HOST);
        assert_eq!(c.max_api_retries(), 3);
        assert!(!c.dry_run());
        assert!(c.org().is_none());
        assert!(!c.primary().has_token());
    }

    #[test]
    fn precedence_is_explicit_then_env_then_file_then_default() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.yml");
        std::fs::write(
            &file,
            "org: file-org\nhost: http://file:1\napi-token: file-tok\nmax-api-retries: 5\n",
        )
        .unwrap();
        let path = file.to_str().unwrap().to_string();
        // File only.
        let c = Config::builder()
            .config_file(&file)
            .load_with_env(&env(&[]))
            .unwrap();
        assert_eq!(
            (c.org(), c.primary().as_str(), c.max_api_retries()),
            (Some("file-org"), "http://file:1", 5)
        );
        assert_eq!(c.warnings().len(), 2);
        assert!(
            c.warnings()[1].starts_with(&format!("using api token from [{path}] as plain text"))
        );
        // Env beats file, field by field; a token from the env means no file warnings.
        let c = Config::builder()
            .config_file(&file)
            .load_with_env(&env(&[
                ("KOSLI_ORG", "env-org"),
                ("KOSLI_API_TOKEN", "env-tok"),
            ]))
            .unwrap();
        assert_eq!(
            (c.org(), c.primary().as_str()),
            (Some("env-org"), "http://file:1")
        );
        assert!(c.warnings().is_empty());
        // Explicit beats env.
        let c = Config::builder()
            .org("flag-org")
            .max_api_retries(0)
            .config_file(&file)
            .load_with_env(&env(&[
                ("KOSLI_ORG", "env-org"),
                ("KOSLI_MAX_API_RETRIES", "1"),
            ]))
            .unwrap();
        assert_eq!((c.org(), c.max_api_retries()), (Some("flag-org"), 0));
        // KOSLI_CONFIG_FILE names the file when no explicit one is given.
        let c = Config::builder()
            .load_with_env(&env(&[("KOSLI_CONFIG_FILE", &path)]))
            .unwrap();
        assert_eq!(c.org(), Some("file-org"));
        assert_eq!(c.config_file(), Some(file.as_path()));
    }

    #[test]
    fn home_kosli_yml_is_the_default_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".kosli.yml"), "org: home-org\n").unwrap();
        let home = dir.path().to_str().unwrap();
        let c = Config::builder()
            .load_with_env(&env(&[("HOME", home)]))
            .unwrap();
        assert_eq!(c.org(), Some("home-org"));
    }

    #[test]
    fn missing_explicit_file_is_skipped_like_the_cli() {
        let c = Config::builder()
            .config_file("/nonexistent/k.yml")
            .load_with_env(&env(&[]))
            .unwrap();
        assert!(c.config_file().is_none());
    }

    #[test]
    fn multi_host_pairs_hosts_and_tokens() {
        let c = Config::builder()
            .host("http://127.0.0.1:18765,http://127.0.0.1:18766")
            .api_token("tok-primary,tok-secondary")
            .build()
            .unwrap();
        assert!(c.is_multi_host());
        let hosts: Vec<&str> = c.hosts().iter().map(Host::as_str).collect();
        assert_eq!(hosts, ["http://127.0.0.1:18765", "http://127.0.0.1:18766"]);
        assert_eq!(
            c.hosts()[1].token().map(|t| t.expose_secret()),
            Some("tok-secondary")
        );
        let per = c.per_host();
        assert_eq!(per.len(), 2);
        assert_eq!(per[1].primary().as_str(), "http://127.0.0.1:18766");
    }

    #[test]
    fn unequal_counts_are_one_host_taken_whole() {
        let e = Config::builder()
            .host("http://h1:1,http://h2:2")
            .api_token("t")
            .build()
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        assert_eq!(
            e.to_string(),
            r#"parse "http://h1:1,http://h2:2": invalid port ":1,http:" after host"#
        );
    }

    #[test]
    fn dry_run_by_flag_or_by_token() {
        let c = Config::builder().api_token("DRY_RUN").build().unwrap();
        assert!(!c.dry_run());
        assert!(c.is_dry_run_for(c.primary()));
        let c = Config::builder()
            .host("http://a:1,http://b:2")
            .api_token("DRY_RUN,real")
            .build()
            .unwrap();
        assert!(c.is_dry_run_for(&c.hosts()[0]));
        assert!(!c.is_dry_run_for(&c.hosts()[1]));
        let c = Config::builder()
            .load_with_env(&env(&[("KOSLI_DRY_RUN", "true")]))
            .unwrap();
        assert!(c.dry_run());
    }

    #[test]
    fn debug_redacts_tokens_and_proxy_passwords() {
        let c = Config::builder()
            .api_token("secret-token-123")
            .http_proxy("http://user:hunter2@proxy:3128")
            .build()
            .unwrap();
        let text = format!(
            "{c:?} {:?}",
            Config::builder().api_token("secret-token-123")
        );
        assert!(!text.contains("secret-token-123"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }
}
