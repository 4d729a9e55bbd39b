//! `kosli status`: is the Kosli server up? Prints the server's answer (`"OK"`), or
//! `Kosli is Down`; with `--assert`, a server that does not answer is an error (exit 1).

use std::process::ExitCode;

use kosli_core::blocking::Client;

use crate::output::{self, Context};

/// Flags of `kosli status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// [optional] Exit with non-zero code if Kosli server is not responding.
    #[arg(long)]
    pub assert: bool,
}

/// Runs the command once per host (as the CLI does with several hosts) and prints its result.
pub fn main(args: &Args, ctx: &Context) -> ExitCode {
    const NAME: &str = "kosli status";
    let config = match ctx.global.config(None) {
        Ok(c) => c,
        Err(e) => return output::fail(NAME, &e),
    };
    output::print_config_warnings(ctx, &config);
    output::run_per_host(ctx, NAME, &config, |config, run| {
        let host = config.primary().as_str().to_string();
        let client = Client::new(config.clone())?;
        match client.status() {
            Ok(body) => run.println(&body),
            Err(e) if args.assert => {
                tracing::debug!("status of {host}: {e}");
                return Err(kosli_core::Error::config(format!(
                    "kosli server {host} is unresponsive"
                )));
            }
            Err(e) => {
                tracing::debug!("status of {host}: {e}");
                run.println("Kosli is Down");
            }
        }
        Ok(())
    })
}
