//! URLs parsed and printed as Go's `net/url` does, because the CLI builds `repo_url`, the commit
//! URL and the `--repo-url` check with it, and its quirks reach the wire.
//!
//! A general URL library (WHATWG `url`) normalises more than Go does (lower-cased hosts, a `/`
//! added to empty paths, different escaping), so these payload values would differ. Only what
//! the provenance rules need is here: `Parse`, `String`, `JoinPath`, and dropping the user
//! information. The rules follow Go's documented behaviour and were checked against the CLI's
//! output (see `tests/fixtures/provenance/`).

use std::fmt::Write as _;

/// A URL as Go's `url.URL` holds it (only the parts the provenance rules use).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct GoUrl {
    pub scheme: String,
    pub opaque: String,
    pub has_user: bool,
    pub host: String,
    pub path: String,
    pub raw_path: String,
    pub omit_host: bool,
    pub force_query: bool,
    pub raw_query: String,
    pub fragment: String,
    pub raw_fragment: String,
}

/// Which part of a URL a character is escaped for (Go's `encoding` modes that matter here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Fragment,
    UserPassword,
}

/// A parse failure, printed as Go prints `*url.Error`: `parse "<url>": <reason>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoUrlError {
    pub url: String,
    pub reason: String,
}

impl std::fmt::Display for GoUrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "parse {}: {}", go_quote(&self.url), self.reason)
    }
}

impl GoUrl {
    /// Go's `url.Parse`.
    pub fn parse(raw: &str) -> Result<GoUrl, GoUrlError> {
        let (before_fragment, fragment) = match raw.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (raw, None),
        };
        let mut url = parse_no_fragment(before_fragment).map_err(|reason| GoUrlError {
            url: before_fragment.to_string(),
            reason,
        })?;
        if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
            let unescaped = unescape(frag, Mode::Fragment).map_err(|reason| GoUrlError {
                url: raw.to_string(),
                reason,
            })?;
            url.raw_fragment = if escape(&unescaped, Mode::Fragment) == frag {
                String::new()
            } else {
                frag.to_string()
            };
            url.fragment = unescaped;
        }
        Ok(url)
    }

    /// Go's `(*URL).EscapedPath`.
    pub fn escaped_path(&self) -> String {
        if !self.raw_path.is_empty() && valid_encoded(&self.raw_path, Mode::Path) {
            if let Ok(p) = unescape(&self.raw_path, Mode::Path) {
                if p == self.path {
                    return self.raw_path.clone();
                }
            }
        }
        if self.path == "*" {
            return "*".to_string();
        }
        escape(&self.path, Mode::Path)
    }

    fn escaped_fragment(&self) -> String {
        if !self.raw_fragment.is_empty() && valid_encoded(&self.raw_fragment, Mode::Fragment) {
            if let Ok(f) = unescape(&self.raw_fragment, Mode::Fragment) {
                if f == self.fragment {
                    return self.raw_fragment.clone();
                }
            }
        }
        escape(&self.fragment, Mode::Fragment)
    }

    /// Go's `setPath`: keeps the raw form only when it differs from the default escaping.
    fn set_path(&mut self, p: &str) -> Result<(), String> {
        let path = unescape(p, Mode::Path)?;
        self.raw_path = if escape(&path, Mode::Path) == p {
            String::new()
        } else {
            p.to_string()
        };
        self.path = path;
        Ok(())
    }

    /// Go's `(*URL).JoinPath`: the elements are joined to the path and the result cleaned.
    pub fn join_path(&self, elems: &[&str]) -> GoUrl {
        let first = self.escaped_path();
        let mut all: Vec<String> = Vec::with_capacity(elems.len() + 1);
        all.push(first);
        all.extend(elems.iter().map(|e| (*e).to_string()));
        let joined = if all[0].starts_with('/') {
            path_join(&all)
        } else {
            all[0] = format!("/{}", all[0]);
            path_join(&all)[1..].to_string()
        };
        let mut joined = joined;
        if all.last().is_some_and(|e| e.ends_with('/')) && !joined.ends_with('/') {
            joined.push('/');
        }
        let mut url = self.clone();
        // Go ignores this error too: the joined path came from an already valid one.
        let _ = url.set_path(&joined);
        url
    }
}

impl std::fmt::Display for GoUrl {
    /// Go's `(*URL).String`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            let has_authority = !self.scheme.is_empty() || !self.host.is_empty() || self.has_user;
            let omitted = self.omit_host && self.host.is_empty() && !self.has_user;
            if has_authority && !omitted {
                if !self.host.is_empty() || !self.path.is_empty() || self.has_user {
                    buf.push_str("//");
                }
                // User information is never printed here: the provenance rules drop it.
                if !self.host.is_empty() {
                    buf.push_str(&escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() {
                let segment = path.split('/').next().unwrap_or_default();
                if segment.contains(':') {
                    buf.push_str("./");
                }
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&self.escaped_fragment());
        }
        f.write_str(&buf)
    }
}

fn parse_no_fragment(raw: &str) -> Result<GoUrl, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".to_string());
    }
    let mut url = GoUrl::default();
    if raw == "*" {
        url.path = "*".to_string();
        return Ok(url);
    }
    let (scheme, rest) = split_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    let mut rest = rest.to_string();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest.pop();
    } else if let Some((r, q)) = rest.split_once('?') {
        url.raw_query = q.to_string();
        rest = r.to_string();
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest;
            return Ok(url);
        }
        let segment = rest.split('/').next().unwrap_or_default();
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".to_string());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        let (has_user, host) = parse_authority(authority)?;
        url.has_user = has_user;
        url.host = host;
        rest = path.to_string();
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    url.set_path(&rest)?;
    Ok(url)
}

/// Go's `getScheme`.
fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".to_string());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's `parseAuthority`: whether there was user information, and the unescaped host.
fn parse_authority(authority: &str) -> Result<(bool, String), String> {
    let at = authority.rfind('@');
    let host = parse_host(match at {
        Some(i) => &authority[i + 1..],
        None => authority,
    })?;
    let Some(i) = at else {
        return Ok((false, host));
    };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".to_string());
    }
    match userinfo.split_once(':') {
        Some((user, password)) => {
            unescape(user, Mode::UserPassword)?;
            unescape(password, Mode::UserPassword)?;
        }
        None => {
            unescape(userinfo, Mode::UserPassword)?;
        }
    }
    Ok((true, host))
}

fn parse_host(host: &str) -> Result<String, String> {
    if let Some(stripped) = host.strip_prefix('[') {
        let Some(close) = stripped.rfind(']') else {
            return Err("missing ']' in host".to_string());
        };
        let colon_port = &stripped[close + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

fn valid_userinfo(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | ':'
                    | '~'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | '%'
                    | '@'
            )
    })
}

/// Go's `shouldEscape`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if mode == Mode::Host
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            return match mode {
                Mode::Path => c == b'?',
                Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
                Mode::Fragment => false,
                Mode::Host => true,
            };
        }
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn valid_encoded(s: &str, mode: Mode) -> bool {
    s.bytes().all(|c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

/// Go's `escape` (never in query-component mode, so a space is always `%20`).
fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if should_escape(c, mode) {
            let _ = write!(out, "%{c:02X}");
        } else {
            out.push(char::from(c));
        }
    }
    out
}

/// Go's `unescape`, with its host rules; errors read as Go's.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let pair = bytes.get(i + 1..i + 3);
                let hex = pair.and_then(|p| {
                    let hi = char::from(p[0]).to_digit(16)?;
                    let lo = char::from(p[1]).to_digit(16)?;
                    Some((hi * 16 + lo) as u8)
                });
                let Some(value) = hex else {
                    let end = (i + 3).min(bytes.len());
                    let bad = String::from_utf8_lossy(&bytes[i..end]).into_owned();
                    return Err(format!("invalid URL escape {}", go_quote(&bad)));
                };
                if mode == Mode::Host && value < 0x80 && &s[i..i + 3] != "%25" {
                    return Err(format!("invalid URL escape {}", go_quote(&s[i..i + 3])));
                }
                out.push(value);
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && should_escape(c, mode) {
                    let bad = char::from(c).to_string();
                    return Err(format!("invalid character {} in host name", go_quote(&bad)));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Go's `path.Join`: non-empty elements joined by `/`, then cleaned.
fn path_join(elems: &[String]) -> String {
    let parts: Vec<&str> = elems
        .iter()
        .map(String::as_str)
        .filter(|e| !e.is_empty())
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    path_clean(&parts.join("/"))
}

/// Go's `path.Clean`.
fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|last| *last != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// Go's `strconv.Quote` for the strings that appear in these messages.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        GoUrl::parse(s)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn prints_urls_as_given_when_nothing_needs_escaping() {
        for s in [
            "https://github.com/acme/app",
            "https://GitHub.com/Acme/App",
            "https://github.com/acme/app/",
            "ssh://github.com:2222/acme/app",
            "file:///srv/git/app",
            "/srv/git/app",
            "../relative/app",
            "https://github.com/acme/app?x=1#frag",
            "https://github.com/acme/my%20app",
            "https://github.com//acme/app",
            "https://a/b!c",
        ] {
            assert_eq!(roundtrip(s), s, "{s}");
        }
    }

    #[test]
    fn escapes_like_go() {
        assert_eq!(
            roundtrip("https://github.com/acme/my app"),
            "https://github.com/acme/my%20app"
        );
        assert_eq!(roundtrip("HTTPS://x/y"), "https://x/y");
        assert_eq!(roundtrip("https://x?"), "https://x?");
        assert_eq!(roundtrip("mailto:a@b"), "mailto:a@b");
    }

    #[test]
    fn reports_errors_in_gos_words() {
        assert_eq!(
            roundtrip("alice@example.com:acme/app"),
            r#"ERR parse "alice@example.com:acme/app": first path segment in URL cannot contain colon"#
        );
        assert_eq!(
            roundtrip(":x"),
            r#"ERR parse ":x": missing protocol scheme"#
        );
        assert_eq!(
            roundtrip("https://h:x/y"),
            r#"ERR parse "https://h:x/y": invalid port ":x" after host"#
        );
        assert_eq!(
            roundtrip("https://a/%zz"),
            r#"ERR parse "https://a/%zz": invalid URL escape "%zz""#
        );
        assert_eq!(
            roundtrip("https://a b/c"),
            r#"ERR parse "https://a b/c": invalid character " " in host name"#
        );
        assert_eq!(
            roundtrip("https://x/\ny"),
            "ERR parse \"https://x/\\ny\": net/url: invalid control character in URL"
        );
    }

    #[test]
    fn drops_user_information() {
        let u = GoUrl::parse("https://user:pw@github.com/acme/app").unwrap();
        assert!(u.has_user);
        assert_eq!(u.to_string(), "https://github.com/acme/app");
    }

    #[test]
    fn join_path_cleans_like_go() {
        let join = |base: &str| {
            GoUrl::parse(base)
                .unwrap()
                .join_path(&["commit", "abc"])
                .to_string()
        };
        assert_eq!(
            join("https://github.com/acme/app"),
            "https://github.com/acme/app/commit/abc"
        );
        assert_eq!(
            join("https://github.com/acme/app/"),
            "https://github.com/acme/app/commit/abc"
        );
        assert_eq!(
            join("https://github.com//acme/app"),
            "https://github.com/acme/app/commit/abc"
        );
        assert_eq!(join("https://github.com"), "https://github.com/commit/abc");
        assert_eq!(join("../relative/app"), "relative/app/commit/abc");
        assert_eq!(join("https://h/a?x=1#f"), "https://h/a/commit/abc?x=1#f");
        assert_eq!(join("https://h/my%20app"), "https://h/my%20app/commit/abc");
    }

    #[test]
    fn path_clean_matches_go() {
        assert_eq!(path_clean("/../a/./b//c/.."), "/a/b");
        assert_eq!(path_clean("a/../../b"), "../b");
        assert_eq!(path_clean(""), ".");
        assert_eq!(path_clean("/"), "/");
    }

    #[test]
    fn scheme_and_host_are_what_the_repo_url_check_reads() {
        let u = GoUrl::parse("github.com/acme/app").unwrap();
        assert!(u.scheme.is_empty() && u.host.is_empty());
        let u = GoUrl::parse("not a url").unwrap();
        assert!(u.scheme.is_empty());
        let u = GoUrl::parse("https://github.com/acme").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str()),
            ("https", "github.com")
        );
    }
}
