//! The MediaMath T1 user permissions document (`GET /permissions/{user_id}`), or a JSON array
//! of them (one per user):
//!
//! ```text
//! {"data": {"permissions": {"flags": [{"access": [{"type": "role", "value": "ADMIN"},
//!                                                  {"type": "scope", "value": "SELECT"}, ...]}],
//!                           "entities": {"organization": [{"access": [{"id", "name", ...}]}],
//!                                        "agency": [{"access": [{..., "organization_id"}]}],
//!                                        "advertiser": [{"access": [{..., "agency_id"}]}]}},
//!           "user": {"id", "name", "email"?, "username"?, "first_name"?, "last_name"?,
//!                    "last_login_on"?}},
//!  "meta": {...}}
//! ```
//!
//! - The role is the `role` flag, mapped through the profile's `external_ids.t1_api`
//!   (`ADMIN`, `MANAGER`, `REPORTER`). T1 gives a user one role for all of its scope.
//! - Scope `GLOBAL`: the user holds the role on every listed organization ("All
//!   advertisers"); when no organization is listed, on the organizations the listed agencies
//!   belong to.
//! - Scope `SELECT` (or no scope flag): the response lists the user's entities together with
//!   their parents, each with a `child_count` (in the T1 fixture, every listed parent has all
//!   of its `child_count` children listed too). So an entity is held *as a whole* when either
//!   nothing under it is listed (a grant whose children the response did not expand), or all
//!   of its listed children are held as a whole and, when `child_count` is given, at least
//!   that many are listed. The user's assignments are the top-most entities held as a whole:
//!   an entity whose parent is held as a whole is covered by it and not listed again, while
//!   a parent listed only as the way to a part of its children (fewer listed than its
//!   `child_count`) is not an assignment; its whole children are. For the fixture (both
//!   organizations listed with every agency and advertiser) that is `organization:1` and
//!   `organization:2`.
//! - The entity `value` (`r`/`w`) and the per-user access flags are not read: the profile's
//!   role grants say what the role may do.
//! - `email` is the user's `email`, else its `username`, else empty; `name` is
//!   `first_name last_name`, else `name`.
//!
//! The export's directory is built from the entity lists (organization > agency > advertiser,
//! parents from `organization_id` and `agency_id`), merged over all documents. An
//! organization that is only named as an agency's parent is added without a name; an entity
//! whose parent chain cannot be completed (an advertiser whose agency is not listed anywhere)
//! is left out of the directory, so the review reports it as an unknown entity.
//!
//! Lists may also be written in T1's v2 style, with plural keys (`organizations`) and the
//! entities directly in the list rather than in `access` groups.

use std::collections::HashMap;

use serde::Deserialize;

use super::{join, parse_json, Export, ExportFormat, Id, IngestError, Scalar, Text};
use crate::model::{Assignment, Directory, DirectoryEntity, EntityRef, Timestamp, User};
use crate::profile::Profile;

/// The key of `external_ids` that holds the T1 API's role names.
const EXTERNAL_KEY: &str = "t1_api";

const LEVELS: [&str; 3] = ["organization", "agency", "advertiser"];

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(borrow, default)]
    data: Option<Data<'a>>,
}

#[derive(Deserialize)]
struct Data<'a> {
    #[serde(borrow, default)]
    permissions: Option<Permissions<'a>>,
    #[serde(borrow, default)]
    user: Option<RawUser<'a>>,
}

#[derive(Deserialize)]
struct Permissions<'a> {
    #[serde(borrow, default)]
    flags: Vec<FlagGroup<'a>>,
    #[serde(borrow, default)]
    entities: Entities<'a>,
}

#[derive(Deserialize)]
struct FlagGroup<'a> {
    #[serde(borrow, default)]
    access: Vec<Flag<'a>>,
}

#[derive(Deserialize)]
struct Flag<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<Text<'a>>,
    #[serde(borrow, default)]
    value: Option<Scalar<'a>>,
}

#[derive(Deserialize, Default)]
struct Entities<'a> {
    #[serde(borrow, default, alias = "organizations")]
    organization: Vec<Item<'a>>,
    #[serde(borrow, default, alias = "agencies")]
    agency: Vec<Item<'a>>,
    #[serde(borrow, default, alias = "advertisers")]
    advertiser: Vec<Item<'a>>,
}

/// An `{access: [...]}` group, or (v2 style) an entity itself.
#[derive(Deserialize)]
struct Item<'a> {
    #[serde(borrow, default)]
    access: Option<Vec<Item<'a>>>,
    #[serde(borrow, default)]
    id: Option<Id<'a>>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    organization_id: Option<Id<'a>>,
    #[serde(borrow, default)]
    agency_id: Option<Id<'a>>,
    #[serde(borrow, default)]
    child_count: Option<Id<'a>>,
}

#[derive(Deserialize)]
struct RawUser<'a> {
    #[serde(borrow, default)]
    id: Option<Id<'a>>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    first_name: Option<Text<'a>>,
    #[serde(borrow, default)]
    last_name: Option<Text<'a>>,
    #[serde(borrow, default)]
    email: Option<Text<'a>>,
    #[serde(borrow, default)]
    username: Option<Text<'a>>,
    #[serde(borrow, default)]
    last_login_on: Option<Text<'a>>,
}

/// One listed entity of one document.
#[derive(Debug, Clone)]
struct Listed {
    level: usize,
    id: String,
    parent: Option<String>,
    name: Option<String>,
    child_count: Option<usize>,
    /// Path of the entity in the document.
    path: String,
}

/// Reads a T1 permissions document or an array of them: the users and the directory their
/// entity lists describe.
pub fn read_t1(profile: &Profile, text: &str) -> Result<Export, IngestError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    if text.is_empty() {
        return Err(IngestError::Empty);
    }
    let docs: Vec<(String, Doc)> = if text.starts_with('[') {
        parse_json::<Vec<Doc>>(text)?
            .into_iter()
            .enumerate()
            .map(|(i, d)| (format!("[{i}]"), d))
            .collect()
    } else {
        vec![(String::new(), parse_json::<Doc>(text)?)]
    };
    let mut users = Vec::with_capacity(docs.len());
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut directory = DirectoryBuilder::default();
    for (prefix, doc) in docs {
        let (user, listed) = convert(profile, &prefix, doc)?;
        let id_path = join(&prefix, "data.user.id");
        if let Some(first) = seen.insert(user.id.clone(), id_path.clone()) {
            return Err(IngestError::invalid(
                id_path,
                format!("user `{}` is listed twice (first at `{first}`)", user.id),
            ));
        }
        directory.add(&listed)?;
        users.push(user);
    }
    Ok(Export {
        format: ExportFormat::T1Permissions,
        users,
        directory: directory.build(),
    })
}

/// A T1 export (an array of documents) read as a stream in two passes over its elements: the
/// first builds the directory (and checks that no user is listed twice), the second converts
/// the users. Each element is the bytes of one document; errors have no path (the caller
/// reads the file again whole to say where).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
pub(crate) struct Streamed {
    seen: std::collections::HashSet<String>,
    directory: DirectoryBuilder,
}

#[cfg(not(target_arch = "wasm32"))]
impl Streamed {
    /// The first pass over one document: its entities, and its user's id.
    pub(crate) fn list(&mut self, profile: &Profile, text: &str) -> Result<(), IngestError> {
        let doc: Doc = parse_json(text)?;
        let (user, listed) = convert(profile, "", doc)?;
        if !self.seen.insert(user.id.clone()) {
            return Err(IngestError::invalid(
                "data.user.id",
                format!("user `{}` is listed twice", user.id),
            ));
        }
        self.directory.add(&listed)
    }

    /// The directory of every document listed.
    pub(crate) fn directory(self) -> Option<Directory> {
        self.directory.build()
    }
}

/// The second pass over one document: its user.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn user_of(profile: &Profile, text: &str) -> Result<User, IngestError> {
    let doc: Doc = parse_json(text)?;
    convert(profile, "", doc).map(|(user, _)| user)
}

fn convert(profile: &Profile, prefix: &str, doc: Doc) -> Result<(User, Vec<Listed>), IngestError> {
    let at = |rest: &str| join(prefix, rest);
    let data = doc
        .data
        .ok_or_else(|| IngestError::invalid(at("data"), "missing field `data`"))?;
    let permissions = data.permissions.ok_or_else(|| {
        IngestError::invalid(at("data.permissions"), "missing field `permissions`")
    })?;
    let raw_user = data
        .user
        .ok_or_else(|| IngestError::invalid(at("data.user"), "missing field `user`"))?;
    let id = raw_user
        .id
        .ok_or_else(|| IngestError::invalid(at("data.user.id"), "missing field `id`"))?
        .0
        .into_owned();

    let mut role = None;
    let mut scope = None;
    for (g, group) in permissions.flags.iter().enumerate() {
        for (k, flag) in group.access.iter().enumerate() {
            let slot = match flag.kind.as_ref().map(|t| t.0.as_ref()) {
                Some("role") => &mut role,
                Some("scope") => &mut scope,
                _ => continue,
            };
            let path = at(&format!("data.permissions.flags[{g}].access[{k}].value"));
            match &flag.value {
                Some(Scalar::Str(v)) => *slot = Some((v.to_string(), path)),
                _ => return Err(IngestError::invalid(path, "expected a string")),
            }
        }
    }
    let Some((role_name, role_path)) = role else {
        return Err(IngestError::invalid(
            at("data.permissions.flags"),
            "no `role` flag: T1 names the user's role in a flag `{\"type\": \"role\", \"value\": \"MANAGER\"}`",
        ));
    };
    let role_id = profile
        .role_by_external(EXTERNAL_KEY, &role_name)
        .and_then(|r| profile.role_doc(r))
        .map(|r| r.id.clone())
        .ok_or_else(|| unknown_role(profile, &role_name, role_path))?;
    let global = match &scope {
        None => false,
        Some((s, path)) => match s.to_ascii_uppercase().as_str() {
            "GLOBAL" => true,
            "SELECT" => false,
            _ => {
                return Err(IngestError::invalid(
                    path.clone(),
                    format!("`{s}` is not a T1 scope (GLOBAL or SELECT)"),
                ))
            }
        },
    };

    let listed = list_entities(&permissions.entities, &at)?;
    let held = if global {
        global_scope(&listed, &at)?
    } else {
        select_scope(&listed)
    };
    let assignments = held
        .into_iter()
        .map(|e| Assignment {
            entity: EntityRef::new(LEVELS.get(e.level).copied().unwrap_or_default(), &e.id),
            role: role_id.clone(),
        })
        .collect();

    let text = |t: Option<Text>| t.map(|t| t.0.into_owned()).filter(|s| !s.is_empty());
    let full_name = match (text(raw_user.first_name), text(raw_user.last_name)) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (f, l) => f.or(l),
    };
    let last_login = match raw_user.last_login_on {
        Some(t) => Some(
            parse_t1_time(&t.0)
                .map_err(|m| IngestError::invalid(at("data.user.last_login_on"), m))?,
        ),
        None => None,
    };
    let user = User {
        id,
        email: text(raw_user.email)
            .or_else(|| text(raw_user.username))
            .unwrap_or_default(),
        name: full_name
            .or_else(|| text(raw_user.name))
            .unwrap_or_default(),
        assignments,
        last_login,
        ..User::default()
    };
    Ok((user, listed))
}

fn unknown_role(profile: &Profile, value: &str, path: String) -> IngestError {
    let known: Vec<&str> = profile
        .roles()
        .iter()
        .filter_map(|r| r.external_ids.get(EXTERNAL_KEY).map(String::as_str))
        .collect();
    let message = if known.is_empty() {
        format!(
            "`{value}` cannot be read: profile `{}` maps no role to a T1 role (no \
             `external_ids.{EXTERNAL_KEY}`); is this the right profile?",
            profile.id()
        )
    } else {
        format!(
            "`{value}` is not a T1 role of profile `{}` (known: {})",
            profile.id(),
            known.join(", ")
        )
    };
    IngestError::UnknownRole {
        path,
        value: value.to_string(),
        message,
    }
}

/// The entities of one document, flattened, in list order, without repeats.
fn list_entities(
    entities: &Entities,
    at: &dyn Fn(&str) -> String,
) -> Result<Vec<Listed>, IngestError> {
    let mut out: Vec<Listed> = Vec::new();
    let mut seen: HashMap<(usize, String), ()> = HashMap::new();
    let lists = [
        (0, "organization", &entities.organization),
        (1, "agency", &entities.agency),
        (2, "advertiser", &entities.advertiser),
    ];
    for (level, key, items) in lists {
        for (g, item) in items.iter().enumerate() {
            let group_path = format!("data.permissions.entities.{key}[{g}]");
            let flat: Vec<(String, &Item)> = match &item.access {
                Some(access) => access
                    .iter()
                    .enumerate()
                    .map(|(k, e)| (format!("{group_path}.access[{k}]"), e))
                    .collect(),
                None => vec![(group_path, item)],
            };
            for (path, e) in flat {
                let path = at(&path);
                let Some(id) = &e.id else {
                    return Err(IngestError::invalid(
                        join(&path, "id"),
                        "missing field `id`",
                    ));
                };
                let parent = match level {
                    1 => e.organization_id.as_ref(),
                    2 => e.agency_id.as_ref(),
                    _ => None,
                };
                let id = id.0.to_string();
                if seen.insert((level, id.clone()), ()).is_some() {
                    continue;
                }
                out.push(Listed {
                    level,
                    id,
                    parent: parent.map(|p| p.0.to_string()),
                    name: e.name.as_ref().map(|n| n.0.to_string()),
                    child_count: e.child_count.as_ref().and_then(|c| c.0.parse().ok()),
                    path,
                });
            }
        }
    }
    Ok(out)
}

fn global_scope<'l>(
    listed: &'l [Listed],
    at: &dyn Fn(&str) -> String,
) -> Result<Vec<Listed>, IngestError> {
    let orgs: Vec<Listed> = listed.iter().filter(|e| e.level == 0).cloned().collect();
    if !orgs.is_empty() {
        return Ok(orgs);
    }
    let mut parents: Vec<Listed> = Vec::new();
    for agency in listed.iter().filter(|e| e.level == 1) {
        if let Some(p) = &agency.parent {
            if !parents.iter().any(|o| &o.id == p) {
                parents.push(Listed {
                    level: 0,
                    id: p.clone(),
                    parent: None,
                    name: None,
                    child_count: None,
                    path: agency.path.clone(),
                });
            }
        }
    }
    if parents.is_empty() {
        return Err(IngestError::invalid(
            at("data.permissions.entities.organization"),
            "the scope is GLOBAL but no organization is listed (nor any agency's \
             `organization_id`)",
        ));
    }
    Ok(parents)
}

/// The top-most entities held as a whole (see the module docs).
fn select_scope(listed: &[Listed]) -> Vec<Listed> {
    let index: HashMap<(usize, &str), usize> = listed
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.level, e.id.as_str()), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); listed.len()];
    let mut is_root = vec![true; listed.len()];
    for (i, e) in listed.iter().enumerate() {
        let parent = match (e.level.checked_sub(1), &e.parent) {
            (Some(level), Some(p)) => index.get(&(level, p.as_str())).copied(),
            _ => None,
        };
        if let Some(p) = parent {
            if let Some(c) = children.get_mut(p) {
                c.push(i);
            }
            if let Some(r) = is_root.get_mut(i) {
                *r = false;
            }
        }
    }
    // Levels only go down, so a node's children are decided before it when walking from the
    // bottom level up.
    let mut whole = vec![false; listed.len()];
    let mut order: Vec<usize> = (0..listed.len()).collect();
    let level = |i: &usize| listed.get(*i).map_or(0, |e| e.level);
    crate::order::sort_by(&mut order, |a, b| level(b).cmp(&level(a)));
    for i in order {
        let kids = children.get(i).map_or(&[][..], Vec::as_slice);
        let all_whole = kids.iter().all(|k| whole.get(*k).copied().unwrap_or(false));
        let enough = listed
            .get(i)
            .and_then(|e| e.child_count)
            .is_none_or(|c| kids.len() >= c);
        if let Some(w) = whole.get_mut(i) {
            *w = kids.is_empty() || (all_whole && enough);
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<usize> = (0..listed.len())
        .filter(|i| is_root.get(*i).copied().unwrap_or(false))
        .rev()
        .collect();
    while let Some(i) = stack.pop() {
        if whole.get(i).copied().unwrap_or(false) {
            if let Some(e) = listed.get(i) {
                out.push(e.clone());
            }
        } else if let Some(kids) = children.get(i) {
            stack.extend(kids.iter().rev());
        }
    }
    out
}

/// The directory over every document's entity lists.
#[derive(Default)]
struct DirectoryBuilder {
    entities: Vec<Listed>,
    index: HashMap<(usize, String), usize>,
}

impl DirectoryBuilder {
    fn add(&mut self, listed: &[Listed]) -> Result<(), IngestError> {
        for e in listed {
            match self.index.get(&(e.level, e.id.clone())) {
                Some(&i) => {
                    let Some(known) = self.entities.get_mut(i) else {
                        continue;
                    };
                    if e.parent.is_some() && known.parent.is_some() && known.parent != e.parent {
                        let field = if e.level == 1 {
                            "organization_id"
                        } else {
                            "agency_id"
                        };
                        return Err(IngestError::invalid(
                            join(&e.path, field),
                            format!(
                                "{} `{}` is placed under `{}` here but under `{}` at `{}`",
                                LEVELS.get(e.level).copied().unwrap_or_default(),
                                e.id,
                                e.parent.as_deref().unwrap_or_default(),
                                known.parent.as_deref().unwrap_or_default(),
                                known.path
                            ),
                        ));
                    }
                    if known.parent.is_none() {
                        known.parent.clone_from(&e.parent);
                    }
                    if known.name.is_none() {
                        known.name.clone_from(&e.name);
                    }
                }
                None => {
                    self.index
                        .insert((e.level, e.id.clone()), self.entities.len());
                    self.entities.push(e.clone());
                }
            }
        }
        Ok(())
    }

    fn build(mut self) -> Option<Directory> {
        // Organizations named only as an agency's parent.
        let missing: Vec<String> = self
            .entities
            .iter()
            .filter(|e| e.level == 1)
            .filter_map(|e| e.parent.clone())
            .filter(|p| !self.index.contains_key(&(0, p.clone())))
            .collect();
        for id in missing {
            if self.index.contains_key(&(0, id.clone())) {
                continue;
            }
            self.index.insert((0, id.clone()), self.entities.len());
            self.entities.push(Listed {
                level: 0,
                id,
                parent: None,
                name: None,
                child_count: None,
                path: String::new(),
            });
        }
        let mut kept: HashMap<(usize, &str), ()> = HashMap::new();
        let mut out = Vec::new();
        for level in 0..LEVELS.len() {
            for e in self.entities.iter().filter(|e| e.level == level) {
                let parent = match (level.checked_sub(1), &e.parent) {
                    (None, _) => None,
                    (Some(up), Some(p)) if kept.contains_key(&(up, p.as_str())) => Some(p.clone()),
                    // The chain to the top cannot be completed: leave it out.
                    (Some(_), _) => continue,
                };
                kept.insert((level, e.id.as_str()), ());
                out.push(DirectoryEntity {
                    level: LEVELS.get(level).copied().unwrap_or_default().to_string(),
                    id: e.id.clone(),
                    parent,
                    name: e.name.clone(),
                });
            }
        }
        (!out.is_empty()).then_some(Directory { entities: out })
    }
}

/// T1 writes times as RFC 3339, or without a zone, or with `+0000`: all read as UTC unless
/// the zone says otherwise.
fn parse_t1_time(text: &str) -> Result<Timestamp, String> {
    if let Ok(t) = Timestamp::parse(text) {
        return Ok(t);
    }
    let mut s = text.trim().replacen(' ', "T", 1);
    let bytes = s.as_bytes();
    let n = bytes.len();
    let has_compact_offset = n > 5
        && matches!(bytes.get(n - 5), Some(b'+' | b'-'))
        && bytes
            .get(n - 4..)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if has_compact_offset {
        s.insert(n - 2, ':');
    } else if s.len() > 10 && !s.ends_with('Z') {
        s.push('Z');
    }
    Timestamp::parse(&s).map_err(|_| {
        format!("`{text}` is not a time T1 writes (RFC 3339, `YYYY-MM-DDTHH:MM:SS` or a date)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AdaccessError;

    fn entity(level: usize, id: &str, parent: Option<&str>, count: Option<usize>) -> Listed {
        Listed {
            level,
            id: id.into(),
            parent: parent.map(str::to_string),
            name: None,
            child_count: count,
            path: String::new(),
        }
    }

    fn ids(v: &[Listed]) -> Vec<String> {
        v.iter()
            .map(|e| format!("{}:{}", LEVELS[e.level], e.id))
            .collect()
    }

    #[test]
    fn select_keeps_the_top_most_whole_entities() {
        // The fixture: both organizations with every child listed.
        let fixture = [
            entity(0, "1", None, Some(1)),
            entity(0, "2", None, Some(2)),
            entity(1, "3", Some("1"), Some(2)),
            entity(1, "4", Some("2"), Some(2)),
            entity(1, "5", Some("2"), Some(1)),
            entity(2, "6", Some("3"), None),
            entity(2, "7", Some("3"), None),
            entity(2, "8", Some("4"), None),
            entity(2, "9", Some("4"), None),
            entity(2, "10", Some("5"), None),
        ];
        assert_eq!(
            ids(&select_scope(&fixture)),
            ["organization:1", "organization:2"]
        );
        // An organization listed only as the way to one of its two agencies, and an agency
        // listed with one advertiser of three.
        let partial = [
            entity(0, "1", None, Some(2)),
            entity(1, "3", Some("1"), Some(2)),
            entity(2, "6", Some("3"), None),
            entity(2, "7", Some("3"), None),
            entity(0, "2", None, Some(1)),
            entity(1, "4", Some("2"), Some(3)),
            entity(2, "8", Some("4"), None),
        ];
        assert_eq!(ids(&select_scope(&partial)), ["agency:3", "advertiser:8"]);
        // No child counts: the top-most listed entities; orphans stand on their own.
        let plain = [
            entity(1, "3", Some("1"), None),
            entity(2, "6", Some("3"), None),
            entity(2, "9", Some("4"), None),
        ];
        assert_eq!(ids(&select_scope(&plain)), ["agency:3", "advertiser:9"]);
    }

    #[test]
    fn times() {
        for t in [
            "2026-11-20T09:12:00Z",
            "2026-11-20T09:12:00",
            "2026-11-20 09:12:00",
            "2026-11-20T09:12:00+0000",
        ] {
            assert_eq!(parse_t1_time(t).map(|t| t.unix()), Ok(1_795_165_920), "{t}");
        }
        assert!(parse_t1_time("soon").is_err());
    }

    #[test]
    fn fixture_document() {
        let Ok(p) = Profile::builtin("mediamath") else {
            return;
        };
        let text = include_str!("../../../tests/data/t1_permissions.json");
        let export = read_t1(&p, text);
        assert!(export.is_ok(), "{export:?}");
        let bad = r#"{"data": {"user": {"id": 1}, "permissions": {"flags": [{"access": [
            {"type": "role", "value": "OWNER"}]}]}}}"#;
        let e = read_t1(&p, bad).err();
        assert_eq!(
            e.as_ref().map(|e| (e.code(), e.path())),
            Some((
                "ingest.unknown_role",
                Some("data.permissions.flags[0].access[0].value")
            ))
        );
    }
}
