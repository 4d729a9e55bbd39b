//! `kosli create environment`, `kosli get environment` and `kosli list environments`, with
//! the CLI's flags, output and errors.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::client::Outcome;
use kosli_core::ops::environments::{
    get_environment_request, CreateEnvironment, Environment, EnvironmentList, ListEnvironments,
};
use kosli_core::Error;

use crate::cmd_support::{self, exact_args, required, Runner, View};
use crate::output::{Context, HostRun};
use crate::{tabwriter, timefmt};

/// Flags of `kosli create environment`.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// ENVIRONMENT-NAME
    #[arg(value_name = "ENVIRONMENT-NAME")]
    args: Vec<String>,
    /// [optional] The environment description.
    #[arg(short = 'd', long, env = "KOSLI_DESCRIPTION", value_name = "TEXT")]
    description: Option<String>,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// [optional] Comma separated list of environments to include in logical environment
    #[arg(
        long = "included-environments",
        env = "KOSLI_INCLUDED_ENVIRONMENTS",
        value_delimiter = ',',
        value_name = "NAMES"
    )]
    included_environments: Vec<String>,
    /// The type of environment. Valid types are: [K8S, ECS, S3, lambda, server, docker, azure-apps, cloud-run, logical].
    #[arg(short = 't', long = "type", env = "KOSLI_TYPE", value_name = "TYPE")]
    env_type: Option<String>,
    /// Deprecated: scaling events do not trigger new snapshots.
    #[arg(long = "include-scaling", hide = true)]
    include_scaling: bool,
    /// Deprecated: scaling events do not trigger new snapshots.
    #[arg(long = "exclude-scaling", hide = true)]
    exclude_scaling: bool,
    /// Deprecated: use policies instead.
    #[arg(long = "require-provenance", hide = true)]
    require_provenance: bool,
}

/// Flags of `kosli get environment`.
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// ENVIRONMENT-NAME
    #[arg(value_name = "ENVIRONMENT-NAME")]
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

/// Flags of `kosli list environments`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// [optional] Only list environments whose name contains this substring (case-insensitive).
    #[arg(long, env = "KOSLI_NAME", value_name = "TEXT")]
    name: Option<String>,
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
    /// [optional] The field to sort environments by. Valid values are: [name, last_modified_at, last_changed_at].
    #[arg(long, env = "KOSLI_SORT", value_name = "FIELD")]
    sort: Option<String>,
    /// [optional] The direction to sort environments in. Valid values are: [asc, desc].
    #[arg(
        long = "sort-direction",
        env = "KOSLI_SORT_DIRECTION",
        value_name = "DIR"
    )]
    sort_direction: Option<String>,
    /// [optional] Only list environments in the space with this ID. Can be repeated.
    #[arg(
        long = "space-id",
        env = "KOSLI_SPACE_ID",
        value_delimiter = ',',
        value_name = "ID"
    )]
    space_id: Vec<String>,
    /// [optional] Only list environments that have this tag, given as 'key' or 'key:value'. Can be repeated.
    #[arg(long, env = "KOSLI_TAG", value_name = "TAG")]
    tag: Vec<String>,
    /// [optional] Only list environments of this type. Can be repeated.
    #[arg(
        long = "type",
        env = "KOSLI_TYPE",
        value_delimiter = ',',
        value_name = "TYPE"
    )]
    env_type: Vec<String>,
}

/// `kosli create environment NAME`.
pub fn create(args: &CreateArgs, ctx: &Context) -> ExitCode {
    for (set, flag, why) in [
        (
            args.include_scaling,
            "include-scaling",
            "Scaling events do not trigger new snapshots.",
        ),
        (
            args.exclude_scaling,
            "exclude-scaling",
            "Scaling events do not trigger new snapshots.",
        ),
        (
            args.require_provenance,
            "require-provenance",
            "Use policies instead.",
        ),
    ] {
        if set {
            eprintln!("Flag --{flag} has been deprecated, this flag is deprecated and will be removed in a future version. {why}");
        }
    }
    let runner = Runner::new(
        ctx,
        "kosli create environment",
        "kosli create environment ENVIRONMENT-NAME [flags]",
    )
    .dry_run(args.dry_run);
    let flags = || {
        if args.include_scaling && args.exclude_scaling {
            return Err(Error::invalid_input(
                "include-scaling",
                "only one of --exclude-scaling, --include-scaling is allowed",
            ));
        }
        required(&[("type", args.env_type.is_some())])
    };
    runner.run(exact_args(&args.args, 1), flags, |config, run| {
        let name = &args.args[0];
        let mut create = CreateEnvironment::new(name, args.env_type.clone().unwrap_or_default())
            .description(args.description.clone().unwrap_or_default())
            .included_environments(args.included_environments.iter().filter(|e| !e.is_empty()))
            .require_provenance(args.require_provenance);
        if args.include_scaling {
            create = create.include_scaling(true);
        } else if args.exclude_scaling {
            create = create.include_scaling(false);
        }
        let outcome = Client::new(config.clone())?.create_environment(&create)?;
        report_write(run, &outcome, &format!("environment {name} was created"));
        Ok(())
    })
}

/// Prints a write's result: the dry-run block, or the CLI's success line.
pub fn report_write(run: &HostRun, outcome: &Outcome, line: &str) {
    match outcome.dry_run() {
        Some(d) => run.print(&d.to_string()),
        None => run.println(line),
    }
}

/// `kosli get environment NAME`.
pub fn get(args: &GetArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli get environment",
        "kosli get environment ENVIRONMENT-NAME [flags]",
    );
    runner.run(
        exact_args(&args.args, 1),
        || Ok(()),
        |config, run| {
            let response =
                Client::new(config.clone())?.read(&get_environment_request(&args.args[0]))?;
            match View::parse(&args.output)? {
                View::Json => cmd_support::print_json(run, response.body()),
                View::Table => run.print(&environment_view(&response.json::<Environment>()?)),
            }
            Ok(())
        },
    )
}

/// The CLI's key/value view of one environment.
pub fn environment_view(env: &Environment) -> String {
    let nil = "%!s(<nil>)";
    let state = match env.state {
        Some(true) => "COMPLIANT",
        Some(false) => "NON-COMPLIANT",
        None => "N/A",
    };
    let reported = env
        .last_reported_at
        .map(timefmt::date_and_ago)
        .unwrap_or_else(|| "N/A".into());
    let tags = cmd_support::tags_text(env.tags.as_ref());
    let policies = cmd_support::go_list(env.policies.as_deref().unwrap_or_default());
    tabwriter::align(&format!(
        "Name:\t{}\nType:\t{}\nDescription:\t{}\nState:\t{state}\nLast Reported At:\t{reported}\nTags:\t{}\nPolicies:\t{policies}\n",
        env.name,
        env.env_type.as_deref().unwrap_or(nil),
        env.description.as_deref().unwrap_or(nil),
        if tags.is_empty() { "None" } else { &tags },
    ))
}

/// Reads `--page`/`--page-limit` as the CLI does: a Go int flag, negative values illegal.
pub fn page_flag(flag: &str, text: Option<&str>) -> Result<Option<u64>, Error> {
    let Some(text) = text else { return Ok(None) };
    match text.parse::<i64>() {
        Ok(n) if n < 0 => Err(Error::invalid_input(
            flag,
            format!("flag '--{flag}' has value '{text}' which is illegal"),
        )),
        Ok(n) => Ok(Some(n.unsigned_abs())),
        Err(_) => {
            let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
            let reason = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            Err(Error::invalid_input(
                flag,
                format!("invalid argument {text:?} for \"--{flag}\" flag: strconv.ParseInt: parsing {text:?}: {reason}"),
            ))
        }
    }
}

/// `kosli list environments`.
pub fn list(args: &ListArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli list environments",
        "kosli list environments [flags]",
    );
    let pages = page_flag("page", args.page.as_deref())
        .and_then(|p| Ok((p, page_flag("page-limit", args.page_limit.as_deref())?)));
    let (page, per_page) = pages.as_ref().ok().copied().unwrap_or_default();
    let parsed = pages.map(|_| ());
    let flags = || {
        if page == Some(0) {
            return Err(runner_usage(
                "page number must be a positive integer",
                "kosli list environments [flags]",
            ));
        }
        if per_page == Some(0) {
            return Err(runner_usage(
                "page limit must be a positive integer",
                "kosli list environments [flags]",
            ));
        }
        Ok(())
    };
    runner.run(parsed, flags, |config, run| {
        let mut list = ListEnvironments::new();
        if let Some(p) = page {
            list = list.page(p);
        }
        if let Some(n) = per_page {
            list = list.per_page(n);
        }
        if let Some(n) = &args.name {
            list = list.name_contains(n);
        }
        for t in args.env_type.iter().filter(|t| !t.is_empty()) {
            list = list.env_type(t);
        }
        for t in &args.tag {
            list = list.tag(t);
        }
        for s in args.space_id.iter().filter(|s| !s.is_empty()) {
            list = list.space_id(s);
        }
        if let Some(s) = &args.sort {
            list = list.sort(s);
        }
        if let Some(d) = &args.sort_direction {
            list = list.sort_direction(d);
        }
        let response = Client::new(config.clone())?.read(&list.request()?)?;
        match View::parse(&args.output)? {
            View::Json => cmd_support::print_json(run, response.body()),
            View::Table => run.print(&list_view(
                &EnvironmentList::from_response(&response)?,
                page.unwrap_or(1),
            )),
        }
        Ok(())
    })
}

fn runner_usage(message: &str, usage: &str) -> Error {
    Error::invalid_input("page", format!("{message}\nUsage: {usage}"))
}

/// The CLI's table of environments (with the page line when paginated).
pub fn list_view(list: &EnvironmentList, page: u64) -> String {
    if list.environments.is_empty() {
        return if page > 1 {
            format!("No environments were found at page number {page}.\n")
        } else {
            "No environments were found.\n".to_string()
        };
    }
    let nil = "%!s(<nil>)";
    let mut text = String::from("NAME\tTYPE\tLAST REPORT\tLAST MODIFIED\tTAGS\tPOLICIES\n");
    for env in &list.environments {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            env.name,
            env.env_type.as_deref().unwrap_or(nil),
            env.last_reported_at
                .map(timefmt::rfc3339)
                .unwrap_or_default(),
            env.last_modified_at
                .map(timefmt::rfc3339)
                .unwrap_or_default(),
            cmd_support::tags_text(env.tags.as_ref()),
            cmd_support::go_list(env.policies.as_deref().unwrap_or_default()),
        ));
    }
    let mut out = tabwriter::align(&text);
    if let Some(p) = &list.page {
        out.push_str(&format!(
            "\nShowing page {} of {}, total {} items\n",
            p.page, p.total_pages, p.total_count
        ));
    }
    out
}
