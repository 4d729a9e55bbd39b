//! Jira: the issues a commit refers to, as `attest jira` reports them (wire-2.md §6, capture
//! attest_jira_fields). Keys (`ABC-123`) are found in the commit message, the branch (unless
//! ignored) and a secondary source, or only in one trailer; each is read with
//! `GET {base}/rest/api/2/issue/<KEY>?fields=...` (a 404 means it does not exist). The
//! returned fields are re-encoded as the CLI's Jira client re-encodes them: the members of its
//! typed fields (status, users, issue type, priority) with their empty values, others as sent.

use std::collections::BTreeSet;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{escape_query, Client, ExternalRequest};
use crate::error::{Error, ErrorKind, Result};

/// The placeholder the CLI asks for when no field is wanted (observed).
pub const NO_FIELDS: &str = "non-existing-key-in-jira-fields";

/// One issue of `jira_results`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JiraResult {
    /// The key (`ABC-124`).
    pub issue_id: String,
    /// `<base>/browse/<key>`.
    pub issue_url: String,
    /// Whether Jira has it.
    pub issue_exists: bool,
    /// The requested fields, re-encoded (left out when none).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub issue_fields: Map<String, Value>,
}

/// How to reach Jira and where to look for references.
#[derive(Clone)]
pub struct JiraSource {
    /// `--jira-base-url`.
    pub base_url: String,
    /// `--jira-username` (with `api_token`: Basic auth, Jira Cloud).
    pub username: Option<String>,
    /// `--jira-api-token`.
    pub api_token: Option<SecretString>,
    /// `--jira-pat` (Bearer, self-hosted Jira).
    pub pat: Option<SecretString>,
    /// `--jira-issue-fields` (comma separated).
    pub issue_fields: String,
    /// `--jira-project-key` (any when empty).
    pub project_keys: Vec<String>,
    /// `--jira-secondary-source`.
    pub secondary_source: Option<String>,
    /// `--jira-trailer`: the sole source of references.
    pub trailer: Option<String>,
    /// `--ignore-branch-match`.
    pub ignore_branch: bool,
}

impl std::fmt::Debug for JiraSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JiraSource")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("api_token", &self.api_token.as_ref().map(|_| "<redacted>"))
            .field("pat", &self.pat.as_ref().map(|_| "<redacted>"))
            .field("issue_fields", &self.issue_fields)
            .finish_non_exhaustive()
    }
}

impl JiraSource {
    /// A source for the Jira at `base_url`.
    pub fn new(base_url: &str) -> JiraSource {
        JiraSource {
            base_url: base_url.trim_end_matches('/').to_string(),
            username: None,
            api_token: None,
            pat: None,
            issue_fields: String::new(),
            project_keys: Vec::new(),
            secondary_source: None,
            trailer: None,
            ignore_branch: false,
        }
    }

    /// The issue keys referenced by a commit `message` on `branch`, sorted and each once (the
    /// order observed from the CLI).
    pub fn references(&self, message: &str, branch: &str) -> Vec<String> {
        let mut texts: Vec<String> = Vec::new();
        match &self.trailer {
            Some(trailer) => {
                let last = message.trim_end().rsplit("\n\n").next().unwrap_or_default();
                for line in last.lines() {
                    if let Some((k, v)) = line.split_once(':') {
                        if k.trim() == trailer {
                            texts.push(v.to_string());
                        }
                    }
                }
            }
            None => {
                texts.push(message.to_string());
                if !self.ignore_branch {
                    texts.push(branch.to_string());
                }
                texts.extend(self.secondary_source.clone());
            }
        }
        let mut keys = BTreeSet::new();
        for t in &texts {
            for k in issue_keys(t) {
                if self.project_keys.is_empty()
                    || self
                        .project_keys
                        .iter()
                        .any(|p| k.split('-').next() == Some(p.as_str()))
                {
                    keys.insert(k);
                }
            }
        }
        keys.into_iter().collect()
    }

    /// Whether `message` has the `--jira-trailer` line (the CLI warns when it has not);
    /// `true` without a trailer.
    pub fn has_trailer(&self, message: &str) -> bool {
        let Some(trailer) = &self.trailer else {
            return true;
        };
        let last = message.trim_end().rsplit("\n\n").next().unwrap_or_default();
        last.lines()
            .filter_map(|l| l.split_once(':'))
            .any(|(k, _)| k.trim() == trailer)
    }

    fn auth(&self) -> Option<String> {
        if let Some(pat) = &self.pat {
            return Some(format!("Bearer {}", pat.expose_secret()));
        }
        let (u, t) = (self.username.as_ref()?, self.api_token.as_ref()?);
        Some(format!(
            "Basic {}",
            super::base64::encode(format!("{u}:{}", t.expose_secret()).as_bytes())
        ))
    }
}

/// Jira issue keys in `text`: an upper-case letter, letters, digits or `_`, a dash, digits.
fn issue_keys(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if boundary && b[i].is_ascii_uppercase() {
            let mut j = i + 1;
            while j < b.len()
                && (b[j].is_ascii_uppercase() || b[j].is_ascii_digit() || b[j] == b'_')
            {
                j += 1;
            }
            if j < b.len() && b[j] == b'-' && j > i + 1 {
                let mut k = j + 1;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                if k > j + 1 && (k == b.len() || !b[k].is_ascii_alphanumeric()) {
                    out.push(text[i..k].to_string());
                    i = k;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// The members (name, zero value) the CLI's Jira client always writes for a typed field; the
/// others are written only when set.
fn typed_members(field: &str) -> Option<&'static [(&'static str, Zero)]> {
    const STATUS: &[(&str, Zero)] = &[
        ("self", Zero::Str),
        ("description", Zero::Str),
        ("iconUrl", Zero::Str),
        ("name", Zero::Str),
        ("id", Zero::Str),
        ("statusCategory", Zero::StatusCategory),
    ];
    const USER: &[(&str, Zero)] = &[("Password", Zero::Str)];
    const NONE: &[(&str, Zero)] = &[];
    match field {
        "status" => Some(STATUS),
        "assignee" | "reporter" | "creator" => Some(USER),
        "issuetype" | "priority" | "resolution" | "project" => Some(NONE),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Zero {
    Str,
    StatusCategory,
}

fn zero(z: Zero) -> Value {
    match z {
        Zero::Str => Value::String(String::new()),
        Zero::StatusCategory => {
            serde_json::json!({"self": "", "id": 0, "name": "", "key": "", "colorName": ""})
        }
    }
}

/// The fields the CLI's Jira client knows by name: a null one is left out of `issue_fields`,
/// where an unknown (custom) field keeps its null (observed: jira_rich_fields).
const KNOWN_FIELDS: &[&str] = &[
    "expand",
    "issuetype",
    "project",
    "environment",
    "resolution",
    "priority",
    "resolutiondate",
    "created",
    "duedate",
    "watches",
    "assignee",
    "updated",
    "description",
    "summary",
    "creator",
    "reporter",
    "components",
    "status",
    "progress",
    "aggregateprogress",
    "timetracking",
    "timespent",
    "timeestimate",
    "timeoriginalestimate",
    "worklog",
    "issuelinks",
    "comment",
    "fixVersions",
    "versions",
    "labels",
    "subtasks",
    "attachment",
    "epic",
    "sprint",
    "parent",
    "aggregatetimeoriginalestimate",
    "aggregatetimespent",
    "aggregatetimeestimate",
];

/// Whether the CLI leaves `field` with `value` out of `issue_fields`.
fn dropped(field: &str, value: &Value) -> bool {
    value.is_null() && KNOWN_FIELDS.contains(&field)
}

/// Whether `v` is a JSON zero value (`""`, `false`, `0`, null), which the CLI's client omits
/// from an issue type.
fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        _ => false,
    }
}

/// One field re-encoded as the CLI's client does (members sorted, as a Go map writes them).
/// Observed (jira_rich_fields): an issue type loses its zero members (`"subtask": false`), a
/// parent keeps only `id` and `key`.
fn reencode(field: &str, value: &Value) -> Value {
    if let (Some(obj), "issuetype") = (value.as_object(), field) {
        return Value::Object(
            obj.iter()
                .filter(|(_, v)| !is_zero(v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
    }
    if let (Some(obj), "parent") = (value.as_object(), field) {
        return Value::Object(
            obj.iter()
                .filter(|(k, _)| *k == "id" || *k == "key")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
    }
    let (Some(members), Some(obj)) = (typed_members(field), value.as_object()) else {
        return value.clone();
    };
    let mut out = obj.clone();
    for (name, z) in members {
        match out.get_mut(*name) {
            None | Some(Value::Null) => {
                out.insert((*name).to_string(), zero(*z));
            }
            Some(v) => {
                if let (Zero::StatusCategory, Some(o)) = (z, v.as_object_mut()) {
                    if let Value::Object(def) = zero(*z) {
                        for (k, d) in def {
                            o.entry(k).or_insert(d);
                        }
                    }
                }
            }
        }
    }
    Value::Object(out)
}

/// `attest jira --assert`'s verdict on the issues found (checked after the attestation is
/// sent, as the CLI does): [`Error::PolicyDenied`] with the CLI's message when the commit
/// refers to no issue, or to issues Jira does not have (one reason per missing issue).
pub fn assert_issues(results: &[JiraResult], trailer: Option<&str>) -> Result<()> {
    let place = match trailer {
        Some(t) => format!("in trailer '{t}'"),
        None => "in commit message or branch name".to_string(),
    };
    if results.is_empty() {
        return Err(Error::PolicyDenied {
            message: format!("no Jira references are found {place}"),
            reasons: vec!["no Jira references".into()],
        });
    }
    let reasons: Vec<String> = results
        .iter()
        .filter(|r| !r.issue_exists)
        .map(|r| format!("{}: issue not found", r.issue_id))
        .collect();
    if reasons.is_empty() {
        return Ok(());
    }
    let list: String = reasons.iter().map(|r| format!("\n\t{r}")).collect();
    Err(Error::PolicyDenied {
        message: format!("missing Jira issues from references found {place}{list}"),
        reasons,
    })
}

impl Client {
    /// Reads each issue of `keys` from Jira (`issue_exists: false` for a 404).
    pub async fn jira_results(
        &self,
        source: &JiraSource,
        keys: &[String],
    ) -> Result<Vec<JiraResult>> {
        let fields = if source.issue_fields.is_empty() {
            NO_FIELDS.to_string()
        } else {
            source.issue_fields.clone()
        };
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let text = format!(
                "{}/rest/api/2/issue/{}?fields={}",
                source.base_url,
                super::path_escape(key),
                escape_query(&fields)
            );
            let url = reqwest::Url::parse(&text).map_err(|e| {
                Error::invalid_input("jira-base-url", format!("invalid Jira URL {text:?}: {e}"))
            })?;
            let mut request =
                ExternalRequest::get(url).header("content-type", "application/json")?;
            if let Some(auth) = source.auth() {
                request = request.header("authorization", &auth)?;
            }
            let issue_url = format!("{}/browse/{key}", source.base_url);
            match self.send_external(&request).await {
                Ok(response) => {
                    let v = super::answer::decode("Jira", &response)?;
                    let issue_fields = v
                        .get("fields")
                        .and_then(Value::as_object)
                        .map(|f| {
                            f.iter()
                                .filter(|(k, v)| !dropped(k, v))
                                .map(|(k, v)| (k.clone(), reencode(k, v)))
                                .collect()
                        })
                        .unwrap_or_default();
                    out.push(JiraResult {
                        issue_id: key.clone(),
                        issue_url,
                        issue_exists: true,
                        issue_fields,
                    });
                }
                Err(e) if e.kind() == ErrorKind::NotFound => out.push(JiraResult {
                    issue_id: key.clone(),
                    issue_url,
                    issue_exists: false,
                    issue_fields: Map::new(),
                }),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_as_observed() {
        let mut s = JiraSource::new("http://j/");
        s.secondary_source = Some("feature/ABC-200-x".into());
        assert_eq!(
            s.references("ABC-124 second commit: add feature\n\nRefs NOPE-9", "main"),
            ["ABC-124", "ABC-200", "NOPE-9"]
        );
        s.project_keys = vec!["ABC".into()];
        s.secondary_source = None;
        assert_eq!(
            s.references("ABC-1 NOPE-2 abc-3 XABC-4x", "ABC-5-b"),
            ["ABC-1", "ABC-5"]
        );
        let mut t = JiraSource::new("http://j");
        t.trailer = Some("Refs".into());
        assert_eq!(
            t.references("ABC-1 title\n\nbody ABC-2\n\nRefs: XY-9", "ABC-3"),
            ["XY-9"]
        );
        assert!(t.has_trailer("t\n\nRefs: XY-9"));
        assert!(!t.has_trailer("t\n\nRefs XY-9"));
        assert!(s.has_trailer("no trailer asked"));
    }

    #[test]
    fn assert_issues_as_observed() {
        let found = |id: &str, exists: bool| JiraResult {
            issue_id: id.into(),
            issue_url: String::new(),
            issue_exists: exists,
            issue_fields: Map::new(),
        };
        let e = assert_issues(&[], None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PolicyDenied);
        assert_eq!(
            e.to_string(),
            "no Jira references are found in commit message or branch name"
        );
        assert_eq!(
            assert_issues(&[], Some("Refs")).unwrap_err().to_string(),
            "no Jira references are found in trailer 'Refs'"
        );
        assert_eq!(
            assert_issues(&[found("A-1", true), found("A-8", false)], None)
                .unwrap_err()
                .to_string(),
            "missing Jira issues from references found in commit message or branch name\n\tA-8: issue not found"
        );
        assert!(assert_issues(&[found("A-1", true)], None).is_ok());
    }

    #[test]
    fn fields_are_reencoded_like_the_cli() {
        let v = serde_json::json!({"name": "In Progress"});
        assert_eq!(
            crate::model::go_json::to_string(&reencode("status", &v)).unwrap(),
            r#"{"description":"","iconUrl":"","id":"","name":"In Progress","self":"","statusCategory":{"colorName":"","id":0,"key":"","name":"","self":""}}"#
        );
        let u = serde_json::json!({"displayName": "Alice"});
        assert_eq!(
            crate::model::go_json::to_string(&reencode("assignee", &u)).unwrap(),
            r#"{"Password":"","displayName":"Alice"}"#
        );
        assert_eq!(
            reencode("summary", &serde_json::json!("s")),
            serde_json::json!("s")
        );
    }
}
