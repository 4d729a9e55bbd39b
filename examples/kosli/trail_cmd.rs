//! `kosli begin trail`, as the CLI v2.43.1 runs it.

use std::process::ExitCode;

use kosli_core::blocking::Client;
use kosli_core::ops::flows::Template;
use kosli_core::ops::trails::BeginTrail;
use kosli_core::provenance::ProcessEnv;

use crate::cmd_support::{self, Runner};
use crate::json_input;
use crate::output::Context;
use crate::provenance_flags::{ExternalUrlArgs, ProvenanceArgs};

/// Flags of `kosli begin trail`.
#[derive(Debug, clap::Args)]
pub struct BeginArgs {
    /// TRAIL-NAME: must start with a letter or number, and only contain letters, numbers, '.', '-', '_' and '~'.
    #[arg(value_name = "TRAIL-NAME")]
    names: Vec<String>,
    /// [optional] The Kosli trail description.
    #[arg(long, env = "KOSLI_DESCRIPTION", value_name = "TEXT")]
    description: Option<String>,
    /// [optional] Run in dry-run mode. When enabled, no data is sent to Kosli and the CLI exits with 0 exit code regardless of any errors.
    #[arg(short = 'D', long = "dry-run")]
    dry_run: bool,
    /// The Kosli flow name.
    #[arg(long, env = "KOSLI_FLOW", value_name = "FLOW")]
    flow: Option<String>,
    /// [optional] The path to a yaml template file.
    #[arg(
        short = 'f',
        long = "template-file",
        env = "KOSLI_TEMPLATE_FILE",
        value_name = "FILE"
    )]
    template_file: Option<String>,
    /// [optional] The path to a JSON file containing additional data you would like to attach to the flow trail.
    #[arg(
        short = 'u',
        long = "user-data",
        env = "KOSLI_USER_DATA",
        value_name = "FILE"
    )]
    user_data: Option<String>,
    #[command(flatten)]
    provenance: ProvenanceArgs,
    #[command(flatten)]
    external: ExternalUrlArgs,
}

/// Runs `kosli begin trail`.
pub fn begin(args: &BeginArgs, ctx: &Context) -> ExitCode {
    let flow = args.flow.as_deref().unwrap_or_default();
    let runner = Runner::new(
        ctx,
        "kosli begin trail",
        "kosli begin trail TRAIL-NAME [flags]",
    )
    .label_flag("flow", args.flow.as_deref())
    .dry_run(args.dry_run);
    let flags = || cmd_support::required(&[("flow", !flow.is_empty())]);
    runner.run(
        cmd_support::exact_args(&args.names, 1),
        flags,
        |config, run| {
            let name = &args.names[0];
            let mut trail = BeginTrail::new(flow, name.as_str())
                .description(args.description.clone().unwrap_or_default());
            if let Some(path) = &args.user_data {
                trail = trail.user_data(json_input::load(path)?);
            }
            let provenance = args
                .provenance
                .to_input(&ProcessEnv)?
                .resolve_trail(&ProcessEnv)?;
            for w in &provenance.warnings {
                ctx.warn(w);
            }
            trail = trail
                .provenance(&provenance)
                .external_urls(args.external.to_external_urls(&ProcessEnv)?);
            if let Some(file) = &args.template_file {
                trail = trail.template(Template::file(file));
            }
            let client = Client::new(config.clone())?;
            let request = trail.request().map_err(|e| {
                let url = client
                    .async_client()
                    .and_then(|c| {
                        c.url_for(
                            config.primary(),
                            &kosli_core::client::Request::new(&kosli_core::operations::BEGIN_TRAIL)
                                .param("flow", flow),
                        )
                    })
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                match e.kind() {
                    kosli_core::ErrorKind::Io => kosli_core::Error::invalid_input(
                        "template-file",
                        format!("failed to create a PUT request to {url} : {e}"),
                    ),
                    _ => e,
                }
            })?;
            let outcome = client.write(&request)?;
            if let Some(dry) = outcome.dry_run() {
                run.print(&dry.to_string());
                return Ok(());
            }
            let created = outcome.response().is_some_and(|r| r.created());
            run.println(&format!(
                "trail '{name}' was {}",
                if created { "begun" } else { "updated" }
            ));
            Ok(())
        },
    )
}
