//! The environment history reads: `kosli get trail`, `kosli list trails`, `kosli get
//! snapshot`, `kosli list snapshots`, `kosli log environment` and `kosli diff snapshots`, with
//! the CLI's flags, views and errors.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::ops::history::{
    diff_snapshots_request, get_trail_request, DiffArtifact, DiffSide, EnvironmentEvent,
    ListSnapshots, ListTrails, LogEnvironment, Snappish, Snapshot, SnapshotDiff, SnapshotSummary,
    Trail, TrailList,
};
use kosli_core::Error;

use crate::cmd_support::{self, exact_args, required, Runner, View};
use crate::env_cmd::page_flag;
use crate::output::Context;
use crate::{tabwriter, timefmt};

mod trail_events;
mod trail_markdown;
mod web_url;

use trail_events::EventFields;

/// What Go's `%s` prints for a nil pointer.
const NIL: &str = "%!s(<nil>)";

/// `--output` (table or json).
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArg {
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

/// `--page` and `--page-limit`, as typed (checked as Go int flags).
#[derive(Debug, Clone, clap::Args)]
pub struct PageArgs {
    /// [defaulted] The page number of a response. (default 1)
    #[arg(long, env = "KOSLI_PAGE", value_name = "N", allow_hyphen_values = true)]
    page: Option<String>,
    /// [defaulted] The number of elements per page.
    #[arg(
        short = 'n',
        long = "page-limit",
        env = "KOSLI_PAGE_LIMIT",
        value_name = "N",
        allow_hyphen_values = true
    )]
    page_limit: Option<String>,
}

impl PageArgs {
    /// (page, page size) with the defaults, or the CLI's flag error.
    fn parse(&self, default_per_page: u64) -> Result<(u64, u64), Error> {
        let page = page_flag("page", self.page.as_deref())?.unwrap_or(1);
        let per_page =
            page_flag("page-limit", self.page_limit.as_deref())?.unwrap_or(default_per_page);
        Ok((page, per_page))
    }
}

/// The CLI's check of a page, with its usage line.
fn check_page(page: u64, per_page: u64, usage: &str) -> Result<(), Error> {
    let message = if page == 0 {
        "page number must be a positive integer"
    } else if per_page == 0 {
        "page limit must be a positive integer"
    } else {
        return Ok(());
    };
    Err(Error::invalid_input(
        "page",
        format!("{message}\nUsage: {usage}"),
    ))
}

/// Flags of `kosli get trail`.
#[derive(Debug, clap::Args)]
pub struct GetTrailArgs {
    /// TRAIL-NAME
    #[arg(value_name = "TRAIL-NAME")]
    args: Vec<String>,
    /// The Kosli flow name.
    #[arg(short = 'f', long, env = "KOSLI_FLOW", value_name = "FLOW")]
    flow: Option<String>,
    /// [defaulted] The format of the output. Valid formats are: [table, json, markdown].
    #[arg(
        short = 'o',
        long,
        env = "KOSLI_OUTPUT",
        default_value = "table",
        value_name = "FORMAT"
    )]
    output: String,
}

/// Flags of `kosli list trails`.
#[derive(Debug, clap::Args)]
pub struct ListTrailsArgs {
    /// [optional] The SHA256 fingerprint of the artifact to filter trails by.
    #[arg(short = 'F', long, env = "KOSLI_FINGERPRINT", value_name = "SHA256")]
    fingerprint: Option<String>,
    /// [optional] The Kosli flow name.
    #[arg(short = 'f', long, env = "KOSLI_FLOW", value_name = "FLOW")]
    flow: Option<String>,
    /// [optional] A key=value flow tag to filter trails by.
    #[arg(
        short = 't',
        long = "flow-tag",
        env = "KOSLI_FLOW_TAG",
        value_name = "KEY=VALUE"
    )]
    flow_tag: Option<String>,
    #[command(flatten)]
    output: OutputArg,
    #[command(flatten)]
    pages: PageArgs,
}

/// Flags of `kosli get snapshot`.
#[derive(Debug, clap::Args)]
pub struct GetSnapshotArgs {
    /// ENVIRONMENT-NAME-OR-EXPRESSION: ENV, ENV#N, ENV~N or ENV@{TIME}
    #[arg(value_name = "ENVIRONMENT-NAME-OR-EXPRESSION")]
    args: Vec<String>,
    #[command(flatten)]
    output: OutputArg,
}

/// Flags of `kosli list snapshots`.
#[derive(Debug, clap::Args)]
pub struct ListSnapshotsArgs {
    /// ENV_NAME
    #[arg(value_name = "ENV_NAME")]
    args: Vec<String>,
    /// [optional] Expression to define specified snapshots range.
    #[arg(short = 'i', long, env = "KOSLI_INTERVAL", value_name = "EXPRESSION")]
    interval: Option<String>,
    /// [optional] Reverse the order of output list.
    #[arg(long)]
    reverse: bool,
    #[command(flatten)]
    output: OutputArg,
    #[command(flatten)]
    pages: PageArgs,
}

/// `kosli log ...`
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    #[command(subcommand)]
    what: Log,
}

#[derive(Debug, clap::Subcommand)]
enum Log {
    /// List environment events.
    #[command(visible_alias = "env")]
    Environment(LogEnvironmentArgs),
}

/// Flags of `kosli log environment`.
#[derive(Debug, clap::Args)]
pub struct LogEnvironmentArgs {
    /// ENV_NAME
    #[arg(value_name = "ENV_NAME")]
    args: Vec<String>,
    /// [optional] The end of the events range. Can be a snapshot index (integer) or a time expression (e.g. NOW, 1hour).
    #[arg(long, value_name = "EXPRESSION")]
    end: Option<String>,
    /// [optional] The end of the events range as a Unix timestamp in seconds (integer or float).
    #[arg(long = "end-ts", value_name = "SECONDS", allow_hyphen_values = true)]
    end_ts: Option<f64>,
    /// [optional] Expression to define specified snapshots range.
    #[arg(short = 'i', long, env = "KOSLI_INTERVAL", value_name = "EXPRESSION")]
    interval: Option<String>,
    /// [optional] The name of a git repo as it is registered in Kosli. e.g kosli-dev/cli
    #[arg(long, value_delimiter = ',', value_name = "REPO")]
    repo: Vec<String>,
    /// [optional] Reverse the order of output list.
    #[arg(long)]
    reverse: bool,
    /// [optional] The start of the events range. Can be a snapshot index (integer) or a time expression (e.g. NOW, 1hour).
    #[arg(long, value_name = "EXPRESSION")]
    start: Option<String>,
    /// [optional] The start of the events range as a Unix timestamp in seconds (integer or float).
    #[arg(long = "start-ts", value_name = "SECONDS", allow_hyphen_values = true)]
    start_ts: Option<f64>,
    #[command(flatten)]
    output: OutputArg,
    #[command(flatten)]
    pages: PageArgs,
}

/// `kosli diff ...`
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    #[command(subcommand)]
    what: Diff,
}

#[derive(Debug, clap::Subcommand)]
enum Diff {
    /// Diff environment snapshots.
    Snapshots(DiffSnapshotsArgs),
}

/// Flags of `kosli diff snapshots`.
#[derive(Debug, clap::Args)]
pub struct DiffSnapshotsArgs {
    /// SNAPPISH_1 SNAPPISH_2
    #[arg(value_name = "SNAPPISH")]
    args: Vec<String>,
    /// [defaulted] Show the unchanged artifacts present in both snapshots within the diff output.
    #[arg(short = 'u', long = "show-unchanged")]
    show_unchanged: bool,
    #[command(flatten)]
    output: OutputArg,
}

/// `kosli get trail TRAIL --flow FLOW`.
pub fn get_trail(args: &GetTrailArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(ctx, "kosli get trail", "kosli get trail TRAIL-NAME [flags]")
        .label_flag("flow", args.flow.as_deref());
    let flags = || required(&[("flow", args.flow.is_some())]);
    runner.run(exact_args(&args.args, 1), flags, |config, run| {
        let flow = args.flow.as_deref().unwrap_or_default();
        let response =
            Client::new(config.clone())?.read(&get_trail_request(flow, &args.args[0]))?;
        if args.output == "markdown" {
            let links = trail_markdown::Links {
                host: config.primary().as_str(),
                org: config.org().unwrap_or_default(),
                flow,
            };
            run.print(&trail_markdown::view(&response.json::<Trail>()?, &links));
            return Ok(());
        }
        match View::parse(&args.output)? {
            View::Json => cmd_support::print_json(run, response.body()),
            View::Table => run.print(&trail_view(&response.json::<Trail>()?)),
        }
        Ok(())
    })
}

/// The CLI's key/value view of a trail.
pub fn trail_view(t: &Trail) -> String {
    let mut text = format!(
        "Name:\t{}\nDescription:\t{}\nCompliance:\t{}\nLast modified at:\t{}\n",
        t.name,
        t.description.as_deref().unwrap_or(NIL),
        t.compliance_state.as_deref().unwrap_or(NIL),
        t.last_modified_at
            .map(timefmt::date_and_ago)
            .unwrap_or_else(|| "N/A".into()),
    );
    if let Some(c) = &t.git_commit_info {
        text.push_str(&format!(
            "Git commit:\t\n  Sha1:\t{}\n  Author:\t{}\n  Timestamp:\t{}\n",
            c.sha1,
            c.author,
            c.timestamp.map(timefmt::date_and_ago).unwrap_or_default()
        ));
        if let Some(url) = c.url.as_deref().filter(|u| !u.is_empty()) {
            text.push_str(&format!("  url:\t{url}\n"));
        }
        // Lines after the first are indented under the value (empty ones stay empty).
        let mut lines = c.message.split('\n');
        let first = lines.next().unwrap_or_default();
        let rest: Vec<String> = lines
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("     {l}")
                }
            })
            .collect();
        text.push_str(&format!("  message:\t{first}\n"));
        for l in rest {
            text.push_str(&l);
            text.push('\n');
        }
    }
    text.push_str("Events:\n\n");
    if let Some(events) = &t.events {
        text.push_str("     TIME\tDESCRIPTION\tGIT-COMMIT\tCOMPLIANCE\n");
        for e in events {
            let f = EventFields::of(e);
            text.push_str(&format!(
                "     {}\t{}\t{}\t{}\n",
                f.time,
                f.description,
                f.commit,
                f.compliance()
            ));
        }
    }
    tabwriter::align(&text)
}

/// `kosli list trails`.
pub fn list_trails(args: &ListTrailsArgs, ctx: &Context) -> ExitCode {
    const USAGE: &str = "kosli list trails [flags]";
    let runner =
        Runner::new(ctx, "kosli list trails", USAGE).label_flag("flow", args.flow.as_deref());
    let pages = args.pages.parse(ListTrails::DEFAULT_PER_PAGE);
    let (page, per_page) = pages.as_ref().ok().copied().unwrap_or((1, 1));
    let flags = || check_page(page, per_page, USAGE);
    runner.run(pages.map(|_| ()), flags, |config, run| {
        let mut list = ListTrails::new().page(page).per_page(per_page);
        if let Some(f) = &args.flow {
            list = list.flow(f);
        }
        if let Some(f) = &args.fingerprint {
            list = list.fingerprint(f);
        }
        if let Some(t) = &args.flow_tag {
            list = list.flow_tag(t);
        }
        let response = Client::new(config.clone())?.read(&list.request()?)?;
        match View::parse(&args.output.output)? {
            View::Json => cmd_support::print_json(run, response.body()),
            View::Table => run.print(&trails_view(&response.json::<TrailList>()?, page)),
        }
        Ok(())
    })
}

/// The CLI's table of trails, with its page line.
pub fn trails_view(list: &TrailList, page: u64) -> String {
    if list.data.is_empty() {
        return if page > 1 {
            format!("No trails were found at page number {page}.\n")
        } else {
            "No trails were found.\n".to_string()
        };
    }
    let mut text = String::from("NAME\tDESCRIPTION\tCOMPLIANCE\n");
    for t in &list.data {
        text.push_str(&format!(
            "{}\t{}\t{}\n",
            t.name,
            t.description.as_deref().unwrap_or_default(),
            t.compliance_state.as_deref().unwrap_or_default()
        ));
    }
    let mut out = tabwriter::align(&text);
    if let Some(p) = &list.pagination {
        out.push_str(&format!(
            "\nShowing page {} of {}, total {} items\n",
            p.page, p.page_count, p.total
        ));
    }
    out
}

/// `kosli get snapshot ENV[#N|~N|@{T}]`.
pub fn get_snapshot(args: &GetSnapshotArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli get snapshot",
        "kosli get snapshot ENVIRONMENT-NAME-OR-EXPRESSION [flags]",
    );
    let parsed = exact_args(&args.args, 1).and_then(|()| Snappish::parse(&args.args[0]));
    let snappish = parsed.as_ref().ok().cloned();
    runner.run(
        parsed.map(|_| ()),
        || Ok(()),
        |config, run| {
            let Some(snappish) = &snappish else {
                return Ok(());
            };
            let response = Client::new(config.clone())?.read(&snappish.request())?;
            match View::parse(&args.output.output)? {
                View::Json => cmd_support::print_json(run, response.body()),
                View::Table => run.print(&snapshot_view(&response.json::<Snapshot>()?)),
            }
            Ok(())
        },
    )
}

/// The CLI's table of what runs in a snapshot (stopped artifacts hidden).
pub fn snapshot_view(s: &Snapshot) -> String {
    if s.env_type.is_empty() {
        return "No running artifacts were reported\n".to_string();
    }
    let now = now();
    let mut text = String::from("COMMIT\tARTIFACT\tFLOW\tCOMPLIANCE\tRUNNING_SINCE\tREPLICAS\n");
    for a in s.running_artifacts() {
        let commit = a
            .git_commit
            .as_deref()
            .filter(|c| !c.is_empty())
            .map_or("N/A".to_string(), |c| c.chars().take(7).collect());
        let flow = a
            .flow_name
            .as_deref()
            .filter(|f| !f.is_empty())
            .unwrap_or("N/A");
        let compliance = if a.compliant == Some(true) {
            "COMPLIANT"
        } else {
            "NON-COMPLIANT"
        };
        let since = a
            .creation_timestamps
            .first()
            .map(|t| timefmt::ago(*t, now))
            .unwrap_or_default();
        text.push_str(&format!(
            "{commit}\tName: {}\t{flow}\t{compliance}\t{since}\t{}\n\tFingerprint: {}\t\t\t\n\t\t\t\t\n",
            a.name,
            a.creation_timestamps.len(),
            a.fingerprint
        ));
    }
    tabwriter::align(&text)
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// `kosli list snapshots ENV`.
pub fn list_snapshots(args: &ListSnapshotsArgs, ctx: &Context) -> ExitCode {
    const USAGE: &str = "kosli list snapshots ENV_NAME [flags]";
    let runner = Runner::new(ctx, "kosli list snapshots", USAGE);
    let pages = args.pages.parse(ListSnapshots::DEFAULT_PER_PAGE);
    let (page, per_page) = pages.as_ref().ok().copied().unwrap_or((1, 1));
    let checks = exact_args(&args.args, 1).and_then(|()| pages.map(|_| ()));
    let flags = || check_page(page, per_page, USAGE);
    runner.run(checks, flags, |config, run| {
        let list = ListSnapshots::new(&args.args[0])
            .interval(args.interval.clone().unwrap_or_default())
            .page(page)
            .per_page(per_page)
            .reverse(args.reverse);
        let response = Client::new(config.clone())?.read(&list.request()?)?;
        match View::parse(&args.output.output)? {
            View::Json => cmd_support::print_json(run, response.body()),
            View::Table => run.print(&snapshots_view(&response.json::<Vec<SnapshotSummary>>()?)),
        }
        Ok(())
    })
}

/// A duration as the CLI words it (`2 minutes`, `about an hour`, `12 days`).
fn duration_words(seconds: f64) -> String {
    let text = timefmt::ago(0.0, seconds);
    text.strip_suffix(" ago").unwrap_or(&text).to_string()
}

/// The CLI's table of snapshots.
pub fn snapshots_view(list: &[SnapshotSummary]) -> String {
    if list.is_empty() {
        return "No environment snapshots were found.\n".to_string();
    }
    let mut text = String::from("SNAPSHOT\tFROM\tTO\tDURATION\tCOMPLIANT\n");
    for s in list {
        let to = if s.to == 0.0 {
            "now".to_string()
        } else {
            timefmt::rfc1123(s.to)
        };
        text.push_str(&format!(
            "{}\t{}\t{to}\t{}\t{}\n",
            s.index,
            timefmt::rfc1123(s.from),
            duration_words(s.duration),
            s.compliant.unwrap_or(false)
        ));
    }
    tabwriter::align(&text)
}

/// Runs `kosli log <noun>`.
pub fn log(args: &LogArgs, ctx: &Context) -> ExitCode {
    match &args.what {
        Log::Environment(a) => log_environment(a, ctx),
    }
}

/// `kosli log environment ENV`.
pub fn log_environment(args: &LogEnvironmentArgs, ctx: &Context) -> ExitCode {
    const USAGE: &str = "kosli log environment ENV_NAME [flags]";
    let runner = Runner::new(ctx, "kosli log environment", USAGE);
    let pages = args.pages.parse(LogEnvironment::DEFAULT_PER_PAGE);
    let (page, per_page) = pages.as_ref().ok().copied().unwrap_or((1, 1));
    let checks = exact_args(&args.args, 1).and_then(|()| pages.map(|_| ()));
    let flags = || check_page(page, per_page, USAGE);
    runner.run(checks, flags, |config, run| {
        let mut log = LogEnvironment::new(&args.args[0])
            .interval(args.interval.clone().unwrap_or_default())
            .page(page)
            .per_page(per_page)
            .reverse(args.reverse);
        if let Some(s) = &args.start {
            log = log.start(s);
        }
        if let Some(e) = &args.end {
            log = log.end(e);
        }
        if let Some(t) = args.start_ts {
            log = log.start_ts(t);
        }
        if let Some(t) = args.end_ts {
            log = log.end_ts(t);
        }
        for r in args.repo.iter().filter(|r| !r.is_empty()) {
            log = log.repo(r);
        }
        let response = Client::new(config.clone())?.read(&log.request()?)?;
        match View::parse(&args.output.output)? {
            View::Json => cmd_support::print_json(run, response.body()),
            View::Table => run.print(&events_view(&response.json::<Vec<EnvironmentEvent>>()?)),
        }
        Ok(())
    })
}

/// The CLI's table of environment events.
pub fn events_view(events: &[EnvironmentEvent]) -> String {
    if events.is_empty() {
        return "No environment events were found.\n".to_string();
    }
    let mut text = String::from("SNAPSHOT\tEVENT\tFLOW\n");
    for e in events {
        let flow = e
            .pipeline
            .as_deref()
            .filter(|p| !p.is_empty())
            .or(e.flow.as_deref())
            .unwrap_or_default();
        text.push_str(&format!(
            "#{}\tArtifact: {}\t{flow}\n\tFingerprint: {}\t\t\n\tDescription: {}\t\t\n\tReported at: {}\t\t\n\t\t\t\n",
            e.snapshot_index,
            e.artifact_name,
            e.sha256,
            e.description,
            timefmt::rfc1123(e.reported_at)
        ));
    }
    tabwriter::align(&text)
}

/// Runs `kosli diff <noun>`.
pub fn diff(args: &DiffArgs, ctx: &Context) -> ExitCode {
    match &args.what {
        Diff::Snapshots(a) => diff_snapshots(a, ctx),
    }
}

/// `kosli diff snapshots A B`.
pub fn diff_snapshots(args: &DiffSnapshotsArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli diff snapshots",
        "kosli diff snapshots SNAPPISH_1 SNAPPISH_2 [flags]",
    );
    runner.run(
        exact_args(&args.args, 2),
        || Ok(()),
        |config, run| {
            let (a, b) = (&args.args[0], &args.args[1]);
            let response = Client::new(config.clone())?.read(&diff_snapshots_request(a, b)?)?;
            match View::parse(&args.output.output)? {
                View::Json => cmd_support::print_json(run, response.body()),
                View::Table => run.print(&diff_view(
                    &response.json::<SnapshotDiff>()?,
                    a,
                    b,
                    args.show_unchanged,
                )),
            }
            Ok(())
        },
    )
}

/// The CLI's view of a diff: each non-empty part under its heading.
pub fn diff_view(d: &SnapshotDiff, a: &str, b: &str, show_unchanged: bool) -> String {
    let heading = |given: &str, side: &DiffSide| {
        if side.snapshot_id == given {
            format!("Only present in {given}")
        } else {
            format!("Only present in {given} (snapshot: {})", side.snapshot_id)
        }
    };
    let mut parts: Vec<(String, &[DiffArtifact], bool)> = Vec::new();
    parts.push((heading(a, &d.snappish1), &d.snappish1.artifacts, false));
    parts.push((heading(b, &d.snappish2), &d.snappish2.artifacts, false));
    parts.push((format!("{a} -> {b} scaling"), &d.changed.artifacts, true));
    if show_unchanged {
        parts.push((
            "Not changed in both snapshots".to_string(),
            &d.not_changed.artifacts,
            false,
        ));
    }
    let sections: Vec<String> = parts
        .into_iter()
        .filter(|(_, list, _)| !list.is_empty())
        .map(|(title, list, scaled)| {
            let mut text = format!("{title}\n");
            for x in list {
                text.push_str(&diff_artifact(x, scaled));
            }
            text
        })
        .collect();
    tabwriter::align(&sections.join("\n"))
}

fn diff_artifact(x: &DiffArtifact, scaled: bool) -> String {
    let or_unknown = |v: &Option<String>| {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("Unknown")
            .to_string()
    };
    let mut text = format!(
        "\t\n     Name:\t{}\n     Fingerprint:\t{}\n     Flow:\t{}\n     Commit URL:\t{}\n",
        x.name,
        x.fingerprint,
        or_unknown(&x.flow),
        or_unknown(&x.commit_url)
    );
    if !x.pods.is_empty() {
        text.push_str(&format!("     Pods:\t[{}]\n", x.pods.join(" ")));
    }
    text.push_str(&format!(
        "     Started:\t{}\n     Instances:\t{}\n",
        x.most_recent_timestamp
            .map(timefmt::date_and_ago)
            .unwrap_or_default(),
        x.instance_count
    ));
    if scaled {
        text.push_str(&format!(
            "     Instances:\tscaled from {} to {}\n",
            x.s1_instance_count.unwrap_or_default(),
            x.s2_instance_count.unwrap_or_default()
        ));
    }
    text
}
