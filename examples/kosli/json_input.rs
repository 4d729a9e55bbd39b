//! JSON files given to commands (`--user-data`, `--attestation-data`), read as the CLI reads
//! them: any JSON value, every number a Go `float64` (so `1e3` is sent as `1000` and
//! `12345678901234567890` as `12345678901234567000`), with the CLI's messages.

use std::path::Path;

use kosli_core::Error;
use serde_json::Value;

/// Reads a JSON file: `open <path>: <reason>` when it cannot be read, `<path> does not contain
/// a valid JSON` when it is not JSON.
pub fn load(path: &str) -> Result<Value, Error> {
    let p = Path::new(path);
    let bytes = std::fs::read(p).map_err(|e| Error::io("open", p, e))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        tracing::debug!("{path}: {e}");
        Error::parse(
            Some(p),
            Some(e.line() as u64),
            format!("{path} does not contain a valid JSON"),
        )
    })?;
    Ok(as_go_floats(value))
}

/// The value with every number turned into a float, as Go's `encoding/json` decodes into
/// `interface{}`.
pub fn as_go_floats(value: Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Value::Array(items) => Value::Array(items.into_iter().map(as_go_floats).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, as_go_floats(v))).collect())
        }
        other => other,
    }
}

/// Prefixes an error's message (`failed to load user data. `), keeping its kind.
pub fn context(prefix: &str, e: Error) -> Error {
    let kind = e.kind();
    let message = format!("{prefix}{e}");
    match kind {
        kosli_core::ErrorKind::Parse => Error::parse(None, None, message),
        _ => Error::invalid_input("file", message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_go_floats() {
        let v: Value =
            serde_json::from_str(r#"{"a":1e3,"b":12345678901234567890,"c":[1.50,2],"d":"x"}"#)
                .unwrap();
        let text = kosli_core::model::go_json::to_string(&as_go_floats(v)).unwrap();
        assert_eq!(
            text,
            r#"{"a":1000,"b":12345678901234567000,"c":[1.5,2],"d":"x"}"#
        );
    }

    #[test]
    fn messages_are_the_clis() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "nope\n").unwrap();
        let bad = bad.display().to_string();
        assert_eq!(
            load(&bad).unwrap_err().to_string(),
            format!("{bad} does not contain a valid JSON")
        );
        assert_eq!(
            load("/nope.json").unwrap_err().to_string(),
            "open /nope.json: no such file or directory"
        );
        assert_eq!(
            context(
                "failed to load user data. ",
                load("/nope.json").unwrap_err()
            )
            .to_string(),
            "failed to load user data. open /nope.json: no such file or directory"
        );
    }
}
