//! Environment policies (`kosli create policy`, `attach-policy`, `detach-policy`, `get
//! policy`, `list policies`) over `kosli_core::policy::ops`, an attestation's details by id,
//! and Rego policies evaluated against what Kosli holds (`kosli evaluate trail|trails`,
//! `kosli_core::policy::trail_input`).

use std::path::PathBuf;

use kosli_core::policy::ops::CreatePolicy;
use kosli_core::policy::trail_input::{get_attestation_request, AttestationFilter};
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde_json::Value;

use crate::client::PyClient;
use crate::convert::{invalid, json_to_py};
use crate::outcome::PyOutcome;
use crate::policy::{decision_record, input_arg, DecisionArgs, PolicySource};
use crate::records::{from_serde, list_from_serde};

/// Outcomes, one per environment.
fn outcomes(list: &[kosli_core::Outcome]) -> Vec<PyOutcome> {
    list.iter().map(PyOutcome::from).collect()
}

#[pymethods]
impl PyClient {
    /// `kosli create policy`: creates the environment policy `name` (or a new version of it)
    /// from a YAML file (`policy_file`) or YAML text (`policy_yaml`, sent as `filename`,
    /// default `policy.yml`).
    #[pyo3(signature = (name, *, policy_file = None, policy_yaml = None, filename = None,
        description = None, comment = None, policy_type = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn create_policy(
        &self,
        py: Python<'_>,
        name: String,
        policy_file: Option<PathBuf>,
        policy_yaml: Option<String>,
        filename: Option<String>,
        description: Option<String>,
        comment: Option<String>,
        policy_type: Option<String>,
    ) -> PyResult<PyOutcome> {
        let mut create = match (policy_file, policy_yaml) {
            (Some(path), None) => CreatePolicy::from_file(name, path),
            (None, Some(text)) => CreatePolicy::from_text(
                name,
                filename.unwrap_or_else(|| "policy.yml".to_string()),
                text,
            ),
            _ => {
                return Err(invalid(
                    py,
                    "policy_file",
                    "give policy_file or policy_yaml (one of them)".to_string(),
                ))
            }
        };
        if let Some(text) = description {
            create = create.description(text);
        }
        if let Some(text) = comment {
            create = create.comment(text);
        }
        if let Some(t) = policy_type {
            create = create.policy_type(t);
        }
        self.run(py, move |c| {
            c.create_policy(&create).map(|o| PyOutcome::from(&o))
        })
    }

    /// `kosli attach-policy`: attaches `policy` to each of `environments` in turn (one
    /// outcome each); the first failure stops and names its environment.
    fn attach_policy(
        &self,
        py: Python<'_>,
        policy: String,
        environments: Vec<String>,
    ) -> PyResult<Vec<PyOutcome>> {
        self.run(py, move |c| {
            c.attach_policy(&policy, &environments)
                .map(|o| outcomes(&o))
        })
    }

    /// `kosli detach-policy`: detaches `policy` from each of `environments` in turn.
    fn detach_policy(
        &self,
        py: Python<'_>,
        policy: String,
        environments: Vec<String>,
    ) -> PyResult<Vec<PyOutcome>> {
        self.run(py, move |c| {
            c.detach_policy(&policy, &environments)
                .map(|o| outcomes(&o))
        })
    }

    /// `kosli get policy`: one policy with its versions; an unknown one is a
    /// `NotFoundError`.
    fn get_policy<'py>(&self, py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
        let policy = self.run(py, move |c| c.get_policy(&name))?;
        from_serde(py, "Policy", &policy)
    }

    /// `kosli list policies`: every policy of the organization.
    fn list_policies<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = self.run(py, |c| c.list_policies())?;
        list_from_serde(py, "Policy", &list)
    }

    /// One attestation's details by its id (what `evaluate trail` merges into a trail): the
    /// server's answer as plain values (its `data` holds the attestation).
    fn get_attestation<'py>(
        &self,
        py: Python<'py>,
        attestation_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        if attestation_id.is_empty() {
            return Err(invalid(
                py,
                "attestation_id",
                "the attestation id must not be empty".to_string(),
            ));
        }
        let answer: Value = self.run(py, move |c| {
            c.read(&get_attestation_request(&attestation_id))?.json()
        })?;
        json_to_py(py, &answer)
    }

    /// The input `kosli evaluate trail` gives a policy: `{"trail": ...}` with each
    /// attestation's details, keyed by name (only the `attestations` named, when given:
    /// `name` at trail level, `artifact.name` for an artifact's).
    #[pyo3(signature = (flow, trails, *, attestations = Vec::new()))]
    fn trail_policy_input<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        trails: Vec<String>,
        attestations: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let filter = AttestationFilter::names(&attestations);
        let input = self.run(py, move |c| match trails.as_slice() {
            [one] => c.trail_policy_input(&flow, one, &filter),
            several => c.trails_policy_input(&flow, several, &filter),
        })?;
        json_to_py(py, &input)
    }

    /// `kosli evaluate trail`: evaluates a Rego policy (`policy` text, `policy_file`, or
    /// `policy_url` fetched without the Kosli token) against one trail of `flow`, read as the
    /// CLI reads it. See `kosli.evaluate_input` for the other arguments.
    #[pyo3(signature = (flow, trail, *, policy = None, policy_file = None, policy_url = None,
        params = None, attestations = Vec::new(), output = "table", show_input = false,
        assert_allowed = false))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn evaluate_trail<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        trail: String,
        policy: Option<String>,
        policy_file: Option<PathBuf>,
        policy_url: Option<String>,
        params: Option<Bound<'py, PyAny>>,
        attestations: Vec<String>,
        output: &str,
        show_input: bool,
        assert_allowed: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.evaluate_trails_input(
            py,
            flow,
            vec![trail],
            false,
            PolicySource::extract(py, policy, policy_file, policy_url)?,
            DecisionArgs::extract(py, params.as_ref(), output, show_input, assert_allowed)?,
            attestations,
        )
    }

    /// `kosli evaluate trails`: as `evaluate_trail`, for several trails (`{"trails": [...]}`).
    #[pyo3(signature = (flow, trails, *, policy = None, policy_file = None, policy_url = None,
        params = None, attestations = Vec::new(), output = "table", show_input = false,
        assert_allowed = false))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn evaluate_trails<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        trails: Vec<String>,
        policy: Option<String>,
        policy_file: Option<PathBuf>,
        policy_url: Option<String>,
        params: Option<Bound<'py, PyAny>>,
        attestations: Vec<String>,
        output: &str,
        show_input: bool,
        assert_allowed: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        if trails.is_empty() {
            return Err(invalid(py, "trails", "give at least one trail".to_string()));
        }
        self.evaluate_trails_input(
            py,
            flow,
            trails,
            true,
            PolicySource::extract(py, policy, policy_file, policy_url)?,
            DecisionArgs::extract(py, params.as_ref(), output, show_input, assert_allowed)?,
            attestations,
        )
    }

    /// `kosli evaluate input` with a `policy_url` (fetched by this client) or any policy.
    #[pyo3(signature = (input, *, policy = None, policy_file = None, policy_url = None,
        params = None, output = "table", show_input = false, assert_allowed = false))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn evaluate_input<'py>(
        &self,
        py: Python<'py>,
        input: &Bound<'py, PyAny>,
        policy: Option<String>,
        policy_file: Option<PathBuf>,
        policy_url: Option<String>,
        params: Option<Bound<'py, PyAny>>,
        output: &str,
        show_input: bool,
        assert_allowed: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = PolicySource::extract(py, policy, policy_file, policy_url)?;
        let args = DecisionArgs::extract(py, params.as_ref(), output, show_input, assert_allowed)?;
        let input = input_arg(py, input)?;
        let (decision, text) =
            self.run(py, move |c| args.decide(&source.text(Some(c))?, &input))?;
        decision_record(py, &decision, text)
    }
}

impl PyClient {
    /// Reads the trails' input (one or several, as the CLI), then evaluates the policy.
    #[allow(clippy::too_many_arguments, reason = "the evaluate methods' arguments")]
    fn evaluate_trails_input<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        trails: Vec<String>,
        several: bool,
        source: PolicySource,
        args: DecisionArgs,
        attestations: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let filter = AttestationFilter::names(&attestations);
        let (decision, text) = self.run(py, move |c| {
            let input = if several {
                c.trails_policy_input(&flow, &trails, &filter)?
            } else {
                c.trail_policy_input(&flow, &trails[0], &filter)?
            };
            args.decide(&source.text(Some(c))?, &input)
        })?;
        decision_record(py, &decision, text)
    }
}
