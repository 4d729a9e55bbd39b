//! `kosli get artifact` and `kosli list artifacts`, with the CLI's flags, views and errors.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::ops::artifacts_read::{Artifact, ArtifactSelector, GetArtifact, ListArtifacts};
use kosli_core::Error;

use crate::cmd_support::{self, exact_args, Runner, View};
use crate::env_cmd::page_flag;
use crate::output::Context;
use crate::{tabwriter, timefmt};

/// Flags of `kosli get artifact`.
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// EXPRESSION: flowName@fingerprint or flowName:commitSha
    #[arg(value_name = "EXPRESSION")]
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
    /// [optional] The Kosli trail name.
    #[arg(short = 't', long, env = "KOSLI_TRAIL", value_name = "TRAIL")]
    trail: Option<String>,
}

/// Flags of `kosli list artifacts`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
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
    /// [defaulted] The page number of a response. (default 1)
    #[arg(long, env = "KOSLI_PAGE", value_name = "N", allow_hyphen_values = true)]
    page: Option<String>,
    /// [defaulted] The number of elements per page. (default 15)
    #[arg(
        short = 'n',
        long = "page-limit",
        env = "KOSLI_PAGE_LIMIT",
        value_name = "N",
        allow_hyphen_values = true
    )]
    page_limit: Option<String>,
    /// [optional] The name of a git repo as it is registered in Kosli. e.g kosli-dev/cli
    #[arg(long, env = "KOSLI_REPO", value_name = "REPO")]
    repo: Option<String>,
}

/// `kosli get artifact EXPRESSION`.
pub fn get(args: &GetArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli get artifact",
        "kosli get artifact EXPRESSION [flags]",
    )
    .label_flag("trail", args.trail.as_deref());
    let selector =
        exact_args(&args.args, 1).and_then(|()| args.args[0].parse::<ArtifactSelector>());
    let parsed = selector.as_ref().map(|_| ()).map_err(clone_error);
    runner.run(
        parsed,
        || Ok(()),
        |config, run| {
            let Ok(selector) = &selector else {
                return Ok(());
            };
            let mut get = GetArtifact::new(selector.clone());
            if let Some(t) = &args.trail {
                get = get.trail(t);
            }
            let response = Client::new(config.clone())?.read(&get.request())?;
            match View::parse(&args.output)? {
                View::Json => cmd_support::print_json(run, response.body()),
                View::Table => {
                    let views: Vec<String> = get
                        .artifacts_from(&response)?
                        .iter()
                        .map(artifact_view)
                        .collect();
                    run.print(&views.join("\n"));
                }
            }
            Ok(())
        },
    )
}

/// The same error again (the parse result is checked once, used twice).
fn clone_error(e: &Error) -> Error {
    Error::invalid_input("expression", e.to_string())
}

/// The CLI's key/value view of one artifact.
pub fn artifact_view(a: &Artifact) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut s = format!("Name:\t{}\nFlow:\t{}\n", a.filename, a.flow_name);
    if let Some(t) = a.trail_name.as_deref().filter(|t| !t.is_empty()) {
        s.push_str(&format!("Trail:\t{t}\n"));
    }
    if let Some(t) = a
        .template_reference_name
        .as_deref()
        .filter(|t| !t.is_empty())
    {
        s.push_str(&format!("Name in template:\t{t}\n"));
    }
    s.push_str(&format!(
        "Fingerprint:\t{}\nCreated on:\t{}\nGit commit:\t{}\nCommit URL:\t{}\nBuild URL:\t{}\nArtifact URL:\t{}\nState:\t{}\n",
        a.fingerprint,
        timefmt::date_and_ago(a.created_at.unwrap_or_default()),
        text(&a.git_commit),
        text(&a.commit_url),
        text(&a.build_url),
        text(&a.html_url),
        text(&a.state),
    ));
    let places = |list: &[kosli_core::ops::artifacts_read::ArtifactLocation]| {
        list.iter()
            .map(|l| format!("{}#{}", l.environment_name, l.snapshot_index))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !a.running.is_empty() {
        s.push_str(&format!(
            "Running in environments:\t{}\n",
            places(&a.running)
        ));
    }
    if !a.exited.is_empty() {
        s.push_str(&format!(
            "Exited from environments:\t{}\n",
            places(&a.exited)
        ));
    }
    if !a.history.is_empty() {
        s.push_str("History:\n");
        for h in &a.history {
            s.push_str(&format!(
                "    {}\t{}\n",
                h.event,
                timefmt::rfc1123(h.timestamp)
            ));
        }
    }
    tabwriter::align(&s)
}

/// `kosli list artifacts`.
pub fn list(args: &ListArgs, ctx: &Context) -> ExitCode {
    const USAGE: &str = "kosli list artifacts [flags]";
    let runner =
        Runner::new(ctx, "kosli list artifacts", USAGE).label_flag("flow", args.flow.as_deref());
    let pages = page_flag("page", args.page.as_deref())
        .and_then(|p| Ok((p, page_flag("page-limit", args.page_limit.as_deref())?)));
    let (page, per_page) = pages.as_ref().ok().copied().unwrap_or_default();
    let parsed = pages.map(|_| ());
    let flags = || {
        if page == Some(0) {
            return Err(Error::invalid_input(
                "page",
                format!("page number must be a positive integer\nUsage: {USAGE}"),
            ));
        }
        if per_page == Some(0) {
            return Err(Error::invalid_input(
                "page-limit",
                format!("page limit must be a positive integer\nUsage: {USAGE}"),
            ));
        }
        Ok(())
    };
    runner.run(parsed, flags, |config, run| {
        let mut list = match (&args.flow, &args.repo) {
            (Some(f), _) if !f.is_empty() => ListArtifacts::flow(f),
            (_, Some(r)) if !r.is_empty() => ListArtifacts::repo(r),
            _ => ListArtifacts::new(),
        };
        list = list
            .page(page.unwrap_or(1))
            .per_page(per_page.unwrap_or(kosli_core::ops::artifacts_read::DEFAULT_PER_PAGE));
        let response = Client::new(config.clone())?.read(&list.request()?)?;
        match View::parse(&args.output)? {
            View::Json => cmd_support::print_json(run, response.body()),
            View::Table => run.print(&list_view(
                &response.json::<Vec<Artifact>>()?,
                list.page_number(),
            )),
        }
        Ok(())
    })
}

/// The CLI's table of artifacts: two lines and a blank one per artifact.
pub fn list_view(artifacts: &[Artifact], page: u64) -> String {
    if artifacts.is_empty() {
        return if page > 1 {
            format!("No artifacts were found at page number {page}.\n")
        } else {
            "No artifacts were found.\n".to_string()
        };
    }
    let mut text = String::from("COMMIT\tARTIFACT\tSTATE\tCREATED_AT\n");
    for a in artifacts {
        // The CLI shows the commit's first 7 characters (it fails on shorter ones; this shows
        // them whole).
        let commit: String = a
            .git_commit
            .as_deref()
            .unwrap_or_default()
            .chars()
            .take(7)
            .collect();
        text.push_str(&format!(
            "{commit}\tName: {}\t{}\t{}\n\tFingerprint: {}\t\t\n\t\t\t\n",
            a.filename,
            a.state.as_deref().unwrap_or_default(),
            timefmt::rfc1123(a.created_at.unwrap_or_default()),
            a.fingerprint
        ));
    }
    tabwriter::align(&text)
}
