//! Helpers of the review tests: SDK clients on a virtual clock, and the provider source a
//! recorded CLI command describes, pointed at a fake provider.
#![allow(dead_code, reason = "each test file uses a part of these helpers")]

use std::sync::Arc;

use kosli_core::client::VirtualClock;
use kosli_core::review::{PrSource, Provider};
use kosli_core::{Client, Config};
use kosli_tests::fake_providers::Scenario;

/// HEAD of the repository the pull-request scenarios were observed in.
pub const COMMIT: &str = "672bc19d53c7da939116dfc5e254cfdc62b36bcc";

/// A client for Kosli at `host` (token `secret-token-123`, org `acme`) on a virtual clock.
pub fn client(host: &str) -> (Client, VirtualClock) {
    client_with(host, 3)
}

/// A client with `retries` retries.
pub fn client_with(host: &str, retries: u32) -> (Client, VirtualClock) {
    let clock = VirtualClock::new();
    let config = Config::builder()
        .host(host)
        .api_token("secret-token-123")
        .org("acme")
        .max_api_retries(retries)
        .build()
        .unwrap();
    let client = Client::builder(config)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    (client, clock)
}

/// The provider a scenario's command names (`attest pullrequest gitlab ...`).
pub fn provider(s: &Scenario) -> Provider {
    s.args_at("").get(2).unwrap().parse().unwrap()
}

/// The source the scenario's flags describe, its base URL at `base` (Bitbucket, which has no
/// base-URL flag in the CLI, at `base/2.0`).
pub fn source(s: &Scenario, base: &str) -> PrSource {
    let flag = |n: &str| {
        s.flag(n)
            .map(|v| v.replace(kosli_tests::fake_providers::OBSERVED_BASE, base))
            .unwrap_or_default()
    };
    let repo = flag("repository");
    match provider(s) {
        Provider::Github => PrSource::github(&flag("github-org"), &repo, &flag("github-token"))
            .base_url(&flag("github-base-url")),
        Provider::Gitlab => PrSource::gitlab(&flag("gitlab-org"), &repo, &flag("gitlab-token"))
            .base_url(&flag("gitlab-base-url")),
        Provider::Bitbucket => {
            let mut src = PrSource::bitbucket(&flag("bitbucket-workspace"), &repo)
                .token(&flag("bitbucket-access-token"))
                .base_url(&format!("{base}/2.0"));
            if s.flag("bitbucket-username").is_some() {
                src = src.basic_auth(&flag("bitbucket-username"), &flag("bitbucket-password"));
            }
            src
        }
        Provider::Azure => PrSource::azure(
            &flag("azure-org-url"),
            &flag("project"),
            &repo,
            &flag("azure-token"),
        ),
    }
}

/// Whether a recorded provider request is the Azure client's resource discovery
/// (`OPTIONS {org}/_apis`, `GET {org}/_apis/ResourceAreas`), which the SDK does not need.
pub fn is_azure_discovery(method: &str, path: &str) -> bool {
    method == "OPTIONS" || path.ends_with("/_apis/ResourceAreas")
}
