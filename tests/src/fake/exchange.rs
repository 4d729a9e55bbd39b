//! One API request as the fake sees it, and its answer.

use bytes::Bytes;
use serde_json::{json, Value};

use super::multipart::{self, FormPart};

/// A request to the fake API, body read, path split and decoded.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The request target as sent: the path and query, or the absolute URL a client sends
    /// through a proxy (`http://kosli.invalid/api/v2/...`).
    pub target: String,
    /// The path as sent (`/api/v2/flows/acme%20org`).
    pub path: String,
    /// The path's segments, percent-decoded.
    pub segments: Vec<String>,
    /// Query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Header pairs, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl ApiRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of query key `key`.
    pub fn query_one(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of query key `key`.
    pub fn query_all(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The JSON body, or a 400 answer saying why it is not one.
    pub fn json(&self) -> Result<Value, Answer> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Answer::json(
                400,
                json!({"message": format!("Failed to decode JSON object: {e}")}),
            )
        })
    }

    /// The multipart parts, or a 400 answer.
    pub fn form(&self) -> Result<Vec<FormPart>, Answer> {
        let ct = self.header("content-type").unwrap_or_default();
        multipart::parse(&self.body, ct).ok_or_else(|| {
            Answer::json(
                400,
                json!({"message": "The request must be multipart/form-data"}),
            )
        })
    }

    /// The `data_json` part of a multipart body, decoded, or a 400 answer.
    pub fn data_json(&self) -> Result<(Value, Vec<FormPart>), Answer> {
        let parts = self.form()?;
        let data = parts
            .iter()
            .find(|p| p.name == "data_json")
            .ok_or_else(|| Answer::json(400, json!({"message": "Missing data_json"})))?;
        let value = serde_json::from_slice(&data.data).map_err(|e| {
            Answer::json(
                400,
                json!({"message": format!("Failed to decode JSON object: {e}")}),
            )
        })?;
        Ok((value, parts))
    }
}

/// The fake's answer to a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Bytes,
    /// The body's content type.
    pub content_type: String,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: Value) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Bytes::from(body.to_string()),
            content_type: "application/json".to_string(),
        }
    }

    /// A raw answer (for example an HTML error page).
    pub fn raw(status: u16, body: impl Into<Bytes>, content_type: &str) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
            content_type: content_type.into(),
        }
    }

    /// `201 "OK"` for something created, `200 "OK"` for something updated.
    pub fn written(created: bool) -> Answer {
        Answer::json(if created { 201 } else { 200 }, json!("OK"))
    }

    /// A 404 with Kosli's message shape.
    pub fn not_found(message: String) -> Answer {
        Answer::json(404, json!({ "message": message }))
    }

    /// A 400 with Kosli's validation shape (`message` and `errors`).
    pub fn invalid(field: &str, error: String) -> Answer {
        Answer::json(
            400,
            json!({"message": "Input payload validation failed", "errors": { field: error }}),
        )
    }
}
