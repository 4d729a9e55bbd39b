//! Paths as byte strings, cleaned and joined the way Go's `path/filepath` does on Unix.
//!
//! The CLI compares excluded paths with walk paths as *strings*, so the exact spelling Go
//! produces (`Join` cleans, `Glob` sometimes does not) decides which entries are excluded.
//! Everything here works on raw bytes so non-UTF-8 names survive unchanged.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// A path's raw bytes (lossy only on platforms whose paths are not byte strings).
pub(crate) fn to_bytes(path: &Path) -> Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match path.to_string_lossy() {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        }
    }
}

/// The path spelled by `bytes`, unchanged (no normalisation: `link/` keeps its slash).
pub(crate) fn to_path(bytes: &[u8]) -> Cow<'_, Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(Path::new(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        Cow::Owned(PathBuf::from(String::from_utf8_lossy(bytes).into_owned()))
    }
}

/// Owned variant of [`to_path`].
pub(crate) fn to_path_buf(bytes: &[u8]) -> PathBuf {
    to_path(bytes).into_owned()
}

/// Go's `filepath.Clean`: the shortest equivalent path by purely lexical processing.
pub(crate) fn clean(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b".".to_vec();
    }
    let rooted = path[0] == b'/';
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in path.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                if parts.last().is_some_and(|p| *p != b"..") {
                    parts.pop();
                } else if !rooted {
                    parts.push(part);
                }
            }
            _ => parts.push(part),
        }
    }
    let mut out = Vec::with_capacity(path.len());
    if rooted {
        out.push(b'/');
    }
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        out.extend_from_slice(part);
    }
    if out.is_empty() {
        out.push(b'.');
    }
    out
}

/// Go's `filepath.Join` of two elements: empty elements are ignored, the result is cleaned.
pub(crate) fn join(a: &[u8], b: &[u8]) -> Vec<u8> {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Vec::new(),
        (true, false) => clean(b),
        (false, true) => clean(a),
        (false, false) => {
            let mut joined = Vec::with_capacity(a.len() + 1 + b.len());
            joined.extend_from_slice(a);
            joined.push(b'/');
            joined.extend_from_slice(b);
            clean(&joined)
        }
    }
}

/// Go's `filepath.Split`: everything up to and including the last `/`, and the rest.
pub(crate) fn split(path: &[u8]) -> (&[u8], &[u8]) {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => (&path[..0], path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        String::from_utf8(clean(s.as_bytes())).unwrap()
    }

    #[test]
    fn clean_matches_go() {
        let cases = [
            ("", "."),
            (".", "."),
            ("./", "."),
            ("a/", "a"),
            ("a//b", "a/b"),
            ("a/./b/.", "a/b"),
            ("a/../b", "b"),
            ("../a", "../a"),
            ("../../a/..", "../.."),
            ("/..", "/"),
            ("/../a", "/a"),
            ("x/../d", "d"),
            ("//a", "/a"),
        ];
        for (input, want) in cases {
            assert_eq!(c(input), want, "clean({input:?})");
        }
    }

    #[test]
    fn join_and_split_match_go() {
        assert_eq!(join(b"dirs/excl", b"/logs"), b"dirs/excl/logs");
        assert_eq!(join(b".", b"**/*.log"), b"**/*.log");
        assert_eq!(join(b"d/", b"logs/"), b"d/logs");
        assert_eq!(split(b"a/b/c"), (&b"a/b/"[..], &b"c"[..]));
        assert_eq!(split(b"c"), (&b""[..], &b"c"[..]));
    }
}
