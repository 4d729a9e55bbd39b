//! Fake provider APIs for the review tests (GitHub GraphQL and REST, GitLab, Bitbucket Cloud,
//! Azure DevOps, SonarQube/SonarCloud, Jira), started on 127.0.0.1 by the tests: one route
//! server ([`FakeProvider`]) answering either the routes the official CLI was observed against
//! ([`Scenario`], tests/fixtures/review) or routes built by the per-provider modules for the
//! cases nobody recorded (several pull requests, pagination, faults).

pub mod azure;
pub mod bitbucket;
pub mod captures;
pub mod github;
pub mod gitlab;
pub mod jira;
pub mod scenario;
pub mod server;
pub mod sonar;

pub use scenario::{Scenario, OBSERVED_BASE};
pub use server::{FakeProvider, Fault, Route, Seen};
