//! Reading artifacts: get one by fingerprint (`flow@fingerprint`) or those of a commit
//! (`flow:sha`), optionally in one trail, and list a flow's or a repository's artifacts page
//! by page (wire.md §2.3).
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::ops::artifacts_read::{ArtifactSelector, GetArtifact, ListArtifacts};
//! let selector: ArtifactSelector = "payments-api@bd81e921".parse()?;
//! for artifact in client.get_artifacts(&GetArtifact::new(selector)).await? {
//!     tracing::info!(name = %artifact.filename, state = ?artifact.state, "artifact");
//! }
//! let every = client.list_all_artifacts(&ListArtifacts::flow("payments-api")).await?;
//! # let _ = every;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use serde_json::Value;

use crate::client::{Client, Request, Response};
use crate::error::{Error, Result};
use crate::operations;

/// Which artifact(s) of a flow to get: the CLI's `EXPRESSION` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactSelector {
    /// `flow@fingerprint`: one artifact (the fingerprint may be a prefix).
    Fingerprint {
        /// The flow.
        flow: String,
        /// The fingerprint, whole or its first characters.
        fingerprint: String,
    },
    /// `flow:sha`: the artifacts built from a commit (the sha may be a prefix).
    Commit {
        /// The flow.
        flow: String,
        /// The commit sha, whole or its first characters.
        commit: String,
    },
}

impl ArtifactSelector {
    /// The flow.
    pub fn flow(&self) -> &str {
        match self {
            ArtifactSelector::Fingerprint { flow, .. } | ArtifactSelector::Commit { flow, .. } => {
                flow
            }
        }
    }
}

impl FromStr for ArtifactSelector {
    type Err = Error;

    /// Parses `flow@fingerprint` or `flow:sha`, refusing what the CLI refuses, in its words.
    fn from_str(expr: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::invalid_input("expression", format!("invalid expression: {expr}{why}"))
        };
        let (at, colon) = (expr.contains('@'), expr.contains(':'));
        if at && colon {
            return Err(bad(". Both '@' and ':' are present"));
        }
        let sep = if at {
            '@'
        } else if colon {
            ':'
        } else {
            return Err(bad(""));
        };
        let (flow, id) = expr.split_once(sep).unwrap_or((expr, ""));
        if flow.is_empty() {
            return Err(bad(". Flow name is missing"));
        }
        if id.is_empty() {
            return Err(bad(". Artifact identity is missing"));
        }
        let flow = flow.to_string();
        Ok(if at {
            ArtifactSelector::Fingerprint {
                flow,
                fingerprint: id.to_string(),
            }
        } else {
            ArtifactSelector::Commit {
                flow,
                commit: id.to_string(),
            }
        })
    }
}

impl fmt::Display for ArtifactSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArtifactSelector::Fingerprint { flow, fingerprint } => {
                write!(f, "{flow}@{fingerprint}")
            }
            ArtifactSelector::Commit { flow, commit } => write!(f, "{flow}:{commit}"),
        }
    }
}

/// `kosli get artifact EXPRESSION [--trail T]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetArtifact {
    selector: ArtifactSelector,
    trail: Option<String>,
}

impl GetArtifact {
    /// The artifact(s) `selector` names.
    pub fn new(selector: ArtifactSelector) -> Self {
        GetArtifact {
            selector,
            trail: None,
        }
    }

    /// Only in this trail (`--trail`).
    pub fn trail(mut self, trail: impl Into<String>) -> Self {
        self.trail = Some(trail.into());
        self
    }

    /// What is asked for.
    pub fn selector(&self) -> &ArtifactSelector {
        &self.selector
    }

    /// The request the CLI would send.
    pub fn request(&self) -> Request {
        let r = match &self.selector {
            ArtifactSelector::Fingerprint { flow, fingerprint } => {
                Request::new(&operations::GET_ARTIFACT)
                    .param("flow", flow)
                    .param("fingerprint", fingerprint)
            }
            ArtifactSelector::Commit { flow, commit } => {
                Request::new(&operations::GET_ARTIFACTS_BY_COMMIT)
                    .param("flow", flow)
                    .param("commit", commit)
            }
        };
        match self.trail.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => r.query("trail", t),
            None => r,
        }
    }

    /// The artifacts in the answer: the one object of a fingerprint, or the commit's array.
    pub fn artifacts_from(&self, response: &Response) -> Result<Vec<Artifact>> {
        match self.selector {
            ArtifactSelector::Fingerprint { .. } => Ok(vec![response.json()?]),
            ArtifactSelector::Commit { .. } => response.json(),
        }
    }
}

/// Where an artifact runs or ran: an environment and the snapshot that showed it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ArtifactLocation {
    /// The environment.
    #[serde(default)]
    pub environment_name: String,
    /// The snapshot's number.
    #[serde(default)]
    pub snapshot_index: u64,
}

/// One event in an artifact's history.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ArtifactEvent {
    /// What happened (`app.bin reported`).
    #[serde(default)]
    pub event: String,
    /// When (Unix seconds).
    #[serde(default)]
    pub timestamp: f64,
}

/// An artifact as the API returns it. Fields the server leaves out or sends as `null` are
/// `None` or empty.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Artifact {
    /// The artifact's name (the CLI's `--display-name`, or the file name).
    #[serde(default)]
    pub filename: String,
    /// The flow.
    #[serde(default)]
    pub flow_name: String,
    /// The trail it was attested in.
    #[serde(default)]
    pub trail_name: Option<String>,
    /// Its name in the flow's template.
    #[serde(default)]
    pub template_reference_name: Option<String>,
    /// Its fingerprint.
    #[serde(default)]
    pub fingerprint: String,
    /// When it was reported (Unix seconds).
    #[serde(default)]
    pub created_at: Option<f64>,
    /// The commit it was built from.
    #[serde(default)]
    pub git_commit: Option<String>,
    /// The commit's web URL.
    #[serde(default)]
    pub commit_url: Option<String>,
    /// The build's URL.
    #[serde(default)]
    pub build_url: Option<String>,
    /// The repository's URL.
    #[serde(default)]
    pub repo_url: Option<String>,
    /// The artifact's page in Kosli.
    #[serde(default)]
    pub html_url: Option<String>,
    /// `COMPLIANT`, `NON-COMPLIANT`, ...
    #[serde(default)]
    pub state: Option<String>,
    /// Where it runs now.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub running: Vec<ArtifactLocation>,
    /// Where it ran and has exited.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub exited: Vec<ArtifactLocation>,
    /// What happened to it.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub history: Vec<ArtifactEvent>,
    /// Its annotations, when the server sends them.
    #[serde(default)]
    pub annotations: Option<Value>,
}

fn null_as_empty<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// The CLI's page size of `list artifacts`.
pub const DEFAULT_PER_PAGE: u64 = 15;

/// `kosli list artifacts`: a flow's or a repository's artifacts, newest first, one page at a
/// time (page 1 of 15 unless told).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListArtifacts {
    flow: Option<String>,
    repo: Option<String>,
    page: u64,
    per_page: u64,
}

impl Default for ListArtifacts {
    fn default() -> Self {
        ListArtifacts {
            flow: None,
            repo: None,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl ListArtifacts {
    /// Every artifact of the organization.
    pub fn new() -> Self {
        Self::default()
    }

    /// The artifacts of a flow.
    pub fn flow(flow: impl Into<String>) -> Self {
        ListArtifacts {
            flow: Some(flow.into()),
            ..Self::default()
        }
    }

    /// The artifacts of a repository as Kosli knows it (`acme/app`).
    pub fn repo(repo: impl Into<String>) -> Self {
        ListArtifacts {
            repo: Some(repo.into()),
            ..Self::default()
        }
    }

    /// Page `page` (from 1).
    pub fn page(mut self, page: u64) -> Self {
        self.page = page;
        self
    }

    /// Pages of `per_page` artifacts.
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = per_page;
        self
    }

    /// The page asked for.
    pub fn page_number(&self) -> u64 {
        self.page
    }

    /// The request the CLI would send: the flow (which wins over a repository, as in the
    /// CLI), the page and its size. A page number or size of 0 is refused.
    pub fn request(&self) -> Result<Request> {
        if self.page == 0 {
            return Err(Error::invalid_input(
                "page",
                "page number must be a positive integer",
            ));
        }
        if self.per_page == 0 {
            return Err(Error::invalid_input(
                "page-limit",
                "page limit must be a positive integer",
            ));
        }
        let mut r = Request::new(&operations::LIST_ARTIFACTS);
        if let Some(flow) = self.flow.as_deref().filter(|f| !f.is_empty()) {
            r = r.query("flow_name", flow);
        } else if let Some(repo) = self.repo.as_deref().filter(|r| !r.is_empty()) {
            r = r.query("repo_name", repo);
        }
        Ok(r.query("page", self.page.to_string())
            .query("per_page", self.per_page.to_string()))
    }
}

/// One page of `list artifacts`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ArtifactPage {
    /// The artifacts on this page, newest first.
    pub artifacts: Vec<Artifact>,
    /// The request for the next page, when this one was full (there may be more).
    pub next: Option<ListArtifacts>,
}

impl Client {
    /// One artifact of `flow` by fingerprint (`kosli get artifact flow@fp`); an unknown one is
    /// a `NotFound` error.
    pub async fn get_artifact(
        &self,
        flow: &str,
        fingerprint: &str,
        trail: Option<&str>,
    ) -> Result<Artifact> {
        let get = with_trail(
            GetArtifact::new(ArtifactSelector::Fingerprint {
                flow: flow.into(),
                fingerprint: fingerprint.into(),
            }),
            trail,
        );
        self.read(&get.request()).await?.json()
    }

    /// The artifacts of `flow` built from a commit (`kosli get artifact flow:sha`).
    pub async fn get_artifacts_by_commit(
        &self,
        flow: &str,
        commit: &str,
        trail: Option<&str>,
    ) -> Result<Vec<Artifact>> {
        let get = with_trail(
            GetArtifact::new(ArtifactSelector::Commit {
                flow: flow.into(),
                commit: commit.into(),
            }),
            trail,
        );
        self.read(&get.request()).await?.json()
    }

    /// What `get` selects, as a list (one artifact for a fingerprint).
    pub async fn get_artifacts(&self, get: &GetArtifact) -> Result<Vec<Artifact>> {
        get.artifacts_from(&self.read(&get.request()).await?)
    }

    /// One page of artifacts (`kosli list artifacts`).
    pub async fn list_artifacts(&self, list: &ListArtifacts) -> Result<ArtifactPage> {
        let artifacts: Vec<Artifact> = self.read(&list.request()?).await?.json()?;
        let next = (artifacts.len() as u64 >= list.per_page).then(|| {
            let mut n = list.clone();
            n.page += 1;
            n
        });
        Ok(ArtifactPage { artifacts, next })
    }

    /// Every artifact `list` selects, from its page on, reading page after page until one is
    /// not full.
    pub async fn list_all_artifacts(&self, list: &ListArtifacts) -> Result<Vec<Artifact>> {
        let mut all = Vec::new();
        let mut next = Some(list.clone());
        while let Some(list) = next {
            let page = self.list_artifacts(&list).await?;
            let empty = page.artifacts.is_empty();
            all.extend(page.artifacts);
            next = if empty { None } else { page.next };
        }
        Ok(all)
    }
}

fn with_trail(get: GetArtifact, trail: Option<&str>) -> GetArtifact {
    match trail {
        Some(t) => get.trail(t),
        None => get,
    }
}

impl crate::blocking::Client {
    /// See [`Client::get_artifact`].
    pub fn get_artifact(
        &self,
        flow: &str,
        fingerprint: &str,
        trail: Option<&str>,
    ) -> Result<Artifact> {
        self.run(|c| async move { c.get_artifact(flow, fingerprint, trail).await })
    }

    /// See [`Client::get_artifacts_by_commit`].
    pub fn get_artifacts_by_commit(
        &self,
        flow: &str,
        commit: &str,
        trail: Option<&str>,
    ) -> Result<Vec<Artifact>> {
        self.run(|c| async move { c.get_artifacts_by_commit(flow, commit, trail).await })
    }

    /// See [`Client::get_artifacts`].
    pub fn get_artifacts(&self, get: &GetArtifact) -> Result<Vec<Artifact>> {
        self.run(|c| async move { c.get_artifacts(get).await })
    }

    /// See [`Client::list_artifacts`].
    pub fn list_artifacts(&self, list: &ListArtifacts) -> Result<ArtifactPage> {
        self.run(|c| async move { c.list_artifacts(list).await })
    }

    /// See [`Client::list_all_artifacts`].
    pub fn list_all_artifacts(&self, list: &ListArtifacts) -> Result<Vec<Artifact>> {
        self.run(|c| async move { c.list_all_artifacts(list).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef";

    #[test]
    fn expressions_parse_as_the_cli_reads_them() {
        let s: ArtifactSelector = format!("demo-flow@{FP}").parse().unwrap();
        assert_eq!(
            s,
            ArtifactSelector::Fingerprint {
                flow: "demo-flow".into(),
                fingerprint: FP.into()
            }
        );
        assert_eq!(s.to_string(), format!("demo-flow@{FP}"));
        let s: ArtifactSelector = "demo-flow:0fc1ba9".parse().unwrap();
        assert_eq!(s.flow(), "demo-flow");
        for (expr, want) in [
            ("demo-flow", "invalid expression: demo-flow"),
            (
                "demo-flow@",
                "invalid expression: demo-flow@. Artifact identity is missing",
            ),
            ("@abc", "invalid expression: @abc. Flow name is missing"),
            (
                "a:b@c",
                "invalid expression: a:b@c. Both '@' and ':' are present",
            ),
        ] {
            let e = expr.parse::<ArtifactSelector>().unwrap_err();
            assert_eq!(e.to_string(), want);
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn requests_match_the_cli() {
        let get = GetArtifact::new(format!("demo-flow@{FP}").parse().unwrap());
        let r = get.request();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            format!("api/v2/artifacts/acme/demo-flow/fingerprint/{FP}")
        );
        assert_eq!(r.render_query(), "");
        let r = GetArtifact::new("demo-flow@bd81e".parse().unwrap())
            .trail("trail 1")
            .request();
        assert_eq!(r.render_query(), "trail=trail+1");
        let r = GetArtifact::new("demo-flow:0fc1ba9".parse().unwrap())
            .trail("trail-1")
            .request();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/artifacts/acme/demo-flow/commit_sha/0fc1ba9"
        );
        assert_eq!(r.render_query(), "trail=trail-1");
        let q = |l: ListArtifacts| l.request().unwrap().render_query();
        assert_eq!(
            q(ListArtifacts::flow("demo-flow")),
            "flow_name=demo-flow&page=1&per_page=15"
        );
        assert_eq!(
            q(ListArtifacts::repo("acme/app").page(2).per_page(5)),
            "page=2&per_page=5&repo_name=acme%2Fapp"
        );
        assert_eq!(q(ListArtifacts::new()), "page=1&per_page=15");
        let e = ListArtifacts::new().page(0).request().unwrap_err();
        assert_eq!(e.to_string(), "page number must be a positive integer");
    }

    #[test]
    fn artifacts_read_with_missing_fields() {
        let body = br#"[{"filename": "app.bin", "flow_name": "f", "fingerprint": "x", "created_at": 1718000000.0, "running": [{"environment_name": "prod", "snapshot_index": 3}], "exited": null, "history": [{"event": "app.bin reported", "timestamp": 1718000000.0}]}]"#;
        let r = Response::new("h".into(), 200, bytes::Bytes::from_static(body));
        let get = GetArtifact::new("f:abc".parse().unwrap());
        let a = &get.artifacts_from(&r).unwrap()[0];
        assert_eq!(a.trail_name, None);
        assert_eq!(a.running[0].snapshot_index, 3);
        assert!(a.exited.is_empty());
        assert_eq!(a.history[0].event, "app.bin reported");
    }
}
