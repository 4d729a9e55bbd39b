//! A value a report could read, or the reason it could not: reports never guess.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// A value read from Kosli, or why it is not known. In JSON a known value is the bare value
/// and an unknown one is `{"unknown": "<reason>"}`, so `jq '.compliant == true'` still reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Known<T> {
    /// Not available from the reads, and why.
    Unknown {
        /// Why the value is not known.
        #[serde(rename = "unknown")]
        reason: String,
    },
    /// The value.
    Value(T),
}

impl<T> Known<T> {
    /// Unknown, because of `reason`.
    pub fn unknown(reason: impl Into<String>) -> Self {
        Known::Unknown {
            reason: reason.into(),
        }
    }

    /// The value, if known.
    pub fn value(&self) -> Option<&T> {
        match self {
            Known::Value(v) => Some(v),
            Known::Unknown { .. } => None,
        }
    }

    /// Why it is unknown, if it is.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Known::Value(_) => None,
            Known::Unknown { reason } => Some(reason),
        }
    }

    /// Whether the value is known.
    pub fn is_known(&self) -> bool {
        matches!(self, Known::Value(_))
    }

    /// The value mapped, or the same reason.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Known<U> {
        match self {
            Known::Value(v) => Known::Value(f(v)),
            Known::Unknown { reason } => Known::Unknown { reason },
        }
    }

    /// A borrowed view.
    pub fn as_ref(&self) -> Known<&T> {
        match self {
            Known::Value(v) => Known::Value(v),
            Known::Unknown { reason } => Known::Unknown {
                reason: reason.clone(),
            },
        }
    }
}

impl<T> From<T> for Known<T> {
    fn from(value: T) -> Self {
        Known::Value(value)
    }
}

impl<T: fmt::Display> fmt::Display for Known<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Known::Value(v) => v.fmt(f),
            Known::Unknown { reason } => write!(f, "unknown ({reason})"),
        }
    }
}

/// Whether an error of a per-item read makes that item's values unknown (Kosli answered, but
/// not with the value: not found, another API error, an answer that does not parse) rather
/// than stopping the whole report (no connection, no access, cancelled, bad input).
pub(crate) fn is_soft(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::NotFound | ErrorKind::Api | ErrorKind::Parse
    )
}

/// The result of a per-item read as a [`Known`]: a soft error becomes the reason
/// (`<what>: <error>`), any other stops the report.
pub(crate) fn soft<T>(result: Result<T>, what: &str) -> Result<Known<T>> {
    match result {
        Ok(v) => Ok(Known::Value(v)),
        Err(e) if is_soft(&e) => Ok(Known::unknown(format!("{what}: {e}"))),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_the_bare_value_or_the_reason() {
        let k: Known<bool> = Known::Value(true);
        assert_eq!(serde_json::to_string(&k).unwrap(), "true");
        let u: Known<bool> = Known::unknown("no trail");
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"unknown":"no trail"}"#
        );
        let back: Known<Vec<String>> = serde_json::from_str(r#"["a"]"#).unwrap();
        assert_eq!(back.value().unwrap(), &["a".to_string()]);
        let back: Known<u64> = serde_json::from_str(r#"{"unknown":"x"}"#).unwrap();
        assert_eq!(back.reason(), Some("x"));
        assert_eq!(u.to_string(), "unknown (no trail)");
    }

    #[test]
    fn only_answers_without_the_value_are_soft() {
        let nf = Error::NotFound {
            message: "gone".into(),
        };
        let k = soft::<u8>(Err(nf), "get trail t").unwrap();
        assert_eq!(k.reason(), Some("get trail t: gone"));
        let hard = soft::<u8>(Err(Error::config("no org")), "x");
        assert!(hard.is_err());
        assert_eq!(soft(Ok(3u8), "x").unwrap(), Known::Value(3));
    }
}
