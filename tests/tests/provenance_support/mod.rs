//! Git repositories for the provenance tests, built with the recipe of the contract's
//! `captures/fixtures.sh` (fixed authors and dates), so their commit SHAs are the CLI captures'.
//! `git` must be installed: the tests fail, not skip, without it.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `HEAD` of the fixture repository.
pub const HEAD_SHA: &str = "3e74850331dadafd9a390fa2be410e026122fd3c";
/// `HEAD~1` of the fixture repository.
pub const PREV_SHA: &str = "8d575ff0dabd97f377d896e6645025b44b8f2011";

/// Runs git with no global or system configuration and fixed identities; `date` pins the
/// author and committer dates.
pub fn git(dir: &Path, args: &[&str], date: Option<&str>) {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Alice Dev")
        .env("GIT_AUTHOR_EMAIL", "alice@example.com")
        .env("GIT_COMMITTER_NAME", "Alice Dev")
        .env("GIT_COMMITTER_EMAIL", "alice@example.com");
    if let Some(date) = date {
        cmd.env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date);
    }
    let out = cmd
        .output()
        .expect("git must be installed to build the provenance fixtures");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The captures' repository: two commits on `main`, `origin` set to `origin` (if any), and an
/// untracked empty `sub/` folder.
pub fn make_main(path: &Path, origin: Option<&str>) {
    std::fs::create_dir_all(path).unwrap();
    git(path, &["init", "-q", "-b", "main", "."], None);
    if let Some(origin) = origin {
        git(path, &["remote", "add", "origin", origin], None);
    }
    std::fs::write(path.join("README.md"), "v1\n").unwrap();
    git(path, &["add", "README.md"], None);
    git(
        path,
        &["commit", "-q", "-m", "first commit"],
        Some("2024-06-01T10:00:00Z"),
    );
    std::fs::write(path.join("README.md"), "v1\nv2\n").unwrap();
    git(path, &["add", "README.md"], None);
    git(
        path,
        &[
            "commit",
            "-q",
            "-m",
            "second commit: add feature",
            "-m",
            "body line",
        ],
        Some("2024-06-02T11:30:00Z"),
    );
    std::fs::create_dir_all(path.join("sub")).unwrap();
}

/// A folder of fixture repositories, built on demand by kind (the names the CLI cases use:
/// `main`, `detached`, `no_origin`, `tags`, `shallow`, `empty`, `not_git`).
pub struct Repos {
    dir: tempfile::TempDir,
}

impl Repos {
    /// An empty folder; `main` is built at once (cases point `--repo-root` at `$BASE/main`).
    pub fn new() -> Repos {
        let repos = Repos {
            dir: tempfile::tempdir().unwrap(),
        };
        repos.get("main");
        repos
    }

    /// The folder (`$BASE` in the cases).
    pub fn base(&self) -> &Path {
        self.dir.path()
    }

    /// The repository of `kind`, built the first time it is asked for.
    pub fn get(&self, kind: &str) -> PathBuf {
        let path = self.base().join(kind);
        if path.exists() {
            return path;
        }
        match kind {
            "main" => make_main(&path, Some("git@github.com:acme/app.git")),
            "detached" => {
                make_main(&path, Some("git@github.com:acme/app.git"));
                git(&path, &["checkout", "-q", "--detach", "HEAD~1"], None);
            }
            "no_origin" => make_main(&path, None),
            "tags" => {
                make_main(&path, Some("git@github.com:acme/app.git"));
                git(
                    &path,
                    &["tag", "-a", "v1", "-m", "release v1", "HEAD~1"],
                    Some("2024-06-03T09:00:00Z"),
                );
                git(&path, &["tag", "light", "HEAD~1"], None);
                git(&path, &["branch", "feature", "HEAD~1"], None);
                git(
                    &path,
                    &["update-ref", "refs/remotes/origin/main", "HEAD~1"],
                    None,
                );
            }
            "shallow" => {
                let src = self.get("main");
                let url = format!("file://{}", src.display());
                git(
                    self.base(),
                    &["clone", "-q", "--depth", "1", &url, "shallow"],
                    None,
                );
                git(
                    &path,
                    &["remote", "set-url", "origin", "git@github.com:acme/app.git"],
                    None,
                );
            }
            "empty" => {
                std::fs::create_dir_all(&path).unwrap();
                git(&path, &["init", "-q", "-b", "main", "."], None);
            }
            "not_git" => std::fs::create_dir_all(&path).unwrap(),
            other => panic!("unknown fixture repository kind {other}"),
        }
        path
    }

    /// A fresh copy of `main` whose `origin` is `remote`, under `name`.
    pub fn with_origin(&self, name: &str, remote: &str) -> PathBuf {
        let path = self.base().join(name);
        make_main(&path, Some(remote));
        path
    }
}

/// Where the committed provenance fixtures live.
pub fn fixtures() -> PathBuf {
    kosli_tests::fixtures_dir().join("provenance")
}
