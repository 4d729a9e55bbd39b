//! Exclude patterns as the CLI expands them: Go's `filepath.Match`/`Glob` plus the
//! `**` expansion of `filepathx` v1.0.0, against the live file system, on byte strings.
//!
//! The semantics (including the spellings Go returns, which decide later string equality)
//! are those of `contract/fingerprint.md` §3.3–3.4; this is an independent implementation.

use std::collections::HashSet;
use std::fs;

use super::gopath::{join, split, to_bytes, to_path};

/// A malformed pattern (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadPattern;

/// An I/O error while expanding a `**` pattern (fatal in the CLI), with the path at fault.
#[derive(Debug)]
pub(crate) enum GlobError {
    /// The pattern is malformed.
    BadPattern,
    /// Walking below a match failed.
    Io {
        op: &'static str,
        path: Vec<u8>,
        source: std::io::Error,
    },
}

impl From<BadPattern> for GlobError {
    fn from(_: BadPattern) -> Self {
        GlobError::BadPattern
    }
}

fn has_meta(p: &[u8]) -> bool {
    p.iter().any(|b| matches!(b, b'*' | b'?' | b'[' | b'\\'))
}

/// Decodes one UTF-8 code point; invalid input yields U+FFFD with width 1, as Go does.
fn decode_rune(s: &[u8]) -> (char, usize) {
    let max = s.len().min(4);
    for width in 1..=max {
        if let Ok(text) = std::str::from_utf8(&s[..width]) {
            if let Some(c) = text.chars().next() {
                return (c, width);
            }
        }
    }
    (char::REPLACEMENT_CHARACTER, 1)
}

/// Splits off the next chunk: leading stars, then everything up to the next star outside a class.
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Reads one possibly escaped character of a class.
fn class_char(chunk: &[u8]) -> Result<(char, &[u8]), BadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(BadPattern);
            }
        }
        _ => {}
    }
    let (r, n) = decode_rune(chunk);
    if r == char::REPLACEMENT_CHARACTER && n == 1 {
        return Err(BadPattern);
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

/// Matches one chunk at the start of `s`; keeps parsing after a mismatch so that a malformed
/// pattern is always reported, whatever the name.
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> Result<Option<&'s [u8]>, BadPattern> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            b'[' => {
                let mut r = '\0';
                if !failed {
                    let (rune, n) = decode_rune(s);
                    r = rune;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = class_char(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (h, rest) = class_char(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    if chunk[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok(if failed { None } else { Some(s) })
}

/// Go's `filepath.Match` on Unix: does `name` match the shell pattern?
pub(crate) fn matches(pattern: &[u8], name: &[u8]) -> Result<bool, BadPattern> {
    let mut pattern = pattern;
    let mut name = name;
    'outer: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&b'/'));
        }
        let attempt = match_chunk(chunk, name);
        if let Ok(Some(t)) = attempt {
            if t.is_empty() || !pattern.is_empty() {
                name = t;
                continue;
            }
        }
        attempt?;
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                match match_chunk(chunk, &name[i + 1..]) {
                    Ok(Some(t)) => {
                        if pattern.is_empty() && !t.is_empty() {
                            i += 1;
                            continue;
                        }
                        name = t;
                        continue 'outer;
                    }
                    Ok(None) => {}
                    Err(e) => return Err(e),
                }
                i += 1;
            }
        }
        // Before answering "no", make sure the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Checks a pattern's syntax without touching the file system.
pub(crate) fn validate(pattern: &[u8]) -> Result<(), BadPattern> {
    matches(pattern, b"").map(|_| ())
}

fn lstat_ok(path: &[u8]) -> bool {
    fs::symlink_metadata(to_path(path)).is_ok()
}

/// Sorted names of a directory's entries; I/O errors are ignored, as Go's `glob` does.
fn names_in(dir: &[u8]) -> Vec<Vec<u8>> {
    let path = to_path(dir);
    match fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => {}
        _ => return Vec::new(),
    }
    let Ok(entries) = fs::read_dir(&path) else {
        return Vec::new();
    };
    let mut names: Vec<Vec<u8>> = entries
        .filter_map(|e| e.ok())
        .map(|e| to_bytes(std::path::Path::new(&e.file_name())).into_owned())
        .collect();
    names.sort_unstable();
    names
}

/// Go's `filepath.Glob`: the paths matching `pattern`, spelled as Go spells them.
pub(crate) fn glob(pattern: &[u8]) -> Result<Vec<Vec<u8>>, BadPattern> {
    validate(pattern)?;
    glob_checked(pattern, 0)
}

fn glob_checked(pattern: &[u8], depth: usize) -> Result<Vec<Vec<u8>>, BadPattern> {
    // Go caps the recursion at 10,000 separators; reaching it is a bad pattern there too.
    if depth >= 10_000 {
        return Err(BadPattern);
    }
    if !has_meta(pattern) {
        return Ok(if lstat_ok(pattern) {
            vec![pattern.to_vec()]
        } else {
            Vec::new()
        });
    }
    let (dir, file) = split(pattern);
    let dir: &[u8] = match dir {
        b"" => b".",
        b"/" => b"/",
        d => &d[..d.len() - 1],
    };
    let mut out = Vec::new();
    if !has_meta(dir) {
        glob_in(dir, file, &mut out)?;
        return Ok(out);
    }
    if dir == pattern {
        return Err(BadPattern);
    }
    for d in glob_checked(dir, depth + 1)? {
        glob_in(&d, file, &mut out)?;
    }
    Ok(out)
}

fn glob_in(dir: &[u8], file_pattern: &[u8], out: &mut Vec<Vec<u8>>) -> Result<(), BadPattern> {
    for name in names_in(dir) {
        if matches(file_pattern, &name)? {
            out.push(join(dir, &name));
        }
    }
    Ok(())
}

/// `filepathx.Glob`: without `**` it is [`glob`]; with it, each `**` also takes every
/// descendant (by `lstat`, symlinks not followed) of what the previous segment matched.
pub(crate) fn glob_doublestar(pattern: &[u8]) -> Result<Vec<Vec<u8>>, GlobError> {
    if !pattern.windows(2).any(|w| w == b"**") {
        return Ok(glob(pattern)?);
    }
    let segments = split_on_doublestar(pattern);
    let mut current: Vec<Vec<u8>> = vec![Vec::new()];
    for segment in segments {
        let mut hits = Vec::new();
        let mut seen: HashSet<Vec<u8>> = HashSet::new();
        for prefix in &current {
            let mut candidate = prefix.clone();
            candidate.extend_from_slice(segment);
            for found in glob(&candidate)? {
                walk_all(found, &mut |p| {
                    if seen.insert(p.clone()) {
                        hits.push(p);
                    }
                })?;
            }
        }
        current = hits;
    }
    Ok(current)
}

fn split_on_doublestar(pattern: &[u8]) -> Vec<&[u8]> {
    let mut segments = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < pattern.len() {
        if &pattern[i..i + 2] == b"**" {
            segments.push(&pattern[start..i]);
            i += 2;
            start = i;
        } else {
            i += 1;
        }
    }
    segments.push(&pattern[start..]);
    segments
}

/// Go's `filepath.Walk` from `root`: the root as spelled, then every descendant, cleaned.
fn walk_all(root: Vec<u8>, visit: &mut dyn FnMut(Vec<u8>)) -> Result<(), GlobError> {
    let meta = fs::symlink_metadata(to_path(&root)).map_err(|source| GlobError::Io {
        op: "lstat",
        path: root.clone(),
        source,
    })?;
    let is_dir = meta.is_dir();
    visit(root.clone());
    if !is_dir {
        return Ok(());
    }
    let entries = fs::read_dir(to_path(&root)).map_err(|source| GlobError::Io {
        op: "open",
        path: root.clone(),
        source,
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| GlobError::Io {
            op: "readdirent",
            path: root.clone(),
            source,
        })?;
        names.push(to_bytes(std::path::Path::new(&entry.file_name())).into_owned());
    }
    names.sort_unstable();
    for name in names {
        walk_all(join(&root, &name), visit)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, n: &str) -> Result<bool, BadPattern> {
        matches(p.as_bytes(), n.as_bytes())
    }

    #[test]
    fn match_table_from_go_semantics() {
        let ok = [
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[e-g]", "abc", false),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abc", false),
            ("ab[^e-g]", "abc", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a[^a]b", "a☺b", true),
            ("a???b", "a☺b", false),
            ("a[^a][^a][^a]b", "a☺b", false),
            ("[a-ζ]*", "α", true),
            ("*[a-ζ]", "A", false),
            ("a?b", "a/b", false),
            ("a*b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[\\-]", "-", true),
            ("[x\\-]", "x", true),
            ("[x\\-]", "-", true),
            ("[x\\-]", "z", false),
            ("[\\-x]", "x", true),
            ("*x", "xxx", true),
            ("*.log", ".log", true),
            ("*", ".env", true),
            ("brack\\[1\\]", "brack[1]", true),
            ("brack[1]", "brack1", true),
        ];
        for (p, n, want) in ok {
            assert_eq!(m(p, n), Ok(want), "match({p:?}, {n:?})");
        }
        let bad = [
            ("[]a]", "]"),
            ("[-]", "-"),
            ("[x-]", "x"),
            ("[-x]", "x"),
            ("\\", "a"),
            ("[a-b-c]", "a"),
            ("[", "a"),
            ("[^", "a"),
            ("[^bc", "a"),
            ("a[", "a"),
            ("a[", "ab"),
            ("a[", "x"),
            ("a/b[", "x"),
            ("*x[", "xxx"),
        ];
        for (p, n) in bad {
            assert_eq!(
                m(p, n),
                Err(BadPattern),
                "match({p:?}, {n:?}) should be a bad pattern"
            );
        }
    }

    #[test]
    fn doublestar_split() {
        let segs = split_on_doublestar(b"a/**/b/**");
        assert_eq!(segs, vec![&b"a/"[..], &b"/b/"[..], &b""[..]]);
    }
}
