//! Environment history reads (wire-2.md §5): trails (`get trail`, `list trails`), snapshots
//! (`get snapshot ENV[#N|~N|@{T}]`, `list snapshots`), an environment's events (`log
//! environment`) and the server's diff of two snapshots (`diff snapshots`). Each read is a
//! typed request (a builder for the CLI's flags) and a typed answer; fields the server may
//! leave out or send as `null` are `Option`s or empty.
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::ops::history::{ListSnapshots, Snappish};
//! let latest = client.get_snapshot(&Snappish::parse("prod-k8s")?).await?;
//! let before = client.get_snapshot(&Snappish::parse("prod-k8s~1")?).await?;
//! let drift = kosli_core::drift::diff(&before.running(), &latest.running());
//! for event in drift.events() {
//!     tracing::info!("{event}");
//! }
//! let pages = client.list_snapshots(&ListSnapshots::new("prod-k8s").per_page(5)).await?;
//! # let _ = pages;
//! # Ok(())
//! # }
//! ```

mod env_diff;
mod events;
mod nullable;
mod snappish;
mod snapshots;
mod trails;

pub use env_diff::{DiffArtifact, DiffSide, SnapshotDiff};
pub use events::{EnvironmentEvent, LogEnvironment};
pub use snappish::{Selector, Snappish};
pub use snapshots::{Annotation, ListSnapshots, Snapshot, SnapshotArtifact, SnapshotSummary};
pub use trails::{
    get_trail_request, ArtifactStatus, AttestationStatus, ListTrails, Trail, TrailCommit,
    TrailComplianceStatus, TrailEvent, TrailList, TrailSummary,
};

use crate::client::Client;
use crate::error::{Error, Result};

/// Checks a page number and size as the CLI does, with its words.
fn check_page(page: u64, per_page: u64) -> Result<()> {
    if page == 0 {
        return Err(Error::invalid_input(
            "page",
            "page number must be a positive integer",
        ));
    }
    if per_page == 0 {
        return Err(Error::invalid_input(
            "page-limit",
            "page limit must be a positive integer",
        ));
    }
    Ok(())
}

impl Client {
    /// One trail of a flow (`kosli get trail`); an unknown one is a `NotFound` error.
    pub async fn get_trail(&self, flow: &str, trail: &str) -> Result<Trail> {
        self.read(&get_trail_request(flow, trail)).await?.json()
    }

    /// A page of trails (`kosli list trails`).
    pub async fn list_trails(&self, list: &ListTrails) -> Result<TrailList> {
        self.read(&list.request()?).await?.json()
    }

    /// One snapshot of an environment (`kosli get snapshot`).
    pub async fn get_snapshot(&self, snappish: &Snappish) -> Result<Snapshot> {
        self.read(&snappish.request()).await?.json()
    }

    /// A page of an environment's snapshots (`kosli list snapshots`).
    pub async fn list_snapshots(&self, list: &ListSnapshots) -> Result<Vec<SnapshotSummary>> {
        self.read(&list.request()?).await?.json()
    }

    /// A page of an environment's events (`kosli log environment`).
    pub async fn log_environment(&self, log: &LogEnvironment) -> Result<Vec<EnvironmentEvent>> {
        self.read(&log.request()?).await?.json()
    }

    /// The server's diff of two snapshots (`kosli diff snapshots A B`), each given as the CLI
    /// takes it (`prod`, `prod#7`, `prod~1`, `prod@{2024-06-10T12:00:00}`).
    pub async fn diff_snapshots(&self, first: &str, second: &str) -> Result<SnapshotDiff> {
        self.read(&env_diff::request(first, second)?).await?.json()
    }
}

impl crate::blocking::Client {
    /// See [`Client::get_trail`].
    pub fn get_trail(&self, flow: &str, trail: &str) -> Result<Trail> {
        self.run(|c| async move { c.get_trail(flow, trail).await })
    }

    /// See [`Client::list_trails`].
    pub fn list_trails(&self, list: &ListTrails) -> Result<TrailList> {
        self.run(|c| async move { c.list_trails(list).await })
    }

    /// See [`Client::get_snapshot`].
    pub fn get_snapshot(&self, snappish: &Snappish) -> Result<Snapshot> {
        self.run(|c| async move { c.get_snapshot(snappish).await })
    }

    /// See [`Client::list_snapshots`].
    pub fn list_snapshots(&self, list: &ListSnapshots) -> Result<Vec<SnapshotSummary>> {
        self.run(|c| async move { c.list_snapshots(list).await })
    }

    /// See [`Client::log_environment`].
    pub fn log_environment(&self, log: &LogEnvironment) -> Result<Vec<EnvironmentEvent>> {
        self.run(|c| async move { c.log_environment(log).await })
    }

    /// See [`Client::diff_snapshots`].
    pub fn diff_snapshots(&self, first: &str, second: &str) -> Result<SnapshotDiff> {
        self.run(|c| async move { c.diff_snapshots(first, second).await })
    }
}

/// The request of `diff snapshots A B`: `GET /api/v2/env-diff/{org}?snappish1=A&snappish2=B`.
pub fn diff_snapshots_request(first: &str, second: &str) -> Result<crate::client::Request> {
    env_diff::request(first, second)
}
