//! Helpers of the tests of environments, snapshots, allow/assert and artifact reads: the CLI's
//! cases (tests/fixtures/ops/env/cases), the fixture folder they ran in (rebuilt, with the
//! modification times the snapshots reported), the server's answers replayed through
//! fake-kosli, and the comparison of the requests received with the CLI's.
#![allow(dead_code, reason = "each test file uses a part of these helpers")]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use kosli_tests::fake::{FakeKosli, Fault};
use serde_json::Value;

/// The fingerprint of `$FIXDIR/fix/app.bin`.
pub const FP: &str = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef";

pub fn env_dir() -> PathBuf {
    kosli_tests::fixtures_dir().join("ops").join("env")
}

/// One run of the official CLI (see tests/fixtures/ops/env/README.md).
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
    pub requests: Vec<Value>,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub mtimes: Vec<(String, u64)>,
}

impl Case {
    /// Loads `cases/<name>.json`.
    pub fn load(name: &str) -> Case {
        let path = env_dir().join("cases").join(format!("{name}.json"));
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let v: Value = serde_json::from_str(&text).unwrap();
        let pairs = |v: &Value| -> Vec<(String, Value)> {
            v.as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        Case {
            name: name.to_string(),
            env: pairs(&v["env"])
                .into_iter()
                .map(|(k, v)| (k, v.as_str().unwrap().to_string()))
                .collect(),
            args: v["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect(),
            requests: v["requests"].as_array().unwrap().clone(),
            stdout: v["stdout"].as_str().unwrap().to_string(),
            stderr: v["stderr"].as_str().unwrap().to_string(),
            exit_code: v["exit_code"].as_i64().unwrap() as i32,
            mtimes: pairs(&v["mtimes"])
                .into_iter()
                .map(|(k, v)| (k, v.as_u64().unwrap()))
                .collect(),
        }
    }

    /// Every case's name.
    pub fn all_names() -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(env_dir().join("cases"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The answers the CLI got, queued on `fake` as faults so that it answers the same.
    pub fn replay_answers(&self, fake: &FakeKosli) {
        let faults = self
            .requests
            .iter()
            .map(|r| {
                let target = r["target"].as_str().unwrap();
                let path = target.split('?').next().unwrap();
                let mut f = Fault::status(r["response"]["status"].as_u64().unwrap() as u16)
                    .method(r["method"].as_str().unwrap());
                f.path = Some(path.to_string());
                f.raw_body = Some(r["response"]["body_text"].as_str().unwrap().to_string());
                f
            })
            .collect();
        fake.push_faults(faults).unwrap();
    }
}

/// The folder a case ran in: `fix/` (the server tree, `app.bin`, the paths specs), an empty
/// `repo/` (the working directory) and `home/`.
pub struct FixDir {
    pub dir: tempfile::TempDir,
}

impl FixDir {
    /// Builds it, with the case's modification times.
    pub fn new(case: &Case) -> FixDir {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        let fix = base.join("fix");
        let inputs = env_dir().join("inputs");
        copy_tree(&inputs.join("server"), &fix.join("server"));
        fs::copy(inputs.join("app.bin"), fix.join("app.bin")).unwrap();
        for e in fs::read_dir(inputs.join("specs")).unwrap() {
            let e = e.unwrap();
            let text = fs::read_to_string(e.path()).unwrap();
            fs::write(
                fix.join(e.file_name()),
                text.replace("$FIXDIR", base.to_str().unwrap()),
            )
            .unwrap();
        }
        fs::create_dir_all(base.join("repo")).unwrap();
        fs::create_dir_all(base.join("home")).unwrap();
        for (rel, t) in &case.mtimes {
            let f = fs::File::open(base.join(rel)).unwrap();
            f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(*t))
                .unwrap();
        }
        FixDir { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `text` with `$FIXDIR` and `$HOST` filled in.
    pub fn fill(&self, text: &str, host: &str) -> String {
        text.replace("$FIXDIR", self.path().to_str().unwrap())
            .replace("$HOST", host)
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A header of a recorded request (any case).
pub fn header<'a>(record: &'a Value, name: &str) -> Option<&'a str> {
    record["headers"]
        .as_array()?
        .iter()
        .find(|h| h[0].as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))
        .and_then(|h| h[1].as_str())
}

/// A snapshot report's entries sorted by name: the CLI sends a paths spec's artifacts in Go's
/// random map order, so only the set is the CLI's.
fn sorted_report(text: &str) -> Option<Value> {
    let mut v: Value = serde_json::from_str(text).ok()?;
    let list = v.get_mut("artifacts")?.as_array_mut()?;
    list.sort_by_key(|a| a["digests"].to_string());
    Some(v)
}

/// Checks that `got` (fake-kosli's log) holds the CLI's requests: method, target (path and
/// query), `Authorization`, content type and the exact JSON text (a snapshot report's entries
/// compared as a set).
pub fn assert_requests(case: &Case, fix: &FixDir, host: &str, got: &[Value]) {
    let want = &case.requests;
    assert_eq!(
        got.len(),
        want.len(),
        "{}: {} requests, the CLI sent {}: {:#?}",
        case.name,
        got.len(),
        want.len(),
        got.iter().map(|g| &g["raw_target"]).collect::<Vec<_>>()
    );
    for (g, w) in got.iter().zip(want) {
        let name = &case.name;
        assert_eq!(g["method"], w["method"], "{name}: method");
        assert_eq!(
            g["raw_target"].as_str().unwrap(),
            fix.fill(w["target"].as_str().unwrap(), host),
            "{name}: target"
        );
        assert_eq!(
            header(g, "Authorization"),
            w["authorization"].as_str(),
            "{name}: Authorization"
        );
        assert_eq!(
            header(g, "Content-Type"),
            w["content_type"].as_str(),
            "{name}: Content-Type"
        );
        let got_text = g["body"]["text"].as_str().unwrap_or_default();
        let want_text = fix.fill(w["text"].as_str().unwrap_or_default(), host);
        if got_text != want_text {
            let (a, b) = (sorted_report(got_text), sorted_report(&want_text));
            assert!(
                a.is_some() && a == b,
                "{name}: body\n got: {got_text}\nwant: {want_text}"
            );
        }
    }
}
