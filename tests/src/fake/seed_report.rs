//! A realistic organization for the compliance documents (`kosli_core::report`), at fixed
//! times so every number can be worked out by hand (tests/fixtures/report/README.md does).
//!
//! Flow `payments-api` (template: a `pull-request` on the trail, `unit-tests` and
//! `security-scan` on artifact `api`), one trail per release:
//! - 1.40.0: reported the legacy way, without a trail; Kosli says not compliant.
//! - 1.41.0: all three attestations, compliant.
//! - 1.42.0: the security scan found 2 high issues: not compliant.
//! - 1.43.0: all three, compliant; runs in production.
//! - 1.44.0: no pull request (missing): not compliant; runs in staging.
//! - 1.45.0: a failing unit test and no security scan; never deployed.
//!
//! Flow `web-frontend` (template `version: 1`): 2.7.0 with unit tests and a pull request.
//! Environments `production` and `staging` (K8S) have snapshots over a week from
//! [`T0`] (2024-06-01 00:00:00 UTC): releases replacing each other, a scale-up, `nginx:1.25`
//! re-pulled with a new digest, and a `busybox` debug pod that came and went (drift, and
//! artifacts without provenance: nginx, redis, busybox).

use serde_json::{json, Value};

use super::state::Store;

/// The organization.
pub const ORG: &str = "acme";
/// The start of the seeded week: 2024-06-01 00:00:00 UTC.
pub const T0: f64 = 1_717_200_000.0;
/// The flow of the payments service.
pub const FLOW: &str = "payments-api";
/// The flow of the web frontend.
pub const WEB_FLOW: &str = "web-frontend";

/// payments-api 1.40.0 (legacy, no trail).
pub const A40: &str = "c185ff8a7e753cf1133c54c9d4f4cfc9d8551af62c929bfaad3ccf9645ef8eca";
/// payments-api 1.41.0.
pub const A41: &str = "a83fed704c45d54538c96141f03e5228ae06a258bbac8c7ba0e21a75a3e838a1";
/// payments-api 1.42.0.
pub const A42: &str = "268ef65fa11af7397d0466ebc90e2c73b184b8f709d3330ecf5bd8ee8021cd98";
/// payments-api 1.43.0.
pub const A43: &str = "27e38228106cd8f2e2029ba49db8bfcfeeb2a08095f4a8d17d23c7cf3243f2d6";
/// payments-api 1.44.0.
pub const A44: &str = "6d781e04c739d1d91467e71102f987a27ef5b8cbc8ff31a5dfb08e797a614b4c";
/// payments-api 1.45.0.
pub const A45: &str = "f00b534c395927dfae37365b287b8519cef99ce34031dcb4755ce8e3cd4040cb";
/// web-frontend 2.7.0.
pub const W27: &str = "ebc6e1c9a755ae99dd2f422d9bc9e0732f3e00a07c79b477d0f88155919ff947";
/// nginx:1.25 as first pulled (no provenance).
pub const NGINX1: &str = "17e3c8eae108b37b3491e051309e4835e13f99b0708039dbecf1c1e5a060b6f6";
/// nginx:1.25 re-pulled with another digest (no provenance).
pub const NGINX2: &str = "f60d2087f82a10beb1e9bd9a9affef32f1912400986369773b5cd23b5139c8bf";
/// redis:7.2 (no provenance).
pub const REDIS: &str = "09760665f0af12dc6887689c1fa1afe346138a545ce1efbe277acf07bc92780a";
/// busybox:1.36, a debug pod (no provenance).
pub const BUSYBOX: &str = "ab512471e34f10e894cfa69eec441e1412a1c418f681cdb04b15c219c8b1dd67";

const TEMPLATE: &str = "version: 1
trail:
  attestations:
    - name: pull-request
      type: pull_request
  artifacts:
    - name: api
      attestations:
        - name: unit-tests
          type: junit
        - name: security-scan
          type: snyk
";

const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;

/// One release: version, fingerprint, commit, report time (after T0), and its evidence:
/// (pull request approved?, junit failures or None, snyk high count or None).
struct Release {
    version: &'static str,
    fp: &'static str,
    commit: &'static str,
    at: f64,
    pr: Option<bool>,
    junit_failures: Option<u64>,
    snyk_high: Option<u64>,
}

const RELEASES: &[Release] = &[
    Release {
        version: "1.41.0",
        fp: A41,
        commit: "9c331b189c82f3f50ca97bba3e0745d489867782",
        at: HOUR,
        pr: Some(true),
        junit_failures: Some(0),
        snyk_high: Some(0),
    },
    Release {
        version: "1.42.0",
        fp: A42,
        commit: "34ae8a720601dde0c9e57197eda0e8d1b3012f10",
        at: DAY,
        pr: Some(true),
        junit_failures: Some(0),
        snyk_high: Some(2),
    },
    Release {
        version: "1.43.0",
        fp: A43,
        commit: "7dc177ec4ac83bf834b21ba1d9c3aeeb2f63eac8",
        at: 2.0 * DAY,
        pr: Some(true),
        junit_failures: Some(0),
        snyk_high: Some(0),
    },
    Release {
        version: "1.44.0",
        fp: A44,
        commit: "c3c36558ce1e20e9e9cc499a0e5dbea83bba3fe4",
        at: 3.0 * DAY,
        pr: None,
        junit_failures: Some(0),
        snyk_high: Some(0),
    },
    Release {
        version: "1.45.0",
        fp: A45,
        commit: "d262be7acc719c699742f54a1144cdd4458f7ff3",
        at: 6.0 * DAY,
        pr: Some(true),
        junit_failures: Some(1),
        snyk_high: None,
    },
];

fn image(version: &str) -> String {
    format!("ghcr.io/acme/payments-api:{version}")
}

fn commit_info(sha: &str, message: &str, author: &str, at: f64, repo: &str) -> Value {
    json!({"sha1": sha, "message": message, "author": author, "branch": "main", "timestamp": at,
           "url": format!("https://github.com/acme/{repo}/commit/{sha}")})
}

#[allow(
    clippy::too_many_arguments,
    reason = "one attestation's fields, all required"
)]
fn attestation(
    store: &mut Store,
    flow: &str,
    trail: &str,
    name: &str,
    kind: &str,
    target: Option<&str>,
    ok: bool,
    at: f64,
    extra: Value,
) {
    let id = store.new_id();
    let mut a = json!({
        "attestation_id": id, "attestation_name": name, "attestation_type": kind,
        "flow_name": flow, "trail_name": trail,
        "target_artifacts": target.map(|t| vec![t]).unwrap_or_default(),
        "is_compliant": ok, "user_data": {}, "created_at": at,
        "html_url": format!("http://127.0.0.1/{ORG}/flows/{flow}/trails/{trail}?attestation_id={id}"),
    });
    if let (Value::Object(a), Value::Object(e)) = (&mut a, extra) {
        a.extend(e);
    }
    store.org(ORG).attestations.push(a);
}

fn artifact(
    flow: &str,
    name: &str,
    fp: &str,
    trail: &str,
    commit: &str,
    at: f64,
    repo: &str,
) -> Value {
    let template_name = if trail.is_empty() {
        ""
    } else if flow == WEB_FLOW {
        "web"
    } else {
        "api"
    };
    let build = (at / HOUR) as u64;
    json!({
        "filename": name, "flow_name": flow, "trail_name": trail,
        "template_reference_name": template_name, "fingerprint": fp, "created_at": at,
        "git_commit": commit, "git_commit_info": null,
        "commit_url": format!("https://github.com/acme/{repo}/commit/{commit}"),
        "build_url": format!("https://github.com/acme/{repo}/actions/runs/{build}"),
        "repo_url": format!("https://github.com/acme/{repo}"),
        "annotations": {}, "external_urls": {},
        "html_url": format!("http://127.0.0.1/{ORG}/flows/{flow}/artifacts/{fp}"),
        "state": "COMPLIANT", "running": [], "exited": [],
        "history": [{"event": format!("{name} reported"), "timestamp": at}],
    })
}

fn trail(flow: &str, name: &str, commit: Value, at: f64, repo: &str) -> Value {
    let build = (at / HOUR) as u64;
    json!({"name": name, "flow": flow, "description": format!("release {name}"),
           "git_commit_info": commit, "repo_info": null,
           "origin_url": format!("https://github.com/acme/{repo}/actions/runs/{build}"),
           "user_data": {}, "external_urls": {}, "template": null,
           "created_at": at, "last_modified_at": at,
           "events": [{"type": "trail_started", "timestamp": at}]})
}

/// What runs: (name, fingerprint, instances).
type Running = &'static [(&'static str, &'static str, u64)];

/// The snapshots of an environment, built as the fake builds reported ones: each artifact with
/// its flow and commit when Kosli knows the fingerprint, and its change since the previous
/// snapshot (`started`, `exited` (listed with `now: 0`), `scaled`, `unchanged`).
fn snapshots(store: &Store, env: &str, user: &str, states: &[(f64, Running)]) -> Vec<Value> {
    let known = |fp: &str| {
        store
            .org_ref(ORG)
            .and_then(|o| o.artifacts.iter().find(|a| a["fingerprint"] == fp).cloned())
    };
    let mut out: Vec<Value> = Vec::new();
    let mut previous: Running = &[];
    for (i, (at, running)) in states.iter().enumerate() {
        let mut artifacts = Vec::new();
        for (name, fp, now) in running.iter() {
            let was = previous
                .iter()
                .find(|(n, f, _)| n == name && f == fp)
                .map_or(0, |p| p.2);
            let a = known(fp);
            let compliant = a.as_ref().is_some_and(|a| store.artifact_compliant(ORG, a));
            let text = |k: &str| a.as_ref().map_or_else(|| json!(""), |a| a[k].clone());
            let kind = match (was, *now) {
                (0, _) => "started",
                (w, n) if w != n => "scaled",
                _ => "unchanged",
            };
            artifacts.push(json!({
                "name": name, "fingerprint": fp, "flow_name": text("flow_name"),
                "git_commit": text("git_commit"), "commit_url": text("commit_url"),
                "compliant": compliant, "deployments": [],
                "creationTimestamp": vec![*at; *now as usize], "pods": {},
                "annotation": {"type": kind, "was": was, "now": now},
            }));
        }
        for (name, fp, was) in previous.iter() {
            if !running.iter().any(|(n, f, _)| n == name && f == fp) {
                let a = known(fp);
                let text = |k: &str| a.as_ref().map_or_else(|| json!(""), |a| a[k].clone());
                artifacts.push(json!({
                    "name": name, "fingerprint": fp, "flow_name": text("flow_name"),
                    "git_commit": text("git_commit"), "commit_url": text("commit_url"),
                    "compliant": false, "deployments": [], "creationTimestamp": [], "pods": {},
                    "annotation": {"type": "exited", "was": was, "now": 0},
                }));
            }
        }
        let compliant = artifacts
            .iter()
            .filter(|a| a["annotation"]["now"] != 0)
            .all(|a| a["compliant"] == true);
        let index = i + 1;
        out.push(json!({
            "index": index, "timestamp": T0 + at, "type": "K8S",
            "user_id": format!("id-{user}"), "user_name": user, "compliant": compliant,
            "html_url": format!("http://127.0.0.1/{ORG}/environments/{env}/snapshots/{index}"),
            "artifacts": artifacts,
        }));
        previous = running;
    }
    out
}

const API41: &str = "ghcr.io/acme/payments-api:1.41.0";
const API42: &str = "ghcr.io/acme/payments-api:1.42.0";
const API43: &str = "ghcr.io/acme/payments-api:1.43.0";
const API44: &str = "ghcr.io/acme/payments-api:1.44.0";
const WEB: &str = "ghcr.io/acme/web-frontend:2.7.0";

/// Fills `store` with the organization described above.
pub fn apply(store: &mut Store) {
    let o = store.org(ORG);
    o.flows.insert(
        FLOW.into(),
        json!({"name": FLOW, "description": "Payments API", "visibility": "private", "org": ORG,
               "template": TEMPLATE, "last_deployment_at": null, "tags": {"team": "payments"},
               "archived": false, "created_at": T0 - 30.0 * DAY}),
    );
    o.flows.insert(
        WEB_FLOW.into(),
        json!({"name": WEB_FLOW, "description": "Web frontend", "visibility": "private", "org": ORG,
               "template": "version: 1", "last_deployment_at": null, "tags": {"team": "web"},
               "archived": false, "created_at": T0 - 30.0 * DAY}),
    );
    // 1.40.0, reported the legacy way (no trail), before the week.
    let legacy_commit = "8de2d48ab0c62dafec1c7fe2b00bd2a838c04c9b";
    o.artifacts.push(artifact(
        FLOW,
        &image("1.40.0"),
        A40,
        "",
        legacy_commit,
        T0 - 5.0 * DAY,
        FLOW,
    ));
    // web-frontend 2.7.0.
    let web_commit = "61344aea7c5d3eae7e38d7427d2a3a0808256189";
    let web_at = T0 + 0.5 * HOUR;
    o.trails.insert(
        (WEB_FLOW.into(), "web-2.7.0".into()),
        trail(
            WEB_FLOW,
            "web-2.7.0",
            commit_info(
                web_commit,
                "Checkout page",
                "Carol <carol@acme.example>",
                web_at - HOUR,
                WEB_FLOW,
            ),
            web_at - 600.0,
            WEB_FLOW,
        ),
    );
    o.artifacts.push(artifact(
        WEB_FLOW,
        WEB,
        W27,
        "web-2.7.0",
        web_commit,
        web_at,
        WEB_FLOW,
    ));
    attestation(
        store,
        WEB_FLOW,
        "web-2.7.0",
        "pull-request",
        "pull_request",
        None,
        true,
        web_at - 300.0,
        json!({"git_provider": "github", "pull_requests": [{"url": "https://github.com/acme/web-frontend/pull/27", "approvers": [{"username": "dave"}]}]}),
    );
    attestation(
        store,
        WEB_FLOW,
        "web-2.7.0",
        "unit-tests",
        "junit",
        Some("web"),
        true,
        web_at + 600.0,
        json!({"junit_results": [{"name": "web", "failures": 0, "errors": 0, "skipped": 0, "total": 128, "duration": 12.5}]}),
    );
    for r in RELEASES {
        let at = T0 + r.at;
        let name = format!("release-{}", r.version);
        let message = format!("Release {}", r.version);
        store.org(ORG).trails.insert(
            (FLOW.into(), name.clone()),
            trail(
                FLOW,
                &name,
                commit_info(
                    r.commit,
                    &message,
                    "Alice <alice@acme.example>",
                    at - HOUR,
                    FLOW,
                ),
                at - 600.0,
                FLOW,
            ),
        );
        store.org(ORG).artifacts.push(artifact(
            FLOW,
            &image(r.version),
            r.fp,
            &name,
            r.commit,
            at,
            FLOW,
        ));
        if let Some(ok) = r.pr {
            // Pull request 143 for 1.43.0.
            let minor = r.version.split('.').nth(1).unwrap_or_default();
            let number = format!("1{minor}");
            attestation(
                store,
                FLOW,
                &name,
                "pull-request",
                "pull_request",
                None,
                ok,
                at - 300.0,
                json!({"git_provider": "github", "git_commit_info": {"sha1": r.commit},
                       "pull_requests": [{"url": format!("https://github.com/acme/payments-api/pull/{number}"),
                                          "state": "MERGED", "approvers": [{"username": "bob", "state": "APPROVED"}]}]}),
            );
        }
        if let Some(failures) = r.junit_failures {
            attestation(
                store,
                FLOW,
                &name,
                "unit-tests",
                "junit",
                Some("api"),
                failures == 0,
                at + 600.0,
                json!({"artifact_fingerprint": r.fp, "junit_results": [
                    {"name": "payments.api", "failures": failures, "errors": 0, "skipped": 2, "total": 400, "duration": 31.5},
                    {"name": "payments.db", "failures": 0, "errors": 0, "skipped": 1, "total": 12, "duration": 4.0}]}),
            );
        }
        if let Some(high) = r.snyk_high {
            attestation(
                store,
                FLOW,
                &name,
                "security-scan",
                "snyk",
                Some("api"),
                high == 0,
                at + 900.0,
                json!({"artifact_fingerprint": r.fp, "snyk_results": {"schema_version": 1,
                       "tool": {"name": "Snyk Container", "version": "1.1293.0"},
                       "results": [{"high_count": high, "medium_count": 0, "low_count": 3, "high": [], "medium": [], "low": []}]}}),
            );
        }
    }
    // Kosli's verdicts that the attestations alone do not decide here: the legacy artifact,
    // and 1.44.0 whose pull request is missing.
    store.compliance.insert(A40.into(), false);
    store.compliance.insert(A44.into(), false);
    let production = snapshots(
        store,
        "production",
        "prod-reporter",
        &[
            (
                2.0 * HOUR,
                &[(API41, A41, 2), ("nginx:1.25", NGINX1, 1), (WEB, W27, 1)],
            ),
            (
                3.0 * DAY + 4.0 * HOUR,
                &[(API43, A43, 2), ("nginx:1.25", NGINX1, 1), (WEB, W27, 1)],
            ),
            (
                4.0 * DAY + HOUR,
                &[(API43, A43, 3), ("nginx:1.25", NGINX1, 1), (WEB, W27, 1)],
            ),
            (
                5.0 * DAY,
                &[(API43, A43, 3), ("nginx:1.25", NGINX2, 1), (WEB, W27, 1)],
            ),
        ],
    );
    let staging = snapshots(
        store,
        "staging",
        "staging-reporter",
        &[
            (1.5 * HOUR, &[(API41, A41, 1), ("redis:7.2", REDIS, 1)]),
            (
                DAY + 2.0 * HOUR,
                &[(API42, A42, 1), ("redis:7.2", REDIS, 1)],
            ),
            (
                2.0 * DAY + 3.0 * HOUR,
                &[(API43, A43, 1), ("redis:7.2", REDIS, 1)],
            ),
            (
                3.0 * DAY + 2.0 * HOUR,
                &[
                    (API44, A44, 1),
                    ("redis:7.2", REDIS, 1),
                    ("busybox:1.36", BUSYBOX, 1),
                ],
            ),
            (
                3.0 * DAY + 6.0 * HOUR,
                &[(API44, A44, 1), ("redis:7.2", REDIS, 1)],
            ),
        ],
    );
    for (env, snaps, last) in [
        ("production", production, T0 + 6.0 * DAY),
        ("staging", staging, T0 + 6.0 * DAY + HOUR),
    ] {
        let state = snaps.last().map_or(Value::Null, |s| s["compliant"].clone());
        let o = store.org(ORG);
        o.environments.insert(
            env.into(),
            json!({"name": env, "type": "K8S", "description": format!("{env} cluster"), "org": ORG,
                   "last_modified_at": T0 - 30.0 * DAY, "last_reported_at": last, "state": state,
                   "include_scaling": true, "require_provenance": false, "tags": {}, "policies": []}),
        );
        o.snapshots.insert(env.into(), snaps);
    }
}
