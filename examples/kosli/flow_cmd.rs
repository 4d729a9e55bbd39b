//! `kosli create flow`, `kosli get flow` and `kosli list flows`, as the CLI v2.43.1 runs them.
//!
//! `create flow` also takes the SDK's opt-in naming check (`--naming-convention`, an addition
//! of this example: the CLI has no such flag).

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::client::Client as AsyncClient;
use kosli_core::ops::flows::{
    self, CreateFlow, Flow, FlowList, FlowTemplateDef, ListFlows, Template,
};
use kosli_core::ops::naming::{FlowNaming, NamingConvention};
use kosli_core::{operations, Config, Error};

use crate::cmd_support::{self, Runner, View};
use crate::output::Context;
use crate::{tabwriter, timefmt};

/// The CLI's warning for the deprecated way of creating a flow.
const LEGACY_WARNING: &str = "creating a flow without --template-file or --use-empty-template uses a deprecated API endpoint and will stop working in a future release; please provide a template";

/// Flags of `kosli create flow`.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// FLOW-NAME: must start with a letter or number, and only contain letters, numbers, '.', '-', '_' and '~'.
    #[arg(value_name = "FLOW-NAME")]
    names: Vec<String>,
    /// [optional] The Kosli flow description.
    #[arg(long, env = "KOSLI_DESCRIPTION", value_name = "TEXT")]
    description: Option<String>,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// [defaulted] The comma-separated list of required compliance controls names (deprecated: use a template).
    #[arg(
        short = 't',
        long = "template",
        value_delimiter = ',',
        value_name = "NAMES"
    )]
    template: Vec<String>,
    /// [optional] The path to a yaml template file. Cannot be used together with --use-empty-template
    #[arg(
        short = 'f',
        long = "template-file",
        env = "KOSLI_TEMPLATE_FILE",
        value_name = "FILE"
    )]
    template_file: Option<String>,
    /// Use an empty template for the flow creation without specifying a file. Cannot be used together with --template or --template-file
    #[arg(long = "use-empty-template")]
    use_empty_template: bool,
    /// Deprecated.
    #[arg(long, hide = true)]
    visibility: Option<String>,
    /// [SDK addition] Check the flow name against a naming convention: `seed` (<team>-<service>-<component>) or a pattern such as `<team>-<service>`; a warning unless --enforce-naming.
    #[arg(
        long = "naming-convention",
        env = "KOSLI_NAMING_CONVENTION",
        value_name = "PATTERN"
    )]
    naming_convention: Option<String>,
    /// [SDK addition] Refuse (exit 1, nothing sent) a name that breaks --naming-convention.
    #[arg(long = "enforce-naming")]
    enforce_naming: bool,
}

/// Flags of `kosli get flow`.
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// FLOW-NAME
    #[arg(value_name = "FLOW-NAME")]
    names: Vec<String>,
    /// [defaulted] The format of the output. Valid formats are: [table, json].
    #[arg(
        short = 'o',
        long,
        default_value = "table",
        env = "KOSLI_OUTPUT",
        value_name = "FORMAT"
    )]
    output: String,
}

/// Flags of `kosli list flows`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// [optional] Perform case-insensitive matching for --name. By default matching is case sensitive.
    #[arg(short = 'i', long = "ignore-case")]
    ignore_case: bool,
    /// [optional] Only list flows whose name contains this substring.
    #[arg(short = 'N', long, value_name = "TEXT")]
    name: Option<String>,
    /// [defaulted] The format of the output. Valid formats are: [table, json].
    #[arg(
        short = 'o',
        long,
        default_value = "table",
        env = "KOSLI_OUTPUT",
        value_name = "FORMAT"
    )]
    output: String,
    /// [defaulted] The page number of a response. (default 1)
    #[arg(long, value_name = "N")]
    page: Option<u64>,
    /// [defaulted] The number of elements per page. (default 20)
    #[arg(short = 'n', long = "page-limit", value_name = "N")]
    page_limit: Option<u64>,
}

/// Runs `kosli create flow`.
pub fn create(args: &CreateArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(
        ctx,
        "kosli create flow",
        "kosli create flow FLOW-NAME [flags]",
    )
    .dry_run(args.dry_run);
    if args.visibility.is_some() {
        // cobra's own line for a deprecated flag (not a [warning], not silenced by --quiet).
        eprintln!("Flag --visibility has been deprecated, this flag is deprecated and will be removed in a future version.");
    }
    let legacy = args.template_file.is_none() && !args.use_empty_template;
    let flags = || {
        if args.template_file.is_some() && args.use_empty_template {
            return Err(Error::invalid_input(
                "template-file",
                "only one of --template-file, --use-empty-template is allowed",
            ));
        }
        if legacy {
            ctx.warn(LEGACY_WARNING);
        }
        Ok(())
    };
    runner.run(
        cmd_support::exact_args(&args.names, 1),
        flags,
        |config, run| {
            let name = &args.names[0];
            let mut flow = CreateFlow::new(name.as_str())
                .description(args.description.clone().unwrap_or_default());
            if let Some(v) = &args.visibility {
                flow = flow.visibility(v.as_str());
            }
            flow = match &args.template_file {
                Some(file) => flow.template(Template::file(file)),
                None if args.use_empty_template => flow.template(Template::empty()),
                None => flow.legacy_template(args.template.clone()),
            };
            if let Some(pattern) = &args.naming_convention {
                let convention = if pattern == "seed" {
                    NamingConvention::seed()
                } else {
                    NamingConvention::parse(pattern)?
                };
                let naming = if args.enforce_naming {
                    FlowNaming::refuse(convention)
                } else {
                    FlowNaming::warn(convention)
                };
                if let Some(warning) = naming.check(name)? {
                    ctx.warn(&warning);
                }
                flow = flow.naming(naming);
            }
            let request = flow
                .request()
                .map_err(|e| request_error(config, &flow, e))?;
            let outcome = Client::new(config.clone())?.write(&request)?;
            if let Some(dry) = outcome.dry_run() {
                run.print(&dry.to_string());
                return Ok(());
            }
            let created = outcome.response().is_some_and(|r| r.created());
            run.println(&format!(
                "flow '{name}' was {}",
                if created { "created" } else { "updated" }
            ));
            Ok(())
        },
    )
}

/// A template file that cannot be read, in the CLI's words (`failed to create a PUT request to
/// <url> : open <file>: no such file or directory`).
fn request_error(config: &Config, flow: &CreateFlow, e: Error) -> Error {
    if e.kind() != kosli_core::ErrorKind::Io {
        return e;
    }
    let op = match flow.flow_template() {
        flows::FlowTemplate::Legacy(_) => &operations::CREATE_FLOW_LEGACY,
        _ => &operations::CREATE_FLOW,
    };
    let url = AsyncClient::new(config.clone())
        .and_then(|c| c.url_for(config.primary(), &kosli_core::client::Request::new(op)))
        .map(|u| u.to_string())
        .unwrap_or_default();
    Error::invalid_input(
        "template-file",
        format!("failed to create a PUT request to {url} : {e}"),
    )
}

/// Runs `kosli get flow`.
pub fn get(args: &GetArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(ctx, "kosli get flow", "kosli get flow FLOW-NAME [flags]");
    runner.run(
        cmd_support::exact_args(&args.names, 1),
        || Ok(()),
        |config, run| {
            let client = Client::new(config.clone())?;
            let response = client.read(&flows::get_flow_request(&args.names[0]))?;
            match View::parse(&args.output)? {
                View::Json => cmd_support::print_json(run, response.body()),
                View::Table => run.print(&flow_view(&response.json::<Flow>()?)),
            }
            Ok(())
        },
    )
}

/// The CLI's key/value view of a flow.
fn flow_view(flow: &Flow) -> String {
    const NIL: &str = "%!s(<nil>)";
    let template = match &flow.template {
        // Each line of the YAML in the value column.
        Some(FlowTemplateDef::Yaml(yaml)) => format!("\n\t{}", yaml.replace('\n', "\n\t")),
        Some(FlowTemplateDef::Controls(list)) => format!("[{}]", list.join(", ")),
        None => NIL.to_string(),
    };
    let deployed = flow
        .last_deployment_at
        .map_or_else(|| "N/A".to_string(), timefmt::date_and_ago);
    let tags = match cmd_support::tags_text(flow.tags.as_ref()) {
        t if t.is_empty() => "None".to_string(),
        t => t,
    };
    let text = format!(
        "Name:\t{}\nDescription:\t{}\nTemplate:\t{template}\nLast Deployment At:\t{deployed}\nTags:\t{tags}\n",
        flow.name,
        flow.description.as_deref().unwrap_or(NIL),
    );
    tabwriter::align(&text)
}

/// Runs `kosli list flows`.
pub fn list(args: &ListArgs, ctx: &Context) -> ExitCode {
    let runner = Runner::new(ctx, "kosli list flows", "kosli list flows [flags]");
    runner.run(
        Ok(()),
        || Ok(()),
        |config, run| {
            let mut list = ListFlows::new().ignore_case(args.ignore_case);
            if let Some(p) = args.page {
                list = list.page(p);
            }
            if let Some(n) = args.page_limit {
                list = list.per_page(n);
            }
            if let Some(name) = &args.name {
                list = list.name_contains(name.as_str());
            }
            let response = Client::new(config.clone())?.read(&list.request())?;
            match View::parse(&args.output)? {
                View::Json => cmd_support::print_json(run, response.body()),
                View::Table => run.print(&flows_table(&FlowList::from_response(&response)?)),
            }
            Ok(())
        },
    )
}

/// The CLI's table of flows, with the page footer when the answer was paginated.
fn flows_table(list: &FlowList) -> String {
    if list.flows.is_empty() {
        return "No flows were found.\n".to_string();
    }
    let mut text = String::from("NAME\tDESCRIPTION\tTAGS\n");
    for f in &list.flows {
        text.push_str(&format!(
            "{}\t{}\t{}\n",
            f.name,
            f.description.as_deref().unwrap_or_default(),
            cmd_support::tags_text(f.tags.as_ref())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(json: &str) -> Flow {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn flow_view_matches_the_cli() {
        // Capture get_flow (CLI v2.43.1).
        let f = flow(
            r#"{"name": "demo-flow", "description": "demo flow", "visibility": "private", "org": "acme", "template": "version: 1\ntrail:\n  artifacts:\n  - name: app\n", "last_deployment_at": null, "tags": {"team": "core"}, "archived": false}"#,
        );
        assert_eq!(
            flow_view(&f),
            "Name:                demo-flow\nDescription:         demo flow\nTemplate:            \n                     version: 1\n                     trail:\n                       artifacts:\n                       - name: app\n                     \nLast Deployment At:  N/A\nTags:                [team=core]\n"
        );
        // Observed: nulls and absent fields.
        let f = flow(r#"{"name": "x", "template": null, "tags": null}"#);
        assert_eq!(
            flow_view(&f),
            "Name:                x\nDescription:         %!s(<nil>)\nTemplate:            %!s(<nil>)\nLast Deployment At:  N/A\nTags:                None\n"
        );
    }

    #[test]
    fn flows_table_matches_the_cli() {
        let list = FlowList::parse(
            br#"[{"name":"f<1>","description":"a & b","tags":{}},{"name":"second-flow-long-name","description":"","tags":null}]"#,
        )
        .unwrap();
        assert_eq!(
            flows_table(&list),
            "NAME                   DESCRIPTION  TAGS\nf<1>                   a & b        \nsecond-flow-long-name               \n"
        );
    }
}
