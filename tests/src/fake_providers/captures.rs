//! The Sonar and Jira captures of the official CLI (tests/fixtures/review/captures, copied
//! from the contract's captures-2): one capture server at [`CAPTURED_BASE`] answered as Kosli,
//! SonarQube and Jira. A replay serves the non-Kosli answers from a [`super::FakeProvider`]
//! and compares the Kosli request with the captured one.

use std::path::PathBuf;

use serde_json::Value;

use super::scenario::subst_value;
use super::server::Route;

/// The capture server's address.
pub const CAPTURED_BASE: &str = "http://127.0.0.1:18865";

/// One capture.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Its name (`attest_jira_fields`).
    pub name: String,
    /// Every request the capture server received, with its answer, in order.
    pub requests: Vec<Value>,
    /// The command run (`$FIXDIR` left as is).
    pub command: String,
    /// What the CLI printed on stdout.
    pub stdout: String,
    /// What the CLI printed on stderr.
    pub stderr: String,
    /// The CLI's exit code.
    pub exit_code: i32,
}

fn dir() -> PathBuf {
    crate::fixtures_dir().join("review").join("captures")
}

fn read(name: &str, ext: &str) -> String {
    let path = dir().join(format!("{name}.{ext}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Capture {
    /// Loads capture `name`.
    pub fn load(name: &str) -> Capture {
        let meta: Value = serde_json::from_str(&read(name, "meta.json")).unwrap_or(Value::Null);
        Capture {
            name: name.to_string(),
            requests: read(name, "jsonl")
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
                .collect(),
            command: read(name, "cmd.txt").trim().to_string(),
            stdout: read(name, "stdout"),
            stderr: read(name, "stderr"),
            exit_code: meta["exit_code"].as_i64().unwrap_or(-1) as i32,
        }
    }

    /// The requests to the provider (everything but `/api/v2/`).
    pub fn provider_requests(&self) -> Vec<Value> {
        self.requests
            .iter()
            .filter(|r| {
                !r["path"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("/api/v2/")
            })
            .cloned()
            .collect()
    }

    /// The request to Kosli, if the CLI sent one.
    pub fn kosli_request(&self) -> Option<Value> {
        self.requests
            .iter()
            .find(|r| {
                r["path"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("/api/v2/")
            })
            .cloned()
    }

    /// The `data_json` sent to Kosli, the capture address replaced by `base`.
    pub fn data_json_at(&self, base: &str) -> Option<String> {
        let r = self.kosli_request()?;
        let text = r["multipart"]
            .as_array()?
            .iter()
            .find(|p| p["name"] == "data_json")?["text"]
            .as_str()?
            .to_string();
        Some(text.replace(CAPTURED_BASE, base))
    }

    /// The provider's answers as routes (exact path and query), the capture address replaced
    /// by `base` in their bodies.
    pub fn routes_at(&self, base: &str) -> Vec<Route> {
        self.provider_requests()
            .iter()
            .map(|r| {
                let body = r["response"]["body"]
                    .to_string()
                    .replace(CAPTURED_BASE, base);
                let body = serde_json::from_str(&body).unwrap_or(Value::Null);
                Route::new(
                    r["method"].as_str().unwrap_or("GET"),
                    r["path"].as_str().unwrap_or_default(),
                    r["response"]["status"].as_u64().unwrap_or(200) as u16,
                    subst_value(&body, base),
                )
                .query(r["query_string"].as_str().unwrap_or_default())
            })
            .collect()
    }

    /// The value of flag `--name` in the command (shell escapes `\?` and `\,` undone).
    pub fn flag(&self, name: &str) -> Option<String> {
        let flag = format!("--{name}");
        let words: Vec<&str> = self.command.split(' ').collect();
        words
            .iter()
            .position(|w| *w == flag)
            .and_then(|i| words.get(i + 1))
            .map(|v| v.replace("\\?", "?").replace("\\,", ","))
    }

    /// The CLI's arguments after `kosli`, unescaped, with `$FIXDIR` and the capture address
    /// replaced.
    pub fn args_at(&self, fixdir: &str, base: &str) -> Vec<String> {
        let start = self.command.find(" kosli ").map(|i| i + 7).unwrap_or(0);
        self.command[start..]
            .split(' ')
            .map(|a| {
                a.replace("\\?", "?")
                    .replace("\\,", ",")
                    .replace("$FIXDIR", fixdir)
                    .replace(CAPTURED_BASE, base)
            })
            .collect()
    }
}
