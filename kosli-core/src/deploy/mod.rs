//! Deployment tracking that cannot lie, and scheduled snapshots (the seed's "Deployment
//! Tracking" and "Environment Snapshots").
//!
//! * [`Deployment`] is the guard: it refuses a mutable artifact reference (`:latest`, or an
//!   image with no tag) unless it is pinned by digest, runs the caller's deploy step, and only
//!   if the step succeeded snapshots the environment with a [`Collector`] and checks that the
//!   artifact attested at build time (one [`ArtifactRef`](crate::ArtifactRef)) is among what
//!   runs there. A failed step reports nothing and returns the step's own error
//!   ([`DeployError::Step`]).
//! * [`Collector`] is what takes a snapshot: it collects what runs in an environment and
//!   builds the snapshot report of the existing snapshot operations. [`PathsCollector`]
//!   collects servers (`snapshot path|paths|server`); the runtime collectors
//!   ([`crate::snapshot::Collector`]: `Docker`, and `K8s` with the `k8s` feature) implement the
//!   same trait, with the calls and the report of `snapshot docker|k8s`.
//! * [`Schedule`] and [`crate::Client::snapshot_loop`] snapshot an environment every interval
//!   (the seed's "every 15 minutes"), with jitter, on the client's injectable clock, until a
//!   [`StopSignal`]; with a journal, reports made while Kosli is unreachable are queued and
//!   delivered when it is back.
//!
//! ```no_run
//! use kosli_core::blocking::Client;
//! use kosli_core::deploy::{Deployment, PathsCollector};
//! use kosli_core::{fingerprint, ArtifactRef, ArtifactType, Config};
//! let client = Client::new(Config::from_env()?)?;
//! let artifact = ArtifactRef::new("app", fingerprint::file("target/release/app")?, ArtifactType::File)?;
//! let guard = Deployment::new("production", &artifact)?;
//! let collector = PathsCollector::path("app", "/srv/app/app");
//! let report = client.deploy(&guard, &collector, || {
//!     std::fs::copy("target/release/app", "/srv/app/app").map(|_| ())
//! })?;
//! tracing::info!("{}", report.verification);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod collector;
mod guard;
mod paths;
mod reference;
mod runtime;
mod schedule;

pub use crate::client::clock::BoxFuture;
pub use collector::{Collected, Collector};
pub use guard::{DeployError, DeployReport, Deployment, Mismatch, Verification};
pub use paths::PathsCollector;
pub use reference::check_reference;
pub use runtime::running_of;
pub use schedule::{LoopSummary, Schedule, StopSignal, Tick, TickReport};
