//! Reading commit info with `GitRepo` and the typed errors of git failures: shallow clones,
//! missing revisions, empty and non-repositories, each saying what to do.

mod provenance_support;

use std::cell::RefCell;

use kosli_core::provenance::{
    EnvFn, GitError, GitRepo, ProvenanceInput, Redact, Redactions, REDACTED,
};
use kosli_core::{Error, ErrorKind};

use provenance_support::{Repos, HEAD_SHA, PREV_SHA};

const NO_ENV: [(&str, &str); 0] = [];

#[test]
fn commit_info_of_the_captures_repository() {
    let repos = Repos::new();
    let repo = GitRepo::open(repos.get("main")).unwrap();
    assert!(!repo.is_shallow());
    assert_eq!(repo.branch().unwrap(), "main");
    assert_eq!(
        repo.origin_remote().as_deref(),
        Some("git@github.com:acme/app.git")
    );
    assert_eq!(repo.repo_url().unwrap(), "https://github.com/acme/app");
    let info = repo.commit_info("HEAD~1", &Redactions::none()).unwrap();
    assert_eq!(info.sha1, PREV_SHA);
    assert_eq!(info.message, "first commit");
    assert_eq!(info.author, "Alice Dev <alice@example.com>");
    assert_eq!(info.timestamp, 1717236000);
    assert_eq!(
        info.branch, "main",
        "the checked-out branch, not the commit's"
    );
    assert_eq!(
        info.url.as_deref(),
        Some(format!("https://github.com/acme/app/commit/{PREV_SHA}").as_str())
    );
}

#[test]
fn detached_head_has_an_empty_branch() {
    let repos = Repos::new();
    let repo = GitRepo::open(repos.get("detached")).unwrap();
    assert_eq!(repo.branch().unwrap(), "");
    let info = repo.commit_info("HEAD", &Redactions::none()).unwrap();
    assert_eq!((info.sha1.as_str(), info.branch.as_str()), (PREV_SHA, ""));
}

#[test]
fn no_origin_means_no_commit_url_and_a_repo_url_warning() {
    let repos = Repos::new();
    let repo = GitRepo::open(repos.get("no_origin")).unwrap();
    let info = repo.commit_info("HEAD", &Redactions::none()).unwrap();
    assert_eq!(info.url, None);
    let prov = ProvenanceInput::new()
        .repo_root(repos.get("no_origin"))
        .build_url("b")
        .commit_url("c")
        .resolve_artifact(&NO_ENV)
        .unwrap();
    assert_eq!(prov.repo_url, "");
    assert_eq!(
        prov.warnings.last().unwrap(),
        &format!(
            "Repo URL will not be reported, remote('origin') is not found in git repository: {}",
            repos.get("no_origin").display()
        )
    );
}

#[test]
fn redaction_replaces_author_message_and_branch() {
    let repos = Repos::new();
    let repo = GitRepo::open(repos.get("main")).unwrap();
    let info = repo.commit_info("HEAD", &Redactions::all()).unwrap();
    assert_eq!(
        (
            info.author.as_str(),
            info.message.as_str(),
            info.branch.as_str()
        ),
        (REDACTED, REDACTED, REDACTED)
    );
    assert_eq!(info.sha1, HEAD_SHA);
    let info = repo
        .commit_info("HEAD", &Redactions::none().with(Redact::Message))
        .unwrap();
    assert_eq!(info.message, REDACTED);
    assert_eq!(info.author, "Alice Dev <alice@example.com>");
}

#[test]
fn annotated_tags_peel_to_their_commit() {
    let repos = Repos::new();
    let repo = GitRepo::open(repos.get("tags")).unwrap();
    for rev in [
        "v1",
        "light",
        "feature",
        "origin/main",
        "refs/tags/v1",
        "v1^{}",
        "8d575ff",
    ] {
        assert_eq!(repo.resolve(rev).unwrap(), PREV_SHA, "{rev}");
    }
    let e = repo.resolve("HEAD^{tree}").unwrap_err();
    assert!(matches!(e, GitError::InvalidRevision { .. }), "{e:?}");
}

#[test]
fn shallow_clone_errors_say_to_fetch_more_history() {
    let repos = Repos::new();
    let repo = GitRepo::open(repos.get("shallow")).unwrap();
    assert!(repo.is_shallow());
    assert_eq!(repo.resolve("HEAD").unwrap(), HEAD_SHA);

    let e = repo.commit_info("HEAD~1", &Redactions::none()).unwrap_err();
    assert!(
        matches!(&e, GitError::AncestorNotFound { shallow: true, rev, .. } if rev == "HEAD~1"),
        "{e:?}"
    );
    assert!(e.is_shallow());
    let text = e.to_string();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("failed to resolve git reference HEAD~1: object not found")
    );
    let hint = lines.next().unwrap();
    assert!(
        hint.contains("shallow clone") && hint.contains("git fetch --unshallow"),
        "{hint}"
    );

    let e = repo.resolve(PREV_SHA).unwrap_err();
    assert!(
        matches!(e, GitError::RevisionNotFound { shallow: true, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("fetch-depth: 0"));
}

#[test]
fn shallow_clone_error_through_the_resolvers() {
    let repos = Repos::new();
    let shallow = repos.get("shallow");
    let e = ProvenanceInput::new()
        .repo_root(&shallow)
        .commit("HEAD~1")
        .build_url("b")
        .commit_url("c")
        .resolve_artifact(&NO_ENV)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(matches!(&e, Error::InvalidInput { what, .. } if what == "--commit"));
    assert!(e.to_string().contains("git fetch --unshallow"));

    let e = ProvenanceInput::new()
        .repo_root(&shallow)
        .commit("HEAD~1")
        .resolve_trail(&NO_ENV)
        .unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with(
        "failed to get commit info for --commit HEAD~1: failed to resolve git reference HEAD~1: object not found. \
         Point --repo-root at a repository containing it\n"
    ));
    assert!(text.contains("shallow clone"), "{text}");
}

#[test]
fn missing_revision_is_typed_and_says_what_to_check() {
    let repos = Repos::new();
    let repo = GitRepo::open(repos.get("main")).unwrap();
    for rev in [
        "deadbeef",
        "1111111111111111111111111111111111111111",
        "nope-branch",
        "refs/heads/nope",
    ] {
        let e = repo.resolve(rev).unwrap_err();
        assert!(
            matches!(&e, GitError::RevisionNotFound { shallow: false, .. }),
            "{rev}: {e:?}"
        );
        assert_eq!(
            e.cli_message(),
            format!("failed to resolve git reference {rev}: reference not found")
        );
        assert!(e
            .hint()
            .unwrap()
            .contains("check the revision, or fetch it first"));
        assert_eq!(e.flag(), "--commit");
    }
    let e = repo.resolve("HEAD~5").unwrap_err();
    assert!(
        matches!(e, GitError::AncestorNotFound { shallow: false, .. }),
        "{e:?}"
    );
    assert_eq!(
        e.cli_message(),
        "failed to resolve git reference HEAD~5: EOF"
    );
}

#[test]
fn empty_and_missing_repositories() {
    let repos = Repos::new();
    let e = GitRepo::open(repos.get("empty"))
        .unwrap()
        .commit_info(HEAD_SHA, &Redactions::none())
        .unwrap_err();
    assert!(matches!(e, GitError::UnbornHead { .. }), "{e:?}");
    assert!(e.to_string().contains("has no commits yet"));

    let e = GitRepo::open(repos.get("not_git")).unwrap_err();
    assert!(matches!(e, GitError::NotARepository { .. }), "{e:?}");
    assert_eq!(e.flag(), "--repo-root");
    // No search upwards: a folder inside a work tree is not a repository, as for the CLI.
    let e = GitRepo::open(repos.get("main").join("sub")).unwrap_err();
    assert!(matches!(e, GitError::NotARepository { .. }), "{e:?}");
}

#[test]
fn relative_repo_root_is_taken_from_working_dir_and_shown_as_given() {
    let repos = Repos::new();
    let input = ProvenanceInput::new()
        .working_dir(repos.base())
        .repo_root("main")
        .build_url("b")
        .commit_url("c");
    assert_eq!(
        input.resolve_artifact(&NO_ENV).unwrap().git_commit,
        HEAD_SHA
    );
    let e = ProvenanceInput::new()
        .working_dir(repos.base())
        .repo_root("nope")
        .build_url("b")
        .commit_url("c")
        .resolve_artifact(&NO_ENV)
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("failed to open git repository at nope: repository does not exist\n"),
        "{e}"
    );
}

#[test]
fn ci_variables_come_only_from_the_injected_environment() {
    let repos = Repos::new();
    let asked = RefCell::new(Vec::new());
    let env = EnvFn(|name: &str| {
        asked.borrow_mut().push(name.to_string());
        match name {
            "GITLAB_CI" => Some("true".into()),
            "CI_COMMIT_SHA" => Some(PREV_SHA.into()),
            "CI_JOB_URL" => Some("https://gitlab.example.com/jobs/1".into()),
            _ => None,
        }
    });
    let prov = ProvenanceInput::new()
        .working_dir(repos.get("main"))
        .resolve_trail(&env)
        .unwrap();
    assert_eq!(prov.git_commit_info.unwrap().sha1, PREV_SHA);
    assert_eq!(
        prov.origin_url.as_deref(),
        Some("https://gitlab.example.com/jobs/1")
    );
    let asked = asked.borrow();
    assert!(
        asked.iter().any(|n| n == "BITBUCKET_BUILD_NUMBER")
            && asked.iter().any(|n| n == "KOSLI_TESTS")
    );
}
