//! Azure DevOps: the organisation (collection) and the provider, read from
//! `SYSTEM_COLLECTIONURI` and `BUILD_REPOSITORY_PROVIDER`.

use crate::provenance::gourl::GoUrl;

/// What `SYSTEM_COLLECTIONURI` says about the Azure DevOps instance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Collection {
    /// The URI parsed and had a host.
    pub valid: bool,
    /// Azure DevOps Services (`dev.azure.com`, `*.visualstudio.com`) rather than a server.
    pub services: bool,
    /// The organisation or collection name; may be empty.
    pub name: String,
}

impl Collection {
    /// `https://dev.azure.com/acmeorg/` → `acmeorg` (last path segment);
    /// `https://acmeorg.visualstudio.com/` → `acmeorg` (first host label);
    /// `https://tfs.example.com/tfs/DefaultCollection/` → `DefaultCollection`, a server.
    pub fn parse(uri: &str) -> Collection {
        let Ok(url) = GoUrl::parse(uri) else {
            return Collection::default();
        };
        if url.host.is_empty() {
            return Collection::default();
        }
        let host = url.host.to_lowercase();
        if host.ends_with(".visualstudio.com") {
            let name = host.split('.').next().unwrap_or_default().to_string();
            return Collection {
                valid: true,
                services: true,
                name,
            };
        }
        let services = host == "dev.azure.com" || host.ends_with(".dev.azure.com");
        let name = url
            .path
            .trim_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        Collection {
            valid: true,
            services,
            name,
        }
    }
}

/// The Kosli provider for `BUILD_REPOSITORY_PROVIDER`; anything not hosted elsewhere counts as
/// Azure DevOps, refined by the collection URI.
pub(crate) fn provider(build_repository_provider: &str, collection: &Collection) -> &'static str {
    match build_repository_provider {
        "GitHub" | "GitHubEnterprise" => "github",
        "Bitbucket" => "bitbucket_cloud",
        "Git" => "git",
        "Svn" => "subversion",
        _ if !collection.valid => "azure-devops",
        _ if collection.services => "azure_devops_services",
        _ => "azure_devops_server",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collections_observed_from_the_cli() {
        let c = Collection::parse("https://dev.azure.com/acmeorg/");
        assert_eq!(
            (c.valid, c.services, c.name.as_str()),
            (true, true, "acmeorg")
        );
        let c = Collection::parse("https://acmeorg.visualstudio.com/");
        assert_eq!(
            (c.valid, c.services, c.name.as_str()),
            (true, true, "acmeorg")
        );
        let c = Collection::parse("https://tfs.example.com/tfs/DefaultCollection/");
        assert_eq!(
            (c.valid, c.services, c.name.as_str()),
            (true, false, "DefaultCollection")
        );
        let c = Collection::parse("https://tfs.example.com/");
        assert_eq!((c.valid, c.name.as_str()), (true, ""));
        assert!(!Collection::parse("not a url").valid);
        assert!(!Collection::parse("").valid);
    }

    #[test]
    fn providers() {
        let services = Collection::parse("https://dev.azure.com/o/");
        let server = Collection::parse("https://tfs.example.com/tfs/C/");
        let none = Collection::default();
        assert_eq!(provider("GitHubEnterprise", &services), "github");
        assert_eq!(provider("Bitbucket", &server), "bitbucket_cloud");
        assert_eq!(provider("Svn", &none), "subversion");
        assert_eq!(provider("TfsGit", &services), "azure_devops_services");
        assert_eq!(
            provider("TfsVersionControl", &server),
            "azure_devops_server"
        );
        assert_eq!(provider("", &none), "azure-devops");
    }
}
