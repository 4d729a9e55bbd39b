//! The CLI's config file (`~/.kosli.yml`): YAML whose keys are the flag names.

use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde_yaml_ng::Value;

use super::layer::{illegal_retries, parse_go_bool, parse_retries, Layer, RetriesError};
use crate::error::{Error, Result};

/// What the config file gave, and where it was.
pub(crate) struct FileLayer {
    /// The file read.
    pub(crate) path: PathBuf,
    /// Its settings.
    pub(crate) layer: Layer,
}

/// Where the config file is: the explicit path, else `KOSLI_CONFIG_FILE`, else `$HOME/.kosli.yml`.
pub(crate) fn locate(
    explicit: Option<&Path>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = lookup(super::layer::vars::CONFIG_FILE).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let home = lookup("HOME")
        .or_else(|| lookup("USERPROFILE"))
        .filter(|v| !v.is_empty())?;
    Some(Path::new(&home).join(".kosli.yml"))
}

/// Reads the config file at `path`. A missing file is skipped, as the CLI does; a file that is
/// not valid YAML, or holds a bad value, is a [`crate::ErrorKind::Config`] error naming it.
pub(crate) fn read(path: &Path) -> Result<Option<FileLayer>> {
    tracing::debug!("processing config file [{}]", path.display());
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::debug!("config file [{}] not found. Skipping.", path.display());
            return Ok(None);
        }
        Err(e) => return Err(Error::io("open", path, e)),
    };
    let layer = parse(path, &text)?;
    Ok(Some(FileLayer {
        path: path.to_path_buf(),
        layer,
    }))
}

/// Parses the text of a config file.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Layer> {
    let bad = |msg: String| {
        Error::config(format!(
            "failed to parse config file [{}] : While parsing config: {msg}",
            path.display()
        ))
    };
    let value: Value = if text.trim().is_empty() {
        Value::Null
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| bad(go_yaml_message(&e, text)))?
    };
    let map = match value {
        Value::Null => return Ok(Layer::default()),
        Value::Mapping(m) => m,
        other => {
            let what = match &other {
                Value::Sequence(_) => "!!seq".to_string(),
                Value::String(s) => format!("!!str `{s}`"),
                Value::Number(n) if n.is_f64() => format!("!!float `{n}`"),
                Value::Number(n) => format!("!!int `{n}`"),
                Value::Bool(b) => format!("!!bool `{b}`"),
                _ => "!!tagged".to_string(),
            };
            let line = text
                .lines()
                .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .unwrap_or(0)
                + 1;
            return Err(bad(format!(
                "yaml: unmarshal errors:\n  line {line}: cannot unmarshal {what} into map[string]interface {{}}"
            )));
        }
    };
    let mut layer = Layer::default();
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        let Some(text) = scalar_text(&value) else {
            if value.is_null() {
                continue;
            }
            return Err(bad(format!("{key}: expected a single value")));
        };
        match key {
            "host" => layer.host = Some(text),
            "api-token" => layer.api_token = Some(SecretString::from(text)),
            "org" => layer.org = Some(text),
            "http-proxy" => layer.http_proxy = Some(text),
            "journal-dir" => layer.journal_dir = Some(text),
            "max-api-retries" => {
                layer.max_api_retries = Some(parse_retries(&text).map_err(|e| match e {
                    RetriesError::Syntax(m) => bad(format!("max-api-retries: {m}")),
                    RetriesError::Negative => illegal_retries(&text),
                })?)
            }
            "dry-run" => {
                layer.dry_run =
                    Some(parse_go_bool(&text).map_err(|m| bad(format!("dry-run: {m}")))?)
            }
            // Other keys set command flags (flow, trail, ...), which the commands read themselves.
            other => tracing::debug!("config file key {other:?} is not a global setting"),
        }
    }
    Ok(layer)
}

/// Problems that libyaml's scanner (rather than its parser) reports; Go's YAML library numbers
/// their lines from 1 and the parser's from 0, and leaves the line out when it is 0.
const SCANNER_PROBLEMS: &[&str] = &[
    "mapping values are not allowed",
    "block sequence entries are not allowed",
    "could not find expected ':'",
    "did not find expected whitespace or line break",
    "did not find expected comment or line break",
    "did not find expected alphabetic or numeric character",
    "did not find expected hexdecimal number",
    "did not find URI escaped octet",
];

/// A YAML syntax error worded as Go's YAML library words it (`yaml: line 1: did not find
/// expected ',' or ']'`): both wrap libyaml's problem texts, and only the line numbering and
/// the trailing context differ.
fn go_yaml_message(e: &serde_yaml_ng::Error, source: &str) -> String {
    let text = e.to_string();
    let problem = text.split(" at line ").next().unwrap_or(&text);
    if let Some(key) = problem.strip_prefix("duplicate entry with key ") {
        // Go names the line of the repeated key and of its first definition.
        let name = key.trim_matches('"');
        let lines: Vec<usize> = text_lines_with_key(source, name);
        if let [first, second, ..] = lines[..] {
            return format!(
                "yaml: unmarshal errors:\n  line {second}: mapping key {key} already defined at line {first}"
            );
        }
        return format!("yaml: unmarshal errors:\n  mapping key {key} already defined");
    }
    let scanner =
        problem.starts_with("found ") || SCANNER_PROBLEMS.iter().any(|p| problem.starts_with(p));
    let zero_based = e
        .location()
        .map(|l| l.line().saturating_sub(1))
        .unwrap_or(0);
    match zero_based {
        0 => format!("yaml: {problem}"),
        n if scanner => format!("yaml: line {}: {problem}", n + 1),
        n => format!("yaml: line {n}: {problem}"),
    }
}

/// The 1-based numbers of the top-level lines that define `key`.
fn text_lines_with_key(source: &str, key: &str) -> Vec<usize> {
    let prefix = format!("{key}:");
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(&prefix))
        .map(|(i, _)| i + 1)
        .collect()
}

/// A scalar YAML value as the text a flag would be given.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn reads_the_captured_config_file() {
        // tests/fixtures/config: the file of the `config_file` capture.
        let text =
            "org: acme-from-config\napi-token: token-from-config\nhost: http://127.0.0.1:18765\n";
        let layer = parse(Path::new("kosli-config.yml"), text).unwrap();
        assert_eq!(layer.org.as_deref(), Some("acme-from-config"));
        assert_eq!(
            layer.api_token.as_ref().map(|t| t.expose_secret()),
            Some("token-from-config")
        );
        assert_eq!(layer.host.as_deref(), Some("http://127.0.0.1:18765"));
    }

    #[test]
    fn numbers_and_bools_are_taken_as_flag_text() {
        let layer = parse(
            Path::new("c.yml"),
            "max-api-retries: 1\ndry-run: true\nflow: f\n",
        )
        .unwrap();
        assert_eq!(layer.max_api_retries, Some(1));
        assert_eq!(layer.dry_run, Some(true));
    }

    #[test]
    fn broken_yaml_names_the_file() {
        let e = parse(Path::new("c3.yml"), "org: [a\n").err().unwrap();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        let text = e.to_string();
        assert!(
            text.starts_with("failed to parse config file [c3.yml] : While parsing config: yaml: "),
            "{text}"
        );
    }

    #[test]
    fn yaml_errors_read_like_the_cli() {
        // The official CLI's messages for these files.
        let cases = [
            ("a: b: c\n", "yaml: mapping values are not allowed in this context"),
            ("x: 1\n\ty: 2\n", "yaml: line 2: found a tab character that violates indentation"),
            ("x: 1\n- a\n", "yaml: line 1: did not find expected key"),
            ("a:\n  b: 1\n c: 2\n", "yaml: line 2: did not find expected key"),
            ("k: @bad\n", "yaml: found character that cannot start any token"),
            ("x: 1\nx: 2\n", "yaml: unmarshal errors:\n  line 2: mapping key \"x\" already defined at line 1"),
            ("[1, 2]\n", "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into map[string]interface {}"),
            ("just text\n", "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `just text` into map[string]interface {}"),
        ];
        for (text, want) in cases {
            let e = parse(Path::new("y.yml"), text).err().unwrap();
            assert_eq!(
                e.to_string(),
                format!("failed to parse config file [y.yml] : While parsing config: {want}"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = parse(Path::new("c.yml"), "max-api-retries: lots\n")
            .err()
            .unwrap();
        assert!(e.to_string().contains("max-api-retries"), "{e}");
        let e = parse(Path::new("c.yml"), "org: [a, b]\n").err().unwrap();
        assert!(e.to_string().contains("org"), "{e}");
    }

    #[test]
    fn empty_file_sets_nothing() {
        let layer = parse(Path::new("c.yml"), "\n").unwrap();
        assert!(layer.host.is_none() && layer.org.is_none());
    }

    #[test]
    fn missing_file_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(&dir.path().join("nope.yml")).unwrap().is_none());
    }

    #[test]
    fn location_follows_the_cli() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/u".to_string()),
            _ => None,
        };
        assert_eq!(
            locate(None, &env),
            Some(PathBuf::from("/home/u/.kosli.yml"))
        );
        assert_eq!(
            locate(Some(Path::new("x.yml")), &env),
            Some(PathBuf::from("x.yml"))
        );
        let env2 = |k: &str| match k {
            "HOME" => Some("/home/u".to_string()),
            "KOSLI_CONFIG_FILE" => Some("/etc/k.yml".to_string()),
            _ => None,
        };
        assert_eq!(locate(None, &env2), Some(PathBuf::from("/etc/k.yml")));
    }
}
