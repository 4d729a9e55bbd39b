//! [`Fingerprint`]: a validated SHA-256 digest, as Kosli identifies artifacts.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// The pattern the CLI validates fingerprints against; quoted in errors for parity.
const PATTERN: &str = "^([a-f0-9]{64})$";

/// A SHA-256 digest printed as 64 lowercase hex characters.
///
/// The only ways to get one are to compute it (see [`crate::fingerprint`]) or to parse it.
///
/// ```
/// use kosli_core::Fingerprint;
/// let fp: Fingerprint = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".parse()?;
/// assert_eq!(fp, Fingerprint::of_bytes(b""));
/// # Ok::<(), kosli_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of an in-memory byte string.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        use sha2::Digest;
        Fingerprint(sha2::Sha256::digest(bytes).into())
    }

    /// Wraps a raw 32-byte digest.
    pub fn from_digest(digest: [u8; 32]) -> Self {
        Fingerprint(digest)
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lowercase hex characters as bytes, without allocating.
    pub fn to_hex_bytes(&self) -> [u8; 64] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (i, b) in self.0.iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        out
    }

    /// The 64 lowercase hex characters.
    pub fn to_hex(&self) -> String {
        // Hex digits are ASCII, so this never loses anything.
        self.to_hex_bytes().iter().map(|&b| char::from(b)).collect()
    }
}

impl FromStr for Fingerprint {
    type Err = Error;

    /// Parses 64 lowercase hex characters, exactly what the CLI accepts.
    fn from_str(s: &str) -> Result<Self> {
        let invalid = || {
            Error::invalid_input(
                "fingerprint",
                format!(
                    "{s} is not a valid SHA256 fingerprint. It should match the pattern {PATTERN}"
                ),
            )
        };
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return Err(invalid());
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let (Some(hi), Some(lo)) = (nibble(pair[0]), nibble(pair[1])) else {
                return Err(invalid());
            };
            out[i] = (hi << 4) | lo;
        }
        Ok(Fingerprint(out))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn parses_and_prints_lowercase_hex() {
        let fp: Fingerprint = EMPTY.parse().unwrap();
        assert_eq!(fp.to_string(), EMPTY);
        assert_eq!(fp, Fingerprint::of_bytes(b""));
    }

    #[test]
    fn rejects_uppercase_short_and_non_hex() {
        for bad in [
            EMPTY.to_uppercase(),
            EMPTY[..63].to_string(),
            format!("{}g", &EMPTY[..63]),
        ] {
            let err = bad.parse::<Fingerprint>().unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
            assert!(err.to_string().starts_with(&bad), "{err}");
        }
    }

    #[test]
    fn serde_round_trip() {
        let fp = Fingerprint::of_bytes(b"a");
        let json = serde_json::to_string(&fp).unwrap();
        assert_eq!(
            json,
            "\"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb\""
        );
        assert_eq!(serde_json::from_str::<Fingerprint>(&json).unwrap(), fp);
        assert!(serde_json::from_str::<Fingerprint>("\"nope\"").is_err());
    }
}
