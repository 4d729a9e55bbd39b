//! A snapshot named as the CLI names one: `ENV` (the latest), `ENV#N` (snapshot N), `ENV~N`
//! (N before the latest) or `ENV@{TIME}` (the one running at a time: `2024-06-10T12:00:00`,
//! `3.days.ago`, ...).

use std::fmt;

use crate::client::Request;
use crate::error::{Error, Result};
use crate::operations;

/// Which snapshot of the environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Selector {
    /// The latest (`ENV`; sent as `-1`).
    Latest,
    /// Snapshot number N (`ENV#N`), as typed.
    Index(String),
    /// N snapshots before the latest (`ENV~N`), as typed.
    Back(String),
    /// The one running at a time (`ENV@{TIME}`); holds `TIME` without the braces.
    At(String),
}

/// An environment and a [`Selector`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Snappish {
    environment: String,
    selector: Selector,
}

impl Snappish {
    /// The latest snapshot of `environment`.
    pub fn latest(environment: impl Into<String>) -> Self {
        Snappish {
            environment: environment.into(),
            selector: Selector::Latest,
        }
    }

    /// Snapshot number `index` of `environment`.
    pub fn index(environment: impl Into<String>, index: u64) -> Self {
        Snappish {
            environment: environment.into(),
            selector: Selector::Index(index.to_string()),
        }
    }

    /// The snapshot `back` before the latest.
    pub fn back(environment: impl Into<String>, back: u64) -> Self {
        Snappish {
            environment: environment.into(),
            selector: Selector::Back(back.to_string()),
        }
    }

    /// The snapshot running at `time` (Kosli's time expressions: `2024-06-10T12:00:00`,
    /// `3.days.ago`, ...).
    pub fn at(environment: impl Into<String>, time: impl Into<String>) -> Self {
        Snappish {
            environment: environment.into(),
            selector: Selector::At(time.into()),
        }
    }

    /// Reads the CLI's expression. More than one of `@`, `~` and `#` is the CLI's error.
    pub fn parse(expression: &str) -> Result<Self> {
        let kinds = ['@', '~', '#']
            .iter()
            .filter(|c| expression.contains(**c))
            .count();
        if kinds > 1 {
            return Err(Error::invalid_input(
                "snapshot",
                format!(
                    "invalid expression: {expression}. Only one of '@', '~' or '#' can be present"
                ),
            ));
        }
        if expression.is_empty() {
            return Err(Error::invalid_input(
                "snapshot",
                "the environment name must not be empty",
            ));
        }
        let split = |c: char| expression.split_once(c);
        let (environment, selector) = if let Some((env, rest)) = split('#') {
            (env, Selector::Index(rest.to_string()))
        } else if let Some((env, rest)) = split('~') {
            (env, Selector::Back(rest.to_string()))
        } else if let Some((env, rest)) = split('@') {
            let time = rest
                .strip_prefix('{')
                .and_then(|r| r.strip_suffix('}'))
                .unwrap_or(rest);
            (env, Selector::At(time.to_string()))
        } else {
            (expression, Selector::Latest)
        };
        Ok(Snappish {
            environment: environment.to_string(),
            selector,
        })
    }

    /// The environment.
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// Which snapshot.
    pub fn selector(&self) -> &Selector {
        &self.selector
    }

    /// The path segment the CLI sends: `-1`, `#7`, `~2`, `@{...}` (escaped on the wire).
    pub fn path_segment(&self) -> String {
        match &self.selector {
            Selector::Latest => "-1".to_string(),
            Selector::Index(n) => format!("#{n}"),
            Selector::Back(n) => format!("~{n}"),
            Selector::At(t) => format!("@{{{t}}}"),
        }
    }

    /// `kosli get snapshot`'s request.
    pub fn request(&self) -> Request {
        Request::new(&operations::GET_SNAPSHOT)
            .param("env", &self.environment)
            .param("snappish", self.path_segment())
    }
}

impl fmt::Display for Snappish {
    /// The CLI's expression (`prod`, `prod#7`, `prod~2`, `prod@{3.days.ago}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.selector {
            Selector::Latest => f.write_str(&self.environment),
            _ => write!(f, "{}{}", self.environment, self.path_segment()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_become_the_clis_paths() {
        // Captures get_snapshot_latest/at_time and observed #7, ~2, @{3.days.ago}.
        let path = |e: &str| {
            Snappish::parse(e)
                .unwrap()
                .request()
                .render_path(Some("acme"))
                .unwrap()
        };
        assert_eq!(path("prod-k8s"), "api/v2/snapshots/acme/prod-k8s/-1");
        assert_eq!(path("prod-k8s#7"), "api/v2/snapshots/acme/prod-k8s/%237");
        assert_eq!(path("prod-k8s~2"), "api/v2/snapshots/acme/prod-k8s/~2");
        assert_eq!(
            path("prod-k8s@{2024-06-10T12:00:00}"),
            "api/v2/snapshots/acme/prod-k8s/@%7B2024-06-10T12:00:00%7D"
        );
        assert_eq!(
            path("prod-k8s@{3.days.ago}"),
            "api/v2/snapshots/acme/prod-k8s/@%7B3.days.ago%7D"
        );
        assert_eq!(Snappish::index("p", 7), Snappish::parse("p#7").unwrap());
        assert_eq!(Snappish::back("p", 2).to_string(), "p~2");
        assert_eq!(Snappish::at("p", "x").to_string(), "p@{x}");
        assert_eq!(Snappish::latest("p").to_string(), "p");
    }

    #[test]
    fn two_selectors_are_the_clis_error() {
        for e in ["prod-k8s#7~2", "prod-k8s@{x}#2"] {
            let err = Snappish::parse(e).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("invalid expression: {e}. Only one of '@', '~' or '#' can be present")
            );
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
        }
        assert!(Snappish::parse("").is_err());
    }
}
