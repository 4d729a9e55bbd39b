//! `kosli create flow`, `get flow`, `list flows`: over `kosli_core::ops::flows`.

use std::path::PathBuf;

use kosli_core::ops::flows::{
    CreateFlow, Flow, FlowList, FlowTemplateDef, ListFlows, Pagination, Template,
};
use pyo3::prelude::*;

use crate::client::PyClient;
use crate::convert::{invalid, json_map_to_py};
use crate::outcome::PyOutcome;
use crate::records::{list_of, Record};

/// The file name YAML given as text is uploaded under (the CLI's for the empty template).
const TEMPLATE_NAME: &str = "template.yml";

/// `template_file` or `template_yaml` (neither: `None`).
pub(crate) fn template_arg(
    py: Python<'_>,
    template_file: Option<PathBuf>,
    template_yaml: Option<String>,
) -> PyResult<Option<Template>> {
    match (template_file, template_yaml) {
        (Some(_), Some(_)) => Err(invalid(
            py,
            "template_yaml",
            "give template_file or template_yaml, not both".to_string(),
        )),
        (Some(path), None) => Ok(Some(Template::file(path))),
        (None, Some(yaml)) => Ok(Some(Template::yaml(TEMPLATE_NAME, yaml))),
        (None, None) => Ok(None),
    }
}

pub(crate) fn flow_record<'py>(py: Python<'py>, f: &Flow) -> PyResult<Bound<'py, PyAny>> {
    let template = match &f.template {
        None => py.None().into_bound(py),
        Some(FlowTemplateDef::Yaml(yaml)) => yaml.into_pyobject(py)?.into_any(),
        Some(FlowTemplateDef::Controls(controls)) => controls.into_pyobject(py)?.into_any(),
    };
    Record::new(py, "Flow")
        .set("name", &f.name)?
        .set("description", &f.description)?
        .set("visibility", &f.visibility)?
        .set("org", &f.org)?
        .set("template", template)?
        .set("last_deployment_at", f.last_deployment_at)?
        .set("tags", json_map_to_py(py, f.tags.as_ref())?)?
        .set("archived", f.archived)?
        .build()
}

pub(crate) fn pagination_record<'py>(
    py: Python<'py>,
    p: &Pagination,
) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "Pagination")
        .set("page", p.page)?
        .set("page_count", p.page_count)?
        .set("total", p.total)?
        .set("per_page", p.per_page)?
        .build()
}

fn flow_list_record<'py>(py: Python<'py>, list: &FlowList) -> PyResult<Bound<'py, PyAny>> {
    let pagination = match &list.pagination {
        Some(p) => pagination_record(py, p)?,
        None => py.None().into_bound(py),
    };
    Record::new(py, "FlowList")
        .set("flows", list_of(py, &list.flows, flow_record)?)?
        .set("pagination", pagination)?
        .build()
}

#[pymethods]
impl PyClient {
    /// `kosli create flow`: creates or updates the flow `name` with a YAML template
    /// (`template_file`, or `template_yaml` sent as `template.yml`; neither: the CLI's empty
    /// template). 201 created, 200 updated.
    #[pyo3(signature = (name, *, description = None, visibility = None,
        template_file = None, template_yaml = None))]
    fn create_flow(
        &self,
        py: Python<'_>,
        name: String,
        description: Option<String>,
        visibility: Option<String>,
        template_file: Option<PathBuf>,
        template_yaml: Option<String>,
    ) -> PyResult<PyOutcome> {
        let template = template_arg(py, template_file, template_yaml)?;
        self.run(py, move |c| {
            let mut create = CreateFlow::new(name).description(description.unwrap_or_default());
            if let Some(v) = visibility {
                create = create.visibility(v);
            }
            if let Some(t) = template {
                create = create.template(t);
            }
            c.create_flow(&create).map(|o| PyOutcome::from(&o))
        })
    }

    /// The deprecated `kosli create flow --template a,b`: the flow `name` with a list of
    /// required controls (`artifact` is added when missing, as the CLI does).
    #[pyo3(signature = (name, template, *, description = None, visibility = None))]
    fn create_flow_legacy(
        &self,
        py: Python<'_>,
        name: String,
        template: Vec<String>,
        description: Option<String>,
        visibility: Option<String>,
    ) -> PyResult<PyOutcome> {
        self.run(py, move |c| {
            let mut create = CreateFlow::new(name)
                .description(description.unwrap_or_default())
                .legacy_template(template);
            if let Some(v) = visibility {
                create = create.visibility(v);
            }
            c.create_flow(&create).map(|o| PyOutcome::from(&o))
        })
    }

    /// `kosli get flow`: one flow; an unknown one is a `NotFoundError`.
    fn get_flow<'py>(&self, py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
        let flow = self.run(py, move |c| c.get_flow(&name))?;
        flow_record(py, &flow)
    }

    /// `kosli list flows`: every flow, or a page of them (`page` from 1, `per_page`, default
    /// 20), optionally only those whose name contains `name_contains`.
    #[pyo3(signature = (*, page = None, per_page = None, name_contains = None,
        ignore_case = false))]
    fn list_flows<'py>(
        &self,
        py: Python<'py>,
        page: Option<u64>,
        per_page: Option<u64>,
        name_contains: Option<String>,
        ignore_case: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut list = ListFlows::new().ignore_case(ignore_case);
        if let Some(p) = page {
            list = list.page(p);
        }
        if let Some(n) = per_page {
            list = list.per_page(n);
        }
        if let Some(text) = name_contains {
            list = list.name_contains(text);
        }
        let flows = self.run(py, move |c| c.list_flows(&list))?;
        flow_list_record(py, &flows)
    }
}
