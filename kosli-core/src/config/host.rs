//! One Kosli host and the API token sent to it.

use std::fmt;

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// The token value that turns on dry-run, as in the CLI (`--api-token DRY_RUN`).
pub const DRY_RUN_TOKEN: &str = "DRY_RUN";

/// One Kosli host (base URL) and the token sent to it. The token is never printed.
#[derive(Clone)]
pub struct Host {
    given: String,
    url: Url,
    token: Option<SecretString>,
}

impl Host {
    /// Parses `url` (`http://` or `https://`, a path prefix is kept) and pairs it with `token`.
    pub fn new(url: &str, token: Option<SecretString>) -> Result<Host> {
        let given = url.trim().to_string();
        if let Some(message) = go_invalid_port(&given) {
            return Err(Error::config(message));
        }
        let parsed = Url::parse(&given)
            .map_err(|e| Error::config(format!("invalid host {given:?}: {e}")))?;
        if parsed.scheme() != "http" && parsed.scheme() != "https" {
            return Err(Error::config(format!(
                "invalid host {given:?}: the scheme must be http or https, not {:?}",
                parsed.scheme()
            )));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(Error::config(format!(
                "invalid host {given:?}: it names no host"
            )));
        }
        let token = token.filter(|t| !t.expose_secret().is_empty());
        Ok(Host {
            given,
            url: parsed,
            token,
        })
    }

    /// The host as it was given (`http://127.0.0.1:8080`), as the CLI names it in messages.
    pub fn as_str(&self) -> &str {
        &self.given
    }

    /// The parsed base URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether a token is set for this host.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Whether this host's token is `DRY_RUN`: its writes are returned, not sent.
    pub fn is_dry_run_token(&self) -> bool {
        self.token
            .as_ref()
            .is_some_and(|t| t.expose_secret() == DRY_RUN_TOKEN)
    }

    /// The token, for the transport only.
    pub(crate) fn token(&self) -> Option<&SecretString> {
        self.token.as_ref()
    }

    /// Whether the host is this machine (loopback), where plain `http://` cannot leak a token.
    pub fn is_loopback(&self) -> bool {
        match self.url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
    }

    /// Whether a real token would travel in clear text (plain `http://` to another machine).
    pub fn sends_token_in_clear(&self) -> bool {
        self.url.scheme() == "http"
            && self.has_token()
            && !self.is_dry_run_token()
            && !self.is_loopback()
    }
}

/// Go's `url.Parse` message for a host whose port is not a number, which is what the CLI prints
/// when a comma list of hosts is taken as one URL (`parse "http://h1:1,http://h2:2": invalid
/// port ":1,http:" after host`).
fn go_invalid_port(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.starts_with('[') {
        return None;
    }
    let port = &host[host.find(':')?..];
    if port[1..].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("parse {url:?}: invalid port {port:?} after host"))
}

impl fmt::Debug for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Host")
            .field("url", &self.given)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let h = Host::new("https://app.kosli.com", Some("secret-token-123".into())).unwrap();
        let text = format!("{h:?}");
        assert!(!text.contains("secret-token-123"), "{text}");
        assert!(text.contains("[redacted]"));
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost",
            "http://[::1]:9",
        ] {
            assert!(Host::new(url, None).unwrap().is_loopback(), "{url}");
        }
        assert!(!Host::new("http://kosli.example", None)
            .unwrap()
            .is_loopback());
    }

    #[test]
    fn clear_text_token_only_for_remote_http_with_a_real_token() {
        let remote = Host::new("http://kosli.example", Some("t".into())).unwrap();
        assert!(remote.sends_token_in_clear());
        assert!(!Host::new("https://kosli.example", Some("t".into()))
            .unwrap()
            .sends_token_in_clear());
        assert!(!Host::new("http://127.0.0.1:1", Some("t".into()))
            .unwrap()
            .sends_token_in_clear());
        assert!(
            !Host::new("http://kosli.example", Some(DRY_RUN_TOKEN.into()))
                .unwrap()
                .sends_token_in_clear()
        );
        assert!(!Host::new("http://kosli.example", None)
            .unwrap()
            .sends_token_in_clear());
    }

    #[test]
    fn bad_hosts_are_config_errors() {
        let e = Host::new("http://h1:1,http://h2:2", None).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        assert!(e.to_string().contains("http://h1:1,http://h2:2"), "{e}");
        // The CLI's words for two hosts and one token (observed).
        let e = Host::new("http://127.0.0.1:18901,http://127.0.0.1:18902", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"parse "http://127.0.0.1:18901,http://127.0.0.1:18902": invalid port ":18901,http:" after host"#
        );
        let e = Host::new("ftp://x", None).unwrap_err();
        assert!(e.to_string().contains("scheme"), "{e}");
    }

    #[test]
    fn empty_token_is_no_token() {
        assert!(!Host::new("https://x", Some("".into())).unwrap().has_token());
    }
}
