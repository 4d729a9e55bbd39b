//! Which namespaces a Kubernetes snapshot covers: the CLI's `--namespaces`,
//! `--namespaces-regex`, `--exclude-namespaces`, `--exclude-namespaces-regex`, and the entries
//! of its multi-environment config file (`--config-file`), with the CLI's messages.

use std::collections::HashSet;
use std::path::Path;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A namespace selection. Empty: every namespace (one cluster-wide pod list). Only
/// `namespaces`: those, listed directly. Anything else: the cluster's namespaces are listed and
/// filtered (kept if named or matched by an include regex, when there are includes; then
/// dropped if named or matched by an exclude regex).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSelector {
    /// Namespaces to report.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Regexes (Go/RE2 syntax, unanchored) of namespaces to report.
    #[serde(default)]
    pub namespaces_regex: Vec<String>,
    /// Namespaces to leave out.
    #[serde(default)]
    pub exclude_namespaces: Vec<String>,
    /// Regexes of namespaces to leave out.
    #[serde(default)]
    pub exclude_namespaces_regex: Vec<String>,
}

/// A selector whose regexes compiled.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) selector: NamespaceSelector,
    include: Vec<Regex>,
    exclude: Vec<Regex>,
}

impl NamespaceSelector {
    /// Every namespace.
    pub fn all() -> Self {
        Self::default()
    }

    /// Only `names`.
    pub fn namespaces<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        NamespaceSelector {
            namespaces: names.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// The first include/exclude pair given together, as `(include, exclude)` field names in
    /// the config file's spelling (`namespaces`, `excludeNamespacesRegex`, ...).
    pub fn conflict(&self) -> Option<(&'static str, &'static str)> {
        let includes = [
            ("namespaces", !self.namespaces.is_empty()),
            ("namespacesRegex", !self.namespaces_regex.is_empty()),
        ];
        let excludes = [
            ("excludeNamespaces", !self.exclude_namespaces.is_empty()),
            (
                "excludeNamespacesRegex",
                !self.exclude_namespaces_regex.is_empty(),
            ),
        ];
        for (i, on) in includes {
            for (x, off) in excludes {
                if on && off {
                    return Some((i, x));
                }
            }
        }
        None
    }

    /// Checks the selector as the CLI checks its flags before it asks the cluster anything
    /// (`only one of --namespaces, --exclude-namespaces is allowed`). Regex syntax is checked
    /// later, as the CLI does it: after the namespaces were listed (`compile_filter`).
    pub fn check_flags(&self) -> Result<()> {
        if let Some((a, b)) = self.conflict() {
            return Err(Error::invalid_input(
                "namespaces",
                format!("only one of --{}, --{} is allowed", kebab(a), kebab(b)),
            ));
        }
        Ok(())
    }

    /// Whether the cluster's namespaces must be listed (any filter but plain names).
    pub fn lists_namespaces(&self) -> bool {
        !self.namespaces_regex.is_empty()
            || !self.exclude_namespaces.is_empty()
            || !self.exclude_namespaces_regex.is_empty()
    }

    /// Whether it selects every namespace.
    pub fn is_all(&self) -> bool {
        self.namespaces.is_empty() && !self.lists_namespaces()
    }

    /// Compiles the regexes when filtering the cluster's namespaces, with the CLI's words for
    /// a bad one (`could not filter namespaces: invalid include name regex pattern [x: ...`,
    /// trailing space included).
    pub(crate) fn compile_filter(&self) -> Result<Compiled> {
        let compile = |rs: &[String], which: &str| -> Result<Vec<Regex>> {
            rs.iter()
                .map(|r| {
                    Regex::new(r).map_err(|e| {
                        Error::invalid_input(
                            "namespaces-regex",
                            format!(
                                "could not filter namespaces: invalid {which} name regex pattern {r}: {} ",
                                go_regex_error(r, &e)
                            ),
                        )
                    })
                })
                .collect()
        };
        Ok(Compiled {
            include: compile(&self.namespaces_regex, "include")?,
            exclude: compile(&self.exclude_namespaces_regex, "exclude")?,
            selector: self.clone(),
        })
    }

    pub(crate) fn compile(&self) -> Result<Compiled> {
        let compile = |rs: &[String]| -> Result<Vec<Regex>> {
            rs.iter()
                .map(|r| {
                    Regex::new(r).map_err(|e| {
                        Error::invalid_input(
                            "namespaces-regex",
                            format!("invalid regex '{r}': {}", go_regex_error(r, &e)),
                        )
                    })
                })
                .collect()
        };
        Ok(Compiled {
            include: compile(&self.namespaces_regex)?,
            exclude: compile(&self.exclude_namespaces_regex)?,
            selector: self.clone(),
        })
    }
}

impl Compiled {
    /// The namespaces of `all` (in their order) the selector keeps.
    pub(crate) fn filter(&self, all: &[String]) -> Vec<String> {
        let s = &self.selector;
        let named: HashSet<&str> = s.namespaces.iter().map(String::as_str).collect();
        let excluded: HashSet<&str> = s.exclude_namespaces.iter().map(String::as_str).collect();
        let has_includes = !s.namespaces.is_empty() || !self.include.is_empty();
        all.iter()
            .filter(|ns| {
                !has_includes
                    || named.contains(ns.as_str())
                    || self.include.iter().any(|r| r.is_match(ns))
            })
            .filter(|ns| {
                !excluded.contains(ns.as_str()) && !self.exclude.iter().any(|r| r.is_match(ns))
            })
            .cloned()
            .collect()
    }
}

fn kebab(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Go's wording of the commonest regex syntax errors (`error parsing regexp: missing closing
/// ]: `[invalid``); others keep the regex crate's description.
fn go_regex_error(pattern: &str, e: &regex::Error) -> String {
    let text = e.to_string();
    if text.contains("unclosed character class") {
        if let Some(i) = pattern.rfind('[') {
            return format!(
                "error parsing regexp: missing closing ]: `{}`",
                &pattern[i..]
            );
        }
    }
    if text.contains("unclosed group") {
        return format!("error parsing regexp: missing closing ): `{pattern}`");
    }
    if text.contains("unopened group") {
        return format!("error parsing regexp: unexpected ): `{pattern}`");
    }
    let last = text
        .lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .map(|l| l.trim_start_matches("error:").trim().to_string())
        .unwrap_or(text);
    format!("error parsing regexp: {last}: `{pattern}`")
}

/// One environment of the config file: its name and namespace selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct K8sEnvironment {
    /// The Kosli environment reported to.
    pub name: String,
    /// Its namespaces.
    #[serde(flatten)]
    pub selector: NamespaceSelector,
}

/// The CLI's multi-environment config file (`snapshot k8s --config-file`):
/// `environments: [{name, namespaces|namespacesRegex|excludeNamespaces|excludeNamespacesRegex}]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct K8sEnvironments {
    /// The environments, in file order.
    pub environments: Vec<K8sEnvironment>,
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    environments: Option<Vec<RawEntry>>,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(default)]
    name: Option<String>,
    #[serde(flatten)]
    selector: NamespaceSelector,
}

impl K8sEnvironments {
    /// Reads and checks the file at `path`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            let io = Error::io("open", path, e);
            let message = format!("failed to read config file '{}': {io}", path.display());
            crate::ops::environments::with_message(io, message)
        })?;
        Self::parse(&text, Some(path))
    }

    /// Parses and checks the YAML `text`, with the CLI's messages.
    pub fn parse(text: &str, file: Option<&Path>) -> Result<Self> {
        let raw: RawFile = serde_yaml_ng::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line() as u64);
            Error::parse(
                file,
                line,
                format!("failed to parse config file: {}", go_yaml_message(&e)),
            )
        })?;
        let entries = raw.environments.unwrap_or_default();
        if entries.is_empty() {
            return Err(invalid(
                "invalid config: 'environments' list must contain at least one entry",
            ));
        }
        let mut seen = HashSet::new();
        let mut environments = Vec::new();
        for (i, entry) in entries.into_iter().enumerate() {
            let name = match entry.name {
                Some(n) if !n.is_empty() => n,
                _ => {
                    return Err(invalid(&format!(
                        "invalid config: environment entry {} is missing required field 'name'",
                        i + 1
                    )))
                }
            };
            if !seen.insert(name.clone()) {
                return Err(invalid(&format!(
                    "invalid config: duplicate environment name '{name}'"
                )));
            }
            if let Some((a, b)) = entry.selector.conflict() {
                return Err(invalid(&format!(
                    "invalid config for environment '{name}': cannot combine '{a}' with '{b}'"
                )));
            }
            entry
                .selector
                .compile()
                .map_err(|e| invalid(&format!("invalid config for environment '{name}': {e}")))?;
            environments.push(K8sEnvironment {
                name,
                selector: entry.selector,
            });
        }
        Ok(K8sEnvironments { environments })
    }
}

fn invalid(message: &str) -> Error {
    Error::invalid_input("config-file", message)
}

/// libyaml's parser problems (the others are the scanner's).
const PARSER_PROBLEMS: [&str; 6] = [
    "did not find expected <document start>",
    "did not find expected node content",
    "did not find expected key",
    "did not find expected '-' indicator",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
];

/// go-yaml's `yaml: line N: <problem>` from libyaml's problem and mark. go-yaml prints the
/// zero-based line of a parser error's mark (one less than libyaml's), and the one-based line
/// of a scanner error's.
fn go_yaml_message(e: &serde_yaml_ng::Error) -> String {
    let text = e.to_string();
    let problem = text.split(" at line ").next().unwrap_or(&text).to_string();
    let parser = PARSER_PROBLEMS.iter().any(|p| problem.ends_with(p));
    match e.location() {
        Some(l) if parser && l.line() > 1 => format!("yaml: line {}: {problem}", l.line() - 1),
        Some(l) => format!("yaml: line {}: {problem}", l.line()),
        None => format!("yaml: {problem}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn filters_keep_the_cluster_order() {
        let all = names(&["default", "kube-system", "prod", "staging"]);
        let s = NamespaceSelector {
            exclude_namespaces: names(&["kube-system", "default"]),
            ..Default::default()
        };
        assert_eq!(s.compile().unwrap().filter(&all), ["prod", "staging"]);
        let s = NamespaceSelector {
            namespaces_regex: names(&["^pr"]),
            ..Default::default()
        };
        assert_eq!(s.compile().unwrap().filter(&all), ["prod"]);
        let s = NamespaceSelector {
            exclude_namespaces_regex: names(&["^kube-", "^default$"]),
            ..Default::default()
        };
        assert_eq!(s.compile().unwrap().filter(&all), ["prod", "staging"]);
        let s = NamespaceSelector {
            namespaces: names(&["staging"]),
            namespaces_regex: names(&["^pr"]),
            ..Default::default()
        };
        assert_eq!(s.compile().unwrap().filter(&all), ["prod", "staging"]);
        assert!(NamespaceSelector::all().is_all());
        assert!(!NamespaceSelector::namespaces(["a"]).lists_namespaces());
    }

    #[test]
    fn bad_flag_regexes_use_the_cli_words() {
        let s = NamespaceSelector {
            namespaces_regex: names(&["[x"]),
            ..Default::default()
        };
        assert!(s.check_flags().is_ok());
        assert_eq!(
            s.compile_filter().unwrap_err().to_string(),
            "could not filter namespaces: invalid include name regex pattern [x: error parsing regexp: missing closing ]: `[x` "
        );
        let s = NamespaceSelector {
            exclude_namespaces_regex: names(&["ok", "(x"]),
            ..Default::default()
        };
        assert_eq!(
            s.compile_filter().unwrap_err().to_string(),
            "could not filter namespaces: invalid exclude name regex pattern (x: error parsing regexp: missing closing ): `(x` "
        );
    }

    #[test]
    fn flag_conflicts_use_the_cli_words() {
        let s = NamespaceSelector {
            namespaces: names(&["prod"]),
            exclude_namespaces: names(&["staging"]),
            ..Default::default()
        };
        assert_eq!(
            s.check_flags().unwrap_err().to_string(),
            "only one of --namespaces, --exclude-namespaces is allowed"
        );
        let s = NamespaceSelector {
            namespaces_regex: names(&["a"]),
            exclude_namespaces_regex: names(&["b"]),
            ..Default::default()
        };
        assert_eq!(
            s.check_flags().unwrap_err().to_string(),
            "only one of --namespaces-regex, --exclude-namespaces-regex is allowed"
        );
    }

    #[test]
    fn config_file_errors_match_the_captures() {
        let cases = [
            ("environments: []\n", "invalid config: 'environments' list must contain at least one entry"),
            ("environments:\n  - namespaces: [a]\n", "invalid config: environment entry 1 is missing required field 'name'"),
            ("environments:\n  - name: prod-env\n  - name: prod-env\n", "invalid config: duplicate environment name 'prod-env'"),
            ("environments:\n  - name: bad-env\n    namespaces: [a]\n    excludeNamespaces: [b]\n", "invalid config for environment 'bad-env': cannot combine 'namespaces' with 'excludeNamespaces'"),
            ("environments:\n  - name: bad-regex-env\n    namespacesRegex: ['[invalid']\n", "invalid config for environment 'bad-regex-env': invalid regex '[invalid': error parsing regexp: missing closing ]: `[invalid`"),
        ];
        for (text, message) in cases {
            let e = K8sEnvironments::parse(text, None).unwrap_err();
            assert_eq!(e.to_string(), message);
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        }
        // The captured message (snapshot_k8s_config_file_invalid-yaml).
        let e = K8sEnvironments::parse("environments:\n  - name: x\n    namespaces: [\n", None)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "failed to parse config file: yaml: line 3: did not find expected node content"
        );
        let e = K8sEnvironments::parse("environments:\n  - name: [\n", None).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Parse);
        assert!(
            e.to_string()
                .starts_with("failed to parse config file: yaml: line "),
            "{e}"
        );
        let ok = K8sEnvironments::parse(
            "environments:\n  - name: a\n    namespaces: [x, y]\n  - name: b\n    excludeNamespacesRegex: ['^kube-']\n",
            None,
        )
        .unwrap();
        assert_eq!(ok.environments[0].selector.namespaces, ["x", "y"]);
        assert!(ok.environments[1].selector.lists_namespaces());
    }
}
