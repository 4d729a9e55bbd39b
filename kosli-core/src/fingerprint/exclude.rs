//! Which walk paths a directory fingerprint skips: `--exclude` patterns, the root
//! `.kosli_ignore`, and the CLI's comma-list flag syntax.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};

use super::hasher::open;

use super::glob::{glob_doublestar, GlobError};
use super::gopath::{join, to_path, to_path_buf};
use crate::error::{Error, Result};

/// The ignore file read from the root of a fingerprinted directory.
pub const IGNORE_FILE: &str = ".kosli_ignore";

/// The longest line Go's `bufio.Scanner` accepts; a longer one ends the scan.
const MAX_LINE: usize = 64 * 1024;

/// Where a pattern came from, so errors can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Given by the caller (`--exclude`).
    Caller,
    /// A line of the root `.kosli_ignore`.
    IgnoreFile { line: usize },
}

/// The exact set of walk paths to skip, and any warning the CLI would print about it.
#[derive(Debug, Default)]
pub(crate) struct ExcludeSet {
    pub(crate) paths: HashSet<Vec<u8>>,
    pub(crate) warnings: Vec<String>,
}

/// Splits `--exclude` values the way the CLI's flag parser does: each value is one CSV record
/// (`a,b` is two patterns, `"a,b"` is one), and an empty pattern is an error.
///
/// ```
/// let patterns = kosli_core::fingerprint::split_exclude_values(["*.log,tmp", "\"comma,file\""])?;
/// assert_eq!(patterns, ["*.log", "tmp", "comma,file"]);
/// # Ok::<(), kosli_core::Error>(())
/// ```
pub fn split_exclude_values<I, S>(values: I) -> Result<Vec<String>>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = Vec::new();
    for value in values {
        let value = value.as_ref();
        let fields = csv_record(value).map_err(|why| {
            Error::invalid_input(
                "--exclude",
                format!("invalid argument {value:?} for \"-x, --exclude\" flag: {why}"),
            )
        })?;
        if value.is_empty() || fields.iter().any(String::is_empty) {
            return Err(empty_value());
        }
        out.extend(fields);
    }
    Ok(out)
}

fn empty_value() -> Error {
    Error::invalid_input("--exclude", "flag '--exclude' was given an empty value")
}

/// One CSV record (the first line of `value`), RFC 4180 quoting, no trimming.
fn csv_record(value: &str) -> std::result::Result<Vec<String>, String> {
    let line = value.split(['\n']).next().unwrap_or_default();
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut fields = Vec::new();
    let mut chars = line.char_indices().peekable();
    let column = |i: usize| line[..i].chars().count() + 1;
    loop {
        let mut field = String::new();
        if let Some(&(_, '"')) = chars.peek() {
            chars.next();
            loop {
                match chars.next() {
                    Some((_, '"')) => match chars.peek() {
                        Some(&(_, '"')) => {
                            chars.next();
                            field.push('"');
                        }
                        Some(&(_, ',')) | None => break,
                        Some(&(i, _)) => {
                            return Err(format!(
                                "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                                column(i)
                            ))
                        }
                    },
                    Some((_, c)) => field.push(c),
                    None => {
                        return Err(format!(
                            "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                            line.chars().count() + 1
                        ))
                    }
                }
            }
        } else {
            while let Some(&(i, c)) = chars.peek() {
                if c == ',' {
                    break;
                }
                if c == '"' {
                    return Err(format!(
                        "parse error on line 1, column {}: bare \" in non-quoted-field",
                        column(i)
                    ));
                }
                field.push(c);
                chars.next();
            }
        }
        fields.push(field);
        match chars.next() {
            Some((_, ',')) => continue,
            _ => break,
        }
    }
    Ok(fields)
}

/// Patterns from `<root>/.kosli_ignore` with their line numbers; none when it is missing or a
/// directory. A FIFO is refused instead of blocking (the CLI blocks forever on one).
pub(crate) fn read_ignore_file(root: &[u8]) -> Result<Vec<(usize, Vec<u8>)>> {
    let path = join(root, IGNORE_FILE.as_bytes());
    let display = to_path_buf(&path);
    let mut file = match open(&display) {
        Ok(f) => f,
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            return Ok(Vec::new())
        }
        Err(e) => return Err(e),
    };
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Ok(Vec::new());
    }
    let mut content = Vec::new();
    file.read_to_end(&mut content)
        .map_err(|e| Error::io("read", &display, e))?;
    parse_ignore_lines(&content).map_err(|line| {
        let reason = format!("bufio.Scanner: token too long (line {line} is 64 KiB or longer)");
        Error::Io {
            path: display.clone(),
            message: format!(
                "failed to read {}: bufio.Scanner: token too long",
                display.display()
            ),
            source: io::Error::new(io::ErrorKind::InvalidData, reason),
        }
    })
}

/// Each line: cut at the first `#`, trim whitespace, skip empties. A line that does not fit Go's
/// scanner buffer (64 KiB with its newline) fails the whole file, as in the CLI: the error is
/// the line's number.
pub(crate) fn parse_ignore_lines(
    content: &[u8],
) -> std::result::Result<Vec<(usize, Vec<u8>)>, usize> {
    let mut out = Vec::new();
    let mut rest = content;
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        // The scanner's buffer holds MAX_LINE bytes and must also find the newline (or EOF)
        // after the line, so the longest line is one byte shorter, with or without a newline.
        if line.len() >= MAX_LINE {
            return Err(number);
        }
        rest = next;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = match line.iter().position(|&b| b == b'#') {
            Some(i) => &line[..i],
            None => line,
        };
        let trimmed = trim_unicode_space(line);
        if !trimmed.is_empty() {
            out.push((number, trimmed.to_vec()));
        }
    }
    Ok(out)
}

/// Trims Unicode white space from both ends of possibly non-UTF-8 bytes.
fn trim_unicode_space(mut s: &[u8]) -> &[u8] {
    loop {
        match leading_char(s) {
            Some((c, n)) if c.is_whitespace() => s = &s[n..],
            _ => break,
        }
    }
    loop {
        match trailing_char(s) {
            Some((c, n)) if c.is_whitespace() => s = &s[..s.len() - n],
            _ => break,
        }
    }
    s
}

fn leading_char(s: &[u8]) -> Option<(char, usize)> {
    (1..=s.len().min(4)).find_map(|n| {
        std::str::from_utf8(&s[..n])
            .ok()?
            .chars()
            .next()
            .map(|c| (c, n))
    })
}

fn trailing_char(s: &[u8]) -> Option<(char, usize)> {
    (1..=s.len().min(4)).find_map(|n| {
        std::str::from_utf8(&s[s.len() - n..])
            .ok()?
            .chars()
            .next()
            .map(|c| (c, n))
    })
}

impl ExcludeSet {
    /// Expands every pattern once against the file system, in the CLI's order: the caller's
    /// patterns, then (after warning when they exclude the ignore file) the ignore file's.
    /// `warn` is called as soon as a warning arises, so it is not lost if a later step fails.
    pub(crate) fn build(
        root: &[u8],
        caller: &[String],
        warn: &mut dyn FnMut(&str),
    ) -> Result<ExcludeSet> {
        let ignore_path = join(root, IGNORE_FILE.as_bytes());
        let mut set = ExcludeSet::default();
        let mut caller_hits_ignore_file = false;
        for pattern in caller {
            if pattern.is_empty() {
                return Err(Error::invalid_input(
                    "exclude pattern",
                    "an exclude pattern is empty",
                ));
            }
            for path in expand(root, pattern.as_bytes(), Source::Caller)? {
                caller_hits_ignore_file |= path == ignore_path;
                set.paths.insert(path);
            }
        }
        if caller_hits_ignore_file && is_file(&ignore_path) {
            let shown = String::from_utf8_lossy(&ignore_path).into_owned();
            let warning = format!(
                "{shown} is excluded by a flag, so its rules are applied while its content is not \
                 fingerprinted: the directory can change the list at any time, and files it comes \
                 to list stay invisible. Move the entries to --exclude and delete the file to get \
                 the same fingerprint without that."
            );
            tracing::warn!("{warning}");
            warn(&warning);
            set.warnings.push(warning);
        }
        for (line, pattern) in &read_ignore_file(root)? {
            for path in expand(root, pattern, Source::IgnoreFile { line: *line })? {
                // An exclusion list cannot exclude itself (the CLI v2.43.1 binary's rule).
                if path != ignore_path {
                    set.paths.insert(path);
                }
            }
        }
        Ok(set)
    }
}

fn is_file(path: &[u8]) -> bool {
    fs::metadata(to_path(path))
        .map(|m| !m.is_dir())
        .unwrap_or(false)
}

/// The walk paths one pattern excludes: `filepathx.Glob(Join(root, pattern))`.
fn expand(root: &[u8], pattern: &[u8], source: Source) -> Result<Vec<Vec<u8>>> {
    let joined = join(root, pattern);
    glob_doublestar(&joined).map_err(|e| match e {
        GlobError::BadPattern => {
            let shown = String::from_utf8_lossy(pattern);
            let origin = match source {
                Source::Caller => "an exclude pattern".to_string(),
                Source::IgnoreFile { line } => format!(
                    "{} line {line}",
                    String::from_utf8_lossy(&join(root, IGNORE_FILE.as_bytes()))
                ),
            };
            Error::invalid_input(
                "exclude pattern",
                format!("syntax error in pattern {shown:?} ({origin})"),
            )
        }
        GlobError::Io { op, path, source } => Error::io(op, &to_path_buf(&path), source),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_values_split_like_pflag() {
        assert_eq!(split_exclude_values(["a,b", "c"]).unwrap(), ["a", "b", "c"]);
        assert_eq!(
            split_exclude_values(["\"comma,file\""]).unwrap(),
            ["comma,file"]
        );
        assert_eq!(split_exclude_values([" leading"]).unwrap(), [" leading"]);
        assert_eq!(split_exclude_values(["\"a\"\"b\""]).unwrap(), ["a\"b"]);
        for bad in ["", "a,,b", ",", "a,"] {
            let err = split_exclude_values([bad]).unwrap_err();
            assert_eq!(
                err.to_string(),
                "flag '--exclude' was given an empty value",
                "{bad:?}"
            );
        }
        let err = split_exclude_values(["a\"b"]).unwrap_err();
        assert!(
            err.to_string().contains("bare \" in non-quoted-field"),
            "{err}"
        );
    }

    #[test]
    fn ignore_lines_are_cut_and_trimmed() {
        let content = b"# full-line comment\nlogs\n   *.tmp   # trailing\n\n**/*.log\nbuild/out#x\r\n\xc2\xa0nbsp\xe3\x80\x80\n";
        let got: Vec<(usize, String)> = parse_ignore_lines(content)
            .unwrap()
            .into_iter()
            .map(|(n, p)| (n, String::from_utf8(p).unwrap()))
            .collect();
        let want = [
            (2, "logs"),
            (3, "*.tmp"),
            (5, "**/*.log"),
            (6, "build/out"),
            (7, "nbsp"),
        ];
        let want: Vec<(usize, String)> = want.iter().map(|(n, s)| (*n, s.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn overlong_lines_fail_like_go_scanner() {
        let ok = format!("first\n{}\nlast", "x".repeat(MAX_LINE - 1));
        assert_eq!(parse_ignore_lines(ok.as_bytes()).unwrap().len(), 3);
        let last_ok = format!("first\n{}", "x".repeat(MAX_LINE - 1));
        assert_eq!(parse_ignore_lines(last_ok.as_bytes()).unwrap().len(), 2);
        for bad in [
            format!("first\n{}\nlast\n", "x".repeat(MAX_LINE)),
            format!("first\n{}", "x".repeat(MAX_LINE)),
            format!("first\n{}\r\n", "x".repeat(MAX_LINE - 1)),
        ] {
            assert_eq!(parse_ignore_lines(bad.as_bytes()), Err(2));
        }
    }
}
