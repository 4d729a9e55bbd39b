//! The runtime snapshots ([`crate::snapshot::Collector`]: a Docker host, and with the `k8s`
//! feature a Kubernetes cluster) as the guard's and the loop's [`Collector`]: the same calls
//! and the same report as `kosli snapshot docker|k8s`; what runs is each image with its
//! digest, counted once per container (Docker) or per pod that runs it (Kubernetes).

use std::collections::BTreeMap;

use super::collector::{Collected, Collector};
use crate::client::clock::BoxFuture;
use crate::drift::RunningArtifact;
use crate::error::Result;
use crate::snapshot::{self, Snapshot};

/// What a runtime snapshot found running: one entry per (image, digest), with its instances.
pub fn running_of(snapshot: &Snapshot) -> Vec<RunningArtifact> {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut add = |name: &str, fingerprint: String| {
        *counts.entry((name.to_string(), fingerprint)).or_default() += 1;
    };
    match snapshot {
        Snapshot::Server(s) => {
            for a in s.artifacts() {
                add(a.name(), a.fingerprint().to_string());
            }
        }
        Snapshot::Docker(s) => {
            for a in &s.artifacts {
                add(&a.image, a.fingerprint.to_string());
            }
        }
        #[cfg(feature = "k8s")]
        Snapshot::K8s(s) => {
            for pod in &s.artifacts {
                for (image, digest) in &pod.digests {
                    add(image, digest.clone());
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|((name, fingerprint), n)| RunningArtifact::new(name, fingerprint, n))
        .collect()
}

impl Collector for snapshot::Collector {
    fn env_type(&self) -> &str {
        snapshot::Collector::env_type(self)
    }

    fn collect<'a>(&'a self, environment: &'a str) -> BoxFuture<'a, Result<Collected>> {
        Box::pin(async move {
            let snapshot = snapshot::Collector::collect(self, environment).await?;
            Ok(Collected::new(
                environment,
                running_of(&snapshot),
                snapshot.request()?,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::docker::{DockerArtifact, DockerSnapshot};
    use crate::Fingerprint;

    #[test]
    fn containers_of_one_image_are_instances_of_one_artifact() {
        let (a, b) = (Fingerprint::of_bytes(b"a"), Fingerprint::of_bytes(b"b"));
        let c = |container: &str, image: &str, fingerprint| DockerArtifact {
            container: container.into(),
            image: image.into(),
            fingerprint,
            creation_timestamp: 1,
        };
        let s = Snapshot::Docker(DockerSnapshot {
            environment: "prod".into(),
            artifacts: vec![c("w1", "web:1", a), c("w2", "web:1", a), c("x", "x:2", b)],
            skipped: Vec::new(),
        });
        assert_eq!(
            running_of(&s),
            [
                RunningArtifact::new("web:1", a, 2),
                RunningArtifact::new("x:2", b, 1)
            ]
        );
        let docker = snapshot::Collector::Docker(Default::default());
        assert_eq!(Collector::env_type(&docker), "docker");
    }
}
