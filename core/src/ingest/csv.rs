//! CSV, one row per assignment:
//!
//! ```text
//! user_id,email,name,level,entity_id,role[,last_login][,TOGGLE...]
//! ```
//!
//! - `role` is a role id of the profile (`standard`) or one of its platform names from
//!   `external_ids` (`STANDARD`, `MANAGER`); ids are matched first, then platform names, then
//!   both without regard to case.
//! - `level` is one of the profile's levels (`advertiser`).
//! - every other column must be `last_login` or a toggle of the profile (`billing` for
//!   mediamath), with `true/false`, `1/0`, `yes/no` or empty (not said) as values.
//! - rows with the same `user_id` are one user. A later row may leave `email`, `name`,
//!   `last_login` or a toggle empty; a value it does give must agree with the earlier rows.
//! - a row with `level`, `entity_id` and `role` all empty lists a user without assignments.
//!
//! Column names are matched without regard to case or surrounding spaces; cells are trimmed.
//! Rows are numbered as a spreadsheet shows them: the header is row 1.

use std::collections::{HashMap, VecDeque};

use super::{decode, IngestError};
use crate::model::{Assignment, EntityRef, Timestamp, User};
use crate::profile::Profile;

const REQUIRED: [&str; 6] = ["user_id", "email", "name", "level", "entity_id", "role"];

/// Reads a CSV export (bytes, so a file that is not UTF-8 is an `ingest.encoding` error).
pub fn read_csv(profile: &Profile, bytes: &[u8]) -> Result<Vec<User>, IngestError> {
    read_csv_text(profile, decode(bytes)?)
}

/// Does the first line look like our CSV header (a `user_id` column)?
pub(crate) fn looks_like_header(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    first.split(',').any(|c| {
        c.trim()
            .trim_matches('"')
            .trim()
            .eq_ignore_ascii_case("user_id")
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    UserId,
    Email,
    Name,
    Level,
    EntityId,
    Role,
    LastLogin,
    Toggle(usize),
}

struct Header {
    /// What each position of a row holds.
    columns: Vec<Column>,
    /// The column names as written, for messages.
    names: Vec<String>,
    /// The toggle ids, indexed by `Column::Toggle`.
    toggles: Vec<String>,
}

pub(crate) fn read_csv_text(profile: &Profile, text: &str) -> Result<Vec<User>, IngestError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    let roles = RoleNames::new(profile);
    let mut reading = Reading::default();
    each_row(profile, text.as_bytes(), &mut |header, record, row| {
        reading.row(profile, &roles, header, record, row)
    })?;
    Ok(reading.users.into())
}

/// Reads a CSV from two readers of the same file without holding it: the first pass finds
/// each user's last row, the second hands on each user once its last row is read, in the
/// order users first appear (as [`read_csv_text`] lists them). A file whose rows of one user
/// are together holds one user at a time. Errors are those of [`read_csv_text`].
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn stream_csv<R1: std::io::Read, R2: std::io::Read>(
    profile: &Profile,
    first: R1,
    second: R2,
    emit: &mut dyn FnMut(User) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let mut last: HashMap<String, usize> = HashMap::new();
    let mut rows = 0usize;
    each_row(profile, first, &mut |header, record, _| {
        let id = header
            .columns
            .iter()
            .position(|c| *c == Column::UserId)
            .and_then(|i| record.get(i))
            .unwrap_or_default();
        last.insert(id.to_string(), rows);
        rows += 1;
        Ok(())
    })?;
    let roles = RoleNames::new(profile);
    let mut reading = Reading::default();
    let mut k = 0usize;
    each_row(profile, second, &mut |header, record, row| {
        reading.row(profile, &roles, header, record, row)?;
        k += 1;
        // Hand on the users at the front whose last row has been read.
        while let Some(front) = reading.users.front() {
            if last.get(&front.id).is_some_and(|l| *l >= k) {
                break;
            }
            let Some(user) = reading.users.pop_front() else {
                break;
            };
            reading.first_row.pop_front();
            reading.base += 1;
            emit(user)?;
        }
        Ok(())
    })?;
    for user in reading.users {
        emit(user)?;
    }
    Ok(())
}

/// Reads the header and runs `f` on every row with its row number (the header is row 1).
fn each_row<R: std::io::Read>(
    profile: &Profile,
    input: R,
    f: &mut dyn FnMut(&Header, &::csv::StringRecord, usize) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(::csv::Trim::All)
        .from_reader(input);
    let header = {
        let record = reader.headers().map_err(|e| csv_error(&e, 1))?;
        header(profile, record)?
    };
    let mut record = ::csv::StringRecord::new();
    let mut count = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(&e, count + 2)),
        }
        count += 1;
        let row = record.position().map_or(count + 1, |p| {
            usize::try_from(p.line()).unwrap_or(count + 1)
        });
        f(&header, &record, row)?;
    }
    Ok(())
}

impl Header {
    /// The name of a column as the header writes it.
    fn name(&self, column: Column, default: &'static str) -> &str {
        self.columns
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.names.get(i))
            .map_or(default, String::as_str)
    }
}

fn header(profile: &Profile, record: &::csv::StringRecord) -> Result<Header, IngestError> {
    let mut columns = Vec::with_capacity(record.len());
    let mut names = Vec::with_capacity(record.len());
    let mut toggles = Vec::new();
    let toggle_ids: Vec<&str> = profile
        .doc()
        .toggles
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    for name in record.iter() {
        let key = name.trim().to_ascii_lowercase();
        let column = match key.as_str() {
            "user_id" => Column::UserId,
            "email" => Column::Email,
            "name" => Column::Name,
            "level" => Column::Level,
            "entity_id" => Column::EntityId,
            "role" => Column::Role,
            "last_login" => Column::LastLogin,
            _ => match toggle_ids.iter().find(|t| t.eq_ignore_ascii_case(&key)) {
                Some(t) => {
                    toggles.push((*t).to_string());
                    Column::Toggle(toggles.len() - 1)
                }
                None => {
                    let toggles_known = if toggle_ids.is_empty() {
                        format!("profile `{}` has no toggles", profile.id())
                    } else {
                        format!(
                            "toggles of profile `{}`: {}",
                            profile.id(),
                            toggle_ids.join(", ")
                        )
                    };
                    return Err(IngestError::UnknownColumn {
                        path: format!("row[1].{name}"),
                        column: name.to_string(),
                        message: format!(
                            "the columns are {}, optionally last_login, and the profile's \
                             toggles ({toggles_known})",
                            REQUIRED.join(", ")
                        ),
                    });
                }
            },
        };
        if columns.contains(&column) {
            return Err(IngestError::Csv {
                row: 1,
                column: Some(name.to_string()),
                message: "the column appears twice in the header".into(),
                path: format!("row[1].{name}"),
            });
        }
        columns.push(column);
        names.push(name.to_string());
    }
    let required = [
        Column::UserId,
        Column::Email,
        Column::Name,
        Column::Level,
        Column::EntityId,
        Column::Role,
    ];
    for (column, name) in required.iter().zip(REQUIRED) {
        if !columns.contains(column) {
            return Err(IngestError::MissingColumn {
                column: name.to_string(),
                message: format!(
                    "a CSV export needs the columns {} (one row per assignment)",
                    REQUIRED.join(", ")
                ),
                path: "row[1]".into(),
            });
        }
    }
    Ok(Header {
        columns,
        names,
        toggles,
    })
}

fn csv_error(err: &::csv::Error, fallback_row: usize) -> IngestError {
    let row = err
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(fallback_row);
    let message = match err.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} field(s), the header has {expected_len}"),
        _ => err.to_string(),
    };
    IngestError::Csv {
        row,
        column: None,
        message,
        path: format!("row[{row}]"),
    }
}

/// Role ids and platform names -> role id.
struct RoleNames<'p> {
    exact: HashMap<&'p str, &'p str>,
    folded: HashMap<String, &'p str>,
    profile: &'p Profile,
}

impl<'p> RoleNames<'p> {
    fn new(profile: &'p Profile) -> Self {
        let mut exact = HashMap::new();
        let mut folded = HashMap::new();
        for role in profile.roles() {
            exact.insert(role.id.as_str(), role.id.as_str());
        }
        for role in profile.roles() {
            folded
                .entry(role.id.to_ascii_lowercase())
                .or_insert(role.id.as_str());
        }
        for role in profile.roles() {
            for ext in role.external_ids.values() {
                exact.entry(ext.as_str()).or_insert(role.id.as_str());
                folded
                    .entry(ext.to_ascii_lowercase())
                    .or_insert(role.id.as_str());
            }
        }
        RoleNames {
            exact,
            folded,
            profile,
        }
    }

    fn get(&self, value: &str) -> Option<&'p str> {
        self.exact
            .get(value)
            .or_else(|| self.folded.get(&value.to_ascii_lowercase()))
            .copied()
    }

    fn unknown(&self, value: &str, row: usize, column: &str) -> IngestError {
        let ids: Vec<&str> = self.profile.roles().iter().map(|r| r.id.as_str()).collect();
        let message = if value == "USER_ROLE_UNSPECIFIED" {
            "`USER_ROLE_UNSPECIFIED` is not a role: give the user a real role".to_string()
        } else {
            format!(
                "`{value}` is not a role of profile `{}` (role ids: {}; platform names such as \
                 `{}` are accepted too)",
                self.profile.id(),
                ids.join(", "),
                self.profile
                    .roles()
                    .iter()
                    .find_map(|r| r.external_ids.values().next())
                    .map_or("ADMIN", String::as_str)
            )
        };
        IngestError::UnknownRole {
            path: format!("row[{row}].{column}"),
            value: value.to_string(),
            message,
        }
    }
}

#[derive(Default)]
struct Reading {
    /// The users from the `base`-th on, in the order they first appear (a stream hands on and
    /// drops the complete ones at the front).
    users: VecDeque<User>,
    base: usize,
    index: HashMap<String, usize>,
    /// The row where each user first appeared, as `users`.
    first_row: VecDeque<usize>,
}

fn cell_error(row: usize, column: &str, message: impl Into<String>) -> IngestError {
    IngestError::Csv {
        row,
        column: Some(column.to_string()),
        message: message.into(),
        path: format!("row[{row}].{column}"),
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" => Some(true),
        "false" | "0" | "no" | "n" => Some(false),
        _ => None,
    }
}

impl Reading {
    /// Reads one row (numbered `row`) into its user: an assignment, fields and toggles.
    fn row(
        &mut self,
        profile: &Profile,
        roles: &RoleNames,
        header: &Header,
        record: &::csv::StringRecord,
        row: usize,
    ) -> Result<(), IngestError> {
        let cells = Cells::of(header, record);
        let at = CellAt { header, row };
        if cells.user_id.is_empty() {
            return Err(at.error(Column::UserId, "user_id", "is empty"));
        }
        let assignment = cells.assignment(profile, roles, &at)?;
        let toggles = cells.toggles(&at)?;
        let last_login = if cells.last_login.is_empty() {
            None
        } else {
            Some(
                Timestamp::parse(cells.last_login)
                    .map_err(|m| at.error(Column::LastLogin, "last_login", m))?,
            )
        };
        let index = self.user_index(cells.user_id, row);
        let first_row = self.first_row.get(index).copied().unwrap_or(row);
        let Some(user) = self.users.get_mut(index) else {
            return Ok(());
        };
        let merge = Merge {
            at,
            user_id: cells.user_id,
            first_row,
        };
        merge.fields(user, &cells, last_login, toggles)?;
        if let Some(a) = assignment {
            user.assignments.push(a);
        }
        Ok(())
    }

    /// The position in `users` of the user with this id, added (first seen on `row`) when new.
    fn user_index(&mut self, user_id: &str, row: usize) -> usize {
        match self.index.get(user_id) {
            Some(i) => i.saturating_sub(self.base),
            None => {
                self.index
                    .insert(user_id.to_string(), self.base + self.users.len());
                self.users.push_back(User {
                    id: user_id.to_string(),
                    ..User::default()
                });
                self.first_row.push_back(row);
                self.users.len() - 1
            }
        }
    }
}

/// The cells of one row, by what they hold.
#[derive(Default)]
struct Cells<'r> {
    user_id: &'r str,
    email: &'r str,
    name: &'r str,
    level: &'r str,
    entity_id: &'r str,
    role: &'r str,
    last_login: &'r str,
    /// Each toggle column's index into `Header::toggles`, with its cell.
    toggles: Vec<(usize, &'r str)>,
}

/// A cell of one row: where errors about it point.
struct CellAt<'h> {
    header: &'h Header,
    row: usize,
}

impl CellAt<'_> {
    /// An error in the cell of `column` (named `default` when the header lacks it).
    fn error(
        &self,
        column: Column,
        default: &'static str,
        message: impl Into<String>,
    ) -> IngestError {
        cell_error(self.row, self.header.name(column, default), message)
    }
}

impl<'r> Cells<'r> {
    /// Sorts the cells of a record by the header's columns.
    fn of(header: &Header, record: &'r ::csv::StringRecord) -> Self {
        let mut cells = Cells::default();
        for (value, column) in record.iter().zip(&header.columns) {
            match column {
                Column::UserId => cells.user_id = value,
                Column::Email => cells.email = value,
                Column::Name => cells.name = value,
                Column::Level => cells.level = value,
                Column::EntityId => cells.entity_id = value,
                Column::Role => cells.role = value,
                Column::LastLogin => cells.last_login = value,
                Column::Toggle(t) => cells.toggles.push((*t, value)),
            }
        }
        cells
    }

    /// The row's assignment, or none when its level, entity and role are all empty.
    fn assignment(
        &self,
        profile: &Profile,
        roles: &RoleNames,
        at: &CellAt<'_>,
    ) -> Result<Option<Assignment>, IngestError> {
        let (level, entity_id, role) = (self.level, self.entity_id, self.role);
        if level.is_empty() && entity_id.is_empty() && role.is_empty() {
            return Ok(None);
        }
        let Some(level_name) = profile
            .levels()
            .iter()
            .find(|l| l.eq_ignore_ascii_case(level))
        else {
            return Err(at.error(
                Column::Level,
                "level",
                format!(
                    "`{level}` is not a level of profile `{}` (levels: {})",
                    profile.id(),
                    profile.levels().join(", ")
                ),
            ));
        };
        if entity_id.is_empty() {
            return Err(at.error(Column::EntityId, "entity_id", "is empty"));
        }
        if role.is_empty() {
            return Err(at.error(Column::Role, "role", "is empty"));
        }
        let role_id = roles
            .get(role)
            .ok_or_else(|| roles.unknown(role, at.row, at.header.name(Column::Role, "role")))?;
        Ok(Some(Assignment {
            entity: EntityRef::new(level_name.as_str(), entity_id),
            role: role_id.to_string(),
        }))
    }

    /// The toggles the row gives a value, with their ids.
    fn toggles<'h>(&self, at: &CellAt<'h>) -> Result<Vec<(&'h str, bool)>, IngestError> {
        let mut parsed = Vec::with_capacity(self.toggles.len());
        for &(t, value) in &self.toggles {
            if value.is_empty() {
                continue;
            }
            let id = at.header.toggles.get(t).map_or("", String::as_str);
            let Some(on) = parse_bool(value) else {
                return Err(cell_error(
                    at.row,
                    id,
                    format!("`{value}` is not a toggle value (true/false, 1/0, yes/no, or empty)"),
                ));
            };
            parsed.push((id, on));
        }
        Ok(parsed)
    }
}

/// A later row of a user merged into the user: where a value it gives must agree with the
/// earlier rows.
struct Merge<'a> {
    at: CellAt<'a>,
    user_id: &'a str,
    /// The row where the user first appeared.
    first_row: usize,
}

impl Merge<'_> {
    /// Fills the user's email, name, last login and toggles from the row, or fails on the
    /// first value that differs from an earlier row's.
    fn fields(
        &self,
        user: &mut User,
        cells: &Cells<'_>,
        last_login: Option<Timestamp>,
        toggles: Vec<(&str, bool)>,
    ) -> Result<(), IngestError> {
        merge_text(&mut user.email, cells.email)
            .map_err(|old| self.error(Column::Email, "email", "email", &old, cells.email))?;
        merge_text(&mut user.name, cells.name)
            .map_err(|old| self.error(Column::Name, "name", "name", &old, cells.name))?;
        if let Some(t) = last_login {
            match &user.last_login {
                Some(old) if *old != t => {
                    return Err(self.error(
                        Column::LastLogin,
                        "last_login",
                        "last login",
                        old.as_str(),
                        t.as_str(),
                    ))
                }
                Some(_) => {}
                None => user.last_login = Some(t),
            }
        }
        for (id, on) in toggles {
            match user.toggles.get(id) {
                Some(old) if *old != on => {
                    return Err(cell_error(
                        self.at.row,
                        id,
                        self.disagree("value", &old.to_string(), &on.to_string()),
                    ))
                }
                Some(_) => {}
                None => {
                    user.toggles.insert(id.to_string(), on);
                }
            }
        }
        Ok(())
    }

    /// The error of a cell whose `what` differs from the one an earlier row gave.
    fn error(
        &self,
        column: Column,
        default: &'static str,
        what: &str,
        earlier: &str,
        now: &str,
    ) -> IngestError {
        self.at
            .error(column, default, self.disagree(what, earlier, now))
    }

    /// Says that `now` differs from the `what` an earlier row gave.
    fn disagree(&self, what: &str, earlier: &str, now: &str) -> String {
        let (user_id, first_row) = (self.user_id, self.first_row);
        format!(
            "`{now}` differs from the {what} `{earlier}` given for user `{user_id}` on an \
             earlier row (first on row {first_row}); rows of one user must agree"
        )
    }
}

/// Fills an empty field, or checks a repeated one agrees; returns the old value otherwise.
fn merge_text(field: &mut String, value: &str) -> Result<(), String> {
    if value.is_empty() || field == value {
        return Ok(());
    }
    if field.is_empty() {
        value.clone_into(field);
        return Ok(());
    }
    Err(field.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AdaccessError;

    #[test]
    fn rows_merge_into_users() {
        let Ok(p) = Profile::builtin("mediamath") else {
            return;
        };
        let text = "user_id,email,name,level,entity_id,role,billing,last_login\n\
                    m-1,a@x.example,Ana,organization,1,ADMIN,yes,2026-11-01\n\
                    \n\
                    m-2,b@x.example,Bo,advertiser,6,trader,,\n\
                    m-1,,,agency,3,admin,,\n";
        let users = read_csv(&p, text.as_bytes()).unwrap_or_default();
        assert_eq!(users.len(), 2);
        let ana = users.first().cloned().unwrap_or_default();
        assert_eq!(ana.assignments.len(), 2);
        assert!(ana.toggle("billing"));
        assert_eq!(ana.email, "a@x.example");
        assert!(users.get(1).is_some_and(|b| b.toggles.is_empty()));
    }

    #[test]
    fn errors_name_row_and_column() {
        let Ok(p) = Profile::builtin("mediamath") else {
            return;
        };
        let head = "user_id,email,name,level,entity_id,role,billing\n";
        let cases = [
            (
                format!("{head}m-1,a@x,A,organization,1,admin,maybe\n"),
                "ingest.csv",
                "row[2].billing",
            ),
            (
                format!("{head}m-1,a@x,A,organization,1,admin,\nm-1,b@x,A,agency,3,admin,\n"),
                "ingest.csv",
                "row[3].email",
            ),
            (
                format!("{head}m-1,a@x,A,seat,1,admin,\n"),
                "ingest.csv",
                "row[2].level",
            ),
            (
                format!("{head}m-1,a@x,A,agency,1,BOSS,\n"),
                "ingest.unknown_role",
                "row[2].role",
            ),
            (
                format!("{head}m-1,a@x,A,agency,1\n"),
                "ingest.csv",
                "row[2]",
            ),
            (
                "user_id,email,name,level,entity_id,role,colour\n".to_string(),
                "ingest.unknown_column",
                "row[1].colour",
            ),
            (
                "user_id,email,name,level,role\n".to_string(),
                "ingest.missing_column",
                "row[1]",
            ),
        ];
        for (text, code, path) in cases {
            match read_csv(&p, text.as_bytes()) {
                Err(e) => assert_eq!((e.code(), e.path()), (code, Some(path)), "{e}"),
                Ok(_) => panic!("no error for {text}"),
            }
        }
    }
}
