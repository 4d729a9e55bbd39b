//! Drift: how what runs in an environment changed between two snapshots, computed locally.
//!
//! [`diff`] compares two lists of [`RunningArtifact`]s (from two snapshots read from Kosli,
//! two collections of a [`crate::deploy::Collector`], or one of each) and yields typed
//! [`DriftEvent`]s: an artifact added, removed, changed (the same name now with another
//! fingerprint: a new version) or scaled (the same artifact with another number of
//! instances). Both sides are keyed by name and fingerprint, so the result does not depend on
//! the order either list came in.
//!
//! ```
//! use kosli_core::drift::{diff, DriftEvent, RunningArtifact};
//! let before = [RunningArtifact::new("api", "a".repeat(64), 2)];
//! let after = [RunningArtifact::new("api", "b".repeat(64), 2)];
//! let drift = diff(&before, &after);
//! assert!(matches!(drift.events()[0], DriftEvent::Changed { .. }));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One artifact running in an environment: its name, fingerprint and number of instances.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RunningArtifact {
    /// The name it runs under (an image, a path, ...).
    pub name: String,
    /// Its fingerprint (SHA-256, hex).
    pub fingerprint: String,
    /// How many instances run.
    pub instances: u64,
}

impl RunningArtifact {
    /// An artifact `name` with `fingerprint`, running `instances` times.
    pub fn new(name: impl Into<String>, fingerprint: impl ToString, instances: u64) -> Self {
        RunningArtifact {
            name: name.into(),
            fingerprint: fingerprint.to_string(),
            instances,
        }
    }
}

/// One change between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DriftEvent {
    /// Runs now and did not before (under this name or fingerprint).
    Added {
        /// What runs.
        artifact: RunningArtifact,
    },
    /// Ran before and does not now.
    Removed {
        /// What ran.
        artifact: RunningArtifact,
    },
    /// The same name runs with another fingerprint (a new version, or something not built).
    Changed {
        /// The name.
        name: String,
        /// The fingerprint before.
        from_fingerprint: String,
        /// The fingerprint now.
        to_fingerprint: String,
        /// Instances before.
        from_instances: u64,
        /// Instances now.
        to_instances: u64,
    },
    /// The same artifact runs with another number of instances.
    Scaled {
        /// The name.
        name: String,
        /// The fingerprint.
        fingerprint: String,
        /// Instances before.
        from_instances: u64,
        /// Instances now.
        to_instances: u64,
    },
}

impl DriftEvent {
    /// The artifact's name.
    pub fn name(&self) -> &str {
        match self {
            DriftEvent::Added { artifact } | DriftEvent::Removed { artifact } => &artifact.name,
            DriftEvent::Changed { name, .. } | DriftEvent::Scaled { name, .. } => name,
        }
    }
}

impl fmt::Display for DriftEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DriftEvent::Added { artifact: a } => write!(
                f,
                "{} (sha256:{}) started running ({} instance(s))",
                a.name, a.fingerprint, a.instances
            ),
            DriftEvent::Removed { artifact: a } => write!(
                f,
                "{} (sha256:{}) stopped running (was {} instance(s))",
                a.name, a.fingerprint, a.instances
            ),
            DriftEvent::Changed {
                name,
                from_fingerprint,
                to_fingerprint,
                ..
            } => write!(
                f,
                "{name} changed from sha256:{from_fingerprint} to sha256:{to_fingerprint}"
            ),
            DriftEvent::Scaled {
                name,
                from_instances,
                to_instances,
                ..
            } => write!(f, "{name} scaled from {from_instances} to {to_instances}"),
        }
    }
}

/// The changes between two snapshots, and what stayed the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Drift {
    /// The changes, by name (then added, removed, changed, scaled).
    pub events: Vec<DriftEvent>,
    /// What runs as before, by name.
    pub unchanged: Vec<RunningArtifact>,
}

impl Drift {
    /// The changes.
    pub fn events(&self) -> &[DriftEvent] {
        &self.events
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The artifacts added.
    pub fn added(&self) -> impl Iterator<Item = &RunningArtifact> {
        self.events.iter().filter_map(|e| match e {
            DriftEvent::Added { artifact } => Some(artifact),
            _ => None,
        })
    }

    /// The artifacts removed.
    pub fn removed(&self) -> impl Iterator<Item = &RunningArtifact> {
        self.events.iter().filter_map(|e| match e {
            DriftEvent::Removed { artifact } => Some(artifact),
            _ => None,
        })
    }

    /// The changes of fingerprint under one name.
    pub fn changed(&self) -> impl Iterator<Item = &DriftEvent> {
        self.events
            .iter()
            .filter(|e| matches!(e, DriftEvent::Changed { .. }))
    }
}

/// Instances by (name, fingerprint), duplicates summed.
fn tally(list: &[RunningArtifact]) -> BTreeMap<(&str, &str), u64> {
    let mut m = BTreeMap::new();
    for a in list {
        *m.entry((a.name.as_str(), a.fingerprint.as_str()))
            .or_insert(0) += a.instances;
    }
    m
}

/// The drift from `before` to `after`.
pub fn diff(before: &[RunningArtifact], after: &[RunningArtifact]) -> Drift {
    let mut old = tally(before);
    let mut new = tally(after);
    let mut events = Vec::new();
    let mut unchanged = Vec::new();
    // The same artifact on both sides: unchanged or scaled.
    let both: Vec<(&str, &str)> = old
        .keys()
        .filter(|k| new.contains_key(*k))
        .copied()
        .collect();
    for key in both {
        let (was, now) = (old.remove(&key).unwrap_or(0), new.remove(&key).unwrap_or(0));
        let (name, fp) = key;
        if was == now {
            unchanged.push(RunningArtifact::new(name, fp, now));
        } else {
            events.push(DriftEvent::Scaled {
                name: name.to_string(),
                fingerprint: fp.to_string(),
                from_instances: was,
                to_instances: now,
            });
        }
    }
    // What is left pairs up by name (in fingerprint order): a change of version.
    let mut new_left: Vec<((&str, &str), u64)> = new.into_iter().collect();
    for ((name, fp), was) in old {
        match new_left.iter().position(|((n, _), _)| *n == name) {
            Some(i) => {
                let ((_, to_fp), now) = new_left.remove(i);
                events.push(DriftEvent::Changed {
                    name: name.to_string(),
                    from_fingerprint: fp.to_string(),
                    to_fingerprint: to_fp.to_string(),
                    from_instances: was,
                    to_instances: now,
                });
            }
            None => events.push(DriftEvent::Removed {
                artifact: RunningArtifact::new(name, fp, was),
            }),
        }
    }
    for ((name, fp), now) in new_left {
        events.push(DriftEvent::Added {
            artifact: RunningArtifact::new(name, fp, now),
        });
    }
    let rank = |e: &DriftEvent| match e {
        DriftEvent::Added { .. } => 0,
        DriftEvent::Removed { .. } => 1,
        DriftEvent::Changed { .. } => 2,
        DriftEvent::Scaled { .. } => 3,
    };
    events.sort_by(|a, b| a.name().cmp(b.name()).then(rank(a).cmp(&rank(b))));
    Drift { events, unchanged }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ra(name: &str, fp: &str, n: u64) -> RunningArtifact {
        RunningArtifact::new(name, fp, n)
    }

    #[test]
    fn added_removed_changed_scaled_and_unchanged() {
        let before = [
            ra("api", "a1", 2),
            ra("web", "w1", 1),
            ra("db", "d1", 1),
            ra("old", "o1", 1),
        ];
        let after = [
            ra("web", "w1", 3),
            ra("api", "a2", 2),
            ra("db", "d1", 1),
            ra("new", "n1", 1),
        ];
        let d = diff(&before, &after);
        assert_eq!(
            d.events(),
            [
                DriftEvent::Changed {
                    name: "api".into(),
                    from_fingerprint: "a1".into(),
                    to_fingerprint: "a2".into(),
                    from_instances: 2,
                    to_instances: 2
                },
                DriftEvent::Added {
                    artifact: ra("new", "n1", 1)
                },
                DriftEvent::Removed {
                    artifact: ra("old", "o1", 1)
                },
                DriftEvent::Scaled {
                    name: "web".into(),
                    fingerprint: "w1".into(),
                    from_instances: 1,
                    to_instances: 3
                },
            ]
        );
        assert_eq!(d.unchanged, [ra("db", "d1", 1)]);
        assert_eq!(d.added().count(), 1);
        assert_eq!(d.removed().count(), 1);
        assert_eq!(d.changed().count(), 1);
        assert_eq!(d.events()[3].to_string(), "web scaled from 1 to 3");
    }

    #[test]
    fn order_and_duplicates_do_not_matter() {
        let a = [ra("x", "1", 1), ra("y", "2", 1), ra("x", "1", 1)];
        let b = [ra("y", "2", 1), ra("x", "1", 2)];
        let d = diff(&a, &b);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(d.unchanged.len(), 2);
        assert!(diff(&[], &[]).is_empty());
        // A rolling update: two versions of one name at once, then one.
        let during = [ra("api", "v1", 1), ra("api", "v2", 1)];
        let done = [ra("api", "v2", 2)];
        let d = diff(&during, &done);
        assert_eq!(d.events().len(), 2, "{d:?}");
        assert!(d.removed().any(|r| r.fingerprint == "v1"));
    }

    #[test]
    fn events_serialize_with_their_kind() {
        let e = DriftEvent::Added {
            artifact: ra("x", "1", 1),
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"kind":"added","artifact":{"name":"x","fingerprint":"1","instances":1}}"#
        );
    }
}
