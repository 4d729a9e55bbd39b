//! What a call gives back: the server's response, and for writes an [`Outcome`].

use std::borrow::Cow;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::dryrun::DryRun;
use crate::error::{Error, Result};

/// A successful answer (200 or 201) from one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    host: String,
    status: u16,
    body: Bytes,
    headers: reqwest::header::HeaderMap,
}

impl Response {
    /// A response, as the transport builds it.
    pub(crate) fn new(host: String, status: u16, body: Bytes) -> Response {
        Response {
            host,
            status,
            body,
            headers: reqwest::header::HeaderMap::new(),
        }
    }

    /// The same response with the answer's headers (providers page with them).
    pub(crate) fn with_headers(mut self, headers: reqwest::header::HeaderMap) -> Response {
        self.headers = headers;
        self
    }

    /// The first value of the answer's header `name`, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The host that answered, as configured.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The HTTP status: 200 (updated, or a read) or 201 (created).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the server created something (201) rather than updated it (200).
    pub fn created(&self) -> bool {
        self.status == 201
    }

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body decoded from JSON; a body that does not fit `T` is a `Parse` error naming
    /// the line and column.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::parse(
                None,
                Some(e.line() as u64),
                format!(
                    "the response from {} is not what was expected: {e}",
                    self.host
                ),
            )
        })
    }
}

/// What became of a write.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// The one host accepted it.
    Sent(Response),
    /// Dry-run: nothing was sent; this is what would have been.
    DryRun(DryRun),
    /// Recorded in the journal, to be delivered later (by a client with a journal).
    Queued {
        /// The journal record's id.
        id: String,
    },
    /// Several hosts: one result per host, the primary first. At least one succeeded (when
    /// every host fails, the write is an error); [`Outcome::failed_hosts`] names the others.
    Hosts(Vec<HostOutcome>),
}

/// The result of a write on one of several hosts. `result` is never [`Outcome::Hosts`].
#[derive(Debug)]
pub struct HostOutcome {
    /// The host, as configured.
    pub host: String,
    /// What happened there.
    pub result: Result<Outcome>,
}

impl Outcome {
    /// The hosts where the write failed (empty for a single host: its failure is an error).
    pub fn failed_hosts(&self) -> Vec<&str> {
        match self {
            Outcome::Hosts(hosts) => hosts
                .iter()
                .filter(|h| h.result.is_err())
                .map(|h| h.host.as_str())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether every host took the write (or would have, in dry-run).
    pub fn is_complete(&self) -> bool {
        self.failed_hosts().is_empty()
    }

    /// The primary host's response, if it was sent and accepted.
    pub fn response(&self) -> Option<&Response> {
        match self {
            Outcome::Sent(r) => Some(r),
            Outcome::Hosts(hosts) => hosts
                .first()
                .and_then(|h| h.result.as_ref().ok())
                .and_then(Outcome::response),
            _ => None,
        }
    }

    /// The primary host's dry-run value, if the write was not sent there because of dry-run.
    pub fn dry_run(&self) -> Option<&DryRun> {
        match self {
            Outcome::DryRun(d) => Some(d),
            Outcome::Hosts(hosts) => hosts
                .first()
                .and_then(|h| h.result.as_ref().ok())
                .and_then(Outcome::dry_run),
            _ => None,
        }
    }

    /// This outcome if every host took the write; otherwise the first failure's error.
    pub fn into_complete(self) -> Result<Outcome> {
        match self {
            Outcome::Hosts(hosts) if hosts.iter().any(|h| h.result.is_err()) => {
                let mut first = None;
                for h in hosts {
                    if let Err(e) = h.result {
                        first = Some(e);
                        break;
                    }
                }
                Err(first.unwrap_or_else(|| Error::config("no host failed")))
            }
            other => Ok(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(host: &str) -> Result<Outcome> {
        Ok(Outcome::Sent(Response::new(
            host.into(),
            201,
            Bytes::from_static(b"\"OK\""),
        )))
    }

    #[test]
    fn failed_hosts_are_named() {
        let o = Outcome::Hosts(vec![
            HostOutcome {
                host: "http://a".into(),
                result: sent("http://a"),
            },
            HostOutcome {
                host: "http://b".into(),
                result: Err(Error::Api {
                    status: 400,
                    message: "bad".into(),
                }),
            },
        ]);
        assert_eq!(o.failed_hosts(), ["http://b"]);
        assert!(!o.is_complete());
        assert_eq!(o.response().map(Response::host), Some("http://a"));
        let e = o.into_complete().unwrap_err();
        assert_eq!(e.to_string(), "bad");
    }

    #[test]
    fn response_accessors() {
        let r = Response::new("h".into(), 201, Bytes::from_static(b"{\"a\":1}"));
        assert!(r.created());
        let v: serde_json::Value = r.json().unwrap();
        assert_eq!(v["a"], 1);
        let bad = Response::new("h".into(), 200, Bytes::from_static(b"nope"));
        assert_eq!(
            bad.json::<serde_json::Value>().unwrap_err().kind(),
            crate::ErrorKind::Parse
        );
    }
}
