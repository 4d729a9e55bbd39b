//! Every C operation sends exactly what the Rust SDK sends for the same inputs: each call is
//! made through the C ABI (organization `c`) and through `kosli_core::blocking::Client`
//! (organization `rust`) against one fake-kosli, and the two requests must be equal (method,
//! path, query, JSON body or every multipart part, byte for byte) once the organization name
//! is set aside. Reads are compared the same way, and their C answer is the server's JSON.
#![allow(
    clippy::undocumented_unsafe_blocks,
    reason = "every unsafe block here is one C call with a live client, NUL-terminated strings that outlive it and writable outputs (said once, above the calls)"
)]

use std::ffi::{c_char, CStr, CString};
use std::path::Path;

use kosli::client::kosli_client;
use kosli::outcome::{kosli_outcome, kosli_outcome_free, kosli_outcome_kind, KOSLI_OUTCOME_SENT};
use kosli::*;
use kosli_core::blocking::Client;
use kosli_core::evidence::{junit, snyk};
use kosli_core::model::pull_request::PullRequest;
use kosli_core::ops::artifacts_read::{ArtifactSelector, GetArtifact, ListArtifacts};
use kosli_core::ops::attest_artifact::AttestArtifact;
use kosli_core::ops::attestations::Attestation;
use kosli_core::ops::compliance::{AllowArtifact, AssertArtifact};
use kosli_core::ops::environments::{CreateEnvironment, ListEnvironments};
use kosli_core::ops::flows::{CreateFlow, ListFlows};
use kosli_core::ops::snapshots::{PathsSpec, SnapshotServer};
use kosli_core::ops::trails::BeginTrail;
use kosli_core::{Config, Fingerprint};
use kosli_tests::fake::FakeKosli;
use serde_json::{json, Value};

const SHA: &str = "3e74850331dadafd9a390fa2be410e026122fd3c";

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn rust_client(fake: &FakeKosli) -> Client {
    let config = Config::builder()
        .host(fake.url())
        .org("rust")
        .api_token("t")
        .max_api_retries(0)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn c_client(fake: &FakeKosli) -> *mut kosli_client {
    let mut client = std::ptr::null_mut();
    // SAFETY: valid strings and pointers for each call.
    unsafe {
        let config = config::kosli_config_new();
        config::kosli_config_set_host(config, c(&fake.url()).as_ptr());
        config::kosli_config_set_org(config, c("c").as_ptr());
        config::kosli_config_set_api_token(config, c("t").as_ptr());
        config::kosli_config_set_max_api_retries(config, 0);
        assert_eq!(
            client::kosli_client_new(config, &mut client),
            kosli_status::KOSLI_OK
        );
    }
    client
}

/// One request as compared: the organization replaced, the multipart boundary left out.
fn normalized(request: &Value, org: &str) -> Value {
    let path: Vec<&str> = request["path"]
        .as_str()
        .unwrap()
        .split('/')
        .map(|segment| if segment == org { "ORG" } else { segment })
        .collect();
    let path = path.join("/");
    let body = match request.get("multipart") {
        Some(parts) => Value::Array(
            parts
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    json!({"name": p["name"], "filename": p["filename"], "content_type": p["content_type"],
                           "text": p["text"], "b64": p["b64"]})
                })
                .collect(),
        ),
        None => request.get("body").cloned().unwrap_or(Value::Null),
    };
    json!({"method": request["method"], "path": path, "query": request["query"], "body": body})
}

/// The requests sent by `call`, normalized.
fn sent(fake: &FakeKosli, org: &str, call: impl FnOnce()) -> Vec<Value> {
    fake.clear_requests();
    call();
    fake.requests().iter().map(|r| normalized(r, org)).collect()
}

/// Runs a C write and checks it was sent.
fn c_write(f: impl FnOnce(*mut *mut kosli_outcome) -> kosli_status) {
    let mut outcome = std::ptr::null_mut();
    let status = f(&mut outcome);
    assert_eq!(status, kosli_status::KOSLI_OK, "{}", last_error());
    // SAFETY: a live outcome, freed once.
    unsafe {
        assert_eq!(kosli_outcome_kind(outcome), KOSLI_OUTCOME_SENT);
        kosli_outcome_free(outcome);
    }
}

/// Runs a C read and returns its JSON answer.
fn c_read(f: impl FnOnce(*mut *mut c_char) -> kosli_status) -> Value {
    let mut json = std::ptr::null_mut();
    let status = f(&mut json);
    assert_eq!(status, kosli_status::KOSLI_OK, "{}", last_error());
    // SAFETY: a library string, freed once.
    unsafe {
        let text = CStr::from_ptr(json).to_str().unwrap().to_string();
        common::kosli_string_free(json);
        serde_json::from_str(&text).unwrap()
    }
}

fn last_error() -> String {
    let mut buf = vec![0 as c_char; 4096];
    // SAFETY: a writable buffer of its length.
    unsafe {
        common::kosli_last_error_message(buf.as_mut_ptr(), buf.len(), std::ptr::null_mut());
        CStr::from_ptr(buf.as_ptr()).to_string_lossy().into_owned()
    }
}

struct Pair<'a> {
    fake: &'a FakeKosli,
    rust: Client,
    c: *mut kosli_client,
}

impl Pair<'_> {
    /// The C call and the Rust call send the same requests.
    fn same(&self, what: &str, c_call: impl FnOnce(), rust_call: impl FnOnce(&Client)) {
        let from_c = sent(self.fake, "c", c_call);
        let from_rust = sent(self.fake, "rust", || rust_call(&self.rust));
        assert!(!from_c.is_empty(), "{what}: nothing sent");
        assert_eq!(from_c, from_rust, "{what}: C and Rust differ");
    }
}

fn write_file(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn c_operations_send_what_the_rust_sdk_sends() {
    let fake = FakeKosli::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name);
    write_file(&d("app.bin"), "the artifact");
    write_file(
        &d("template.yml"),
        "version: 1\ntrail:\n  attestations: []\n",
    );
    write_file(&d("report.txt"), "evidence");
    std::fs::create_dir(d("evidence")).unwrap();
    write_file(&d("evidence/a.txt"), "a");
    std::fs::create_dir(d("junit")).unwrap();
    write_file(
        &d("junit/results.xml"),
        r#"<testsuite name="unit" tests="2" failures="1" timestamp="2024-06-01T10:00:00"><testcase name="a" time="0.25"/><testcase name="b"><failure/></testcase></testsuite>"#,
    );
    write_file(
        &d("snyk.json"),
        r#"{"$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json", "version": "2.1.0", "runs": []}"#,
    );
    write_file(
        &d("paths.yml"),
        &format!(
            "version: 1\nartifacts:\n  app:\n    path: {}\n",
            d("app.bin").display()
        ),
    );
    let fp: Fingerprint = kosli_core::fingerprint::Fingerprinter::new()
        .file(d("app.bin"))
        .unwrap();
    let fps = c(&fp.to_string());
    let pair = Pair {
        fake: &fake,
        rust: rust_client(&fake),
        c: c_client(&fake),
    };
    let cl = pair.c;
    let p = |name: &str| d(name).to_string_lossy().into_owned();

    // SAFETY (every `unsafe` block below): a live client, NUL-terminated strings that outlive
    // the call, and writable outputs.
    let flow_options = c(&format!(
        r#"{{"description": "from C", "visibility": "private", "template_file": "{}"}}"#,
        p("template.yml")
    ));
    pair.same(
        "create_flow",
        || {
            c_write(|o| unsafe {
                flows::kosli_client_create_flow(cl, c("f1").as_ptr(), flow_options.as_ptr(), o)
            })
        },
        |r| {
            r.create_flow(
                &CreateFlow::new("f1")
                    .description("from C")
                    .visibility("private")
                    .template_file(d("template.yml")),
            )
            .unwrap();
        },
    );
    let yaml_options = c(r#"{"template_yaml": "version: 1\n"}"#);
    pair.same(
        "create_flow (template_yaml)",
        || {
            c_write(|o| unsafe {
                flows::kosli_client_create_flow(cl, c("f2").as_ptr(), yaml_options.as_ptr(), o)
            })
        },
        |r| {
            r.create_flow(
                &CreateFlow::new("f2").template(kosli_core::ops::flows::Template::yaml(
                    "template.yml",
                    "version: 1\n",
                )),
            )
            .unwrap();
        },
    );
    let controls = [c("unit-test"), c("security")];
    let control_ptrs: Vec<*const c_char> = controls.iter().map(|s| s.as_ptr()).collect();
    let legacy_options = c(r#"{"description": "old"}"#);
    pair.same(
        "create_flow_legacy",
        || {
            c_write(|o| unsafe {
                flows::kosli_client_create_flow_legacy(
                    cl,
                    c("f3").as_ptr(),
                    control_ptrs.as_ptr(),
                    2,
                    legacy_options.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            r.create_flow(
                &CreateFlow::new("f3")
                    .legacy_template(["unit-test", "security"])
                    .description("old"),
            )
            .unwrap();
        },
    );
    let trail_options = c(&format!(
        r#"{{"description": "release 1", "user_data": {{"build": 42, "ok": true}}, "origin_url": "https://ci.example.com/1",
            "git_commit_info": {{"sha1": "{SHA}", "message": "m", "author": "A <a@example.com>", "timestamp": 1717327800, "branch": "main"}},
            "repo_info": {{"url": "https://github.com/acme/app", "name": "acme/app", "id": "555", "provider": "github"}},
            "external_urls": {{"docs": {{"href": "https://docs.example.com"}}}}, "template_file": "{}"}}"#,
        p("template.yml")
    ));
    let commit: kosli_core::provenance::GitCommitInfo = serde_json::from_value(json!(
        {"sha1": SHA, "message": "m", "author": "A <a@example.com>", "timestamp": 1717327800, "branch": "main"}))
    .unwrap();
    let repo: kosli_core::provenance::RepoInfo = serde_json::from_value(json!(
        {"url": "https://github.com/acme/app", "name": "acme/app", "id": "555", "provider": "github"}))
    .unwrap();
    let urls: kosli_core::provenance::ExternalUrls =
        serde_json::from_value(json!({"docs": {"href": "https://docs.example.com"}})).unwrap();
    pair.same(
        "begin_trail",
        || {
            c_write(|o| unsafe {
                trails::kosli_client_begin_trail(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    trail_options.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let t = BeginTrail::new("f1", "t1")
                .description("release 1")
                .user_data(json!({"build": 42, "ok": true}))
                .origin_url("https://ci.example.com/1")
                .git_commit_info(commit.clone())
                .repo_info(repo.clone())
                .external_urls(urls.clone())
                .template_file(d("template.yml"));
            r.begin_trail(&t).unwrap();
        },
    );
    let artifact_options = c(&format!(
        r#"{{"build_url": "https://ci.example.com/1", "commit_url": "https://github.com/acme/app/commit/{SHA}",
            "repo_url": "https://github.com/acme/app", "annotations": {{"team": "payments", "tier": "1"}},
            "git_commit_info": {{"sha1": "{SHA}", "message": "m", "author": "A <a@example.com>", "timestamp": 1717327800, "branch": "main"}},
            "repo_info": {{"url": "https://github.com/acme/app", "name": "acme/app", "id": "555", "provider": "github"}},
            "external_urls": {{"docs": {{"href": "https://docs.example.com"}}}}}}"#
    ));
    pair.same(
        "attest_artifact",
        || {
            c_write(|o| unsafe {
                attest::kosli_client_attest_artifact(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("app").as_ptr(),
                    fps.as_ptr(),
                    c("app.bin").as_ptr(),
                    artifact_options.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let a = AttestArtifact::with_fingerprint("f1", "t1", "app", fp, "app.bin")
                .build_url("https://ci.example.com/1")
                .commit_url(format!("https://github.com/acme/app/commit/{SHA}"))
                .repo_url("https://github.com/acme/app")
                .annotate("team", "payments")
                .unwrap()
                .annotate("tier", "1")
                .unwrap()
                .git_commit_info(commit.clone())
                .repo_info(repo.clone())
                .external_urls(urls.clone());
            r.attest_artifact(&a).unwrap();
        },
    );
    // Every common option of an attestation, attachments (a file and a folder) included.
    let common = format!(
        r#""fingerprint": "{fp}", "description": "d", "user_data": {{"k": [1, 2]}}, "origin_url": "https://ci.example.com/2",
           "annotations": {{"a": "b"}}, "attachments": ["{}", "{}"],
           "git_commit_info": {{"sha1": "{SHA}", "message": "m", "author": "A <a@example.com>", "timestamp": 1717327800, "branch": "main"}},
           "repo_info": {{"url": "https://github.com/acme/app", "name": "acme/app", "id": "555", "provider": "github"}},
           "external_urls": {{"docs": {{"href": "https://docs.example.com", "fingerprint": "{fp}"}}}}"#,
        p("report.txt"),
        p("evidence")
    );
    let urls_fp: kosli_core::provenance::ExternalUrls = serde_json::from_value(
        json!({"docs": {"href": "https://docs.example.com", "fingerprint": fp.to_string()}}),
    )
    .unwrap();
    let with_common = |a: Attestation| -> Attestation {
        a.fingerprint(fp)
            .description("d")
            .user_data(json!({"k": [1, 2]}))
            .origin_url("https://ci.example.com/2")
            .annotate("a", "b")
            .unwrap()
            .attach(d("report.txt"))
            .attach(d("evidence"))
            .git_commit_info(commit.clone())
            .repo_info(repo.clone())
            .external_urls(urls_fp.clone())
    };
    let generic_options = c(&format!("{{{common}}}"));
    pair.same(
        "attest_generic",
        || {
            c_write(|o| unsafe {
                attest::kosli_client_attest_generic(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("app.review").as_ptr(),
                    false,
                    generic_options.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            r.attest(&with_common(
                Attestation::generic("f1", "t1", "app.review", false).unwrap(),
            ))
            .unwrap();
        },
    );
    let junit_options = c(&format!(r#"{{"upload_results": true, {common}}}"#));
    pair.same(
        "attest_junit",
        || {
            c_write(|o| unsafe {
                attest::kosli_client_attest_junit(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("unit").as_ptr(),
                    c(&p("junit")).as_ptr(),
                    junit_options.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let summary = junit::parse_dir(d("junit")).unwrap();
            r.attest(&with_common(
                Attestation::junit("f1", "t1", "unit", &summary, true).unwrap(),
            ))
            .unwrap();
        },
    );
    let no_upload = c(r#"{"upload_results": false}"#);
    pair.same(
        "attest_snyk (no upload)",
        || {
            c_write(|o| unsafe {
                attest::kosli_client_attest_snyk(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("scan").as_ptr(),
                    c(&p("snyk.json")).as_ptr(),
                    no_upload.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let results = snyk::parse_file(d("snyk.json")).unwrap();
            r.attest(&Attestation::snyk("f1", "t1", "scan", results, None).unwrap())
                .unwrap();
        },
    );
    pair.same(
        "attest_snyk",
        || {
            c_write(|o| unsafe {
                attest::kosli_client_attest_snyk(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("scan").as_ptr(),
                    c(&p("snyk.json")).as_ptr(),
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            let results = snyk::parse_file(d("snyk.json")).unwrap();
            r.attest(
                &Attestation::snyk("f1", "t1", "scan", results, Some(d("snyk.json"))).unwrap(),
            )
            .unwrap();
        },
    );
    pair.same(
        "attest_custom",
        || {
            c_write(|o| unsafe {
                attest::kosli_client_attest_custom(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("cov").as_ptr(),
                    c("coverage").as_ptr(),
                    c(r#"{"percent": 91.5, "files": ["a.c"]}"#).as_ptr(),
                    c(r#"{"description": "x"}"#).as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let a = Attestation::custom(
                "f1",
                "t1",
                "cov",
                "coverage",
                json!({"percent": 91.5, "files": ["a.c"]}),
            )
            .unwrap()
            .description("x");
            r.attest(&a).unwrap();
        },
    );
    let prs_json = format!(
        r#"[{{"merge_commit": "{SHA}", "url": "https://github.com/acme/app/pull/7", "state": "MERGED",
             "approvers": [{{"username": "bob", "state": "APPROVED", "timestamp": 1717243200}}], "author": "alice",
             "created_at": 1717236000, "merged_at": 1717322400, "title": "Add", "head_ref": "x", "base_ref": "main",
             "commits": [{{"sha1": "{SHA}", "message": "m", "author": "A <a@example.com>", "timestamp": 1717236000, "branch": "x", "url": "https://github.com/acme/app/commit/{SHA}"}}]}}]"#
    );
    let prs: Vec<PullRequest> = serde_json::from_str(&prs_json).unwrap();
    let prs_c = c(&prs_json);
    pair.same(
        "attest_pull_request",
        || {
            c_write(|o| unsafe {
                attest::kosli_client_attest_pull_request(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("pr").as_ptr(),
                    c("github").as_ptr(),
                    prs_c.as_ptr(),
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            r.attest(&Attestation::pull_request("f1", "t1", "pr", "github", prs.clone()).unwrap())
                .unwrap();
        },
    );
    pair.same(
        "create_environment",
        || {
            c_write(|o| unsafe {
                environments::kosli_client_create_environment(cl, c("e1").as_ptr(), c("server").as_ptr(),
                    c(r#"{"description": "prod", "include_scaling": false, "require_provenance": true}"#).as_ptr(), o)
            })
        },
        |r| {
            let e = CreateEnvironment::new("e1", "server").description("prod").include_scaling(false).require_provenance(true);
            r.create_environment(&e).unwrap();
        },
    );
    pair.same(
        "create_environment (logical)",
        || {
            c_write(|o| unsafe {
                environments::kosli_client_create_environment(
                    cl,
                    c("e2").as_ptr(),
                    c("logical").as_ptr(),
                    c(r#"{"included_environments": ["e1"]}"#).as_ptr(),
                    o,
                )
            })
        },
        |r| {
            r.create_environment(&CreateEnvironment::logical("e2", ["e1"]))
                .unwrap();
        },
    );
    let app = c(&p("app.bin"));
    pair.same(
        "snapshot_path",
        || {
            c_write(|o| unsafe {
                snapshots::kosli_client_snapshot_path(
                    cl,
                    c("e1").as_ptr(),
                    c("app").as_ptr(),
                    app.as_ptr(),
                    c(r#"{"exclude": ["*.log"], "auto_environment": true}"#).as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let s = SnapshotServer::path("e1", "app", d("app.bin"), &["*.log"])
                .unwrap()
                .auto_environment(true);
            r.snapshot_server(&s).unwrap();
        },
    );
    pair.same(
        "snapshot_paths",
        || {
            c_write(|o| unsafe {
                snapshots::kosli_client_snapshot_paths(
                    cl,
                    c("e1").as_ptr(),
                    c(&p("paths.yml")).as_ptr(),
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            let spec = PathsSpec::from_file(d("paths.yml")).unwrap();
            r.snapshot_server(&SnapshotServer::paths("e1", &spec).unwrap())
                .unwrap();
        },
    );
    let patterns = [app.as_ptr()];
    pair.same(
        "snapshot_server",
        || {
            c_write(|o| unsafe {
                snapshots::kosli_client_snapshot_server(
                    cl,
                    c("e1").as_ptr(),
                    patterns.as_ptr(),
                    1,
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            let s = SnapshotServer::server("e1", &[p("app.bin")], &[] as &[&str]).unwrap();
            r.snapshot_server(&s).unwrap();
        },
    );
    pair.same(
        "allow_artifact",
        || {
            c_write(|o| unsafe {
                compliance::kosli_client_allow_artifact(
                    cl,
                    c("e1").as_ptr(),
                    fps.as_ptr(),
                    c("app.bin").as_ptr(),
                    c("hotfix").as_ptr(),
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            r.allow_artifact(&AllowArtifact::with_fingerprint(
                "e1", fp, "app.bin", "hotfix",
            ))
            .unwrap();
        },
    );

    // Reads: the same request, and the C answer is the server's JSON.
    let answer = std::cell::RefCell::new(Value::Null);
    pair.same(
        "assert_artifact",
        || {
            let mut compliant = false;
            *answer.borrow_mut() = c_read(|j| unsafe {
                compliance::kosli_client_assert_artifact(
                    cl,
                    fps.as_ptr(),
                    c(r#"{"flow": "f1", "policies": ["p1", "p2"]}"#).as_ptr(),
                    &mut compliant,
                    j,
                )
            });
            assert_eq!(answer.borrow()["compliant"], json!(compliant));
        },
        |r| {
            let v = r
                .assert_artifact(&AssertArtifact::new(fp).flow("f1").policies(["p1", "p2"]))
                .unwrap();
            assert_eq!(json!(v.compliant), answer.borrow()["compliant"]);
        },
    );
    pair.same(
        "get_flow",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                flows::kosli_client_get_flow(cl, c("f1").as_ptr(), std::ptr::null(), j)
            })
        },
        |r| {
            assert_eq!(
                r.get_flow("f1").unwrap().description.as_deref(),
                answer.borrow()["description"].as_str()
            )
        },
    );
    pair.same(
        "list_flows",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                flows::kosli_client_list_flows(
                    cl,
                    c(r#"{"page": 1, "per_page": 2, "name_contains": "f", "ignore_case": true}"#)
                        .as_ptr(),
                    j,
                )
            })
        },
        |r| {
            r.list_flows(
                &ListFlows::new()
                    .page(1)
                    .per_page(2)
                    .name_contains("f")
                    .ignore_case(true),
            )
            .unwrap();
        },
    );
    assert!(answer.borrow().is_object() || answer.borrow().is_array());
    pair.same(
        "get_environment",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                environments::kosli_client_get_environment(
                    cl,
                    c("e1").as_ptr(),
                    std::ptr::null(),
                    j,
                )
            })
        },
        |r| {
            assert_eq!(
                json!(r.get_environment("e1").unwrap().name),
                answer.borrow()["name"]
            )
        },
    );
    pair.same(
        "list_environments",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                environments::kosli_client_list_environments(cl,
                    c(r#"{"page": 1, "per_page": 5, "name_contains": "e", "env_type": ["server", "K8S"], "tag": "a:b",
                         "space_id": ["s1"], "sort": "name", "sort_direction": "desc"}"#).as_ptr(), j)
            })
        },
        |r| {
            let l = ListEnvironments::new().page(1).per_page(5).name_contains("e").env_type("server").env_type("K8S")
                .tag("a:b").space_id("s1").sort("name").sort_direction("desc");
            r.list_environments(&l).unwrap();
        },
    );
    pair.same(
        "get_artifact",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                artifacts::kosli_client_get_artifact(
                    cl,
                    c("f1").as_ptr(),
                    fps.as_ptr(),
                    c(r#"{"trail": "t1"}"#).as_ptr(),
                    j,
                )
            })
        },
        |r| {
            let got = r
                .get_artifacts(
                    &GetArtifact::new(ArtifactSelector::Fingerprint {
                        flow: "f1".into(),
                        fingerprint: fp.to_string(),
                    })
                    .trail("t1"),
                )
                .unwrap();
            assert_eq!(json!(got[0].filename), answer.borrow()["filename"]);
        },
    );
    pair.same(
        "get_artifacts_by_commit",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                artifacts::kosli_client_get_artifacts_by_commit(
                    cl,
                    c("f1").as_ptr(),
                    c(SHA).as_ptr(),
                    std::ptr::null(),
                    j,
                )
            })
        },
        |r| {
            let got = r.get_artifacts_by_commit("f1", SHA, None).unwrap();
            assert_eq!(got.len(), answer.borrow().as_array().unwrap().len());
        },
    );
    pair.same(
        "list_artifacts",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                artifacts::kosli_client_list_artifacts(
                    cl,
                    c(r#"{"flow": "f1", "page": 1, "per_page": 3}"#).as_ptr(),
                    j,
                )
            })
        },
        |r| {
            let page = r
                .list_artifacts(&ListArtifacts::flow("f1").page(1).per_page(3))
                .unwrap();
            assert_eq!(
                page.artifacts.len(),
                answer.borrow().as_array().unwrap().len()
            );
        },
    );
    // SAFETY: the client handle, freed once.
    unsafe { client::kosli_client_free(pair.c) };
}

/// Creates flow `f1` with trail `t1`, environment `e1` (server) and two snapshots of it (the
/// second with `app.bin` changed), through C and through Rust alike.
fn history_setup(pair: &Pair<'_>, dir: &Path) {
    let cl = pair.c;
    let app = dir.join("app.bin");
    write_file(&app, "v1");
    pair.same(
        "create_flow",
        || {
            c_write(|o| unsafe {
                flows::kosli_client_create_flow(cl, c("f1").as_ptr(), std::ptr::null(), o)
            })
        },
        |r| {
            r.create_flow(&CreateFlow::new("f1")).unwrap();
        },
    );
    pair.same(
        "begin_trail",
        || {
            c_write(|o| unsafe {
                trails::kosli_client_begin_trail(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            r.begin_trail(&BeginTrail::new("f1", "t1")).unwrap();
        },
    );
    pair.same(
        "create_environment",
        || {
            c_write(|o| unsafe {
                environments::kosli_client_create_environment(
                    cl,
                    c("e1").as_ptr(),
                    c("server").as_ptr(),
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            r.create_environment(&CreateEnvironment::new("e1", "server"))
                .unwrap();
        },
    );
    for text in ["v1", "v2"] {
        // Both sides see the same file content at each step.
        write_file(&app, text);
        let path = c(&app.to_string_lossy());
        pair.same(
            "snapshot_path",
            || {
                c_write(|o| unsafe {
                    snapshots::kosli_client_snapshot_path(
                        cl,
                        c("e1").as_ptr(),
                        c("app").as_ptr(),
                        path.as_ptr(),
                        std::ptr::null(),
                        o,
                    )
                })
            },
            |r| {
                r.snapshot_server(
                    &SnapshotServer::path("e1", "app", &app, &[] as &[&str]).unwrap(),
                )
                .unwrap();
            },
        );
    }
}

/// Runs a C read with a verdict flag.
fn c_verdict(f: impl FnOnce(*mut bool, *mut *mut c_char) -> kosli_status) -> (bool, Value) {
    let mut flag = false;
    let v = c_read(|j| f(&mut flag, j));
    (flag, v)
}

const POLICY: &str = "package policy\n\nimport rego.v1\n\ndefault allow := false\n\nallow if input.trail.name == \"t1\"\n\nviolations contains \"not t1\" if not allow\n";

#[test]
fn c_policies_history_and_deploy_send_what_the_rust_sdk_sends() {
    use kosli_core::deploy::{Deployment, PathsCollector};
    use kosli_core::ops::history::{ListSnapshots, ListTrails, LogEnvironment, Snappish};
    use kosli_core::policy::ops::CreatePolicy;
    use kosli_core::policy::rego::RegoPolicy;
    use kosli_core::policy::trail_input::{get_attestation_request, AttestationFilter};
    use kosli_core::{ArtifactRef, ArtifactType};

    let fake = FakeKosli::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pair = Pair {
        fake: &fake,
        rust: rust_client(&fake),
        c: c_client(&fake),
    };
    let cl = pair.c;
    history_setup(&pair, dir.path());
    let policy_file = dir.path().join("prod-policy.yml");
    write_file(
        &policy_file,
        "_schema: https://kosli.com/schemas/policy/environment/v1\nartifacts:\n  provenance:\n    required: true\n",
    );
    let pf = c(&policy_file.to_string_lossy());

    pair.same(
        "create_policy",
        || {
            c_write(|o| unsafe {
                policies::kosli_client_create_policy(
                    cl,
                    c("p1").as_ptr(),
                    pf.as_ptr(),
                    c(r#"{"description": "prod", "comment": "first", "policy_type": "env"}"#)
                        .as_ptr(),
                    o,
                )
            })
        },
        |r| {
            r.create_policy(
                &CreatePolicy::from_file("p1", &policy_file)
                    .description("prod")
                    .comment("first"),
            )
            .unwrap();
        },
    );
    pair.same(
        "attach_policy",
        || {
            c_write(|o| unsafe {
                policies::kosli_client_attach_policy(
                    cl,
                    c("p1").as_ptr(),
                    c("e1").as_ptr(),
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            r.attach_policy("p1", &["e1"]).unwrap();
        },
    );
    let answer = std::cell::RefCell::new(Value::Null);
    pair.same(
        "get_policy",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                policies::kosli_client_get_policy(cl, c("p1").as_ptr(), std::ptr::null(), j)
            })
        },
        |r| {
            assert_eq!(
                json!(r.get_policy("p1").unwrap().consuming_envs),
                answer.borrow()["consuming_envs"]
            )
        },
    );
    assert_eq!(answer.borrow()["consuming_envs"], json!(["e1"]));
    pair.same(
        "list_policies",
        || {
            *answer.borrow_mut() =
                c_read(|j| unsafe { policies::kosli_client_list_policies(cl, std::ptr::null(), j) })
        },
        |r| {
            assert_eq!(
                r.list_policies().unwrap().len(),
                answer.borrow().as_array().unwrap().len()
            )
        },
    );
    pair.same(
        "detach_policy",
        || {
            c_write(|o| unsafe {
                policies::kosli_client_detach_policy(
                    cl,
                    c("p1").as_ptr(),
                    c("e1").as_ptr(),
                    std::ptr::null(),
                    o,
                )
            })
        },
        |r| {
            r.detach_policy("p1", &["e1"]).unwrap();
        },
    );
    pair.same(
        "get_attestation",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                policies::kosli_client_get_attestation(cl, c("a-1").as_ptr(), std::ptr::null(), j)
            })
        },
        |r| {
            r.read(&get_attestation_request("a-1")).unwrap();
        },
    );

    // Rego over trails read as the CLI reads them.
    let rego = c(POLICY);
    let parsed = RegoPolicy::parse(POLICY).unwrap();
    pair.same(
        "evaluate_trail",
        || {
            let (allowed, out) = c_verdict(|a, j| unsafe {
                evaluate::kosli_client_evaluate_trail(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    rego.as_ptr(),
                    c(r#"{"attestations": ["unit"], "params": {"min": 1}}"#).as_ptr(),
                    a,
                    j,
                )
            });
            assert!(allowed);
            assert_eq!(out, json!({"allow": true, "violations": null}));
        },
        |r| {
            let input = r
                .trail_policy_input("f1", "t1", &AttestationFilter::names(["unit"]))
                .unwrap();
            assert!(parsed.evaluate(&input, None).unwrap().allow);
        },
    );
    let trail_list = [c("t1"), c("t1")];
    let trail_ptrs: Vec<*const c_char> = trail_list.iter().map(|s| s.as_ptr()).collect();
    pair.same(
        "evaluate_trails",
        || {
            let (allowed, out) = c_verdict(|a, j| unsafe {
                evaluate::kosli_client_evaluate_trails(
                    cl,
                    c("f1").as_ptr(),
                    trail_ptrs.as_ptr(),
                    2,
                    rego.as_ptr(),
                    std::ptr::null(),
                    a,
                    j,
                )
            });
            assert!(!allowed);
            assert_eq!(out, json!({"allow": false, "violations": ["not t1"]}));
        },
        |r| {
            let input = r
                .trails_policy_input("f1", &["t1", "t1"], &AttestationFilter::all())
                .unwrap();
            assert!(!parsed.evaluate(&input, None).unwrap().allow);
        },
    );

    // History reads.
    pair.same(
        "get_trail",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                history::kosli_client_get_trail(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    std::ptr::null(),
                    j,
                )
            })
        },
        |r| {
            assert_eq!(
                json!(r.get_trail("f1", "t1").unwrap().name),
                answer.borrow()["name"]
            )
        },
    );
    pair.same(
        "list_trails",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                history::kosli_client_list_trails(
                    cl,
                    c(r#"{"flow": "f1", "page": 1, "per_page": 5}"#).as_ptr(),
                    j,
                )
            })
        },
        |r| {
            r.list_trails(&ListTrails::new().flow("f1").page(1).per_page(5))
                .unwrap();
        },
    );
    pair.same(
        "get_snapshot",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                history::kosli_client_get_snapshot(cl, c("e1~1").as_ptr(), std::ptr::null(), j)
            })
        },
        |r| {
            r.get_snapshot(&Snappish::parse("e1~1").unwrap()).unwrap();
        },
    );
    pair.same(
        "list_snapshots",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                history::kosli_client_list_snapshots(
                    cl,
                    c("e1").as_ptr(),
                    c(r#"{"page": 1, "per_page": 2, "reverse": true}"#).as_ptr(),
                    j,
                )
            })
        },
        |r| {
            assert_eq!(
                r.list_snapshots(&ListSnapshots::new("e1").page(1).per_page(2).reverse(true))
                    .unwrap()
                    .len(),
                2
            )
        },
    );
    assert_eq!(answer.borrow().as_array().unwrap().len(), 2);
    pair.same(
        "log_environment",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                history::kosli_client_log_environment(
                    cl,
                    c("e1").as_ptr(),
                    c(r#"{"interval": "1..2", "per_page": 3}"#).as_ptr(),
                    j,
                )
            })
        },
        |r| {
            r.log_environment(&LogEnvironment::new("e1").interval("1..2").per_page(3))
                .unwrap();
        },
    );
    pair.same(
        "diff_snapshots",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                history::kosli_client_diff_snapshots(
                    cl,
                    c("e1#1").as_ptr(),
                    c("e1#2").as_ptr(),
                    std::ptr::null(),
                    j,
                )
            })
        },
        |r| {
            r.diff_snapshots("e1#1", "e1#2").unwrap();
        },
    );
    pair.same(
        "snapshot_drift",
        || {
            *answer.borrow_mut() = c_read(|j| unsafe {
                history::kosli_client_snapshot_drift(
                    cl,
                    c("e1#1").as_ptr(),
                    c("e1#2").as_ptr(),
                    std::ptr::null(),
                    j,
                )
            })
        },
        |r| {
            let before = r
                .get_snapshot(&Snappish::parse("e1#1").unwrap())
                .unwrap()
                .running();
            let after = r
                .get_snapshot(&Snappish::parse("e1#2").unwrap())
                .unwrap()
                .running();
            let drift = kosli_core::drift::diff(&before, &after);
            assert_eq!(drift.events().len(), 1);
            assert_eq!(
                json!(drift.events()[0].to_string()),
                answer.borrow()["events"][0]["description"]
            );
        },
    );
    assert_eq!(answer.borrow()["events"][0]["kind"], json!("changed"));

    // The deployment guard: the step, then one snapshot report.
    let app = dir.path().join("app.bin");
    let fp = kosli_core::fingerprint::file(&app).unwrap();
    let fps = c(&fp.to_string());
    let collector_json = c(&format!(
        r#"{{"path": "{}", "name": "app"}}"#,
        app.display()
    ));
    unsafe extern "C" fn ok_step(data: *mut std::ffi::c_void) -> std::ffi::c_int {
        unsafe { *data.cast::<u32>() += 1 };
        0
    }
    let mut calls = 0u32;
    pair.same(
        "deploy",
        || {
            let mut code = -1;
            let mut outcome = std::ptr::null_mut();
            let report = c_read(|j| unsafe {
                deploy::kosli_client_deploy(
                    cl,
                    c("e1").as_ptr(),
                    c("app").as_ptr(),
                    fps.as_ptr(),
                    c("file").as_ptr(),
                    collector_json.as_ptr(),
                    c(r#"{"on_mismatch": "fail"}"#).as_ptr(),
                    Some(ok_step),
                    (&mut calls as *mut u32).cast(),
                    &mut code,
                    &mut outcome,
                    j,
                )
            });
            assert_eq!(code, 0);
            assert_eq!(report["verification"], json!("running"));
            assert_eq!(report["running"][0]["fingerprint"], json!(fp.to_string()));
            unsafe {
                assert_eq!(kosli_outcome_kind(outcome), KOSLI_OUTCOME_SENT);
                kosli_outcome_free(outcome);
            }
        },
        |r| {
            let artifact = ArtifactRef::new("app", fp, ArtifactType::File).unwrap();
            let d = Deployment::new("e1", &artifact).unwrap();
            r.deploy(&d, &PathsCollector::path("app", &app), || Ok::<(), ()>(()))
                .unwrap();
        },
    );
    assert_eq!(calls, 1);
    unsafe { client::kosli_client_free(pair.c) };
}

fn fixture(area: &str, file: &str) -> Value {
    let p = kosli_tests::fixtures_dir().join(area).join(file);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// A C image fingerprint into a string.
fn c_image(name: &str, kind: &str, options: &str) -> Result<String, kosli_status> {
    let mut buf = vec![0 as c_char; fingerprint::KOSLI_FINGERPRINT_BUFFER_SIZE];
    let status = unsafe {
        runtime::kosli_fingerprint_image(
            c(name).as_ptr(),
            c(kind).as_ptr(),
            c(options).as_ptr(),
            buf.as_mut_ptr(),
            buf.len(),
        )
    };
    if status != kosli_status::KOSLI_OK {
        return Err(status);
    }
    Ok(unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_str()
        .unwrap()
        .to_string())
}

#[test]
fn c_images_and_runtime_snapshots_match_the_rust_sdk() {
    use kosli_core::fingerprint::image::{DockerOptions, ImageFingerprinter, RegistryOptions};
    use kosli_core::ops::environments::types;
    use kosli_core::snapshot::k8s::{K8sCluster, NamespaceSelector};
    use kosli_core::snapshot::{Collector, ReportOptions, Snapshot};
    use kosli_core::ArtifactType;
    use kosli_tests::fake_docker::FakeDocker;
    use kosli_tests::fake_kube::FakeKube;
    use kosli_tests::registry::token::{TokenRegistry, PASSWORD, USER};

    // oci: a registry with Bearer-token auth.
    let digest = format!("sha256:{}", "ab".repeat(32));
    let registry = TokenRegistry::start(std::collections::BTreeMap::from([(
        "test/private:1.0".to_string(),
        digest.clone(),
    )]))
    .unwrap();
    let image = format!("{}/test/private:1.0", registry.host());
    let opts = format!(
        r#"{{"username": "{USER}", "password": "{PASSWORD}", "insecure_registries": ["{}"], "auth_files": [], "timeout_seconds": 10}}"#,
        registry.host()
    );
    let from_c = c_image(&image, "oci", &opts).unwrap();
    let rust = ImageFingerprinter::new()
        .registry(
            RegistryOptions::new()
                .username(USER)
                .password(PASSWORD)
                .insecure_registries([registry.host()])
                .auth_files(Vec::<String>::new()),
        )
        .fingerprint_blocking(&image, ArtifactType::Oci)
        .unwrap();
    assert_eq!(from_c, rust.to_string());
    assert_eq!(format!("sha256:{from_c}"), digest);
    // Wrong credentials: the registry's refusal, as a status.
    let bad = opts.replace(PASSWORD, "nope");
    assert_eq!(
        c_image(&image, "oci", &bad),
        Err(kosli_status::KOSLI_AUTH),
        "{}",
        last_error()
    );
    assert_eq!(
        c_image(&image, "file", "{}"),
        Err(kosli_status::KOSLI_INVALID_INPUT)
    );

    // docker: the local Engine's repo digest.
    let docker = FakeDocker::start(
        fixture("snapshots_runtime", "docker_states.json")["three_containers"].clone(),
    )
    .unwrap();
    let host_opts = format!(r#"{{"docker_host": "{}"}}"#, docker.docker_host());
    let from_c = c_image("nginx:1.25", "docker", &host_opts).unwrap();
    let rust = ImageFingerprinter::new()
        .docker(DockerOptions::host(docker.docker_host()))
        .fingerprint_blocking("nginx:1.25", ArtifactType::Docker)
        .unwrap();
    assert_eq!(from_c, rust.to_string());
    assert_eq!(from_c, "e1".repeat(32));
    assert_eq!(
        c_image("myapp:dev", "docker", &host_opts),
        Err(kosli_status::KOSLI_FINGERPRINT)
    );

    // Snapshots of the Docker host and of a cluster, reported to fake-kosli.
    let fake = FakeKosli::start().unwrap();
    let pair = Pair {
        fake: &fake,
        rust: rust_client(&fake),
        c: c_client(&fake),
    };
    let cl = pair.c;
    let docker_options = c(&format!(
        r#"{{"docker_host": "{}", "auto_environment": true, "environment_description": "docker hosts"}}"#,
        docker.docker_host()
    ));
    let auto = ReportOptions::new()
        .auto_environment(true)
        .environment_description("docker hosts");
    pair.same(
        "snapshot_docker",
        || {
            c_write(|o| unsafe {
                runtime::kosli_client_snapshot_docker(
                    cl,
                    c("d1").as_ptr(),
                    docker_options.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            r.prepare_environment("d1", types::DOCKER, &auto).unwrap();
            let s = Collector::Docker(DockerOptions::host(docker.docker_host()))
                .collect_blocking("d1")
                .unwrap();
            r.report_snapshot(&s, &ReportOptions::new()).unwrap();
        },
    );
    let token = "kube-token-abc";
    let kube = FakeKube::start(
        fixture("snapshots_runtime", "kube_states.json")["cluster"].clone(),
        Some(token),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    write_file(&kubeconfig, &kube.kubeconfig(token));
    let k8s_options = c(&format!(
        r#"{{"kubeconfig": "{}", "namespaces": ["prod"], "auto_environment": true}}"#,
        kubeconfig.display()
    ));
    pair.same(
        "snapshot_k8s",
        || {
            c_write(|o| unsafe {
                runtime::kosli_client_snapshot_k8s(cl, c("k1").as_ptr(), k8s_options.as_ptr(), o)
            })
        },
        |r| {
            let cluster = K8sCluster::connect(Some(&kubeconfig)).unwrap();
            r.prepare_environment(
                "k1",
                types::K8S,
                &ReportOptions::new().auto_environment(true),
            )
            .unwrap();
            let s = cluster
                .snapshot_blocking("k1", &NamespaceSelector::namespaces(["prod"]))
                .unwrap();
            assert!(!s.artifacts.is_empty());
            r.report_snapshot(&Snapshot::K8s(s), &ReportOptions::new())
                .unwrap();
        },
    );
    // Include and exclude together: refused before the cluster is asked, in the CLI's words.
    let mut o = std::ptr::null_mut();
    let both = c(&format!(
        r#"{{"kubeconfig": "{}", "namespaces": ["a"], "exclude_namespaces": ["b"]}}"#,
        kubeconfig.display()
    ));
    let status =
        unsafe { runtime::kosli_client_snapshot_k8s(cl, c("k1").as_ptr(), both.as_ptr(), &mut o) };
    assert_eq!(status, kosli_status::KOSLI_INVALID_INPUT);
    assert!(
        last_error().contains("only one of --namespaces, --exclude-namespaces is allowed"),
        "{}",
        last_error()
    );
    unsafe { client::kosli_client_free(pair.c) };
}

#[test]
fn c_external_evidence_matches_the_rust_sdk() {
    use kosli_core::ops::attestations::Attestation;
    use kosli_core::provenance::GitCommitInfo;
    use kosli_core::review::jira::JiraSource;
    use kosli_core::review::sonar::SonarSource;
    use kosli_core::review::{PrSource, ReviewAttestation};
    use kosli_tests::fake_providers::captures::{Capture, CAPTURED_BASE};
    use kosli_tests::fake_providers::{FakeProvider, Scenario, OBSERVED_BASE};

    const COMMIT: &str = "672bc19d53c7da939116dfc5e254cfdc62b36bcc";
    let fake = FakeKosli::start().unwrap();
    let pair = Pair {
        fake: &fake,
        rust: rust_client(&fake),
        c: c_client(&fake),
    };
    let cl = pair.c;
    let dir = tempfile::tempdir().unwrap();
    history_setup(&pair, dir.path());

    // GitHub: the pull requests of a commit.
    let s = Scenario::load("github_one");
    let provider = FakeProvider::start(Vec::new()).unwrap();
    let base = provider.url();
    provider.add_routes(s.routes_at(&base));
    let flag = |n: &str| s.flag(n).unwrap().replace(OBSERVED_BASE, &base);
    let source = PrSource::github(
        &flag("github-org"),
        &flag("repository"),
        &flag("github-token"),
    )
    .base_url(&flag("github-base-url"));
    let gh = c(&format!(
        r#"{{"owner": "{}", "repository": "{}", "token": "{}", "base_url": "{}"}}"#,
        flag("github-org"),
        flag("repository"),
        flag("github-token"),
        flag("github-base-url")
    ));
    let found = c_read(|j| unsafe {
        review::kosli_client_find_pull_requests(
            cl,
            c("github").as_ptr(),
            c(COMMIT).as_ptr(),
            gh.as_ptr(),
            j,
        )
    });
    let rust = pair.rust.find_pull_requests(&source, COMMIT).unwrap();
    assert_eq!(found["pull_requests"], json!(rust.pull_requests));
    assert_eq!(found["approvals"], json!(rust.approvals()));
    assert_eq!(found["provider"], json!("github"));
    assert!(!rust.pull_requests.is_empty());
    let asserted = c_read(|j| unsafe {
        review::kosli_client_assert_pull_requests(
            cl,
            c("github").as_ptr(),
            c(COMMIT).as_ptr(),
            gh.as_ptr(),
            j,
        )
    });
    assert_eq!(asserted["pull_requests"], found["pull_requests"]);
    let gh_attest = c(&format!(
        r#"{{"owner": "{}", "repository": "{}", "token": "{}", "base_url": "{}", "assert_found": true, "description": "reviewed"}}"#,
        flag("github-org"),
        flag("repository"),
        flag("github-token"),
        flag("github-base-url")
    ));
    pair.same(
        "attest_pull_requests_found",
        || {
            c_write(|o| unsafe {
                review::kosli_client_attest_pull_requests_found(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("pr").as_ptr(),
                    c("github").as_ptr(),
                    c(COMMIT).as_ptr(),
                    gh_attest.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let e = r.find_pull_requests(&source, COMMIT).unwrap();
            let base = Attestation::generic("f1", "t1", "pr", true)
                .unwrap()
                .description("reviewed");
            r.attest_review(&ReviewAttestation::pull_requests(base, e))
                .unwrap();
        },
    );
    // Missing settings name the CLI's flags; a bad provider is refused.
    let mut json_out = std::ptr::null_mut();
    let status = unsafe {
        review::kosli_client_find_pull_requests(
            cl,
            c("github").as_ptr(),
            c(COMMIT).as_ptr(),
            std::ptr::null(),
            &mut json_out,
        )
    };
    assert_eq!(status, kosli_status::KOSLI_CONFIG);
    assert!(last_error().contains("\"github-org\""), "{}", last_error());
    let status = unsafe {
        review::kosli_client_find_pull_requests(
            cl,
            c("svn").as_ptr(),
            c(COMMIT).as_ptr(),
            std::ptr::null(),
            &mut json_out,
        )
    };
    assert_eq!(status, kosli_status::KOSLI_INVALID_INPUT);
    assert!(json_out.is_null());

    // Sonar: the analysis of a CE task.
    let cap = Capture::load("attest_sonar_ce_task_url");
    let sonar = FakeProvider::start(Vec::new()).unwrap();
    let sbase = sonar.url();
    sonar.add_routes(cap.routes_at(&sbase));
    let task = cap
        .flag("sonar-ce-task-url")
        .unwrap()
        .replace(CAPTURED_BASE, &sbase);
    let token = cap.flag("sonar-api-token").unwrap();
    let sonar_options = c(&format!(r#"{{"ce_task_url": "{task}"}}"#));
    pair.same(
        "attest_sonar",
        || {
            c_write(|o| unsafe {
                review::kosli_client_attest_sonar(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("sonar-scan").as_ptr(),
                    c(&token).as_ptr(),
                    sonar_options.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let mut src = SonarSource::new(&token);
            src.ce_task_url = Some(task.clone());
            let results = r.sonar_results(&src).unwrap();
            r.attest_review(&ReviewAttestation::sonar(
                Attestation::generic("f1", "t1", "sonar-scan", true).unwrap(),
                results,
            ))
            .unwrap();
        },
    );

    // Jira: the issues the commit message references.
    let cap = Capture::load("attest_jira_fields");
    let jira = FakeProvider::start(Vec::new()).unwrap();
    let jbase = jira.url();
    jira.add_routes(cap.routes_at(&jbase));
    let recorded: Value = serde_json::from_str(&cap.data_json_at(&jbase).unwrap()).unwrap();
    let info: GitCommitInfo = serde_json::from_value(recorded["git_commit_info"].clone()).unwrap();
    let pat = cap.flag("jira-pat").unwrap();
    let fields = cap.flag("jira-issue-fields").unwrap();
    let secondary = cap.flag("jira-secondary-source");
    let jira_options = c(&json!({
        "pat": pat, "issue_fields": fields.split(',').collect::<Vec<_>>(), "secondary_source": secondary,
        "git_commit_info": recorded["git_commit_info"],
    }).to_string());
    pair.same(
        "attest_jira",
        || {
            c_write(|o| unsafe {
                review::kosli_client_attest_jira(
                    cl,
                    c("f1").as_ptr(),
                    c("t1").as_ptr(),
                    c("jira-ticket").as_ptr(),
                    c(&jbase).as_ptr(),
                    jira_options.as_ptr(),
                    o,
                )
            })
        },
        |r| {
            let mut src = JiraSource::new(&jbase);
            src.pat = Some(pat.clone().into());
            src.issue_fields = fields.clone();
            src.secondary_source = secondary.clone();
            let keys = src.references(&info.message, &info.branch);
            assert_eq!(keys, ["ABC-124", "ABC-200", "NOPE-9"]);
            let results = r.jira_results(&src, &keys).unwrap();
            let base = Attestation::generic("f1", "t1", "jira-ticket", true)
                .unwrap()
                .git_commit_info(info.clone());
            r.attest_review(&ReviewAttestation::jira(base, results))
                .unwrap();
        },
    );
    unsafe { client::kosli_client_free(pair.c) };
}

/// The documents' C text for `call`, and the requests it sent.
fn c_document(
    fake: &FakeKosli,
    call: impl FnOnce(*mut *mut c_char) -> kosli_status,
) -> (String, Vec<Value>) {
    fake.clear_requests();
    let mut out = std::ptr::null_mut();
    let status = call(&mut out);
    assert_eq!(status, kosli_status::KOSLI_OK, "{}", last_error());
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
    unsafe { common::kosli_string_free(out) };
    (
        text,
        fake.requests()
            .iter()
            .map(|r| normalized(r, "acme"))
            .collect(),
    )
}

#[test]
fn c_reports_match_the_rust_sdk() {
    use kosli_core::report::{AdoptionOptions, AuditOptions, ComplianceOptions, Format};
    use kosli_tests::fake::seed_report::{apply, A43, FLOW, ORG, T0};

    let fake = FakeKosli::start().unwrap();
    fake.with_store(apply);
    let config = Config::builder()
        .host(fake.url())
        .org(ORG)
        .api_token("t")
        .max_api_retries(0)
        .build()
        .unwrap();
    let rust = Client::new(config).unwrap();
    let mut cl = std::ptr::null_mut();
    unsafe {
        let config = config::kosli_config_new();
        config::kosli_config_set_host(config, c(&fake.url()).as_ptr());
        config::kosli_config_set_org(config, c(ORG).as_ptr());
        config::kosli_config_set_api_token(config, c("t").as_ptr());
        config::kosli_config_set_max_api_retries(config, 0);
        assert_eq!(
            client::kosli_client_new(config, &mut cl),
            kosli_status::KOSLI_OK
        );
    }
    let rust_sent = |f: &dyn Fn() -> String| -> (String, Vec<Value>) {
        fake.clear_requests();
        let text = f();
        (
            text,
            fake.requests()
                .iter()
                .map(|r| normalized(r, "acme"))
                .collect(),
        )
    };

    let (text, sent) = c_document(&fake, |j| unsafe {
        reports::kosli_client_compliance_report(
            cl,
            c(FLOW).as_ptr(),
            c(r#"{"environments": ["production"]}"#).as_ptr(),
            j,
        )
    });
    let want = rust_sent(&|| {
        rust.compliance_report(&ComplianceOptions::new(FLOW).environments(["production"]))
            .unwrap()
            .render(Format::Json)
            .unwrap()
    });
    assert_eq!((text.clone(), sent), want);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["flow"], json!(FLOW));
    let (csv, _) = c_document(&fake, |j| unsafe {
        reports::kosli_client_compliance_report(
            cl,
            c(FLOW).as_ptr(),
            c(r#"{"format": "csv"}"#).as_ptr(),
            j,
        )
    });
    assert_eq!(
        csv,
        rust.compliance_report(&ComplianceOptions::new(FLOW))
            .unwrap()
            .render(Format::Csv)
            .unwrap()
    );

    let (text, sent) = c_document(&fake, |j| unsafe {
        reports::kosli_client_audit_trail(
            cl,
            c(FLOW).as_ptr(),
            c(A43).as_ptr(),
            c(r#"{"format": "markdown"}"#).as_ptr(),
            j,
        )
    });
    let want = rust_sent(&|| {
        rust.audit_trail(&AuditOptions::new(FLOW, A43))
            .unwrap()
            .render(Format::Markdown)
            .unwrap()
    });
    assert_eq!((text.clone(), sent), want);
    assert!(text.contains(A43));

    let week = format!(
        r#"{{"since": {T0}, "until": {}, "flows": ["{FLOW}"]}}"#,
        T0 + 7.0 * 86_400.0
    );
    let (text, sent) = c_document(&fake, |j| unsafe {
        reports::kosli_client_adoption_metrics(cl, c(&week).as_ptr(), j)
    });
    let want = rust_sent(&|| {
        rust.adoption_metrics(
            &AdoptionOptions::new()
                .since(T0)
                .until(T0 + 7.0 * 86_400.0)
                .flows([FLOW]),
        )
        .unwrap()
        .render(Format::Json)
        .unwrap()
    });
    assert_eq!((text, sent), want);

    // Bad input names what is wrong; an unknown flow is NOT_FOUND.
    let mut out = std::ptr::null_mut();
    let status = unsafe {
        reports::kosli_client_adoption_metrics(
            cl,
            c(r#"{"since": "yesterday"}"#).as_ptr(),
            &mut out,
        )
    };
    assert_eq!(status, kosli_status::KOSLI_INVALID_INPUT);
    assert!(last_error().contains("option `since`"), "{}", last_error());
    let status = unsafe {
        reports::kosli_client_audit_trail(
            cl,
            c(FLOW).as_ptr(),
            c(A43).as_ptr(),
            c(r#"{"format": "csv"}"#).as_ptr(),
            &mut out,
        )
    };
    assert_eq!(
        status,
        kosli_status::KOSLI_INVALID_INPUT,
        "{}",
        last_error()
    );
    let status = unsafe {
        reports::kosli_client_compliance_report(
            cl,
            c("no-such-flow").as_ptr(),
            std::ptr::null(),
            &mut out,
        )
    };
    assert_eq!(status, kosli_status::KOSLI_NOT_FOUND);
    assert!(out.is_null());
    unsafe { client::kosli_client_free(cl) };
}

/// A C deploy with `collector_json` and a step that succeeds (or fails with 3), returning
/// the status and the report (or the status and `Null`).
fn c_deploy(
    cl: *mut kosli_client,
    environment: &str,
    fingerprint: &str,
    collector: &str,
    ok: bool,
) -> (kosli_status, Value) {
    unsafe extern "C" fn ok_step(_: *mut std::ffi::c_void) -> std::ffi::c_int {
        0
    }
    unsafe extern "C" fn failing_step(_: *mut std::ffi::c_void) -> std::ffi::c_int {
        3
    }
    let (mut code, mut outcome, mut json) = (-1, std::ptr::null_mut(), std::ptr::null_mut());
    let status = unsafe {
        deploy::kosli_client_deploy(
            cl,
            c(environment).as_ptr(),
            c("nginx:1.25").as_ptr(),
            c(fingerprint).as_ptr(),
            c("docker").as_ptr(),
            c(collector).as_ptr(),
            c(r#"{"auto_environment": true}"#).as_ptr(),
            Some(if ok { ok_step } else { failing_step }),
            std::ptr::null_mut(),
            &mut code,
            &mut outcome,
            &mut json,
        )
    };
    assert_eq!(code, if ok { 0 } else { 3 });
    if status != kosli_status::KOSLI_OK {
        assert!(outcome.is_null() && json.is_null());
        return (status, Value::Null);
    }
    unsafe {
        assert_eq!(kosli_outcome_kind(outcome), KOSLI_OUTCOME_SENT);
        kosli_outcome_free(outcome);
        let text = CStr::from_ptr(json).to_str().unwrap().to_string();
        common::kosli_string_free(json);
        (status, serde_json::from_str(&text).unwrap())
    }
}

#[test]
fn c_deploys_with_runtime_collectors_send_what_the_rust_guard_sends() {
    use kosli_core::deploy::{DeployError, Deployment};
    use kosli_core::fingerprint::image::DockerOptions;
    use kosli_core::snapshot::k8s::{K8sOptions, NamespaceSelector};
    use kosli_core::snapshot::Collector;
    use kosli_core::{ArtifactRef, ArtifactType};
    use kosli_tests::fake_docker::FakeDocker;
    use kosli_tests::fake_kube::FakeKube;

    let docker = FakeDocker::start(
        fixture("snapshots_runtime", "docker_states.json")["three_containers"].clone(),
    )
    .unwrap();
    let fake = FakeKosli::start().unwrap();
    let pair = Pair {
        fake: &fake,
        rust: rust_client(&fake),
        c: c_client(&fake),
    };
    let cl = pair.c;
    let nginx = "e1".repeat(32);
    let artifact = |fp: &str| {
        ArtifactRef::new(
            "nginx:1.25",
            fp.parse::<Fingerprint>().unwrap(),
            ArtifactType::Docker,
        )
        .unwrap()
    };
    let guard = |env: &str, fp: &str| {
        Deployment::new(env, &artifact(fp))
            .unwrap()
            .auto_environment(true)
    };

    // A failing step: neither asks the Engine nor reports.
    let docker_json = format!(
        r#"{{"type": "docker", "docker_host": "{}"}}"#,
        docker.docker_host()
    );
    let asked = docker.requests().len();
    let from_c = sent(&fake, "c", || {
        let (status, _) = c_deploy(cl, "d1", &nginx, &docker_json, false);
        assert_eq!(status, kosli_status::KOSLI_DEPLOY_STEP_FAILED);
    });
    assert_eq!(from_c, Vec::<Value>::new());
    assert_eq!(docker.requests().len(), asked, "the Engine was asked");

    // A succeeding step: the same environment check and the same one docker report.
    let collector = Collector::Docker(DockerOptions::host(docker.docker_host()));
    let engine_calls = |f: &dyn Fn()| {
        let before = docker.requests().len();
        f();
        docker.requests()[before..]
            .iter()
            .map(|r| (r["method"].clone(), r["target"].clone()))
            .collect::<Vec<_>>()
    };
    let mut c_engine = Vec::new();
    let mut rust_engine = Vec::new();
    pair.same(
        "deploy docker",
        || {
            c_engine = engine_calls(&|| {
                let (status, report) = c_deploy(cl, "d1", &nginx, &docker_json, true);
                assert_eq!(status, kosli_status::KOSLI_OK, "{}", last_error());
                assert_eq!(report["verification"], json!("running"));
                assert_eq!(report["instances"], json!(1));
            })
        },
        |r| {
            rust_engine = engine_calls(&|| {
                let report = r
                    .deploy(&guard("d1", &nginx), &collector, || Ok::<(), ()>(()))
                    .unwrap();
                assert_eq!(report.running.len(), 2, "{:?}", report.running);
            })
        },
    );
    assert_eq!(c_engine, rust_engine);
    assert!(!c_engine.is_empty());
    let reports = sent(&fake, "c", || {
        c_deploy(cl, "d1", &nginx, &docker_json, true);
    });
    assert_eq!(
        reports.last().unwrap()["path"],
        json!("/api/v2/environments/ORG/d1/report/docker")
    );

    // The wrong image: both report once, then refuse.
    let other = "f".repeat(64);
    pair.same(
        "deploy docker, wrong image",
        || {
            let (status, _) = c_deploy(cl, "d1", &other, &docker_json, true);
            assert_eq!(status, kosli_status::KOSLI_POLICY_DENIED);
        },
        |r| {
            let e = r
                .deploy(&guard("d1", &other), &collector, || Ok::<(), ()>(()))
                .unwrap_err();
            assert!(matches!(e, DeployError::NotRunning(_)), "{e:?}");
        },
    );

    // A cluster, one namespace.
    let token = "kube-token-abc";
    let kube = FakeKube::start(
        fixture("snapshots_runtime", "kube_states.json")["cluster"].clone(),
        Some(token),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    write_file(&kubeconfig, &kube.kubeconfig(token));
    let k8s_json = format!(
        r#"{{"type": "k8s", "kubeconfig": "{}", "namespaces_regex": ["^pro"]}}"#,
        kubeconfig.display()
    );
    let k8s = Collector::K8s(K8sOptions {
        kubeconfig: Some(kubeconfig.clone()),
        selector: NamespaceSelector {
            namespaces_regex: vec!["^pro".into()],
            ..NamespaceSelector::default()
        },
    });
    let in_cluster = "a".repeat(64);
    pair.same(
        "deploy k8s",
        || {
            let (status, report) = c_deploy(cl, "k1", &in_cluster, &k8s_json, true);
            assert_eq!(status, kosli_status::KOSLI_OK, "{}", last_error());
            assert_eq!(report["verification"], json!("running"));
        },
        |r| {
            r.deploy(&guard("k1", &in_cluster), &k8s, || Ok::<(), ()>(()))
                .unwrap();
        },
    );
    unsafe { client::kosli_client_free(pair.c) };
}
