//! `kosli evaluate input` through the `kosli` example for every vector of the shared contract
//! (tests/fixtures/policy/vectors.json) and of this project's own policies
//! (own-vectors.json, recorded from the official CLI): the same exit code, the same stdout
//! (JSON-equal when it is JSON, byte-exact otherwise), the same stderr, except where only the
//! engine's wording differs (OPA lists every parse error and describes recursion cycles;
//! there the error class, the first line's start and the error code must match).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn dir() -> PathBuf {
    kosli_tests::fixtures_dir().join("policy")
}

fn vectors(file: &str) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&std::fs::read(dir().join(file)).unwrap()).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

/// Runs one vector; returns what differs from the CLI.
fn run(kosli: &Path, v: &Value) -> Vec<String> {
    let case = v["case"].as_str().unwrap();
    let mut cmd = Command::new(kosli);
    cmd.current_dir(dir())
        .env_clear()
        .env("HOME", "/nonexistent")
        .args(["evaluate", "input"]);
    if let Some(input) = v["input"].as_str() {
        cmd.args(["--input-file", &format!("inputs/{input}")]);
    }
    cmd.args([
        "--policy",
        &format!("policies/{}", v["policy"].as_str().unwrap()),
    ]);
    if let Some(p) = v["params"].as_str() {
        cmd.args(["--params", p]);
    }
    cmd.args(["--output", v["output"].as_str().unwrap()]);
    for e in v["extra"].as_array().unwrap() {
        cmd.arg(e.as_str().unwrap());
    }
    match v["stdin_file"].as_str() {
        Some(f) => cmd.stdin(std::fs::File::open(dir().join("inputs").join(f)).unwrap()),
        None => cmd.stdin(Stdio::null()),
    };
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    let want = &v["expected"];
    let mut diffs = Vec::new();
    if out.status.code() != want["exit_code"].as_i64().map(|c| c as i32) {
        diffs.push(format!(
            "{case}: exit {:?}, the CLI's {}",
            out.status.code(),
            want["exit_code"]
        ));
    }
    let want_out = want["stdout"].as_str().unwrap();
    let same_out = match serde_json::from_str::<Value>(want_out) {
        Ok(w) if !want_out.trim().is_empty() => {
            // JSON-equal, and byte-exact too (key order, indent, escapes, no newline).
            serde_json::from_str::<Value>(&stdout).ok() == Some(w) && stdout == want_out
        }
        _ => stdout == want_out,
    };
    if !same_out {
        diffs.push(format!(
            "{case}: stdout\n--- got\n{stdout}\n--- want\n{want_out}"
        ));
    }
    let want_err = want["stderr"].as_str().unwrap();
    let wording_only =
        want_err.contains("errors occurred:") || want_err.contains("rego_recursion_error");
    let same_err = if wording_only {
        let first = want_err.lines().next().unwrap();
        let head = &first[..first
            .find("policy.rego")
            .or_else(|| first.find(" errors occurred"))
            .unwrap_or(first.len())];
        let head = head.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
        let code = ["rego_parse_error", "rego_recursion_error"]
            .into_iter()
            .find(|c| want_err.contains(c))
            .unwrap();
        stderr.starts_with(head) && stderr.contains(code)
    } else {
        stderr == want_err
    };
    if !same_err {
        diffs.push(format!(
            "{case}: stderr\n--- got\n{stderr}\n--- want\n{want_err}"
        ));
    }
    diffs
}

fn check_all(file: &str, at_least: usize) {
    let kosli = kosli_tests::example_binary("kosli");
    let vs = vectors(file);
    assert!(vs.len() >= at_least, "{file}: only {} vectors", vs.len());
    let diffs: Vec<String> = vs.iter().flat_map(|v| run(&kosli, v)).collect();
    assert!(
        diffs.is_empty(),
        "{} difference(s):\n\n{}",
        diffs.len(),
        diffs.join("\n\n")
    );
}

#[test]
fn every_shared_vector_gives_the_clis_answer() {
    check_all("vectors.json", 73);
}

#[test]
fn every_own_vector_gives_the_clis_answer() {
    check_all("own-vectors.json", 140);
}

/// A policy calling a builtin the SDK's engine lacks is refused by name (the CLI would run it).
#[test]
fn unsupported_builtins_fail_clearly() {
    let out = Command::new(kosli_tests::example_binary("kosli"))
        .current_dir(dir())
        .env_clear()
        .env("HOME", "/nonexistent")
        .args([
            "evaluate",
            "input",
            "--input-file",
            "inputs/empty-object.json",
            "--policy",
            "policies/own/o15-unsupported.rego",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: [kosli evaluate input] policy.rego:8: the builtin crypto.hmac.md5 is not supported by this SDK's Rego engine (see kosli_core::policy::rego::UNSUPPORTED_BUILTINS)\n"
    );
}

/// The SDK (no process) gives the same verdicts and violations for every vector that has one.
#[test]
fn the_sdk_gives_the_same_decisions() {
    use kosli_core::policy::rego;
    let mut checked = 0;
    for file in ["vectors.json", "own-vectors.json"] {
        for v in vectors(file) {
            let want = &v["expected"];
            let Ok(Value::Object(out)) =
                serde_json::from_str::<Value>(want["stdout"].as_str().unwrap())
            else {
                continue;
            };
            let Some(input) = v["input"].as_str().or(v["stdin_file"].as_str()) else {
                continue;
            };
            let input =
                rego::parse_input(&std::fs::read(dir().join("inputs").join(input)).unwrap())
                    .unwrap();
            let params = v["params"].as_str().map(|p| {
                let p = p
                    .strip_prefix('@')
                    .map(|f| format!("@{}", dir().join(f).display()))
                    .unwrap_or(p.to_string());
                rego::parse_params(&p).unwrap()
            });
            let policy =
                std::fs::read_to_string(dir().join("policies").join(v["policy"].as_str().unwrap()))
                    .unwrap();
            let d = rego::evaluate(&policy, &input, params.flatten().as_ref()).unwrap();
            assert_eq!(Value::Bool(d.allow), out["allow"], "{}", v["case"]);
            assert_eq!(
                serde_json::to_value(&d.violations).unwrap(),
                out["violations"],
                "{}",
                v["case"]
            );
            checked += 1;
        }
    }
    assert!(checked >= 90, "only {checked} decisions checked");
}
