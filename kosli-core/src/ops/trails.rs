//! Trails: begin (or update) a trail in a flow (wire.md §2.2).
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::ops::trails::BeginTrail;
//! let begin = BeginTrail::new("payments-api-server", "release-42")
//!     .description("release 42")
//!     .user_data(serde_json::json!({"build_number": 42}))
//!     .origin_url("https://ci.example.com/build/42");
//! client.begin_trail(&begin).await?;
//! # Ok(())
//! # }
//! ```

use serde::Serialize;
use serde_json::Value;

use super::flows::Template;
use crate::client::{Client, Outcome, Part, Request};
use crate::error::{Error, Result};
use crate::operations;
use crate::provenance::{ExternalUrls, GitCommitInfo, RepoInfo};

/// `kosli begin trail`: begins a trail, or updates it when it exists.
#[derive(Debug, Clone, PartialEq)]
pub struct BeginTrail {
    flow: String,
    name: String,
    description: String,
    user_data: Option<Value>,
    git_commit_info: Option<GitCommitInfo>,
    repo_info: Option<RepoInfo>,
    external_urls: ExternalUrls,
    origin_url: String,
    template: Option<Template>,
}

/// `data_json`, in the CLI's field order and omissions.
#[derive(Serialize)]
struct Payload<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_data: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    git_commit_info: Option<&'a GitCommitInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repo_info: Option<&'a RepoInfo>,
    #[serde(skip_serializing_if = "ExternalUrls::is_empty")]
    external_urls: &'a ExternalUrls,
    #[serde(skip_serializing_if = "str::is_empty")]
    origin_url: &'a str,
}

impl BeginTrail {
    /// The trail `name` in `flow`, with nothing else.
    pub fn new(flow: impl Into<String>, name: impl Into<String>) -> Self {
        BeginTrail {
            flow: flow.into(),
            name: name.into(),
            description: String::new(),
            user_data: None,
            git_commit_info: None,
            repo_info: None,
            external_urls: ExternalUrls::new(),
            origin_url: String::new(),
            template: None,
        }
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// Free-form JSON (`--user-data`; any JSON value, sent as given).
    pub fn user_data(mut self, data: Value) -> Self {
        self.user_data = Some(data);
        self
    }

    /// The commit the trail is about.
    pub fn git_commit_info(mut self, info: GitCommitInfo) -> Self {
        self.git_commit_info = Some(info);
        self
    }

    /// The repository; sent only when its id, name and URL are all known (the CLI's rule).
    pub fn repo_info(mut self, info: RepoInfo) -> Self {
        self.repo_info = Some(info);
        self
    }

    /// Labelled links to external resources.
    pub fn external_urls(mut self, urls: ExternalUrls) -> Self {
        self.external_urls = urls;
        self
    }

    /// Where the trail came from (a CI build URL).
    pub fn origin_url(mut self, url: impl Into<String>) -> Self {
        self.origin_url = url.into();
        self
    }

    /// The commit, repository and origin URL resolved by the provenance module.
    #[cfg(feature = "git")]
    pub fn provenance(mut self, p: &crate::provenance::AttestationProvenance) -> Self {
        self.git_commit_info = p.git_commit_info.clone();
        self.repo_info = p.repo_info.clone();
        if let Some(url) = &p.origin_url {
            self.origin_url = url.clone();
        }
        self
    }

    /// A YAML template for the trail.
    pub fn template(mut self, template: Template) -> Self {
        self.template = Some(template);
        self
    }

    /// A YAML template file for the trail.
    pub fn template_file(self, path: impl Into<std::path::PathBuf>) -> Self {
        self.template(Template::file(path))
    }

    /// The flow.
    pub fn flow(&self) -> &str {
        &self.flow
    }

    /// The trail's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The request the CLI would send (the template file is read here).
    pub fn request(&self) -> Result<Request> {
        if self.name.is_empty() {
            return Err(Error::invalid_input(
                "trail name",
                "the trail name must not be empty",
            ));
        }
        let repo_info = self.repo_info.as_ref().filter(|r| r.is_complete());
        let data = Part::json(
            "data_json",
            &Payload {
                name: &self.name,
                description: &self.description,
                user_data: self.user_data.as_ref(),
                git_commit_info: self.git_commit_info.as_ref(),
                repo_info,
                external_urls: &self.external_urls,
                origin_url: &self.origin_url,
            },
        )?;
        let mut parts = vec![data];
        if let Some(t) = &self.template {
            parts.push(t.part()?);
        }
        Ok(Request::new(&operations::BEGIN_TRAIL)
            .param("flow", self.flow.as_str())
            .multipart(parts))
    }
}

impl Client {
    /// Begins a trail, or updates it (`kosli begin trail`): 201 begun, 200 updated.
    pub async fn begin_trail(&self, trail: &BeginTrail) -> Result<Outcome> {
        self.write(&trail.request()?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Body;
    use crate::provenance::external_urls;

    fn data_json(r: &Request) -> String {
        let Body::Multipart(parts) = r.body() else {
            panic!("{r:?}")
        };
        assert_eq!(parts[0].name(), "data_json");
        String::from_utf8(parts[0].data().to_vec()).unwrap()
    }

    #[test]
    fn minimal_is_just_the_name() {
        // Capture begin_trail_minimal.
        let r = BeginTrail::new("demo-flow", "trail-2").request().unwrap();
        assert_eq!(data_json(&r), r#"{"name":"trail-2"}"#);
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/trails/acme/demo-flow"
        );
        let Body::Multipart(parts) = r.body() else {
            panic!()
        };
        assert_eq!(parts.len(), 1, "no template part without a template");
    }

    #[test]
    fn full_matches_the_capture() {
        // Capture begin_trail_full (CLI v2.43.1).
        let fp = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef";
        let sha = "3e74850331dadafd9a390fa2be410e026122fd3c";
        let r = BeginTrail::new("demo-flow", "trail-1")
            .description("release 42")
            .user_data(serde_json::json!({"build_number": 42}))
            .git_commit_info(GitCommitInfo {
                sha1: sha.into(),
                message: "second commit: add feature\n\nbody line".into(),
                author: "Alice Dev <alice@example.com>".into(),
                timestamp: 1717327800,
                branch: "main".into(),
                url: Some(format!("https://github.com/acme/app/commit/{sha}")),
            })
            .repo_info(RepoInfo {
                name: "incomplete".into(),
                ..RepoInfo::default()
            })
            .external_urls(
                external_urls([("jira", "https://jira.example.com/ABC-1")], [("jira", fp)])
                    .unwrap(),
            )
            .origin_url("https://ci.example.com/build/42")
            .template(Template::yaml("trail-template.yml", "version: 1\n"))
            .request()
            .unwrap();
        assert_eq!(
            data_json(&r),
            format!(
                r#"{{"name":"trail-1","description":"release 42","user_data":{{"build_number":42}},"git_commit_info":{{"sha1":"{sha}","message":"second commit: add feature\n\nbody line","author":"Alice Dev \u003calice@example.com\u003e","timestamp":1717327800,"branch":"main","url":"https://github.com/acme/app/commit/{sha}"}},"external_urls":{{"jira":{{"href":"https://jira.example.com/ABC-1","fingerprint":"{fp}"}}}},"origin_url":"https://ci.example.com/build/42"}}"#
            )
        );
        let Body::Multipart(parts) = r.body() else {
            panic!()
        };
        assert_eq!(parts[1].filename(), Some("trail-template.yml"));
    }

    #[test]
    fn any_json_is_user_data() {
        // Observed: `--user-data` holding `[1,2]` is sent as is.
        let r = BeginTrail::new("f", "t")
            .user_data(serde_json::json!([1, 2]))
            .request()
            .unwrap();
        assert_eq!(data_json(&r), r#"{"name":"t","user_data":[1,2]}"#);
    }
}
