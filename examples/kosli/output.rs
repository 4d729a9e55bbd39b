//! What every command shares: logging setup, warnings, the SDK configuration from the global
//! flags, running a command once per host, and the CLI's error format.

use std::process::ExitCode;

use kosli_core::{Config, Error};

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
    /// [optional] The SDK's journal folder (also KOSLI_JOURNAL_DIR): every write is recorded first, and an outage queues it instead of failing. Not in the official CLI.
    #[arg(long = "journal", global = true, value_name = "DIR")]
    pub journal: Option<String>,
    /// [defaulted] How many times should API calls be retried when the API host is not reachable (default 3).
    #[arg(
        short = 'r',
        long = "max-api-retries",
        global = true,
        value_name = "N",
        allow_hyphen_values = true
    )]
    pub max_api_retries: Option<String>,
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
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // A closed pipe (`kosli --help | head`) is not an error worth a panic.
            use std::io::Write;
            let _ = write!(std::io::stdout(), "{e}");
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

impl GlobalArgs {
    /// The SDK configuration as the CLI resolves it: these flags, then the environment
    /// (`KOSLI_HOST`, `KOSLI_API_TOKEN`, ...), then the config file (`--config-file`,
    /// `KOSLI_CONFIG_FILE`, `~/.kosli.yml`), then the defaults. `dry_run` is the command's own
    /// `--dry-run` flag, for the commands that have one. A token over plain `http://` to
    /// another machine is allowed, as in the CLI (the caller warns: [`print_config_warnings`]).
    pub fn config(&self, dry_run: Option<bool>) -> Result<Config, Error> {
        let mut b = Config::builder().allow_insecure_http(true);
        if let Some(v) = &self.host {
            b = b.host(v);
        }
        if let Some(v) = &self.api_token {
            b = b.api_token(v);
        }
        if let Some(v) = &self.org {
            b = b.org(v);
        }
        if let Some(v) = &self.max_api_retries {
            b = b.max_api_retries(parse_retries_flag(v)?);
        }
        if let Some(v) = &self.http_proxy {
            b = b.http_proxy(v);
        }
        if let Some(v) = &self.config_file {
            b = b.config_file(v);
        }
        if let Some(v) = &self.journal {
            b = b.journal_dir(v);
        }
        if let Some(true) = dry_run {
            b = b.dry_run(true);
        }
        b.load()
    }
}

/// Reads `--max-api-retries` as the CLI does (a Go int flag that must not be negative), with
/// its messages.
fn parse_retries_flag(text: &str) -> Result<u32, Error> {
    match text.parse::<i64>() {
        Ok(n) if n < 0 => Err(Error::config(format!(
            "flag '--max-api-retries' has value '{text}' which is illegal"
        ))),
        Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Err(_) => {
            let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
            let reason = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            Err(Error::config(format!(
                "invalid argument {text:?} for \"-r, --max-api-retries\" flag: strconv.ParseInt: parsing {text:?}: {reason}"
            )))
        }
    }
}

/// Prints what loading the configuration found worth a warning (a plain-text token from the
/// config file), and warns when a token would travel over plain `http://` to another machine.
pub fn print_config_warnings(ctx: &Context, config: &Config) {
    for w in config.warnings() {
        ctx.warn(w);
    }
    for host in config.hosts() {
        if host.sends_token_in_clear() {
            ctx.warn(&format!(
                "the API token is sent over plain http to {}",
                host.as_str()
            ));
        }
    }
}

/// Prints the CLI's error line for `command` and returns exit code 1.
pub fn fail(command: &str, e: &Error) -> ExitCode {
    eprintln!("Error: [{command}] {e}");
    ExitCode::FAILURE
}

/// One host's run of a command: its output is shown for the primary host, and for the others
/// only with `--debug`, as the CLI does.
#[derive(Debug, Clone, Copy)]
pub struct HostRun {
    show: bool,
}

impl HostRun {
    /// The run of a single-host command, whose output is shown.
    pub fn primary() -> HostRun {
        HostRun { show: true }
    }

    /// Prints a line of normal output (stdout) if this host's output is shown.
    pub fn println(&self, line: &str) {
        if self.show {
            println!("{line}");
        }
    }

    /// Prints text without adding a newline (stdout) if this host's output is shown.
    pub fn print(&self, text: &str) {
        if self.show {
            print!("{text}");
        }
    }
}

/// Runs `command` once per configured host, the primary first, each with its own
/// configuration, even after a failure; returns 1 if any host failed. With several hosts the
/// errors read as the CLI's: `Error: [<host>]` then `[<command>] <message>` for each failing
/// host.
pub fn run_per_host(
    ctx: &Context,
    command: &str,
    config: &Config,
    mut run: impl FnMut(&Config, &HostRun) -> Result<(), Error>,
) -> ExitCode {
    let per_host = config.per_host();
    if per_host.len() == 1 {
        return match run(config, &HostRun { show: true }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(command, &e),
        };
    }
    let mut errors = String::new();
    for (i, host_config) in per_host.iter().enumerate() {
        let host = host_config.primary().as_str();
        if ctx.global.debug {
            println!("\n[debug] [{host}]");
        }
        let host_run = HostRun {
            show: i == 0 || ctx.global.debug,
        };
        if let Err(e) = run(host_config, &host_run) {
            if i > 0 {
                errors.push('\n');
            }
            errors.push_str(&format!("[{host}]\n[{command}] {e}"));
        }
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("Error: {errors}");
        ExitCode::FAILURE
    }
}
