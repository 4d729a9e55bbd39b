//! The environment-policy operations, identical on the wire to the CLI (wire-2.md §4):
//! create (multipart `payload` + `policy_file`), attach and detach (one request per
//! environment, in order), get and list.
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::policy::ops::CreatePolicy;
//! client.create_policy(&CreatePolicy::from_file("prod-policy", "prod-policy.yml").description("prod policy")).await?;
//! client.attach_policy("prod-policy", &["prod-k8s", "prod-docker"]).await?;
//! let policy = client.get_policy("prod-policy").await?;
//! assert_eq!(policy.versions.len(), 1);
//! # Ok(())
//! # }
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::client::{Client, Outcome, Part, Request, Response};
use crate::error::{Error, Result};
use crate::operations;

/// The only policy type the CLI offers.
pub const ENV_TYPE: &str = "env";

/// What a policy is created from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Content {
    File(PathBuf),
    Text { filename: String, text: String },
}

/// `kosli create policy NAME FILE`: creates a policy, or adds a version to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatePolicy {
    name: String,
    description: String,
    comment: String,
    policy_type: String,
    content: Content,
}

/// The `payload` part, in the CLI's field order (every field always sent).
#[derive(Serialize)]
struct Payload<'a> {
    name: &'a str,
    description: &'a str,
    comment: &'a str,
    #[serde(rename = "type")]
    policy_type: &'a str,
}

impl CreatePolicy {
    /// A policy named `name` from the YAML file at `path` (read when the request is built; the
    /// server sees the file's base name).
    pub fn from_file(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self::with(name, Content::File(path.into()))
    }

    /// A policy named `name` from YAML text, sent as a file called `filename`.
    pub fn from_text(
        name: impl Into<String>,
        filename: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Self::with(
            name,
            Content::Text {
                filename: filename.into(),
                text: text.into(),
            },
        )
    }

    fn with(name: impl Into<String>, content: Content) -> Self {
        CreatePolicy {
            name: name.into(),
            description: String::new(),
            comment: String::new(),
            policy_type: ENV_TYPE.to_string(),
            content,
        }
    }

    /// The description (`""` when not given).
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// A comment about this version (`""` when not given).
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = text.into();
        self
    }

    /// The policy type (default `env`; the CLI sends any text and the server judges it).
    pub fn policy_type(mut self, t: impl Into<String>) -> Self {
        self.policy_type = t.into();
        self
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file it is read from, if it is.
    pub fn path(&self) -> Option<&Path> {
        match &self.content {
            Content::File(p) => Some(p),
            Content::Text { .. } => None,
        }
    }

    /// The request the CLI would send. The file is read here: a missing one is an `Io`
    /// error (`open <path>: no such file or directory`) and nothing is sent.
    pub fn request(&self) -> Result<Request> {
        if self.name.is_empty() {
            return Err(Error::invalid_input(
                "policy name",
                "the policy name must not be empty",
            ));
        }
        let (filename, data) = match &self.content {
            Content::File(path) => {
                let data = std::fs::read(path).map_err(|e| Error::io("open", path, e))?;
                let base = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (base, data)
            }
            Content::Text { filename, text } => (filename.clone(), text.clone().into_bytes()),
        };
        let payload = Part::json(
            "payload",
            &Payload {
                name: &self.name,
                description: &self.description,
                comment: &self.comment,
                policy_type: &self.policy_type,
            },
        )?;
        Ok(Request::new(&operations::CREATE_POLICY)
            .multipart(vec![payload, Part::file("policy_file", filename, data)]))
    }
}

/// The body of attach and detach.
#[derive(Serialize)]
struct PolicyNames<'a> {
    policy_names: [&'a str; 1],
}

/// `kosli attach-policy`'s request for one environment.
pub fn attach_policy_request(policy: &str, environment: &str) -> Result<Request> {
    Request::new(&operations::ATTACH_POLICY)
        .param("env", environment)
        .json(&PolicyNames {
            policy_names: [policy],
        })
}

/// `kosli detach-policy`'s request for one environment (a `DELETE` with a JSON body).
pub fn detach_policy_request(policy: &str, environment: &str) -> Result<Request> {
    Request::new(&operations::DETACH_POLICY)
        .param("env", environment)
        .json(&PolicyNames {
            policy_names: [policy],
        })
}

/// `kosli get policy`'s request.
pub fn get_policy_request(name: &str) -> Request {
    Request::new(&operations::GET_POLICY).param("policy", name)
}

/// `kosli list policies`' request.
pub fn list_policies_request() -> Request {
    Request::new(&operations::LIST_POLICIES)
}

/// One version of a policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PolicyVersion {
    /// Its number (from 1).
    #[serde(default)]
    pub version: Option<u64>,
    /// The YAML of this version.
    #[serde(default)]
    pub policy_yaml: String,
    /// The comment given with it.
    #[serde(default)]
    pub comment: Option<String>,
    /// When it was created (Unix seconds).
    #[serde(default)]
    pub created_at: Option<f64>,
    /// Who created it.
    #[serde(default)]
    pub created_by: Option<String>,
}

/// A policy as `get policy` and `list policies` return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Policy {
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// When it was created (Unix seconds).
    #[serde(default)]
    pub created_at: Option<f64>,
    /// The environments it is attached to.
    #[serde(default)]
    pub consuming_envs: Vec<String>,
    /// Its versions, oldest first.
    #[serde(default)]
    pub versions: Vec<PolicyVersion>,
}

impl Policy {
    /// The YAML of the latest version, if there is one.
    pub fn latest_yaml(&self) -> Option<&str> {
        self.versions.last().map(|v| v.policy_yaml.as_str())
    }

    /// Reads `list policies`' answer (an array).
    pub fn list_from_response(response: &Response) -> Result<Vec<Policy>> {
        response.json()
    }
}

impl Client {
    /// Creates a policy, or a new version of it (`kosli create policy`): the response's 201
    /// means created, 200 updated. In dry-run the outcome holds the request.
    pub async fn create_policy(&self, policy: &CreatePolicy) -> Result<Outcome> {
        self.write(&policy.request()?).await
    }

    /// Attaches `policy` to each environment in turn (`kosli attach-policy`), stopping at the
    /// first failure, which is returned naming its environment (the CLI loses that error:
    /// the example reproduces its output, the SDK does not hide it).
    pub async fn attach_policy<S: AsRef<str>>(
        &self,
        policy: &str,
        environments: &[S],
    ) -> Result<Vec<Outcome>> {
        self.per_environment(policy, environments, attach_policy_request)
            .await
    }

    /// Detaches `policy` from each environment in turn (`kosli detach-policy`), as
    /// [`Client::attach_policy`].
    pub async fn detach_policy<S: AsRef<str>>(
        &self,
        policy: &str,
        environments: &[S],
    ) -> Result<Vec<Outcome>> {
        self.per_environment(policy, environments, detach_policy_request)
            .await
    }

    async fn per_environment<S: AsRef<str>>(
        &self,
        policy: &str,
        environments: &[S],
        request: fn(&str, &str) -> Result<Request>,
    ) -> Result<Vec<Outcome>> {
        if environments.is_empty() {
            return Err(Error::invalid_input(
                "environment",
                "at least one environment is needed",
            ));
        }
        let mut outcomes = Vec::with_capacity(environments.len());
        for env in environments {
            let env = env.as_ref();
            match self.write(&request(policy, env)?).await {
                Ok(o) => outcomes.push(o),
                Err(e) => {
                    let message = format!("environment {env}: {e}");
                    return Err(crate::ops::environments::with_message(e, message));
                }
            }
        }
        Ok(outcomes)
    }

    /// One policy (`kosli get policy`); an unknown one is a `NotFound` error.
    pub async fn get_policy(&self, name: &str) -> Result<Policy> {
        self.read(&get_policy_request(name)).await?.json()
    }

    /// Every policy of the organization (`kosli list policies`).
    pub async fn list_policies(&self) -> Result<Vec<Policy>> {
        Policy::list_from_response(&self.read(&list_policies_request()).await?)
    }
}

impl crate::blocking::Client {
    /// See [`Client::create_policy`].
    pub fn create_policy(&self, policy: &CreatePolicy) -> Result<Outcome> {
        self.run(|c| async move { c.create_policy(policy).await })
    }

    /// See [`Client::attach_policy`].
    pub fn attach_policy<S: AsRef<str> + Sync>(
        &self,
        policy: &str,
        environments: &[S],
    ) -> Result<Vec<Outcome>> {
        self.run(|c| async move { c.attach_policy(policy, environments).await })
    }

    /// See [`Client::detach_policy`].
    pub fn detach_policy<S: AsRef<str> + Sync>(
        &self,
        policy: &str,
        environments: &[S],
    ) -> Result<Vec<Outcome>> {
        self.run(|c| async move { c.detach_policy(policy, environments).await })
    }

    /// See [`Client::get_policy`].
    pub fn get_policy(&self, name: &str) -> Result<Policy> {
        self.run(|c| async move { c.get_policy(name).await })
    }

    /// See [`Client::list_policies`].
    pub fn list_policies(&self) -> Result<Vec<Policy>> {
        self.run(|c| async move { c.list_policies().await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Body;

    #[test]
    fn create_is_the_clis_multipart() {
        // contract/captures-2/create_policy.
        let yaml = "_schema: https://kosli.com/schemas/policy/environment/v1\n\nartifacts:\n  provenance:\n    required: true\n\n  trail-compliance:\n    required: true";
        let r = CreatePolicy::from_text("prod-policy", "test-policy.yml", yaml)
            .description("prod policy")
            .comment("first version")
            .request()
            .unwrap();
        assert_eq!(r.render_path(Some("acme")).unwrap(), "api/v2/policies/acme");
        let Body::Multipart(parts) = r.body() else {
            panic!("not multipart")
        };
        assert_eq!(parts[0].name(), "payload");
        assert_eq!(parts[0].content_type(), None);
        assert_eq!(
            &parts[0].data()[..],
            br#"{"name":"prod-policy","description":"prod policy","comment":"first version","type":"env"}"#
        );
        assert_eq!(
            (
                parts[1].name(),
                parts[1].filename(),
                parts[1].content_type()
            ),
            (
                "policy_file",
                Some("test-policy.yml"),
                Some("application/octet-stream")
            )
        );
        assert_eq!(&parts[1].data()[..], yaml.as_bytes());
    }

    #[test]
    fn a_missing_file_is_an_io_error_and_defaults_are_empty() {
        let e = CreatePolicy::from_file("p", "/nonexistent/nope.yml")
            .request()
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Io);
        assert_eq!(
            e.to_string(),
            "open /nonexistent/nope.yml: no such file or directory"
        );
        let r = CreatePolicy::from_text("p", "f.yml", "x")
            .policy_type("trail")
            .request()
            .unwrap();
        let Body::Multipart(parts) = r.body() else {
            panic!("not multipart")
        };
        assert_eq!(
            &parts[0].data()[..],
            br#"{"name":"p","description":"","comment":"","type":"trail"}"#
        );
        assert!(CreatePolicy::from_text("", "f", "x").request().is_err());
    }

    #[test]
    fn attach_and_detach_bodies() {
        let r = attach_policy_request("prod-policy", "prod-k8s").unwrap();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/environments/acme/prod-k8s/policies"
        );
        assert_eq!(
            r.body(),
            &Body::Json(bytes::Bytes::from_static(
                br#"{"policy_names":["prod-policy"]}"#
            ))
        );
        let r = detach_policy_request("prod-policy", "prod-k8s").unwrap();
        assert_eq!(r.method(), crate::dryrun::Method::Delete);
    }

    #[test]
    fn policies_read_with_and_without_versions() {
        let r = Response::new(
            "h".into(),
            200,
            bytes::Bytes::from_static(
                br#"[{"name":"p","description":"d","created_at":1718000000.0,"consuming_envs":["a"],"versions":[{"version":1,"policy_yaml":"x"},{"version":2,"policy_yaml":"y","comment":"c"}]},{"name":"q"}]"#,
            ),
        );
        let list = Policy::list_from_response(&r).unwrap();
        assert_eq!(list[0].latest_yaml(), Some("y"));
        assert_eq!(list[0].consuming_envs, ["a"]);
        assert_eq!(list[1].latest_yaml(), None);
    }
}
