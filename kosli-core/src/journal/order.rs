//! Which records must reach a host before which, derived from the request alone (its path
//! parameters and path template), so that every operation gets the right order without
//! declaring anything.
//!
//! A record's scope is its org and the `flow`, `trail` and `env` (or `environment`) path
//! parameters it has. A later record waits for an earlier pending one when:
//! - the earlier one is org-wide (no flow, no environment: creating a flow or an environment),
//!   and both are in the same org: a flow is created before anything is reported to it;
//! - both name the same flow, unless both name a trail and the trails differ: a trail begins
//!   (a flow-level request) before what is attested to it, and an artifact (flow-level) is
//!   reported before the attestations that name it;
//! - both name the same environment: snapshots and environment changes keep their order.
//!
//! Records of different flows or environments do not wait for each other, so one record that
//! keeps failing holds back only what depends on it. An org not known when recorded (offline,
//! bound at delivery) is taken to match any org.

/// A record's place in the ordering: org, flow, trail, environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    pub(crate) org: Option<String>,
    pub(crate) flow: Option<String>,
    pub(crate) trail: Option<String>,
    pub(crate) env: Option<String>,
}

impl Scope {
    /// The scope of a request with these path parameters.
    pub(crate) fn from_params(params: &[(String, String)], org: Option<&str>) -> Scope {
        let get = |names: &[&str]| {
            params
                .iter()
                .find(|(n, _)| names.contains(&n.as_str()))
                .map(|(_, v)| v.clone())
        };
        Scope {
            org: get(&["org"]).or_else(|| org.map(str::to_string)),
            flow: get(&["flow", "flow_name"]),
            trail: get(&["trail", "trail_name"]),
            env: get(&["env", "environment", "environment_name"]),
        }
    }

    fn is_org_wide(&self) -> bool {
        self.flow.is_none() && self.env.is_none()
    }
}

/// Whether a record of scope `later` must wait for a pending earlier record of scope
/// `earlier` (see the module docs).
pub(crate) fn must_follow(later: &Scope, earlier: &Scope) -> bool {
    if let (Some(a), Some(b)) = (&later.org, &earlier.org) {
        if a != b {
            return false;
        }
    }
    if earlier.is_org_wide() {
        return true;
    }
    if let (Some(a), Some(b)) = (&later.flow, &earlier.flow) {
        if a == b {
            return !matches!((&later.trail, &earlier.trail), (Some(x), Some(y)) if x != y);
        }
    }
    matches!((&later.env, &earlier.env), (Some(a), Some(b)) if a == b)
}

/// Whether a write reports an environment snapshot: its path template has an environment
/// parameter followed by a `report` segment (`/api/v2/environments/{org}/{env}/report/K8S`).
/// Snapshots of one environment coalesce: only the newest pending one is delivered.
pub(crate) fn is_snapshot(method: &str, path_template: &str) -> bool {
    if method == "GET" {
        return false;
    }
    let segments: Vec<&str> = path_template.split('/').collect();
    segments.windows(2).any(|w| {
        matches!(w[0], "{env}" | "{environment}" | "{environment_name}") && w[1] == "report"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(
        org: Option<&str>,
        flow: Option<&str>,
        trail: Option<&str>,
        env: Option<&str>,
    ) -> Scope {
        let s = |v: Option<&str>| v.map(str::to_string);
        Scope {
            org: s(org),
            flow: s(flow),
            trail: s(trail),
            env: s(env),
        }
    }

    #[test]
    fn scopes_come_from_path_parameters() {
        let p = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let s = Scope::from_params(&p(&[("flow", "f"), ("trail", "t")]), Some("acme"));
        assert_eq!(s, scope(Some("acme"), Some("f"), Some("t"), None));
        let s = Scope::from_params(&p(&[("org", "mine"), ("env", "prod")]), Some("acme"));
        assert_eq!(s, scope(Some("mine"), None, None, Some("prod")));
        assert_eq!(Scope::from_params(&[], None), Scope::default());
    }

    #[test]
    fn flows_and_trails_order_as_documented() {
        let create_flow = scope(Some("acme"), None, None, None);
        let begin_trail = scope(Some("acme"), Some("f"), None, None);
        let attest_t1 = scope(Some("acme"), Some("f"), Some("t1"), None);
        let attest_t2 = scope(Some("acme"), Some("f"), Some("t2"), None);
        let other_flow = scope(Some("acme"), Some("g"), Some("t1"), None);
        // A flow before its trails, a trail before its attestations.
        assert!(must_follow(&begin_trail, &create_flow));
        assert!(must_follow(&attest_t1, &begin_trail));
        assert!(must_follow(&attest_t1, &create_flow));
        // An artifact (flow-level) before the attestations that name it.
        assert!(must_follow(&attest_t2, &begin_trail));
        // Different trails and different flows are independent.
        assert!(!must_follow(&attest_t2, &attest_t1));
        assert!(!must_follow(&other_flow, &attest_t1));
        assert!(!must_follow(&other_flow, &begin_trail));
        // A flow-level record waits for every trail of its flow.
        assert!(must_follow(&begin_trail, &attest_t1));
        // Org-wide records keep their order; they do not wait for flows.
        assert!(must_follow(&create_flow, &create_flow));
        assert!(!must_follow(&create_flow, &attest_t1));
        // Another org is independent; an unknown org matches any.
        let other_org = scope(Some("beta"), None, None, None);
        assert!(!must_follow(&begin_trail, &other_org));
        let unknown = scope(None, Some("f"), None, None);
        assert!(must_follow(&unknown, &create_flow));
    }

    #[test]
    fn environments_order_their_own_records() {
        let create_env = scope(Some("acme"), None, None, None);
        let snap_prod = scope(Some("acme"), None, None, Some("prod"));
        let snap_stage = scope(Some("acme"), None, None, Some("stage"));
        assert!(must_follow(&snap_prod, &create_env));
        assert!(must_follow(&snap_prod, &snap_prod));
        assert!(!must_follow(&snap_stage, &snap_prod));
        let attest = scope(Some("acme"), Some("f"), Some("t"), None);
        assert!(!must_follow(&attest, &snap_prod));
        assert!(!must_follow(&snap_prod, &attest));
    }

    #[test]
    fn the_sdk_operations_that_report_snapshots_are_recognised() {
        // Every write named `snapshot_*` in the SDK's list coalesces; nothing else does.
        for op in crate::operations::ALL {
            assert_eq!(
                is_snapshot(op.method.as_str(), op.path),
                op.name.starts_with("snapshot_") && op.is_write(),
                "{}",
                op.name
            );
        }
    }

    #[test]
    fn snapshots_are_reports_to_an_environment() {
        assert!(is_snapshot(
            "PUT",
            "/api/v2/environments/{org}/{env}/report/K8S"
        ));
        assert!(is_snapshot(
            "PUT",
            "/api/v2/environments/{org}/{env}/report/server"
        ));
        assert!(is_snapshot(
            "PUT",
            "/api/v2/environments/{org}/{environment}/report/{type}"
        ));
        assert!(!is_snapshot(
            "GET",
            "/api/v2/environments/{org}/{env}/report/K8S"
        ));
        assert!(!is_snapshot("PUT", "/api/v2/environments/{org}"));
        assert!(!is_snapshot(
            "PUT",
            "/api/v2/allowlists/{org}/{environment}"
        ));
    }
}
