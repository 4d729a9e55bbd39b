//! `kosli allow artifact` and `kosli assert artifact` (the compliance gate), with the CLI's
//! flags, views, exit codes and errors.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::fingerprint::Fingerprinter;
use kosli_core::ops::compliance::{AllowArtifact, AssertArtifact, Verdict, NOT_COMPLIANT};
use kosli_core::{ArtifactType, Error, Fingerprint};

use crate::cmd_support::{self, exact_args, required, Runner, View};
use crate::env_cmd::report_write;
use crate::output::Context;

/// The flags that say which artifact (the CLI's fingerprint flags).
#[derive(Debug, clap::Args)]
struct ArtifactFlags {
    /// [IMAGE-NAME | FILE-PATH | DIR-PATH]
    #[arg(value_name = "IMAGE-NAME | FILE-PATH | DIR-PATH")]
    args: Vec<String>,
    /// The type of the artifact to calculate its SHA256 fingerprint. One of: [oci, docker, file, dir].
    #[arg(
        short = 't',
        long = "artifact-type",
        env = "KOSLI_ARTIFACT_TYPE",
        value_name = "TYPE"
    )]
    artifact_type: Option<String>,
    /// [optional] The comma separated list of directories and files to exclude from fingerprinting. Only applicable for --artifact-type dir.
    #[arg(
        short = 'x',
        long,
        env = "KOSLI_EXCLUDE",
        value_delimiter = ',',
        value_name = "PATTERNS",
        allow_hyphen_values = true
    )]
    exclude: Vec<String>,
    /// [conditional] The SHA256 fingerprint of the artifact. Only required if you don't specify '--artifact-type'.
    #[arg(short = 'F', long, env = "KOSLI_FINGERPRINT", value_name = "SHA256")]
    fingerprint: Option<String>,
    /// [conditional] The container registry password or access token.
    #[arg(
        long = "registry-password",
        env = "KOSLI_REGISTRY_PASSWORD",
        value_name = "PASSWORD"
    )]
    registry_password: Option<String>,
    /// [conditional] The container registry username.
    #[arg(
        long = "registry-username",
        env = "KOSLI_REGISTRY_USERNAME",
        value_name = "USER"
    )]
    registry_username: Option<String>,
}

/// Flags of `kosli allow artifact`.
#[derive(Debug, clap::Args)]
pub struct AllowArgs {
    #[command(subcommand)]
    what: AllowWhat,
}

#[derive(Debug, clap::Subcommand)]
enum AllowWhat {
    /// Add an artifact to an environment's allowlist.
    Artifact(AllowArtifactArgs),
}

#[derive(Debug, clap::Args)]
struct AllowArtifactArgs {
    #[command(flatten)]
    artifact: ArtifactFlags,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// The environment name for which the artifact is allowlisted.
    #[arg(short = 'e', long, env = "KOSLI_ENVIRONMENT", value_name = "ENV")]
    environment: Option<String>,
    /// The reason why this artifact is allowlisted.
    #[arg(long, env = "KOSLI_REASON", value_name = "TEXT")]
    reason: Option<String>,
}

/// Flags of `kosli assert artifact`.
#[derive(Debug, clap::Args)]
pub struct AssertArgs {
    #[command(subcommand)]
    what: AssertWhat,
}

#[derive(Debug, clap::Subcommand)]
enum AssertWhat {
    /// Assert the compliance status of an artifact in Kosli.
    Artifact(AssertArtifactArgs),
    /// Assert a pull request for a git commit exists.
    #[command(name = "pullrequest", visible_alias = "mergerequest")]
    Pullrequest(crate::review_cmd::AssertArgs),
}

#[derive(Debug, clap::Args)]
struct AssertArtifactArgs {
    #[command(flatten)]
    artifact: ArtifactFlags,
    /// [optional] Run in dry-run mode (the assert is still made: it is a read).
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// The Kosli environment name to assert the artifact against.
    #[arg(long, env = "KOSLI_ENVIRONMENT", value_name = "ENV")]
    environment: Option<String>,
    /// The Kosli flow name.
    #[arg(short = 'f', long, env = "KOSLI_FLOW", value_name = "FLOW")]
    flow: Option<String>,
    /// [defaulted] The format of the output. Valid formats are: [table, json].
    #[arg(
        short = 'o',
        long,
        env = "KOSLI_OUTPUT",
        default_value = "table",
        value_name = "FORMAT"
    )]
    output: String,
    /// [optional] policy name (can be specified multiple times)
    #[arg(long, env = "KOSLI_POLICY", value_delimiter = ',', value_name = "NAME")]
    policy: Vec<String>,
}

impl ArtifactFlags {
    /// The CLI's checks of `--fingerprint` / `--artifact-type` (made after `--org` and
    /// `--api-token`): one of them is needed, and a given fingerprint must be one.
    fn check(&self, runner: &Runner<'_>, missing: &str) -> Result<(), Error> {
        match (&self.fingerprint, &self.artifact_type) {
            (None, None) => Err(runner.usage_error(missing)),
            (Some(fp), _) => fp
                .parse::<Fingerprint>()
                .map(|_| ())
                .map_err(|e| runner.usage_error(&e.to_string())),
            (None, Some(_)) => Ok(()),
        }
    }

    /// The artifact's fingerprint and the name the CLI gives it: with `--fingerprint`, the
    /// argument as given; fingerprinted here, a file's or directory's base name.
    fn resolve(&self) -> Result<(Fingerprint, String), Error> {
        let arg = self.args.first().cloned().unwrap_or_default();
        if let Some(fp) = &self.fingerprint {
            return Ok((fp.parse()?, arg));
        }
        let kind: ArtifactType = self.artifact_type.as_deref().unwrap_or_default().parse()?;
        let excludes: Vec<&str> = self
            .exclude
            .iter()
            .map(String::as_str)
            .filter(|e| !e.is_empty())
            .collect();
        let fingerprinter = Fingerprinter::new().excludes(excludes);
        let fp = match kind {
            ArtifactType::File => fingerprinter.file(&arg)?,
            ArtifactType::Dir => fingerprinter.dir(&arg)?,
            other => {
                let _ = (&self.registry_username, &self.registry_password);
                return Err(Error::invalid_input(
                    "artifact-type",
                    format!("--artifact-type {other} is not supported by this example yet: give --fingerprint"),
                ));
            }
        };
        let name = std::path::Path::new(&arg)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(arg);
        Ok((fp, name))
    }
}

/// Runs `kosli allow artifact`.
pub fn allow(args: &AllowArgs, ctx: &Context) -> ExitCode {
    let AllowWhat::Artifact(a) = &args.what;
    let runner = Runner::new(
        ctx,
        "kosli allow artifact",
        "kosli allow artifact [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
    )
    .dry_run(a.dry_run);
    let checks = Runner::new(
        ctx,
        "",
        "kosli allow artifact [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]",
    );
    let flags = || {
        a.artifact.check(
            &checks,
            "either --artifact-type or --fingerprint must be specified",
        )?;
        required(&[
            ("environment", a.environment.is_some()),
            ("reason", a.reason.is_some()),
        ])
    };
    runner.run(exact_args(&a.artifact.args, 1), flags, |config, run| {
        let (fingerprint, name) = a.artifact.resolve()?;
        let env = a.environment.clone().unwrap_or_default();
        let allow = AllowArtifact::with_fingerprint(
            &env,
            fingerprint,
            name,
            a.reason.clone().unwrap_or_default(),
        );
        let outcome = Client::new(config.clone())?.allow_artifact(&allow)?;
        report_write(
            run,
            &outcome,
            &format!("artifact {fingerprint} was allow listed in environment: {env}"),
        );
        Ok(())
    })
}

/// Runs `kosli assert artifact`: exit 0 when Kosli says compliant, 1 otherwise.
pub fn assert(args: &AssertArgs, ctx: &Context) -> ExitCode {
    let a = match &args.what {
        AssertWhat::Artifact(a) => a,
        AssertWhat::Pullrequest(p) => return crate::review_cmd::assert_pull_request(p, ctx),
    };
    const USAGE: &str = "kosli assert artifact [IMAGE-NAME | FILE-PATH | DIR-PATH] [flags]";
    let runner = Runner::new(ctx, "kosli assert artifact", USAGE)
        .label_flag("flow", a.flow.as_deref())
        .dry_run(a.dry_run);
    let checks = Runner::new(ctx, "", USAGE);
    let arg_check = if a.artifact.args.len() > 1 {
        Err(Error::invalid_input(
            "arguments",
            format!(
                "accepts at most 1 arg(s), received {}",
                a.artifact.args.len()
            ),
        ))
    } else {
        Ok(())
    };
    let policies: Vec<String> = a.policy.iter().filter(|p| !p.is_empty()).cloned().collect();
    let flags = || {
        if a.artifact.fingerprint.is_none() && a.artifact.args.is_empty() {
            return Err(checks.usage_error(
                "docker image name or file/dir path is required when --fingerprint is not provided",
            ));
        }
        if a.artifact.fingerprint.is_none() && a.artifact.artifact_type.is_none() {
            a.artifact.check(
                &checks,
                "either --artifact-type or --fingerprint must be specified",
            )?;
        }
        if let Some(fp) = &a.artifact.fingerprint {
            fp.parse::<Fingerprint>()
                .map_err(|e| checks.usage_error(&e.to_string()))?;
        }
        if a.environment.is_some() && !a.policy.is_empty() {
            return Err(Error::invalid_input(
                "environment",
                "if any flags in the group [environment policy] are set none of the others can be; [environment policy] were all set",
            ));
        }
        Ok(())
    };
    runner.run(arg_check, flags, |config, run| {
        let (fingerprint, _) = a.artifact.resolve()?;
        let mut assert = AssertArtifact::new(fingerprint);
        if let Some(f) = a.flow.as_deref().filter(|f| !f.is_empty()) {
            assert = assert.flow(f);
        }
        if let Some(e) = a.environment.as_deref().filter(|e| !e.is_empty()) {
            assert = assert.environment(e);
        } else if !policies.is_empty() {
            assert = assert.policies(policies.clone());
        }
        let response = Client::new(config.clone())?.read(&assert.request())?;
        let view = View::parse(&a.output)?;
        let verdict = Verdict::from_response(&response)?;
        match view {
            View::Json => cmd_support::print_json(run, response.body()),
            View::Table => run.print(&verdict_view(&verdict)),
        }
        if verdict.compliant {
            Ok(())
        } else {
            Err(Error::PolicyDenied {
                message: NOT_COMPLIANT.to_string(),
                reasons: verdict.reasons(),
            })
        }
    })
}

/// The CLI's view of a verdict.
pub fn verdict_view(v: &Verdict) -> String {
    let mut s = String::new();
    s.push_str(if v.compliant {
        "COMPLIANT\n"
    } else {
        "Error: NON-COMPLIANT\n"
    });
    if let Some(env) = v.environment.as_deref().filter(|e| !e.is_empty()) {
        s.push_str(&format!("Environment: {env}\n"));
    }
    if v.scope == "environment" || v.scope == "policy" || !v.policy_evaluations.is_empty() {
        s.push_str(&format!("{:<32} {:<30}\n", "Policy-name", "status"));
        for p in &v.policy_evaluations {
            s.push_str(&format!("  {:<32} {:<30}\n", p.policy_name, p.status));
        }
        s.push('\n');
    }
    let url = v.html_url.as_deref().unwrap_or_default();
    for f in &v.flows {
        s.push_str(&format!("Flow: {}\n  Trail: {}\n", f.flow, f.trail));
        s.push_str(&format!(
            "  {:<32} {:<30} {:<15} {:<10}\n",
            "Attestation-name", "type", "status", "compliant"
        ));
        for a in &f.compliance_status.attestations_statuses {
            s.push_str(&format!(
                "    {:<32} {:<30} {:<15} {:<10} {:<10}\n",
                a.attestation_name,
                a.attestation_type,
                a.status,
                a.is_compliant,
                if a.unexpected { "unexpected" } else { "" }
            ));
        }
        s.push_str(&format!("  See more details at {url}\n"));
    }
    s
}
