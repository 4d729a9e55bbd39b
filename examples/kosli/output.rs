//! What every command shares: logging setup, warnings, and the CLI's error format.

use std::process::ExitCode;

/// The CLI's global flags. Only explicit values are kept here: environment variables and the
/// config file are resolved by the SDK's configuration, with the CLI's precedence.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GlobalArgs {
    /// The Kosli API token.
    #[arg(short = 'a', long = "api-token", global = true, value_name = "TOKEN")]
    pub api_token: Option<String>,
    /// [optional] The Kosli config file path.
    #[arg(short = 'c', long = "config-file", global = true, value_name = "PATH")]
    pub config_file: Option<String>,
    /// [optional] Print the SDK's debug log (tracing) on stderr.
    #[arg(long, global = true)]
    pub debug: bool,
    /// [defaulted] The Kosli endpoint (default "https://app.kosli.com").
    #[arg(short = 'H', long, global = true, value_name = "URL")]
    pub host: Option<String>,
    /// [optional] The HTTP proxy URL including protocol and port number.
    #[arg(long = "http-proxy", global = true, value_name = "URL")]
    pub http_proxy: Option<String>,
    /// [defaulted] How many times should API calls be retried when the API host is not reachable (default 3).
    #[arg(short = 'r', long = "max-api-retries", global = true, value_name = "N")]
    pub max_api_retries: Option<u32>,
    /// The Kosli organization.
    #[arg(long, global = true, value_name = "ORG")]
    pub org: Option<String>,
    /// [optional] Suppress non-critical warning messages.
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
}

/// Settings every command sees.
#[derive(Debug, Clone)]
pub struct Context {
    /// Suppress warnings.
    pub quiet: bool,
    /// The global flags as given.
    pub global: GlobalArgs,
}

impl Context {
    /// Prints a warning as the CLI does (`[warning] ...` on stderr) unless quiet.
    pub fn warn(&self, message: &str) {
        if !self.quiet {
            eprintln!("[warning] {message}");
        }
    }
}

/// Shows the SDK's `tracing` log on stderr when `--debug` is given.
pub fn init_tracing(debug: bool) {
    if debug {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("kosli_core=debug,kosli=debug")
            .with_writer(std::io::stderr)
            .try_init();
    }
}

/// Help and version go to stdout with exit 0; flag errors read like the CLI's, exit 1.
pub fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            print!("{e}");
            ExitCode::SUCCESS
        }
        _ => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("Error: {first}");
            ExitCode::FAILURE
        }
    }
}
