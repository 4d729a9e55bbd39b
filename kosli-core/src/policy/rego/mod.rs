//! Rego policies with the CLI's contract (`kosli evaluate input|trail|trails`): a module in
//! `package policy` with a boolean `allow`, optional `violations` (a set or array; its strings
//! are reported when `allow` is false), and `--params` as `data.params`. Same verdicts,
//! violations, output and errors as the CLI v2.43.1 for the contract's vectors and the SDK's
//! own (tests/fixtures/policy).
//!
//! ```
//! use kosli_core::policy::rego::{self, RegoPolicy};
//! let policy = RegoPolicy::parse("package policy\n\nimport rego.v1\n\ndefault allow := false\n\nallow if input.score >= data.params.min\n\nviolations contains \"score too low\" if not allow\n")?;
//! let input = rego::parse_input(br#"{"score": 2}"#)?;
//! let params = rego::parse_params(r#"{"min": 3}"#)?;
//! let decision = policy.evaluate(&input, params.as_ref())?;
//! assert!(!decision.allow);
//! assert_eq!(decision.violations.as_deref(), Some(&["score too low".to_string()][..]));
//! # Ok::<(), kosli_core::Error>(())
//! ```
//!
//! # The engine: regorus
//! The CLI embeds OPA (Go). In Rust the choices are [regorus](https://github.com/microsoft/regorus)
//! (Microsoft; MIT; a Rego interpreter in Rust, released every few weeks, used in Azure
//! policy tooling), running OPA itself out of process (a Go binary we could not ship with a
//! library, nor fetch here), or compiling policies to Wasm and running them with wasmtime (a
//! far larger build, still needing `opa build` to compile). regorus parses Rego v1 as OPA v1
//! does (rego v0 syntax without `if` is refused, as the CLI refuses it), is light (its own
//! code plus chrono-tz, globset, data-encoding and a few small crates the workspace mostly
//! has), and is built here with only the builtin groups a delivery policy uses
//! (see the root `Cargo.toml`): no `http.send` (a policy must not call out), no JSON Schema
//! (it pulls in a second regex engine and HTTP). Where regorus and OPA differ the SDK follows
//! OPA: builtin errors make a value undefined (not an error), `print` goes nowhere, reading
//! the whole of `data` is recursion, and the builtins it lacks are refused up front by name
//! ([`UNSUPPORTED_BUILTINS`]; [`ADDED_BUILTINS`] are the ones the SDK adds).
//! It sits behind the `rego` feature: the README gives what it adds to a clean build.

mod builtins;
mod io;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

pub use builtins::{ADDED_BUILTINS, UNSUPPORTED_BUILTINS};
pub use io::{parse_input, parse_params, render, OutputFormat};

/// The file name OPA's messages give the policy (the CLI loads it as `policy.rego`).
const FILE: &str = "policy.rego";

/// A policy that parsed and has the CLI's shape, ready to evaluate.
#[derive(Clone)]
pub struct RegoPolicy {
    engine: Arc<regorus::Engine>,
    has_violations: bool,
}

impl std::fmt::Debug for RegoPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegoPolicy")
            .field("has_violations", &self.has_violations)
            .finish_non_exhaustive()
    }
}

/// What a policy decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The value of `allow`.
    pub allow: bool,
    /// When `allow` is false: the strings of `violations` (a set sorted, an array in order);
    /// `None` when there are none or the policy is allowed.
    pub violations: Option<Vec<String>>,
}

impl Decision {
    /// The violations, or nothing.
    pub fn reasons(&self) -> &[String] {
        self.violations.as_deref().unwrap_or_default()
    }

    /// The decision when allowed, else a `PolicyDenied` error with the violations as reasons.
    pub fn into_result(self) -> Result<Decision> {
        if self.allow {
            return Ok(self);
        }
        let reasons = self.reasons().to_vec();
        Err(Error::PolicyDenied {
            message: denied_message(&reasons, true),
            reasons,
        })
    }
}

/// The CLI's deny message: `policy denied`, with `: [v1 v2]` when `with_violations` (its table
/// output) and there are some.
pub fn denied_message(violations: &[String], with_violations: bool) -> String {
    if with_violations && !violations.is_empty() {
        format!("policy denied: [{}]", violations.join(" "))
    } else {
        "policy denied".to_string()
    }
}

fn policy_error(message: String) -> Error {
    Error::invalid_input("policy", message)
}

/// Line and message of a regorus error (`--> policy.rego:6:7 ... error: text`).
fn located(e: &str) -> (u64, String) {
    let line = e
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("--> {FILE}:")))
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let message = e
        .lines()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or(e.trim())
        .to_string();
    (line, message)
}

/// The Go type the CLI names in its "must evaluate to boolean" error.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "json.Number",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn to_json(v: &regorus::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

impl RegoPolicy {
    /// Parses `text` and checks the CLI's contract, with the CLI's messages: an empty module,
    /// a parse error (`failed to parse policy: policy.rego:L: rego_parse_error: ...`), another
    /// package, no `allow` rule; and the SDK's own: an unsupported builtin, a read of all of
    /// `data`.
    pub fn parse(text: &str) -> Result<RegoPolicy> {
        let code = builtins::code_only(text);
        if code.trim().is_empty() {
            return Err(Error::parse(
                None,
                Some(0),
                format!("failed to parse policy: {FILE}:0: rego_parse_error: empty module"),
            ));
        }
        let mut engine = regorus::Engine::new();
        engine.set_rego_v0(false);
        engine.set_strict_builtin_errors(false);
        engine.set_gather_prints(true);
        add_extensions(&mut engine)?;
        if let Err(e) = engine.add_policy(FILE.to_string(), text.to_string()) {
            let (line, message) = located(&e.to_string());
            return Err(Error::parse(
                None,
                Some(line),
                format!("failed to parse policy: {FILE}:{line}: rego_parse_error: {message}"),
            ));
        }
        let packages = engine
            .get_packages()
            .map_err(|e| policy_error(format!("failed to parse policy: {e}")))?;
        let package = packages
            .first()
            .map(|p| p.strip_prefix("data.").unwrap_or(p).to_string())
            .unwrap_or_default();
        if package != "policy" {
            return Err(policy_error(format!(
                "policy package must be 'package policy', got '{package}'"
            )));
        }
        let declared = |rule: &str| {
            engine
                .has_declared_rule_rooted_at(FILE, rule)
                .unwrap_or(false)
        };
        if !declared("allow") {
            return Err(policy_error("policy must declare an 'allow' rule".into()));
        }
        let has_violations = declared("violations");
        builtins::check_supported(&code)?;
        builtins::check_whole_data(&code)?;
        Ok(RegoPolicy {
            engine: Arc::new(engine),
            has_violations,
        })
    }

    /// Evaluates `allow` (and, when it is false, `violations`) for `input`, with `params` as
    /// `data.params`.
    pub fn evaluate(&self, input: &Value, params: Option<&Value>) -> Result<Decision> {
        let mut engine = (*self.engine).clone();
        engine.set_input(regorus::Value::from(input.clone()));
        if let Some(p) = params {
            engine
                .add_data(regorus::Value::from(serde_json::json!({ "params": p })))
                .map_err(|e| policy_error(format!("failed to set --params: {e}")))?;
        }
        let allow = engine
            .eval_rule("data.policy.allow".to_string())
            .map_err(|e| evaluation_error(&e.to_string()))?;
        let allow = match &allow {
            regorus::Value::Undefined => {
                return Err(policy_error(
                    "policy did not return a result for 'data.policy.allow'".into(),
                ))
            }
            regorus::Value::Bool(b) => *b,
            other => {
                return Err(policy_error(format!(
                    "policy 'allow' rule must evaluate to boolean, got {}",
                    go_type(&to_json(other))
                )))
            }
        };
        let mut violations = None;
        if !allow && self.has_violations {
            let v = engine
                .eval_rule("data.policy.violations".to_string())
                .map_err(|e| evaluation_error(&e.to_string()))?;
            violations = strings_of(&v);
        }
        if let Ok(prints) = engine.take_prints() {
            for p in prints {
                tracing::debug!(target: "kosli_core::policy", "policy print: {p}");
            }
        }
        Ok(Decision { allow, violations })
    }
}

/// `violations` as the CLI reports it: the strings of a set (sorted) or an array (in order);
/// nothing when there are none.
fn strings_of(v: &regorus::Value) -> Option<Vec<String>> {
    let items: Vec<String> = match to_json(v) {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut items = items;
    if matches!(v, regorus::Value::Set(_)) {
        items.sort();
    }
    (!items.is_empty()).then_some(items)
}

/// The CLI's words for an evaluation failure.
fn evaluation_error(e: &str) -> Error {
    let (mut line, message) = located(e);
    // OPA names the first of two conflicting rules; regorus the second ("conflicts with rule
    // at policy.rego:6:1").
    if let Some(first) = message
        .split_once(&format!("conflicts with rule at {FILE}:"))
        .and_then(|(_, rest)| rest.split(':').next())
        .and_then(|n| n.parse().ok())
    {
        line = first;
    }
    let text = if message.contains("conflicts with rule") || message.contains("multiple outputs") {
        format!("policy evaluation failed: {FILE}:{line}: eval_conflict_error: complete rules must not produce multiple outputs")
    } else if message.contains("recursion") {
        format!("policy evaluation failed: bundle activation failed: {FILE}:{line}: rego_recursion_error: {message}")
    } else {
        format!("policy evaluation failed: {FILE}:{line}: {message}")
    };
    policy_error(text)
}

/// Evaluates `policy` (Rego text) for `input` and `params` in one call.
pub fn evaluate(policy: &str, input: &Value, params: Option<&Value>) -> Result<Decision> {
    RegoPolicy::parse(policy)?.evaluate(input, params)
}

fn add_extensions(engine: &mut regorus::Engine) -> Result<()> {
    let string = |v: &regorus::Value| v.as_string().ok().map(|s| s.to_string());
    let mut add = |name: &str, nargs: u8, ext: Box<dyn regorus::Extension>| {
        engine
            .add_extension(name.to_string(), nargs, ext)
            .map_err(|e| policy_error(format!("cannot add the builtin {name}: {e}")))
    };
    add(
        "crypto.sha256",
        1,
        Box::new(move |args: Vec<regorus::Value>| {
            Ok(match args.first().and_then(string) {
                Some(s) => regorus::Value::from(builtins::sha256_hex(&s)),
                None => regorus::Value::Undefined,
            })
        }),
    )?;
    add(
        "crypto.hmac.sha256",
        2,
        Box::new(move |args: Vec<regorus::Value>| {
            Ok(
                match (args.first().and_then(string), args.get(1).and_then(string)) {
                    (Some(m), Some(k)) => regorus::Value::from(builtins::hmac_sha256_hex(&m, &k)),
                    _ => regorus::Value::Undefined,
                },
            )
        }),
    )?;
    add(
        "crypto.hmac.sha512",
        2,
        Box::new(move |args: Vec<regorus::Value>| {
            Ok(
                match (args.first().and_then(string), args.get(1).and_then(string)) {
                    (Some(m), Some(k)) => regorus::Value::from(builtins::hmac_sha512_hex(&m, &k)),
                    _ => regorus::Value::Undefined,
                },
            )
        }),
    )?;
    add(
        "crypto.hmac.equal",
        2,
        Box::new(move |args: Vec<regorus::Value>| {
            Ok(
                match (args.first().and_then(string), args.get(1).and_then(string)) {
                    (Some(a), Some(b)) => {
                        regorus::Value::from(builtins::constant_time_equal(&a, &b))
                    }
                    _ => regorus::Value::Undefined,
                },
            )
        }),
    )
}

#[cfg(test)]
mod tests;
