//! What every command shares: logging setup, warnings, and the CLI's error format.

use std::process::ExitCode;

/// Settings every command sees.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// Suppress warnings.
    pub quiet: bool,
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
