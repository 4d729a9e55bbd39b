//! The observed runs of the official CLI (tests/fixtures/review): each scenario's routes (what
//! the fake provider answered) and what the CLI did with them (its command, provider requests,
//! `data_json`, stdout, stderr, exit code). They were recorded with the fake at
//! [`OBSERVED_BASE`]; a replay substitutes its own address.

use std::path::PathBuf;

use serde_json::Value;

use super::server::Route;

/// The address the scenarios were observed at.
pub const OBSERVED_BASE: &str = "http://127.0.0.1:28517";

/// Bitbucket's API origin: the CLI reached it through the observation server acting as an
/// HTTPS proxy, so its `next` links name it; a replay points them at the fake.
pub const BITBUCKET_API_ORIGIN: &str = "https://api.bitbucket.org";

/// One observed run.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its name (`github_paged`).
    pub name: String,
    /// The routes, as recorded.
    pub routes: Vec<Value>,
    /// The CLI's run (`NAME.cli.json`).
    pub cli: Value,
}

fn dir() -> PathBuf {
    crate::fixtures_dir().join("review")
}

fn read_json(path: &PathBuf) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Scenario {
    /// Loads `NAME.routes.json` and `NAME.cli.json`.
    pub fn load(name: &str) -> Scenario {
        let routes = read_json(&dir().join(format!("{name}.routes.json")));
        Scenario {
            name: name.to_string(),
            routes: routes.as_array().cloned().unwrap_or_default(),
            cli: read_json(&dir().join(format!("{name}.cli.json"))),
        }
    }

    /// Every scenario's name, sorted.
    pub fn all_names() -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir())
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        e.file_name()
                            .to_str()
                            .and_then(|n| n.strip_suffix(".cli.json"))
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// The routes with the observed address replaced by `base`.
    pub fn routes_at(&self, base: &str) -> Vec<Route> {
        self.routes
            .iter()
            .map(|r| Route::from_json(&subst_value(r, base)))
            .collect()
    }

    /// The CLI's arguments (after `kosli`), the observed address replaced by `base`.
    pub fn args_at(&self, base: &str) -> Vec<String> {
        self.text("command")
            .split(' ')
            .skip(1)
            .map(|a| a.replace(OBSERVED_BASE, base))
            .collect()
    }

    /// The value of flag `--name` in the CLI's command.
    pub fn flag(&self, name: &str) -> Option<String> {
        let args = self.args_at(OBSERVED_BASE);
        let flag = format!("--{name}");
        args.iter()
            .position(|a| *a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    }

    /// Whether the CLI's command has the boolean flag `--name`.
    pub fn has_flag(&self, name: &str) -> bool {
        let flag = format!("--{name}");
        self.args_at(OBSERVED_BASE).contains(&flag)
    }

    /// The `data_json` the CLI sent to Kosli, the observed address replaced by `base`.
    pub fn data_json_at(&self, base: &str) -> Option<String> {
        self.cli["data_json"]
            .as_str()
            .map(|d| d.replace(OBSERVED_BASE, base))
    }

    /// The requests the CLI sent to the provider.
    pub fn provider_requests(&self) -> Vec<Value> {
        self.cli["provider_requests"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// A text field of the CLI's run (`stdout`, `stderr`, `command`).
    pub fn text(&self, field: &str) -> String {
        self.cli[field].as_str().unwrap_or_default().to_string()
    }

    /// The CLI's exit code.
    pub fn exit_code(&self) -> i32 {
        self.cli["exit_code"].as_i64().unwrap_or(-1) as i32
    }
}

/// `v` with every string's observed address (and Bitbucket's API origin) replaced by `base`.
pub fn subst_value(v: &Value, base: &str) -> Value {
    match v {
        Value::String(s) => Value::String(
            s.replace(OBSERVED_BASE, base)
                .replace(BITBUCKET_API_ORIGIN, base),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| subst_value(x, base)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), subst_value(x, base)))
                .collect(),
        ),
        other => other.clone(),
    }
}
