//! `--redact-commit-info`: which commit fields are replaced before a report is sent.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// A commit field that can be redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Redact {
    /// The author (`Name <email>`).
    Author,
    /// The commit message.
    Message,
    /// The checked-out branch.
    Branch,
}

impl Redact {
    /// The name the CLI accepts (`author`, `message`, `branch`).
    pub fn as_str(self) -> &'static str {
        match self {
            Redact::Author => "author",
            Redact::Message => "message",
            Redact::Branch => "branch",
        }
    }
}

impl fmt::Display for Redact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Redact {
    type Err = Error;

    /// Exact, case-sensitive names, as the CLI: `Author` and ` message` are rejected.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "author" => Ok(Redact::Author),
            "message" => Ok(Redact::Message),
            "branch" => Ok(Redact::Branch),
            other => Err(Error::invalid_input(
                "--redact-commit-info",
                format!("{other} is not an allowed value for --redact-commit-info"),
            )),
        }
    }
}

/// A set of fields to redact (empty by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Redactions {
    author: bool,
    message: bool,
    branch: bool,
}

impl Redactions {
    /// Nothing redacted.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every field redacted.
    pub fn all() -> Self {
        Redactions {
            author: true,
            message: true,
            branch: true,
        }
    }

    /// This set with `field` added.
    pub fn with(mut self, field: Redact) -> Self {
        self.insert(field);
        self
    }

    /// Adds `field`.
    pub fn insert(&mut self, field: Redact) {
        match field {
            Redact::Author => self.author = true,
            Redact::Message => self.message = true,
            Redact::Branch => self.branch = true,
        }
    }

    /// Whether `field` is redacted.
    pub fn contains(&self, field: Redact) -> bool {
        match field {
            Redact::Author => self.author,
            Redact::Message => self.message,
            Redact::Branch => self.branch,
        }
    }

    /// Whether nothing is redacted.
    pub fn is_empty(&self) -> bool {
        !(self.author || self.message || self.branch)
    }

    /// The redacted fields, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = Redact> + '_ {
        [Redact::Author, Redact::Message, Redact::Branch]
            .into_iter()
            .filter(|r| self.contains(*r))
    }

    /// Builds a set from values that are each one field name (already split by the caller);
    /// the first unknown name is the error, in the CLI's words.
    pub fn from_values<I, S>(values: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut set = Redactions::none();
        for v in values {
            set.insert(v.as_ref().parse()?);
        }
        Ok(set)
    }
}

impl FromStr for Redactions {
    type Err = Error;

    /// A comma-separated list (`author,message`), split without trimming, as the CLI does.
    fn from_str(s: &str) -> Result<Self> {
        if s.is_empty() {
            return Ok(Redactions::none());
        }
        Redactions::from_values(s.split(','))
    }
}

impl FromIterator<Redact> for Redactions {
    fn from_iter<T: IntoIterator<Item = Redact>>(iter: T) -> Self {
        let mut set = Redactions::none();
        for r in iter {
            set.insert(r);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn parses_the_cli_names() {
        let r: Redactions = "author,message,branch".parse().unwrap();
        assert_eq!(r, Redactions::all());
        assert_eq!(r.iter().count(), 3);
        assert!("".parse::<Redactions>().unwrap().is_empty());
    }

    #[test]
    fn rejects_other_values_in_the_cli_words() {
        let e = "email".parse::<Redactions>().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            e.to_string(),
            "email is not an allowed value for --redact-commit-info"
        );
        let e = "Author".parse::<Redact>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "Author is not an allowed value for --redact-commit-info"
        );
        // No trimming: the CLI reports the leading space too.
        let e = "author, message".parse::<Redactions>().unwrap_err();
        assert_eq!(
            e.to_string(),
            " message is not an allowed value for --redact-commit-info"
        );
    }

    #[test]
    fn set_operations() {
        let r = Redactions::none().with(Redact::Branch);
        assert!(r.contains(Redact::Branch) && !r.contains(Redact::Author));
        let r: Redactions = [Redact::Author, Redact::Author].into_iter().collect();
        assert_eq!(r.iter().collect::<Vec<_>>(), vec![Redact::Author]);
    }
}
