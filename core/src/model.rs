//! The documents a caller hands the engine: users, directories, changes.
//!
//! Every type here is plain serde data with `snake_case` fields; unknown fields are rejected
//! so a typo (`"elevaton"`) is an error with a path rather than a silently ignored grant.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A scope entity: one node of the seat's tree (`partner:123`, `advertiser:456`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct EntityRef {
    /// One of the profile's `levels`.
    pub level: String,
    /// The platform's id of the entity.
    pub id: String,
}

impl EntityRef {
    pub fn new(level: impl Into<String>, id: impl Into<String>) -> Self {
        EntityRef {
            level: level.into(),
            id: id.into(),
        }
    }

    /// Parses the command-line form `LEVEL:ID`.
    pub fn parse(text: &str) -> Option<Self> {
        let (level, id) = text.split_once(':')?;
        if level.is_empty() || id.is_empty() {
            return None;
        }
        Some(EntityRef::new(level, id))
    }

    /// `LEVEL:ID`, as `to_string` writes it, without the formatting machinery (an access
    /// log entry writes one per assignment, before and after).
    pub fn key(&self) -> String {
        let mut key = String::with_capacity(self.level.len() + 1 + self.id.len());
        key.push_str(&self.level);
        key.push(':');
        key.push_str(&self.id);
        key
    }
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.id)
    }
}

/// One role held on one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub entity: EntityRef,
    /// A role id of the profile.
    pub role: String,
}

/// An API token (or any credential) the user holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Token {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(default = "default_true")]
    pub active: bool,
}

/// Something the user owns on the platform (a campaign, a pixel, a report...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    pub kind: String,
    pub id: String,
    pub entity: EntityRef,
    #[serde(default = "default_true")]
    pub active: bool,
}

/// A temporary elevation in force: the user's assignments revert to `revert_to` at `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Elevation {
    /// When the elevation began: API tokens created since then are revoked when it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Timestamp>,
    #[serde(default)]
    pub revert_to: Vec<Assignment>,
}

/// A person with access to the seat.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub assignments: Vec<Assignment>,
    /// Per-user switches of the profile (`billing`), independent of role.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub toggles: BTreeMap<String, bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<Token>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elevation: Option<Elevation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login: Option<Timestamp>,
}

impl User {
    /// The role ids the user holds, sorted, each once.
    pub fn distinct_roles(&self) -> Vec<&str> {
        crate::order::distinct(self.assignments.iter().map(|a| a.role.as_str()))
    }

    pub fn toggle(&self, id: &str) -> bool {
        self.toggles.get(id).copied().unwrap_or(false)
    }

    pub fn active_tokens(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.active)
    }
}

/// The entity tree of a seat.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    pub entities: Vec<DirectoryEntity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectoryEntity {
    pub level: String,
    pub id: String,
    /// Id of the entity one level up; absent at the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An approval collected for a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// `manager`, `seat_owner`, `security`, `finance`, or a kind the profile adds.
    pub kind: String,
    pub by: String,
    /// The approval email or ticket id, kept for compliance and written to the access log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl Approval {
    /// `kind: by`, as findings, the plan and the access log name an approval.
    pub fn label(&self) -> String {
        format!("{}: {}", self.kind, self.by)
    }
}

/// Marks a change as temporary.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Temporary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Timestamp>,
}

/// One past action of a user, replayed against a new state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub user: String,
    pub capability: String,
    pub level: String,
    pub entity: EntityRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

/// A proposed edit of one user's access, made by `actor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub actor: User,
    /// `null` for a new user.
    #[serde(default)]
    pub before: Option<User>,
    /// `null` for a deletion.
    #[serde(default)]
    pub after: Option<User>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default)]
    pub approvals: Vec<Approval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary: Option<Temporary>,
    /// When the change is assessed; defaults to "no clock" (time-based rules stay silent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<Timestamp>,
    /// The other users of the seat, for the last-holder checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<Vec<User>>,
    /// Past actions, replayed against the after-state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Vec<Activity>>,
}

fn default_true() -> bool {
    true
}

/// An RFC 3339 timestamp or a plain date (`2026-11-30`, read as midnight UTC).
///
/// Keeps the text it was given so documents survive a round trip unchanged.
#[derive(Debug, Clone)]
pub struct Timestamp {
    raw: String,
    unix: i64,
}

impl Timestamp {
    pub fn parse(text: &str) -> Result<Self, String> {
        use time::format_description::well_known::Rfc3339;
        let unix = if let Ok(t) = time::OffsetDateTime::parse(text, &Rfc3339) {
            t.unix_timestamp()
        } else {
            let date = plain_date(text).ok_or_else(|| {
                format!("`{text}` is not an RFC 3339 timestamp or a YYYY-MM-DD date")
            })?;
            date.midnight().assume_utc().unix_timestamp()
        };
        Ok(Timestamp {
            raw: text.to_string(),
            unix,
        })
    }

    /// A timestamp at `unix` seconds, written as RFC 3339 UTC.
    pub fn from_unix(unix: i64) -> Self {
        use time::format_description::well_known::Rfc3339;
        let raw = time::OffsetDateTime::from_unix_timestamp(unix)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_else(|| unix.to_string());
        Timestamp { raw, unix }
    }

    /// The current time, from the system clock. Not in WebAssembly, which has no clock of
    /// its own: the npm package takes JavaScript's.
    #[cfg(not(target_family = "wasm"))]
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Timestamp::from_unix(secs)
    }

    /// Seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.unix
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The calendar date (`YYYY-MM-DD`) in UTC.
    pub fn date(&self) -> String {
        match time::OffsetDateTime::from_unix_timestamp(self.unix) {
            Ok(t) => {
                let d = t.date();
                format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
            }
            Err(_) => self.raw.clone(),
        }
    }
}

/// `YYYY-MM-DD`, a real calendar date. Split by hand rather than through a `time` format
/// description: the description parser was a twentieth of the WebAssembly module.
fn plain_date(text: &str) -> Option<time::Date> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u16> {
        let digits = bytes.get(range)?;
        digits.iter().try_fold(0u16, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0'))
        })
    };
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::from(number(0..4)?);
    let month = time::Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
    let day = u8::try_from(number(8..10)?).ok()?;
    time::Date::from_calendar_date(year, month, day).ok()
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.unix == other.unix
    }
}
impl Eq for Timestamp {}
impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.unix.cmp(&other.unix)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp or a YYYY-MM-DD date")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An RFC 3339 timestamp or a plain date (YYYY-MM-DD, midnight UTC)"
        })
    }
}

/// Displays a user in messages, formatted only when a message is written.
pub(crate) struct Who<'a>(pub &'a User);

impl std::fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&display_user(self.0))
    }
}

/// `Ana Ruiz <ana@agency.example>`, or the id when there is neither name nor email.
pub(crate) fn display_user(user: &User) -> String {
    match (user.name.is_empty(), user.email.is_empty()) {
        (false, false) => format!("{} <{}>", user.name, user.email),
        (false, true) => user.name.clone(),
        (true, false) => user.email.clone(),
        (true, true) => format!("user {}", user.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_accept_dates_and_rfc3339() {
        let d = Timestamp::parse("2026-11-30").map_err(|e| e.to_string());
        let t = Timestamp::parse("2026-11-30T00:00:00Z").map_err(|e| e.to_string());
        assert_eq!(d, t);
        assert!(Timestamp::parse("30/11/2026").is_err());
        assert_eq!(
            Timestamp::parse("2026-11-20T09:12:00+01:00").map(|t| t.date()),
            Ok("2026-11-20".to_string())
        );
    }

    /// The hand-split date agrees with `time`'s own `[year]-[month]-[day]` parser on every
    /// unsigned input: each month and day number around the valid ranges, leap years, and
    /// malformed shapes. (A leading sign, which that parser allows, is refused here.)
    #[test]
    fn plain_dates_agree_with_time_format_descriptions() {
        let reference =
            time::format_description::parse_borrowed::<2>("[year]-[month]-[day]").unwrap();
        let mut texts: Vec<String> = Vec::new();
        for year in [0, 1, 999, 1900, 1970, 2000, 2024, 2026, 2100, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    texts.push(format!("{year:04}-{month:02}-{day:02}"));
                }
            }
        }
        for bad in [
            "",
            "2026",
            "2026-1-01",
            "2026-01-1",
            "2026/01/01",
            "2026-01-01 ",
            " 2026-01-01",
            "20260101",
            "2026-0a-01",
            "2026-01-0x",
            "12026-01-01",
            "2026--1-01",
            "２026-01-01",
        ] {
            texts.push(bad.to_string());
        }
        let mut valid = 0;
        for text in &texts {
            let ours = plain_date(text);
            let theirs = time::Date::parse(text, &reference).ok();
            assert_eq!(ours, theirs, "{text}");
            valid += usize::from(ours.is_some());
        }
        // 365 or 366 days for each of the ten years: the valid cases were exercised too.
        assert_eq!(valid, 3653, "valid dates among {} texts", texts.len());
        assert_eq!(plain_date("+2026-01-01"), None);
    }

    #[test]
    fn entity_parse() {
        assert_eq!(
            EntityRef::parse("advertiser:11"),
            Some(EntityRef::new("advertiser", "11"))
        );
        assert_eq!(EntityRef::parse("advertiser"), None);
        assert_eq!(EntityRef::parse(":1"), None);
    }
}
