//! The deployment guard (`kosli_core::deploy`): run the caller's deploy step, and only if it
//! succeeded snapshot the environment and check that the artifact attested at build time runs
//! there (a server's paths, a Docker host or a Kubernetes cluster). A failed step reports
//! nothing.

use std::ffi::{c_char, c_int, c_void};

use std::path::PathBuf;

use kosli_core::deploy::{
    Collector, DeployError, DeployReport, Deployment, Mismatch, PathsCollector, Verification,
};
use kosli_core::fingerprint::image::DockerOptions;
use kosli_core::snapshot;
use kosli_core::snapshot::k8s::{K8sOptions, NamespaceSelector};
use kosli_core::{ArtifactRef, ArtifactType};
use serde_json::json;

use crate::args::{out_arg, str_arg};
use crate::calls::{client_arg, fingerprint_arg, JsonSlot, OutcomeSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// A deploy step: deploys, then returns 0 for success or any other value as its failure code.
/// It runs synchronously on the thread that called `kosli_client_deploy`, before that call
/// returns, as long as it needs; it must not unwind (C++: noexcept).
#[allow(non_camel_case_types, reason = "C naming")]
pub type kosli_deploy_step = Option<unsafe extern "C" fn(user_data: *mut c_void) -> c_int>;

/// An `InvalidInput` error about `what`.
fn invalid(what: &str, message: String) -> FfiError {
    FfiError::Core(kosli_core::Error::invalid_input(what, message))
}

/// The collector a C caller named: a server's paths, or a runtime (Docker host, cluster).
enum AnyCollector {
    Paths(PathsCollector),
    Runtime(snapshot::Collector),
}

impl AnyCollector {
    /// As the guard takes it.
    fn as_dyn(&self) -> &dyn Collector {
        match self {
            AnyCollector::Paths(c) => c,
            AnyCollector::Runtime(c) => c,
        }
    }
}

/// The collector of `collector_json`: with `type` `"docker"` (`docker_host`) or `"k8s"`
/// (`kubeconfig` and the namespace keys of `kosli_client_snapshot_k8s`) a runtime; without
/// `type` (or `"server"`) exactly one of `path` (with `name`), `paths_file`, `server`, and
/// `exclude` with `path` or `server`. A key the chosen type does not take is named in the
/// error (`Options::finish`).
fn collector(mut c: Options) -> Result<AnyCollector, FfiError> {
    match c.string("type")?.as_deref() {
        None | Some("server") => paths_collector(c).map(AnyCollector::Paths),
        Some("docker") => {
            let docker = match c.string("docker_host")? {
                Some(host) => DockerOptions::host(host),
                None => DockerOptions::default(),
            };
            c.finish()?;
            Ok(AnyCollector::Runtime(snapshot::Collector::Docker(docker)))
        }
        Some("k8s") => {
            let kubeconfig = c.string("kubeconfig")?.map(PathBuf::from);
            let selector = NamespaceSelector {
                namespaces: c.strings("namespaces")?.unwrap_or_default(),
                namespaces_regex: c.strings("namespaces_regex")?.unwrap_or_default(),
                exclude_namespaces: c.strings("exclude_namespaces")?.unwrap_or_default(),
                exclude_namespaces_regex: c
                    .strings("exclude_namespaces_regex")?
                    .unwrap_or_default(),
            };
            c.finish()?;
            // An include and an exclude together are refused before the step runs.
            selector.check_flags()?;
            Ok(AnyCollector::Runtime(snapshot::Collector::K8s(
                K8sOptions {
                    kubeconfig,
                    selector,
                },
            )))
        }
        Some(other) => Err(invalid(
            "collector_json",
            format!(
                "collector_json: `type` must be \"server\", \"docker\" or \"k8s\", not {other:?}"
            ),
        )),
    }
}

/// The server collector of `collector_json` (no `type`, or `"server"`).
fn paths_collector(mut c: Options) -> Result<PathsCollector, FfiError> {
    let path = c.string("path")?;
    let name = c.string("name")?;
    let paths_file = c.string("paths_file")?;
    let server = c.strings("server")?;
    let exclude = c.strings("exclude")?;
    c.finish()?;
    let what = "collector_json";
    let collector = match (path, paths_file, server) {
        (Some(path), None, None) => {
            let name = name.ok_or_else(|| invalid(what, "collector_json: `path` needs `name`".into()))?;
            PathsCollector::path(name, path).exclude(exclude.unwrap_or_default())
        }
        (None, Some(file), None) if name.is_none() && exclude.is_none() => {
            PathsCollector::spec_file(file)
        }
        (None, None, Some(patterns)) if name.is_none() => {
            PathsCollector::server(patterns).exclude(exclude.unwrap_or_default())
        }
        _ => {
            return Err(invalid(
                what,
                "collector_json: give one of {\"path\", \"name\"[, \"exclude\"]}, {\"paths_file\"} or {\"server\": [...][, \"exclude\"]}".into(),
            ))
        }
    };
    Ok(collector)
}

/// The report as JSON.
fn report_json(r: &DeployReport) -> String {
    let (verification, running_as, instances) = match &r.verification {
        Verification::Running { instances } => ("running", Vec::new(), *instances),
        Verification::RunningAs { names, instances } => ("running_as", names.clone(), *instances),
        _ => ("not_running", Vec::new(), 0),
    };
    json!({
        "environment": r.environment,
        "artifact": {
            "name": r.artifact.name(),
            "fingerprint": r.artifact.fingerprint().to_string(),
            "artifact_type": r.artifact.artifact_type().as_str(),
        },
        "running": r.running,
        "verification": verification,
        "running_as": running_as,
        "instances": instances,
        "message": r.verification.to_string(),
    })
    .to_string()
}

/// A guarded deployment of the artifact `artifact_name` with `fingerprint` (64 hex
/// characters: the one attested at build time) of `artifact_type` (`file`, `dir`, `docker`,
/// `oci`) to `environment`:
///
/// 1. A mutable reference (`:latest`, an image without a tag) not pinned by digest is refused
///    (`KOSLI_INVALID_INPUT`) before anything runs.
/// 2. `step(user_data)` runs synchronously on this thread. If it returns non-zero, nothing is
///    reported: the call returns `KOSLI_DEPLOY_STEP_FAILED` and `*step_code_out` holds the
///    step's code.
/// 3. Only after it returned 0: the environment is snapshot with the collector of
///    `collector_json`, one of:
///    * `{"path": "/srv/app/app", "name": "app", "exclude": [...]}` as `kosli snapshot path`;
///    * `{"paths_file": "spec.yml"}` as `snapshot paths`;
///    * `{"server": ["/srv/*.jar"], "exclude": [...]}` as `snapshot server`;
///    * `{"type": "docker", "docker_host": "unix:///var/run/docker.sock"}` as `snapshot
///      docker` (`docker_host`: `unix:///path`, `tcp://host:port`; default `$DOCKER_HOST`,
///      else the local socket): each running image with its repo digest;
///    * `{"type": "k8s", "kubeconfig": "/path", "namespaces": [...], "namespaces_regex":
///      [...], "exclude_namespaces": [...], "exclude_namespaces_regex": [...]}` as `snapshot
///      k8s` (every key optional; the current context of `kubeconfig`, default
///      `$HOME/.kube/config`, else in-cluster; an include and an exclude together are
///      refused before the step runs; a regex that does not compile fails after it, before
///      anything is reported): each pod's images with their digests.
///
///    The server shapes may also say `"type": "server"`. A key the chosen collector does not
///    take, a value of the wrong type or another `type` is `KOSLI_INVALID_INPUT` naming the
///    key, before the step runs. The snapshot is reported (a write: dry-run and the journal
///    apply; `*outcome_out`) to an environment of the collector's type (`server`, `docker`,
///    `K8S`), and the artifact's fingerprint is looked for among what runs. Not found is
///    `KOSLI_POLICY_DENIED` naming what runs (with option `on_mismatch` `"warn"`: a warning
///    in the log and `KOSLI_OK`); found under another name is `KOSLI_OK` with a warning.
///
/// On `KOSLI_OK`, `*json_out` is the report: `{"environment", "artifact": {"name",
/// "fingerprint", "artifact_type"}, "running": [{"name", "fingerprint", "instances"}],
/// "verification": "running"|"running_as"|"not_running", "running_as": [names],
/// "instances", "message"}`, to free with `kosli_string_free`; free `*outcome_out` with
/// `kosli_outcome_free`. `*step_code_out` is written whenever the step ran (0 when it
/// succeeded). Options: `on_mismatch` (`"fail"`, the default, or `"warn"`),
/// `auto_environment` (create a missing `server` environment first).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `step` is a function as described; `user_data` is passed to it unchanged; the outputs are
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_deploy(
    client: *const kosli_client,
    environment: *const c_char,
    artifact_name: *const c_char,
    fingerprint: *const c_char,
    artifact_type: *const c_char,
    collector_json: *const c_char,
    options_json: *const c_char,
    step: kosli_deploy_step,
    user_data: *mut c_void,
    step_code_out: *mut c_int,
    outcome_out: *mut *mut kosli_outcome,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let name = unsafe { str_arg(artifact_name, "artifact_name") }?;
        // SAFETY: as above.
        let fingerprint = unsafe { fingerprint_arg(fingerprint, "fingerprint") }?;
        // SAFETY: as above.
        let artifact_type = unsafe { str_arg(artifact_type, "artifact_type") }?;
        if collector_json.is_null() {
            return Err(FfiError::Null("collector_json"));
        }
        // SAFETY: as above (not NULL).
        let collector_options = unsafe { Options::parse_named(collector_json, "collector_json") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        let step = step.ok_or(FfiError::Null("step"))?;
        // SAFETY: as above.
        let step_code = unsafe { out_arg(step_code_out, "step_code_out") }?;
        // SAFETY: as above.
        let outcome_slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        // SAFETY: as above.
        let json_slot = unsafe { JsonSlot::new(json_out) }?;
        let on_mismatch = match options.string("on_mismatch")?.as_deref() {
            None | Some("fail") => Mismatch::Fail,
            Some("warn") => Mismatch::Warn,
            Some(other) => {
                return Err(invalid(
                    "on_mismatch",
                    format!("option `on_mismatch` must be \"fail\" or \"warn\", not {other:?}"),
                ))
            }
        };
        let auto_environment = options.bool("auto_environment")?.unwrap_or(false);
        options.finish()?;
        let collector = collector(collector_options)?;
        let kind: ArtifactType = artifact_type.parse()?;
        let artifact = ArtifactRef::new(name, fingerprint, kind)?;
        let deployment = Deployment::new(environment, &artifact)?
            .on_mismatch(on_mismatch)
            .auto_environment(auto_environment);
        let result = client.deploy(&deployment, collector.as_dyn(), || {
            // SAFETY: the caller's function, called once on this thread with its own data.
            let code = unsafe { step(user_data) };
            *step_code = code;
            if code == 0 {
                Ok(())
            } else {
                Err(code)
            }
        });
        match result {
            Ok(report) => {
                outcome_slot.put(&report.outcome);
                json_slot.put(report_json(&report));
                Ok(())
            }
            Err(DeployError::Step(code)) => Err(FfiError::StepFailed(code)),
            Err(other) => match other.into_error() {
                Ok(e) => Err(FfiError::Core(e)),
                Err(code) => Err(FfiError::StepFailed(code)),
            },
        }
    })
}
