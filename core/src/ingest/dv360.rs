//! The Display & Video 360 API `users.list` response (`ListUsersResponse`).
//!
//! One page `{"users": [...], "nextPageToken": "..."}`, a JSON array of pages, or a JSON array
//! of the users themselves. Each user's `assignedUserRoles` become assignments: `partnerId` on
//! the `partner` level, `advertiserId` on the `advertiser` level, `userRole` mapped to a role of
//! the profile through its `external_ids.dv360_api`.
//!
//! The response is parsed straight into borrowed structs (no JSON value tree) and a large
//! export only pays for path tracking when it is broken. Fields this reader does not know are
//! ignored, since the API adds fields over time; the ones it needs (`userId` or `name`,
//! `email`, `assignedUserRoles`, and each role's `userRole` and entity) must be there.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{from_json_error, join, parse_json, sniff, Id, IngestError, Shape, Text};
use crate::model::{Assignment, EntityRef, Timestamp, User};
use crate::profile::Profile;

/// The key of `external_ids` that holds the DV360 API's `userRole` names.
pub(crate) const EXTERNAL_KEY: &str = "dv360_api";

/// What the API sends when a role is unset or unknown to the API version.
const UNSPECIFIED: &str = "USER_ROLE_UNSPECIFIED";

/// A page as a plain struct: only parsed again, with path tracking, to say where a broken
/// document breaks (the fast path streams pages through [`PageSeed`]).
#[derive(Deserialize)]
struct Page<'a> {
    /// Absent when the page is empty.
    #[serde(borrow, default)]
    #[allow(dead_code)]
    users: Option<Vec<RawUser<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawUser<'a> {
    #[serde(borrow, default)]
    user_id: Option<Id<'a>>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    email: Option<Text<'a>>,
    #[serde(borrow, default)]
    display_name: Option<Text<'a>>,
    #[serde(borrow, default)]
    assigned_user_roles: Option<Vec<RawRole<'a>>>,
    #[serde(borrow, default)]
    last_login_time: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRole<'a> {
    #[serde(borrow, default)]
    partner_id: Option<Id<'a>>,
    #[serde(borrow, default)]
    advertiser_id: Option<Id<'a>>,
    #[serde(borrow, default)]
    user_role: Option<Text<'a>>,
}

/// Reads a DV360 `users.list` export: one page, an array of pages or an array of users.
pub fn read_dv360_users(profile: &Profile, text: &str) -> Result<Vec<User>, IngestError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    if text.is_empty() {
        return Err(IngestError::Empty);
    }
    let bare = text.starts_with('[') && sniff(text).shape == Some(Shape::Dv360 { bare: true });
    read(profile, text, bare)
}

/// Reads the export; `bare` when it is a JSON array of users rather than of pages.
///
/// Each user is converted as soon as it is parsed, so the borrowed form of the whole export
/// never sits in memory; a broken document is parsed again with path tracking to say where.
pub(crate) fn read(profile: &Profile, text: &str, bare: bool) -> Result<Vec<User>, IngestError> {
    let layout = Layout::of(text, bare);
    let mut users: Vec<User> = Vec::new();
    let mut places: Vec<UserAt> = Vec::new();
    let mut emit = |user: User, at: UserAt| {
        users.push(user);
        places.push(at);
        Ok(())
    };
    let mut sink = Sink::new(profile, &mut emit);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = layout.read(&mut de, &mut sink);
    if let Some(e) = sink.error.take() {
        return Err(e);
    }
    if let Err(fast) = parsed {
        let tracked = match layout {
            Layout::Bare => parse_json::<Vec<RawUser>>(text).err(),
            Layout::Pages => parse_json::<Vec<Page>>(text).err(),
            Layout::Page => parse_json::<Page>(text).err(),
        };
        return Err(tracked.unwrap_or_else(|| from_json_error(&fast, ".")));
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(users.len());
    for (k, user) in users.iter().enumerate() {
        if let Some(first) = seen.insert(user.id.as_str(), k) {
            let place = |i: usize| places.get(i).copied().unwrap_or_default();
            return Err(twice(&user.id, place(k), place(first)));
        }
    }
    Ok(users)
}

/// Reads an export from `reader` without holding it: each user is handed to `emit` as soon as
/// it is read. A user listed twice is an error at its second place. Paths of structural
/// errors are not recovered (the text is gone): the caller reads a file again with [`read`]
/// to say where, when it can.
///
/// An array (of pages, or of users) is cut into its elements by `Elements`, and each is
/// parsed from its bytes, with strings borrowed; a single page is parsed from the reader.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn stream<R: std::io::Read>(
    profile: &Profile,
    reader: R,
    layout: Layout,
    emit: &mut dyn FnMut(User) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let mut seen: rustc_hash::FxHashMap<Box<str>, UserAt> = Default::default();
    let mut checked = |user: User, at: UserAt| {
        match seen.entry(user.id.as_str().into()) {
            std::collections::hash_map::Entry::Occupied(first) => {
                return Err(twice(&user.id, at, *first.get()))
            }
            std::collections::hash_map::Entry::Vacant(place) => {
                place.insert(at);
            }
        }
        emit(user)
    };
    let mut sink = Sink::new(profile, &mut checked);
    let parsed = match layout {
        Layout::Page => {
            let mut de = serde_json::Deserializer::from_reader(reader);
            layout.read(&mut de, &mut sink)
        }
        Layout::Pages | Layout::Bare => {
            let mut elements = super::stream::Elements::new(reader);
            let mut k = 0;
            let mut result = Ok(());
            while let Some(element) = elements.next_element()? {
                // Checked once here, so that strings are not checked one by one.
                let text = std::str::from_utf8(element).map_err(|e| {
                    IngestError::invalid("", format!("the export is not UTF-8 text: {e}"))
                })?;
                let mut de = serde_json::Deserializer::from_str(text);
                result = match layout {
                    Layout::Pages => PageSeed {
                        sink: &mut sink,
                        layout,
                        page: k,
                    }
                    .deserialize(&mut de),
                    _ => UserSeed {
                        sink: &mut sink,
                        at: UserAt {
                            layout,
                            page: 0,
                            index: k,
                        },
                    }
                    .deserialize(&mut de),
                }
                .and_then(|()| de.end());
                if result.is_err() {
                    break;
                }
                k += 1;
            }
            result
        }
    };
    if let Some(e) = sink.error.take() {
        return Err(e);
    }
    parsed.map_err(|e| from_json_error(&e, "."))
}

/// One user of a bare array, converted and handed on.
#[cfg(not(target_arch = "wasm32"))]
struct UserSeed<'s, 'p, 'e> {
    sink: &'s mut Sink<'p, 'e>,
    at: UserAt,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> DeserializeSeed<'de> for UserSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let raw = RawUser::deserialize(deserializer)?;
        match convert(raw, &self.sink.roles, &self.at).and_then(|u| (self.sink.emit)(u, self.at)) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.sink.error = Some(e);
                Err(de::Error::custom(CONVERSION_FAILED))
            }
        }
    }
}

fn twice(id: &str, at: UserAt, first: UserAt) -> IngestError {
    IngestError::invalid(
        at.path("userId"),
        format!(
            "user `{id}` is listed twice (first at `{}`): was a page exported twice?",
            first.path("")
        ),
    )
}

/// How the users sit in the document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `{"users": [...]}`
    #[default]
    Page,
    /// `[{"users": [...]}, ...]`
    Pages,
    /// `[{"userId": ...}, ...]`
    Bare,
}

impl Layout {
    /// The layout of a document that starts with `text` (`bare`: an array of users, as
    /// sniffed).
    pub(crate) fn of(text: &str, bare: bool) -> Layout {
        if bare {
            Layout::Bare
        } else if text.starts_with('[') {
            Layout::Pages
        } else {
            Layout::Page
        }
    }

    /// Reads the whole document through `sink`.
    fn read<'de, R: serde_json::de::Read<'de>>(
        self,
        de: &mut serde_json::Deserializer<R>,
        sink: &mut Sink<'_, '_>,
    ) -> Result<(), serde_json::Error> {
        match self {
            Layout::Bare => UsersSeed {
                sink,
                layout: self,
                page: 0,
            }
            .deserialize(&mut *de),
            Layout::Pages => PagesSeed { sink }.deserialize(&mut *de),
            Layout::Page => PageSeed {
                sink,
                layout: self,
                page: 0,
            }
            .deserialize(&mut *de),
        }
        .and_then(|()| de.end())
    }
}

/// Where a user sits in the document, to build error paths only when there is an error.
#[derive(Debug, Clone, Copy, Default)]
struct UserAt {
    layout: Layout,
    page: usize,
    index: usize,
}

impl UserAt {
    fn path(&self, field: &str) -> String {
        let user = match self.layout {
            Layout::Page => format!("users[{}]", self.index),
            Layout::Pages => format!("[{}].users[{}]", self.page, self.index),
            Layout::Bare => format!("[{}]", self.index),
        };
        if field.is_empty() {
            user
        } else {
            join(&user, field)
        }
    }
}

/// Hands on the converted users while the document is parsed.
struct Sink<'p, 'e> {
    roles: RoleMap<'p>,
    emit: &'e mut dyn FnMut(User, UserAt) -> Result<(), IngestError>,
    /// The first conversion error; parsing stops there.
    error: Option<IngestError>,
}

impl<'p, 'e> Sink<'p, 'e> {
    fn new(
        profile: &'p Profile,
        emit: &'e mut dyn FnMut(User, UserAt) -> Result<(), IngestError>,
    ) -> Self {
        Sink {
            roles: RoleMap::new(profile),
            emit,
            error: None,
        }
    }
}

/// Tells serde to stop: the reason is in `Sink::error`.
const CONVERSION_FAILED: &str = "adaccess: conversion failed";

/// `[page, page, ...]`
struct PagesSeed<'s, 'p, 'e> {
    sink: &'s mut Sink<'p, 'e>,
}

impl<'de> DeserializeSeed<'de> for PagesSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for PagesSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of users.list pages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut page = 0;
        while seq
            .next_element_seed(PageSeed {
                sink: &mut *self.sink,
                layout: Layout::Pages,
                page,
            })?
            .is_some()
        {
            page += 1;
        }
        Ok(())
    }
}

/// `{"users": [...], "nextPageToken": "..."}`; other keys are skipped.
struct PageSeed<'s, 'p, 'e> {
    sink: &'s mut Sink<'p, 'e>,
    layout: Layout,
    page: usize,
}

impl<'de> DeserializeSeed<'de> for PageSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PageSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a users.list page")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Text>()? {
            if key.0 == "users" {
                map.next_value_seed(UsersSeed {
                    sink: &mut *self.sink,
                    layout: self.layout,
                    page: self.page,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `[user, user, ...]` (or `null`), each converted as soon as it is read.
struct UsersSeed<'s, 'p, 'e> {
    sink: &'s mut Sink<'p, 'e>,
    layout: Layout,
    page: usize,
}

impl<'de> DeserializeSeed<'de> for UsersSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for UsersSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of users")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(raw) = seq.next_element::<RawUser<'de>>()? {
            let at = UserAt {
                layout: self.layout,
                page: self.page,
                index,
            };
            match convert(raw, &self.sink.roles, &at).and_then(|user| (self.sink.emit)(user, at)) {
                Ok(()) => {}
                Err(e) => {
                    self.sink.error = Some(e);
                    return Err(de::Error::custom(CONVERSION_FAILED));
                }
            }
            index += 1;
        }
        Ok(())
    }
}

fn convert(raw: RawUser, roles: &RoleMap, at: &UserAt) -> Result<User, IngestError> {
    let id = match (raw.user_id, &raw.name) {
        (Some(id), _) => id.0.into_owned(),
        (None, Some(name)) => name.0.strip_prefix("users/").unwrap_or(&name.0).to_string(),
        (None, None) => {
            return Err(IngestError::invalid(
                at.path("userId"),
                "missing field `userId` (and no `name` such as `users/123` to take it from)",
            ))
        }
    };
    let email = raw
        .email
        .ok_or_else(|| IngestError::invalid(at.path("email"), "missing field `email`"))?;
    let raw_roles = raw.assigned_user_roles.ok_or_else(|| {
        IngestError::invalid(
            at.path("assignedUserRoles"),
            "missing field `assignedUserRoles`",
        )
    })?;
    let mut assignments = Vec::with_capacity(raw_roles.len());
    for (j, r) in raw_roles.into_iter().enumerate() {
        let entity = match (r.partner_id, r.advertiser_id) {
            (Some(p), None) => EntityRef::new("partner", p.0),
            (None, Some(a)) => EntityRef::new("advertiser", a.0),
            (Some(p), Some(a)) => {
                return Err(IngestError::invalid(
                    at.path(&format!("assignedUserRoles[{j}]")),
                    format!(
                        "has both `partnerId` ({}) and `advertiserId` ({}): an assigned role is \
                         on one partner or one advertiser",
                        p.0, a.0
                    ),
                ))
            }
            (None, None) => {
                return Err(IngestError::invalid(
                    at.path(&format!("assignedUserRoles[{j}]")),
                    "has neither `partnerId` nor `advertiserId`",
                ))
            }
        };
        let Some(value) = r.user_role else {
            return Err(IngestError::invalid(
                at.path(&format!("assignedUserRoles[{j}].userRole")),
                "missing field `userRole`",
            ));
        };
        let role = roles
            .get(&value.0)
            .ok_or_else(|| roles.unknown(&value.0, at, j))?;
        assignments.push(Assignment {
            entity,
            role: role.to_string(),
        });
    }
    let last_login = match raw.last_login_time {
        Some(t) => Some(
            Timestamp::parse(&t.0)
                .map_err(|message| IngestError::invalid(at.path("lastLoginTime"), message))?,
        ),
        None => None,
    };
    Ok(User {
        id,
        email: email.0.into_owned(),
        name: raw
            .display_name
            .map(|n| n.0.into_owned())
            .unwrap_or_default(),
        assignments,
        last_login,
        ..User::default()
    })
}

/// `userRole` -> role id, built once per export from the profile's `external_ids`.
///
/// A dozen short names: a scan that compares lengths first beats hashing each of a million
/// assignments, and a user's assignments mostly repeat one role, which is tried first.
struct RoleMap<'p> {
    names: Vec<(&'p str, &'p str)>,
    last: std::cell::Cell<usize>,
    profile_id: &'p str,
}

impl<'p> RoleMap<'p> {
    fn new(profile: &'p Profile) -> Self {
        let mut names: Vec<(&str, &str)> = Vec::new();
        for role in profile.roles() {
            if let Some(ext) = role.external_ids.get(EXTERNAL_KEY) {
                // The first role wins, as in `Profile::role_by_external`.
                if !names.iter().any(|(n, _)| n == ext) {
                    names.push((ext.as_str(), role.id.as_str()));
                }
            }
        }
        RoleMap {
            names,
            last: std::cell::Cell::new(0),
            profile_id: profile.id(),
        }
    }

    fn get(&self, value: &str) -> Option<&'p str> {
        let last = self.last.get();
        if let Some((name, id)) = self.names.get(last) {
            if *name == value {
                return Some(id);
            }
        }
        let i = self.names.iter().position(|(name, _)| *name == value)?;
        self.last.set(i);
        self.names.get(i).map(|(_, id)| *id)
    }

    fn unknown(&self, value: &str, at: &UserAt, j: usize) -> IngestError {
        let message = if value == UNSPECIFIED {
            format!(
                "`{UNSPECIFIED}` is not a role: the API sends it when a role is unset or unknown \
                 to this API version; give the user a real role in Display & Video 360 and \
                 export again"
            )
        } else if self.names.is_empty() {
            format!(
                "`{value}` cannot be read: profile `{}` maps no role to a DV360 `userRole` \
                 (no `external_ids.{EXTERNAL_KEY}`); is this the right profile?",
                self.profile_id
            )
        } else {
            let mut known: Vec<&str> = self.names.iter().map(|(n, _)| *n).collect();
            crate::order::sort_by(&mut known, Ord::cmp);
            format!(
                "`{value}` is not a DV360 `userRole` of profile `{}` (known: {})",
                self.profile_id,
                known.join(", ")
            )
        };
        IngestError::UnknownRole {
            path: at.path(&format!("assignedUserRoles[{j}].userRole")),
            value: value.to_string(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AdaccessError;

    fn dv360() -> Option<Profile> {
        Profile::builtin("dv360").ok()
    }

    #[test]
    fn one_page_maps_roles_entities_and_fields() {
        let Some(p) = dv360() else { return };
        let text = r#"{"users": [{"name": "users/42", "email": "a@x.example",
            "displayName": "Ana", "lastLoginTime": "2026-11-20T09:12:00.123Z",
            "somethingNew": {"nested": [1]},
            "assignedUserRoles": [
              {"assignedUserRoleId": "partner-1", "partnerId": "1", "userRole": "ADMIN"},
              {"advertiserId": 11, "userRole": "STANDARD"}]}],
            "nextPageToken": "abc"}"#;
        let users = read_dv360_users(&p, text).unwrap_or_default();
        assert_eq!(users.len(), 1);
        let u = users.first().cloned().unwrap_or_default();
        assert_eq!((u.id.as_str(), u.name.as_str()), ("42", "Ana"));
        assert_eq!(
            u.assignments,
            vec![
                Assignment {
                    entity: EntityRef::new("partner", "1"),
                    role: "admin".into()
                },
                Assignment {
                    entity: EntityRef::new("advertiser", "11"),
                    role: "standard".into()
                }
            ]
        );
        assert_eq!(u.last_login.map(|t| t.date()), Some("2026-11-20".into()));
    }

    #[test]
    fn errors_name_the_path() {
        let Some(p) = dv360() else { return };
        let cases = [
            (
                r#"{"users": [{"userId": "1", "email": "a@x", "assignedUserRoles": [
                    {"partnerId": "1", "advertiserId": "2", "userRole": "ADMIN"}]}]}"#,
                "ingest.invalid",
                "users[0].assignedUserRoles[0]",
            ),
            (
                r#"[{"users": []}, {"users": [{"userId": "1", "email": "a@x",
                    "assignedUserRoles": [{"partnerId": "1", "userRole": "BOSS"}]}]}]"#,
                "ingest.unknown_role",
                "[1].users[0].assignedUserRoles[0].userRole",
            ),
            (
                r#"{"users": [{"userId": "1", "assignedUserRoles": []}]}"#,
                "ingest.invalid",
                "users[0].email",
            ),
            (
                r#"{"users": [{"userId": "1", "email": "a@x", "assignedUserRoles": [],
                    "lastLoginTime": "yesterday"}]}"#,
                "ingest.invalid",
                "users[0].lastLoginTime",
            ),
            (
                r#"{"users": [{"userId": "1", "email": "a@x", "assignedUserRoles": []},
                              {"userId": "1", "email": "a@x", "assignedUserRoles": []}]}"#,
                "ingest.invalid",
                "users[1].userId",
            ),
            (
                r#"{"users": [{"userId": "1", "email": 7, "assignedUserRoles": []}]}"#,
                "ingest.invalid",
                "users[0].email",
            ),
        ];
        for (text, code, path) in cases {
            match read_dv360_users(&p, text) {
                Err(e) => assert_eq!((e.code(), e.path()), (code, Some(path)), "{e}"),
                Ok(_) => panic!("no error for {text}"),
            }
        }
    }
}
