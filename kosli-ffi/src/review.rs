//! External evidence (`kosli_core::review`): the pull (merge) requests that contain a commit
//! at GitHub, GitLab, Bitbucket Cloud or Azure DevOps (`kosli assert pullrequest`, `attest
//! pullrequest`), SonarQube/SonarCloud analyses (`attest sonar`) and Jira issues (`attest
//! jira`), read through the client's transport and retry rules.

use std::ffi::c_char;

use kosli_core::ops::attestations::Attestation;
use kosli_core::review::jira::JiraSource;
use kosli_core::review::sonar::SonarSource;
use kosli_core::review::{PrSource, Provider, PullRequestEvidence, ReviewAttestation};
use serde_json::json;

use crate::args::str_arg;
use crate::attest::{common_options, target};
use crate::calls::{client_arg, JsonSlot, OutcomeSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// The provider's source from the options `owner`, `repository`, `token`, `username`,
/// `password`, `base_url`, `project` (the keys are [`PrSource`]'s fields).
fn pr_source(provider: &str, options: &mut Options) -> Result<PrSource, FfiError> {
    let provider: Provider = provider.parse()?;
    let mut source = PrSource::new(provider);
    if let Some(owner) = options.string("owner")? {
        source = source.owner(&owner);
    }
    if let Some(repository) = options.string("repository")? {
        source = source.repository(&repository);
    }
    if let Some(token) = options.string("token")? {
        source = source.token(&token);
    }
    let username = options.string("username")?;
    let password = options.string("password")?;
    if let (Some(u), Some(p)) = (&username, &password) {
        source = source.basic_auth(u, p);
    } else if username.is_some() || password.is_some() {
        return Err(FfiError::Core(kosli_core::Error::invalid_input(
            "options_json",
            "options `username` and `password` go together",
        )));
    }
    if let Some(url) = options.string("base_url")? {
        source = source.base_url(&url);
    }
    if let Some(project) = options.string("project")? {
        source.project = project;
    }
    Ok(source)
}

/// The evidence as JSON, with each pull request's approvals.
fn evidence_json(e: &PullRequestEvidence) -> Result<String, FfiError> {
    let mut v = serde_json::to_value(e)
        .map_err(|e| FfiError::Core(kosli_core::Error::invalid_input("evidence", e.to_string())))?;
    if let Some(map) = v.as_object_mut() {
        map.insert("approvals".into(), json!(e.approvals()));
    }
    Ok(v.to_string())
}

/// How a pull-request read ends.
enum Lookup {
    Find,
    Assert,
}

/// The body of find and assert.
///
/// # Safety
/// As for the two exports.
unsafe fn lookup(
    how: Lookup,
    client: *const kosli_client,
    provider: *const c_char,
    commit: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> Result<(), FfiError> {
    // SAFETY: as documented for the caller (each unsafe call below likewise).
    let client = unsafe { client_arg(client) }?;
    // SAFETY: as above.
    let provider = unsafe { str_arg(provider, "provider") }?;
    // SAFETY: as above.
    let commit = unsafe { str_arg(commit, "commit") }?;
    // SAFETY: as above.
    let mut options = unsafe { Options::parse(options_json) }?;
    // SAFETY: as above.
    let slot = unsafe { JsonSlot::new(json_out) }?;
    let source = pr_source(provider, &mut options)?;
    options.finish()?;
    let evidence = match how {
        Lookup::Find => client.find_pull_requests(&source, commit)?,
        Lookup::Assert => client.assert_pull_requests(&source, commit)?,
    };
    slot.put(evidence_json(&evidence)?);
    Ok(())
}

/// The pull (merge) requests that contain `commit` (a full commit id) at `provider`
/// (`github`, `gitlab`, `bitbucket`, `azure`), found as the CLI finds them (possibly none):
/// `*json_out` is `{"provider", "commit", "pull_requests": [...], "approvals": [{"count",
/// "approvers"}, ...]}` (the pull requests in the CLI's `pull_request` attestation shape), to
/// free with `kosli_string_free`. A provider's refusal is `KOSLI_AUTH`, `KOSLI_NOT_FOUND` or
/// `KOSLI_API` naming its message; a missing setting is `KOSLI_CONFIG` naming the CLI's flag.
/// Options: `owner` (GitHub org, GitLab group, Bitbucket workspace), `repository`, `token`
/// (GitHub, GitLab or Azure token, or a Bitbucket access token), `username` and `password`
/// (Bitbucket Basic auth), `base_url` (GitHub Enterprise's API, a self-managed GitLab,
/// Azure's organization URL (required), Bitbucket's API root), `project` (Azure). Tokens
/// never appear in logs or messages.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_find_pull_requests(
    client: *const kosli_client,
    provider: *const c_char,
    commit: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: the caller's promises, passed on unchanged.
        unsafe {
            lookup(
                Lookup::Find,
                client,
                provider,
                commit,
                options_json,
                json_out,
            )
        }
    })
}

/// `kosli assert pullrequest <provider>`: as `kosli_client_find_pull_requests`, but no pull
/// request found is `KOSLI_POLICY_DENIED` with the CLI's message (`assert failed: found no
/// pull request(s) in Github for commit: <sha>`); on Azure the pull requests' commits are not
/// read, as in the CLI. Same options.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_assert_pull_requests(
    client: *const kosli_client,
    provider: *const c_char,
    commit: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: the caller's promises, passed on unchanged.
        unsafe {
            lookup(
                Lookup::Assert,
                client,
                provider,
                commit,
                options_json,
                json_out,
            )
        }
    })
}

/// `kosli attest pullrequest <provider>`: finds the pull requests of `commit` at `provider`
/// (as `kosli_client_find_pull_requests`) and attests them as `name` in `trail` of `flow`,
/// identical on the wire to the CLI (`git_provider`, `pull_requests`). With option
/// `assert_found`, none found is `KOSLI_POLICY_DENIED` after the attestation was sent (the
/// CLI's `--assert`; the outcome is not given then). Options: the source options of
/// `kosli_client_find_pull_requests`, `assert_found`, and every attestation's options
/// (`fingerprint`, `git_commit_info`, `repo_info`, `origin_url`, `external_urls`,
/// `user_data`, `description`, `annotations`, `attachments`).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_pull_requests_found(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    provider: *const c_char,
    commit: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let provider = unsafe { str_arg(provider, "provider") }?;
        // SAFETY: as above.
        let commit = unsafe { str_arg(commit, "commit") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let source = pr_source(provider, &mut options)?;
        let assert_found = options.bool("assert_found")?.unwrap_or(false);
        let base = common_options(
            Attestation::generic(t.flow, t.trail, t.name, true)?,
            &mut options,
        )?;
        options.finish()?;
        let evidence = client.find_pull_requests(&source, commit)?;
        let attestation = ReviewAttestation::pull_requests(base, evidence.clone());
        let outcome = client.attest_review(&attestation)?;
        if assert_found {
            evidence.assert_attested()?;
        }
        slot.put(&outcome);
        Ok(())
    })
}

/// `kosli attest sonar`: the SonarQube/SonarCloud analysis of a scan and its quality gate,
/// read with `sonar_api_token`, attested as `name` in `trail` of `flow` (as the CLI sends
/// it). The scan is found by option `ce_task_url`, else `project_key` (with `revision`,
/// `branch` or `pull_request`), else the `report-task.txt` of `working_dir` (default
/// `.scannerwork`). Options: those, `server_url` (default `https://sonarcloud.io`), and every
/// attestation's options (see `kosli_client_attest_pull_requests_found`).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_sonar(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    sonar_api_token: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let token = unsafe { str_arg(sonar_api_token, "sonar_api_token") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let mut source = SonarSource::new(token);
        if let Some(url) = options.string("server_url")? {
            source.server_url = url;
        }
        source.ce_task_url = options.string("ce_task_url")?;
        source.working_dir = options.string("working_dir")?;
        source.project_key = options.string("project_key")?;
        source.revision = options.string("revision")?;
        source.branch = options.string("branch")?;
        source.pull_request = options.string("pull_request")?;
        let base = common_options(
            Attestation::generic(t.flow, t.trail, t.name, true)?,
            &mut options,
        )?;
        options.finish()?;
        let results = client.sonar_results(&source)?;
        slot.put(&client.attest_review(&ReviewAttestation::sonar(base, results))?);
        Ok(())
    })
}

/// `kosli attest jira`: the Jira issues a commit references, each read from the Jira at
/// `jira_base_url`, attested as `name` in `trail` of `flow` (as the CLI sends it). The
/// references are found in option `commit_message` and `branch` (each defaulting to
/// `git_commit_info`'s `message` and `branch`), or are exactly `issue_keys`. Options: those,
/// `username` and `api_token` (Jira Cloud, Basic auth), `pat` (a personal access token,
/// self-hosted Jira), `issue_fields` (a list of fields to record), `project_keys` (only
/// these projects' keys), `secondary_source`, `trailer` (the commit trailer that is the
/// sole source of references), `ignore_branch`, and every attestation's options (see
/// `kosli_client_attest_pull_requests_found`).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_jira(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    jira_base_url: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let base_url = unsafe { str_arg(jira_base_url, "jira_base_url") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let mut source = JiraSource::new(base_url);
        source.username = options.string("username")?;
        source.api_token = options.string("api_token")?.map(Into::into);
        source.pat = options.string("pat")?.map(Into::into);
        source.issue_fields = options
            .strings("issue_fields")?
            .unwrap_or_default()
            .join(",");
        source.project_keys = options.strings("project_keys")?.unwrap_or_default();
        source.secondary_source = options.string("secondary_source")?;
        source.trailer = options.string("trailer")?;
        source.ignore_branch = options.bool("ignore_branch")?.unwrap_or(false);
        let message = options.string("commit_message")?;
        let branch = options.string("branch")?;
        let issue_keys = options.strings("issue_keys")?;
        let base = common_options(
            Attestation::generic(t.flow, t.trail, t.name, true)?,
            &mut options,
        )?;
        options.finish()?;
        let keys = match issue_keys {
            Some(keys) => keys,
            None => {
                let commit = base.common().git_commit_info.as_ref();
                let message = message
                    .or_else(|| commit.map(|c| c.message.clone()))
                    .unwrap_or_default();
                let branch = branch
                    .or_else(|| commit.map(|c| c.branch.clone()))
                    .unwrap_or_default();
                source.references(&message, &branch)
            }
        };
        let results = client.jira_results(&source, &keys)?;
        slot.put(&client.attest_review(&ReviewAttestation::jira(base, results))?);
        Ok(())
    })
}
