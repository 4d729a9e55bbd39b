//! The compliance gate: `GET /api/v2/asserts/{org}/fingerprint/{fp}`.

use serde_json::{json, Value};

use super::{artifacts, no_environment, str_field, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::{trail_compliance, Store};

pub(super) fn handle(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    let ("GET", ["fingerprint", fp]) = (m, rest) else {
        return unknown(req);
    };
    let flow = req.query_one("flow_name");
    let env = req.query_one("environment_name");
    let policies = req.query_all("policy_name");
    let found: Vec<Value> = store
        .org_ref(org)
        .map(|o| {
            o.artifacts
                .iter()
                .filter(|a| {
                    str_field(a, "fingerprint") == *fp
                        && flow.is_none_or(|f| str_field(a, "flow_name") == f)
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if found.is_empty() {
        return match flow {
            Some(f) => artifacts::not_found(org, f, fp),
            None => Answer::not_found(format!(
                "Artifact with fingerprint '{fp}' does not exist in organization '{org}'"
            )),
        };
    }
    if let Some(e) = env {
        if !store
            .org_ref(org)
            .is_some_and(|o| o.environments.contains_key(e))
        {
            return no_environment(org, e);
        }
    }
    let compliant = found.iter().all(|a| store.artifact_compliant(org, a));
    let flows: Vec<Value> = found
        .iter()
        .map(|a| {
            let (f, t) = (str_field(a, "flow_name"), str_field(a, "trail_name"));
            let mut status = store
                .org_ref(org)
                .map(|o| trail_compliance(o, f, t))
                .unwrap_or_else(|| json!({}));
            let ok = store.artifact_compliant(org, a);
            status["is_compliant"] = json!(ok);
            status["status"] = json!(if ok { "COMPLIANT" } else { "NON-COMPLIANT" });
            json!({"flow": f, "trail": t, "compliance_status": status})
        })
        .collect();
    let scope = if env.is_some() {
        "environment"
    } else if !policies.is_empty() {
        "policy"
    } else {
        "flow"
    };
    let mut body = json!({
        "compliant": compliant,
        "scope": scope,
        "fingerprint": fp,
        "flows": flows,
        "html_url": format!("http://127.0.0.1/{org}/flows/{}/artifacts/{fp}", flow.unwrap_or("")),
    });
    if let Some(e) = env {
        body["environment"] = json!(e);
    }
    if scope != "flow" {
        let names: Vec<&str> = if policies.is_empty() {
            vec!["prod-policy"]
        } else {
            policies
        };
        body["policy_evaluations"] = names
            .iter()
            .map(|p| json!({"policy_name": p, "status": if compliant { "COMPLIANT" } else { "NON-COMPLIANT" }, "rule_evaluations": []}))
            .collect();
    }
    Answer::json(200, body)
}
