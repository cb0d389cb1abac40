//! The pip package `adaccess`: the core engine through PyO3. Documents cross as JSON text
//! (Python's `json` module is fast and exact); errors become `adaccess.AdaccessError`
//! subclasses with `code` and `path`. No rule lives here.

use std::panic::{catch_unwind, AssertUnwindSafe};

use adaccess_core::error::{parse_json, AdaccessError as _};
use adaccess_core::{
    Activity, AuditOptions, Change, Directory, EntityRef, ErrorInfo, Profile, Timestamp, User,
};
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// An error on its way to Python, boxed to keep `Result`s small.
type Failure = Box<(Kind, ErrorInfo)>;

/// Which Python exception class an error becomes.
#[derive(Clone, Copy)]
enum Kind {
    Profile,
    Input,
    Internal,
}

fn raise(py: Python<'_>, kind: Kind, info: ErrorInfo) -> PyErr {
    let class = match kind {
        Kind::Profile => "ProfileError",
        Kind::Input => "InputError",
        Kind::Internal => "AdaccessError",
    };
    let problems = serde_json::to_string(&info.problems).unwrap_or_else(|_| "[]".into());
    let made = py
        .import("adaccess._errors")
        .and_then(|m| m.getattr(class))
        .and_then(|c| {
            c.call1((
                info.message.clone(),
                info.code.clone(),
                info.path.clone(),
                info.help.clone(),
                problems,
            ))
        });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

fn internal(message: String) -> ErrorInfo {
    ErrorInfo {
        code: "internal".into(),
        message,
        path: None,
        help: None,
        problems: Vec::new(),
    }
}

/// Runs core code; a panic (a bug) surfaces as `AdaccessError` with code `internal`.
fn guarded<T>(py: Python<'_>, f: impl FnOnce() -> Result<T, Failure>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(failure)) => {
            let (kind, info) = *failure;
            Err(raise(py, kind, info))
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(raise(
                py,
                Kind::Internal,
                internal(format!("internal error in adaccess: {what}")),
            ))
        }
    }
}

/// Like `guarded`, with the GIL released: for the long calls.
fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Failure> + Send) -> PyResult<T> {
    let result = py.detach(|| catch_unwind(AssertUnwindSafe(f)));
    guarded(py, move || match result {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

fn input<T: DeserializeOwned>(text: &str, prefix: &str) -> Result<T, Failure> {
    parse_json(text, prefix).map_err(|e| Box::new((Kind::Input, e.info())))
}

fn output<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| {
        Box::new((
            Kind::Internal,
            internal(format!("could not convert the result: {e}")),
        ))
    })
}

/// A compiled profile and, optionally, the seat's directory.
#[pyclass(module = "adaccess._adaccess", frozen)]
struct Engine {
    inner: adaccess_core::Engine,
}

fn new_engine(
    profile: Result<Profile, adaccess_core::ProfileError>,
    directory: Option<&str>,
) -> Result<Engine, Failure> {
    let profile = profile.map_err(|e| Box::new((Kind::Profile, e.info())))?;
    let directory: Option<Directory> = match directory {
        Some(text) => Some(input(text, "directory")?),
        None => None,
    };
    adaccess_core::Engine::new(profile, directory.as_ref())
        .map(|inner| Engine { inner })
        .map_err(|e| Box::new((Kind::Input, e.info())))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CanRequest {
    capability: String,
    level: String,
    entity: EntityRef,
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditCall {
    #[serde(default)]
    now: Option<Timestamp>,
    #[serde(default)]
    activity: Option<Vec<Activity>>,
    #[serde(default)]
    dormant_days: Option<u32>,
}

impl AuditCall {
    fn options(&self) -> AuditOptions {
        AuditOptions {
            dormant_days: self
                .dormant_days
                .unwrap_or(AuditOptions::default().dormant_days),
        }
    }
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (profile_json, directory_json=None))]
    fn new(py: Python<'_>, profile_json: &str, directory_json: Option<&str>) -> PyResult<Self> {
        guarded(py, || {
            new_engine(Profile::from_json(profile_json), directory_json)
        })
    }

    #[staticmethod]
    #[pyo3(signature = (id, directory_json=None))]
    fn builtin(py: Python<'_>, id: &str, directory_json: Option<&str>) -> PyResult<Self> {
        guarded(py, || new_engine(Profile::builtin(id), directory_json))
    }

    fn profile(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || output(self.inner.profile().doc()))
    }

    fn validate_user(&self, py: Python<'_>, user_json: &str) -> PyResult<String> {
        guarded(py, || {
            output(&self.inner.validate(&input::<User>(user_json, "")?))
        })
    }

    fn effective(&self, py: Python<'_>, user_json: &str) -> PyResult<String> {
        guarded(py, || {
            output(&self.inner.effective(&input::<User>(user_json, "")?))
        })
    }

    fn can(
        &self,
        py: Python<'_>,
        user_json: &str,
        capability: &str,
        level: &str,
        entity_json: &str,
    ) -> PyResult<String> {
        guarded(py, || {
            let user: User = input(user_json, "user")?;
            let entity: EntityRef = input(entity_json, "entity")?;
            output(&self.inner.can(&user, capability, level, &entity))
        })
    }

    /// Many decisions for one user; the GIL is released.
    fn can_many(&self, py: Python<'_>, user_json: &str, requests_json: &str) -> PyResult<String> {
        detached(py, || {
            let user: User = input(user_json, "user")?;
            let requests: Vec<CanRequest> = input(requests_json, "requests")?;
            let decisions: Vec<_> = requests
                .iter()
                .map(|r| self.inner.can(&user, &r.capability, &r.level, &r.entity))
                .collect();
            output(&decisions)
        })
    }

    fn who_can(
        &self,
        py: Python<'_>,
        users_json: &str,
        capability: &str,
        level: &str,
        entity_json: &str,
    ) -> PyResult<String> {
        detached(py, || {
            let users: Vec<User> = input(users_json, "users")?;
            let entity: EntityRef = input(entity_json, "entity")?;
            output(&self.inner.who_can(&users, capability, level, &entity))
        })
    }

    fn redact(
        &self,
        py: Python<'_>,
        user_json: &str,
        entity_json: &str,
        record_json: &str,
    ) -> PyResult<String> {
        guarded(py, || {
            let user: User = input(user_json, "user")?;
            let entity: EntityRef = input(entity_json, "entity")?;
            let record: serde_json::Value = input(record_json, "record")?;
            output(&self.inner.redact(&user, &entity, &record))
        })
    }

    fn assess(&self, py: Python<'_>, change_json: &str) -> PyResult<String> {
        guarded(py, || {
            output(&self.inner.assess(&input::<Change>(change_json, "")?))
        })
    }

    /// Reviews a seat; the GIL is released.
    #[pyo3(signature = (users_json, options_json=None))]
    fn audit(
        &self,
        py: Python<'_>,
        users_json: &str,
        options_json: Option<&str>,
    ) -> PyResult<String> {
        detached(py, || {
            let users: Vec<User> = input(users_json, "users")?;
            let call: AuditCall = match options_json {
                Some(text) => input(text, "options")?,
                None => AuditCall::default(),
            };
            let report = self.inner.audit(
                &users,
                call.now.as_ref(),
                call.activity.as_deref(),
                &call.options(),
            );
            output(&report)
        })
    }
}

/// The ids of the built-in profiles.
#[pyfunction]
fn profiles() -> Vec<&'static str> {
    Profile::builtin_ids()
}

/// Every finding code, as JSON text.
#[pyfunction]
fn codes(py: Python<'_>) -> PyResult<String> {
    guarded(py, || output(&adaccess_core::codes_for(None)))
}

/// Raises `AdaccessError(code="internal")` from a Rust panic: proves panics never leak.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    guarded(py, || -> Result<(), Failure> {
        let v: Vec<u8> = Vec::new();
        let i = v.len() + 1;
        #[allow(clippy::indexing_slicing)]
        let _ = v[i];
        Ok(())
    })
}

#[pymodule]
fn _adaccess(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(profiles, m)?)?;
    m.add_function(wrap_pyfunction!(codes, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
