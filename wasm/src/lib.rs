//! The npm package `adaccess`: the core engine through wasm-bindgen. This layer converts
//! JavaScript values to the core's documents and errors to `AdaccessError`; no rule lives here.

use adaccess_core::error::AdaccessError as _;
use std::sync::Arc;

use adaccess_core::{
    AssessOptions, CanRequest, Change, Directory, Edit, EntityRef, ErrorInfo, InputError, Profile,
    Timestamp, User,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Talc instead of the default dlmalloc: a smaller module, and a large user's assessment
/// allocates thousands of small strings and rows.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types/adaccess-types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// Optional arguments, typed for TypeScript (`options?: AssessOptions | null`).
    #[wasm_bindgen(typescript_type = "AssessOptions")]
    pub type AssessOptionsArg;
    #[wasm_bindgen(typescript_type = "AuditCall")]
    pub type AuditCallArg;
    #[wasm_bindgen(typescript_type = "Directory")]
    pub type DirectoryArg;
    #[wasm_bindgen(typescript_type = "{ now?: string | null }")]
    pub type DriftOptionsArg;
    #[wasm_bindgen(typescript_type = "ReconcileOptions")]
    pub type ReconcileOptionsArg;
}

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(info: JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/js/convert.js")]
extern "C" {
    /// `JSON.stringify`, as UTF-8 bytes.
    #[wasm_bindgen(js_name = jsonBytes, catch)]
    fn json_bytes(value: &JsValue) -> Result<js_sys::Uint8Array, JsValue>;
    /// An entity `{level, id}` as "level\0id", or nothing when it is not exactly that.
    #[wasm_bindgen(js_name = entityText)]
    fn entity_text(value: &JsValue) -> Option<String>;
}

/// Turns an error's `{code, message, path}` into a thrown `AdaccessError`.
fn throw(info: ErrorInfo) -> JsValue {
    let value = serde_json::to_string(&info)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok());
    match value {
        Some(v) => make_error(v),
        None => JsValue::from(js_sys::Error::new(&info.message)),
    }
}

fn internal(message: String) -> JsValue {
    throw(ErrorInfo::new("internal", message))
}

thread_local! {
    /// The message of the last panic, for the `internal` error the JavaScript side throws.
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs when the module is instantiated: a panic (a bug) records its message before the
/// WebAssembly trap, so `guard.js` can report it as `AdaccessError` with code `internal`.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// The message of the last panic, once (used by the package's guard after a trap).
#[wasm_bindgen(js_name = __takePanic)]
pub fn take_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow_mut().take())
}

/// Panics: the tests prove a bug in the engine surfaces as `AdaccessError("internal")`.
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests() {
    let v: Vec<u8> = Vec::new();
    let i = v.len() + 1;
    #[allow(clippy::indexing_slicing)]
    let _ = v[i];
}

/// Results cross as JSON text: one serializer in the module, and `JSON.parse` is fast.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    parse(serde_json::to_string(value))
}

/// The JSON text of a result, read in JavaScript.
fn parse(text: serde_json::Result<String>) -> Result<JsValue, JsValue> {
    let text = text.map_err(|e| internal(format!("could not convert the result: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| internal("could not read the result back".into()))
}

/// The JSON text of a JS value (`JSON.stringify`); functions and `undefined` are not documents.
fn json_text(value: &JsValue, prefix: &str) -> Result<String, JsValue> {
    let path = if prefix.is_empty() { "." } else { prefix };
    let not_json = || throw(InputError::invalid(path, "expected a JSON value").info());
    if value.is_undefined() || value.is_function() {
        return Err(not_json());
    }
    match json_bytes(value) {
        // A symbol, for one: JSON.stringify gives undefined, no text.
        Ok(bytes) if bytes.length() == 0 => Err(not_json()),
        // TextEncoder writes UTF-8 (JSON.stringify escapes lone surrogates).
        Ok(bytes) => String::from_utf8(bytes.to_vec()).map_err(|_| {
            throw(InputError::invalid(path, "is not valid UTF-8 once written as JSON").info())
        }),
        // JSON.stringify throws on cycles, BigInt and values nested too deep for its stack.
        Err(e) => {
            // A toJSON may throw anything, not only an Error.
            let why: String = match e.dyn_ref::<js_sys::Error>() {
                Some(error) => error.message().into(),
                None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
            };
            Err(throw(
                InputError::invalid(
                    path,
                    format!(
                        "cannot be read as JSON (a cycle, a BigInt, or nested too deeply?): {why}"
                    ),
                )
                .info(),
            ))
        }
    }
}

/// Reads a JS value as a document, with the path of the offending value in the error.
fn from_js<T: DeserializeOwned>(value: JsValue, prefix: &str) -> Result<T, JsValue> {
    let text = json_text(&value, prefix)?;
    adaccess_core::parse_json(&text, prefix).map_err(|e| throw(e.info()))
}

/// An entity `{level, id}`, read in one crossing (`entityText` in `convert.js`), for the calls
/// made once per cell of a grid; anything else (a missing or extra field, a number for an id)
/// goes through the JSON path, whose error names the path. Users and larger documents cross
/// as JSON text: measured faster than serde-wasm-bindgen's conversion, and smaller
/// (BENCHMARKS.md, "Crossings").
fn entity_arg(value: JsValue, path: &str) -> Result<EntityRef, JsValue> {
    if let Some((level, id)) = entity_text(&value)
        .as_deref()
        .and_then(|text| text.split_once('\0'))
    {
        return Ok(EntityRef::new(level, id));
    }
    from_js(value, path)
}

/// An optional argument: absent, `undefined` and `null` are none.
fn optional<T: DeserializeOwned>(value: Option<JsValue>, path: &str) -> Result<Option<T>, JsValue> {
    match value {
        Some(v) if !v.is_undefined() && !v.is_null() => from_js(v, path).map(Some),
        _ => Ok(None),
    }
}

/// An engine: a checked profile and, optionally, the seat's directory.
#[wasm_bindgen]
pub struct Engine {
    /// Shared with the drafts it starts.
    inner: Arc<adaccess_core::Engine>,
}

fn engine(profile: Profile, directory: Option<Directory>) -> Result<Engine, JsValue> {
    adaccess_core::Engine::new(profile, directory.as_ref())
        .map(|inner| Engine {
            inner: Arc::new(inner),
        })
        .map_err(|e| throw(e.info()))
}

#[wasm_bindgen]
impl Engine {
    /// An engine for a profile document (and an optional directory).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Profile")] profile: JsValue,
        directory: Option<DirectoryArg>,
    ) -> Result<Engine, JsValue> {
        let text = json_text(&profile, "profile")?;
        let profile = Profile::from_json(&text).map_err(|e| throw(e.info()))?;
        engine(
            profile,
            optional(directory.map(JsValue::from), "directory")?,
        )
    }

    /// An engine for a built-in profile (`dv360`, `mediamath`).
    pub fn builtin(id: &str, directory: Option<DirectoryArg>) -> Result<Engine, JsValue> {
        let profile = Profile::builtin(id).map_err(|e| throw(e.info()))?;
        engine(
            profile,
            optional(directory.map(JsValue::from), "directory")?,
        )
    }

    /// The ids of the built-in profiles.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn profiles() -> Result<JsValue, JsValue> {
        to_js(&Profile::builtin_ids())
    }

    /// Every finding code with its default severity and description.
    #[wasm_bindgen(unchecked_return_type = "CodeEntry[]")]
    pub fn codes() -> Result<JsValue, JsValue> {
        to_js(&adaccess_core::codes_for(None))
    }

    /// The profile document this engine runs (with `extends` resolved).
    #[wasm_bindgen(unchecked_return_type = "Profile")]
    pub fn profile(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.profile().doc())
    }

    /// Is this user's access valid? `{ok, findings}`.
    #[wasm_bindgen(js_name = validateUser, unchecked_return_type = "Validation")]
    pub fn validate_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "User")] user: JsValue,
    ) -> Result<JsValue, JsValue> {
        let user: User = from_js(user, "")?;
        to_js(&self.inner.validate_user(&user))
    }

    /// The permission matrix: one row per covered entity.
    #[wasm_bindgen(unchecked_return_type = "MatrixRow[]")]
    pub fn effective(
        &self,
        #[wasm_bindgen(unchecked_param_type = "User")] user: JsValue,
    ) -> Result<JsValue, JsValue> {
        let user: User = from_js(user, "")?;
        to_js(&self.inner.effective(&user))
    }

    /// Can the user do `capability` at `level` on `entity`? With the reason.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "User")] user: JsValue,
        capability: &str,
        level: &str,
        #[wasm_bindgen(unchecked_param_type = "EntityRef")] entity: JsValue,
    ) -> Result<JsValue, JsValue> {
        let user: User = from_js(user, "user")?;
        let entity: EntityRef = entity_arg(entity, "entity")?;
        to_js(&self.inner.can(&user, capability, level, &entity))
    }

    /// The answers only (`allowed`) to many questions about one user, in order: the fast
    /// batch for large checks (one crossing of the boundary for all of them).
    #[wasm_bindgen(js_name = allowsMany, unchecked_return_type = "boolean[]")]
    pub fn allows_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "User")] user: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CanRequest[]")] requests: JsValue,
    ) -> Result<JsValue, JsValue> {
        let user: User = from_js(user, "user")?;
        let requests: Vec<CanRequest> = from_js(requests, "requests")?;
        to_js(&self.inner.allows_many(&user, &requests))
    }

    /// The record as the user may see it on the entity.
    #[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
    pub fn redact(
        &self,
        #[wasm_bindgen(unchecked_param_type = "User")] user: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EntityRef")] entity: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] record: JsValue,
    ) -> Result<JsValue, JsValue> {
        let user: User = from_js(user, "user")?;
        let entity: EntityRef = from_js(entity, "entity")?;
        let record: serde_json::Value = from_js(record, "record")?;
        to_js(&self.inner.redact(&user, &entity, &record))
    }

    /// Assesses a proposed change. `options.effective`: `"all"` (default), `"changed"` (only
    /// the matrix rows that change: what a form editing a large user wants) or `"none"`.
    #[wasm_bindgen(unchecked_return_type = "Assessment")]
    pub fn assess(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Change")] change: JsValue,
        options: Option<AssessOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let change: Change = from_js(change, "")?;
        let options: AssessOptions =
            optional(options.map(JsValue::from), "options")?.unwrap_or_default();
        parse(adaccess_wasm_text::assessment(
            &self.inner.assess_with(&change, &options),
        ))
    }

    /// Resolves a user once, for many questions about it: `engine.user(doc).can(...)`
    /// answers as `engine.can(doc, ...)` does without converting the user again.
    #[wasm_bindgen(js_name = user)]
    pub fn prepare(
        &self,
        #[wasm_bindgen(unchecked_param_type = "User")] user: JsValue,
    ) -> Result<PreparedUser, JsValue> {
        let user: User = from_js(user, "user")?;
        Ok(PreparedUser {
            inner: adaccess_core::PreparedUser::new(self.inner.clone(), user),
        })
    }

    /// Starts a draft of `change`: the change stays in the module, edits come in one at a
    /// time (`draft.setRole(3, "read_only")`...) and `draft.check()` answers after each one.
    pub fn draft(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Change")] change: JsValue,
    ) -> Result<Draft, JsValue> {
        let change: Change = from_js(change, "")?;
        Ok(Draft {
            inner: adaccess_core::Draft::new(self.inner.clone(), change),
        })
    }
}

/// A user resolved once against an engine (`engine.user(doc)`): the questions about one user
/// without sending the user again. Call `free()` when done (or use `using`).
#[wasm_bindgen]
pub struct PreparedUser {
    inner: adaccess_core::PreparedUser<Arc<adaccess_core::Engine>>,
}

#[wasm_bindgen]
impl PreparedUser {
    /// Can the user do `capability` at `level` on `entity`? With the reason.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn can(
        &self,
        capability: &str,
        level: &str,
        #[wasm_bindgen(unchecked_param_type = "EntityRef")] entity: JsValue,
    ) -> Result<JsValue, JsValue> {
        let entity: EntityRef = entity_arg(entity, "entity")?;
        to_js(&self.inner.can(capability, level, &entity))
    }

    /// Only the answer of `can`.
    pub fn allows(
        &self,
        capability: &str,
        level: &str,
        #[wasm_bindgen(unchecked_param_type = "EntityRef")] entity: JsValue,
    ) -> Result<bool, JsValue> {
        let entity: EntityRef = entity_arg(entity, "entity")?;
        Ok(self.inner.allows(capability, level, &entity))
    }

    /// The answers only to many questions, in order.
    #[wasm_bindgen(js_name = allowsMany, unchecked_return_type = "boolean[]")]
    pub fn allows_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CanRequest[]")] requests: JsValue,
    ) -> Result<JsValue, JsValue> {
        let requests: Vec<CanRequest> = from_js(requests, "requests")?;
        to_js(&self.inner.allows_many(&requests))
    }

    /// The permission matrix: one row per covered entity.
    #[wasm_bindgen(unchecked_return_type = "MatrixRow[]")]
    pub fn effective(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.effective())
    }

    /// The record as the user may see it on the entity.
    #[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
    pub fn redact(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EntityRef")] entity: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] record: JsValue,
    ) -> Result<JsValue, JsValue> {
        let entity: EntityRef = entity_arg(entity, "entity")?;
        let record: serde_json::Value = from_js(record, "record")?;
        to_js(&self.inner.redact(&entity, &record))
    }
}

/// The questions about a whole seat, in the `full` build only (`adaccess/full`): `whoCan`
/// and `audit` take every user of the seat, and the export readers read them. A form asks
/// about one user at a time, and these are a quarter of the module.
#[cfg(feature = "exports")]
use adaccess_core::AuditCall;

#[cfg(feature = "exports")]
#[wasm_bindgen]
impl Engine {
    /// Every user who can, with the reason.
    #[wasm_bindgen(js_name = whoCan, unchecked_return_type = "WhoCan[]")]
    pub fn who_can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "User[]")] users: JsValue,
        capability: &str,
        level: &str,
        #[wasm_bindgen(unchecked_param_type = "EntityRef")] entity: JsValue,
    ) -> Result<JsValue, JsValue> {
        let users: Vec<User> = from_js(users, "users")?;
        let entity: EntityRef = from_js(entity, "entity")?;
        to_js(&self.inner.who_can(&users, capability, level, &entity))
    }

    /// Reviews every user of a seat. `options`: `{now?, activity?, dormant_days?}`.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn audit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "User[]")] users: JsValue,
        options: Option<AuditCallArg>,
    ) -> Result<JsValue, JsValue> {
        let users: Vec<User> = from_js(users, "users")?;
        let call: AuditCall = optional(options.map(JsValue::from), "options")?.unwrap_or_default();
        to_js(&self.inner.audit_with(&users, &call))
    }

    /// Reads a seat's export (DV360 users.list, CSV, MediaMath T1 permissions or a users
    /// array, detected from the content) into `{format, users, directory}`.
    #[wasm_bindgen(js_name = readExport, unchecked_return_type = "Export")]
    pub fn read_export(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
    ) -> Result<JsValue, JsValue> {
        let bytes = export_bytes(&data, "data")?;
        let export = adaccess_core::ingest::read_export(self.inner.profile(), &bytes)
            .map_err(|e| throw(e.info()))?;
        to_js(&export)
    }

    /// Reads an export and reviews it in one call, without converting the users to
    /// JavaScript: the fast path for large exports. When the engine has no directory and the
    /// export carries one (a T1 export), the export's is used, as the CLI and Python do.
    #[wasm_bindgen(js_name = auditExport, unchecked_return_type = "Report")]
    pub fn audit_export(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
        options: Option<AuditCallArg>,
    ) -> Result<JsValue, JsValue> {
        let bytes = export_bytes(&data, "data")?;
        let call: AuditCall = optional(options.map(JsValue::from), "options")?.unwrap_or_default();
        let (_, report) = self
            .inner
            .audit_export(&bytes, &call)
            .map_err(|e| throw(e.info()))?;
        to_js(&report)
    }

    /// What changed between two exports of the seat (any format `readExport` reads): users
    /// added and removed, and each change assessed as if it had been proposed.
    /// `options.now`: the date the changes are assessed at.
    #[wasm_bindgen(unchecked_return_type = "Drift")]
    pub fn drift(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] older: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] newer: JsValue,
        options: Option<DriftOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let (old, new) = (export_bytes(&older, "old")?, export_bytes(&newer, "new")?);
        let options: DriftOptions =
            optional(options.map(JsValue::from), "options")?.unwrap_or_default();
        let snapshots = adaccess_core::Snapshots {
            old: &old,
            new: &new,
        };
        let drift = self
            .inner
            .drift_exports(&snapshots, options.now.as_ref())
            .map_err(|e| throw(e.info()))?;
        to_js(&drift)
    }

    /// Whether an access log (JSON Lines, as `logLine` writes it) explains the drift between
    /// two exports: `reconcile.unlogged`, `reconcile.unapproved`, `reconcile.not_applied`
    /// and the new export's expired elevations and orphaned tokens, as findings.
    #[wasm_bindgen(unchecked_return_type = "Reconciliation")]
    pub fn reconcile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] older: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] newer: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] log: JsValue,
        options: Option<ReconcileOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let (old, new) = (export_bytes(&older, "old")?, export_bytes(&newer, "new")?);
        let log = text_arg(&log, "log")?;
        let options: adaccess_core::ReconcileOptions =
            optional(options.map(JsValue::from), "options")?.unwrap_or_default();
        let snapshots = adaccess_core::Snapshots {
            old: &old,
            new: &new,
        };
        let reconciliation = self
            .inner
            .reconcile_exports(&snapshots, &log, &options)
            .map_err(|e| throw(e.info()))?;
        to_js(&reconciliation)
    }
}

/// A change being edited in a form (`engine.draft(change)`): each edit is a small document,
/// so a user with a thousand assignments is not sent again on every keystroke.
#[wasm_bindgen]
pub struct Draft {
    inner: adaccess_core::Draft,
}

#[wasm_bindgen]
impl Draft {
    /// Gives the assignment at `index` of `after.assignments` another role.
    #[wasm_bindgen(js_name = setRole)]
    pub fn set_role(&mut self, index: f64, role: &str) -> Result<(), JsValue> {
        self.apply(Edit::SetRole {
            index: self::index(index)?,
            role: role.to_string(),
        })
    }

    /// Puts `assignment` at `index`, replacing the one there; `index` equal to the number of
    /// assignments appends it.
    #[wasm_bindgen(js_name = setAssignment)]
    pub fn set_assignment(
        &mut self,
        index: f64,
        #[wasm_bindgen(unchecked_param_type = "Assignment")] assignment: JsValue,
    ) -> Result<(), JsValue> {
        self.apply(Edit::SetAssignment {
            index: self::index(index)?,
            assignment: from_js(assignment, "assignment")?,
        })
    }

    /// Inserts `assignment` before `index` (the later ones move down); `index` equal to the
    /// number of assignments appends it.
    #[wasm_bindgen(js_name = insertAssignment)]
    pub fn insert_assignment(
        &mut self,
        index: f64,
        #[wasm_bindgen(unchecked_param_type = "Assignment")] assignment: JsValue,
    ) -> Result<(), JsValue> {
        self.apply(Edit::InsertAssignment {
            index: self::index(index)?,
            assignment: from_js(assignment, "assignment")?,
        })
    }

    /// Removes the assignment at `index`; the later ones move up.
    #[wasm_bindgen(js_name = removeAssignment)]
    pub fn remove_assignment(&mut self, index: f64) -> Result<(), JsValue> {
        self.apply(Edit::RemoveAssignment {
            index: self::index(index)?,
        })
    }

    /// Turns a toggle of the after-state on or off.
    #[wasm_bindgen(js_name = setToggle)]
    pub fn set_toggle(&mut self, toggle: &str, on: bool) -> Result<(), JsValue> {
        self.apply(Edit::SetToggle {
            toggle: toggle.to_string(),
            on,
        })
    }

    /// Sets (or, with `null`, clears) the reason of the change.
    #[wasm_bindgen(js_name = setReason)]
    pub fn set_reason(&mut self, reason: Option<String>) -> Result<(), JsValue> {
        self.apply(Edit::SetReason { reason })
    }

    /// Replaces the approvals given so far.
    #[wasm_bindgen(js_name = setApprovals)]
    pub fn set_approvals(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Approval[]")] approvals: JsValue,
    ) -> Result<(), JsValue> {
        self.apply(Edit::SetApprovals {
            approvals: from_js(approvals, "approvals")?,
        })
    }

    /// The findings, diff and approvals of the change as it stands.
    #[wasm_bindgen(unchecked_return_type = "Check")]
    pub fn check(&self) -> Result<JsValue, JsValue> {
        parse(adaccess_wasm_text::check(&self.inner.check()))
    }

    /// The full assessment of the change as it stands (on save); options as `assess`.
    #[wasm_bindgen(unchecked_return_type = "Assessment")]
    pub fn assess(&self, options: Option<AssessOptionsArg>) -> Result<JsValue, JsValue> {
        let options: AssessOptions =
            optional(options.map(JsValue::from), "options")?.unwrap_or_default();
        parse(adaccess_wasm_text::assessment(&self.inner.assess(&options)))
    }

    /// The access-log entry of the change as it stands, on save: dated `clock` (an RFC 3339
    /// timestamp or a `YYYY-MM-DD` date; the current time by default) when the change has no
    /// `now`, with the approvals still missing. Throws `log.refused` when the change has an
    /// `error` finding: such a change is not saved, so not logged.
    #[wasm_bindgen(js_name = logEntry, unchecked_return_type = "LogEntry")]
    pub fn log_entry(&mut self, clock: Option<String>) -> Result<JsValue, JsValue> {
        let clock = clock.unwrap_or_else(|| js_sys::Date::new_0().to_iso_string().into());
        let clock = Timestamp::parse(&clock)
            .map_err(|message| throw(InputError::invalid("clock", message).info()))?;
        let entry = self.inner.log_entry(&clock).map_err(|e| throw(e.info()))?;
        parse(adaccess_wasm_text::log_entry(&entry))
    }
}

impl Draft {
    fn apply(&mut self, edit: Edit) -> Result<(), JsValue> {
        self.inner.edit(edit).map_err(|e| throw(e.info()))
    }
}

/// An index from JavaScript: a whole number from 0 up.
fn index(value: f64) -> Result<usize, JsValue> {
    if value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        // A whole number in u32's range: the conversion is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(value as u32 as usize)
    } else {
        Err(throw(
            InputError::invalid("index", format!("{value} is not an index (0, 1, 2...)")).info(),
        ))
    }
}

/// The bytes of an export given as text or as a `Uint8Array`; `path` names the argument.
#[cfg(feature = "exports")]
fn export_bytes(data: &JsValue, path: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = data.as_string() {
        return Ok(text.into_bytes());
    }
    if let Some(array) = data.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(array.to_vec());
    }
    Err(throw(
        InputError::invalid(path, "an export is a string or a Uint8Array").info(),
    ))
}

/// A text argument (an access log's text); `path` names the argument.
#[cfg(feature = "exports")]
fn text_arg(value: &JsValue, path: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| throw(InputError::invalid(path, "expected a string").info()))
}

/// The options of `engine.drift`.
#[cfg(feature = "exports")]
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DriftOptions {
    /// The date the drift's changes are assessed at.
    #[serde(default)]
    now: Option<Timestamp>,
}

/// Checks an access log's hash chain (JSON Lines, as `logLine` writes it): `{ok, entries,
/// head, broken}`, `broken` naming the first line where the chain breaks. With `head` (the
/// head an earlier verification reported), also checks that the log still contains it.
#[cfg(feature = "exports")]
#[wasm_bindgen(js_name = verifyLog, unchecked_return_type = "LogVerification")]
pub fn verify_log(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    head: Option<String>,
) -> Result<JsValue, JsValue> {
    let text = text_arg(&text, "text")?;
    to_js(&adaccess_core::log::verify(&text, head.as_deref()))
}

/// The text that appends `entry` (from `draft.logEntry()`) to an access log whose text so far
/// is `existing`: the entry chained by SHA-256 to the log's last line, one JSON line with
/// its line break.
#[cfg(feature = "exports")]
#[wasm_bindgen(js_name = logLine)]
pub fn log_line(
    #[wasm_bindgen(unchecked_param_type = "string")] existing: JsValue,
    #[wasm_bindgen(unchecked_param_type = "LogEntry")] entry: JsValue,
) -> Result<String, JsValue> {
    let existing = text_arg(&existing, "existing")?;
    let entry: adaccess_core::LogEntry = from_js(entry, "entry")?;
    Ok(adaccess_core::log::next_line(&existing, &entry))
}
