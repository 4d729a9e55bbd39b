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
