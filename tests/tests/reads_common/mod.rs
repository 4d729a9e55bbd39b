//! Helpers of the environment history read tests: the CLI's cases (tests/fixtures/reads/cases),
//! the server's answers replayed through fake-kosli, the requests compared with the CLI's, and
//! views compared with their relative times ("2 years ago") masked.
#![allow(dead_code, reason = "each test file uses a part of these helpers")]

use std::fs;
use std::path::PathBuf;

use kosli_tests::fake::{FakeKosli, Fault};
use serde_json::Value;

/// One run of the official CLI (see tests/fixtures/reads/README.md).
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub source: String,
    pub args: Vec<String>,
    pub requests: Vec<Value>,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

pub fn reads_dir() -> PathBuf {
    kosli_tests::fixtures_dir().join("reads")
}

impl Case {
    /// Loads `cases/<name>.json`.
    pub fn load(name: &str) -> Case {
        let path = reads_dir().join("cases").join(format!("{name}.json"));
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let v: Value = serde_json::from_str(&text).unwrap();
        Case {
            name: name.to_string(),
            source: v["source"].as_str().unwrap().to_string(),
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
        }
    }

    /// Every case's name.
    pub fn all_names() -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(reads_dir().join("cases"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The answers the CLI got, queued on `fake` so that it answers the same.
    pub fn replay_answers(&self, fake: &FakeKosli) {
        let faults = self
            .requests
            .iter()
            .map(|r| {
                let target = r["target"].as_str().unwrap();
                let mut f = Fault::status(r["response"]["status"].as_u64().unwrap() as u16)
                    .method(r["method"].as_str().unwrap());
                f.path = Some(target.split('?').next().unwrap().to_string());
                f.raw_body = Some(r["response"]["body_text"].as_str().unwrap().to_string());
                f
            })
            .collect();
        fake.push_faults(faults).unwrap();
    }

    /// The value of `--flag` in the case's arguments.
    pub fn flag(&self, long: &str, short: Option<&str>) -> Option<String> {
        let i = self
            .args
            .iter()
            .position(|a| a == long || short.is_some_and(|s| a == s))?;
        self.args.get(i + 1).cloned()
    }

    /// Whether `--flag` is among the arguments.
    pub fn has(&self, long: &str, short: Option<&str>) -> bool {
        self.args
            .iter()
            .any(|a| a == long || short.is_some_and(|s| a == s))
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

/// Checks that `got` (fake-kosli's log) holds the CLI's requests: method, target (path and
/// query), `Authorization`, content type, no body.
pub fn assert_requests(case: &Case, got: &[Value]) {
    let want = &case.requests;
    let name = &case.name;
    assert_eq!(got.len(), want.len(), "{name}: {got:#?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g["method"], w["method"], "{name}: method");
        assert_eq!(g["raw_target"], w["target"], "{name}: target");
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
        assert_eq!(
            g["body"]["text"].as_str().unwrap_or_default(),
            "",
            "{name}: body"
        );
    }
}

/// `text` with every relative time (`2 years ago`, `about an hour ago`, or the date the CLI
/// gives from 1080 days on after a `•`) replaced by `<ago>`, and the spaces of lines that had
/// one collapsed (their column widths depend on today).
pub fn without_relative_times(text: &str) -> String {
    const UNITS: [&str; 12] = [
        "seconds", "second", "minutes", "minute", "hours", "hour", "days", "day", "months",
        "month", "years", "year",
    ];
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let words: Vec<&str> = line.split(' ').collect();
        let mut masked = false;
        let mut kept: Vec<String> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            let ago = i + 2 < words.len()
                && UNITS.contains(&words[i + 1])
                && words[i + 2].trim_end_matches('\n') == "ago";
            let ago3 = i + 3 < words.len()
                && w == "about"
                && UNITS.contains(&words[i + 2])
                && words[i + 3].trim_end_matches('\n') == "ago";
            if ago3 {
                kept.push(format!(
                    "<ago>{}",
                    if words[i + 3].ends_with('\n') {
                        "\n"
                    } else {
                        ""
                    }
                ));
                i += 4;
                masked = true;
            } else if ago {
                kept.push(format!(
                    "<ago>{}",
                    if words[i + 2].ends_with('\n') {
                        "\n"
                    } else {
                        ""
                    }
                ));
                i += 3;
                masked = true;
            } else if i > 0
                && words[i - 1] == "\u{2022}"
                && w.len() >= 10
                && w.as_bytes()[4] == b'-'
            {
                kept.push(format!("<ago>{}", &w[10..]));
                i += 1;
                masked = true;
            } else {
                kept.push(w.to_string());
                i += 1;
            }
        }
        let line = kept.join(" ");
        if masked {
            let collapsed: Vec<&str> = line.split_whitespace().collect();
            out.push_str(&collapsed.join(" "));
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(&line);
        }
    }
    out
}
