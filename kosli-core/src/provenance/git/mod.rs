//! Reading commit info from a local git repository (feature `git`).
//!
//! What is read, as the CLI v2.43.1 reads it (wire.md §3): the commit a revision names (a full
//! or short sha, `HEAD`, a branch or tag, `main~1`, `v1^{}` ...; annotated tags peel to their
//! commit), its whole trimmed message, `Name <email>` of its author, the author time in epoch
//! seconds, the branch checked out in the repository (`""` when HEAD is detached), and the
//! `origin` remote's URL. The repository is opened exactly at `--repo-root` (no search upwards:
//! a sub-directory of a work tree is not a repository, as for the CLI). Global and system git
//! configuration and `GIT_*` variables are ignored (gix's isolated mode), so the result does
//! not depend on the machine, like the CLI's go-git.
//!
//! # Why gix, with these features
//! * It is pure Rust and maintained (gitoxide), so the SDK builds on every platform and in the
//!   C and Python bindings without a C toolchain or libgit2/OpenSSL, and the rest of the SDK
//!   already uses rustls rather than OpenSSL. `git2` would add libgit2 (C, optionally OpenSSL and
//!   libssh2) for the same few reads; shelling out to `git` would need git installed wherever the
//!   SDK runs and make errors depend on its version and locale.
//! * Only `sha1` (the hash) and `revision` (rev-parse: `HEAD~1`, short shas, tags) are enabled;
//!   gix's default features add network clients, worktree status, diffs, blame, archives and
//!   parallel pack decoding that reading one commit does not need. Measured on this project's
//!   2-core machine (clean `cargo build -j2` of gix 0.87.1 alone, two runs while other builds
//!   shared the machine, load 3-5 then 7-9): default features 116 s / 216 s and 206 crates;
//!   `sha1` alone 77 s / 120 s and 134 crates; `sha1` + `revision` 86 s / 140 s and 141 crates,
//!   so about 65% of the default build. The extra 10-15% for `revision` buys git's exact
//!   rev-parse; a hand-written subset would drift from git's rules.
//! * It sits behind the `git` cargo feature of `kosli-core`, so a user who only fingerprints
//!   or sends explicit commit info compiles none of it.
//! * 0.87 is the newest gix whose rust-version fits the workspace's (1.85).
//!
//! # Where it differs from the CLI
//! Only for unusual revisions, where go-git (the CLI's library) does not follow git: go-git
//! accepts 3-hex-digit prefixes and ignores `^{tree}`, `:path` and `@{n}` suffixes; here they
//! mean what they mean to git (a `^{tree}` is not a commit, so it is an error).

mod error;
mod repo;

pub use error::GitError;
pub use repo::GitRepo;
