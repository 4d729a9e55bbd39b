//! One source of settings (code, environment, config file), and the CLI's parsing of its values.

use secrecy::SecretString;

use crate::error::{Error, Result};

/// The settings one source gives; `None` means "not set here, ask the next source".
#[derive(Clone, Default)]
pub(crate) struct Layer {
    pub(crate) host: Option<String>,
    pub(crate) api_token: Option<SecretString>,
    pub(crate) org: Option<String>,
    pub(crate) max_api_retries: Option<u32>,
    pub(crate) http_proxy: Option<String>,
    pub(crate) dry_run: Option<bool>,
    pub(crate) journal_dir: Option<String>,
}

/// The environment variables the CLI reads for the global settings.
pub(crate) mod vars {
    /// The host, or a comma-separated list of hosts.
    pub(crate) const HOST: &str = "KOSLI_HOST";
    /// The API token, or a comma-separated list of tokens (one per host).
    pub(crate) const API_TOKEN: &str = "KOSLI_API_TOKEN";
    /// The organization.
    pub(crate) const ORG: &str = "KOSLI_ORG";
    /// The number of retries.
    pub(crate) const MAX_API_RETRIES: &str = "KOSLI_MAX_API_RETRIES";
    /// The HTTP proxy URL.
    pub(crate) const HTTP_PROXY: &str = "KOSLI_HTTP_PROXY";
    /// Dry-run on or off.
    pub(crate) const DRY_RUN: &str = "KOSLI_DRY_RUN";
    /// The config file path.
    pub(crate) const CONFIG_FILE: &str = "KOSLI_CONFIG_FILE";
    /// The journal folder (the SDK's own; the CLI has no journal).
    pub(crate) const JOURNAL_DIR: &str = "KOSLI_JOURNAL_DIR";
}

impl Layer {
    /// The layer of the CLI's environment variables; an empty variable counts as unset.
    pub(crate) fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Layer> {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let from_env = |name: &str, flag: &str, short: Option<char>, e: String| {
            let flag_names = match short {
                Some(s) => format!("-{s}, --{flag}"),
                None => format!("--{flag}"),
            };
            Error::config(format!(
                "failed to set flag '--{flag}' from environment variable {name}: invalid argument {:?} for \"{flag_names}\" flag: {e}",
                get(name).unwrap_or_default()
            ))
        };
        let max_api_retries = match get(vars::MAX_API_RETRIES) {
            None => None,
            Some(v) => Some(parse_retries(&v).map_err(|e| match e {
                RetriesError::Syntax(e) => {
                    from_env(vars::MAX_API_RETRIES, "max-api-retries", Some('r'), e)
                }
                RetriesError::Negative => illegal_retries(&v),
            })?),
        };
        let dry_run = match get(vars::DRY_RUN) {
            None => None,
            Some(v) => Some(
                parse_go_bool(&v).map_err(|e| from_env(vars::DRY_RUN, "dry-run", Some('D'), e))?,
            ),
        };
        Ok(Layer {
            host: get(vars::HOST),
            api_token: get(vars::API_TOKEN).map(SecretString::from),
            org: get(vars::ORG),
            max_api_retries,
            http_proxy: get(vars::HTTP_PROXY),
            dry_run,
            journal_dir: get(vars::JOURNAL_DIR),
        })
    }
}

/// Why a retry count was refused.
pub(crate) enum RetriesError {
    /// Not an integer: Go's `strconv.ParseInt` message.
    Syntax(String),
    /// Below zero.
    Negative,
}

/// Parses a retry count as the CLI does (a Go `int` flag that must not be negative).
pub(crate) fn parse_retries(text: &str) -> std::result::Result<u32, RetriesError> {
    match text.parse::<i64>() {
        Ok(n) if n < 0 => Err(RetriesError::Negative),
        Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Err(_) => {
            let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
            let reason = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            Err(RetriesError::Syntax(format!(
                "strconv.ParseInt: parsing {text:?}: {reason}"
            )))
        }
    }
}

/// The CLI's message for a negative retry count.
pub(crate) fn illegal_retries(text: &str) -> Error {
    Error::config(format!(
        "flag '--max-api-retries' has value '{text}' which is illegal"
    ))
}

/// Parses a boolean as Go's `strconv.ParseBool` does (`1`, `t`, `TRUE`, `false`, ...).
pub(crate) fn parse_go_bool(text: &str) -> std::result::Result<bool, String> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing {text:?}: invalid syntax"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn reads_the_cli_variables() {
        let layer = Layer::from_env(&env(&[
            ("KOSLI_HOST", "http://127.0.0.1:18765"),
            ("KOSLI_API_TOKEN", "env-token-456"),
            ("KOSLI_ORG", "acme-env"),
            ("KOSLI_MAX_API_RETRIES", "1"),
            ("KOSLI_HTTP_PROXY", "http://proxy:3128"),
            ("KOSLI_DRY_RUN", "T"),
            ("KOSLI_FLOW", "ignored"),
        ]))
        .unwrap();
        assert_eq!(layer.host.as_deref(), Some("http://127.0.0.1:18765"));
        assert_eq!(
            layer.api_token.as_ref().map(|t| t.expose_secret()),
            Some("env-token-456")
        );
        assert_eq!(layer.org.as_deref(), Some("acme-env"));
        assert_eq!(layer.max_api_retries, Some(1));
        assert_eq!(layer.http_proxy.as_deref(), Some("http://proxy:3128"));
        assert_eq!(layer.dry_run, Some(true));
    }

    #[test]
    fn bad_values_read_like_the_cli() {
        let e = Layer::from_env(&env(&[("KOSLI_MAX_API_RETRIES", "abc")]))
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "failed to set flag '--max-api-retries' from environment variable KOSLI_MAX_API_RETRIES: \
             invalid argument \"abc\" for \"-r, --max-api-retries\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        let e = Layer::from_env(&env(&[("KOSLI_DRY_RUN", "yes")]))
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "failed to set flag '--dry-run' from environment variable KOSLI_DRY_RUN: \
             invalid argument \"yes\" for \"-D, --dry-run\" flag: strconv.ParseBool: parsing \"yes\": invalid syntax"
        );
        let e = Layer::from_env(&env(&[("KOSLI_MAX_API_RETRIES", "-1")]))
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "flag '--max-api-retries' has value '-1' which is illegal"
        );
        assert_eq!(e.kind(), crate::ErrorKind::Config);
    }

    #[test]
    fn empty_variables_are_unset() {
        let layer =
            Layer::from_env(&env(&[("KOSLI_ORG", ""), ("KOSLI_MAX_API_RETRIES", "")])).unwrap();
        assert!(layer.org.is_none());
        assert!(layer.max_api_retries.is_none());
    }

    #[test]
    fn go_bools() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(parse_go_bool(t), Ok(true));
        }
        for f in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(parse_go_bool(f), Ok(false));
        }
        assert!(parse_go_bool("yes").is_err());
    }

    #[test]
    fn retries_out_of_range_and_huge() {
        assert!(
            matches!(parse_retries("99999999999999999999"), Err(RetriesError::Syntax(m)) if m.contains("out of range"))
        );
        assert!(matches!(parse_retries("5000000000"), Ok(u32::MAX)));
    }
}
