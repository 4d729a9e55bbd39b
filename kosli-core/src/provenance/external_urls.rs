//! `external_urls`: labelled links to resources outside Kosli, each optionally with the
//! fingerprint of what it points at (`--external-url label=url`,
//! `--external-fingerprint label=sha256`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One labelled link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalUrl {
    /// The URL, as given.
    pub href: String,
    /// The SHA-256 of the resource, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// Labels to links; serialized with sorted labels, as Go writes maps.
pub type ExternalUrls = BTreeMap<String, ExternalUrl>;

/// Pairs URLs and fingerprints by label, with the CLI's checks: more fingerprints than URLs,
/// or a fingerprint whose label has no URL, is an error. A later URL for the same label
/// replaces an earlier one.
///
/// ```
/// use kosli_core::provenance::external_urls;
/// let urls = external_urls(
///     [("jira", "https://jira.example.com/ABC-1")],
///     [("jira", "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef")],
/// )?;
/// assert_eq!(
///     kosli_core::model::go_json::to_string(&urls)?,
///     r#"{"jira":{"href":"https://jira.example.com/ABC-1","fingerprint":"bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef"}}"#
/// );
/// # Ok::<(), kosli_core::Error>(())
/// ```
pub fn external_urls<U, F, K1, V1, K2, V2>(urls: U, fingerprints: F) -> Result<ExternalUrls>
where
    U: IntoIterator<Item = (K1, V1)>,
    F: IntoIterator<Item = (K2, V2)>,
    K1: Into<String>,
    V1: Into<String>,
    K2: Into<String>,
    V2: Into<String>,
{
    let mut out = ExternalUrls::new();
    for (label, href) in urls {
        out.insert(
            label.into(),
            ExternalUrl {
                href: href.into(),
                fingerprint: None,
            },
        );
    }
    let fingerprints: BTreeMap<String, String> = fingerprints
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    if fingerprints.len() > out.len() {
        return Err(Error::invalid_input(
            "--external-fingerprint",
            "--external-fingerprints have labels that don't have a URL in --external-url",
        ));
    }
    for (label, fingerprint) in fingerprints {
        let Some(entry) = out.get_mut(&label) else {
            return Err(Error::invalid_input(
                "--external-fingerprint",
                format!(
                    "{label} in --external-fingerprint does not match any labels in --external-url"
                ),
            ));
        };
        entry.fingerprint = Some(fingerprint);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [(&str, &str); 0] = [];

    #[test]
    fn labels_sort_and_escape_like_go() {
        let urls =
            external_urls([("Z", "1"), ("a", "2"), ("B", "https://b?x=1&y=2")], NONE).unwrap();
        // Observed from CLI v2.43.1 (begin trail --external-url ...).
        assert_eq!(
            crate::model::go_json::to_string(&urls).unwrap(),
            r#"{"B":{"href":"https://b?x=1\u0026y=2"},"Z":{"href":"1"},"a":{"href":"2"}}"#
        );
    }

    #[test]
    fn later_url_for_a_label_wins() {
        let urls = external_urls([("a", "1"), ("a", "2")], NONE).unwrap();
        assert_eq!(urls["a"].href, "2");
    }

    #[test]
    fn fingerprint_without_url_is_rejected_in_the_cli_words() {
        let e = external_urls([("a", "https://a")], [("c", "abc")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c in --external-fingerprint does not match any labels in --external-url"
        );
        let e = external_urls([("a", "https://a")], [("a", "x"), ("c", "abc")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--external-fingerprints have labels that don't have a URL in --external-url"
        );
        let e = external_urls(NONE, [("c", "abc")]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
    }
}
