//! `kosli.Config`: how a client reaches Kosli. `Config(...)` takes the keyword arguments and
//! the defaults; `Config.load(...)` resolves them as the official CLI does (arguments, then the
//! `KOSLI_*` environment variables, then the config file, then the defaults).

use std::path::PathBuf;
use std::time::Duration;

use kosli_core::config::ConfigBuilder;
use kosli_core::journal::FailureHook;
use kosli_core::{Config, Error};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

use crate::errors::{to_py_err, IntoPyResult};
use crate::fingerprint::warn;
use crate::ops::journal::failure_hook;

/// The delivery-failure callable, as the core's hook.
fn hook_arg(py: Python<'_>, callback: Option<Bound<'_, PyAny>>) -> PyResult<Option<FailureHook>> {
    match callback {
        Some(cb) if !cb.is_none() => failure_hook(py, cb).map(Some),
        _ => Ok(None),
    }
}

/// The keyword arguments both constructors take, copied out of Python.
#[derive(Default)]
struct Settings {
    host: Option<String>,
    api_token: Option<String>,
    org: Option<String>,
    max_api_retries: Option<u32>,
    http_proxy: Option<String>,
    dry_run: Option<bool>,
    connect_timeout: Option<f64>,
    attempt_timeout: Option<f64>,
    total_timeout: Option<f64>,
    ca_bundle: Option<PathBuf>,
    allow_insecure_http: bool,
    journal_dir: Option<PathBuf>,
    offline: bool,
    on_delivery_failure: Option<FailureHook>,
    failure_webhook: Option<String>,
}

impl Settings {
    fn builder(self) -> kosli_core::Result<ConfigBuilder> {
        let mut b = Config::builder();
        if let Some(v) = self.host {
            b = b.host(v);
        }
        if let Some(v) = self.api_token {
            b = b.api_token(v);
        }
        if let Some(v) = self.org {
            b = b.org(v);
        }
        if let Some(v) = self.max_api_retries {
            b = b.max_api_retries(v);
        }
        if let Some(v) = self.http_proxy {
            b = b.http_proxy(v);
        }
        if let Some(v) = self.dry_run {
            b = b.dry_run(v);
        }
        if let Some(v) = self.connect_timeout {
            b = b.connect_timeout(seconds("connect_timeout", v)?);
        }
        if let Some(v) = self.attempt_timeout {
            b = b.attempt_timeout(seconds("attempt_timeout", v)?);
        }
        if let Some(v) = self.total_timeout {
            b = b.total_timeout(seconds("total_timeout", v)?);
        }
        if let Some(v) = self.ca_bundle {
            b = b.ca_bundle(v);
        }
        if let Some(v) = self.journal_dir {
            b = b.journal_dir(v);
        }
        if let Some(hook) = self.on_delivery_failure {
            b = b.on_delivery_failure(hook);
        }
        if let Some(url) = self.failure_webhook {
            b = b.failure_webhook(url);
        }
        Ok(b.allow_insecure_http(self.allow_insecure_http)
            .offline(self.offline))
    }
}

/// A time limit given in seconds.
fn seconds(what: &str, value: f64) -> kosli_core::Result<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        Error::invalid_input(
            what,
            format!("{what} must be a number of seconds >= 0, not {value}"),
        )
    })
}

/// The resolved settings of a client: hosts, org, retries, proxy, dry-run and time limits. The
/// API token is kept but never shown.
#[pyclass(module = "kosli", name = "Config", frozen)]
#[derive(Debug, Clone)]
pub struct PyConfig(pub(crate) Config);

#[pymethods]
impl PyConfig {
    /// A configuration from these arguments and the defaults only (no environment, no file).
    #[new]
    #[pyo3(signature = (*, host = None, api_token = None, org = None, max_api_retries = None,
        http_proxy = None, dry_run = None, connect_timeout = None, attempt_timeout = None,
        total_timeout = None, ca_bundle = None, allow_insecure_http = false, journal_dir = None,
        offline = false, on_delivery_failure = None, failure_webhook = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn new(
        py: Python<'_>,
        host: Option<String>,
        api_token: Option<String>,
        org: Option<String>,
        max_api_retries: Option<u32>,
        http_proxy: Option<String>,
        dry_run: Option<bool>,
        connect_timeout: Option<f64>,
        attempt_timeout: Option<f64>,
        total_timeout: Option<f64>,
        ca_bundle: Option<PathBuf>,
        allow_insecure_http: bool,
        journal_dir: Option<PathBuf>,
        offline: bool,
        on_delivery_failure: Option<Bound<'_, PyAny>>,
        failure_webhook: Option<String>,
    ) -> PyResult<Self> {
        let settings = Settings {
            host,
            api_token,
            org,
            max_api_retries,
            http_proxy,
            dry_run,
            connect_timeout,
            attempt_timeout,
            total_timeout,
            ca_bundle,
            allow_insecure_http,
            journal_dir,
            offline,
            on_delivery_failure: hook_arg(py, on_delivery_failure)?,
            failure_webhook,
        };
        settings
            .builder()
            .and_then(ConfigBuilder::build)
            .into_py_result(py)
            .map(PyConfig)
    }

    /// The configuration as the CLI resolves it: these arguments, then the `KOSLI_*`
    /// environment variables, then the config file (`config_file`, `KOSLI_CONFIG_FILE` or
    /// `~/.kosli.yml`), then the defaults. Warnings the CLI would print are `KosliWarning`s.
    #[staticmethod]
    #[pyo3(signature = (*, host = None, api_token = None, org = None, max_api_retries = None,
        http_proxy = None, dry_run = None, connect_timeout = None, attempt_timeout = None,
        total_timeout = None, ca_bundle = None, allow_insecure_http = false, journal_dir = None,
        offline = false, on_delivery_failure = None, failure_webhook = None, config_file = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn load(
        py: Python<'_>,
        host: Option<String>,
        api_token: Option<String>,
        org: Option<String>,
        max_api_retries: Option<u32>,
        http_proxy: Option<String>,
        dry_run: Option<bool>,
        connect_timeout: Option<f64>,
        attempt_timeout: Option<f64>,
        total_timeout: Option<f64>,
        ca_bundle: Option<PathBuf>,
        allow_insecure_http: bool,
        journal_dir: Option<PathBuf>,
        offline: bool,
        on_delivery_failure: Option<Bound<'_, PyAny>>,
        failure_webhook: Option<String>,
        config_file: Option<PathBuf>,
    ) -> PyResult<Self> {
        let settings = Settings {
            host,
            api_token,
            org,
            max_api_retries,
            http_proxy,
            dry_run,
            connect_timeout,
            attempt_timeout,
            total_timeout,
            ca_bundle,
            allow_insecure_http,
            journal_dir,
            offline,
            on_delivery_failure: hook_arg(py, on_delivery_failure)?,
            failure_webhook,
        };
        let mut builder = settings.builder().map_err(|e| to_py_err(py, &e))?;
        if let Some(path) = config_file {
            builder = builder.config_file(path);
        }
        // Reads the environment and a file: without the GIL.
        let config = py.detach(move || builder.load()).into_py_result(py)?;
        for warning in config.warnings() {
            warn(py, warning)?;
        }
        Ok(PyConfig(config))
    }

    /// Every host, the primary first (writes go to each, reads to the primary).
    #[getter]
    fn hosts(&self) -> Vec<String> {
        self.0
            .hosts()
            .iter()
            .map(|h| h.as_str().to_string())
            .collect()
    }

    /// The organization, if set.
    #[getter]
    fn org(&self) -> Option<&str> {
        self.0.org()
    }

    /// Whether an API token is set for the primary host.
    #[getter]
    fn has_api_token(&self) -> bool {
        self.0.primary().has_token()
    }

    /// How many times a failed call is retried (so one more attempt than this).
    #[getter]
    fn max_api_retries(&self) -> u32 {
        self.0.max_api_retries()
    }

    /// The HTTP proxy URL, with any password shown as `redacted`.
    #[getter]
    fn http_proxy(&self) -> Option<String> {
        self.0.http_proxy().map(|url| {
            let mut url = url.clone();
            if url.password().is_some() {
                // Setting a password only fails on URLs that cannot have one.
                let _ = url.set_password(Some("redacted"));
            }
            url.to_string()
        })
    }

    /// Whether dry-run was asked for (a host whose token is `DRY_RUN` is in dry-run too).
    #[getter]
    fn dry_run(&self) -> bool {
        self.0.dry_run()
    }

    /// Seconds allowed to open a connection.
    #[getter]
    fn connect_timeout(&self) -> f64 {
        self.0.timeouts().connect().as_secs_f64()
    }

    /// Seconds allowed for one attempt, or `None` for no limit (as the CLI).
    #[getter]
    fn attempt_timeout(&self) -> Option<f64> {
        self.0.timeouts().attempt().map(|d| d.as_secs_f64())
    }

    /// Seconds allowed for a whole call with its retries, or `None` for no limit.
    #[getter]
    fn total_timeout(&self) -> Option<f64> {
        self.0.timeouts().total().map(|d| d.as_secs_f64())
    }

    /// The extra PEM bundle of trusted CA certificates, if set.
    #[getter]
    fn ca_bundle(&self) -> Option<PathBuf> {
        self.0.ca_bundle().map(PathBuf::from)
    }

    /// Whether a token may be sent over plain `http://` to another machine.
    #[getter]
    fn allow_insecure_http(&self) -> bool {
        self.0.allow_insecure_http()
    }

    /// The config file that was read, if one was.
    #[getter]
    fn config_file(&self) -> Option<PathBuf> {
        self.0.config_file().map(PathBuf::from)
    }

    /// The journal folder (writes are recorded there first), if set.
    #[getter]
    fn journal_dir(&self) -> Option<PathBuf> {
        self.0.journal_dir().map(PathBuf::from)
    }

    /// Whether the client is for offline use: writes are only recorded in the journal.
    #[getter]
    fn offline(&self) -> bool {
        self.0.is_offline()
    }

    /// Warnings found while loading, in the CLI's words.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.0.warnings().to_vec()
    }

    pub(crate) fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let org = match self.0.org() {
            Some(org) => PyString::new(py, org).repr()?.to_string(),
            None => "None".to_string(),
        };
        Ok(format!(
            "Config(hosts={}, org={org}, has_api_token={}, dry_run={}, max_api_retries={})",
            PyList::new(py, self.hosts())?.repr()?,
            if self.has_api_token() {
                "True"
            } else {
                "False"
            },
            if self.0.dry_run() { "True" } else { "False" },
            self.0.max_api_retries()
        ))
    }
}
