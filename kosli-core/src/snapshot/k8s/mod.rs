//! `kosli snapshot k8s`: the pods running in a Kubernetes cluster (wire-2.md §2), behind the
//! `k8s` feature.
//!
//! The same API calls as the CLI: `GET /api/v1/pods` for the whole cluster; `GET
//! /api/v1/namespaces/{ns}/pods` per listed namespace (concurrently); `GET /api/v1/namespaces`
//! first for any other filter. No query parameters (the CLI never pages). Each Running pod (or
//! Failed pod with usable image IDs) is one entry: its name, namespace, `{image: last 64 chars
//! of imageID}` of its containers (not init containers), creation time and owner references.
//! One difference: we ask for `application/json` only (the CLI also accepts protobuf, which we
//! would not decode).
//!
//! # Why a small client and not `kube` + `k8s-openapi`
//! The CLI only lists pods and namespaces. `kube` (client, config, rustls) with `k8s-openapi`
//! is the general answer, but it costs a lot to build for three GETs: a scratch crate with kube
//! 5.0 (client, config, rustls-tls) + k8s-openapi 0.29 + tokio took 6 min 15 s from nothing
//! (`nice cargo build -j 2`, debug, on this shared 2-core machine; 119 crates compiled, 0.9 GB
//! peak memory); kube 5 also needs Rust 1.89,
//! newer than our `rust-version` (1.88). This module is a few hundred lines over the transport
//! the SDK already
//! has (reqwest, rustls, serde_yaml_ng for the kubeconfig): it adds one crate (`regex`, for the
//! namespace filters, already in the tree) and no other crate. It reads the kubeconfig's current context
//! (CA file or data, client certificate, token, token file, basic auth, `exec` plugins) and the
//! in-cluster service account; it does not do `auth-provider` users or
//! `insecure-skip-tls-verify` (both refused with a clear error).

mod kubeconfig;
mod selector;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use selector::{K8sEnvironment, K8sEnvironments, NamespaceSelector};

use crate::client::Request;
use crate::error::{Error, Result};
use crate::operations;

/// How to reach the cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct K8sOptions {
    /// The kubeconfig file; `None`: `$HOME/.kube/config` if it exists, else in-cluster.
    /// `$KUBECONFIG` is not read: the CLI v2.43.1 ignores it (observed), and so do we.
    #[serde(default)]
    pub kubeconfig: Option<PathBuf>,
    /// Which namespaces (every one by default).
    #[serde(default, flatten)]
    pub selector: NamespaceSelector,
}

/// An owner of a pod (`metadata.ownerReferences[]`), in the API's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    /// `apps/v1`, ...
    pub api_version: String,
    /// `ReplicaSet`, `StatefulSet`, ...
    pub kind: String,
    /// The owner's name.
    pub name: String,
    /// The owner's uid.
    pub uid: String,
    /// Whether it is the managing controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    /// Whether the owner cannot be deleted before this pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
}

/// One running pod, as reported (this is the wire shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodArtifact {
    /// The pod's name.
    #[serde(rename = "podName")]
    pub pod_name: String,
    /// Its namespace.
    pub namespace: String,
    /// Image (as the container status names it) → the sha256 of its image ID.
    pub digests: BTreeMap<String, String>,
    /// When the pod was created (Unix seconds).
    #[serde(rename = "creationTimestamp")]
    pub creation_timestamp: i64,
    /// Its owner references (`null` when it has none).
    pub owners: Option<Vec<OwnerReference>>,
}

/// A pod left out because none of its containers has a usable image ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedPod {
    /// The pod's name.
    pub pod_name: String,
    /// Its namespace.
    pub namespace: String,
    /// Its phase (`Running`, `Failed`).
    pub phase: String,
    /// Per container: `name (why)`.
    pub containers: Vec<String>,
}

impl SkippedPod {
    /// The CLI's warning (without `[warning] `).
    pub fn message(&self) -> String {
        format!(
            "skipping {} pod {} in namespace {} as none of its containers has a usable image ID: {}",
            self.phase,
            self.pod_name,
            self.namespace,
            self.containers.join(", ")
        )
    }
}

/// What runs in a cluster (or some of its namespaces): the report of one environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct K8sSnapshot {
    /// The environment it is reported to.
    pub environment: String,
    /// The namespaces scanned; `None`: the whole cluster in one list.
    pub namespaces: Option<Vec<String>>,
    /// The pods reported, namespace by namespace in `namespaces` order, each in list order.
    pub artifacts: Vec<PodArtifact>,
    /// Pods left out, with why.
    pub skipped: Vec<SkippedPod>,
}

#[derive(Serialize)]
struct Payload<'a> {
    artifacts: &'a [PodArtifact],
}

impl K8sSnapshot {
    /// The report's request: `PUT .../report/K8S`, `{"artifacts":[{podName, namespace,
    /// digests, creationTimestamp, owners}]}`.
    pub fn request(&self) -> Result<Request> {
        super::check_environment(&self.environment)?;
        Request::new(&operations::SNAPSHOT_K8S)
            .param("env", &self.environment)
            .json(&Payload {
                artifacts: &self.artifacts,
            })
    }
}

/// A connection to one cluster, reused for several snapshots (the config file's environments).
#[derive(Debug, Clone)]
pub struct K8sCluster {
    conn: kubeconfig::Connection,
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct List<T> {
    #[serde(default)]
    items: Vec<T>,
}

#[derive(Deserialize)]
struct NamespaceItem {
    metadata: Meta,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    creation_timestamp: Option<String>,
    #[serde(default)]
    owner_references: Option<Vec<OwnerReference>>,
}

#[derive(Deserialize)]
struct Pod {
    metadata: Meta,
    #[serde(default)]
    status: Option<PodStatus>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PodStatus {
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    container_statuses: Option<Vec<ContainerStatus>>,
}

#[derive(Deserialize)]
struct ContainerStatus {
    #[serde(default)]
    name: String,
    #[serde(default)]
    image: String,
    #[serde(rename = "imageID", default)]
    image_id: String,
}

impl K8sCluster {
    /// Connects (reads the credentials; nothing is asked of the server yet).
    pub fn connect(kubeconfig: Option<&std::path::Path>) -> Result<Self> {
        Ok(K8sCluster {
            conn: kubeconfig::connect(kubeconfig, Duration::from_secs(60))?,
        })
    }

    /// The API server's URL.
    pub fn server(&self) -> &str {
        &self.conn.server
    }

    /// The snapshot of the namespaces `selector` picks, for `environment`.
    pub async fn snapshot(
        &self,
        environment: impl Into<String>,
        selector: &NamespaceSelector,
    ) -> Result<K8sSnapshot> {
        let mut snapshot = K8sSnapshot {
            environment: environment.into(),
            namespaces: None,
            artifacts: Vec::new(),
            skipped: Vec::new(),
        };
        let pods: Vec<Pod> = if selector.is_all() {
            self.get::<List<Pod>>("/api/v1/pods", "could not list pods on cluster scope")
                .await?
                .items
        } else {
            let namespaces = if selector.lists_namespaces() {
                let all: List<NamespaceItem> = self
                    .get("/api/v1/namespaces", "could not list namespaces")
                    .await?;
                let names: Vec<String> = all.items.into_iter().map(|n| n.metadata.name).collect();
                // As the CLI: a bad regex is found only once the namespaces are listed.
                selector.compile_filter()?.filter(&names)
            } else {
                selector.namespaces.clone()
            };
            let mut tasks = tokio::task::JoinSet::new();
            for (i, ns) in namespaces.iter().enumerate() {
                let me = self.clone();
                let ns = ns.clone();
                tasks.spawn(async move {
                    let context = format!("could not list pods in namespace {ns}");
                    let list = me
                        .get::<List<Pod>>(&format!("/api/v1/namespaces/{ns}/pods"), &context)
                        .await;
                    (i, list)
                });
            }
            let mut lists: Vec<(usize, Vec<Pod>)> = Vec::new();
            while let Some(done) = tasks.join_next().await {
                let (i, list) = done.map_err(|e| Error::config(format!("listing pods: {e}")))?;
                lists.push((i, list?.items));
            }
            lists.sort_by_key(|(i, _)| *i);
            snapshot.namespaces = Some(namespaces);
            lists.into_iter().flat_map(|(_, pods)| pods).collect()
        };
        for pod in pods {
            match artifact(pod) {
                Some(Ok(a)) => snapshot.artifacts.push(a),
                Some(Err(skipped)) => {
                    tracing::warn!("{}", skipped.message());
                    snapshot.skipped.push(skipped);
                }
                None => {}
            }
        }
        Ok(snapshot)
    }

    /// [`snapshot`](Self::snapshot) on the SDK's shared runtime (for callers without one).
    pub fn snapshot_blocking(
        &self,
        environment: impl Into<String>,
        selector: &NamespaceSelector,
    ) -> Result<K8sSnapshot> {
        crate::fingerprint::image::block_on(self.snapshot(environment, selector))
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str, context: &str) -> Result<T> {
        let url = format!("{}{path}", self.conn.server);
        let mut request = self
            .conn
            .http
            .get(&url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(a) = &self.conn.authorization {
            request = request.header(reqwest::header::AUTHORIZATION, a.clone());
        }
        let answer = request.send().await.map_err(|e| Error::Network {
            message: format!(
                "{context}: Get \"{url}\": {}",
                crate::fingerprint::image::transport::describe(&e)
            ),
            source: None,
        })?;
        let status = answer.status().as_u16();
        let body = answer.bytes().await.map_err(|e| Error::Network {
            message: format!("{context}: {e}"),
            source: None,
        })?;
        if status != 200 {
            // The API's Status object says why; the CLI prints its message and a space.
            let why = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("message")?.as_str().map(str::to_string))
                .unwrap_or_else(|| format!("the server answered {status}"));
            let message = format!("{context}: {why} ");
            return Err(match status {
                401 | 403 => Error::Auth { status, message },
                404 => Error::NotFound { message },
                _ => Error::Api { status, message },
            });
        }
        serde_json::from_slice(&body).map_err(|e| {
            Error::parse(
                None,
                Some(e.line() as u64),
                format!("{context}: the answer to GET {path}: {e}"),
            )
        })
    }
}

/// The pod's report entry; `None` for pods not running; `Some(Err)` for a running pod whose
/// containers have no usable image ID.
fn artifact(pod: Pod) -> Option<std::result::Result<PodArtifact, SkippedPod>> {
    let status = pod.status?;
    let phase = status.phase.unwrap_or_default();
    if phase != "Running" && phase != "Failed" {
        return None;
    }
    let namespace = pod.metadata.namespace.unwrap_or_default();
    let mut digests = BTreeMap::new();
    let mut unusable = Vec::new();
    for c in status.container_statuses.unwrap_or_default() {
        if c.image_id.is_empty() {
            unusable.push(format!("{} (empty image ID)", c.name));
        } else if c.image_id.len() < 64 || !c.image_id.is_char_boundary(c.image_id.len() - 64) {
            unusable.push(format!("{} (image ID too short)", c.name));
        } else {
            digests.insert(c.image, c.image_id[c.image_id.len() - 64..].to_string());
        }
    }
    if digests.is_empty() {
        if unusable.is_empty() {
            // A Failed pod that never started a container: nothing to say (as the CLI).
            return None;
        }
        return Some(Err(SkippedPod {
            pod_name: pod.metadata.name,
            namespace,
            phase,
            containers: unusable,
        }));
    }
    let created = pod
        .metadata
        .creation_timestamp
        .as_deref()
        .and_then(rfc3339_seconds)
        .unwrap_or(0);
    Some(Ok(PodArtifact {
        pod_name: pod.metadata.name,
        namespace,
        digests,
        creation_timestamp: created,
        owners: pod.metadata.owner_references,
    }))
}

/// `2024-06-10T12:00:00Z` (or with `+hh:mm` / fractional seconds) as Unix seconds.
fn rfc3339_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || (b[10] != b'T' && b[10] != b't') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let end = frac
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(frac.len());
        rest = &frac[end..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        tz if tz.len() == 6 => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            sign * (tz.get(1..3)?.parse::<i64>().ok()? * 3600
                + tz.get(4..6)?.parse::<i64>().ok()? * 60)
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    Some(days * 86400 + h * 3600 + mi * 60 + se - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_seconds("2024-06-01T00:00:00Z"), Some(1717200000));
        assert_eq!(
            rfc3339_seconds("2024-06-01T02:00:00.5+02:00"),
            Some(1717200000)
        );
        assert_eq!(rfc3339_seconds("nope"), None);
    }

    #[test]
    fn pods_become_entries_as_the_cli_makes_them() {
        let pod: Pod = serde_json::from_str(r#"{"metadata":{"name":"web","namespace":"prod","creationTimestamp":"2024-06-10T06:00:00Z"},
          "status":{"phase":"Running","initContainerStatuses":[{"name":"i","image":"init:1","imageID":"sha256:1111111111111111111111111111111111111111111111111111111111111111"}],
          "containerStatuses":[{"name":"a","image":"nginx:1.25","imageID":"docker-pullable://nginx@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
                               {"name":"b","image":"nginx:1.25","imageID":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]}}"#).unwrap();
        let a = artifact(pod).unwrap().unwrap();
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"podName":"web","namespace":"prod","digests":{"nginx:1.25":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"creationTimestamp":1717999200,"owners":null}"#
        );
        let pending: Pod =
            serde_json::from_str(r#"{"metadata":{"name":"p"},"status":{"phase":"Pending"}}"#)
                .unwrap();
        assert!(artifact(pending).is_none());
        let starting: Pod = serde_json::from_str(r#"{"metadata":{"name":"starting-1","namespace":"staging"},"status":{"phase":"Running","containerStatuses":[{"name":"s","image":"x","imageID":""}]}}"#).unwrap();
        assert_eq!(
            artifact(starting).unwrap().unwrap_err().message(),
            "skipping Running pod starting-1 in namespace staging as none of its containers has a usable image ID: s (empty image ID)"
        );
    }
}
