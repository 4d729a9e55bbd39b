//! The frame of a command that talks to Kosli, as the CLI runs one: the checks in the CLI's
//! order (arguments, `--org`, `--api-token`, then the command's own flags), the configuration,
//! one run per host, and the CLI's error handling: `Error: [<command> flow=..] <message>` on
//! stderr with exit 1, or, in dry-run, that line on stdout, a warning on stderr and exit 0.
//! Also the `--output` views shared by the reads.

use std::process::ExitCode;

use kosli_core::{Config, Error};

use crate::output::{self, Context, HostRun};

/// One command's run.
pub struct Runner<'a> {
    ctx: &'a Context,
    label: String,
    usage: &'static str,
    dry_run_flag: bool,
}

impl<'a> Runner<'a> {
    /// A run of `command` (`kosli create environment`); `usage` is the CLI's usage line
    /// (`kosli create environment ENVIRONMENT-NAME [flags]`).
    pub fn new(ctx: &'a Context, command: &str, usage: &'static str) -> Self {
        Runner {
            ctx,
            label: command.to_string(),
            usage,
            dry_run_flag: false,
        }
    }

    /// Adds ` key=value` to the error label when the flag is set, as the CLI does for `flow`
    /// and `trail`.
    pub fn label_flag(mut self, key: &str, value: Option<&str>) -> Self {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.label.push_str(&format!(" {key}={v}"));
        }
        self
    }

    /// The command's `--dry-run` flag.
    pub fn dry_run(mut self, on: bool) -> Self {
        self.dry_run_flag = on;
        self
    }

    /// An error followed by the CLI's usage line.
    pub fn usage_error(&self, message: &str) -> Error {
        Error::config(format!("{message}\nUsage: {}", self.usage))
    }

    /// Runs the command: `args` is the result of the argument checks (made before anything
    /// else), `flags` the command's own flag checks (made after `--org` and `--api-token`),
    /// then `body` once per host.
    pub fn run(
        self,
        args: Result<(), Error>,
        flags: impl FnOnce() -> Result<(), Error>,
        body: impl FnMut(&Config, &HostRun) -> Result<(), Error>,
    ) -> ExitCode {
        let config = self.ctx.global.config(Some(self.dry_run_flag));
        let dry_run = match &config {
            Ok(c) => c.dry_run() || c.primary().is_dry_run_token(),
            Err(_) => self.dry_run_flag || env_true("KOSLI_DRY_RUN"),
        };
        let checked = args.and_then(|()| {
            let config = config?;
            if config.org().is_none_or(str::is_empty) {
                return Err(self.usage_error("--org is not set"));
            }
            if !config.primary().has_token() {
                return Err(self.usage_error("--api-token is not set"));
            }
            flags()?;
            Ok(config)
        });
        let config = match checked {
            Ok(c) => c,
            Err(e) => return self.fail(&e, dry_run),
        };
        output::print_config_warnings(self.ctx, &config);
        if config.is_multi_host() {
            return output::run_per_host(self.ctx, &self.label, &config, body);
        }
        let mut body = body;
        match body(&config, &HostRun::primary()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => self.fail(&e, dry_run),
        }
    }

    /// The CLI's error output and exit code.
    fn fail(&self, e: &Error, dry_run: bool) -> ExitCode {
        if dry_run {
            println!("Error: [{}] {e}", self.label);
            eprintln!(
                "[warning] Encountered an error but --dry-run is enabled. Exiting with 0 exit code."
            );
            ExitCode::SUCCESS
        } else {
            output::fail(&self.label, e)
        }
    }
}

fn env_true(name: &str) -> bool {
    std::env::var(name)
        .is_ok_and(|v| matches!(v.as_str(), "1" | "t" | "T" | "true" | "TRUE" | "True"))
}

/// Checks that exactly `n` positional arguments were given, with the CLI's words.
pub fn exact_args(args: &[String], n: usize) -> Result<(), Error> {
    if args.len() == n {
        Ok(())
    } else {
        Err(Error::invalid_input(
            "arguments",
            format!("accepts {n} arg(s), received {}", args.len()),
        ))
    }
}

/// Checks the flags cobra marks required, naming the missing ones as the CLI does.
pub fn required(flags: &[(&str, bool)]) -> Result<(), Error> {
    let missing: Vec<String> = flags
        .iter()
        .filter(|(_, set)| !set)
        .map(|(name, _)| format!("\"{name}\""))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_input(
            "flags",
            format!("required flag(s) {} not set", missing.join(", ")),
        ))
    }
}

/// The `--output` of the reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The CLI's table or key/value view.
    Table,
    /// The body as the server sent it, indented by two spaces.
    Json,
}

impl View {
    /// Reads `--output`; an unknown format is the CLI's error (raised after the request, as
    /// the CLI raises it).
    pub fn parse(text: &str) -> Result<View, Error> {
        match text {
            "table" => Ok(View::Table),
            "json" => Ok(View::Json),
            other => Err(Error::invalid_input(
                "output",
                format!("unsupported output format: {other}"),
            )),
        }
    }
}

/// The body pretty-printed as the CLI's `-o json` prints it: indented by two spaces, numbers
/// and key order as sent, no newline at the end.
pub fn print_json(run: &HostRun, body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    run.print(&kosli_core::model::go_json::indent(&text, "", "  "));
}

/// A Go `%v` of a JSON value inside a map or list (`1.5`, `true`, `x y`).
pub fn go_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n
            .as_f64()
            .map(kosli_core::model::go_json::format_f64)
            .unwrap_or_else(|| n.to_string()),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_value).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => format!(
            "map[{}]",
            map.iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// Tags as the CLI shows them: `[a=b], [team=core]` (sorted by key).
pub fn tags_text(tags: Option<&std::collections::BTreeMap<String, serde_json::Value>>) -> String {
    tags.map(|t| {
        t.iter()
            .map(|(k, v)| format!("[{k}={}]", go_value(v)))
            .collect::<Vec<_>>()
            .join(", ")
    })
    .unwrap_or_default()
}

/// A list as Go's `%v` prints a `[]string`: `[p1 p2]`.
pub fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}
