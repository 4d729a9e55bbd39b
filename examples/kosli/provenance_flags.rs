//! The CLI's provenance flags, parsed once for every command that takes them and converted into
//! the SDK's [`ProvenanceInput`]; the SDK applies CI defaults and reads git.
//!
//! Flatten the struct that matches the command, as the CLI's flag sets differ:
//! * [`ArtifactProvenanceArgs`] for `attest artifact`: `-g/--commit`, `--repo-root`,
//!   `-b/--build-url`, `-u/--commit-url`, the `--repo-*` flags and `--redact-commit-info`;
//! * [`ProvenanceArgs`] for attestations and `begin trail`: `-g/--commit`, `--repo-root`,
//!   `-o/--origin-url`, the `--repo-*` flags and `--redact-commit-info`;
//! * [`ExternalUrlArgs`] for `--external-url`/`--external-fingerprint` (all three kinds).
//!
//! ```ignore
//! #[derive(clap::Args)]
//! struct Args {
//!     #[command(flatten)]
//!     provenance: provenance_flags::ProvenanceArgs,
//! }
//! let input = args.provenance.to_input(&ProcessEnv)?;
//! let prov = input.resolve_trail(&ProcessEnv)?;
//! ```
//!
//! As in the CLI, every flag can also come from `KOSLI_<FLAG>` (`KOSLI_COMMIT`,
//! `KOSLI_BUILD_URL`, ...): a flag beats its variable, an empty variable counts as unset, and
//! either beats the CI default. A flag given an empty value is an error. (The CLI's config file
//! can also hold these keys; this example does not read them from it.)
#![cfg_attr(
    not(test),
    allow(dead_code, reason = "flattened into the commands as they are added")
)]

use std::path::PathBuf;

use kosli_core::provenance::{external_urls, EnvLookup, ExternalUrls, ProvenanceInput, Redactions};
use kosli_core::Error;

/// Provenance flags of `attest artifact`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ArtifactProvenanceArgs {
    /// [defaulted] The git commit the artifact was built from (defaulted in some CIs, otherwise HEAD).
    #[arg(short = 'g', long = "commit", value_name = "SHA")]
    pub commit: Option<String>,
    /// [defaulted] The directory where the source git repository is available (default ".").
    #[arg(long = "repo-root", value_name = "DIR")]
    pub repo_root: Option<String>,
    /// The URL of the CI pipeline that built the artifact (defaulted in some CIs).
    #[arg(short = 'b', long = "build-url", value_name = "URL")]
    pub build_url: Option<String>,
    /// The URL of the git commit the artifact was built from (defaulted in some CIs).
    #[arg(short = 'u', long = "commit-url", value_name = "URL")]
    pub commit_url: Option<String>,
    #[command(flatten)]
    pub repo: RepoArgs,
}

/// Provenance flags of the attestations (`attest generic`, `junit`, ...) and `begin trail`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ProvenanceArgs {
    /// [conditional] The git commit the attestation or trail is associated to (defaulted in some CIs).
    #[arg(short = 'g', long = "commit", value_name = "SHA")]
    pub commit: Option<String>,
    /// [defaulted] The directory where the source git repository is available (default ".").
    #[arg(long = "repo-root", value_name = "DIR")]
    pub repo_root: Option<String>,
    /// [optional] The URL of where the attestation or trail came from (defaulted to the CI build URL in some CIs).
    #[arg(short = 'o', long = "origin-url", value_name = "URL")]
    pub origin_url: Option<String>,
    #[command(flatten)]
    pub repo: RepoArgs,
}

/// The `--repo-*` flags and `--redact-commit-info`, shared by every provenance flag set.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RepoArgs {
    /// [conditional] The repository's stable id at its provider; --repo-id, --repo-url and --repository together record repository information (defaulted in some CIs).
    #[arg(long = "repo-id", value_name = "ID")]
    pub repo_id: Option<String>,
    /// [conditional] The repository's name, e.g. owner/repo-name (defaulted in some CIs).
    #[arg(long = "repository", value_name = "NAME")]
    pub repository: Option<String>,
    /// [conditional] The repository's URL (defaulted in some CIs).
    #[arg(long = "repo-url", value_name = "URL")]
    pub repo_url: Option<String>,
    /// [optional] The source hosting provider: github, gitlab, bitbucket, bitbucket_cloud, bitbucket_dc, azure-devops, azure_devops_services, azure_devops_server, git, subversion (defaulted in some CIs).
    #[arg(long = "repo-provider", value_name = "PROVIDER")]
    pub repo_provider: Option<String>,
    /// [optional] Commit info to redact before sending: one or more of author, message, branch (comma-separated, repeatable).
    #[arg(
        long = "redact-commit-info",
        value_name = "FIELDS",
        allow_hyphen_values = true
    )]
    pub redact_commit_info: Vec<String>,
}

/// `--external-url label=url` and `--external-fingerprint label=sha256`, each repeatable.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ExternalUrlArgs {
    /// [optional] A labelled URL of an external resource, label=url (repeatable).
    #[arg(long = "external-url", value_name = "LABEL=URL")]
    pub external_url: Vec<String>,
    /// [optional] The SHA256 fingerprint of the resource behind --external-url with the same label, label=fingerprint (repeatable).
    #[arg(long = "external-fingerprint", value_name = "LABEL=FINGERPRINT")]
    pub external_fingerprint: Vec<String>,
}

impl ArtifactProvenanceArgs {
    /// The SDK input: flags, else non-empty `KOSLI_<FLAG>` variables from `env`.
    pub fn to_input(&self, env: &dyn EnvLookup) -> Result<ProvenanceInput, Error> {
        let mut input = self.repo.to_input(env)?;
        input.commit = string("commit", &self.commit, env)?;
        input.repo_root = path("repo-root", &self.repo_root, env)?;
        input.build_url = string("build-url", &self.build_url, env)?;
        input.commit_url = string("commit-url", &self.commit_url, env)?;
        Ok(input)
    }
}

impl ProvenanceArgs {
    /// The SDK input: flags, else non-empty `KOSLI_<FLAG>` variables from `env`.
    pub fn to_input(&self, env: &dyn EnvLookup) -> Result<ProvenanceInput, Error> {
        let mut input = self.repo.to_input(env)?;
        input.commit = string("commit", &self.commit, env)?;
        input.repo_root = path("repo-root", &self.repo_root, env)?;
        input.origin_url = string("origin-url", &self.origin_url, env)?;
        Ok(input)
    }
}

impl RepoArgs {
    fn to_input(&self, env: &dyn EnvLookup) -> Result<ProvenanceInput, Error> {
        let mut input = ProvenanceInput::new();
        // The CLI checks --redact-commit-info before the other provenance flags.
        input.redact = self.redactions(env)?;
        input.repo_id = string("repo-id", &self.repo_id, env)?;
        input.repository = string("repository", &self.repository, env)?;
        input.repo_url = string("repo-url", &self.repo_url, env)?;
        input.repo_provider = string("repo-provider", &self.repo_provider, env)?;
        Ok(input)
    }

    /// `--redact-commit-info` values (each a comma-separated list), else `KOSLI_REDACT_COMMIT_INFO`.
    fn redactions(&self, env: &dyn EnvLookup) -> Result<Redactions, Error> {
        let values: Vec<String> = if self.redact_commit_info.is_empty() {
            env.var("KOSLI_REDACT_COMMIT_INFO")
                .filter(|v| !v.is_empty())
                .into_iter()
                .collect()
        } else {
            self.redact_commit_info.clone()
        };
        let mut names = Vec::new();
        for value in &values {
            let fields = csv_record("redact-commit-info", value)?;
            if fields.iter().any(String::is_empty) {
                return Err(empty_value("redact-commit-info"));
            }
            names.extend(fields);
        }
        Redactions::from_values(&names)
    }
}

impl ExternalUrlArgs {
    /// The `external_urls` payload field (labels paired as the CLI pairs them); `KOSLI_EXTERNAL_URL`
    /// and `KOSLI_EXTERNAL_FINGERPRINT` are used when the flags are not given.
    pub fn to_external_urls(&self, env: &dyn EnvLookup) -> Result<ExternalUrls, Error> {
        let urls = pairs("external-url", &self.external_url, env)?;
        let fingerprints = pairs("external-fingerprint", &self.external_fingerprint, env)?;
        external_urls(urls, fingerprints)
    }
}

/// A flag's value, else its non-empty `KOSLI_` variable; an empty flag value is an error.
fn string(
    flag: &str,
    value: &Option<String>,
    env: &dyn EnvLookup,
) -> Result<Option<String>, Error> {
    match value {
        Some(v) if v.is_empty() => Err(empty_value(flag)),
        Some(v) => Ok(Some(v.clone())),
        None => Ok(env.var(&env_name(flag)).filter(|v| !v.is_empty())),
    }
}

/// As [`string`], for `--repo-root` (kept a `String` in the flags so an empty value reaches
/// the CLI's message instead of clap's).
fn path(flag: &str, value: &Option<String>, env: &dyn EnvLookup) -> Result<Option<PathBuf>, Error> {
    Ok(string(flag, value, env)?.map(PathBuf::from))
}

/// `KOSLI_` and the flag name in upper snake case (`repo-root` → `KOSLI_REPO_ROOT`).
fn env_name(flag: &str) -> String {
    format!("KOSLI_{}", flag.replace('-', "_").to_uppercase())
}

fn empty_value(flag: &str) -> Error {
    Error::invalid_input(
        format!("--{flag}"),
        format!("flag '--{flag}' was given an empty value"),
    )
}

/// `label=value` pairs as pflag's string-to-string flags read them: a value with one `=` is one
/// pair (so `a=https://x,y` keeps its comma); with more, it is a comma-separated list of pairs.
fn pairs(
    flag: &str,
    values: &[String],
    env: &dyn EnvLookup,
) -> Result<Vec<(String, String)>, Error> {
    let from_env;
    let values = if values.is_empty() {
        from_env = env
            .var(&env_name(flag))
            .filter(|v| !v.is_empty())
            .into_iter()
            .collect::<Vec<_>>();
        &from_env
    } else {
        values
    };
    let mut out = Vec::new();
    for value in values {
        let items = match value.matches('=').count() {
            0 => vec![value.clone()],
            1 => vec![value.trim_matches('"').to_string()],
            _ => csv_record(flag, value)?,
        };
        for item in items {
            let Some((label, v)) = item.split_once('=') else {
                return Err(Error::invalid_input(
                    format!("--{flag}"),
                    format!("invalid argument \"{value}\" for \"--{flag}\" flag: {item} must be formatted as key=value"),
                ));
            };
            out.push((label.to_string(), v.to_string()));
        }
    }
    Ok(out)
}

/// One CSV record as Go's `encoding/csv` reads a flag value: fields split on commas, a field
/// may be double-quoted (`""` inside is a quote), nothing is trimmed.
fn csv_record(flag: &str, value: &str) -> Result<Vec<String>, Error> {
    let bad = |why: &str| {
        Error::invalid_input(
            format!("--{flag}"),
            format!("invalid argument \"{value}\" for \"--{flag}\" flag: {why}"),
        )
    };
    let mut fields = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err(bad("extraneous or missing \" in quoted-field")),
                }
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(',') => fields.push(field),
                Some(_) => return Err(bad("extraneous or missing \" in quoted-field")),
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(',') => break,
                    Some('"') => return Err(bad("bare \" in non-quoted-field")),
                    Some(c) => field.push(c),
                }
            }
            fields.push(field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use kosli_core::provenance::{Redact, ReportKind};

    #[derive(Debug, Parser)]
    struct Artifact {
        #[command(flatten)]
        p: ArtifactProvenanceArgs,
        #[command(flatten)]
        e: ExternalUrlArgs,
    }

    #[derive(Debug, Parser)]
    struct Trail {
        #[command(flatten)]
        p: ProvenanceArgs,
    }

    const NO_ENV: [(&str, &str); 0] = [];

    #[test]
    fn artifact_flags_with_short_names() {
        let a = Artifact::try_parse_from([
            "x",
            "-g",
            "HEAD~1",
            "-b",
            "https://b",
            "-u",
            "https://c",
            "--repo-root",
            "../app",
            "--repo-id",
            "1",
            "--repository",
            "acme/app",
            "--repo-url",
            "https://github.com/acme/app",
            "--repo-provider",
            "github",
            "--redact-commit-info",
            "author,message",
            "--redact-commit-info",
            "branch",
        ])
        .unwrap();
        let input = a.p.to_input(&NO_ENV).unwrap();
        assert_eq!(input.commit.as_deref(), Some("HEAD~1"));
        assert_eq!(input.build_url.as_deref(), Some("https://b"));
        assert_eq!(input.commit_url.as_deref(), Some("https://c"));
        assert_eq!(input.repo_root, Some(PathBuf::from("../app")));
        assert_eq!(input.repo_id.as_deref(), Some("1"));
        assert_eq!(input.repository.as_deref(), Some("acme/app"));
        assert_eq!(input.repo_provider.as_deref(), Some("github"));
        assert_eq!(input.redact, Redactions::all());
        assert_eq!(input.origin_url, None);
    }

    #[test]
    fn attestation_flags_have_origin_url_not_build_url() {
        let t = Trail::try_parse_from(["x", "-o", "https://o", "-g", "abc"]).unwrap();
        let input = t.p.to_input(&NO_ENV).unwrap();
        assert_eq!(input.origin_url.as_deref(), Some("https://o"));
        assert_eq!(input.commit.as_deref(), Some("abc"));
        assert!(Trail::try_parse_from(["x", "--build-url", "b"]).is_err());
        assert!(Artifact::try_parse_from(["x", "--origin-url", "o"]).is_err());
    }

    #[test]
    fn kosli_variables_fill_unset_flags_and_lose_to_flags() {
        let env = [
            ("KOSLI_BUILD_URL", "https://tc/b"),
            ("KOSLI_COMMIT_URL", "https://tc/c"),
            ("KOSLI_COMMIT", ""),
            ("KOSLI_REPO_ROOT", "/src/app"),
            ("KOSLI_REDACT_COMMIT_INFO", "author,branch"),
        ];
        let a = Artifact::try_parse_from(["x", "-u", "https://flag/c"]).unwrap();
        let input = a.p.to_input(&env).unwrap();
        assert_eq!(input.build_url.as_deref(), Some("https://tc/b"));
        assert_eq!(input.commit_url.as_deref(), Some("https://flag/c"));
        assert_eq!(input.commit, None, "an empty variable counts as unset");
        assert_eq!(input.repo_root, Some(PathBuf::from("/src/app")));
        assert_eq!(
            input.redact,
            Redactions::none().with(Redact::Author).with(Redact::Branch)
        );
        // TeamCity has no build URL of its own: the variables make the artifact valid, as in the CLI.
        let tc = [
            ("TEAMCITY_VERSION", "2023.11"),
            ("KOSLI_BUILD_URL", "https://tc/b"),
            ("KOSLI_COMMIT_URL", "https://tc/c"),
        ];
        let plan = Artifact::try_parse_from(["x"])
            .unwrap()
            .p
            .to_input(&tc)
            .unwrap()
            .plan(ReportKind::Artifact, &tc)
            .unwrap();
        assert_eq!(
            (plan.build_url.as_str(), plan.commit_url.as_str()),
            ("https://tc/b", "https://tc/c")
        );
    }

    #[test]
    fn empty_flag_values_are_errors_in_the_cli_words() {
        for flag in [
            "--commit",
            "--repo-root",
            "--build-url",
            "--commit-url",
            "--repo-id",
            "--repository",
            "--repo-url",
            "--repo-provider",
        ] {
            let a = Artifact::try_parse_from(["x", flag, ""]).unwrap();
            let e = a.p.to_input(&NO_ENV).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("flag '{flag}' was given an empty value")
            );
        }
        let t = Trail::try_parse_from(["x", "--origin-url", ""]).unwrap();
        assert_eq!(
            t.p.to_input(&NO_ENV).unwrap_err().to_string(),
            "flag '--origin-url' was given an empty value"
        );
        for value in ["", "author,,branch", "author,branch,"] {
            let a = Artifact::try_parse_from(["x", "--redact-commit-info", value]).unwrap();
            let e = a.p.to_input(&NO_ENV).unwrap_err();
            assert_eq!(
                e.to_string(),
                "flag '--redact-commit-info' was given an empty value",
                "{value:?}"
            );
        }
    }

    #[test]
    fn redaction_values_are_checked_like_the_cli() {
        let a = Artifact::try_parse_from(["x", "--redact-commit-info", "author, message"]).unwrap();
        assert_eq!(
            a.p.to_input(&NO_ENV).unwrap_err().to_string(),
            " message is not an allowed value for --redact-commit-info"
        );
        let a =
            Artifact::try_parse_from(["x", "--redact-commit-info", "\"author,branch\""]).unwrap();
        assert_eq!(
            a.p.to_input(&NO_ENV).unwrap_err().to_string(),
            "author,branch is not an allowed value for --redact-commit-info"
        );
    }

    #[test]
    fn external_urls_parse_like_pflag() {
        let parse = |args: &[&str]| {
            let mut argv = vec!["x"];
            argv.extend_from_slice(args);
            Artifact::try_parse_from(argv)
                .unwrap()
                .e
                .to_external_urls(&NO_ENV)
        };
        let urls = parse(&[
            "--external-url",
            "a=https://a,b=https://b",
            "--external-fingerprint",
            "b=abc",
        ])
        .unwrap();
        assert_eq!(urls["a"].href, "https://a");
        assert_eq!(urls["b"].fingerprint.as_deref(), Some("abc"));
        // One `=`: the whole value is one pair, comma included (observed from the CLI).
        assert_eq!(
            parse(&["--external-url", "a=https://a,b"]).unwrap()["a"].href,
            "https://a,b"
        );
        assert_eq!(
            parse(&["--external-url", "a=https://x=y"]).unwrap()["a"].href,
            "https://x=y"
        );
        let e = parse(&["--external-url", "noequals"]).unwrap_err();
        assert_eq!(e.to_string(), "invalid argument \"noequals\" for \"--external-url\" flag: noequals must be formatted as key=value");
        let e = parse(&[
            "--external-url",
            "a=https://a",
            "--external-fingerprint",
            "c=abc",
        ])
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "c in --external-fingerprint does not match any labels in --external-url"
        );
        let env = [("KOSLI_EXTERNAL_URL", "a=https://a,b=https://b")];
        let urls = Artifact::try_parse_from(["x"])
            .unwrap()
            .e
            .to_external_urls(&env)
            .unwrap();
        assert_eq!(urls.keys().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn csv_records_like_go() {
        assert_eq!(csv_record("f", "a,b").unwrap(), ["a", "b"]);
        assert_eq!(csv_record("f", "\"a,b\",c").unwrap(), ["a,b", "c"]);
        assert_eq!(csv_record("f", "\"a\"\"b\"").unwrap(), ["a\"b"]);
        assert_eq!(csv_record("f", "").unwrap(), [""]);
        assert!(csv_record("f", "a\"b").is_err());
    }
}
