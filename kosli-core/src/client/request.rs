//! A request to the Kosli API, before it meets a host: operation, path parameters, query and
//! body. Every operation builds one; the client renders it against each host.

use bytes::Bytes;
use serde::Serialize;

use crate::dryrun::{self, Method};
use crate::error::{Error, Result};
use crate::model::go_json;
use crate::operations::Operation;

/// The body of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body (GETs, and writes that carry none).
    Empty,
    /// Compact JSON, exactly the bytes that go on the wire.
    Json(Bytes),
    /// A `multipart/form-data` form, parts in wire order.
    Multipart(Vec<Part>),
}

/// One part of a multipart form: a JSON field (no content type, as the CLI sends `data_json`)
/// or a file (with a file name and `application/octet-stream`).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Part {
    /// A JSON field, encoded as Go's `encoding/json` writes it.
    pub fn json<T: Serialize + ?Sized>(name: impl Into<String>, value: &T) -> Result<Part> {
        Ok(Part::field(name, go_json::to_string(value)?))
    }

    /// A text field (no file name, no content type), such as an already encoded `data_json`.
    pub fn field(name: impl Into<String>, text: impl Into<String>) -> Part {
        Part {
            name: name.into(),
            filename: None,
            content_type: None,
            data: Bytes::from(text.into()),
        }
    }

    /// A file part: `filename` is what the server sees, `data` the file's bytes.
    pub fn file(
        name: impl Into<String>,
        filename: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Part {
        Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some("application/octet-stream".to_string()),
            data: data.into(),
        }
    }

    /// The form field's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file name, for file parts.
    pub fn filename(&self) -> Option<&str> {
        self.filename.as_deref()
    }

    /// The part's content type, if it has one.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The part's bytes.
    pub fn data(&self) -> &Bytes {
        &self.data
    }
}

/// A request for one [`Operation`]: its path parameters (`{org}` may be left to the client's
/// configuration), query pairs and body.
///
/// ```
/// use kosli_core::client::Request;
/// use kosli_core::operations;
/// let req = Request::new(&operations::STATUS);
/// assert_eq!(req.render_path(None)?, "ready");
/// # Ok::<(), kosli_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    operation: &'static Operation,
    params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Body,
}

impl Request {
    /// A request for `operation`, without parameters or body yet.
    pub fn new(operation: &'static Operation) -> Request {
        Request {
            operation,
            params: Vec::new(),
            query: Vec::new(),
            body: Body::Empty,
        }
    }

    /// Sets the path parameter `{name}` of the operation's path template.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Request {
        let name = name.into();
        self.params.retain(|(n, _)| *n != name);
        self.params.push((name, value.into()));
        self
    }

    /// Adds a query pair (repeated keys are kept, in order; keys are sorted on the wire, as
    /// Go's `url.Values.Encode` sorts them).
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Request {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets a JSON body, encoded as Go's `encoding/json` writes it.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Request> {
        self.body = Body::Json(Bytes::from(go_json::to_string(value)?));
        Ok(self)
    }

    /// Sets a JSON body from already encoded bytes.
    pub fn json_bytes(mut self, bytes: impl Into<Bytes>) -> Request {
        self.body = Body::Json(bytes.into());
        self
    }

    /// Sets a multipart body.
    pub fn multipart(mut self, parts: Vec<Part>) -> Request {
        self.body = Body::Multipart(parts);
        self
    }

    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.operation.method
    }

    /// The body.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// The path parameters set so far.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The query pairs set so far, in the order they were added.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The path relative to the host, escaped as the CLI escapes it (no leading `/`). `{org}`
    /// comes from the request's own parameter, else from `default_org`.
    pub fn render_path(&self, default_org: Option<&str>) -> Result<String> {
        let mut out = String::new();
        for (i, segment) in self
            .operation
            .path
            .trim_start_matches('/')
            .split('/')
            .enumerate()
        {
            if i > 0 {
                out.push('/');
            }
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                None => out.push_str(segment),
                Some(name) => {
                    let value = self
                        .params
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.as_str())
                        .or(if name == "org" { default_org } else { None });
                    let value = match value {
                        Some(v) if !v.is_empty() => v,
                        _ if name == "org" => {
                            return Err(Error::config(
                                "the organization is not set: set org in code, KOSLI_ORG, or org in the config file",
                            ))
                        }
                        _ => {
                            return Err(Error::invalid_input(
                                name,
                                format!("{name} must not be empty ({} needs it)", self.operation.name),
                            ))
                        }
                    };
                    out.push_str(&escape_path_segment(value));
                }
            }
        }
        Ok(out)
    }

    /// The query string (without `?`), encoded as Go's `url.Values.Encode`; empty if none.
    pub fn render_query(&self) -> String {
        let mut pairs: Vec<&(String, String)> = self.query.iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0)); // stable: repeated keys keep their order
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", escape_query(k), escape_query(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The dry-run value of this request sent to `url`: method, URL and JSON fields.
    pub fn dry_run(&self, url: &str) -> dryrun::DryRun {
        match &self.body {
            Body::Empty => dryrun::DryRun::json_text(self.method(), url, "null"),
            Body::Json(bytes) => dryrun::DryRun::json_text(
                self.method(),
                url,
                String::from_utf8_lossy(bytes).into_owned(),
            ),
            Body::Multipart(parts) => dryrun::DryRun::multipart(
                self.method(),
                url,
                parts
                    .iter()
                    .map(|p| match &p.filename {
                        Some(f) => dryrun::MultipartField::file(p.name.clone(), f.clone()),
                        None => dryrun::MultipartField::json_text(
                            p.name.clone(),
                            String::from_utf8_lossy(&p.data).into_owned(),
                        ),
                    })
                    .collect(),
            ),
        }
    }
}

/// Escapes one path segment as Go's `url.URL.EscapedPath` does: letters, digits, `-_.~` and
/// `$&+,/:;=@` stay (so a `/` in a name is not escaped, as in the CLI); every other byte
/// becomes `%XX`.
pub fn escape_path_segment(s: &str) -> String {
    escape(
        s,
        |b| {
            matches!(
                b,
                b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'@'
            )
        },
        false,
    )
}

/// Escapes a query key or value as Go's `url.QueryEscape` does (space becomes `+`).
pub fn escape_query(s: &str) -> String {
    escape(s, |_| false, true)
}

fn escape(s: &str, also_keep: impl Fn(u8) -> bool, space_as_plus: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || also_keep(b) {
            out.push(char::from(b));
        } else if b == b' ' && space_as_plus {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::{Operation, STATUS};

    static ENV_GET: Operation = Operation::new(
        "get environment",
        Method::Get,
        "/api/v2/environments/{org}/{env}",
    );
    static SNAP: Operation = Operation::new(
        "get snapshot",
        Method::Get,
        "/api/v2/snapshots/{org}/{env}/{snappish}",
    );

    #[test]
    fn path_segments_are_escaped_like_the_cli() {
        // Observed: `--org "acme org"` -> /api/v2/environments/acme%20org.
        let r = Request::new(&ENV_GET)
            .param("org", "acme org")
            .param("env", "prod");
        assert_eq!(
            r.render_path(None).unwrap(),
            "api/v2/environments/acme%20org/prod"
        );
        // Observed (wire-2.md): E#7 -> %237, E@{...} -> @%7B...%7D, ~2 kept.
        let r = Request::new(&SNAP)
            .param("org", "acme")
            .param("env", "prod");
        assert_eq!(
            r.clone().param("snappish", "#7").render_path(None).unwrap(),
            "api/v2/snapshots/acme/prod/%237"
        );
        assert_eq!(
            r.clone()
                .param("snappish", "@{2024-06-10T12:00:00}")
                .render_path(None)
                .unwrap(),
            "api/v2/snapshots/acme/prod/@%7B2024-06-10T12:00:00%7D"
        );
        assert_eq!(
            r.param("snappish", "~2").render_path(None).unwrap(),
            "api/v2/snapshots/acme/prod/~2"
        );
    }

    #[test]
    fn org_comes_from_the_request_or_the_config() {
        let r = Request::new(&ENV_GET).param("env", "prod");
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/environments/acme/prod"
        );
        let e = r.render_path(None).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        let r = r.param("org", "mine");
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/environments/mine/prod"
        );
    }

    #[test]
    fn missing_parameters_are_named() {
        let e = Request::new(&ENV_GET)
            .render_path(Some("acme"))
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("env"), "{e}");
    }

    #[test]
    fn query_is_sorted_and_escaped_like_go() {
        let r = Request::new(&STATUS)
            .query("type", "K8S")
            .query("name", "prod env")
            .query("type", "docker")
            .query("tag", "team=core");
        assert_eq!(
            r.render_query(),
            "name=prod+env&tag=team%3Dcore&type=K8S&type=docker"
        );
    }

    #[test]
    fn dry_run_value_shows_json_and_fields() {
        let r = Request::new(&STATUS)
            .json_bytes(r#"{"name":"prod-k8s","type":"K8S","description":""}"#);
        let d = r.dry_run("http://127.0.0.1:18765/api/v2/environments/acme");
        assert!(d.to_string().contains("\"type\": \"K8S\""));
        let r = Request::new(&STATUS).multipart(vec![
            Part::field("data_json", r#"{"name":"t"}"#),
            Part::file("template_file", "template.yml", "version: 1"),
        ]);
        let d = r.dry_run("http://h/x");
        assert!(
            d.to_string()
                .ends_with("Field: data_json, Value: {\n    \"name\": \"t\"\n}\n"),
            "{d}"
        );
    }
}
