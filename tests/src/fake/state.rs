//! The fake's in-memory data, per organization, and the rules it derives (compliance, what is
//! running where).

use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// Everything one organization holds. Entities are JSON objects in the shapes the API returns.
#[derive(Debug, Default, Clone)]
pub struct Org {
    /// Flows by name.
    pub flows: BTreeMap<String, Value>,
    /// Trails by (flow, trail).
    pub trails: BTreeMap<(String, String), Value>,
    /// Artifacts in the order they were reported.
    pub artifacts: Vec<Value>,
    /// Attestations in the order they were made.
    pub attestations: Vec<Value>,
    /// Environments by name.
    pub environments: BTreeMap<String, Value>,
    /// Snapshots by environment, oldest first (index = position + 1).
    pub snapshots: BTreeMap<String, Vec<Value>>,
    /// Allow-list entries by environment.
    pub allowlists: BTreeMap<String, Vec<Value>>,
    /// Environment policies by name.
    pub policies: BTreeMap<String, Value>,
}

/// The fake's whole state.
#[derive(Debug, Default)]
pub struct Store {
    /// Organizations by name.
    pub orgs: BTreeMap<String, Org>,
    /// Compliance decided by a seed, by fingerprint (wins over the derived one).
    pub compliance: HashMap<String, bool>,
    next_id: u64,
}

/// Seconds since the epoch, as a float (Kosli's timestamps).
pub fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl Store {
    /// The organization `name`, created empty on first use.
    pub fn org(&mut self, name: &str) -> &mut Org {
        self.orgs.entry(name.to_string()).or_default()
    }

    /// The organization `name`, if it holds anything.
    pub fn org_ref(&self, name: &str) -> Option<&Org> {
        self.orgs.get(name)
    }

    /// A new id shaped like Kosli's (a UUID).
    pub fn new_id(&mut self) -> String {
        self.next_id += 1;
        let n = self.next_id;
        format!("{:08x}-0000-4000-8000-{:012x}", n, n)
    }

    /// Whether the artifact with fingerprint `fp` in `org` is compliant: a seeded answer, else
    /// every attestation on its trail is compliant.
    pub fn artifact_compliant(&self, org: &str, artifact: &Value) -> bool {
        let fp = artifact["fingerprint"].as_str().unwrap_or_default();
        if let Some(c) = self.compliance.get(fp) {
            return *c;
        }
        let Some(o) = self.org_ref(org) else {
            return true;
        };
        let flow = artifact["flow_name"].as_str().unwrap_or_default();
        let trail = artifact["trail_name"].as_str().unwrap_or_default();
        trail_attestations(o, flow, trail).all(|a| a["is_compliant"].as_bool().unwrap_or(true))
    }

    /// Empties everything.
    pub fn reset(&mut self) {
        *self = Store::default();
    }
}

/// The attestations of one trail.
pub fn trail_attestations<'a>(
    org: &'a Org,
    flow: &'a str,
    trail: &'a str,
) -> impl Iterator<Item = &'a Value> + 'a {
    org.attestations.iter().filter(move |a| {
        a["flow_name"].as_str() == Some(flow) && a["trail_name"].as_str() == Some(trail)
    })
}

/// The compliance status block of a trail, from its attestations.
pub fn trail_compliance(org: &Org, flow: &str, trail: &str) -> Value {
    let mut trail_level = Vec::new();
    let mut artifacts: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut compliant = true;
    for a in trail_attestations(org, flow, trail) {
        let ok = a["is_compliant"].as_bool().unwrap_or(true);
        compliant &= ok;
        let status = json!({
            "attestation_name": a["attestation_name"],
            "attestation_type": a["attestation_type"],
            "attestation_id": a["attestation_id"],
            "status": "COMPLETE",
            "is_compliant": ok,
            "unexpected": false,
        });
        match a["target_artifacts"]
            .as_array()
            .and_then(|t| t.first())
            .and_then(Value::as_str)
        {
            Some(artifact) => artifacts
                .entry(artifact.to_string())
                .or_default()
                .push(status),
            None => trail_level.push(status),
        }
    }
    // What the template expects and was not reported is MISSING, as Kosli lists it.
    let expected = super::template::of_trail(org, flow, trail);
    let missing = |e: &super::template::Expected| {
        json!({"attestation_name": e.name, "attestation_type": e.kind, "status": "MISSING",
               "is_compliant": false, "unexpected": false})
    };
    let reported = |list: &[Value], name: &str| list.iter().any(|s| s["attestation_name"] == name);
    for e in &expected.trail {
        if !reported(&trail_level, &e.name) {
            trail_level.push(missing(e));
            compliant = false;
        }
    }
    for (artifact, list) in &expected.artifacts {
        let statuses = artifacts.entry(artifact.clone()).or_default();
        for e in list {
            if !reported(statuses, &e.name) {
                statuses.push(missing(e));
                compliant = false;
            }
        }
    }
    let artifacts_statuses: serde_json::Map<String, Value> = artifacts
        .into_iter()
        .map(|(name, statuses)| {
            let ok = statuses.iter().all(|s| s["is_compliant"].as_bool().unwrap_or(true));
            (name, json!({"status": if ok { "COMPLIANT" } else { "NON-COMPLIANT" }, "attestations_statuses": statuses}))
        })
        .collect();
    json!({
        "status": if compliant { "COMPLIANT" } else { "NON-COMPLIANT" },
        "is_compliant": compliant,
        "attestations_statuses": trail_level,
        "artifacts_statuses": artifacts_statuses,
    })
}

/// Where an artifact runs now: the environments whose latest snapshot holds its fingerprint.
pub fn running(org: &Org, fingerprint: &str) -> Vec<Value> {
    org.snapshots
        .iter()
        .filter_map(|(env, snaps)| {
            let last = snaps.last()?;
            let holds = last["artifacts"].as_array()?.iter().any(|a| {
                a["fingerprint"].as_str() == Some(fingerprint)
                    && a["annotation"]["now"].as_u64() != Some(0)
            });
            holds.then(|| json!({"environment_name": env, "snapshot_index": last["index"]}))
        })
        .collect()
}
