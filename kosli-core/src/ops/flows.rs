//! Flows: create (with a template file, the empty template, or the deprecated list of
//! controls), get one, list them (wire.md §2.1).
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::ops::flows::CreateFlow;
//! use kosli_core::ops::naming::{FlowNaming, NamingConvention};
//! let create = CreateFlow::new("payments-api-server")
//!     .description("the payments API")
//!     .template_file("kosli-template.yml")
//!     .naming(FlowNaming::refuse(NamingConvention::seed()));
//! let outcome = client.create_flow(&create).await?;
//! let flow = client.get_flow("payments-api-server").await?;
//! assert_eq!(flow.name, "payments-api-server");
//! # let _ = outcome;
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::naming::FlowNaming;
use crate::client::{Client, Outcome, Part, Request, Response};
use crate::error::{Error, Result};
use crate::operations;

/// The form field of an uploaded template (flows and trails).
pub const TEMPLATE_FIELD: &str = "template_file";

/// The template the CLI uploads for `--use-empty-template`: a file `template.yml` holding
/// exactly `version: 1` (no newline).
pub const EMPTY_TEMPLATE: &str = "version: 1";

/// A YAML template to upload with a flow or a trail: a file, or bytes with the file name the
/// server is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Template {
    /// A file, sent under its base name (read when the request is built).
    File(PathBuf),
    /// YAML text and the file name to send it under.
    Yaml {
        /// The file name the server sees (`template.yml`).
        filename: String,
        /// The YAML.
        yaml: Bytes,
    },
}

impl Template {
    /// A template file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Template::File(path.into())
    }

    /// YAML given as text, sent as the file `filename`.
    pub fn yaml(filename: impl Into<String>, yaml: impl Into<Bytes>) -> Self {
        Template::Yaml {
            filename: filename.into(),
            yaml: yaml.into(),
        }
    }

    /// The CLI's empty template (`--use-empty-template`): `template.yml` holding `version: 1`.
    pub fn empty() -> Self {
        Template::yaml("template.yml", EMPTY_TEMPLATE)
    }

    /// The `template_file` part; a file that cannot be read is an `Io` error naming it.
    pub fn part(&self) -> Result<Part> {
        match self {
            Template::File(path) => {
                let data = std::fs::read(path).map_err(|e| Error::io("open", path, e))?;
                Ok(Part::file(TEMPLATE_FIELD, base_name(path), data))
            }
            Template::Yaml { filename, yaml } => {
                Ok(Part::file(TEMPLATE_FIELD, filename.clone(), yaml.clone()))
            }
        }
    }
}

/// A path's last component, as the CLI names uploaded files.
pub(crate) fn base_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// How a flow's template is given.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowTemplate {
    /// A YAML template (the current API).
    Template(Template),
    /// The deprecated list of required controls (`--template a,b`): sent to the legacy
    /// endpoint, with `artifact` appended when missing, as the CLI does.
    Legacy(Vec<String>),
}

/// `kosli create flow`: creates or updates a flow. Built with the empty template; choose
/// another with [`template_file`](Self::template_file), [`template`](Self::template) or
/// [`legacy_template`](Self::legacy_template).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateFlow {
    name: String,
    description: String,
    visibility: Option<String>,
    template: FlowTemplate,
    naming: Option<FlowNaming>,
}

/// `data_json` of the template endpoint, in the CLI's field order.
#[derive(Serialize)]
struct TemplatePayload<'a> {
    name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    visibility: Option<&'a str>,
}

/// The legacy endpoint's JSON body, in the CLI's field order.
#[derive(Serialize)]
struct LegacyPayload<'a> {
    name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    visibility: Option<&'a str>,
    template: Vec<&'a str>,
}

impl CreateFlow {
    /// A flow called `name`, with an empty description and the empty template.
    pub fn new(name: impl Into<String>) -> Self {
        CreateFlow {
            name: name.into(),
            description: String::new(),
            visibility: None,
            template: FlowTemplate::Template(Template::empty()),
            naming: None,
        }
    }

    /// The flow's description (sent as `""` when not given).
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// The deprecated `visibility` (`public`/`private`); sent only when set.
    pub fn visibility(mut self, visibility: impl Into<String>) -> Self {
        self.visibility = Some(visibility.into());
        self
    }

    /// A YAML template file.
    pub fn template_file(self, path: impl Into<PathBuf>) -> Self {
        self.template(Template::file(path))
    }

    /// A YAML template.
    pub fn template(mut self, template: Template) -> Self {
        self.template = FlowTemplate::Template(template);
        self
    }

    /// The deprecated list of required controls (the CLI's `--template`).
    pub fn legacy_template<I, S>(mut self, controls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.template = FlowTemplate::Legacy(controls.into_iter().map(Into::into).collect());
        self
    }

    /// Checks the name against a naming convention before anything is sent (opt-in).
    pub fn naming(mut self, naming: FlowNaming) -> Self {
        self.naming = Some(naming);
        self
    }

    /// The flow's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How the template is given.
    pub fn flow_template(&self) -> &FlowTemplate {
        &self.template
    }

    /// The request the CLI would send: runs the naming check (if any) and reads the template.
    pub fn request(&self) -> Result<Request> {
        if self.name.is_empty() {
            return Err(Error::invalid_input(
                "flow name",
                "the flow name must not be empty",
            ));
        }
        if let Some(naming) = &self.naming {
            naming.check(&self.name)?;
        }
        let visibility = self.visibility.as_deref();
        match &self.template {
            FlowTemplate::Template(template) => {
                let data = Part::json(
                    "data_json",
                    &TemplatePayload {
                        name: &self.name,
                        description: &self.description,
                        visibility,
                    },
                )?;
                Ok(Request::new(&operations::CREATE_FLOW).multipart(vec![data, template.part()?]))
            }
            FlowTemplate::Legacy(controls) => {
                let mut template: Vec<&str> = controls.iter().map(String::as_str).collect();
                if !template.contains(&"artifact") {
                    template.push("artifact");
                }
                Request::new(&operations::CREATE_FLOW_LEGACY).json(&LegacyPayload {
                    name: &self.name,
                    description: &self.description,
                    visibility,
                    template,
                })
            }
        }
    }
}

/// A flow's template as the server returns it: YAML text, or a legacy flow's list of controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FlowTemplateDef {
    /// The YAML template.
    Yaml(String),
    /// A legacy flow's required controls.
    Controls(Vec<String>),
}

/// A flow, as `GET /api/v2/flows/{org}/{flow}` returns it. Fields the server leaves out or
/// sends as `null` are `None`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Flow {
    /// The flow's name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// `public` or `private` (deprecated).
    #[serde(default)]
    pub visibility: Option<String>,
    /// The organization.
    #[serde(default)]
    pub org: Option<String>,
    /// The template.
    #[serde(default)]
    pub template: Option<FlowTemplateDef>,
    /// When an artifact of the flow was last deployed (Unix seconds).
    #[serde(default)]
    pub last_deployment_at: Option<f64>,
    /// Tags, by key.
    #[serde(default)]
    pub tags: Option<BTreeMap<String, Value>>,
    /// Whether the flow is archived.
    #[serde(default)]
    pub archived: Option<bool>,
}

/// `kosli get flow`'s request.
pub fn get_flow_request(name: &str) -> Request {
    Request::new(&operations::GET_FLOW).param("flow", name)
}

/// The page the server says it returned, when the list was paginated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Pagination {
    /// This page's number (from 1).
    #[serde(default)]
    pub page: u64,
    /// How many pages there are.
    #[serde(default)]
    pub page_count: u64,
    /// How many flows there are in all.
    #[serde(default)]
    pub total: u64,
    /// Flows per page, when the server says.
    #[serde(default)]
    pub per_page: Option<u64>,
}

/// `kosli list flows`: every flow (no query), or a page (`page`, `per_page`), optionally
/// only those whose name contains a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFlows {
    page: Option<u64>,
    per_page: Option<u64>,
    name: Option<String>,
    ignore_case: bool,
}

impl ListFlows {
    /// Every flow.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for page `page` (from 1); the page size defaults to the CLI's 20.
    pub fn page(mut self, page: u64) -> Self {
        self.page = Some(page);
        self
    }

    /// Asks for pages of `per_page` flows; the page defaults to 1.
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = Some(per_page);
        self
    }

    /// Only flows whose name contains `text` (`search_by_name`).
    pub fn name_contains(mut self, text: impl Into<String>) -> Self {
        self.name = Some(text.into());
        self
    }

    /// Matches `name_contains` regardless of case (`case_sensitive=false`).
    pub fn ignore_case(mut self, yes: bool) -> Self {
        self.ignore_case = yes;
        self
    }

    /// The request the CLI would send. Pagination is asked for only when a page or a page
    /// size is given (then both are sent); the case flag only with a name.
    pub fn request(&self) -> Request {
        let mut r = Request::new(&operations::LIST_FLOWS);
        if self.page.is_some() || self.per_page.is_some() {
            r = r
                .query("page", self.page.unwrap_or(1).to_string())
                .query("per_page", self.per_page.unwrap_or(20).to_string());
        }
        if let Some(name) = self.name.as_deref().filter(|n| !n.is_empty()) {
            r = r.query("search_by_name", name);
            if self.ignore_case {
                r = r.query("case_sensitive", "false");
            }
        }
        r
    }
}

/// What `list flows` returns: the flows, and the pagination when the server paginated.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FlowList {
    /// The flows.
    pub flows: Vec<Flow>,
    /// The page, when the answer was paginated (`{"data": [...], "pagination": {...}}`).
    pub pagination: Option<Pagination>,
}

impl FlowList {
    /// Reads either shape of the answer: a plain array, or `data` with `pagination`.
    pub fn from_response(response: &Response) -> Result<Self> {
        Self::parse(response.body())
    }

    /// Reads an answer's body (either shape); a body of another shape is a `Parse` error.
    pub fn parse(body: &[u8]) -> Result<Self> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            All(Vec<Flow>),
            Page {
                data: Vec<Flow>,
                #[serde(default)]
                pagination: Option<Pagination>,
            },
        }
        let shape: Shape = serde_json::from_slice(body).map_err(|e| {
            Error::parse(
                None,
                Some(e.line() as u64),
                format!("the list of flows is not what was expected: {e}"),
            )
        })?;
        Ok(match shape {
            Shape::All(flows) => FlowList {
                flows,
                pagination: None,
            },
            Shape::Page { data, pagination } => FlowList {
                flows: data,
                pagination,
            },
        })
    }
}

impl Client {
    /// Creates or updates a flow (`kosli create flow`). The response's status says which
    /// (201 created, 200 updated); in dry-run the outcome holds the request instead.
    pub async fn create_flow(&self, flow: &CreateFlow) -> Result<Outcome> {
        self.write(&flow.request()?).await
    }

    /// Reads one flow (`kosli get flow`); a flow that does not exist is a `NotFound` error.
    pub async fn get_flow(&self, name: &str) -> Result<Flow> {
        self.read(&get_flow_request(name)).await?.json()
    }

    /// Lists flows (`kosli list flows`).
    pub async fn list_flows(&self, list: &ListFlows) -> Result<FlowList> {
        FlowList::from_response(&self.read(&list.request()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Body;

    fn parts(r: &Request) -> Vec<(String, Option<String>, Vec<u8>)> {
        let Body::Multipart(parts) = r.body() else {
            panic!("not multipart: {r:?}")
        };
        parts
            .iter()
            .map(|p| {
                (
                    p.name().to_string(),
                    p.filename().map(str::to_string),
                    p.data().to_vec(),
                )
            })
            .collect()
    }

    #[test]
    fn empty_template_is_the_clis() {
        // Capture create_flow_empty_template (CLI v2.43.1).
        let r = CreateFlow::new("demo-flow")
            .description("demo flow")
            .request()
            .unwrap();
        assert_eq!(r.operation().name, "create_flow");
        assert_eq!(
            parts(&r),
            [
                (
                    "data_json".to_string(),
                    None,
                    br#"{"name":"demo-flow","description":"demo flow"}"#.to_vec()
                ),
                (
                    "template_file".to_string(),
                    Some("template.yml".to_string()),
                    b"version: 1".to_vec()
                ),
            ]
        );
    }

    #[test]
    fn template_file_is_read_and_named_by_its_base_name() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("flow-template.yml");
        std::fs::write(&f, "version: 1\n").unwrap();
        let r = CreateFlow::new("f").template_file(&f).request().unwrap();
        let p = parts(&r);
        assert_eq!(p[0].2, br#"{"name":"f","description":""}"#);
        assert_eq!(p[1].1.as_deref(), Some("flow-template.yml"));
        assert_eq!(p[1].2, b"version: 1\n");
        let e = CreateFlow::new("f")
            .template_file("/nope.yml")
            .request()
            .unwrap_err();
        assert_eq!(e.to_string(), "open /nope.yml: no such file or directory");
    }

    #[test]
    fn legacy_template_appends_artifact_and_keeps_field_order() {
        // Observed from CLI v2.43.1.
        let body = |c: CreateFlow| match c.request().unwrap().body() {
            Body::Json(b) => String::from_utf8(b.to_vec()).unwrap(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            body(
                CreateFlow::new("legacy-flow")
                    .description("legacy")
                    .legacy_template(["unit-tests", "x"])
            ),
            r#"{"name":"legacy-flow","description":"legacy","template":["unit-tests","x","artifact"]}"#
        );
        assert_eq!(
            body(
                CreateFlow::new("legacy-flow")
                    .description("legacy")
                    .legacy_template(Vec::<String>::new())
            ),
            r#"{"name":"legacy-flow","description":"legacy","template":["artifact"]}"#
        );
        assert_eq!(
            body(
                CreateFlow::new("legacy-flow")
                    .description("legacy")
                    .visibility("public")
                    .legacy_template(["artifact", "y"])
            ),
            r#"{"name":"legacy-flow","description":"legacy","visibility":"public","template":["artifact","y"]}"#
        );
        let r = CreateFlow::new("x")
            .legacy_template(["a"])
            .request()
            .unwrap();
        assert_eq!(r.operation().path, "/api/v2/flows/{org}");
    }

    #[test]
    fn naming_refusal_happens_before_anything_is_read() {
        use crate::ops::naming::{FlowNaming, NamingConvention};
        let e = CreateFlow::new("backend")
            .template_file("/nope.yml")
            .naming(FlowNaming::refuse(NamingConvention::seed()))
            .request()
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("flow name 'backend' does not follow"),
            "{e}"
        );
        assert!(CreateFlow::new("platform-auth-api")
            .naming(FlowNaming::refuse(NamingConvention::seed()))
            .request()
            .is_ok());
        assert!(CreateFlow::new("backend")
            .naming(FlowNaming::warn(NamingConvention::seed()))
            .request()
            .is_ok());
    }

    #[test]
    fn list_query_is_the_clis() {
        // Observed from CLI v2.43.1 (`list flows` with and without paging and filters).
        assert_eq!(ListFlows::new().request().render_query(), "");
        assert_eq!(
            ListFlows::new().per_page(5).request().render_query(),
            "page=1&per_page=5"
        );
        assert_eq!(
            ListFlows::new().page(2).request().render_query(),
            "page=2&per_page=20"
        );
        assert_eq!(
            ListFlows::new()
                .name_contains("dem")
                .ignore_case(true)
                .request()
                .render_query(),
            "case_sensitive=false&search_by_name=dem"
        );
        assert_eq!(
            ListFlows::new().ignore_case(true).request().render_query(),
            ""
        );
    }

    #[test]
    fn flows_read_leniently() {
        let f: Flow = serde_json::from_str(
            r#"{"name":"demo-flow","description":"demo flow","visibility":"private","org":"acme","template":"version: 1\n","last_deployment_at":null,"tags":{"team":"core"},"archived":false,"extra":1}"#,
        )
        .unwrap();
        assert_eq!(
            f.template,
            Some(FlowTemplateDef::Yaml("version: 1\n".into()))
        );
        assert_eq!(f.last_deployment_at, None);
        let f: Flow = serde_json::from_str(
            r#"{"name":"x","template":["artifact"],"last_deployment_at":1717328400.5}"#,
        )
        .unwrap();
        assert_eq!(
            f.template,
            Some(FlowTemplateDef::Controls(vec!["artifact".into()]))
        );
        assert_eq!(f.description, None);
        assert_eq!(f.last_deployment_at, Some(1717328400.5));
    }
}
