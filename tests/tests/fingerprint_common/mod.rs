//! What the fingerprint conformance tests share: the vector format of
//! `tests/fixtures/fingerprint/`, running one vector through the API, and judging the result.
//!
//! Vectors spell paths relative to a working directory, so [`check_all`] changes the process's
//! current directory: a test binary that uses it must hold exactly one `#[test]`.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use kosli_core::fingerprint::{split_exclude_values, Fingerprinter};
use kosli_core::ErrorKind;
use kosli_tests::fixtures_dir;
use serde::Deserialize;

/// Thread counts every vector is run with; the result must not depend on them.
pub const THREADS: [usize; 3] = [1, 2, 8];

/// How long one fingerprint may take before the test calls it a hang (the CLI hangs on FIFOs;
/// the SDK must not).
const DEADLINE: Duration = Duration::from_secs(20);

/// The deadline for a vector already known to hang the SDK: long enough to notice a fix.
const KNOWN_HANG_DEADLINE: Duration = Duration::from_secs(2);

/// The prefix of every error line the CLI prints.
const CLI_ERROR_PREFIX: &str = "Error: [kosli fingerprint] ";

/// One vector (see the fixtures' README for the fields).
#[derive(Debug, Clone, Deserialize)]
pub struct Vector {
    pub case: String,
    pub artifact_type: String,
    pub path: String,
    pub cwd: String,
    pub excludes: Vec<String>,
    pub cli_exclude_args: Vec<String>,
    pub informational: Option<String>,
    pub expected_sha256: Option<String>,
    pub expected_error: Option<ExpectedError>,
    pub cli_stderr: Option<String>,
    #[serde(default)]
    pub error_names: Vec<String>,
    pub known_disagreement: Option<KnownDisagreement>,
    /// Random trees carry the recipe that rebuilds them.
    pub recipe: Option<Vec<RecipeOp>>,
}

/// The CLI's error output.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedError {
    pub message: String,
}

/// Where the SDK is known to differ from the CLI.
#[derive(Debug, Clone, Deserialize)]
pub struct KnownDisagreement {
    pub what: String,
}

/// One step of a random tree's recipe (`tests/tools/compare_random_trees.py`).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum RecipeOp {
    Dir {
        path: String,
    },
    /// `text` repeated and cut to `size` bytes; a negative size means `text` as it is.
    File {
        path: String,
        text: String,
        size: i64,
    },
    Symlink {
        path: String,
        target: String,
    },
}

/// A generated vector file: the list with its provenance.
#[derive(Debug, Deserialize)]
struct VectorFile {
    cli_version: String,
    vectors: Vec<Vector>,
}

/// What one run of the SDK gave, in a form that compares across thread counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Digest {
        hex: String,
        warnings: Vec<String>,
    },
    Failed {
        kind: ErrorKind,
        message: String,
        warnings: Vec<String>,
    },
    /// The warning callback and `DirReport::warnings` disagree.
    Inconsistent(String),
    Hung,
}

/// Loads `tests/fixtures/fingerprint/<name>`: a bare list, or a generated file from CLI v2.43.1.
pub fn load(name: &str) -> Vec<Vector> {
    let path = fixtures_dir().join("fingerprint").join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let file: VectorFile =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        file.cli_version.contains("v2.43.1"),
        "{name} was generated from {}",
        file.cli_version
    );
    file.vectors
}

/// Builds the corpus by running the committed scripts (the contract's, then the project's
/// extra trees), as the CLI's answers were made.
pub fn build_corpus(into: &Path) -> PathBuf {
    let corpus = into.join("corpus");
    for name in ["make_corpus.sh", "make_corpus_extra.sh"] {
        let script = fixtures_dir().join("fingerprint").join(name);
        let out = Command::new("bash")
            .arg(&script)
            .arg(&corpus)
            .output()
            .unwrap_or_else(|e| panic!("run {name}: {e}"));
        assert!(
            out.status.success(),
            "{name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    corpus
}

/// Rebuilds a random tree under `base/t` (with `base/outside.txt`, the target of links that
/// leave the tree, and the symlink `base/tl -> t`), as the comparison script built it.
#[cfg(unix)]
pub fn build_recipe(base: &Path, recipe: &[RecipeOp]) {
    let root = base.join("t");
    fs::create_dir_all(&root).expect("tree root");
    fs::write(base.join("outside.txt"), "outside\n").expect("outside.txt");
    std::os::unix::fs::symlink("t", base.join("tl")).expect("tl -> t");
    for op in recipe {
        let (path, parent_of) = match op {
            RecipeOp::Dir { path }
            | RecipeOp::File { path, .. }
            | RecipeOp::Symlink { path, .. } => (
                root.join(path),
                root.join(path).parent().map(Path::to_path_buf),
            ),
        };
        if let Some(parent) = parent_of {
            fs::create_dir_all(parent).expect("parent dir");
        }
        match op {
            RecipeOp::Dir { .. } => fs::create_dir_all(&path).expect("dir"),
            RecipeOp::File { text, size, .. } => {
                fs::write(&path, recipe_content(text, *size)).expect("file")
            }
            RecipeOp::Symlink { target, .. } => {
                std::os::unix::fs::symlink(target, &path).expect("symlink")
            }
        }
    }
}

fn recipe_content(text: &str, size: i64) -> Vec<u8> {
    let Ok(size) = usize::try_from(size) else {
        return text.as_bytes().to_vec();
    };
    text.as_bytes().iter().copied().cycle().take(size).collect()
}

/// Runs one fingerprint on a helper thread so that a hang fails the test instead of blocking it.
pub fn run(vector: &Vector, patterns: &[String], threads: usize, deadline: Duration) -> Outcome {
    let (tx, rx) = mpsc::channel();
    let (kind, path) = (vector.artifact_type.clone(), vector.path.clone());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&seen);
    let fp = Fingerprinter::new()
        .excludes(patterns.iter().cloned())
        .threads(threads)
        .on_warning(move |w| sink.lock().expect("warnings").push(w.to_string()));
    std::thread::spawn(move || {
        let result = match kind.as_str() {
            "file" => fp.file(&path).map(|d| (d.to_hex(), Vec::new())),
            "dir" => fp
                .dir_report(&path)
                .map(|r| (r.fingerprint.to_hex(), r.warnings)),
            other => panic!("unknown artifact type {other}"),
        };
        let _ = tx.send(match result {
            Ok((hex, warnings)) => {
                let called = seen.lock().expect("warnings").clone();
                if kind == "dir" && called != warnings {
                    Outcome::Inconsistent(format!(
                        "on_warning saw {called:?}, DirReport::warnings holds {warnings:?}"
                    ))
                } else {
                    Outcome::Digest { hex, warnings }
                }
            }
            Err(e) => Outcome::Failed {
                kind: e.kind(),
                message: e.to_string(),
                warnings: seen.lock().expect("warnings").clone(),
            },
        });
    });
    rx.recv_timeout(deadline).unwrap_or(Outcome::Hung)
}

/// The CLI's error text without its prefix (the last `Error:` line; warnings may precede it).
pub fn cli_error_text(message: &str) -> &str {
    message
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix(CLI_ERROR_PREFIX))
        .unwrap_or(message)
}

/// The warnings the CLI printed, without their `[warning] ` prefix.
pub fn cli_warnings(stderr: Option<&str>) -> Vec<String> {
    stderr
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("[warning] "))
        .map(str::to_string)
        .collect()
}

/// The SDK error kind that corresponds to the CLI's message, and whether the SDK must use the
/// CLI's exact words (path errors and flag errors) or may say more (glob errors name the
/// pattern; read errors of the ignore file may word the reason differently).
fn expected_kind(cli_text: &str) -> Option<(ErrorKind, bool)> {
    let io_ops = ["open ", "stat ", "lstat ", "read "];
    if cli_text.starts_with("syntax error in pattern") {
        Some((ErrorKind::InvalidInput, false))
    } else if cli_text.starts_with("flag '--exclude'") || cli_text.starts_with("invalid argument") {
        Some((ErrorKind::InvalidInput, true))
    } else if cli_text.ends_with(" is not a directory") {
        Some((ErrorKind::Fingerprint, true))
    } else if io_ops.iter().any(|op| cli_text.starts_with(op)) {
        Some((ErrorKind::Io, true))
    } else if cli_text.starts_with("failed to read ") {
        Some((ErrorKind::Io, false))
    } else {
        None
    }
}

/// Whether `message` names `what`, as given or quoted with escapes (`"[\\]"` for `[\]`).
fn names(message: &str, what: &str) -> bool {
    message.contains(what) || message.contains(&format!("{what:?}"))
}

/// Checks one vector with the current directory already at its `cwd`; `Err` holds every
/// mismatch found.
pub fn check(v: &Vector) -> Result<(), String> {
    // The CLI's comma lists, split as the example splits them.
    let patterns = match split_exclude_values(&v.cli_exclude_args) {
        Ok(p) => {
            if p != v.excludes {
                return Err(format!(
                    "split {:?} into {p:?}, the CLI used {:?}",
                    v.cli_exclude_args, v.excludes
                ));
            }
            p
        }
        Err(e) => {
            let Some(exp) = &v.expected_error else {
                return Err(format!("splitting {:?} failed: {e}", v.cli_exclude_args));
            };
            let want = cli_error_text(&exp.message);
            if e.kind() != ErrorKind::InvalidInput || e.to_string() != want {
                return Err(format!(
                    "split error {:?} {e:?}, the CLI said {want:?}",
                    e.kind()
                ));
            }
            return Ok(());
        }
    };

    if v.informational.is_some() && v.known_disagreement.is_some() {
        // Known to hang the SDK as well: one short try, to notice when it is fixed.
        return match run(v, &patterns, 1, KNOWN_HANG_DEADLINE) {
            Outcome::Failed {
                kind: ErrorKind::Fingerprint,
                ..
            } => Ok(()),
            other => Err(format!("expected a quick Fingerprint error, got {other:?}")),
        };
    }
    let outcomes: Vec<Outcome> = THREADS
        .iter()
        .map(|&t| run(v, &patterns, t, DEADLINE))
        .collect();
    for (t, o) in THREADS.iter().zip(&outcomes).skip(1) {
        if *o != outcomes[0] {
            return Err(format!(
                "{t} threads gave {o:?}, 1 thread gave {:?}",
                outcomes[0]
            ));
        }
    }
    let got = &outcomes[0];

    if v.informational.is_some() {
        // The CLI hangs (a FIFO): the SDK returns a typed error naming the path instead.
        return match got {
            Outcome::Failed {
                kind: ErrorKind::Fingerprint,
                message,
                ..
            } if message.contains(&v.path) => Ok(()),
            other => Err(format!(
                "expected a quick Fingerprint error naming {:?}, got {other:?}",
                v.path
            )),
        };
    }
    if let Some(want) = &v.expected_sha256 {
        let want_warnings = cli_warnings(v.cli_stderr.as_deref());
        return match got {
            Outcome::Digest { hex, warnings } if hex == want && *warnings == want_warnings => {
                Ok(())
            }
            other => Err(format!(
                "expected {want} with warnings {want_warnings:?}, got {other:?}"
            )),
        };
    }
    let Some(exp) = &v.expected_error else {
        return Err("vector has neither expected_sha256 nor expected_error".into());
    };
    let want = cli_error_text(&exp.message);
    let Some((want_kind, exact)) = expected_kind(want) else {
        return Err(format!(
            "no SDK error kind known for the CLI message {want:?}"
        ));
    };
    let Outcome::Failed {
        kind,
        message,
        warnings,
    } = got
    else {
        return Err(format!("expected error {want:?}, got {got:?}"));
    };
    let mut problems = Vec::new();
    if *kind != want_kind {
        problems.push(format!("kind {kind:?}, expected {want_kind:?}"));
    }
    if exact && message != want {
        problems.push(format!("message {message:?}, the CLI said {want:?}"));
    }
    if !exact {
        // The CLI's words up to its reason (`failed to read <path>`) must open the message.
        let head = want.split(": ").next().unwrap_or(want);
        if !message.starts_with(head) {
            problems.push(format!(
                "message {message:?} does not start with the CLI's {head:?}"
            ));
        }
        // The CLI does not say which pattern is bad; the SDK must (error_names, checked below,
        // say which when the vector knows).
        // Without error_names: one of the flag patterns, or a line of the ignore file.
        let names_ignore_line = message.contains(".kosli_ignore line ");
        if v.error_names.is_empty()
            && !names_ignore_line
            && !patterns.iter().any(|p| names(message, p))
        {
            problems.push(format!(
                "message {message:?} names none of the patterns {patterns:?}"
            ));
        }
    }
    for name in &v.error_names {
        if !names(message, name) {
            problems.push(format!("message {message:?} does not name {name:?}"));
        }
    }
    // A warning the CLI printed before failing reaches the caller's warning callback too.
    let want_warnings = cli_warnings(Some(&exp.message));
    if *warnings != want_warnings {
        problems.push(format!(
            "warnings {warnings:?} before the error, the CLI printed {want_warnings:?}"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// What [`check_all`] found.
#[derive(Debug, Default)]
pub struct Report {
    pub checked: usize,
    pub failures: Vec<String>,
    pub known: Vec<String>,
}

/// Checks every vector with the current directory at `base(v).join(v.cwd)`, restoring the
/// current directory afterwards. Known disagreements are listed, not failed.
pub fn check_all(
    label: &str,
    vectors: &[Vector],
    base: &mut dyn FnMut(&Vector) -> PathBuf,
) -> Report {
    let home = std::env::current_dir().expect("cwd");
    let mut report = Report::default();
    for v in vectors {
        let dir = base(v).join(&v.cwd);
        std::env::set_current_dir(&dir).unwrap_or_else(|e| panic!("chdir {}: {e}", dir.display()));
        let result = check(v);
        report.checked += 1;
        match (&v.known_disagreement, result) {
            (Some(k), r) => report
                .known
                .push(format!("{label} {}: {} (API check: {r:?})", v.case, k.what)),
            (None, Ok(())) => {}
            (None, Err(why)) => report
                .failures
                .push(format!("{label} {} ({}): {why}", v.case, v.path)),
        }
    }
    std::env::set_current_dir(home).expect("chdir back");
    report
}

impl Report {
    /// Prints the known disagreements and fails with every unexpected mismatch.
    ///
    /// The summary goes to the real stderr (not the captured test output), so every
    /// `cargo test` run shows the known disagreements.
    pub fn assert_ok(&self) {
        let mut err = std::io::stderr();
        for k in &self.known {
            let _ = writeln!(err, "KNOWN DISAGREEMENT {k}");
        }
        let _ = writeln!(
            err,
            "{} vectors checked with {THREADS:?} threads, {} known disagreements",
            self.checked,
            self.known.len()
        );
        assert!(
            self.failures.is_empty(),
            "{} of {} vectors failed:\n{}",
            self.failures.len(),
            self.checked,
            self.failures.join("\n")
        );
    }
}
