//! `kosli create policy`, `kosli attach-policy`, `kosli detach-policy`, `kosli get policy` and
//! `kosli list policies`, with the CLI's flags, output and exit codes (wire-2.md §4), its
//! quirk included: attach/detach stop at the first environment that fails, but print the
//! success line and exit 0 anyway.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::policy::ops::{
    get_policy_request, list_policies_request, CreatePolicy, Policy, ENV_TYPE,
};
use kosli_core::Error;

use crate::cmd_support::{exact_args, go_list, print_json, required, Runner, View};
use crate::output::Context;
use crate::{tabwriter, timefmt};

/// Flags of `kosli create policy`.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// POLICY-NAME POLICY-FILE-PATH
    #[arg(value_name = "POLICY-NAME POLICY-FILE-PATH")]
    args: Vec<String>,
    /// [optional] comment about the change made in a policy file when updating a policy.
    #[arg(long, value_name = "TEXT")]
    comment: Option<String>,
    /// [optional] policy description.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// [defaulted] the type of policy. One of: [env] (default "env")
    #[arg(long = "type", value_name = "TYPE")]
    policy_type: Option<String>,
}

/// Flags of `kosli attach-policy` and `kosli detach-policy`.
#[derive(Debug, clap::Args)]
pub struct AttachArgs {
    /// POLICY-NAME
    #[arg(value_name = "POLICY-NAME")]
    args: Vec<String>,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// the list of environment names to attach the policy to (or detach it from)
    #[arg(short = 'e', long, value_delimiter = ',', value_name = "NAMES")]
    environment: Vec<String>,
}

/// Flags of `kosli get policy`.
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// POLICY-NAME
    #[arg(value_name = "POLICY-NAME")]
    args: Vec<String>,
    /// [defaulted] The format of the output. Valid formats are: [table, json].
    #[arg(
        short = 'o',
        long,
        env = "KOSLI_OUTPUT",
        default_value = "table",
        value_name = "FORMAT"
    )]
    output: String,
}

/// Flags of `kosli list policies`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// [defaulted] The format of the output. Valid formats are: [table, json].
    #[arg(
        short = 'o',
        long,
        env = "KOSLI_OUTPUT",
        default_value = "table",
        value_name = "FORMAT"
    )]
    output: String,
}

/// `kosli create policy NAME FILE`.
pub fn create(args: &CreateArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli create policy",
        "kosli create policy POLICY-NAME POLICY-FILE-PATH [flags]",
    )
    .dry_run(args.dry_run);
    runner.run(
        exact_args(&args.args, 2),
        || Ok(()),
        |config, run| {
            let policy = CreatePolicy::from_file(&args.args[0], &args.args[1])
                .description(args.description.clone().unwrap_or_default())
                .comment(args.comment.clone().unwrap_or_default())
                .policy_type(
                    args.policy_type
                        .clone()
                        .unwrap_or_else(|| ENV_TYPE.to_string()),
                );
            let client = Client::new(config.clone())?;
            if let Err(e) = policy.request() {
                // The CLI reads the file while building its request, and says so.
                let url = client
                    .async_client()?
                    .url_for(config.primary(), &list_policies_request())?;
                return Err(Error::invalid_input(
                    "policy file",
                    format!("failed to create a PUT request to {url} : {e}"),
                ));
            }
            let outcome = client.create_policy(&policy)?;
            let verb = if outcome.response().is_some_and(|r| r.status() == 201) {
                "created"
            } else {
                "updated"
            };
            crate::env_cmd::report_write(
                run,
                &outcome,
                &format!("policy '{}' was {verb}", args.args[0]),
            );
            Ok(())
        },
    )
}

/// `kosli attach-policy NAME -e ENV...`.
pub fn attach(args: &AttachArgs, ctx: &Context) -> ExitCode {
    attach_or_detach(args, ctx, true)
}

/// `kosli detach-policy NAME -e ENV...`.
pub fn detach(args: &AttachArgs, ctx: &Context) -> ExitCode {
    attach_or_detach(args, ctx, false)
}

fn attach_or_detach(args: &AttachArgs, ctx: &Context, attach: bool) -> ExitCode {
    let (label, usage, verb) = if attach {
        (
            "kosli attach-policy",
            "kosli attach-policy POLICY-NAME [flags]",
            "is attached to",
        )
    } else {
        (
            "kosli detach-policy",
            "kosli detach-policy POLICY-NAME [flags]",
            "is detached from",
        )
    };
    let envs: Vec<String> = args
        .environment
        .iter()
        .filter(|e| !e.is_empty())
        .cloned()
        .collect();
    let runner = Runner::new(ctx, label, usage).dry_run(args.dry_run);
    runner.run(
        exact_args(&args.args, 1),
        || required(&[("environment", !args.environment.is_empty())]),
        |config, run| {
            let client = Client::new(config.clone())?;
            let name = &args.args[0];
            let result = if attach {
                client.attach_policy(name, &envs)
            } else {
                client.detach_policy(name, &envs)
            };
            match result {
                Ok(outcomes) if outcomes.iter().all(|o| o.dry_run().is_some()) => {
                    for o in &outcomes {
                        if let Some(d) = o.dry_run() {
                            run.print(&d.to_string());
                        }
                    }
                }
                // The CLI's quirk (attach_policy_first_fails): the loop stops at the first
                // failure, but its error is lost and the success line is printed.
                Ok(_) | Err(_) => run.println(&format!(
                    "policy '{name}' {verb} environments: {}",
                    go_list(&envs)
                )),
            }
            Ok(())
        },
    )
}

/// `kosli get policy NAME`.
pub fn get(args: &GetArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli get policy",
        "kosli get policy POLICY-NAME [flags]",
    );
    runner.run(
        exact_args(&args.args, 1),
        || Ok(()),
        |config, run| {
            let client = Client::new(config.clone())?;
            let response = client.read(&get_policy_request(&args.args[0]))?;
            match View::parse(&args.output)? {
                View::Json => print_json(run, response.body()),
                View::Table => {
                    let p: Policy = response.json()?;
                    run.print(&policy_view(&p));
                }
            }
            Ok(())
        },
    )
}

/// `get policy`'s key/value view. A policy without versions (the CLI panics on it) shows no
/// content.
fn policy_view(p: &Policy) -> String {
    let mut text = format!(
        "Name:\t{}\nDescription:\t{}\nCreated At:\t{}\nVersions:\t{}\nAttached to environments:\t{}\n",
        p.name,
        p.description.as_deref().unwrap_or_default(),
        timefmt::date_and_ago(p.created_at.unwrap_or_default()),
        p.versions.len(),
        go_list(&p.consuming_envs),
    );
    if let Some(yaml) = p.latest_yaml() {
        text.push_str("Policy content:\n");
        for line in yaml.split('\n') {
            text.push_str(&format!("\t{line}\n"));
        }
    }
    tabwriter::align(&text)
}

/// `kosli list policies`.
pub fn list(args: &ListArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(ctx, "kosli list policies", "kosli list policies [flags]");
    runner.run(
        Ok(()),
        || Ok(()),
        |config, run| {
            let client = Client::new(config.clone())?;
            let response = client.read(&list_policies_request())?;
            match View::parse(&args.output)? {
                View::Json => print_json(run, response.body()),
                View::Table => {
                    let policies = Policy::list_from_response(&response)?;
                    if policies.is_empty() {
                        run.println("No environment policies were found.");
                        return Ok(());
                    }
                    let mut text =
                        "NAME\tDESCRIPTION\tCREATED AT\tLAST VERSION\tUSED BY ENVS\n".to_string();
                    for p in &policies {
                        text.push_str(&format!(
                            "{}\t{}\t{}\t{}\t{}\n",
                            p.name,
                            p.description.as_deref().unwrap_or_default(),
                            timefmt::date_and_ago(p.created_at.unwrap_or_default()),
                            p.versions.len(),
                            go_list(&p.consuming_envs)
                        ));
                    }
                    run.print(&tabwriter::align(&text));
                }
            }
            Ok(())
        },
    )
}
