//! The CLI's paths spec file (`snapshot paths --paths-file`): which artifacts run where, in
//! YAML, JSON or TOML (chosen by the file's extension; anything else is read as YAML):
//!
//! ```yaml
//! version: 1
//! artifacts:
//!   app1:
//!     path: /srv/app1
//!   app2:
//!     path: /srv/app2
//!     exclude: ["*.log", "tmp"]
//! ```
//!
//! The checks and their messages are the CLI's: `version` is required and must be 1,
//! `artifacts` must not be empty, an artifact accepts only `path` and `exclude` (a single
//! string counts as a list of one). Artifacts come in name order: the CLI sends them in Go's
//! random map order, so no order is the CLI's.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};

/// The format of a paths spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecFormat {
    /// YAML (`.yml`, `.yaml`, and any other extension).
    Yaml,
    /// JSON (`.json`).
    Json,
    /// TOML (`.toml`).
    Toml,
}

impl SpecFormat {
    /// The format the CLI reads a file with, from its extension.
    pub fn of(path: &Path) -> SpecFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => SpecFormat::Json,
            Some("toml") => SpecFormat::Toml,
            _ => SpecFormat::Yaml,
        }
    }
}

/// One artifact of a paths spec: its name, where it is, what to leave out of its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSpec {
    /// The name it is reported under.
    pub name: String,
    /// The file or directory (relative paths are relative to the working directory).
    pub path: PathBuf,
    /// Exclude patterns, relative to `path`.
    pub exclude: Vec<String>,
}

/// A paths spec: the artifacts to snapshot, in name order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathsSpec {
    /// The artifacts.
    pub artifacts: Vec<PathSpec>,
}

impl PathsSpec {
    /// Reads and checks the spec file at `path`, in the format its extension names.
    pub fn from_file(path: impl AsRef<Path>) -> Result<PathsSpec> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                // The CLI's (viper's) words for a missing file.
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let dir = path
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let message = format!(
                    "failed to parse path spec file [{}] : Config File \"{stem}\" Not Found in \"[{}]\"",
                    path.display(),
                    dir.display()
                );
                Error::Io {
                    path: path.to_path_buf(),
                    message,
                    source: e,
                }
            } else {
                Error::io("open", path, e)
            }
        })?;
        PathsSpec::parse(&text, SpecFormat::of(path), &path.display().to_string())
    }

    /// Parses and checks spec text; `name` names the file in messages.
    pub fn parse(text: &str, format: SpecFormat, name: &str) -> Result<PathsSpec> {
        let parse_error = |line: Option<u64>, e: String| {
            Error::parse(
                Some(Path::new(name)),
                line,
                format!("failed to parse path spec file [{name}] : While parsing config: {e}"),
            )
        };
        let value: Value = match format {
            SpecFormat::Json => serde_json::from_str(text)
                .map_err(|e| parse_error(Some(e.line() as u64), e.to_string()))?,
            SpecFormat::Yaml => serde_yaml_ng::from_str::<Option<Value>>(text)
                .map_err(|e| parse_error(e.location().map(|l| l.line() as u64), e.to_string()))?
                .unwrap_or(Value::Null),
            SpecFormat::Toml => {
                let table: toml::Table =
                    toml::from_str(text).map_err(|e| parse_error(None, e.message().to_string()))?;
                serde_json::to_value(table).map_err(|e| parse_error(None, e.to_string()))?
            }
        };
        from_value(&value, name)
    }
}

fn invalid(name: &str, message: String) -> Error {
    Error::invalid_input(
        "paths-file",
        format!("path spec file [{name}] is invalid: {message}"),
    )
}

fn unmarshal(name: &str, message: String) -> Error {
    Error::invalid_input(
        "paths-file",
        format!("failed to unmarshal path spec file [{name}] : decoding failed due to the following error(s):\n\n{message}"),
    )
}

/// The spec from its decoded document, with the CLI's checks.
fn from_value(doc: &Value, name: &str) -> Result<PathsSpec> {
    let version = doc.get("version");
    let version = match version {
        None | Some(Value::Null) => None,
        Some(v) => Some(weak_int(v).ok_or_else(|| {
            unmarshal(
                name,
                format!(
                    "'version' expected type 'int', got unconvertible type '{}', value: '{v}'",
                    type_name(v)
                ),
            )
        })?),
    };
    match version {
        None | Some(0) => {
            return Err(invalid(
                name,
                "Key: 'PathsSpec.Version' Error:Field validation for 'Version' failed on the 'required' tag".into(),
            ))
        }
        Some(1) => {}
        Some(_) => {
            return Err(invalid(
                name,
                "Key: 'PathsSpec.Version' Error:Field validation for 'Version' failed on the 'oneof' tag".into(),
            ))
        }
    }
    let empty = serde_json::Map::new();
    let artifacts = match doc.get("artifacts") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(unmarshal(
                name,
                format!("'artifacts' expected a map, got '{}'", type_name(other)),
            ))
        }
    };
    if artifacts.is_empty() {
        return Err(invalid(
            name,
            "Key: 'PathsSpec.Artifacts' Error:Field validation for 'Artifacts' failed on the 'required' tag".into(),
        ));
    }
    let mut out = Vec::with_capacity(artifacts.len());
    for (artifact, spec) in artifacts {
        let spec = match spec {
            Value::Object(m) => m,
            Value::Null => &empty,
            other => {
                return Err(unmarshal(
                    name,
                    format!(
                        "'artifacts[{artifact}]' expected a map, got '{}'",
                        type_name(other)
                    ),
                ))
            }
        };
        let unknown: Vec<&str> = spec
            .keys()
            .map(String::as_str)
            .filter(|k| !k.eq_ignore_ascii_case("path") && !k.eq_ignore_ascii_case("exclude"))
            .collect();
        if !unknown.is_empty() {
            return Err(unmarshal(
                name,
                format!(
                    "'artifacts[{artifact}]' has invalid keys: {}",
                    unknown.join(", ")
                ),
            ));
        }
        let field = |key: &str| {
            spec.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        };
        let path = match field("path") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
            Some(other) => {
                return Err(unmarshal(
                    name,
                    format!("'artifacts[{artifact}].path' expected type 'string', got unconvertible type '{}'", type_name(other)),
                ))
            }
        };
        if path.is_empty() {
            return Err(invalid(
                name,
                "Key: 'PathsSpec.Artifacts[{artifact}].Path' Error:Field validation for 'Path' failed on the 'required' tag"
                    .replace("{artifact}", artifact),
            ));
        }
        let exclude = match field("exclude") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(_) | Value::Bool(_) => Ok(i.to_string()),
                    other => Err(unmarshal(
                        name,
                        format!("'artifacts[{artifact}].exclude' expected type 'string', got unconvertible type '{}'", type_name(other)),
                    )),
                })
                .collect::<Result<_>>()?,
            Some(other) => {
                return Err(unmarshal(
                    name,
                    format!("'artifacts[{artifact}].exclude' expected a list of strings, got '{}'", type_name(other)),
                ))
            }
        };
        out.push(PathSpec {
            name: artifact.clone(),
            path: PathBuf::from(path),
            exclude,
        });
    }
    Ok(PathsSpec { artifacts: out })
}

/// An integer as the CLI's decoder accepts one: a number, or a string holding one.
fn weak_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nil",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "slice",
        Value::Object(_) => "map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(spec: &PathsSpec) -> Vec<(&str, &str, Vec<&str>)> {
        spec.artifacts
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.path.to_str().unwrap(),
                    a.exclude.iter().map(String::as_str).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn the_three_formats_read_alike_in_name_order() {
        let yaml = "version: 1\nartifacts:\n  app2:\n    path: /s/app2\n    exclude: [\"lib.py\"]\n  app1:\n    path: /s/app1\n";
        let json = r#"{"version": 1, "artifacts": {"app2": {"path": "/s/app2", "exclude": ["lib.py"]}, "app1": {"path": "/s/app1"}}}"#;
        let toml = "version = 1\n[artifacts.app2]\npath = \"/s/app2\"\nexclude = [\"lib.py\"]\n[artifacts.app1]\npath = \"/s/app1\"\n";
        let want = vec![
            ("app1", "/s/app1", vec![]),
            ("app2", "/s/app2", vec!["lib.py"]),
        ];
        for (text, format) in [
            (yaml, SpecFormat::Yaml),
            (json, SpecFormat::Json),
            (toml, SpecFormat::Toml),
        ] {
            let spec = PathsSpec::parse(text, format, "f").unwrap();
            assert_eq!(names(&spec), want, "{format:?}");
        }
    }

    #[test]
    fn formats_come_from_the_extension() {
        assert_eq!(SpecFormat::of(Path::new("a/p.json")), SpecFormat::Json);
        assert_eq!(SpecFormat::of(Path::new("p.TOML")), SpecFormat::Toml);
        assert_eq!(SpecFormat::of(Path::new("p.yml")), SpecFormat::Yaml);
        assert_eq!(SpecFormat::of(Path::new("p.txt")), SpecFormat::Yaml);
    }

    #[test]
    fn a_single_exclude_string_is_a_list_of_one() {
        let spec = PathsSpec::parse(
            "version: 1\nartifacts:\n  a:\n    path: x\n    exclude: y\n",
            SpecFormat::Yaml,
            "f",
        )
        .unwrap();
        assert_eq!(spec.artifacts[0].exclude, ["y"]);
    }

    #[test]
    fn bad_specs_are_refused_in_the_clis_words() {
        let cases = [
            ("version: 2\nartifacts:\n  a:\n    path: x\n", "path spec file [F] is invalid: Key: 'PathsSpec.Version' Error:Field validation for 'Version' failed on the 'oneof' tag"),
            ("artifacts:\n  a:\n    path: x\n", "path spec file [F] is invalid: Key: 'PathsSpec.Version' Error:Field validation for 'Version' failed on the 'required' tag"),
            ("version: 1\nartifacts: {}\n", "path spec file [F] is invalid: Key: 'PathsSpec.Artifacts' Error:Field validation for 'Artifacts' failed on the 'required' tag"),
            ("version: 1\nartifacts:\n  a:\n    pathx: x\n", "failed to unmarshal path spec file [F] : decoding failed due to the following error(s):\n\n'artifacts[a]' has invalid keys: pathx"),
        ];
        for (text, want) in cases {
            let e = PathsSpec::parse(text, SpecFormat::Yaml, "F").unwrap_err();
            assert_eq!(e.to_string(), want);
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        }
        let e = PathsSpec::parse("version: [1\n", SpecFormat::Yaml, "F").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Parse);
        assert!(
            e.to_string()
                .starts_with("failed to parse path spec file [F] : While parsing config: "),
            "{e}"
        );
        let e = PathsSpec::parse("version = ", SpecFormat::Toml, "F").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Parse);
        let e = PathsSpec::parse("{", SpecFormat::Json, "F").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Parse);
    }

    #[test]
    fn a_missing_file_reads_as_the_cli_says() {
        let e = PathsSpec::from_file("/nonexistent-dir/nonexist.yml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "failed to parse path spec file [/nonexistent-dir/nonexist.yml] : Config File \"nonexist\" Not Found in \"[/nonexistent-dir]\""
        );
        assert_eq!(e.kind(), crate::ErrorKind::Io);
    }
}
