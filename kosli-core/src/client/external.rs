//! Requests to services other than Kosli (GitHub, GitLab, Bitbucket, Azure DevOps, SonarQube,
//! Jira) through the client's own connection pool, proxy, TLS roots, retry rules and clock,
//! so that a provider's 5xx, 429 (`Retry-After`) and dropped connections are retried exactly as
//! Kosli's are, in virtual time in tests. The caller's credentials travel in its own header,
//! marked sensitive, never in the URL, so no log line or error message can show them.

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;

use super::{retry, transport, Client, Response};
use crate::config::Host;
use crate::error::{Error, Result};

/// One request to an external service: method, full URL, headers and body.
#[derive(Clone)]
pub struct ExternalRequest {
    method: reqwest::Method,
    url: Url,
    content_type: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Bytes>,
}

impl std::fmt::Debug for ExternalRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values may be credentials: only their names are shown.
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("ExternalRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &names)
            .finish_non_exhaustive()
    }
}

impl ExternalRequest {
    /// A `GET` of `url`.
    pub fn get(url: Url) -> ExternalRequest {
        ExternalRequest {
            method: reqwest::Method::GET,
            url,
            content_type: String::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A `POST` of a JSON body (already encoded) to `url`.
    pub fn post_json(url: Url, content_type: &str, body: impl Into<Bytes>) -> ExternalRequest {
        ExternalRequest {
            method: reqwest::Method::POST,
            url,
            content_type: content_type.to_string(),
            headers: Vec::new(),
            body: Some(body.into()),
        }
    }

    /// Adds a header; its value is marked sensitive (credentials go here).
    pub fn header(mut self, name: &'static str, value: &str) -> Result<ExternalRequest> {
        let mut v = HeaderValue::from_str(value).map_err(|_| {
            Error::invalid_input(name, format!("the {name} header value is not valid"))
        })?;
        v.set_sensitive(true);
        self.headers.push((HeaderName::from_static(name), v));
        Ok(self)
    }

    /// The URL.
    pub fn url(&self) -> &Url {
        &self.url
    }
}

impl Client {
    /// Sends `request` to an external service with this client's retry rules and clock. A
    /// credential sent over plain `http://` to another machine is refused unless the
    /// configuration allows insecure HTTP (as for Kosli hosts).
    pub async fn send_external(&self, request: &ExternalRequest) -> Result<Response> {
        let origin = request.url.origin().ascii_serialization();
        let host = Host::new(&origin, None)?;
        if request.url.scheme() == "http"
            && !request.headers.is_empty()
            && !host.is_loopback()
            && !self.config().allow_insecure_http()
        {
            return Err(Error::config(format!(
                "refusing to send credentials over plain http to {origin}: use https, or allow it explicitly (allow_insecure_http)"
            )));
        }
        let prepared = transport::Prepared {
            method: request.method.clone(),
            url: request.url.clone(),
            content_type: request.content_type.clone(),
            body: request.body.clone(),
            headers: request.headers.clone(),
        };
        retry::send_with_retries(self.http(), self.clock(), self.config(), &host, &prepared).await
    }
}
