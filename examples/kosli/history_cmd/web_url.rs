//! Links to Kosli's web app in the markdown view, built as the CLI builds them (observed from
//! CLI v2.43.1; Go's `url.JoinPath`): the host's path and the elements are joined and cleaned
//! (`a/../b` is `b`, empty elements vanish, a trailing `/` of the last one stays), then the
//! result is read as an escaped path: kept as written when it is valid escaped text (`a'b`
//! stays, `a%41b` stays), escaped otherwise (`a b` is `a%20b`, `a'b|c` is `a%27b%7Cc`). A
//! `%` that starts no escape makes the link fail: the view then shows the plain name.

use kosli_core::client::escape_path_segment;

/// The web URL of `host` (as given: `https://app.kosli.com`, `http://h:8080/sub/`) with
/// `elements` joined to its path, or `None` when the result is no valid URL path.
pub fn join(host: &str, elements: &[&str]) -> Option<String> {
    let after_scheme = host.find("://").map_or(0, |i| i + 3);
    let (origin, base) = match host[after_scheme..].find('/') {
        Some(i) => host.split_at(after_scheme + i),
        None => (host, ""),
    };
    let parts: Vec<&str> = std::iter::once(base)
        .chain(elements.iter().copied())
        .filter(|e| !e.is_empty())
        .collect();
    let mut joined = clean(&format!("/{}", parts.join("/")));
    if elements.last().is_some_and(|l| l.ends_with('/')) && !joined.ends_with('/') {
        joined.push('/');
    }
    let path = unescape(&joined)?;
    let escaped = escape_path_segment(&path);
    let shown = if escaped != joined && valid_encoded(&joined) {
        joined
    } else {
        escaped
    };
    Some(format!("{origin}{shown}"))
}

/// Go's `path.Clean` of a rooted path.
fn clean(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            s => kept.push(s),
        }
    }
    format!("/{}", kept.join("/"))
}

/// Percent-decoding of a path; `None` at a `%` not followed by two hex digits.
fn unescape(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Whether `s` is valid escaped path text as Go judges it (`!$&'()*+,;=:@[]`, `%` and the
/// characters a path needs no escape for).
fn valid_encoded(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@!'()*[]%".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn joins_like_the_cli() {
        let h = "http://h:1";
        let t = |name: &str| join(h, &["acme", "flows", "f", "trails", name]);
        assert_eq!(t("t").unwrap(), "http://h:1/acme/flows/f/trails/t");
        assert_eq!(t("a b").unwrap(), "http://h:1/acme/flows/f/trails/a%20b");
        assert_eq!(t("a'b").unwrap(), "http://h:1/acme/flows/f/trails/a'b");
        assert_eq!(
            t("a'b|c").unwrap(),
            "http://h:1/acme/flows/f/trails/a%27b%7Cc"
        );
        assert_eq!(t("a%41b").unwrap(), "http://h:1/acme/flows/f/trails/a%41b");
        assert_eq!(t("a?b").unwrap(), "http://h:1/acme/flows/f/trails/a%3Fb");
        assert_eq!(t("é").unwrap(), "http://h:1/acme/flows/f/trails/%C3%A9");
        assert_eq!(t("a/../b").unwrap(), "http://h:1/acme/flows/f/trails/b");
        assert_eq!(t("..").unwrap(), "http://h:1/acme/flows/f");
        assert_eq!(t("").unwrap(), "http://h:1/acme/flows/f/trails");
        assert_eq!(t("x/").unwrap(), "http://h:1/acme/flows/f/trails/x/");
        assert_eq!(t("a%b"), None);
        assert_eq!(
            join("http://h:1/sub/", &["acme", "x"]).unwrap(),
            "http://h:1/sub/acme/x"
        );
        assert_eq!(join("http://h:1/", &["acme"]).unwrap(), "http://h:1/acme");
    }
}
