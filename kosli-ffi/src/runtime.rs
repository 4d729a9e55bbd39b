//! What runs in a runtime environment: image fingerprints (an OCI registry's manifest digest,
//! or a local Docker Engine's repo digest, as the CLI's `--artifact-type oci|docker`) and
//! snapshots of a Docker host or a Kubernetes cluster (`kosli snapshot docker|k8s`).

use std::ffi::c_char;
use std::path::PathBuf;
use std::time::Duration;

use kosli_core::fingerprint::image::{DockerOptions, ImageFingerprinter, RegistryOptions};
use kosli_core::ops::environments::types;
use kosli_core::snapshot::k8s::{K8sCluster, NamespaceSelector};
use kosli_core::snapshot::{Collector, ReportOptions, Snapshot};
use kosli_core::ArtifactType;

use crate::args::{str_arg, write_str};
use crate::calls::{client_arg, OutcomeSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// The `docker_host` option.
fn docker_options(options: &mut Options) -> Result<DockerOptions, FfiError> {
    Ok(match options.string("docker_host")? {
        Some(host) => DockerOptions::host(host),
        None => DockerOptions::default(),
    })
}

/// Fingerprints the image `name` (`registry/repo:tag`, `repo@sha256:...`; no tag means
/// `latest`) of `artifact_type` `oci` (the manifest digest its registry reports; the index
/// digest of a multi-arch image) or `docker` (the repo digest the local Docker Engine holds,
/// chosen as the CLI chooses; with registry credentials, the registry's digest as in the CLI)
/// into `out` as 64 hex characters and a NUL (`out_len` at least
/// `KOSLI_FINGERPRINT_BUFFER_SIZE`). Options: `username`, `password` (registry credentials;
/// without them the machine's auth files are searched), `insecure_registries` (a list of
/// `host:port` that may be reached over plain http; the ones of `registries.conf` are
/// always added, as in the CLI), `auth_files` (a list, instead of the default ones),
/// `ca_bundle` (a PEM file of extra CAs), `timeout_seconds` (per request, default 30),
/// `docker_host` (`unix:///path`, `tcp://host:port`; default `$DOCKER_HOST`, else the local
/// socket).
///
/// # Safety
/// Strings are NUL-terminated (`options_json` may be NULL); `out` is writable for `out_len`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn kosli_fingerprint_image(
    name: *const c_char,
    artifact_type: *const c_char,
    options_json: *const c_char,
    out: *mut c_char,
    out_len: usize,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: as above.
        let artifact_type = unsafe { str_arg(artifact_type, "artifact_type") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        if out.is_null() {
            return Err(FfiError::Null("out"));
        }
        let kind: ArtifactType = artifact_type.parse()?;
        let mut registry = RegistryOptions::from_environment();
        if let Some(user) = options.string("username")? {
            registry = registry.username(user);
        }
        if let Some(password) = options.string("password")? {
            registry = registry.password(password);
        }
        if let Some(hosts) = options.strings("insecure_registries")? {
            registry = registry.insecure_registries(hosts);
        }
        if let Some(files) = options.strings("auth_files")? {
            registry = registry.auth_files(files);
        }
        if let Some(path) = options.string("ca_bundle")? {
            registry = registry.ca_bundle(path);
        }
        if let Some(seconds) = options.u64("timeout_seconds")? {
            registry = registry.timeout(Duration::from_secs(seconds));
        }
        let docker = docker_options(&mut options)?;
        options.finish()?;
        let fp = ImageFingerprinter::new()
            .registry(registry)
            .docker(docker)
            .fingerprint_blocking(name, kind)?;
        // SAFETY: `out` is writable for `out_len` bytes, as documented.
        unsafe { write_str(&fp.to_string(), out, out_len, "out") }
    })
}

/// `auto_environment` and `environment_description`.
fn report_options(options: &mut Options) -> Result<ReportOptions, FfiError> {
    let mut report =
        ReportOptions::new().auto_environment(options.bool("auto_environment")?.unwrap_or(false));
    if let Some(text) = options.string("environment_description")? {
        report = report.environment_description(text);
    }
    Ok(report)
}

/// Reports the containers running on a Docker host to the environment `environment`
/// (`kosli snapshot docker`): as the CLI, the environment is made sure of first (with
/// `auto_environment`), then the Engine is asked, then the snapshot is reported (containers
/// without a repo digest are skipped, as the CLI skips them). Options: `docker_host`,
/// `auto_environment` (create a missing environment, type `docker`),
/// `environment_description` (the description it is created with).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_snapshot_docker(
    client: *const kosli_client,
    environment: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let docker = docker_options(&mut options)?;
        let report = report_options(&mut options)?;
        options.finish()?;
        client.prepare_environment(environment, types::DOCKER, &report)?;
        let snapshot = Collector::Docker(docker).collect_blocking(environment)?;
        let outcome = client.report_snapshot(&snapshot, &ReportOptions::new())?;
        slot.put(&outcome.report);
        Ok(())
    })
}

/// Reports the pods running in a Kubernetes cluster to the environment `environment`
/// (`kosli snapshot k8s`): every namespace, or those `namespaces` / `namespaces_regex` pick,
/// or all but `exclude_namespaces` / `exclude_namespaces_regex` (an include and an exclude
/// together are refused, as in the CLI). The cluster is the current context of `kubeconfig`
/// (default `$HOME/.kube/config` if it exists, else the in-cluster service account;
/// `$KUBECONFIG` is not read, as in the CLI). Options: those, `auto_environment` (type
/// `K8S`), `environment_description`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_snapshot_k8s(
    client: *const kosli_client,
    environment: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let kubeconfig = options.string("kubeconfig")?.map(PathBuf::from);
        let selector = NamespaceSelector {
            namespaces: options.strings("namespaces")?.unwrap_or_default(),
            namespaces_regex: options.strings("namespaces_regex")?.unwrap_or_default(),
            exclude_namespaces: options.strings("exclude_namespaces")?.unwrap_or_default(),
            exclude_namespaces_regex: options
                .strings("exclude_namespaces_regex")?
                .unwrap_or_default(),
        };
        let report = report_options(&mut options)?;
        options.finish()?;
        // As the CLI: the flags, the credentials, the environment, then the cluster.
        selector.check_flags()?;
        let cluster = K8sCluster::connect(kubeconfig.as_deref())?;
        client.prepare_environment(environment, types::K8S, &report)?;
        let snapshot = cluster.snapshot_blocking(environment, &selector)?;
        let outcome = client.report_snapshot(&Snapshot::K8s(snapshot), &ReportOptions::new())?;
        slot.put(&outcome.report);
        Ok(())
    })
}
