//! The one list of the API operations the SDK implements: name, method and path template.
//!
//! Each operation of the [`crate::client::Client`] builds a [`crate::client::Request`] for one
//! of these, and the C and Python bindings are checked against [`ALL`]: adding an operation
//! means adding it here, to the client, and to both bindings.

use crate::dryrun::Method;

/// One API operation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The operation's name, as the SDK's functions spell it (`status`, `create_flow`, ...).
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template relative to the host: literal segments and whole-segment `{name}`
    /// parameters (`/api/v2/environments/{org}/{env}`).
    pub path: &'static str,
    /// Whether the call needs an API token (every call but `status` does).
    pub requires_token: bool,
}

impl Operation {
    /// An operation that needs an API token.
    pub const fn new(name: &'static str, method: Method, path: &'static str) -> Operation {
        Operation {
            name,
            method,
            path,
            requires_token: true,
        }
    }

    /// The same operation, callable without a token (the token is still sent when set).
    pub const fn without_token(mut self) -> Operation {
        self.requires_token = false;
        self
    }

    /// Whether the operation changes something on the server (everything but `GET`). Writes go
    /// to every host and are returned as dry-run values in dry-run; reads go to the primary.
    pub fn is_write(&self) -> bool {
        self.method != Method::Get
    }
}

/// `kosli status`: is the server up? `GET /ready`; the body is `"OK"`.
pub static STATUS: Operation = Operation::new("status", Method::Get, "/ready").without_token();

/// Every operation the SDK implements.
pub static ALL: &[&Operation] = &[&STATUS];

/// The operation named `name`, if the SDK has it.
pub fn by_name(name: &str) -> Option<&'static Operation> {
    ALL.iter().copied().find(|op| op.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_paths_rooted() {
        let mut names: Vec<&str> = ALL.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        for op in ALL {
            assert!(op.path.starts_with('/'), "{}", op.name);
        }
    }

    #[test]
    fn status_is_a_read_that_needs_no_token() {
        let op = by_name("status").unwrap();
        assert_eq!(
            (op.method, op.path, op.requires_token, op.is_write()),
            (Method::Get, "/ready", false, false)
        );
    }
}
