//! The options convention of every operation: optional fields come as one JSON object string
//! (`options_json`, NULL for none) whose keys are the Rust builder methods' names.
//!
//! Why JSON rather than one setter per field or a builder handle per operation: the ABI stays
//! one function per operation however many optional fields it grows (a new key is not a new
//! symbol), nested values the API itself takes as JSON (`git_commit_info`, `user_data`,
//! `pull_requests`) pass through unchanged, and C callers already hold JSON text for them.
//! Every key is checked: an unknown key, or a value of the wrong type, is `KOSLI_INVALID_INPUT`
//! with a message naming the key (and, for an unknown one, the keys that operation knows).

use std::collections::BTreeMap;
use std::ffi::c_char;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::args::str_arg;
use crate::error::FfiError;

/// The parameter name every operation gives its options.
const PARAM: &str = "options_json";

/// The keys of one call's options, taken one by one; [`Options::finish`] refuses the rest.
#[derive(Debug)]
pub(crate) struct Options {
    map: Map<String, Value>,
    known: Vec<&'static str>,
    param: &'static str,
}

/// An `InvalidInput` error about the parameter `param`.
fn bad_in(param: &'static str, message: String) -> FfiError {
    FfiError::Core(kosli_core::Error::invalid_input(param, message))
}

impl Options {
    /// Reads `options_json`: NULL or `""` is no options; anything else must be a JSON object.
    ///
    /// # Safety
    /// `ptr` is NULL or a NUL-terminated string valid for the call.
    pub(crate) unsafe fn parse(ptr: *const c_char) -> Result<Options, FfiError> {
        // SAFETY: as documented for the caller.
        unsafe { Options::parse_named(ptr, PARAM) }
    }

    /// Reads another parameter that follows the same convention (a JSON object of named
    /// keys, e.g. `collector_json`); errors name `param`.
    ///
    /// # Safety
    /// `ptr` is NULL or a NUL-terminated string valid for the call.
    pub(crate) unsafe fn parse_named(
        ptr: *const c_char,
        param: &'static str,
    ) -> Result<Options, FfiError> {
        let map = if ptr.is_null() {
            Map::new()
        } else {
            // SAFETY: not NULL, and the caller promises a NUL-terminated string.
            let text = unsafe { str_arg(ptr, param) }?;
            if text.trim().is_empty() {
                Map::new()
            } else {
                match serde_json::from_str::<Value>(text) {
                    Ok(Value::Object(map)) => map,
                    Ok(_) => return Err(bad_in(param, format!("{param} must be a JSON object"))),
                    Err(e) => return Err(bad_in(param, format!("{param} is not valid JSON: {e}"))),
                }
            }
        };
        Ok(Options {
            map,
            known: Vec::new(),
            param,
        })
    }

    /// An `InvalidInput` error about these options.
    fn bad(&self, message: String) -> FfiError {
        bad_in(self.param, message)
    }

    /// Takes `key`'s value, if given (JSON `null` counts as not given).
    fn take(&mut self, key: &'static str) -> Option<Value> {
        self.known.push(key);
        self.map.remove(key).filter(|v| !v.is_null())
    }

    /// A string option.
    pub(crate) fn string(&mut self, key: &'static str) -> Result<Option<String>, FfiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(key, "a string", &other)),
        }
    }

    /// A boolean option.
    pub(crate) fn bool(&mut self, key: &'static str) -> Result<Option<bool>, FfiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(other) => Err(self.wrong(key, "true or false", &other)),
        }
    }

    /// A non-negative integer option.
    pub(crate) fn u64(&mut self, key: &'static str) -> Result<Option<u64>, FfiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
            Some(other) => Err(self.wrong(key, "a non-negative integer", &other)),
        }
    }

    /// A list of strings (a single string is a list of one).
    pub(crate) fn strings(&mut self, key: &'static str) -> Result<Option<Vec<String>>, FfiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(vec![s])),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    other => Err(self.wrong(key, "a list of strings", &other)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(self.wrong(key, "a list of strings", &other)),
        }
    }

    /// An object of string values (`{"key": "value"}`).
    pub(crate) fn string_map(
        &mut self,
        key: &'static str,
    ) -> Result<Option<BTreeMap<String, String>>, FfiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Object(map)) => map
                .into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k, s)),
                    other => Err(self.wrong(key, "an object of strings", &other)),
                })
                .collect::<Result<BTreeMap<_, _>, _>>()
                .map(Some),
            Some(other) => Err(self.wrong(key, "an object of strings", &other)),
        }
    }

    /// Any JSON value, as given (`user_data`).
    pub(crate) fn json(&mut self, key: &'static str) -> Option<Value> {
        self.take(key)
    }

    /// A value of one of the SDK's wire types (`git_commit_info`, `repo_info`, ...).
    pub(crate) fn typed<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, FfiError> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| self.bad(format!("option `{key}`: {e}"))),
        }
    }

    /// Refuses any key that was not taken: it is misspelt, or not an option of this call.
    pub(crate) fn finish(self) -> Result<(), FfiError> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(key) => {
                let known = if self.known.is_empty() {
                    "this operation takes no options yet".to_string()
                } else {
                    format!("known keys: {}", self.known.join(", "))
                };
                Err(self.bad(format!("unknown option `{key}` ({known})")))
            }
        }
    }
}

impl Options {
    /// The error for a value of the wrong type.
    fn wrong(&self, key: &str, expected: &str, got: &Value) -> FfiError {
        bad_in(self.param, wrong_text(key, expected, got))
    }
}

/// The message for a value of the wrong type.
fn wrong_text(key: &str, expected: &str, got: &Value) -> String {
    let kind = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    format!("option `{key}` must be {expected}, not {kind}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn parse(text: &str) -> Result<Options, FfiError> {
        let c = CString::new(text).unwrap();
        // SAFETY: a valid C string for the call.
        unsafe { Options::parse(c.as_ptr()) }
    }

    #[test]
    fn keys_are_typed_and_unknown_ones_named() {
        let mut o =
            parse(r#"{"description": "d", "page": 2, "tags": ["a", "b"], "x": 1}"#).unwrap();
        assert_eq!(o.string("description").unwrap().as_deref(), Some("d"));
        assert_eq!(o.u64("page").unwrap(), Some(2));
        assert_eq!(
            o.strings("tags").unwrap(),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        let e = o.finish().unwrap_err();
        assert_eq!(e.status(), crate::kosli_status::KOSLI_INVALID_INPUT);
        assert_eq!(
            e.message(),
            "unknown option `x` (known keys: description, page, tags)"
        );
    }

    #[test]
    fn wrong_types_and_bad_json_are_invalid_input() {
        let mut o = parse(r#"{"page": "two"}"#).unwrap();
        let e = o.u64("page").unwrap_err();
        assert_eq!(
            e.message(),
            "option `page` must be a non-negative integer, not a string"
        );
        assert!(parse("[1]").unwrap_err().message().contains("JSON object"));
        assert!(parse("{").unwrap_err().message().contains("not valid JSON"));
        // SAFETY: NULL is allowed.
        let none = unsafe { Options::parse(std::ptr::null()) }.unwrap();
        assert!(none.finish().is_ok());
        assert!(parse("").unwrap().finish().is_ok());
        let e = parse(r#"{"a": 1}"#).unwrap().finish().unwrap_err();
        assert!(
            e.message().contains("takes no options yet"),
            "{}",
            e.message()
        );
    }
}
