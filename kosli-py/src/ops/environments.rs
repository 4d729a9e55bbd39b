//! `kosli create environment`, `get environment`, `list environments`: over
//! `kosli_core::ops::environments`.

use kosli_core::ops::environments::{
    CreateEnvironment, Environment, EnvironmentList, EnvironmentPage, ListEnvironments,
};
use pyo3::prelude::*;

use crate::client::PyClient;
use crate::convert::json_map_to_py;
use crate::outcome::PyOutcome;
use crate::records::{list_of, Record};

pub(crate) fn environment_record<'py>(
    py: Python<'py>,
    e: &Environment,
) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "Environment")
        .set("name", &e.name)?
        .set("env_type", &e.env_type)?
        .set("description", &e.description)?
        .set("org", &e.org)?
        .set("last_modified_at", e.last_modified_at)?
        .set("last_reported_at", e.last_reported_at)?
        .set("state", e.state)?
        .set("include_scaling", e.include_scaling)?
        .set("require_provenance", e.require_provenance)?
        .set("tags", json_map_to_py(py, e.tags.as_ref())?)?
        .set("policies", &e.policies)?
        .set("included_environments", &e.included_environments)?
        .build()
}

fn page_record<'py>(py: Python<'py>, p: &EnvironmentPage) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "EnvironmentPage")
        .set("page", p.page)?
        .set("per_page", p.per_page)?
        .set("total_pages", p.total_pages)?
        .set("total_count", p.total_count)?
        .build()
}

fn list_record<'py>(py: Python<'py>, list: &EnvironmentList) -> PyResult<Bound<'py, PyAny>> {
    let page = match &list.page {
        Some(p) => page_record(py, p)?,
        None => py.None().into_bound(py),
    };
    Record::new(py, "EnvironmentList")
        .set(
            "environments",
            list_of(py, &list.environments, environment_record)?,
        )?
        .set("page", page)?
        .build()
}

#[pymethods]
impl PyClient {
    /// `kosli create environment`: creates or updates the environment `name` of type
    /// `env_type` (`"K8S"`, `"ECS"`, `"S3"`, `"lambda"`, `"server"`, `"docker"`,
    /// `"azure-apps"`, `"cloud-run"`, `"logical"`: sent as given, the server checks it). A
    /// logical environment groups `included_environments`.
    #[pyo3(signature = (name, env_type, *, description = None,
        included_environments = Vec::new(), include_scaling = None, require_provenance = false))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn create_environment(
        &self,
        py: Python<'_>,
        name: String,
        env_type: String,
        description: Option<String>,
        included_environments: Vec<String>,
        include_scaling: Option<bool>,
        require_provenance: bool,
    ) -> PyResult<PyOutcome> {
        self.run(py, move |c| {
            let mut create = CreateEnvironment::new(name, env_type)
                .description(description.unwrap_or_default())
                .included_environments(included_environments)
                .require_provenance(require_provenance);
            if let Some(on) = include_scaling {
                create = create.include_scaling(on);
            }
            c.create_environment(&create).map(|o| PyOutcome::from(&o))
        })
    }

    /// `kosli get environment`: one environment; an unknown one is a `NotFoundError`.
    fn get_environment<'py>(&self, py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
        let env = self.run(py, move |c| c.get_environment(&name))?;
        environment_record(py, &env)
    }

    /// `kosli list environments`: every environment, or a page (`page` from 1, `per_page`,
    /// default 15), filtered by name, types, tags (`key` or `key:value`) and spaces, sorted by
    /// `sort` (`name`, `last_modified_at`, `last_changed_at`) in `sort_direction`.
    #[pyo3(signature = (*, page = None, per_page = None, name_contains = None,
        env_types = Vec::new(), tags = Vec::new(), space_ids = Vec::new(), sort = None,
        sort_direction = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn list_environments<'py>(
        &self,
        py: Python<'py>,
        page: Option<u64>,
        per_page: Option<u64>,
        name_contains: Option<String>,
        env_types: Vec<String>,
        tags: Vec<String>,
        space_ids: Vec<String>,
        sort: Option<String>,
        sort_direction: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut list = ListEnvironments::new();
        if let Some(p) = page {
            list = list.page(p);
        }
        if let Some(n) = per_page {
            list = list.per_page(n);
        }
        if let Some(text) = name_contains {
            list = list.name_contains(text);
        }
        for t in env_types {
            list = list.env_type(t);
        }
        for t in tags {
            list = list.tag(t);
        }
        for s in space_ids {
            list = list.space_id(s);
        }
        if let Some(s) = sort {
            list = list.sort(s);
        }
        if let Some(d) = sort_direction {
            list = list.sort_direction(d);
        }
        let envs = self.run(py, move |c| c.list_environments(&list))?;
        list_record(py, &envs)
    }
}
