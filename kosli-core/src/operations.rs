//! The one list of the API operations the SDK implements: name, method and path template.
//!
//! Each operation of the [`crate::client::Client`] builds a [`crate::client::Request`] for one
//! of these, and the C and Python bindings are checked against [`ALL`]: adding an operation
//! means adding it here, to the client, and to both bindings.

use crate::dryrun::Method;

/// One API operation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The operation's name, as the SDK's functions spell it (`status`, `create_flow`, ...).
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template relative to the host: literal segments and whole-segment `{name}`
    /// parameters (`/api/v2/environments/{org}/{env}`).
    pub path: &'static str,
    /// Whether the call needs an API token (every call but `status` does).
    pub requires_token: bool,
}

impl Operation {
    /// An operation that needs an API token.
    pub const fn new(name: &'static str, method: Method, path: &'static str) -> Operation {
        Operation {
            name,
            method,
            path,
            requires_token: true,
        }
    }

    /// The same operation, callable without a token (the token is still sent when set).
    pub const fn without_token(mut self) -> Operation {
        self.requires_token = false;
        self
    }

    /// Whether the operation changes something on the server (everything but `GET`). Writes go
    /// to every host and are returned as dry-run values in dry-run; reads go to the primary.
    pub fn is_write(&self) -> bool {
        self.method != Method::Get
    }
}

/// `kosli status`: is the server up? `GET /ready`; the body is `"OK"`.
pub static STATUS: Operation = Operation::new("status", Method::Get, "/ready").without_token();

/// `kosli create flow` with a template (file or empty): `PUT /api/v2/flows/{org}/template_file`,
/// multipart.
pub static CREATE_FLOW: Operation = Operation::new(
    "create_flow",
    Method::Put,
    "/api/v2/flows/{org}/template_file",
);
/// `kosli create flow --template a,b` (deprecated by the CLI): `PUT /api/v2/flows/{org}`, JSON.
pub static CREATE_FLOW_LEGACY: Operation =
    Operation::new("create_flow_legacy", Method::Put, "/api/v2/flows/{org}");
/// `kosli get flow`: `GET /api/v2/flows/{org}/{flow}`.
pub static GET_FLOW: Operation =
    Operation::new("get_flow", Method::Get, "/api/v2/flows/{org}/{flow}");
/// `kosli list flows`: `GET /api/v2/flows/{org}`.
pub static LIST_FLOWS: Operation = Operation::new("list_flows", Method::Get, "/api/v2/flows/{org}");
/// `kosli begin trail`: `PUT /api/v2/trails/{org}/{flow}`, multipart.
pub static BEGIN_TRAIL: Operation =
    Operation::new("begin_trail", Method::Put, "/api/v2/trails/{org}/{flow}");
/// `kosli attest artifact`: `POST /api/v2/artifacts/{org}/{flow}`, JSON.
pub static ATTEST_ARTIFACT: Operation = Operation::new(
    "attest_artifact",
    Method::Post,
    "/api/v2/artifacts/{org}/{flow}",
);
/// `kosli attest generic`: multipart.
pub static ATTEST_GENERIC: Operation = Operation::new(
    "attest_generic",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/generic",
);
/// `kosli attest junit`: multipart.
pub static ATTEST_JUNIT: Operation = Operation::new(
    "attest_junit",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/junit",
);
/// `kosli attest snyk`: multipart.
pub static ATTEST_SNYK: Operation = Operation::new(
    "attest_snyk",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/snyk",
);
/// `kosli attest custom`: multipart.
pub static ATTEST_CUSTOM: Operation = Operation::new(
    "attest_custom",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/custom",
);
/// `kosli attest pullrequest <provider>`: multipart.
pub static ATTEST_PULL_REQUEST: Operation = Operation::new(
    "attest_pull_request",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/pull_request",
);
/// `kosli attest sonar`: multipart.
pub static ATTEST_SONAR: Operation = Operation::new(
    "attest_sonar",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/sonar",
);
/// `kosli attest jira`: multipart.
pub static ATTEST_JIRA: Operation = Operation::new(
    "attest_jira",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/jira",
);

/// `kosli create environment`: `PUT /api/v2/environments/{org}`, JSON.
pub static CREATE_ENVIRONMENT: Operation = Operation::new(
    "create_environment",
    Method::Put,
    "/api/v2/environments/{org}",
);
/// `kosli get environment`: `GET /api/v2/environments/{org}/{env}`.
pub static GET_ENVIRONMENT: Operation = Operation::new(
    "get_environment",
    Method::Get,
    "/api/v2/environments/{org}/{env}",
);
/// `kosli list environments`: `GET /api/v2/environments/{org}`.
pub static LIST_ENVIRONMENTS: Operation = Operation::new(
    "list_environments",
    Method::Get,
    "/api/v2/environments/{org}",
);
/// `kosli snapshot path|paths|server`: `PUT /api/v2/environments/{org}/{env}/report/server`,
/// JSON.
pub static SNAPSHOT_SERVER: Operation = Operation::new(
    "snapshot_server",
    Method::Put,
    "/api/v2/environments/{org}/{env}/report/server",
);
/// `kosli snapshot docker`: `PUT /api/v2/environments/{org}/{env}/report/docker`, JSON.
pub static SNAPSHOT_DOCKER: Operation = Operation::new(
    "snapshot_docker",
    Method::Put,
    "/api/v2/environments/{org}/{env}/report/docker",
);
/// `kosli snapshot k8s`: `PUT /api/v2/environments/{org}/{env}/report/K8S`, JSON.
pub static SNAPSHOT_K8S: Operation = Operation::new(
    "snapshot_k8s",
    Method::Put,
    "/api/v2/environments/{org}/{env}/report/K8S",
);
/// `kosli allow artifact`: `PUT /api/v2/allowlists/{org}/{env}`, JSON.
pub static ALLOW_ARTIFACT: Operation = Operation::new(
    "allow_artifact",
    Method::Put,
    "/api/v2/allowlists/{org}/{env}",
);
/// `kosli assert artifact`: `GET /api/v2/asserts/{org}/fingerprint/{fingerprint}`.
pub static ASSERT_ARTIFACT: Operation = Operation::new(
    "assert_artifact",
    Method::Get,
    "/api/v2/asserts/{org}/fingerprint/{fingerprint}",
);
/// `kosli get artifact flow@fingerprint`:
/// `GET /api/v2/artifacts/{org}/{flow}/fingerprint/{fingerprint}`.
pub static GET_ARTIFACT: Operation = Operation::new(
    "get_artifact",
    Method::Get,
    "/api/v2/artifacts/{org}/{flow}/fingerprint/{fingerprint}",
);
/// `kosli get artifact flow:commit`: `GET /api/v2/artifacts/{org}/{flow}/commit_sha/{commit}`.
pub static GET_ARTIFACTS_BY_COMMIT: Operation = Operation::new(
    "get_artifacts_by_commit",
    Method::Get,
    "/api/v2/artifacts/{org}/{flow}/commit_sha/{commit}",
);
/// `kosli list artifacts`: `GET /api/v2/artifacts/{org}`.
pub static LIST_ARTIFACTS: Operation =
    Operation::new("list_artifacts", Method::Get, "/api/v2/artifacts/{org}");

/// `kosli get trail`: `GET /api/v2/trails/{org}/{flow}/{trail}`.
pub static GET_TRAIL: Operation = Operation::new(
    "get_trail",
    Method::Get,
    "/api/v2/trails/{org}/{flow}/{trail}",
);
/// `kosli list trails`: `GET /api/v2/trails/{org}` (flow, fingerprint and tag in the query).
pub static LIST_TRAILS: Operation =
    Operation::new("list_trails", Method::Get, "/api/v2/trails/{org}");
/// `kosli get snapshot ENV[#N|~N|@{T}]`: `GET /api/v2/snapshots/{org}/{env}/{snappish}`.
pub static GET_SNAPSHOT: Operation = Operation::new(
    "get_snapshot",
    Method::Get,
    "/api/v2/snapshots/{org}/{env}/{snappish}",
);
/// `kosli list snapshots`: `GET /api/v2/snapshots/{org}/{env}`.
pub static LIST_SNAPSHOTS: Operation = Operation::new(
    "list_snapshots",
    Method::Get,
    "/api/v2/snapshots/{org}/{env}",
);
/// `kosli log environment`: `GET /api/v2/environments/{org}/{env}/events`.
pub static LOG_ENVIRONMENT: Operation = Operation::new(
    "log_environment",
    Method::Get,
    "/api/v2/environments/{org}/{env}/events",
);
/// `kosli diff snapshots`: `GET /api/v2/env-diff/{org}` (the two snappishes in the query).
pub static DIFF_SNAPSHOTS: Operation =
    Operation::new("diff_snapshots", Method::Get, "/api/v2/env-diff/{org}");

/// `kosli create policy`: `PUT /api/v2/policies/{org}`, multipart (`payload`, `policy_file`).
pub static CREATE_POLICY: Operation =
    Operation::new("create_policy", Method::Put, "/api/v2/policies/{org}");
/// `kosli attach-policy`, per environment: `POST /api/v2/environments/{org}/{env}/policies`.
pub static ATTACH_POLICY: Operation = Operation::new(
    "attach_policy",
    Method::Post,
    "/api/v2/environments/{org}/{env}/policies",
);
/// `kosli detach-policy`, per environment: `DELETE /api/v2/environments/{org}/{env}/policies`
/// (with a JSON body).
pub static DETACH_POLICY: Operation = Operation::new(
    "detach_policy",
    Method::Delete,
    "/api/v2/environments/{org}/{env}/policies",
);
/// `kosli get policy`: `GET /api/v2/policies/{org}/{policy}`.
pub static GET_POLICY: Operation =
    Operation::new("get_policy", Method::Get, "/api/v2/policies/{org}/{policy}");
/// `kosli list policies`: `GET /api/v2/policies/{org}`.
pub static LIST_POLICIES: Operation =
    Operation::new("list_policies", Method::Get, "/api/v2/policies/{org}");
/// An attestation's details by id (`evaluate trail`): `GET /api/v2/attestations/{org}`,
/// `attestation_id` in the query.
pub static GET_ATTESTATION: Operation =
    Operation::new("get_attestation", Method::Get, "/api/v2/attestations/{org}");

/// Every operation the SDK implements.
pub static ALL: &[&Operation] = &[
    &STATUS,
    &CREATE_FLOW,
    &CREATE_FLOW_LEGACY,
    &GET_FLOW,
    &LIST_FLOWS,
    &BEGIN_TRAIL,
    &ATTEST_ARTIFACT,
    &ATTEST_GENERIC,
    &ATTEST_JUNIT,
    &ATTEST_SNYK,
    &ATTEST_CUSTOM,
    &ATTEST_PULL_REQUEST,
    &ATTEST_SONAR,
    &ATTEST_JIRA,
    &CREATE_ENVIRONMENT,
    &GET_ENVIRONMENT,
    &LIST_ENVIRONMENTS,
    &SNAPSHOT_SERVER,
    &SNAPSHOT_DOCKER,
    &SNAPSHOT_K8S,
    &ALLOW_ARTIFACT,
    &ASSERT_ARTIFACT,
    &GET_ARTIFACT,
    &GET_ARTIFACTS_BY_COMMIT,
    &LIST_ARTIFACTS,
    &GET_TRAIL,
    &LIST_TRAILS,
    &GET_SNAPSHOT,
    &LIST_SNAPSHOTS,
    &LOG_ENVIRONMENT,
    &DIFF_SNAPSHOTS,
    &CREATE_POLICY,
    &ATTACH_POLICY,
    &DETACH_POLICY,
    &GET_POLICY,
    &LIST_POLICIES,
    &GET_ATTESTATION,
];

/// The operation named `name`, if the SDK has it.
pub fn by_name(name: &str) -> Option<&'static Operation> {
    ALL.iter().copied().find(|op| op.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_paths_rooted() {
        let mut names: Vec<&str> = ALL.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        for op in ALL {
            assert!(op.path.starts_with('/'), "{}", op.name);
        }
    }

    #[test]
    fn status_is_a_read_that_needs_no_token() {
        let op = by_name("status").unwrap();
        assert_eq!(
            (op.method, op.path, op.requires_token, op.is_write()),
            (Method::Get, "/ready", false, false)
        );
    }
}
