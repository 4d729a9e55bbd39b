//! Where CI variables come from: an injectable lookup, so detection is testable without touching
//! the process environment.

use std::collections::{BTreeMap, HashMap};

/// Reads environment variables by name.
///
/// Presence matters as much as value: the CLI detects a CI system when its variable is *set*,
/// even to an empty string, so `var` returns `Some("")` for a variable that is set but empty.
pub trait EnvLookup {
    /// The variable's value, or `None` when it is not set.
    fn var(&self, name: &str) -> Option<String>;

    /// Whether the variable is set (to anything, the empty string included).
    fn is_set(&self, name: &str) -> bool {
        self.var(name).is_some()
    }

    /// The variable's value, or `""` when it is not set (the CLI's `os.Getenv`).
    fn get(&self, name: &str) -> String {
        self.var(name).unwrap_or_default()
    }
}

/// The real process environment. Values that are not valid UTF-8 are converted lossily.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl EnvLookup for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
    }
}

/// An environment given as a lookup function.
///
/// ```
/// use kosli_core::provenance::{EnvFn, EnvLookup};
/// let env = EnvFn(|name: &str| (name == "CI").then(|| "true".to_string()));
/// assert_eq!(env.get("CI"), "true");
/// assert!(!env.is_set("HOME"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct EnvFn<F>(pub F);

impl<F: Fn(&str) -> Option<String>> EnvLookup for EnvFn<F> {
    fn var(&self, name: &str) -> Option<String> {
        (self.0)(name)
    }
}

impl<S: std::hash::BuildHasher> EnvLookup for HashMap<String, String, S> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl EnvLookup for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl EnvLookup for [(&str, &str)] {
    fn var(&self, name: &str) -> Option<String> {
        self.iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_string())
    }
}

impl EnvLookup for Vec<(&str, &str)> {
    fn var(&self, name: &str) -> Option<String> {
        self.as_slice().var(name)
    }
}

impl<const N: usize> EnvLookup for [(&str, &str); N] {
    fn var(&self, name: &str) -> Option<String> {
        self.as_slice().var(name)
    }
}

impl<T: EnvLookup + ?Sized> EnvLookup for &T {
    fn var(&self, name: &str) -> Option<String> {
        (**self).var(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_but_empty_is_present() {
        let env = [("GITHUB_RUN_NUMBER", "")];
        assert!(env.is_set("GITHUB_RUN_NUMBER"));
        assert_eq!(env.var("GITHUB_RUN_NUMBER").as_deref(), Some(""));
        assert!(!env.is_set("GITLAB_CI"));
        assert_eq!(env.get("GITLAB_CI"), "");
    }

    #[test]
    fn maps_and_functions_look_up_by_name() {
        let mut map = HashMap::new();
        map.insert("A".to_string(), "1".to_string());
        assert_eq!(map.var("A").as_deref(), Some("1"));
        let tree: BTreeMap<String, String> = map.clone().into_iter().collect();
        assert_eq!(EnvLookup::get(&tree, "A"), "1");
        let f = EnvFn(|n: &str| (n == "B").then(|| "2".to_string()));
        assert_eq!(f.get("B"), "2");
        assert_eq!(f.var("A"), None);
    }

    #[test]
    fn later_pairs_win_in_slices() {
        let env = [("A", "1"), ("A", "2")];
        assert_eq!(env.get("A"), "2");
    }
}
