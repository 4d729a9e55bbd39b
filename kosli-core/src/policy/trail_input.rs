//! The input `kosli evaluate trail(s)` gives a Rego policy, fetched as the CLI fetches it
//! (wire-2.md §4): the trail (`GET /api/v2/trails/{org}/{flow}/{trail}`), then, for every
//! attestation status with an `attestation_id` (trail level first, then each artifact's), its
//! details (`GET /api/v2/attestations/{org}?attestation_id=<id>`, `data[0]`) merged into the
//! status entry; the status arrays become maps keyed by `attestation_name`. `--attestations`
//! names (plain: trail level, `artifact.name`: artifact level) filter before the detail reads.
//! One trail gives `{"trail": ...}`, several `{"trails": [...]}`.
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::policy::trail_input::AttestationFilter;
//! let input = client.trail_policy_input("demo-flow", "release-42", &AttestationFilter::all()).await?;
//! assert!(input["trail"]["compliance_status"]["attestations_statuses"].is_object());
//! # Ok(())
//! # }
//! ```

use serde_json::{Map, Value};

use crate::client::{Client, Request};
use crate::error::{Error, Result};
use crate::operations;

/// Which attestations to include (`--attestations`): none given means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttestationFilter {
    trail_level: Vec<String>,
    artifact_level: Vec<(String, String)>,
}

impl AttestationFilter {
    /// Every attestation.
    pub fn all() -> Self {
        Self::default()
    }

    /// Only the named ones: `name` for a trail-level attestation, `artifact.name` for an
    /// artifact's (split at the first dot).
    pub fn names<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut f = Self::default();
        for n in names {
            let n = n.as_ref();
            if n.is_empty() {
                continue;
            }
            match n.split_once('.') {
                Some((artifact, name)) => f.artifact_level.push((artifact.into(), name.into())),
                None => f.trail_level.push(n.into()),
            }
        }
        f
    }

    /// Whether every attestation is kept.
    pub fn is_all(&self) -> bool {
        self.trail_level.is_empty() && self.artifact_level.is_empty()
    }

    fn keeps(&self, artifact: Option<&str>, name: &str) -> bool {
        if self.is_all() {
            return true;
        }
        match artifact {
            None => self.trail_level.iter().any(|n| n == name),
            Some(a) => self.artifact_level.iter().any(|(x, n)| x == a && n == name),
        }
    }
}

/// `kosli get trail`'s request (also the first read of `evaluate trail`).
pub fn get_trail_request(flow: &str, trail: &str) -> Request {
    Request::new(&operations::GET_TRAIL)
        .param("flow", flow)
        .param("trail", trail)
}

/// The read of one attestation's details by id.
pub fn get_attestation_request(id: &str) -> Request {
    Request::new(&operations::GET_ATTESTATION).query("attestation_id", id)
}

/// A status array filtered, its ids (in order), and where each goes.
fn take_statuses(list: &Value, artifact: Option<&str>, filter: &AttestationFilter) -> Vec<Value> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter(|s| {
                    filter.keeps(artifact, s["attestation_name"].as_str().unwrap_or_default())
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// Statuses keyed by `attestation_name` (a later duplicate wins, as in a Go map).
fn keyed(statuses: Vec<Value>) -> Value {
    let mut map = Map::new();
    for s in statuses {
        let name = s["attestation_name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        map.insert(name, s);
    }
    Value::Object(map)
}

/// Adds the details' fields the status entry does not have.
fn merge_details(status: &mut Value, details: &Value) {
    if let (Value::Object(s), Value::Object(d)) = (status, details) {
        for (k, v) in d {
            s.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

impl Client {
    /// `{"trail": <trail>}` for a Rego policy, read as `kosli evaluate trail` reads it.
    pub async fn trail_policy_input(
        &self,
        flow: &str,
        trail: &str,
        filter: &AttestationFilter,
    ) -> Result<Value> {
        Ok(serde_json::json!({ "trail": self.enriched_trail(flow, trail, filter).await? }))
    }

    /// `{"trails": [<trail>, ...]}` for a Rego policy, read as `kosli evaluate trails` reads
    /// them (one trail after the other).
    pub async fn trails_policy_input<S: AsRef<str>>(
        &self,
        flow: &str,
        trails: &[S],
        filter: &AttestationFilter,
    ) -> Result<Value> {
        let mut out = Vec::with_capacity(trails.len());
        for t in trails {
            out.push(self.enriched_trail(flow, t.as_ref(), filter).await?);
        }
        Ok(serde_json::json!({ "trails": out }))
    }

    async fn enriched_trail(
        &self,
        flow: &str,
        trail: &str,
        filter: &AttestationFilter,
    ) -> Result<Value> {
        let mut t: Value = self.read(&get_trail_request(flow, trail)).await?.json()?;
        let status = &mut t["compliance_status"];
        if !status.is_object() {
            return Ok(t);
        }
        let mut trail_level = take_statuses(&status["attestations_statuses"], None, filter);
        for s in &mut trail_level {
            self.add_details(s).await?;
        }
        status["attestations_statuses"] = keyed(trail_level);
        if let Some(artifacts) = status["artifacts_statuses"].as_object_mut() {
            for (name, artifact) in artifacts.iter_mut() {
                let mut list =
                    take_statuses(&artifact["attestations_statuses"], Some(name), filter);
                for s in &mut list {
                    self.add_details(s).await?;
                }
                if artifact.is_object() {
                    artifact["attestations_statuses"] = keyed(list);
                }
            }
        }
        Ok(t)
    }

    async fn add_details(&self, status: &mut Value) -> Result<()> {
        let Some(id) = status["attestation_id"].as_str().filter(|i| !i.is_empty()) else {
            return Ok(());
        };
        let body: Value = self.read(&get_attestation_request(id)).await?.json()?;
        if let Some(first) = body["data"].as_array().and_then(|d| d.first()) {
            merge_details(status, first);
        }
        Ok(())
    }

    /// A policy published at an `http(s)://` URL, fetched with a plain `GET` that carries no
    /// Kosli token (as the CLI fetches it). Anything but a 2xx answer is an error.
    pub async fn fetch_policy(&self, url: &str) -> Result<String> {
        let parsed = url::Url::parse(url).map_err(|e| {
            Error::invalid_input("policy", format!("invalid policy URL {url}: {e}"))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::invalid_input(
                "policy",
                format!("a policy URL must be http(s)://, got {url}"),
            ));
        }
        let response = self
            .http()
            .get(parsed)
            .send()
            .await
            .map_err(|e| Error::Network {
                message: format!("failed to fetch policy from {url}: {e}"),
                source: Some(Box::new(e)),
            })?;
        let status = response.status();
        let text = response.text().await.map_err(|e| Error::Network {
            message: format!("failed to read policy from {url}: {e}"),
            source: Some(Box::new(e)),
        })?;
        if !status.is_success() {
            return Err(Error::Api {
                status: status.as_u16(),
                message: format!(
                    "failed to fetch policy from {url}: HTTP {}",
                    status.as_u16()
                ),
            });
        }
        Ok(text)
    }
}

impl crate::blocking::Client {
    /// See [`Client::trail_policy_input`].
    pub fn trail_policy_input(
        &self,
        flow: &str,
        trail: &str,
        filter: &AttestationFilter,
    ) -> Result<Value> {
        self.run(|c| async move { c.trail_policy_input(flow, trail, filter).await })
    }

    /// See [`Client::trails_policy_input`].
    pub fn trails_policy_input<S: AsRef<str> + Sync>(
        &self,
        flow: &str,
        trails: &[S],
        filter: &AttestationFilter,
    ) -> Result<Value> {
        self.run(|c| async move { c.trails_policy_input(flow, trails, filter).await })
    }

    /// See [`Client::fetch_policy`].
    pub fn fetch_policy(&self, url: &str) -> Result<String> {
        self.run(|c| async move { c.fetch_policy(url).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_split_at_the_first_dot() {
        let f = AttestationFilter::names(["pull-request", "app.unit-tests", ""]);
        assert!(f.keeps(None, "pull-request"));
        assert!(!f.keeps(None, "jira-ticket"));
        assert!(f.keeps(Some("app"), "unit-tests"));
        assert!(!f.keeps(Some("other"), "unit-tests"));
        assert!(AttestationFilter::all().keeps(Some("x"), "y"));
        assert!(AttestationFilter::names(Vec::<String>::new()).is_all());
    }

    #[test]
    fn details_fill_in_without_overwriting_the_status() {
        let mut status =
            serde_json::json!({"attestation_name": "pull-request", "attestation_id": "a"});
        merge_details(
            &mut status,
            &serde_json::json!({"attestation_name": "pr", "pull_requests": []}),
        );
        assert_eq!(status["attestation_name"], "pull-request");
        assert_eq!(status["pull_requests"], serde_json::json!([]));
        let k = keyed(vec![serde_json::json!({"attestation_name": "x", "n": 1})]);
        assert_eq!(k["x"]["n"], 1);
        assert_eq!(
            get_attestation_request("id 1").render_query(),
            "attestation_id=id+1"
        );
    }
}
