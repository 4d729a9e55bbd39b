//! Helpers of the tests of the reporting operations: the CLI's cases (tests/fixtures/ops/cases),
//! the fixture folder they ran in, replaying the server's answers through fake-kosli, and
//! comparing the requests received with the CLI's (method, target, `Authorization`, content
//! type, JSON text, multipart parts, file names, contents, tar members by name and content).
#![allow(dead_code, reason = "each test file uses a part of these helpers")]

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine;
use kosli_tests::fake::{FakeKosli, Fault};
use serde_json::Value;

#[path = "../provenance_support/mod.rs"]
mod provenance_support;

#[allow(
    unused_imports,
    reason = "the example test does not use the commit ids"
)]
pub use provenance_support::{HEAD_SHA, PREV_SHA};

/// The fingerprint of `$FIXDIR/fix/app.bin`.
pub const FP: &str = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef";

fn ops_dir() -> PathBuf {
    kosli_tests::fixtures_dir().join("ops")
}

/// One run of the official CLI (see tests/fixtures/ops/README.md).
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
    pub requests: Vec<Value>,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl Case {
    /// Loads `cases/<name>.json`.
    pub fn load(name: &str) -> Case {
        let path = ops_dir().join("cases").join(format!("{name}.json"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let v: Value = serde_json::from_str(&text).unwrap();
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        };
        Case {
            name: name.to_string(),
            env: v["env"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect(),
            args: strings(&v["args"]),
            requests: v["requests"].as_array().unwrap().clone(),
            stdout: v["stdout"].as_str().unwrap().to_string(),
            stderr: v["stderr"].as_str().unwrap().to_string(),
            exit_code: v["exit_code"].as_i64().unwrap() as i32,
        }
    }

    /// Every case's name.
    pub fn all_names() -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(ops_dir().join("cases"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The recorded requests to Kosli (the GitHub ones left out).
    pub fn kosli_requests(&self) -> Vec<Value> {
        self.requests
            .iter()
            .filter(|r| r["target"].as_str().unwrap().starts_with("/api/v2/"))
            .cloned()
            .collect()
    }

    /// Queues one forced answer per recorded request, in order: the same status and body text
    /// as the capture server gave.
    pub fn replay_on(&self, fake: &FakeKosli) {
        let faults = self
            .requests
            .iter()
            .map(|r| {
                let target = r["target"].as_str().unwrap();
                let path = target.split('?').next().unwrap();
                let status = r["response"]["status"].as_u64().unwrap() as u16;
                let mut f = Fault::status(status).method(r["method"].as_str().unwrap());
                f.path = Some(path.to_string());
                f.raw_body = Some(r["response"]["body_text"].as_str().unwrap().to_string());
                f
            })
            .collect();
        fake.push_faults(faults).unwrap();
    }
}

/// The folder a case ran in: `fix/` (the inputs), `repo/` (the captures' git repository with
/// `origin` at `git@github.com:acme/app.git`), `home/`, and `kt/` (the CLI's test data).
pub struct Fixture {
    dir: tempfile::TempDir,
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

impl Fixture {
    /// Builds the folder.
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let inputs = ops_dir().join("inputs");
        copy_tree(&inputs.join("fix"), &dir.path().join("fix"));
        provenance_support::make_main(
            &dir.path().join("repo"),
            Some("git@github.com:acme/app.git"),
        );
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        let kt = dir.path().join("kt");
        std::fs::create_dir_all(&kt).unwrap();
        std::fs::copy(
            inputs.join("kt/person-type-data-example.json"),
            kt.join("person-type-data-example.json"),
        )
        .unwrap();
        let mut sarif = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(inputs.join("kt/snyk_sarif.json.gz")).unwrap(),
        )
        .read_to_end(&mut sarif)
        .unwrap();
        std::fs::write(kt.join("snyk_sarif.json"), sarif).unwrap();
        Fixture { dir }
    }

    /// The folder (`$FIXDIR`).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path under the folder (`fix/app.bin`).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The git repository.
    pub fn repo(&self) -> PathBuf {
        self.path("repo")
    }

    /// `text` with `$FIXDIR`, `$FIXDIR_REL`, `$KT` and `$HOST` filled in.
    pub fn subst(&self, text: &str, host: &str) -> String {
        let root = self.root().display().to_string();
        text.replace("$FIXDIR_REL", root.trim_start_matches('/'))
            .replace("$FIXDIR", &root)
            .replace("$KT", &self.path("kt").display().to_string())
            .replace("$HOST", host)
    }
}

/// A header of a request fake-kosli recorded (any case).
pub fn header<'a>(record: &'a Value, name: &str) -> Option<&'a str> {
    record["headers"]
        .as_array()?
        .iter()
        .find(|h| h[0].as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))
        .and_then(|h| h[1].as_str())
}

/// The bytes of a recorded part or body (`text` or `b64`).
fn recorded_bytes(v: &Value) -> Vec<u8> {
    if let Some(t) = v["text"].as_str() {
        return t.as_bytes().to_vec();
    }
    if let Some(b) = v["b64"].as_str() {
        return base64::engine::general_purpose::STANDARD.decode(b).unwrap();
    }
    Vec::new()
}

/// Checks `data` against an expected content: `text`, `b64`, or `sha256` + `size`.
fn check_content(what: &str, data: &[u8], want: &Value, fx: &Fixture, host: &str) {
    if let Some(t) = want["text"].as_str() {
        assert_eq!(
            String::from_utf8_lossy(data),
            fx.subst(t, host),
            "{what}: content"
        );
    } else if let Some(b) = want["b64"].as_str() {
        let want = base64::engine::general_purpose::STANDARD.decode(b).unwrap();
        assert_eq!(data, &want[..], "{what}: bytes");
    } else if let Some(sha) = want["sha256"].as_str() {
        let digest = kosli_core::Fingerprint::of_bytes(data).to_string();
        assert_eq!(digest, sha, "{what}: sha256");
        assert_eq!(
            data.len() as u64,
            want["size"].as_u64().unwrap(),
            "{what}: size"
        );
    }
}

/// (name, content) of each member of a gzip tar, in order.
pub fn tar_members(tgz: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(tgz));
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().display().to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

/// Asserts that `got` (a request fake-kosli recorded) is `want` (one the CLI sent).
pub fn assert_request(got: &Value, want: &Value, fx: &Fixture, host: &str) {
    let target = fx.subst(want["target"].as_str().unwrap(), host);
    let what = format!("{} {target}", want["method"].as_str().unwrap());
    assert_eq!(got["method"], want["method"], "{what}: method");
    assert_eq!(
        got["raw_target"].as_str().unwrap(),
        target,
        "{what}: target"
    );
    assert_eq!(
        header(got, "Authorization"),
        want["authorization"].as_str(),
        "{what}: Authorization"
    );
    let ct = header(got, "Content-Type");
    match want["content_type"].as_str() {
        Some("multipart/form-data; boundary=<boundary>") => {
            let b = ct
                .and_then(|c| c.strip_prefix("multipart/form-data; boundary="))
                .unwrap_or_else(|| panic!("{what}: content type {ct:?}"));
            assert!(
                b.len() == 60 && b.bytes().all(|c| c.is_ascii_hexdigit()),
                "{what}: boundary {b}"
            );
        }
        other => assert_eq!(ct, other, "{what}: content type"),
    }
    if let Some(parts) = want["parts"].as_array() {
        let got_parts = got["multipart"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: not multipart"));
        let names = |ps: &[Value]| -> Vec<(Value, Value, Value)> {
            ps.iter()
                .map(|p| {
                    (
                        p["name"].clone(),
                        p["filename"].clone(),
                        p["content_type"].clone(),
                    )
                })
                .collect()
        };
        assert_eq!(
            names(got_parts),
            names(parts),
            "{what}: parts (name, file name, type)"
        );
        for (g, w) in got_parts.iter().zip(parts) {
            let part = format!("{what}: part {}", w["name"]);
            let data = recorded_bytes(g);
            if let Some(members) = w["archive"].as_array() {
                let got_members = tar_members(&data);
                let got_names: Vec<&str> = got_members.iter().map(|(n, _)| n.as_str()).collect();
                let want_names: Vec<String> = members
                    .iter()
                    .map(|m| fx.subst(m["name"].as_str().unwrap(), host))
                    .collect();
                assert_eq!(got_names, want_names, "{part}: tar members");
                for ((name, content), m) in got_members.iter().zip(members) {
                    check_content(&format!("{part}: member {name}"), content, m, fx, host);
                }
            } else {
                check_content(&part, &data, w, fx, host);
            }
        }
    } else if want.get("text").is_some() || want.get("sha256").is_some() {
        let data = recorded_bytes(&got["body"]);
        check_content(&format!("{what}: body"), &data, want, fx, host);
    } else {
        assert_eq!(got["body_len"], 0, "{what}: no body");
    }
}

/// Asserts that fake-kosli received exactly `want`, in order.
pub fn assert_requests(got: &[Value], want: &[Value], fx: &Fixture, host: &str) {
    let show = |rs: &[Value], key: &str| -> Vec<String> {
        rs.iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r["method"].as_str().unwrap_or("?"),
                    r[key].as_str().unwrap_or("?")
                )
            })
            .collect()
    };
    assert_eq!(
        got.len(),
        want.len(),
        "requests received {:?}, the CLI sent {:?}",
        show(got, "raw_target"),
        show(want, "target")
    );
    for (g, w) in got.iter().zip(want) {
        assert_request(g, w, fx, host);
    }
}
