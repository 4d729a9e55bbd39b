//! Environments: create one (physical, or logical with included environments), get one, list
//! them, and make sure one exists before a snapshot (`--auto-environment`) (wire.md §2.5,
//! wire-2.md §5).
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::ops::environments::{types, CreateEnvironment, ListEnvironments};
//! client.create_environment(&CreateEnvironment::new("prod-k8s", types::K8S).description("prod cluster")).await?;
//! client.create_environment(&CreateEnvironment::logical("prod", ["prod-k8s", "prod-s3"])).await?;
//! let prod = client.get_environment("prod-k8s").await?;
//! let page = client.list_environments(&ListEnvironments::new().page(2).per_page(5)).await?;
//! # let _ = (prod, page);
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{Client, Outcome, Request, Response};
use crate::error::{Error, Result};
use crate::operations;

/// The environment types the CLI's help names. The CLI sends `--type` exactly as typed and the
/// server validates it, so any text is accepted here too.
pub mod types {
    /// Kubernetes.
    pub const K8S: &str = "K8S";
    /// Amazon Elastic Container Service.
    pub const ECS: &str = "ECS";
    /// Amazon S3 object storage.
    pub const S3: &str = "S3";
    /// AWS Lambda.
    pub const LAMBDA: &str = "lambda";
    /// A generic server (the type of `snapshot path|paths|server`).
    pub const SERVER: &str = "server";
    /// Docker hosts.
    pub const DOCKER: &str = "docker";
    /// Azure app services.
    pub const AZURE_APPS: &str = "azure-apps";
    /// Google Cloud Run.
    pub const CLOUD_RUN: &str = "cloud-run";
    /// A view-only grouping of other environments.
    pub const LOGICAL: &str = "logical";
}

/// The description the CLI gives an environment it creates for `--auto-environment`.
pub const AUTO_DESCRIPTION: &str = "Auto-created by kosli snapshot";

/// `kosli create environment`: creates or updates an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateEnvironment {
    name: String,
    env_type: String,
    description: String,
    include_scaling: Option<bool>,
    require_provenance: bool,
    included_environments: Vec<String>,
}

/// The JSON body, in the CLI's field order and omissions.
#[derive(Serialize)]
struct CreatePayload<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    env_type: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_scaling: Option<bool>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    require_provenance: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    included_environments: &'a [String],
}

impl CreateEnvironment {
    /// An environment `name` of type `env_type` (see [`types`]), with an empty description.
    pub fn new(name: impl Into<String>, env_type: impl Into<String>) -> Self {
        CreateEnvironment {
            name: name.into(),
            env_type: env_type.into(),
            description: String::new(),
            include_scaling: None,
            require_provenance: false,
            included_environments: Vec::new(),
        }
    }

    /// A logical environment grouping `included` physical ones.
    pub fn logical<I, S>(name: impl Into<String>, included: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(name, types::LOGICAL).included_environments(included)
    }

    /// The description (sent as `""` when not given).
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// The environments a logical environment groups (`--included-environments`). The CLI
    /// sends them whatever the type; the server decides.
    pub fn included_environments<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.included_environments = names.into_iter().map(Into::into).collect();
        self
    }

    /// Whether scaling events make new snapshots (the CLI's deprecated `--include-scaling` /
    /// `--exclude-scaling`); sent only when set.
    pub fn include_scaling(mut self, include: bool) -> Self {
        self.include_scaling = Some(include);
        self
    }

    /// Requires provenance for every artifact (the CLI's deprecated `--require-provenance`);
    /// sent only when true.
    pub fn require_provenance(mut self, require: bool) -> Self {
        self.require_provenance = require;
        self
    }

    /// The environment's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The environment's type, as given.
    pub fn env_type(&self) -> &str {
        &self.env_type
    }

    /// The request the CLI would send. An empty name or type is refused before anything is
    /// sent.
    pub fn request(&self) -> Result<Request> {
        if self.name.is_empty() {
            return Err(Error::invalid_input(
                "environment name",
                "the environment name must not be empty",
            ));
        }
        if self.env_type.is_empty() {
            return Err(Error::invalid_input(
                "type",
                "the environment type must not be empty",
            ));
        }
        Request::new(&operations::CREATE_ENVIRONMENT).json(&CreatePayload {
            name: &self.name,
            env_type: &self.env_type,
            description: &self.description,
            include_scaling: self.include_scaling,
            require_provenance: self.require_provenance,
            included_environments: &self.included_environments,
        })
    }
}

/// An environment as the API returns it (`get environment`, and each entry of `list
/// environments`). Fields the server leaves out or sends as `null` are `None`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Environment {
    /// The environment's name.
    pub name: String,
    /// Its type (`K8S`, `server`, `logical`, ...).
    #[serde(rename = "type", default)]
    pub env_type: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// The organization.
    #[serde(default)]
    pub org: Option<String>,
    /// When it was last changed (Unix seconds).
    #[serde(default)]
    pub last_modified_at: Option<f64>,
    /// When a snapshot was last reported (Unix seconds).
    #[serde(default)]
    pub last_reported_at: Option<f64>,
    /// Whether what runs there is compliant (`None`: nothing reported yet).
    #[serde(default)]
    pub state: Option<bool>,
    /// Whether scaling events make new snapshots.
    #[serde(default)]
    pub include_scaling: Option<bool>,
    /// Whether provenance is required.
    #[serde(default)]
    pub require_provenance: Option<bool>,
    /// Tags, by key.
    #[serde(default)]
    pub tags: Option<BTreeMap<String, Value>>,
    /// The names of the policies attached to it.
    #[serde(default)]
    pub policies: Option<Vec<String>>,
    /// For a logical environment, the environments it groups.
    #[serde(default)]
    pub included_environments: Option<Vec<String>>,
}

impl Environment {
    /// Whether this is a logical environment (which takes no snapshots).
    pub fn is_logical(&self) -> bool {
        self.env_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(types::LOGICAL))
    }
}

/// `kosli get environment`'s request.
pub fn get_environment_request(name: &str) -> Request {
    Request::new(&operations::GET_ENVIRONMENT).param("env", name)
}

/// `kosli list environments`: every environment (no query), or a page; optionally filtered by
/// name, type, tag and space, and sorted. Query keys go on the wire sorted, repeated keys in
/// the order given, as the CLI sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListEnvironments {
    page: Option<u64>,
    per_page: Option<u64>,
    name: Option<String>,
    types: Vec<String>,
    tags: Vec<String>,
    space_ids: Vec<String>,
    sort: Option<String>,
    sort_direction: Option<String>,
}

/// The CLI's page size when only a page number is given.
pub const DEFAULT_PER_PAGE: u64 = 15;

impl ListEnvironments {
    /// Every environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for page `page` (from 1); the page size defaults to the CLI's 15.
    pub fn page(mut self, page: u64) -> Self {
        self.page = Some(page);
        self
    }

    /// Asks for pages of `per_page` environments; the page defaults to 1.
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = Some(per_page);
        self
    }

    /// Only environments whose name contains `text` (case-insensitive, server side).
    pub fn name_contains(mut self, text: impl Into<String>) -> Self {
        self.name = Some(text.into());
        self
    }

    /// Only environments of this type; repeat for several.
    pub fn env_type(mut self, env_type: impl Into<String>) -> Self {
        self.types.push(env_type.into());
        self
    }

    /// Only environments with this tag, `key` or `key:value`; repeat for several.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Only environments in the space with this id; repeat for several.
    pub fn space_id(mut self, id: impl Into<String>) -> Self {
        self.space_ids.push(id.into());
        self
    }

    /// Sorts by this field (`name`, `last_modified_at`, `last_changed_at`).
    pub fn sort(mut self, field: impl Into<String>) -> Self {
        self.sort = Some(field.into());
        self
    }

    /// The sort direction (`asc`, `desc`).
    pub fn sort_direction(mut self, direction: impl Into<String>) -> Self {
        self.sort_direction = Some(direction.into());
        self
    }

    /// Whether a page was asked for (then the answer is paginated).
    pub fn is_paged(&self) -> bool {
        self.page.is_some() || self.per_page.is_some()
    }

    /// The request the CLI would send. A page number or size of 0 is refused, with the CLI's
    /// words.
    pub fn request(&self) -> Result<Request> {
        if self.page == Some(0) {
            return Err(Error::invalid_input(
                "page",
                "page number must be a positive integer",
            ));
        }
        if self.per_page == Some(0) {
            return Err(Error::invalid_input(
                "page-limit",
                "page limit must be a positive integer",
            ));
        }
        let mut r = Request::new(&operations::LIST_ENVIRONMENTS);
        if self.is_paged() {
            r = r.query("page", self.page.unwrap_or(1).to_string()).query(
                "per_page",
                self.per_page.unwrap_or(DEFAULT_PER_PAGE).to_string(),
            );
        }
        if let Some(name) = self.name.as_deref().filter(|n| !n.is_empty()) {
            r = r.query("name", name);
        }
        for t in &self.types {
            r = r.query("type", t);
        }
        for t in &self.tags {
            r = r.query("tag", t);
        }
        for s in &self.space_ids {
            r = r.query("space_id", s);
        }
        if let Some(s) = self.sort.as_deref().filter(|s| !s.is_empty()) {
            r = r.query("sort", s);
        }
        if let Some(d) = self.sort_direction.as_deref().filter(|d| !d.is_empty()) {
            r = r.query("sort_direction", d);
        }
        Ok(r)
    }
}

/// Where a paginated `list environments` answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct EnvironmentPage {
    /// This page's number (from 1).
    #[serde(default)]
    pub page: u64,
    /// Environments per page.
    #[serde(default)]
    pub per_page: u64,
    /// How many pages there are.
    #[serde(default)]
    pub total_pages: u64,
    /// How many environments there are in all.
    #[serde(default)]
    pub total_count: u64,
}

/// What `list environments` returns: the environments, and the page when one was asked for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EnvironmentList {
    /// The environments.
    pub environments: Vec<Environment>,
    /// The page, when the answer was paginated.
    pub page: Option<EnvironmentPage>,
}

impl EnvironmentList {
    /// Reads either shape of the answer: a plain array, or a page object holding
    /// `environments`.
    pub fn from_response(response: &Response) -> Result<Self> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            All(Vec<Environment>),
            Page {
                #[serde(default)]
                environments: Vec<Environment>,
                #[serde(flatten)]
                page: EnvironmentPage,
            },
        }
        Ok(match response.json::<Shape>()? {
            Shape::All(environments) => EnvironmentList {
                environments,
                page: None,
            },
            Shape::Page { environments, page } => EnvironmentList {
                environments,
                page: Some(page),
            },
        })
    }
}

/// What [`Client::auto_environment`] found or did.
#[derive(Debug)]
#[non_exhaustive]
pub enum AutoEnvironment {
    /// The environment exists, with a type that takes the snapshot.
    Exists(Box<Environment>),
    /// It did not exist and was created (the create's outcome).
    Created(Outcome),
    /// Dry-run: nothing was asked; it would be created if missing.
    DryRun,
}

impl Client {
    /// Creates or updates an environment (`kosli create environment`). In dry-run the
    /// outcome holds the request instead.
    pub async fn create_environment(&self, env: &CreateEnvironment) -> Result<Outcome> {
        self.write(&env.request()?).await
    }

    /// One environment (`kosli get environment`); an unknown one is a `NotFound` error.
    pub async fn get_environment(&self, name: &str) -> Result<Environment> {
        self.read(&get_environment_request(name)).await?.json()
    }

    /// The environments (`kosli list environments`).
    pub async fn list_environments(&self, list: &ListEnvironments) -> Result<EnvironmentList> {
        EnvironmentList::from_response(&self.read(&list.request()?).await?)
    }

    /// Makes sure `name` exists before a snapshot of type `env_type` is reported to it, as the
    /// CLI's `--auto-environment` does: a missing environment (404) is created with
    /// [`AUTO_DESCRIPTION`]; an existing one must have the snapshot's type (a logical one never
    /// does). In dry-run nothing is asked.
    pub async fn auto_environment(&self, name: &str, env_type: &str) -> Result<AutoEnvironment> {
        if self.config().is_dry_run_for(self.config().primary()) {
            return Ok(AutoEnvironment::DryRun);
        }
        match self.get_environment(name).await {
            Ok(env) => {
                check_snapshot_type(&env, name, env_type)?;
                Ok(AutoEnvironment::Exists(Box::new(env)))
            }
            Err(Error::NotFound { .. }) => {
                let create = CreateEnvironment::new(name, env_type).description(AUTO_DESCRIPTION);
                match self.create_environment(&create).await {
                    Ok(outcome) => Ok(AutoEnvironment::Created(outcome)),
                    Err(e) => {
                        let message = format!("failed to auto-create environment {name}: {e}");
                        Err(with_message(e, message))
                    }
                }
            }
            Err(e) => Err(e),
        }
    }
}

/// The CLI's refusals of an existing environment for a snapshot of `env_type`.
fn check_snapshot_type(env: &Environment, name: &str, env_type: &str) -> Result<()> {
    let actual = env.env_type.as_deref().unwrap_or_default();
    if env.is_logical() {
        return Err(Error::invalid_input(
            "environment",
            format!("cannot report a snapshot to the logical environment {name}"),
        ));
    }
    // The CLI compares types regardless of case (observed: `SERVER` takes a server snapshot).
    if !actual.eq_ignore_ascii_case(env_type) {
        return Err(Error::invalid_input(
            "environment",
            format!("environment {name} already exists with type {actual}, which does not match the snapshot type {env_type}"),
        ));
    }
    Ok(())
}

/// The same error (kind, status, path, source) with another message, for the CLI's context
/// prefixes.
pub(crate) fn with_message(e: Error, message: String) -> Error {
    match e {
        Error::InvalidInput { what, .. } => Error::InvalidInput { what, message },
        Error::Io { path, source, .. } => Error::Io {
            path,
            message,
            source,
        },
        Error::Fingerprint { path, .. } => Error::Fingerprint { path, message },
        Error::Parse { file, line, .. } => Error::Parse {
            file,
            line,
            message,
        },
        Error::Config { .. } => Error::Config { message },
        Error::Network { source, .. } => Error::Network { message, source },
        Error::Timeout { .. } => Error::Timeout { message },
        Error::Api { status, .. } => Error::Api { status, message },
        Error::Auth { status, .. } => Error::Auth { status, message },
        Error::NotFound { .. } => Error::NotFound { message },
        Error::Journal { source, .. } => Error::Journal { message, source },
        Error::PolicyDenied { reasons, .. } => Error::PolicyDenied { message, reasons },
        Error::Cancelled { .. } => Error::Cancelled { message },
    }
}

impl crate::blocking::Client {
    /// See [`Client::create_environment`].
    pub fn create_environment(&self, env: &CreateEnvironment) -> Result<Outcome> {
        self.run(|c| async move { c.create_environment(env).await })
    }

    /// See [`Client::get_environment`].
    pub fn get_environment(&self, name: &str) -> Result<Environment> {
        self.run(|c| async move { c.get_environment(name).await })
    }

    /// See [`Client::list_environments`].
    pub fn list_environments(&self, list: &ListEnvironments) -> Result<EnvironmentList> {
        self.run(|c| async move { c.list_environments(list).await })
    }

    /// See [`Client::auto_environment`].
    pub fn auto_environment(&self, name: &str, env_type: &str) -> Result<AutoEnvironment> {
        self.run(|c| async move { c.auto_environment(name, env_type).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Body;

    fn body(r: &Request) -> String {
        match r.body() {
            Body::Json(b) => String::from_utf8(b.to_vec()).unwrap(),
            other => panic!("not JSON: {other:?}"),
        }
    }

    #[test]
    fn create_bodies_match_the_cli() {
        // Captures create_env_k8s, create_env_logical, and observed deprecated flags.
        let r = CreateEnvironment::new("prod-k8s", types::K8S)
            .description("prod cluster")
            .request()
            .unwrap();
        assert_eq!(
            body(&r),
            r#"{"name":"prod-k8s","type":"K8S","description":"prod cluster"}"#
        );
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/environments/acme"
        );
        let r = CreateEnvironment::logical("prod-all", ["prod-k8s", "prod-server"])
            .request()
            .unwrap();
        assert_eq!(
            body(&r),
            r#"{"name":"prod-all","type":"logical","description":"","included_environments":["prod-k8s","prod-server"]}"#
        );
        let r = CreateEnvironment::new("e1", "K8S")
            .description("<&>")
            .include_scaling(true)
            .require_provenance(true)
            .included_environments(["x"])
            .request()
            .unwrap();
        assert_eq!(
            body(&r),
            r#"{"name":"e1","type":"K8S","description":"\u003c\u0026\u003e","include_scaling":true,"require_provenance":true,"included_environments":["x"]}"#
        );
        let r = CreateEnvironment::new("e1", "K8S")
            .include_scaling(false)
            .request()
            .unwrap();
        assert_eq!(
            body(&r),
            r#"{"name":"e1","type":"K8S","description":"","include_scaling":false}"#
        );
    }

    #[test]
    fn empty_name_or_type_is_refused() {
        let e = CreateEnvironment::new("", "K8S").request().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        let e = CreateEnvironment::new("x", "").request().unwrap_err();
        assert!(e.to_string().contains("type"), "{e}");
    }

    #[test]
    fn list_queries_match_the_cli() {
        let q = |l: ListEnvironments| l.request().unwrap().render_query();
        assert_eq!(q(ListEnvironments::new()), "");
        assert_eq!(
            q(ListEnvironments::new().page(2).per_page(5)),
            "page=2&per_page=5"
        );
        assert_eq!(q(ListEnvironments::new().page(1)), "page=1&per_page=15");
        assert_eq!(q(ListEnvironments::new().per_page(5)), "page=1&per_page=5");
        assert_eq!(
            q(ListEnvironments::new()
                .name_contains("prod")
                .env_type("K8S")
                .env_type("docker")
                .tag("team=core")
                .sort("name")
                .sort_direction("desc")),
            "name=prod&sort=name&sort_direction=desc&tag=team%3Dcore&type=K8S&type=docker"
        );
        assert_eq!(
            q(ListEnvironments::new()
                .space_id("s1")
                .space_id("s2")
                .tag("team:core")
                .tag("x")
                .env_type("logical")),
            "space_id=s1&space_id=s2&tag=team%3Acore&tag=x&type=logical"
        );
        let e = ListEnvironments::new().page(0).request().unwrap_err();
        assert_eq!(e.to_string(), "page number must be a positive integer");
        let e = ListEnvironments::new().per_page(0).request().unwrap_err();
        assert_eq!(e.to_string(), "page limit must be a positive integer");
    }

    #[test]
    fn environments_read_with_nulls_and_pages() {
        let r = Response::new(
            "h".into(),
            200,
            bytes::Bytes::from_static(
                br#"{"page": 2, "per_page": 5, "total_pages": 3, "total_count": 12, "environments": [{"name": "prod", "type": "K8S", "last_reported_at": null, "state": null, "tags": {"team": "core"}, "policies": ["p"]}]}"#,
            ),
        );
        let list = EnvironmentList::from_response(&r).unwrap();
        let page = list.page.unwrap();
        assert_eq!(
            (page.page, page.per_page, page.total_pages, page.total_count),
            (2, 5, 3, 12)
        );
        let env = &list.environments[0];
        assert_eq!(env.env_type.as_deref(), Some("K8S"));
        assert_eq!((env.last_reported_at, env.state), (None, None));
        assert_eq!(env.policies.as_deref(), Some(&["p".to_string()][..]));
        let r = Response::new(
            "h".into(),
            200,
            bytes::Bytes::from_static(br#"[{"name": "a", "type": "logical"}]"#),
        );
        let list = EnvironmentList::from_response(&r).unwrap();
        assert!(list.page.is_none());
        assert!(list.environments[0].is_logical());
    }

    #[test]
    fn snapshot_types_are_checked_as_the_cli_does() {
        let env = |t: &str| Environment {
            name: "prod".into(),
            env_type: Some(t.into()),
            description: None,
            org: None,
            last_modified_at: None,
            last_reported_at: None,
            state: None,
            include_scaling: None,
            require_provenance: None,
            tags: None,
            policies: None,
            included_environments: None,
        };
        assert!(check_snapshot_type(&env("server"), "prod", "server").is_ok());
        assert!(check_snapshot_type(&env("SERVER"), "prod", "server").is_ok());
        assert_eq!(
            check_snapshot_type(&env("logical"), "prod", "server")
                .unwrap_err()
                .to_string(),
            "cannot report a snapshot to the logical environment prod"
        );
        assert_eq!(
            check_snapshot_type(&env("K8S"), "prod", "server")
                .unwrap_err()
                .to_string(),
            "environment prod already exists with type K8S, which does not match the snapshot type server"
        );
    }
}
