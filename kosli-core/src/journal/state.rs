//! The journal as read from its log: the records not done yet and what each host made of them.
//! Every process builds the same state by reading the same lines in the same order.

use std::collections::BTreeMap;

use super::entry::{Line, RecordLine};
use super::order::{is_snapshot, Scope};

/// What a host made of a record, as far as the log says.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostMark {
    /// A final answer: delivered, rejected (the caller was told), or superseded.
    pub(crate) done: Option<Done>,
    /// A live write gave up for now: it waits for a flush.
    pub(crate) queued: bool,
    /// Failed deliveries so far.
    pub(crate) failures: u32,
    /// The last failure's message.
    pub(crate) last_error: Option<String>,
}

/// Why a record needs nothing more on a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Done {
    Delivered,
    Rejected,
    Superseded,
}

/// A record that is not done, with the lines about it (for compaction).
#[derive(Debug, Clone)]
pub(crate) struct Rec {
    pub(crate) line: RecordLine,
    pub(crate) raw: Vec<String>,
    pub(crate) scope: Scope,
    pub(crate) snapshot: bool,
    pub(crate) org: Option<String>,
    pub(crate) hosts: Option<Vec<String>>,
    pub(crate) marks: BTreeMap<String, HostMark>,
    pub(crate) discarded: bool,
}

impl Rec {
    fn new(line: RecordLine, raw: String) -> Rec {
        let org = line
            .params
            .iter()
            .find(|(n, _)| n == "org")
            .map(|(_, v)| v.clone());
        Rec {
            scope: Scope::from_params(&line.params, None),
            snapshot: is_snapshot(&line.method, &line.path),
            hosts: line.hosts.clone(),
            org,
            line,
            raw: vec![raw],
            marks: BTreeMap::new(),
            discarded: false,
        }
    }

    /// Whether nothing more is to be done with it.
    pub(crate) fn is_done(&self) -> bool {
        self.discarded
            || self.hosts.as_ref().is_some_and(|hosts| {
                hosts
                    .iter()
                    .all(|h| self.marks.get(h).is_some_and(|m| m.done.is_some()))
            })
    }

    /// Whether it still has to reach `host` (an unbound record goes to any host).
    pub(crate) fn pending_for(&self, host: &str) -> bool {
        if self.discarded {
            return false;
        }
        match &self.hosts {
            None => self.marks.get(host).is_none_or(|m| m.done.is_none()),
            Some(hosts) => {
                hosts.iter().any(|h| h == host)
                    && self.marks.get(host).is_none_or(|m| m.done.is_none())
            }
        }
    }

    /// Whether a live write may still be sending it to `host` (it has an owner that has not
    /// queued it there); the caller checks that the owner is alive.
    pub(crate) fn maybe_in_flight(&self, host: &str) -> bool {
        self.line.owner.is_some() && !self.marks.get(host).is_some_and(|m| m.queued)
    }

    /// The hosts it is still pending on (all of them for an unbound record: `None`).
    pub(crate) fn pending_hosts(&self) -> Option<Vec<String>> {
        self.hosts.as_ref().map(|hosts| {
            hosts
                .iter()
                .filter(|h| self.pending_for(h))
                .cloned()
                .collect()
        })
    }
}

/// The state of the journal after the lines read so far.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// The log's generation (changes when a compaction replaces it).
    pub(crate) generation: Option<String>,
    /// How many bytes of the log were read.
    pub(crate) offset: u64,
    /// The next record number.
    pub(crate) next_seq: u64,
    /// The records not done yet, by number.
    pub(crate) records: BTreeMap<u64, Rec>,
    /// Complete lines that could not be read (never acknowledged ones, or damage).
    pub(crate) corrupt_lines: u64,
    /// Lines about records that are done: what a compaction would drop.
    pub(crate) dead_lines: u64,
}

impl State {
    /// Reads the complete lines at the start of `bytes` (the log from `self.offset`); returns
    /// how many bytes that was. An unfinished last line is left for later.
    pub(crate) fn apply(&mut self, bytes: &[u8]) -> usize {
        let mut pos = 0;
        while let Some(n) = memchr::memchr(b'\n', &bytes[pos..]) {
            let line = &bytes[pos..pos + n];
            let first = self.offset == 0 && pos == 0;
            self.apply_line(line, first);
            pos += n + 1;
        }
        self.offset += pos as u64;
        pos
    }

    fn apply_line(&mut self, bytes: &[u8], first: bool) {
        let line: Line = match serde_json::from_slice(bytes) {
            Ok(l) => l,
            Err(e) => {
                if !bytes.iter().all(u8::is_ascii_whitespace) {
                    self.corrupt_lines += 1;
                    tracing::warn!("journal: skipping an unreadable line: {e}");
                }
                return;
            }
        };
        let raw = String::from_utf8_lossy(bytes).into_owned();
        match line {
            Line::Journal {
                generation,
                next_seq,
                ..
            } => {
                if first {
                    self.generation = Some(generation);
                }
                self.next_seq = self.next_seq.max(next_seq);
            }
            Line::Record(r) => {
                self.next_seq = self.next_seq.max(r.seq + 1);
                if self.records.contains_key(&r.seq) {
                    self.corrupt_lines += 1;
                    tracing::warn!("journal: record {} appears twice; keeping the first", r.seq);
                    return;
                }
                self.records.insert(r.seq, Rec::new(r, raw));
            }
            mark => self.apply_mark(mark, raw),
        }
    }

    fn apply_mark(&mut self, mark: Line, raw: String) {
        let Some(seq) = mark.seq() else { return };
        let Some(rec) = self.records.get_mut(&seq) else {
            self.dead_lines += 1;
            return;
        };
        rec.raw.push(raw);
        match mark {
            Line::Bind { hosts, org, .. } => {
                if rec.hosts.is_none() {
                    rec.hosts = Some(hosts);
                }
                if rec.org.is_none() {
                    rec.org = org;
                }
            }
            Line::Queued { host, error, .. } => {
                let m = rec.marks.entry(host).or_default();
                m.queued = true;
                if error.is_some() {
                    m.failures += 1;
                    m.last_error = error;
                }
            }
            Line::Delivered { host, .. } => {
                rec.marks.entry(host).or_default().done = Some(Done::Delivered);
            }
            Line::Rejected { host, error, .. } => {
                let m = rec.marks.entry(host).or_default();
                m.done = Some(Done::Rejected);
                m.last_error = Some(error);
            }
            Line::Superseded { host, .. } => {
                rec.marks.entry(host).or_default().done = Some(Done::Superseded);
            }
            Line::Failed { host, error, .. } => {
                let m = rec.marks.entry(host).or_default();
                m.failures += 1;
                m.last_error = Some(error);
            }
            Line::Discarded { .. } => rec.discarded = true,
            Line::Journal { .. } | Line::Record(_) => {}
        }
        if rec.is_done() {
            if let Some(done) = self.records.remove(&seq) {
                self.dead_lines += done.raw.len() as u64;
            }
        }
    }

    /// The lines a compacted log holds: a header with a new generation, then every record not
    /// done with its marks.
    pub(crate) fn compacted(&self, generation: &str) -> Result<String, serde_json::Error> {
        let mut out = Line::Journal {
            version: super::entry::FORMAT_VERSION,
            generation: generation.to_string(),
            next_seq: self.next_seq.max(1),
        }
        .encode()?;
        for rec in self.records.values() {
            for line in &rec.raw {
                out.push_str(line);
                out.push('\n');
            }
        }
        Ok(out)
    }

    /// Lines about records still open.
    pub(crate) fn live_lines(&self) -> u64 {
        self.records.values().map(|r| r.raw.len() as u64).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::entry::BodyLine;

    fn record(seq: u64, hosts: Option<Vec<&str>>) -> Line {
        Line::Record(RecordLine {
            seq,
            at_ms: 0,
            owner: None,
            queued: true,
            op: "create_env".into(),
            method: "PUT".into(),
            path: "/api/v2/environments/{org}/{env}/report/server".into(),
            params: vec![("env".into(), "prod".into())],
            query: vec![],
            body: BodyLine::Empty,
            hosts: hosts.map(|h| h.into_iter().map(str::to_string).collect()),
        })
    }

    fn text(lines: &[Line]) -> String {
        lines.iter().map(|l| l.encode().unwrap()).collect()
    }

    #[test]
    fn records_are_done_when_every_host_is() {
        let log = text(&[
            Line::Journal {
                version: 1,
                generation: "g".into(),
                next_seq: 1,
            },
            record(1, Some(vec!["a", "b"])),
            record(2, None),
            Line::Delivered {
                seq: 1,
                host: "a".into(),
                status: 201,
                at_ms: 0,
            },
        ]);
        let mut st = State::default();
        assert_eq!(st.apply(log.as_bytes()), log.len());
        assert_eq!(st.generation.as_deref(), Some("g"));
        assert_eq!(st.next_seq, 3);
        let r1 = &st.records[&1];
        assert!(r1.snapshot && !r1.pending_for("a") && r1.pending_for("b") && !r1.pending_for("c"));
        assert!(st.records[&2].pending_for("c"));
        let more = text(&[
            Line::Failed {
                seq: 1,
                host: "b".into(),
                at_ms: 0,
                kind: "Network".into(),
                error: "down".into(),
            },
            Line::Superseded {
                seq: 1,
                host: "b".into(),
                by: 2,
            },
            Line::Bind {
                seq: 2,
                hosts: vec!["a".into()],
                org: Some("acme".into()),
            },
        ]);
        st.apply(more.as_bytes());
        assert!(!st.records.contains_key(&1));
        assert_eq!(st.dead_lines, 4);
        assert_eq!(st.records[&2].org.as_deref(), Some("acme"));
        assert!(!st.records[&2].pending_for("c"));
        // A compacted log gives the same state.
        let compact = st.compacted("h").unwrap();
        let mut again = State::default();
        again.apply(compact.as_bytes());
        assert_eq!(again.generation.as_deref(), Some("h"));
        assert_eq!(again.next_seq, 3);
        assert_eq!(again.records.keys().collect::<Vec<_>>(), [&2]);
        assert_eq!(again.records[&2].hosts, Some(vec!["a".to_string()]));
    }

    #[test]
    fn an_unfinished_line_waits_and_garbage_is_counted() {
        let mut st = State::default();
        let line = record(1, None).encode().unwrap();
        let (head, tail) = line.split_at(10);
        assert_eq!(st.apply(head.as_bytes()), 0);
        assert!(st.records.is_empty());
        let joined = format!("{head}{tail}not json\n\n");
        assert_eq!(st.apply(joined.as_bytes()), joined.len());
        assert_eq!(st.records.len(), 1);
        assert_eq!(st.corrupt_lines, 1);
    }
}
