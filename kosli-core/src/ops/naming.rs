//! Names: the CLI's `artifact.attestation` rule for attestation names, and an opt-in check of
//! flow names against a naming convention (the seed's `<team>-<service>-<component>`, or a
//! pattern of the caller's) that warns or refuses.
//!
//! ```
//! use kosli_core::ops::naming::{AttestationName, FlowNaming, NamingConvention};
//! let n: AttestationName = "app.unit-tests".parse()?;
//! assert_eq!((n.artifact(), n.attestation()), (Some("app"), "unit-tests"));
//!
//! let seed = NamingConvention::seed();
//! assert!(seed.matches("platform-auth-api"));
//! assert!(!seed.matches("backend"));
//! let refuse = FlowNaming::refuse(seed);
//! assert!(refuse.check("backend").is_err());
//! # Ok::<(), kosli_core::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// An attestation's `--name`, split as the CLI splits it: `app.unit-tests` is the attestation
/// `unit-tests` about the artifact `app` (sent as `target_artifacts: ["app"]`); a name without
/// a dot is about the trail. More than one dot, or an empty side, is refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttestationName {
    artifact: Option<String>,
    attestation: String,
}

impl AttestationName {
    /// Splits `name` with the CLI's rule; the error reads as the CLI's
    /// (`invalid attestation name format: a.b.c`).
    pub fn parse(name: &str) -> Result<Self> {
        let invalid =
            || Error::invalid_input("name", format!("invalid attestation name format: {name}"));
        if name.is_empty() {
            return Err(invalid());
        }
        match name.split_once('.') {
            None => Ok(AttestationName {
                artifact: None,
                attestation: name.to_owned(),
            }),
            Some((artifact, attestation))
                if !artifact.is_empty()
                    && !attestation.is_empty()
                    && !attestation.contains('.') =>
            {
                Ok(AttestationName {
                    artifact: Some(artifact.to_owned()),
                    attestation: attestation.to_owned(),
                })
            }
            Some(_) => Err(invalid()),
        }
    }

    /// The artifact named before the dot, if any (its template name, e.g. `app`).
    pub fn artifact(&self) -> Option<&str> {
        self.artifact.as_deref()
    }

    /// The attestation's own name (after the dot).
    pub fn attestation(&self) -> &str {
        &self.attestation
    }
}

impl FromStr for AttestationName {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        AttestationName::parse(s)
    }
}

impl fmt::Display for AttestationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.artifact {
            Some(a) => write!(f, "{a}.{}", self.attestation),
            None => f.write_str(&self.attestation),
        }
    }
}

/// One piece of a naming convention.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text that must appear as written.
    Literal(String),
    /// `<name>`: one or more lowercase ASCII letters or digits.
    Part(String),
}

/// A naming convention for flow names: literal text and `<part>` placeholders, each standing
/// for one or more lowercase ASCII letters or digits. The seed's is
/// `<team>-<service>-<component>` (`platform-auth-api`, `payments-processing-worker`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingConvention {
    pattern: String,
    pieces: Vec<Piece>,
}

impl NamingConvention {
    /// The seed's convention: `<team>-<service>-<component>`.
    pub const SEED: &'static str = "<team>-<service>-<component>";

    /// The seed's convention.
    pub fn seed() -> Self {
        // SEED is a valid pattern (checked by a unit test); build it without the fallible path.
        NamingConvention {
            pattern: Self::SEED.to_owned(),
            pieces: vec![
                Piece::Part("team".into()),
                Piece::Literal("-".into()),
                Piece::Part("service".into()),
                Piece::Literal("-".into()),
                Piece::Part("component".into()),
            ],
        }
    }

    /// A convention from a pattern such as `<team>-<service>` or `svc-<name>`. Refused: an
    /// empty pattern, an unclosed `<`, an empty or non-alphanumeric placeholder name, a `>`
    /// outside a placeholder, and two placeholders with nothing between them (ambiguous).
    pub fn parse(pattern: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::invalid_input(
                "naming convention",
                format!("invalid naming convention {pattern:?}: {why}"),
            )
        };
        if pattern.is_empty() {
            return Err(bad("it is empty"));
        }
        let mut pieces = Vec::new();
        let mut rest = pattern;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('<') {
                let Some(end) = after.find('>') else {
                    return Err(bad("a '<' is not closed by '>'"));
                };
                let name = &after[..end];
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    return Err(bad(&format!(
                        "placeholder <{name}> must be named with letters, digits or '_'"
                    )));
                }
                if matches!(pieces.last(), Some(Piece::Part(_))) {
                    return Err(bad(
                        "two placeholders need text between them, e.g. <team>-<service>",
                    ));
                }
                pieces.push(Piece::Part(name.to_owned()));
                rest = &after[end + 1..];
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let text = &rest[..end];
                if text.contains('>') {
                    return Err(bad("a '>' has no matching '<'"));
                }
                pieces.push(Piece::Literal(text.to_owned()));
                rest = &rest[end..];
            }
        }
        Ok(NamingConvention {
            pattern: pattern.to_owned(),
            pieces,
        })
    }

    /// The pattern as given.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Whether `name` follows the convention.
    pub fn matches(&self, name: &str) -> bool {
        matches_from(&self.pieces, name.as_bytes())
    }

    /// A name that follows the convention, for messages: each placeholder replaced by its own
    /// name in lowercase (`team-service-component`).
    pub fn example(&self) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Literal(t) => t.clone(),
                Piece::Part(n) => n.to_ascii_lowercase().replace('_', ""),
            })
            .collect()
    }
}

impl FromStr for NamingConvention {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        NamingConvention::parse(s)
    }
}

impl fmt::Display for NamingConvention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

/// Backtracking match: a placeholder takes one or more `[a-z0-9]`, as many as lets the rest
/// match. Patterns are short, so the worst case does not matter.
fn matches_from(pieces: &[Piece], name: &[u8]) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return name.is_empty();
    };
    match first {
        Piece::Literal(t) => name
            .strip_prefix(t.as_bytes())
            .is_some_and(|after| matches_from(rest, after)),
        Piece::Part(_) => {
            let run = name
                .iter()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                .count();
            (1..=run).rev().any(|n| matches_from(rest, &name[n..]))
        }
    }
}

/// What a flow name that breaks the convention leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Enforcement {
    /// Log a warning (`tracing`) and go on; [`FlowNaming::check`] returns the message.
    Warn,
    /// Refuse the call with an [`InvalidInput`](crate::ErrorKind::InvalidInput) error.
    Refuse,
}

/// The opt-in check of flow names: a convention and what breaking it leads to. Give it to
/// [`CreateFlow::naming`](super::flows::CreateFlow::naming), or call [`check`](Self::check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowNaming {
    convention: NamingConvention,
    enforcement: Enforcement,
}

impl FlowNaming {
    /// Warn about names that break `convention`.
    pub fn warn(convention: NamingConvention) -> Self {
        FlowNaming {
            convention,
            enforcement: Enforcement::Warn,
        }
    }

    /// Refuse names that break `convention`.
    pub fn refuse(convention: NamingConvention) -> Self {
        FlowNaming {
            convention,
            enforcement: Enforcement::Refuse,
        }
    }

    /// The convention.
    pub fn convention(&self) -> &NamingConvention {
        &self.convention
    }

    /// What breaking it leads to.
    pub fn enforcement(&self) -> Enforcement {
        self.enforcement
    }

    /// Checks `flow`: `Ok(None)` when it follows the convention; with [`Enforcement::Warn`],
    /// `Ok(Some(message))` (also logged with `tracing::warn!`); with [`Enforcement::Refuse`],
    /// an `InvalidInput` error with that message.
    pub fn check(&self, flow: &str) -> Result<Option<String>> {
        if self.convention.matches(flow) {
            return Ok(None);
        }
        let message = format!(
            "flow name '{flow}' does not follow the naming convention {}: each <part> is one or more lowercase letters or digits (e.g. {})",
            self.convention,
            self.convention.example()
        );
        match self.enforcement {
            Enforcement::Warn => {
                tracing::warn!("{message}");
                Ok(Some(message))
            }
            Enforcement::Refuse => Err(Error::invalid_input("flow name", message)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attestation_names_split_like_the_cli() {
        let n = AttestationName::parse("unit-tests").unwrap();
        assert_eq!((n.artifact(), n.attestation()), (None, "unit-tests"));
        let n = AttestationName::parse("app.unit-tests").unwrap();
        assert_eq!((n.artifact(), n.attestation()), (Some("app"), "unit-tests"));
        assert_eq!(n.to_string(), "app.unit-tests");
        // Observed from CLI v2.43.1: each of these is refused with this message.
        for bad in ["a.b.c", ".c", "c.", "", "."] {
            let e = AttestationName::parse(bad).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("invalid attestation name format: {bad}")
            );
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn the_seed_convention() {
        let seed = NamingConvention::seed();
        assert_eq!(
            seed,
            NamingConvention::parse(NamingConvention::SEED).unwrap()
        );
        // The seed's examples and counter-examples.
        for good in [
            "platform-auth-api",
            "payments-processing-worker",
            "customer-web-app",
            "t1-s2-c3",
        ] {
            assert!(seed.matches(good), "{good}");
        }
        for bad in [
            "all-microservices",
            "backend",
            "Platform-auth-api",
            "platform-auth-api-extra",
            "platform--api",
            "platform-auth-",
            "platform_auth_api",
            "",
        ] {
            assert!(!seed.matches(bad), "{bad}");
        }
        assert_eq!(seed.example(), "team-service-component");
    }

    #[test]
    fn caller_patterns_with_literals_backtrack() {
        let c = NamingConvention::parse("svc-<name>-v<major>").unwrap();
        assert!(c.matches("svc-auth-v2"));
        assert!(c.matches("svc-a2v-v10"));
        assert!(!c.matches("svc-auth-2"));
        let c = NamingConvention::parse("<a>x<b>").unwrap();
        // The first part must give back the 'x' it could have eaten.
        assert!(c.matches("axxb"));
        assert!(c.matches("xxx"));
        assert!(!c.matches("ab"));
    }

    #[test]
    fn bad_patterns_are_refused_with_the_reason() {
        for (p, why) in [
            ("", "empty"),
            ("<team", "not closed"),
            ("<>-x", "must be named"),
            ("<a b>", "must be named"),
            ("<a><b>", "text between them"),
            ("a>b", "no matching"),
        ] {
            let e = NamingConvention::parse(p).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
            assert!(e.to_string().contains(why), "{p:?}: {e}");
        }
    }

    #[test]
    fn warn_returns_the_message_and_refuse_fails() {
        let warn = FlowNaming::warn(NamingConvention::seed());
        assert_eq!(warn.check("platform-auth-api").unwrap(), None);
        let msg = warn.check("backend").unwrap().unwrap();
        assert_eq!(
            msg,
            "flow name 'backend' does not follow the naming convention <team>-<service>-<component>: each <part> is one or more lowercase letters or digits (e.g. team-service-component)"
        );
        let refuse = FlowNaming::refuse(NamingConvention::seed());
        let e = refuse.check("backend").unwrap_err();
        assert_eq!(e.to_string(), msg);
        assert_eq!(refuse.enforcement(), Enforcement::Refuse);
        assert!(refuse.check("customer-web-app").unwrap().is_none());
    }
}
