//! The approvals of a pull request as a small typed value: what a `code-review` rule (the
//! policy module) reads, whatever the provider.

use serde::{Deserialize, Serialize};

use super::pull_request::PullRequest;

/// How many distinct people approved a pull request, and who.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Approvals {
    /// The pull request's URL (names it in a policy's reasons).
    pub url: String,
    /// The number of distinct approvers.
    pub count: u64,
    /// The approvers' names as the provider gives them, first approval first, each once.
    pub approvers: Vec<String>,
}

impl Approvals {
    /// The approvals of `pr`: approvers whose state is `APPROVED` in any case, or not given
    /// (GitLab lists only approvals), each name counted once.
    pub fn of(pr: &PullRequest) -> Approvals {
        let mut approvers: Vec<String> = Vec::new();
        for a in pr.approvers() {
            let approved = a.state.is_empty() || a.state.eq_ignore_ascii_case("approved");
            if approved && !approvers.contains(&a.username) {
                approvers.push(a.username.clone());
            }
        }
        Approvals {
            url: pr.url.clone(),
            count: approvers.len() as u64,
            approvers,
        }
    }
}

impl From<&PullRequest> for Approvals {
    fn from(pr: &PullRequest) -> Approvals {
        Approvals::of(pr)
    }
}

impl From<Approvals> for crate::policy::gate::CodeReview {
    /// What the policy module's `code-review` rule reads.
    fn from(a: Approvals) -> Self {
        crate::policy::gate::CodeReview {
            url: a.url,
            approvals: a.count,
            approvers: a.approvers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Approver;

    fn approver(name: &str, state: &str) -> Approver {
        Approver {
            username: name.into(),
            state: state.into(),
            timestamp: 0,
        }
    }

    #[test]
    fn distinct_approving_reviews_count() {
        let pr = PullRequest {
            merge_commit: String::new(),
            url: "https://github.com/acme/app/pull/7".into(),
            state: "MERGED".into(),
            approvers: Some(vec![
                approver("bob", "APPROVED"),
                approver("bob", "APPROVED"),
                approver("Carol (@carol)", ""),
                approver("dan", "approved"),
                approver("erin", "CHANGES_REQUESTED"),
            ]),
            author: String::new(),
            created_at: 0,
            merged_at: 0,
            title: String::new(),
            head_ref: String::new(),
            base_ref: String::new(),
            commits: vec![],
        };
        let a = Approvals::of(&pr);
        assert_eq!(a.count, 3);
        assert_eq!(a.approvers, ["bob", "Carol (@carol)", "dan"]);
        let review = crate::policy::gate::CodeReview::from(a.clone());
        assert_eq!((review.approvals, review.approvers.len()), (3, 3));
        assert_eq!(review.url, a.url);
        let none = PullRequest {
            approvers: None,
            ..pr
        };
        assert_eq!(Approvals::from(&none).count, 0);
    }
}
