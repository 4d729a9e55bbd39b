//! What ran in an environment over time, read from Kosli: the environments a report looks at
//! (`list environments`), and each one's snapshots in a window (`list snapshots`, then `get
//! snapshot ENV#N` for each), with the snapshot in effect when the window opens.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::ops::environments::{Environment, ListEnvironments};
use crate::ops::history::{ListSnapshots, Snappish, Snapshot, SnapshotSummary};

/// Snapshots listed per page while walking an environment's history.
const PAGE: u64 = 100;

/// The environments to read: the named ones (each must exist), else every environment of the
/// organization that takes snapshots (logical environments only group others). Sorted by name.
pub(crate) async fn environments(client: &Client, names: &[String]) -> Result<Vec<Environment>> {
    let all = client
        .list_environments(&ListEnvironments::new())
        .await?
        .environments;
    let mut chosen: Vec<Environment> = if names.is_empty() {
        all.into_iter().filter(|e| !e.is_logical()).collect()
    } else {
        let mut out = Vec::new();
        for n in names {
            match all.iter().find(|e| &e.name == n) {
                Some(e) => out.push(e.clone()),
                None => {
                    return Err(Error::NotFound {
                        message: format!("Environment named '{n}' does not exist"),
                    })
                }
            }
        }
        out
    };
    chosen.sort_by(|a, b| a.name.cmp(&b.name));
    chosen.dedup_by(|a, b| a.name == b.name);
    Ok(chosen)
}

/// One environment's snapshots over a window, oldest first.
#[derive(Debug, Clone)]
pub(crate) struct History {
    /// The environment.
    pub environment: String,
    /// When it last reported (Unix seconds), if ever.
    pub last_reported_at: Option<f64>,
    /// The snapshots: the one in effect at the window's start (if any), then those taken in
    /// the window.
    pub snapshots: Vec<Snapshot>,
    /// Whether the first snapshot is the environment's first ever (nothing before it).
    pub starts_at_first: bool,
}

impl History {
    /// The snapshots with the one before each (`None` for the environment's first ever),
    /// for those taken at or after `since`.
    pub fn steps(&self, since: Option<f64>) -> Vec<(Option<&Snapshot>, &Snapshot)> {
        let mut out = Vec::new();
        for (i, s) in self.snapshots.iter().enumerate() {
            if since.is_some_and(|t| s.timestamp < t) {
                continue;
            }
            if i == 0 {
                // Nothing before it was read: it is the environment's first snapshot, or one
                // whose predecessor is unknown here (so no step is made up for it).
                if self.starts_at_first {
                    out.push((None, s));
                }
                continue;
            }
            out.push((Some(&self.snapshots[i - 1]), s));
        }
        out
    }
}

/// Reads `environment`'s snapshots between `since` and `until` (Unix seconds; `None`: no
/// bound), with the one in effect at `since`.
pub(crate) async fn history(
    client: &Client,
    env: &Environment,
    since: Option<f64>,
    until: Option<f64>,
) -> Result<History> {
    let mut wanted: Vec<SnapshotSummary> = Vec::new();
    // Newest first, page by page, until the snapshot in effect at `since` (the window's
    // baseline: taken before it, still describing what ran when it opened).
    let mut page = 1;
    'pages: loop {
        let list = ListSnapshots::new(&env.name).page(page).per_page(PAGE);
        let summaries = client.list_snapshots(&list).await?;
        let full = summaries.len() as u64 >= PAGE;
        for s in summaries {
            if until.is_some_and(|u| s.from >= u) {
                continue;
            }
            let baseline = since.is_some_and(|t| s.from < t);
            wanted.push(s);
            if baseline {
                break 'pages;
            }
        }
        if !full {
            break;
        }
        page += 1;
    }
    wanted.sort_by_key(|s| s.index);
    let starts_at_first = wanted.first().is_some_and(|s| s.index <= 1);
    let mut snapshots = Vec::with_capacity(wanted.len());
    for s in &wanted {
        snapshots.push(
            client
                .get_snapshot(&Snappish::index(&env.name, s.index))
                .await?,
        );
    }
    Ok(History {
        environment: env.name.clone(),
        last_reported_at: env.last_reported_at,
        snapshots,
        starts_at_first,
    })
}

/// The latest snapshot of an environment, or `None` when it never reported one.
pub(crate) async fn latest(client: &Client, env: &Environment) -> Result<Option<Snapshot>> {
    match client.get_snapshot(&Snappish::latest(&env.name)).await {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == crate::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}
