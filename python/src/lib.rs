//! The pip package `adaccess`: the core engine through PyO3. Documents cross as JSON text
//! (Python's `json` module is fast and exact); errors become `adaccess.AdaccessError`
//! subclasses with `code` and `path`. No rule lives here.
//!
//! Exports cross as bytes or as a file path the core reads itself; reading, parsing and
//! auditing run without the GIL, so `audit_export` never turns the users into Python objects.
//! The same holds for the two exports of a drift or a reconciliation, for the access log
//! (read, verified, appended to) and for the log entry's file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use adaccess_core::error::AdaccessError as _;
use adaccess_core::ingest::{self, IngestError};
use adaccess_core::parse_json;
use adaccess_core::seats;
use adaccess_core::{
    log, Approval, AssessOptions, Assignment, AuditCall, CanRequest, Change, Directory, Edit,
    EntityRef, ErrorInfo, InputError, Profile, ReconcileOptions, SnapshotError, Snapshots,
    Timestamp, User,
};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde::de::DeserializeOwned;
use serde::Serialize;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// An error on its way to Python, boxed to keep `Result`s small.
type Failure = Box<(Kind, ErrorInfo)>;

/// Which Python exception class an error becomes.
#[derive(Clone, Copy)]
enum Kind {
    Profile,
    Input,
    Internal,
    /// A file could not be read: Python's `OSError` (the subclass its errno picks, e.g.
    /// `FileNotFoundError`), with the file name in `info.path`.
    Os(Option<i32>),
}

fn raise(py: Python<'_>, kind: Kind, info: ErrorInfo) -> PyErr {
    let class = match kind {
        Kind::Profile => "ProfileError",
        Kind::Input => "InputError",
        Kind::Internal => "AdaccessError",
        Kind::Os(errno) => {
            return match errno {
                Some(errno) => PyOSError::new_err((errno, info.message, info.path)),
                None => PyOSError::new_err(match info.path {
                    Some(file) => format!("{}: {file:?}", info.message),
                    None => info.message,
                }),
            };
        }
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
                problems,
            ))
        });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

fn internal(message: String) -> ErrorInfo {
    ErrorInfo::new("internal", message)
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

/// An entity `{"level", "id"}` read from the dict itself, for the calls made once per cell
/// of a grid. Anything else (a missing or extra key, a number for an id, a mapping that is
/// not a dict) goes through `adaccess._dumps` and the JSON reader, so the error is the one
/// every face gives, with its path. Users and larger documents cross as JSON text, which
/// measured faster than pythonize's conversion (BENCHMARKS.md, "Crossings").
fn entity_arg(py: Python<'_>, obj: &Bound<'_, PyAny>, path: &str) -> PyResult<EntityRef> {
    if let Ok(dict) = obj.cast::<PyDict>() {
        let read = |key: &str| -> Option<String> { dict.get_item(key).ok()??.extract().ok() };
        if dict.len() == 2 {
            if let (Some(level), Some(id)) = (read("level"), read("id")) {
                return Ok(EntityRef { level, id });
            }
        }
    }
    let dumps = py.import("adaccess")?.getattr("_dumps")?;
    let text: String = dumps.call1((obj, path))?.extract()?;
    guarded(py, || input(&text, path))
}

/// An answer as Python objects, without JSON text.
fn answer<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(|e| {
        raise(
            py,
            Kind::Internal,
            internal(format!("could not convert the result: {e}")),
        )
    })
}

fn output<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| {
        Box::new((
            Kind::Internal,
            internal(format!("could not convert the result: {e}")),
        ))
    })
}

fn ingest_failure(e: &IngestError) -> Failure {
    Box::new((Kind::Input, e.info()))
}

/// An export handed over from Python: its bytes, or the path of a file to read.
enum Source<'a> {
    Bytes(&'a [u8]),
    File(PathBuf),
}

impl<'a> Source<'a> {
    /// `bytes` are the export itself; `str` and `os.PathLike` name a file.
    fn extract(obj: &'a Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(bytes) = obj.cast::<PyBytes>() {
            return Ok(Source::Bytes(bytes.as_bytes()));
        }
        Ok(Source::File(obj.extract::<PathBuf>()?))
    }

    /// Runs `f` on the bytes, reading the file first when there is one (call without the GIL).
    fn with<T>(&self, f: impl FnOnce(&[u8]) -> Result<T, Failure>) -> Result<T, Failure> {
        match self {
            Source::Bytes(bytes) => f(bytes),
            Source::File(path) => f(&read_file(path)?),
        }
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| os_failure(path, &e))
}

/// A file that could not be read or written: Python's `OSError` for its errno.
fn os_failure(path: &Path, e: &std::io::Error) -> Failure {
    let errno = e.raw_os_error();
    // `io::Error` displays as "No such file or directory (os error 2)": Python's OSError
    // adds the errno itself.
    let text = e.to_string();
    let message = match text.rfind(" (os error ") {
        Some(at) if errno.is_some() => text.get(..at).unwrap_or(&text).to_string(),
        _ => text,
    };
    Box::new((
        Kind::Os(errno),
        ErrorInfo::new("input.io", message).at(path.display().to_string()),
    ))
}

/// An access log's text: bytes that are not UTF-8 are `log.encoding`.
fn log_text(bytes: &[u8]) -> Result<&str, Failure> {
    log::text(bytes).map_err(|e| log_failure(&e))
}

/// A date handed over as JSON text (a string), read as the core reads dates; `None` when
/// not given.
fn timestamp(json: Option<&str>, what: &str) -> Result<Option<Timestamp>, Failure> {
    json.map(|text| input::<Timestamp>(text, what)).transpose()
}

fn snapshot_failure(e: &SnapshotError) -> Failure {
    Box::new((Kind::Input, e.info()))
}

fn log_failure(e: &log::LogError) -> Failure {
    Box::new((Kind::Input, e.info()))
}

/// The export's text; bytes that are not UTF-8 get the same `ingest.encoding` error (with the
/// offset and hint) as `read_export` gives.
fn export_text<'b>(profile: &Profile, bytes: &'b [u8]) -> Result<&'b str, Failure> {
    std::str::from_utf8(bytes).map_err(|_| match ingest::read_export(profile, bytes) {
        Err(e) => ingest_failure(&e),
        Ok(_) => Box::new((
            Kind::Input,
            ErrorInfo::new("ingest.encoding", "the export is not UTF-8 text"),
        )),
    })
}

/// A compiled profile and, optionally, the seat's directory.
#[pyclass(module = "adaccess._adaccess", frozen)]
struct Engine {
    /// Shared with the drafts it starts.
    inner: Arc<adaccess_core::Engine>,
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
        .map(|inner| Engine {
            inner: Arc::new(inner),
        })
        .map_err(|e| Box::new((Kind::Input, e.info())))
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
            output(&self.inner.validate_user(&input::<User>(user_json, "")?))
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
            output(&self.inner.can_many(&user, &requests))
        })
    }

    /// Many yes/no answers for one user, no explanations: requests are (capability, level,
    /// entity level, entity id), converted by PyO3 rather than through JSON; the GIL is
    /// released while the engine answers.
    fn allows_many(
        &self,
        py: Python<'_>,
        user_json: &str,
        requests: Vec<(String, String, String, String)>,
    ) -> PyResult<Vec<bool>> {
        detached(py, || {
            let user: User = input(user_json, "user")?;
            let requests: Vec<CanRequest> = requests
                .into_iter()
                .map(|(capability, level, entity_level, entity_id)| CanRequest {
                    capability,
                    level,
                    entity: EntityRef::new(entity_level, entity_id),
                })
                .collect();
            Ok(self.inner.allows_many(&user, &requests))
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

    #[pyo3(signature = (change_json, options_json=None))]
    fn assess(
        &self,
        py: Python<'_>,
        change_json: &str,
        options_json: Option<&str>,
    ) -> PyResult<String> {
        guarded(py, || {
            let change: Change = input(change_json, "")?;
            let options: AssessOptions = match options_json {
                Some(text) => input(text, "options")?,
                None => AssessOptions::default(),
            };
            output(&self.inner.assess_with(&change, &options))
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
            output(&self.inner.audit_with(&users, &call))
        })
    }

    /// Reads an export of any format (detected from the content): `{format, users,
    /// directory}`. `source` is the export's bytes or a file path; the GIL is released.
    fn read_export(&self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<String> {
        let source = Source::extract(source)?;
        detached(py, || {
            source.with(|bytes| {
                let export = ingest::read_export(self.inner.profile(), bytes)
                    .map_err(|e| ingest_failure(&e))?;
                output(&export)
            })
        })
    }

    /// Reads a DV360 `users.list` export (a page, an array of pages or of users): the users.
    fn read_dv360_users(&self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<String> {
        let source = Source::extract(source)?;
        detached(py, || {
            source.with(|bytes| {
                let profile = self.inner.profile();
                let users = ingest::read_dv360_users(profile, export_text(profile, bytes)?)
                    .map_err(|e| ingest_failure(&e))?;
                output(&users)
            })
        })
    }

    /// Reads a CSV export, one row per assignment: the users.
    fn read_csv(&self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<String> {
        let source = Source::extract(source)?;
        detached(py, || {
            source.with(|bytes| {
                let users = ingest::read_csv(self.inner.profile(), bytes)
                    .map_err(|e| ingest_failure(&e))?;
                output(&users)
            })
        })
    }

    /// Reads an export and reviews it without handing the users to Python: the fast path
    /// for large exports. When the engine has no directory and the export carries one (T1),
    /// the export's is used, as the CLI does. The GIL is released.
    #[pyo3(signature = (source, options_json=None))]
    fn audit_export(
        &self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        options_json: Option<&str>,
    ) -> PyResult<String> {
        let source = Source::extract(source)?;
        detached(py, || {
            let call: AuditCall = match options_json {
                Some(text) => input(text, "options")?,
                None => AuditCall::default(),
            };
            let file;
            let source = match &source {
                Source::Bytes(bytes) => ingest::Source::Bytes(bytes),
                Source::File(path) => {
                    file = std::fs::File::open(path).map_err(|e| os_failure(path, &e))?;
                    ingest::Source::File { file, path }
                }
            };
            let (_, report) = self
                .inner
                .audit_source(source, &call)
                .map_err(|e| Box::new((Kind::Input, e.info())))?;
            output(&report)
        })
    }

    /// What changed between two exports of the seat (any format each): `old` and `new` are
    /// bytes or file paths; `now_json`, a date as JSON text, dates the changes' assessments.
    /// Reading and comparing run without the GIL.
    #[pyo3(signature = (old, new, now_json=None))]
    fn drift(
        &self,
        py: Python<'_>,
        old: &Bound<'_, PyAny>,
        new: &Bound<'_, PyAny>,
        now_json: Option<&str>,
    ) -> PyResult<String> {
        let (old, new) = (Source::extract(old)?, Source::extract(new)?);
        detached(py, || {
            let now = timestamp(now_json, "now")?;
            old.with(|old| {
                new.with(|new| {
                    let drift = self
                        .inner
                        .drift_exports(&Snapshots { old, new }, now.as_ref())
                        .map_err(|e| snapshot_failure(&e))?;
                    output(&drift)
                })
            })
        })
    }

    /// Whether the access log (`log`: its bytes or a file path, JSON Lines) explains the
    /// drift between two exports; `options_json` is `{old_date?, new_date?}`. Runs without
    /// the GIL.
    #[pyo3(signature = (old, new, log, options_json=None))]
    fn reconcile(
        &self,
        py: Python<'_>,
        old: &Bound<'_, PyAny>,
        new: &Bound<'_, PyAny>,
        log: &Bound<'_, PyAny>,
        options_json: Option<&str>,
    ) -> PyResult<String> {
        let (old, new, log) = (
            Source::extract(old)?,
            Source::extract(new)?,
            Source::extract(log)?,
        );
        detached(py, || {
            let options: ReconcileOptions = match options_json {
                Some(text) => input(text, "options")?,
                None => ReconcileOptions::default(),
            };
            log.with(|log| {
                let log = log_text(log)?;
                old.with(|old| {
                    new.with(|new| {
                        let reconciliation = self
                            .inner
                            .reconcile_exports(&Snapshots { old, new }, log, &options)
                            .map_err(|e| snapshot_failure(&e))?;
                        output(&reconciliation)
                    })
                })
            })
        })
    }

    /// The access-log entry of a change being saved, dated `clock_json` (a date as JSON text;
    /// the current time when `None`) when the change has no `now`; `log.refused` when its
    /// assessment has an error finding.
    #[pyo3(signature = (change_json, clock_json=None))]
    fn log_entry(
        &self,
        py: Python<'_>,
        change_json: &str,
        clock_json: Option<&str>,
    ) -> PyResult<String> {
        guarded(py, || output(&self.entry(change_json, clock_json)?))
    }

    /// `can` with the user as JSON text and the entity as a dict; the decision comes back
    /// as a dict (BENCHMARKS.md, "Crossings").
    fn can_direct<'py>(
        &self,
        py: Python<'py>,
        user_json: &str,
        capability: &str,
        level: &str,
        entity: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let entity = entity_arg(py, entity, "entity")?;
        let decision = guarded(py, || {
            let user: adaccess_core::User = input(user_json, "user")?;
            Ok(self.inner.can(&user, capability, level, &entity))
        })?;
        answer(py, &decision)
    }

    /// Resolves a user (JSON text) once, for many questions about it.
    fn user(&self, py: Python<'_>, user_json: &str) -> PyResult<PreparedUser> {
        guarded(py, || {
            let user: adaccess_core::User = input(user_json, "user")?;
            Ok(PreparedUser {
                inner: adaccess_core::PreparedUser::new(self.inner.clone(), user),
            })
        })
    }

    /// `who_can` over prepared users: every one who can, with the reason (JSON text).
    fn who_can_among(
        &self,
        py: Python<'_>,
        users: Vec<PyRef<'_, PreparedUser>>,
        capability: &str,
        level: &str,
        entity: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let entity = entity_arg(py, entity, "entity")?;
        guarded(py, || {
            let users = users.iter().map(|u| &u.inner);
            output(&adaccess_core::PreparedUser::who_can(
                users, capability, level, &entity,
            ))
        })
    }

    /// Starts a draft of the change: it stays in Rust, edits come in one at a time and
    /// `check` answers after each one.
    fn draft(&self, py: Python<'_>, change_json: &str) -> PyResult<Draft> {
        guarded(py, || {
            let change: Change = input(change_json, "")?;
            Ok(Draft {
                inner: adaccess_core::Draft::new(self.inner.clone(), change),
            })
        })
    }

    /// Appends the change's log entry to the file at `path` (created when missing), chained
    /// to its last line: the line written, without its line breaks. Refused changes write
    /// nothing. The file is read and written without the GIL.
    #[pyo3(signature = (path, change_json, clock_json=None))]
    fn append_log(
        &self,
        py: Python<'_>,
        path: PathBuf,
        change_json: &str,
        clock_json: Option<&str>,
    ) -> PyResult<String> {
        detached(py, || {
            let entry = self.entry(change_json, clock_json)?;
            log::append(&path, &entry).map_err(|e| match e {
                log::AppendError::Io(e) => os_failure(&path, &e),
                log::AppendError::Log(e) => log_failure(&e),
            })
        })
    }
}

impl Engine {
    /// The log entry of a change (JSON text) dated by `clock_json` or the current time.
    fn entry(
        &self,
        change_json: &str,
        clock_json: Option<&str>,
    ) -> Result<adaccess_core::LogEntry, Failure> {
        let change: Change = input(change_json, "")?;
        let clock = timestamp(clock_json, "clock")?.unwrap_or_else(Timestamp::now);
        self.inner
            .log_entry(&change, &clock)
            .map_err(|e| log_failure(&e))
    }
}

/// A user resolved once against an engine (`Engine.user`): `adaccess.User`.
#[pyclass(module = "adaccess._adaccess", name = "User", frozen)]
struct PreparedUser {
    inner: adaccess_core::PreparedUser<Arc<adaccess_core::Engine>>,
}

#[pymethods]
impl PreparedUser {
    /// The user's id.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.doc().id
    }

    /// Can the user do `capability` at `level` on `entity`? The decision, as a dict.
    fn can<'py>(
        &self,
        py: Python<'py>,
        capability: &str,
        level: &str,
        entity: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let entity = entity_arg(py, entity, "entity")?;
        let decision = guarded(py, || Ok(self.inner.can(capability, level, &entity)))?;
        answer(py, &decision)
    }

    /// Only the answer of `can`.
    fn allows(
        &self,
        py: Python<'_>,
        capability: &str,
        level: &str,
        entity: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        let entity = entity_arg(py, entity, "entity")?;
        guarded(py, || Ok(self.inner.allows(capability, level, &entity)))
    }

    /// Many yes/no answers: requests are (capability, level, entity level, entity id).
    fn allows_many(
        &self,
        py: Python<'_>,
        requests: Vec<(String, String, String, String)>,
    ) -> PyResult<Vec<bool>> {
        detached(py, || {
            Ok(requests
                .into_iter()
                .map(|(capability, level, entity_level, entity_id)| {
                    let entity = EntityRef::new(entity_level, entity_id);
                    self.inner.allows(&capability, &level, &entity)
                })
                .collect())
        })
    }

    /// Many decisions (JSON text of the requests and of the answers).
    fn can_many(&self, py: Python<'_>, requests_json: &str) -> PyResult<String> {
        detached(py, || {
            let requests: Vec<CanRequest> = input(requests_json, "requests")?;
            output(&self.inner.can_many(&requests))
        })
    }

    /// The permission matrix (JSON text).
    fn effective(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || output(&self.inner.effective()))
    }

    /// The record as the user may see it on the entity (JSON text in and out).
    fn redact(&self, py: Python<'_>, entity_json: &str, record_json: &str) -> PyResult<String> {
        guarded(py, || {
            let entity: EntityRef = input(entity_json, "entity")?;
            let record: serde_json::Value = input(record_json, "record")?;
            output(&self.inner.redact(&entity, &record))
        })
    }

    /// Is the user's access valid? `{ok, findings}` (JSON text).
    fn validate(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || output(&self.inner.validate()))
    }
}

/// A change being edited in a form (`Engine.draft`): each edit is small, so a user with a
/// thousand assignments is not sent again on every keystroke. Indexes are those of
/// `after.assignments`; a wrong edit raises `InputError` naming the argument and changes
/// nothing.
#[pyclass(module = "adaccess._adaccess")]
struct Draft {
    inner: adaccess_core::Draft,
}

#[pymethods]
impl Draft {
    /// Gives the assignment at `index` another role.
    fn set_role(&mut self, py: Python<'_>, index: &Bound<'_, PyAny>, role: &str) -> PyResult<()> {
        guarded(py, || {
            self.apply(Edit::SetRole {
                index: self::index(index)?,
                role: role.to_string(),
            })
        })
    }

    /// Puts the assignment (JSON text) at `index`, replacing the one there; `index` equal to
    /// the number of assignments appends it.
    fn set_assignment(
        &mut self,
        py: Python<'_>,
        index: &Bound<'_, PyAny>,
        assignment_json: &str,
    ) -> PyResult<()> {
        guarded(py, || {
            self.apply(Edit::SetAssignment {
                index: self::index(index)?,
                assignment: input::<Assignment>(assignment_json, "assignment")?,
            })
        })
    }

    /// Inserts the assignment (JSON text) before `index`; the later ones move down.
    fn insert_assignment(
        &mut self,
        py: Python<'_>,
        index: &Bound<'_, PyAny>,
        assignment_json: &str,
    ) -> PyResult<()> {
        guarded(py, || {
            self.apply(Edit::InsertAssignment {
                index: self::index(index)?,
                assignment: input::<Assignment>(assignment_json, "assignment")?,
            })
        })
    }

    /// Removes the assignment at `index`; the later ones move up.
    fn remove_assignment(&mut self, py: Python<'_>, index: &Bound<'_, PyAny>) -> PyResult<()> {
        guarded(py, || {
            self.apply(Edit::RemoveAssignment {
                index: self::index(index)?,
            })
        })
    }

    /// Turns a toggle of the after-state on or off.
    fn set_toggle(&mut self, py: Python<'_>, toggle: &str, on: bool) -> PyResult<()> {
        guarded(py, || {
            self.apply(Edit::SetToggle {
                toggle: toggle.to_string(),
                on,
            })
        })
    }

    /// Sets (or, with `None`, clears) the reason of the change.
    #[pyo3(signature = (reason))]
    fn set_reason(&mut self, py: Python<'_>, reason: Option<&str>) -> PyResult<()> {
        guarded(py, || {
            self.apply(Edit::SetReason {
                reason: reason.map(str::to_string),
            })
        })
    }

    /// Replaces the approvals given so far (JSON text of a list).
    fn set_approvals(&mut self, py: Python<'_>, approvals_json: &str) -> PyResult<()> {
        guarded(py, || {
            self.apply(Edit::SetApprovals {
                approvals: input::<Vec<Approval>>(approvals_json, "approvals")?,
            })
        })
    }

    /// The findings, diff and approvals of the change as it stands.
    fn check(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || output(&self.inner.check()))
    }

    /// The full assessment of the change as it stands (on save); options as `Engine.assess`.
    #[pyo3(signature = (options_json=None))]
    fn assess(&self, py: Python<'_>, options_json: Option<&str>) -> PyResult<String> {
        guarded(py, || {
            let options: AssessOptions = match options_json {
                Some(text) => input(text, "options")?,
                None => AssessOptions::default(),
            };
            output(&self.inner.assess(&options))
        })
    }

    /// The access-log entry of the change as it stands, on save, as `Engine.log_entry`.
    #[pyo3(signature = (clock_json=None))]
    fn log_entry(&mut self, py: Python<'_>, clock_json: Option<&str>) -> PyResult<String> {
        guarded(py, || {
            let clock = timestamp(clock_json, "clock")?.unwrap_or_else(Timestamp::now);
            let entry = self.inner.log_entry(&clock).map_err(|e| log_failure(&e))?;
            output(&entry)
        })
    }

    /// The change as it stands.
    fn change(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || output(self.inner.change()))
    }
}

impl Draft {
    fn apply(&mut self, edit: Edit) -> Result<(), Failure> {
        self.inner
            .edit(edit)
            .map_err(|e| Box::new((Kind::Input, e.info())))
    }
}

/// An index from Python: an `int` (or an object with `__index__`) from 0 up; anything else
/// is `input.invalid` at `index`, as the core names a bad index.
fn index(value: &Bound<'_, PyAny>) -> Result<usize, Failure> {
    value.extract::<usize>().map_err(|_| {
        let shown = value
            .repr()
            .map(|r| r.to_string())
            .unwrap_or_else(|_| "the value".into());
        Box::new((
            Kind::Input,
            InputError::invalid("index", format!("{shown} is not an index (0, 1, 2...)")).info(),
        ))
    })
}

/// Checks an access log's hash chain (`source`: its bytes or a file path), and with `head`
/// that it still holds that line. Runs without the GIL.
#[pyfunction]
#[pyo3(signature = (source, head=None))]
fn verify_log(py: Python<'_>, source: &Bound<'_, PyAny>, head: Option<&str>) -> PyResult<String> {
    let source = Source::extract(source)?;
    detached(py, || {
        source.with(|bytes| output(&log::verify(log_text(bytes)?, head)))
    })
}

/// The seats the sources name (files, folders, `seats.json` manifests, glob patterns), as
/// JSON text.
#[pyfunction]
fn find_seats(py: Python<'_>, sources: Vec<String>) -> PyResult<String> {
    detached(py, || {
        let found = seats::find_seats(&sources).map_err(|e| Box::new((Kind::Input, e.info())))?;
        output(&found)
    })
}

/// Reviews seats (JSON text of `find_seats`' answer) in parallel on every core, without the
/// GIL: every seat's report, the seats that failed and the combined summary. `profile`, when
/// given, is every seat's profile (its directory is not used: each seat has its own).
#[pyfunction]
#[pyo3(signature = (seats_json, profile=None, options_json=None))]
fn audit_seats(
    py: Python<'_>,
    seats_json: &str,
    profile: Option<&Engine>,
    options_json: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let found: Vec<seats::Seat> = input(seats_json, "seats")?;
        let call: AuditCall = match options_json {
            Some(text) => input(text, "options")?,
            None => AuditCall::default(),
        };
        let options = seats::SeatOptions {
            profile: profile.map(|e| e.inner.profile().clone()),
            directory: None,
            call,
        };
        output(&seats::audit_seats_report(&found, &options))
    })
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
    m.add_class::<PreparedUser>()?;
    m.add_class::<Draft>()?;
    m.add_function(wrap_pyfunction!(profiles, m)?)?;
    m.add_function(wrap_pyfunction!(codes, m)?)?;
    m.add_function(wrap_pyfunction!(verify_log, m)?)?;
    m.add_function(wrap_pyfunction!(find_seats, m)?)?;
    m.add_function(wrap_pyfunction!(audit_seats, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
