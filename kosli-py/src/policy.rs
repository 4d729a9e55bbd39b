//! Policies that need no Kosli: local gates (`kosli.Gate` against a `kosli.EvidenceSet`,
//! over `kosli_core::policy::gate`) and Rego policies (`kosli.evaluate_input`, over
//! `kosli_core::policy::rego` with the CLI's `evaluate` contract).

use std::path::PathBuf;

use kosli_core::model::pull_request::PullRequest;
use kosli_core::policy::gate::{CodeReview, EvidenceSet, Gate, TestEvidence, Verdict};
use kosli_core::policy::rego::{self, Decision, OutputFormat, RegoPolicy};
use kosli_core::Error;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::convert::{invalid, json_arg, typed_arg};
use crate::errors::IntoPyResult;
use crate::evidence::PyJunitSummary;
use crate::records::{build_from, list_from_serde, serde_dict};
use crate::scan::PyScanSummary;

/// A `kosli.GateVerdict`.
fn verdict_record<'py>(py: Python<'py>, v: &Verdict) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    d.set_item("allowed", v.allowed)?;
    d.set_item(
        "results",
        list_from_serde(py, "GateRuleResult", &v.results)?,
    )?;
    d.set_item("reasons", v.reasons())?;
    build_from(py, "GateVerdict", d.as_any())
}

/// The evidence a local gate is evaluated against: JUnit summaries, scan summaries, pull
/// requests (or code reviews), and attestations as Kosli returns them. Immutable: `with_*`
/// return a new set.
#[pyclass(module = "kosli", name = "EvidenceSet", frozen)]
#[derive(Clone)]
pub struct PyEvidenceSet(pub(crate) EvidenceSet);

/// Each item of `items`, as a dict (a record's `to_dict()`, or the dict itself).
fn dicts<'py>(items: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let mut out = Vec::new();
    for item in items.try_iter()? {
        let item = item?;
        out.push(if item.hasattr("to_dict")? {
            item.call_method0("to_dict")?
        } else {
            item
        });
    }
    Ok(out)
}

/// Adds pull requests: `kosli.PullRequestEvidence` records (their approvals), or pull
/// requests in the wire's fields (`kosli.PullRequest` dicts).
fn add_pull_requests(
    py: Python<'_>,
    mut set: EvidenceSet,
    items: &Bound<'_, PyAny>,
) -> PyResult<EvidenceSet> {
    for item in items.try_iter()? {
        let item = item?;
        if item.hasattr("approvals")? && item.hasattr("provider")? {
            for a in dicts(&item.getattr("approvals")?)? {
                let approvals: kosli_core::review::Approvals = typed_arg(py, "pull_requests", &a)?;
                set = set.with_code_review(CodeReview::from(approvals));
            }
        } else {
            let pr: PullRequest = typed_arg(py, "pull_requests", &item)?;
            set = set.with_pull_requests(std::slice::from_ref(&pr));
        }
    }
    Ok(set)
}

#[pymethods]
impl PyEvidenceSet {
    /// A set of `junit` (`JunitSummary` values), `scans` (`ScanSummary` values),
    /// `pull_requests` (`PullRequestEvidence` records or `PullRequest` dicts),
    /// `code_reviews` (dicts: `url`, `approvals`, `approvers`), `tests` (dicts: `name`,
    /// `total`, `failures`, `errors`, `skipped`) and `attestations` (attestations as Kosli
    /// returns them: their JUnit, Snyk and pull-request results count as evidence too).
    #[new]
    #[pyo3(signature = (*, junit = None, scans = None, pull_requests = None,
        code_reviews = None, tests = None, attestations = None))]
    fn new(
        py: Python<'_>,
        junit: Option<Vec<PyRef<'_, PyJunitSummary>>>,
        scans: Option<Vec<PyRef<'_, PyScanSummary>>>,
        pull_requests: Option<Bound<'_, PyAny>>,
        code_reviews: Option<Bound<'_, PyAny>>,
        tests: Option<Bound<'_, PyAny>>,
        attestations: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut set = match &attestations {
            Some(list) => {
                let values = dicts(list)?
                    .iter()
                    .map(|a| json_arg(py, "attestations", a))
                    .collect::<PyResult<Vec<Value>>>()?;
                EvidenceSet::from_attestations(values.iter())
            }
            None => EvidenceSet::new(),
        };
        for j in junit.unwrap_or_default() {
            set = set.with_junit(&j.0);
        }
        for s in scans.unwrap_or_default() {
            set = set.with_scan(&s.0);
        }
        if let Some(prs) = &pull_requests {
            set = add_pull_requests(py, set, prs)?;
        }
        if let Some(list) = &code_reviews {
            for r in dicts(list)? {
                set = set.with_code_review(typed_arg(py, "code_reviews", &r)?);
            }
        }
        if let Some(list) = &tests {
            for t in dicts(list)? {
                let test: TestEvidence = typed_arg(py, "tests", &t)?;
                set.tests.push(test);
            }
        }
        Ok(PyEvidenceSet(set))
    }

    /// How many pieces of evidence of each kind it holds.
    fn __len__(&self) -> usize {
        let s = &self.0;
        s.tests.len() + s.scans.len() + s.code_reviews.len() + s.attestations.len()
    }

    /// The set as plain values (`tests`, `scans`, `code_reviews`, `attestations`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        serde_dict(py, &self.0)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyEvidenceSet>()
            .is_ok_and(|o| o.get().0 == self.0)
    }

    fn __repr__(&self) -> String {
        let s = &self.0;
        format!(
            "EvidenceSet(tests={}, scans={}, code_reviews={}, attestations={})",
            s.tests.len(),
            s.scans.len(),
            s.code_reviews.len(),
            s.attestations.len()
        )
    }
}

/// A local gate: named policies of rules (`test-evidence`, `security-scan`, `code-review`,
/// `attestation`) in the seed's YAML shape, read strictly (an unknown key is a `ParseError`
/// naming its line).
#[pyclass(module = "kosli", name = "Gate", frozen)]
pub struct PyGate(Gate);

#[pymethods]
impl PyGate {
    /// A gate from YAML text.
    #[staticmethod]
    fn from_yaml(py: Python<'_>, text: &str) -> PyResult<PyGate> {
        Gate::from_yaml(text).map(PyGate).into_py_result(py)
    }

    /// A gate file; errors name the file and line.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<PyGate> {
        py.detach(|| Gate::from_file(&path))
            .map(PyGate)
            .into_py_result(py)
    }

    /// The names of its policies, in file order.
    #[getter]
    fn policies(&self) -> Vec<String> {
        self.0.policies.iter().map(|p| p.name.clone()).collect()
    }

    /// Evaluates every rule against `evidence`: the verdict, allowed or not, with one result
    /// per rule and one reason per failed rule.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        evidence: &PyEvidenceSet,
    ) -> PyResult<Bound<'py, PyAny>> {
        verdict_record(py, &self.0.evaluate(&evidence.0))
    }

    /// As `evaluate`, but a denied verdict is a `PolicyDeniedError` whose `reasons` are the
    /// failed rules' (stop a deploy step with it).
    fn check<'py>(&self, py: Python<'py>, evidence: &PyEvidenceSet) -> PyResult<Bound<'py, PyAny>> {
        let verdict = self
            .0
            .evaluate(&evidence.0)
            .into_result()
            .into_py_result(py)?;
        verdict_record(py, &verdict)
    }

    /// The gate as plain values (its policies and rules).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        serde_dict(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!("Gate(policies={:?})", self.policies())
    }
}

/// The policy's text: `policy` (Rego text) or `policy_file`, exactly one.
pub(crate) enum PolicySource {
    Text(String),
    File(PathBuf),
    Url(String),
}

impl PolicySource {
    pub(crate) fn extract(
        py: Python<'_>,
        policy: Option<String>,
        policy_file: Option<PathBuf>,
        policy_url: Option<String>,
    ) -> PyResult<PolicySource> {
        match (policy, policy_file, policy_url) {
            (Some(t), None, None) => Ok(PolicySource::Text(t)),
            (None, Some(f), None) => Ok(PolicySource::File(f)),
            (None, None, Some(u)) => Ok(PolicySource::Url(u)),
            _ => Err(invalid(
                py,
                "policy",
                "give one of policy (Rego text), policy_file or policy_url".to_string(),
            )),
        }
    }

    /// The Rego text (a URL is fetched by `client`, without the Kosli token).
    pub(crate) fn text(
        self,
        client: Option<&kosli_core::blocking::Client>,
    ) -> kosli_core::Result<String> {
        match self {
            PolicySource::Text(t) => Ok(t),
            PolicySource::File(path) => {
                std::fs::read_to_string(&path).map_err(|e| Error::io("open", &path, e))
            }
            PolicySource::Url(url) => match client {
                Some(c) => c.fetch_policy(&url),
                None => Err(Error::invalid_input(
                    "policy_url",
                    "a policy URL is fetched by a Client: use Client.evaluate_input",
                )),
            },
        }
    }
}

/// How a decision is evaluated and shown: `--params`, `--output`, `--show-input`, and
/// whether a denial is an error (`--assert`).
pub(crate) struct DecisionArgs {
    params: Option<Value>,
    format: OutputFormat,
    show_input: bool,
    assert_allowed: bool,
}

impl DecisionArgs {
    pub(crate) fn extract(
        py: Python<'_>,
        params: Option<&Bound<'_, PyAny>>,
        output: &str,
        show_input: bool,
        assert_allowed: bool,
    ) -> PyResult<DecisionArgs> {
        let params = match params {
            Some(p) if !p.is_none() => {
                let json = json_arg(py, "params", p)?;
                rego::parse_params(&json.to_string())
                    .map_err(|e| invalid(py, "params", e.to_string()))?
            }
            _ => None,
        };
        let format =
            OutputFormat::parse(output).map_err(|e| invalid(py, "output", e.to_string()))?;
        Ok(DecisionArgs {
            params,
            format,
            show_input,
            assert_allowed,
        })
    }

    /// Evaluates `policy_text` for `input` (no GIL needed): the decision and its output.
    pub(crate) fn decide(
        &self,
        policy_text: &str,
        input: &Value,
    ) -> kosli_core::Result<(Decision, String)> {
        let decision = RegoPolicy::parse(policy_text)?.evaluate(input, self.params.as_ref())?;
        let shown = self.show_input.then_some((input, self.params.as_ref()));
        let output = rego::render(&decision, self.format, shown);
        if self.assert_allowed && !decision.allow {
            return Err(Error::PolicyDenied {
                message: rego::denied_message(
                    decision.reasons(),
                    self.format == OutputFormat::Table,
                ),
                reasons: decision.reasons().to_vec(),
            });
        }
        Ok((decision, output))
    }
}

/// A `kosli.PolicyDecision`.
pub(crate) fn decision_record<'py>(
    py: Python<'py>,
    decision: &Decision,
    output: String,
) -> PyResult<Bound<'py, PyAny>> {
    let d = serde_dict(py, decision)?;
    d.set_item("output", output)?;
    build_from(py, "PolicyDecision", d.as_any())
}

/// The policy input as the CLI reads it (Go's JSON decoder: numbers as float64, an object).
pub(crate) fn input_arg(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<Value> {
    let json = json_arg(py, "input", input)?;
    rego::parse_input(json.to_string().as_bytes()).map_err(|e| invalid(py, "input", e.to_string()))
}

/// `kosli evaluate input`: evaluates a Rego policy (`package policy`, boolean `allow`,
/// optional `violations`; `policy` text or `policy_file`) for `input` (a JSON-able dict),
/// with `params` as `data.params`, in-process. With `assert_allowed`, a denial is a
/// `PolicyDeniedError` (the CLI's exit 1).
#[pyfunction]
#[pyo3(signature = (input, *, policy = None, policy_file = None, params = None,
    output = "table", show_input = false, assert_allowed = false))]
#[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
pub(crate) fn evaluate_input<'py>(
    py: Python<'py>,
    input: &Bound<'py, PyAny>,
    policy: Option<String>,
    policy_file: Option<PathBuf>,
    params: Option<Bound<'py, PyAny>>,
    output: &str,
    show_input: bool,
    assert_allowed: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let source = PolicySource::extract(py, policy, policy_file, None)?;
    let args = DecisionArgs::extract(py, params.as_ref(), output, show_input, assert_allowed)?;
    let input = input_arg(py, input)?;
    let (decision, text) = py
        .detach(|| args.decide(&source.text(None)?, &input))
        .into_py_result(py)?;
    decision_record(py, &decision, text)
}

/// The Rego builtins the SDK refuses (the engine lacks them), for the documentation.
#[pyfunction]
#[pyo3(name = "_unsupported_rego_builtins")]
pub(crate) fn unsupported_rego_builtins() -> Vec<&'static str> {
    rego::UNSUPPORTED_BUILTINS.to_vec()
}
