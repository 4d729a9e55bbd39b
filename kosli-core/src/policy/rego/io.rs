//! What goes in and out of `kosli evaluate`, as the CLI reads and prints it: the input JSON
//! (Go's decoder: one object, numbers as float64), `--params` (inline JSON or `@file`, an
//! object), and the table or JSON output.

use std::path::Path;

use serde_json::{Map, Number, Value};

use super::Decision;
use crate::error::{Error, Result};
use crate::model::go_json;

/// `--output` of `kosli evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// `RESULT:` and `VIOLATIONS:` lines.
    Table,
    /// The decision as indented JSON.
    Json,
}

impl OutputFormat {
    /// Reads `--output` (`table`, `json`), with the CLI's error for anything else.
    pub fn parse(text: &str) -> Result<OutputFormat> {
        match text {
            "table" => Ok(OutputFormat::Table),
            "json" => Ok(OutputFormat::Json),
            other => Err(Error::invalid_input(
                "output",
                format!("unsupported output format: {other}"),
            )),
        }
    }
}

/// Numbers as Go's `encoding/json` decodes them into `interface{}`: float64. Integers that a
/// float64 holds exactly stay integers (so they print and compare the same).
fn as_go_numbers(v: Value) -> Value {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            let exact = f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0;
            if exact && !(f == 0.0 && f.is_sign_negative()) {
                Value::Number(Number::from(f as i64))
            } else {
                Number::from_f64(f)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(as_go_numbers).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, as_go_numbers(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "object",
    }
}

/// Go's words for a JSON syntax error, as near as serde_json's position allows.
fn syntax_message(text: &[u8], e: &serde_json::Error) -> String {
    if e.is_eof() {
        return "unexpected EOF".to_string();
    }
    // serde_json counts lines and columns from 1; find the byte it stopped at.
    let mut line = 1;
    let mut col = 0;
    let mut at = None;
    for (i, b) in text.iter().enumerate() {
        if line == e.line() && col + 1 == e.column() {
            at = Some(i);
            break;
        }
        if *b == b'\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
    }
    match at.and_then(|i| text.get(i)) {
        Some(b) => {
            // Go's decoder says what it was looking for; serde_json says what it expected.
            let serde = e.to_string();
            let what = serde.split(" at line ").next().unwrap_or_default();
            let go = match what {
                "key must be a string" => "looking for beginning of object key string",
                "expected value" => "looking for beginning of value",
                other => other,
            };
            format!("invalid character '{}' {go}", char::from(*b))
        }
        None => e.to_string(),
    }
}

/// Reads the policy input as the CLI does (Go's JSON decoder, the first value only): empty
/// text is `EOF`, cut-off JSON `unexpected EOF`, anything but an object (or `null`) is refused.
/// Errors read `failed to parse input: ...`.
pub fn parse_input(bytes: &[u8]) -> Result<Value> {
    let fail = |m: String| Error::parse(None, None, format!("failed to parse input: {m}"));
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
    match stream.next() {
        None => Err(fail("EOF".into())),
        Some(Err(e)) => Err(fail(syntax_message(bytes, &e))),
        Some(Ok(v @ (Value::Object(_) | Value::Null))) => Ok(as_go_numbers(v)),
        Some(Ok(other)) => Err(fail(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            kind(&other)
        ))),
    }
}

/// Reads `--params`: inline JSON, or `@path` for a file. It must be a JSON object (`null`
/// means none). Errors read `failed to read --params file: ...` / `failed to parse --params: ...`.
pub fn parse_params(text: &str) -> Result<Option<Value>> {
    let owned;
    let json = match text.strip_prefix('@') {
        Some(path) => {
            let p = Path::new(path);
            owned = std::fs::read(p).map_err(|e| match Error::io("open", p, e) {
                Error::Io {
                    path,
                    message,
                    source,
                } => Error::Io {
                    path,
                    message: format!("failed to read --params file: {message}"),
                    source,
                },
                other => other,
            })?;
            owned
        }
        None => text.as_bytes().to_vec(),
    };
    let fail = |m: String| Error::parse(None, None, format!("failed to parse --params: {m}"));
    if json.iter().all(u8::is_ascii_whitespace) {
        return Err(fail("unexpected end of JSON input".into()));
    }
    match serde_json::from_slice::<Value>(&json) {
        Err(e) if e.is_eof() => Err(fail("unexpected end of JSON input".into())),
        Err(e) => Err(fail(syntax_message(&json, &e))),
        Ok(Value::Null) => Ok(None),
        Ok(v @ Value::Object(_)) => Ok(Some(as_go_numbers(v))),
        Ok(other) => Err(fail(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            kind(&other)
        ))),
    }
}

/// The CLI's output of a decision. JSON: `allow` and `violations` (and `input`, `params` when
/// shown), keys sorted, two-space indent, no newline at the end. Table: `RESULT:` and, when
/// there are violations, `VIOLATIONS:` with one per line.
pub fn render(
    decision: &Decision,
    format: OutputFormat,
    shown: Option<(&Value, Option<&Value>)>,
) -> String {
    match format {
        OutputFormat::Json => {
            let mut out = Map::new();
            out.insert("allow".into(), Value::Bool(decision.allow));
            out.insert(
                "violations".into(),
                decision
                    .violations
                    .as_ref()
                    .map(|v| Value::Array(v.iter().cloned().map(Value::String).collect()))
                    .unwrap_or(Value::Null),
            );
            if let Some((input, params)) = shown {
                out.insert("input".into(), input.clone());
                if let Some(p) = params {
                    out.insert("params".into(), p.clone());
                }
            }
            let compact = go_json::to_string(&Value::Object(out)).unwrap_or_default();
            go_json::indent(&compact, "", "  ")
        }
        OutputFormat::Table => {
            let result = if decision.allow { "ALLOWED" } else { "DENIED" };
            match decision.violations.as_deref() {
                Some([first, rest @ ..]) => {
                    let mut s = format!("RESULT:      {result}\nVIOLATIONS:  {first}\n");
                    for v in rest {
                        s.push_str(&format!("             {v}\n"));
                    }
                    s
                }
                _ => format!("RESULT:  {result}\n"),
            }
        }
    }
}
