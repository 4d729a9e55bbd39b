//! JUnit XML results to the CLI's `junit_results`: one [`SuiteSummary`] per outermost
//! `<testsuite>`, with the official CLI's exact rules (contract: evidence.md §1).
//!
//! * [`parse_dir`] reads every regular `*.xml` file under a folder (lexical, depth-first;
//!   symlinks skipped), as `attest junit --results-dir` does; files with no suite are ignored,
//!   and the first malformed file is an error naming it and the line.
//! * Counts and durations are recomputed from the testcases (header attributes are ignored);
//!   the last `<skipped>`/`<failure>`/`<error>` child decides a testcase's status; nested
//!   suites fold into the outermost one; durations truncate to microseconds like go-junit;
//!   timestamps follow the CLI's three layouts and are dropped when they do not parse.
//! * Beyond the CLI: files declaring another encoding (ISO-8859-x, Windows-125x, UTF-16, ...)
//!   are decoded instead of rejected.
//!
//! Parsing streams: memory does not grow with the number of test cases. Per-testcase detail
//! is available through a [`TestCaseVisitor`].
//!
//! ```
//! let xml = br#"<testsuite name="s"><testcase name="a" time="1.001"/>
//!   <testcase name="b"><failure message="boom"/></testcase></testsuite>"#;
//! let suites = kosli_core::evidence::junit::parse_bytes(xml, None)?;
//! assert_eq!((suites[0].total, suites[0].failures, suites[0].duration), (2, 1, 1.000999));
//! # Ok::<(), kosli_core::Error>(())
//! ```

mod reader;

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::encoding::{self, XmlEncoding};
use crate::error::{Error, Result};

/// One reported suite: an element of the CLI's `junit_results`, fields in wire order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuiteSummary {
    /// The suite's `name` attribute (`""` when absent).
    pub name: String,
    /// Testcases whose status is failed, nested suites included.
    pub failures: u64,
    /// Testcases whose status is error.
    pub errors: u64,
    /// Testcases whose status is skipped.
    pub skipped: u64,
    /// Testcases in the suite and its nested suites.
    pub total: u64,
    /// Sum of the testcases' times in seconds (Go's truncation to microseconds).
    pub duration: f64,
    /// Unix seconds of the suite's timestamp; absent when missing, unparsable or 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}

/// The suites of a results folder and the files they came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JunitSummary {
    /// The suites, in walk order and document order.
    pub suites: Vec<SuiteSummary>,
    /// The files that held at least one suite (the CLI uploads these as attachments).
    pub files: Vec<PathBuf>,
}

impl JunitSummary {
    /// Testcases in all suites.
    pub fn total(&self) -> u64 {
        self.suites.iter().map(|s| s.total).sum()
    }

    /// Failed plus errored testcases in all suites.
    pub fn failed(&self) -> u64 {
        self.suites.iter().map(|s| s.failures + s.errors).sum()
    }
}

/// The outcome of one testcase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// No status element.
    #[default]
    Passed,
    /// The last status element was `<skipped>`.
    Skipped,
    /// The last status element was `<failure>`.
    Failed,
    /// The last status element was `<error>`.
    Error,
}

/// One testcase, as given to a [`TestCaseVisitor`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestCase<'a> {
    /// The innermost enclosing suite's name.
    pub suite: &'a str,
    /// The `name` attribute.
    pub name: &'a str,
    /// The `classname` attribute.
    pub classname: &'a str,
    /// The outcome.
    pub status: Status,
    /// The `time` in seconds, as it counts towards the suite's duration.
    pub time: f64,
    /// The `message` attribute of the status element that decided the outcome.
    pub message: Option<&'a str>,
}

/// Receives every testcase while a file is parsed (for per-test detail without keeping all of
/// them in memory). Closures taking `&TestCase` are visitors.
pub trait TestCaseVisitor {
    /// Called once per testcase, in document order, after its status is known.
    fn test_case(&mut self, case: &TestCase<'_>);

    /// Whether names and messages are wanted; `false` skips decoding them.
    fn wants_detail(&self) -> bool {
        true
    }
}

impl<F: FnMut(&TestCase<'_>)> TestCaseVisitor for F {
    fn test_case(&mut self, case: &TestCase<'_>) {
        self(case)
    }
}

/// The visitor that wants nothing: totals only.
struct Totals;

impl TestCaseVisitor for Totals {
    fn test_case(&mut self, _case: &TestCase<'_>) {}

    fn wants_detail(&self) -> bool {
        false
    }
}

/// Reads a results folder as `kosli attest junit --results-dir` does. A path to a single
/// `.xml` file is read as that file.
///
/// Errors: the folder is missing (`lstat <dir>: no such file or directory`), a file is
/// malformed (`failed to parse XML file <path>: XML syntax error on line N: ...`), or nothing
/// holds a suite (`no tests found in <dir> directory`).
pub fn parse_dir(dir: impl AsRef<Path>) -> Result<JunitSummary> {
    parse_dir_with(dir, &mut Totals)
}

/// [`parse_dir`], calling `visitor` for every testcase.
pub fn parse_dir_with(
    dir: impl AsRef<Path>,
    visitor: &mut dyn TestCaseVisitor,
) -> Result<JunitSummary> {
    let dir = &clean(dir.as_ref());
    let mut files = Vec::new();
    collect_xml_files(dir, &mut files)?;
    let mut summary = JunitSummary::default();
    for file in files {
        let before = summary.suites.len();
        parse_file_into(&file, visitor, &mut summary.suites)?;
        if summary.suites.len() > before {
            summary.files.push(file);
        }
    }
    if summary.suites.is_empty() {
        return Err(Error::invalid_input(
            "results-dir",
            format!("no tests found in {} directory", dir.display()),
        ));
    }
    tracing::debug!(
        suites = summary.suites.len(),
        files = summary.files.len(),
        "junit results read"
    );
    Ok(summary)
}

/// The suites of one JUnit XML file (none when it holds no `<testsuite>`).
pub fn parse_file(path: impl AsRef<Path>) -> Result<Vec<SuiteSummary>> {
    let mut suites = Vec::new();
    parse_file_into(path.as_ref(), &mut Totals, &mut suites)?;
    Ok(suites)
}

/// [`parse_file`], calling `visitor` for every testcase.
pub fn parse_file_with(
    path: impl AsRef<Path>,
    visitor: &mut dyn TestCaseVisitor,
) -> Result<Vec<SuiteSummary>> {
    let mut suites = Vec::new();
    parse_file_into(path.as_ref(), visitor, &mut suites)?;
    Ok(suites)
}

/// The suites of a JUnit XML document held in memory; `file` names it in errors.
pub fn parse_bytes(bytes: &[u8], file: Option<&Path>) -> Result<Vec<SuiteSummary>> {
    parse_bytes_with(bytes, file, &mut Totals)
}

/// [`parse_bytes`], calling `visitor` for every testcase.
pub fn parse_bytes_with(
    bytes: &[u8],
    file: Option<&Path>,
    visitor: &mut dyn TestCaseVisitor,
) -> Result<Vec<SuiteSummary>> {
    let mut suites = Vec::new();
    let (enc, bom) = encoding::sniff(bytes).map_err(|msg| xml_error(file, 1, &msg))?;
    match enc {
        XmlEncoding::Whole(whole) => {
            let (text, _) = whole.decode_with_bom_removal(bytes);
            reader::read_suites(text.as_bytes(), enc, visitor, &mut suites)
                .map_err(|f| xml_error(file, line_at(text.as_bytes(), f.offset), &f.message))?;
        }
        _ => {
            let body = &bytes[bom..];
            reader::read_suites(body, enc, visitor, &mut suites)
                .map_err(|f| xml_error(file, line_at(body, f.offset), &f.message))?;
        }
    }
    Ok(suites)
}

fn parse_file_into(
    path: &Path,
    visitor: &mut dyn TestCaseVisitor,
    out: &mut Vec<SuiteSummary>,
) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
    let mut input = BufReader::with_capacity(64 * 1024, file);
    let head = input.fill_buf().map_err(|e| Error::io("read", path, e))?;
    let (enc, bom) = encoding::sniff(head).map_err(|msg| xml_error(Some(path), 1, &msg))?;
    if let XmlEncoding::Whole(_) = enc {
        // Multi-byte encodings are decoded whole, then read from memory.
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("read", path, e))?;
        let suites = parse_bytes_with(&bytes, Some(path), visitor)?;
        out.extend(suites);
        return Ok(());
    }
    input.consume(bom);
    reader::read_suites(input, enc, visitor, out).map_err(|f| {
        let line = match fs::read(path) {
            Ok(bytes) => line_at(bytes.get(bom..).unwrap_or_default(), f.offset),
            Err(_) => 0,
        };
        xml_error(Some(path), line, &f.message)
    })
}

/// The CLI's wording, with the file and the 1-based line.
fn xml_error(file: Option<&Path>, line: u64, message: &str) -> Error {
    let what = file
        .map(|f| format!(" {}", f.display()))
        .unwrap_or_default();
    Error::parse(
        file,
        (line > 0).then_some(line),
        format!("failed to parse XML file{what}: XML syntax error on line {line}: {message}"),
    )
}

/// The 1-based line of a byte offset.
fn line_at(text: &[u8], offset: u64) -> u64 {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    memchr::memchr_iter(b'\n', &text[..end]).count() as u64 + 1
}

/// Every regular `*.xml` file under `root`, in Go's `filepath.WalkDir` order (entries sorted
/// by name, depth-first); symlinks are neither followed nor read.
fn collect_xml_files(root: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta = fs::symlink_metadata(root).map_err(|e| Error::io("lstat", root, e))?;
    if meta.is_dir() {
        walk(root, out)
    } else {
        if meta.is_file() && is_xml_name(root) {
            out.push(root.to_path_buf());
        }
        Ok(())
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io("open", dir, e))? {
        let entry = entry.map_err(|e| Error::io("readdir", dir, e))?;
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("lstat", &entry.path(), e))?;
        entries.push((entry.file_name(), kind));
    }
    entries.sort_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
    for (name, kind) in entries {
        let path = dir.join(&name);
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && is_xml_name(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// A path without `.` components or doubled separators (as Go's `filepath.Join` leaves the
/// paths the CLI names in its messages); `.` alone stays `.`.
fn clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let cleaned: PathBuf = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

/// Names ending in `.xml`, case-sensitively.
fn is_xml_name(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().ends_with(b".xml"))
}

#[cfg(test)]
mod tests;
