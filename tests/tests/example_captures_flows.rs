//! The `kosli` example, as a separate process, run with each case's arguments and environment
//! (tests/fixtures/ops/cases: the shared captures of flows, trails and attestations and the
//! runs observed from the official CLI) against fake-kosli answering as the capture server did:
//! the same requests (method, target, `Authorization`, content type, JSON text, multipart parts,
//! file names, contents, tar members), the same stdout and stderr, the same exit code.
//!
//! Deliberate differences, checked as such: the GitHub requests of `attest pullrequest github`
//! go through the SDK's HTTP client (`Content-Type: application/json; charset=utf-8` where the
//! CLI sends `application/json`, and on the REST GET where the CLI sends none).

mod ops_common;

use std::path::PathBuf;
use std::process::Command;

use kosli_tests::fake::FakeKosli;
use ops_common::*;

/// The `kosli` example binary, built once.
fn kosli() -> PathBuf {
    kosli_tests::example_binary("kosli")
}

/// Runs the example as the CLI ran for `name` and compares everything it did.
fn run_case(name: &str) {
    let case = Case::load(name);
    let fake = FakeKosli::start().unwrap();
    case.replay_on(&fake);
    let fx = Fixture::new();
    let host = fake.url();
    let mut cmd = Command::new(kosli());
    cmd.env_clear()
        .env("HOME", fx.path("home"))
        .env("PATH", "/usr/bin:/bin")
        .current_dir(fx.repo())
        .args(case.args.iter().map(|a| fx.subst(a, &host)));
    for (k, v) in &case.env {
        cmd.env(k, fx.subst(v, &host));
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let context = format!("{name}\n--- stdout\n{stdout}--- stderr\n{stderr}");
    assert_eq!(stdout, fx.subst(&case.stdout, &host), "stdout of {context}");
    assert_eq!(stderr, fx.subst(&case.stderr, &host), "stderr of {context}");
    assert_eq!(
        out.status.code(),
        Some(case.exit_code),
        "exit code of {context}"
    );
    let got = fake.requests();
    let want = &case.requests;
    assert_eq!(got.len(), want.len(), "number of requests of {context}");
    for (g, w) in got.iter().zip(want) {
        if w["target"].as_str().unwrap().starts_with("/api/v2/") {
            assert_request(g, w, &fx, &host);
        } else {
            // GitHub, through the SDK's HTTP client: the same media type where the CLI sent
            // one (the SDK adds `; charset=utf-8`, and sends it on GETs too).
            let mut w = w.clone();
            if let Some(want) = w["content_type"].as_str() {
                let got = header(g, "Content-Type").unwrap_or_default();
                assert_eq!(
                    got.split(';').next().unwrap_or_default(),
                    want,
                    "GitHub content type of {name}"
                );
            }
            w["content_type"] = serde_json::json!(header(g, "Content-Type"));
            assert_request(g, &w, &fx, &host);
        }
    }
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_case(stringify!($name));
            }
        )*

        #[test]
        fn every_case_is_run() {
            let listed = [$(stringify!($name)),*];
            for name in Case::all_names() {
                assert!(listed.contains(&name.as_str()), "case {name} is not run by the example test");
            }
        }
    };
}

cases!(
    attest_artifact_bad_annotation,
    attest_artifact_bad_fingerprint,
    attest_artifact_dir,
    attest_artifact_dry_run,
    attest_artifact_file,
    attest_artifact_fingerprint,
    attest_artifact_missing_urls,
    attest_artifact_no_type,
    attest_custom,
    attest_custom_bad_data,
    attest_custom_dry_run,
    attest_custom_missing_data,
    attest_custom_missing_flags,
    attest_generic_all_fields,
    attest_generic_artifact_file,
    attest_generic_bad_name,
    attest_generic_dir_attachment,
    attest_generic_dry_run_error,
    attest_generic_fingerprint_hint,
    attest_generic_minimal,
    attest_generic_missing_attachment,
    attest_generic_several_attachments,
    attest_generic_single_file_attachment,
    attest_junit,
    attest_junit_several_files,
    attest_pr_dry_run,
    attest_pr_github_fake_gh,
    attest_pr_no_prs,
    attest_pr_no_prs_assert,
    attest_pr_open_signed,
    attest_snyk_sarif,
    begin_trail_bad_user_data,
    begin_trail_dry_run,
    begin_trail_full,
    begin_trail_minimal,
    begin_trail_no_flow,
    begin_trail_no_name,
    begin_trail_updated,
    ci_github_attest_artifact,
    ci_gitlab_attest_artifact,
    create_flow_both_templates,
    create_flow_dry_run,
    create_flow_empty_template,
    create_flow_env,
    create_flow_legacy,
    create_flow_legacy_dry_run,
    create_flow_legacy_visibility,
    create_flow_missing_template_file,
    create_flow_no_name,
    create_flow_template_file,
    create_flow_updated,
    dryrun_attest_generic_multipart,
    get_flow,
    get_flow_json,
    get_flow_legacy,
    get_flow_not_found,
    get_flow_nulls,
    list_flows,
    list_flows_empty,
    list_flows_empty_json,
    list_flows_json,
    list_flows_name,
    list_flows_paged,
    list_flows_paged_json,
);

/// Runs the example with `args` (and the fake as host) in a fixture folder.
fn run_example(fake: &FakeKosli, args: &[&str]) -> std::process::Output {
    let fx = Fixture::new();
    let mut cmd = Command::new(kosli());
    cmd.env_clear()
        .env("HOME", fx.path("home"))
        .env("PATH", "/usr/bin:/bin")
        .current_dir(fx.repo())
        .args(args)
        .args(["--host", &fake.url(), "--api-token", "t", "--org", "acme"]);
    cmd.output().unwrap()
}

#[test]
fn naming_convention_refuses_or_warns() {
    // An addition of the SDK: the CLI has no such flag.
    let fake = FakeKosli::start().unwrap();
    let out = run_example(
        &fake,
        &[
            "create",
            "flow",
            "backend",
            "--use-empty-template",
            "--naming-convention",
            "seed",
            "--enforce-naming",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: [kosli create flow] flow name 'backend' does not follow the naming convention <team>-<service>-<component>: each <part> is one or more lowercase letters or digits (e.g. team-service-component)\n"
    );
    assert!(fake.requests().is_empty(), "a refused name sends nothing");
    let out = run_example(
        &fake,
        &[
            "create",
            "flow",
            "backend",
            "--use-empty-template",
            "--naming-convention",
            "<team>-<service>",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(
        "[warning] flow name 'backend' does not follow the naming convention <team>-<service>:"
    ));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "flow 'backend' was created\n"
    );
    assert_eq!(fake.requests().len(), 1);
    let out = run_example(
        &fake,
        &[
            "create",
            "flow",
            "payments-api",
            "--use-empty-template",
            "--naming-convention",
            "<team>-<service>",
            "--enforce-naming",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    let out = run_example(
        &fake,
        &["create", "flow", "x", "--naming-convention", "<a><b>"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid naming convention"));
}
