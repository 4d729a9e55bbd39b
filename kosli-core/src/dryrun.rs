//! The dry-run value: the request a write would have sent, printed as the official CLI does.
//!
//! Every write command builds a [`DryRun`] instead of sending when dry-run is on (`--dry-run`,
//! or the API token `DRY_RUN`). Its [`Display`](std::fmt::Display) is byte-for-byte the CLI's
//! block (see the contract's wire.md §6), including the trailing newline. Two shapes exist:
//!
//! * a JSON body (`create flow`, `create environment`, `archive`, snapshots, ...):
//!   ```text
//!   ############### THIS IS A DRY-RUN  ###############
//!   the request would have been sent to: <url>
//!   this is the payload that would be sent in a real run: ␠
//!    {
//!       "name": "prod-k8s"
//!   }
//!   ```
//!   (the line ends with a space and the JSON starts with one; a request without a body
//!   prints ` null`);
//! * a multipart form (attestations, `begin trail`): one `Field: <name>, Value: <json>` line
//!   per JSON field; file parts (attachments, templates) are never shown.
//!
//! JSON is printed with Go's escaping and a 4-space indent ([`crate::model::go_json`]).
//!
//! ```
//! use kosli_core::dryrun::{DryRun, Method, MultipartField};
//! let body = serde_json::json!({"name": "tr1"});
//! let run = DryRun::multipart(
//!     Method::Post,
//!     "https://app.kosli.com/api/v2/trails/acme/flow",
//!     vec![MultipartField::json("data_json", &body)?],
//! );
//! assert!(run.to_string().ends_with("Field: data_json, Value: {\n    \"name\": \"tr1\"\n}\n"));
//! # Ok::<(), kosli_core::Error>(())
//! ```

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::error::Result;
use crate::model::go_json;

/// The first line of every dry-run block (two spaces before the last hashes, as the CLI has it).
pub const BANNER: &str = "############### THIS IS A DRY-RUN  ###############";

/// An HTTP method of a request that was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name as it goes on the wire (`POST`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of a request that was not sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A JSON body: compact JSON text as it would go on the wire (`null` for no body).
    Json(String),
    /// A `multipart/form-data` body, fields in wire order.
    Multipart(Vec<MultipartField>),
}

/// One part of a multipart form.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartField {
    /// The form field's name (`data_json`, `attachment_file`, ...).
    pub name: String,
    /// What the part holds.
    pub value: FieldValue,
}

/// The content of a multipart part.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// A JSON value as compact text; shown pretty-printed in the block.
    Json(String),
    /// A file to upload; never shown in the block (the CLI does not show attachments).
    File(PathBuf),
}

/// A request that dry-run kept from being sent: method, URL and body.
#[derive(Debug, Clone, PartialEq)]
pub struct DryRun {
    /// The HTTP method the request would have used.
    pub method: Method,
    /// The full URL, host included (`https://app.kosli.com/api/v2/...`).
    pub url: String,
    /// The body.
    pub body: Body,
}

impl MultipartField {
    /// A JSON field, serialized with Go's rules ([`go_json::to_string`]).
    pub fn json<T: Serialize + ?Sized>(name: impl Into<String>, value: &T) -> Result<Self> {
        Ok(Self::json_text(name, go_json::to_string(value)?))
    }

    /// A JSON field from text that is already encoded (for example a request body's bytes).
    pub fn json_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        MultipartField {
            name: name.into(),
            value: FieldValue::Json(text.into()),
        }
    }

    /// A file part (an attachment or a template); dry-run does not show it.
    pub fn file(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        MultipartField {
            name: name.into(),
            value: FieldValue::File(path.into()),
        }
    }
}

impl DryRun {
    /// A request with a JSON body, serialized with Go's rules. Pass `&()` or
    /// `&serde_json::Value::Null` for a request without a body (shown as ` null`).
    pub fn json<T: Serialize + ?Sized>(
        method: Method,
        url: impl Into<String>,
        body: &T,
    ) -> Result<Self> {
        Ok(Self::json_text(method, url, go_json::to_string(body)?))
    }

    /// A request with a JSON body that is already encoded as text.
    pub fn json_text(method: Method, url: impl Into<String>, text: impl Into<String>) -> Self {
        DryRun {
            method,
            url: url.into(),
            body: Body::Json(text.into()),
        }
    }

    /// A request with a multipart body.
    pub fn multipart(method: Method, url: impl Into<String>, fields: Vec<MultipartField>) -> Self {
        DryRun {
            method,
            url: url.into(),
            body: Body::Multipart(fields),
        }
    }

    /// The compact JSON text of the field `name` of a multipart body, or of a JSON body when
    /// `name` is `None`.
    pub fn json_field(&self, name: Option<&str>) -> Option<&str> {
        match (&self.body, name) {
            (Body::Json(text), None) => Some(text),
            (Body::Multipart(fields), Some(name)) => fields
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| match &f.value {
                    FieldValue::Json(text) => Some(text.as_str()),
                    FieldValue::File(_) => None,
                }),
            _ => None,
        }
    }
}

impl fmt::Display for DryRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{BANNER}")?;
        writeln!(f, "the request would have been sent to: {}", self.url)?;
        match &self.body {
            Body::Json(text) => {
                writeln!(f, "this is the payload that would be sent in a real run: ")?;
                writeln!(f, " {}", go_json::indent(text, "", "    "))
            }
            Body::Multipart(fields) => {
                writeln!(f, "this is the payload that would be sent in a real run:")?;
                for field in fields {
                    if let FieldValue::Json(text) = &field.value {
                        writeln!(
                            f,
                            "Field: {}, Value: {}",
                            field.name,
                            go_json::indent(text, "", "    ")
                        )?;
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // The expected texts below are the official CLI v2.43.1's stdout, byte for byte.

    #[test]
    fn json_body_matches_cli_create_environment() {
        // The CLI's struct order is name, type, description (a `serde_json::Value` would sort
        // the keys), so build from the encoded text as a client would.
        let run = DryRun::json_text(
            Method::Put,
            "http://127.0.0.1:18765/api/v2/environments/acme",
            r#"{"name":"prod-k8s","type":"K8S","description":""}"#,
        );
        let want = "############### THIS IS A DRY-RUN  ###############\n\
the request would have been sent to: http://127.0.0.1:18765/api/v2/environments/acme\n\
this is the payload that would be sent in a real run: \n \
{\n    \"name\": \"prod-k8s\",\n    \"type\": \"K8S\",\n    \"description\": \"\"\n}\n";
        assert_eq!(run.to_string(), want);
    }

    #[test]
    fn no_body_prints_null() {
        let run = DryRun::json(
            Method::Put,
            "http://h.example/api/v2/flows/o/f/archive",
            &(),
        )
        .unwrap();
        assert!(
            run.to_string().ends_with("in a real run: \n null\n"),
            "{run}"
        );
    }

    #[test]
    fn multipart_matches_cli_attest_generic() {
        #[derive(Serialize)]
        struct Payload {
            attestation_name: &'static str,
            user_data: serde_json::Value,
            annotations: serde_json::Value,
            is_compliant: bool,
        }
        let payload = Payload {
            attestation_name: "n<&>é",
            user_data: json!({}),
            annotations: json!({"k": "v<x>"}),
            is_compliant: true,
        };
        let run = DryRun::multipart(
            Method::Post,
            "http://h.example/api/v2/attestations/o/f/trail/tr/generic",
            vec![
                MultipartField::json("data_json", &payload).unwrap(),
                MultipartField::file("attachment_file", "att.txt"),
            ],
        );
        let want = "############### THIS IS A DRY-RUN  ###############
the request would have been sent to: http://h.example/api/v2/attestations/o/f/trail/tr/generic
this is the payload that would be sent in a real run:
Field: data_json, Value: {
    \"attestation_name\": \"n\\u003c\\u0026\\u003eé\",
    \"user_data\": {},
    \"annotations\": {
        \"k\": \"v\\u003cx\\u003e\"
    },
    \"is_compliant\": true
}
";
        assert_eq!(run.to_string(), want);
        assert_eq!(
            run.json_field(Some("data_json")),
            Some(
                r#"{"attestation_name":"n\u003c\u0026\u003eé","user_data":{},"annotations":{"k":"v\u003cx\u003e"},"is_compliant":true}"#
            )
        );
        assert_eq!(run.json_field(Some("attachment_file")), None);
        assert_eq!(run.json_field(None), None);
    }

    #[test]
    fn multipart_matches_cli_begin_trail() {
        let run = DryRun::multipart(
            Method::Put,
            "http://h.example/api/v2/trails/o/f",
            vec![
                MultipartField::json("data_json", &json!({"name": "tr1"})).unwrap(),
                MultipartField::file("template_file", "tpl.yml"),
            ],
        );
        let want = "############### THIS IS A DRY-RUN  ###############\n\
the request would have been sent to: http://h.example/api/v2/trails/o/f\n\
this is the payload that would be sent in a real run:\n\
Field: data_json, Value: {\n    \"name\": \"tr1\"\n}\n";
        assert_eq!(run.to_string(), want);
        assert_eq!(run.method.as_str(), "PUT");
    }
}
