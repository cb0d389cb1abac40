//! Realistic multi-seat test data for the access review at holding-company scale (issue #20):
//! Display & Video 360 seats (a `users.list` export and its entity tree) and MediaMath seats (a
//! T1 permissions export, which carries its own tree), a manifest `seats.json` and an answer key
//! `planted.json` of the mistakes planted on purpose.
//!
//! ```text
//! cargo run --release -p adaccess-bench --bin gen-seats -- --out DIR [--seats 200] \
//!     [--users 5000] [--mediamath 0.25] [--seed 20261122] [--errors 0.02]
//! ```
//!
//! - Seats vary in size (0.5×–1.5× `--users`), DV360 seats in partners (1–5) and advertisers
//!   per partner (5–60), MediaMath seats in organizations (1–3), agencies (1–5 each) and
//!   advertisers (2–12 each). Seat `NNN` is MediaMath when `round(NNN × share)` steps up, so
//!   the share of MediaMath seats is `--mediamath`, spread evenly (`mediamath-002`,
//!   `mediamath-006`, ... for 0.25).
//! - The background population is clean of the planted codes: one role family per user, no
//!   entity held twice or next to its parent, admins only at the top level, every top-level
//!   entity with an admin, every login within 85 days of [`NOW`] (or none: about 3% of users
//!   never signed in, which the review does not flag). It does hold what a real seat holds:
//!   partner- and organization-wide grants (`entity.all_granted`), admin counts.
//! - Planted: each user gets a structural mistake with probability `--errors` and, separately,
//!   a last login 95–700 days before [`NOW`] (`user.dormant`) with the same probability; a seat
//!   with two or more top-level entities leaves one without an admin (`admin.none`) with
//!   probability `min(1, 15 × --errors)`. The structural mistakes are, for DV360: a role of a
//!   second family on a further advertiser (`family.mixed`), a partner-level role next to an
//!   advertiser under it (`entity.parent_and_child`), ADMIN on an advertiser
//!   (`role.level_not_allowed`), two roles on one advertiser (`entity.duplicate`), an advertiser
//!   deleted from the directory (`entity.unknown`), every role removed
//!   (`user.no_assignments`); for MediaMath: an advertiser whose agency is listed nowhere
//!   (`entity.unknown`) and a SELECT scope with no entity (`user.no_assignments`).
//! - `planted.json` lists, per seat and for every code the seat's platform can be planted with
//!   ([`DV360_CODES`], [`MEDIAMATH_CODES`]), the users it is planted on (user ids) or, for
//!   `admin.none`, the entity (`partner:ID`, `organization:ID`); an empty list says the code
//!   was planted nowhere. The review of a seat (with `now` = [`NOW`], 90 dormant days) reports
//!   exactly these findings for these codes (`bench/tests/seats.rs`).
//!
//! The same options write the same bytes: each seat has its own random stream
//! (`ChaCha8Rng` seeded with `--seed`, stream = seat number), so seats are written in
//! parallel and a seat does not change when `--seats` does.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use adaccess_core::{Directory, DirectoryEntity, Timestamp};
use rand::seq::{index::sample, IndexedRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// The day of the review the answer key is made for.
pub const NOW: &str = "2026-11-22";

/// Users per `users.list` page.
pub const PAGE_SIZE: usize = 200;

/// The codes a DV360 seat can be planted with (each seat's answer key lists all of them).
pub const DV360_CODES: &[&str] = &[
    "admin.none",
    "entity.duplicate",
    "entity.parent_and_child",
    "entity.unknown",
    "family.mixed",
    "role.level_not_allowed",
    "user.dormant",
    "user.no_assignments",
];

/// The codes a MediaMath seat can be planted with.
pub const MEDIAMATH_CODES: &[&str] = &[
    "admin.none",
    "entity.unknown",
    "user.dormant",
    "user.no_assignments",
];

pub type BoxError = Box<dyn Error + Send + Sync>;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub seats: usize,
    /// The average seat size; each seat has 0.5×–1.5× as many users.
    pub users: usize,
    /// The share of MediaMath seats (0–1).
    pub mediamath: f64,
    pub seed: u64,
    /// The share of users with a planted structural mistake (and, separately, of dormant users).
    pub errors: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seats: 200,
            users: 5_000,
            mediamath: 0.25,
            seed: 20_261_122,
            errors: 0.02,
        }
    }
}

/// The platform of a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Dv360,
    MediaMath,
}

impl Platform {
    /// The built-in profile that reads the seat's export.
    pub fn profile(self) -> &'static str {
        match self {
            Platform::Dv360 => "dv360",
            Platform::MediaMath => "mediamath",
        }
    }

    /// The codes a seat of this platform can be planted with.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Platform::Dv360 => DV360_CODES,
            Platform::MediaMath => MEDIAMATH_CODES,
        }
    }
}

/// The platform of seat `number` (from 1): MediaMath when `round(number × share)` steps up.
pub fn platform_of(number: usize, mediamath: f64) -> Platform {
    let share = if mediamath.is_nan() {
        0.0
    } else {
        mediamath.clamp(0.0, 1.0)
    };
    let rounded = |n: usize| (n as f64 * share + 0.5).floor();
    if rounded(number) > rounded(number.saturating_sub(1)) {
        Platform::MediaMath
    } else {
        Platform::Dv360
    }
}

/// The name of seat `number`: `dv360-001`, `mediamath-002`.
pub fn seat_name(number: usize, platform: Platform) -> String {
    format!("{}-{number:03}", platform.profile())
}

/// One seat of the manifest `seats.json`; paths are relative to its folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatEntry {
    pub seat: String,
    pub export: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
    pub profile: String,
}

/// The mistakes planted in one seat: finding code → the user ids (or, for `admin.none`, the
/// `level:id` entities) it is planted on, sorted.
pub type Planted = BTreeMap<String, Vec<String>>;

/// One written seat.
#[derive(Debug, Clone)]
pub struct Seat {
    pub entry: SeatEntry,
    pub platform: Platform,
    pub users: usize,
    pub planted: Planted,
}

/// Writes the seats, `seats.json` and `planted.json` into `dir` (created if missing), on every
/// core; the seats in order.
pub fn generate(dir: &Path, options: &Options) -> Result<Vec<Seat>, BoxError> {
    std::fs::create_dir_all(dir)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(options.seats.max(1));
    let next = AtomicUsize::new(1);
    let done: Mutex<Vec<Seat>> = Mutex::new(Vec::with_capacity(options.seats));
    let failures: Vec<BoxError> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<(), BoxError> {
                    loop {
                        let number = next.fetch_add(1, Ordering::Relaxed);
                        if number > options.seats {
                            return Ok(());
                        }
                        let seat = write_seat(dir, number, options)?;
                        done.lock().map_err(|_| "a seat writer failed")?.push(seat);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| match h.join() {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(e),
                Err(_) => Some("a seat writer panicked".into()),
            })
            .collect()
    });
    if let Some(e) = failures.into_iter().next() {
        return Err(e);
    }
    let mut seats = done.into_inner().map_err(|_| "a seat writer failed")?;
    seats.sort_by(|a, b| a.entry.seat.cmp(&b.entry.seat));
    seats.sort_by_key(|s| seat_number(&s.entry.seat));

    let manifest = Manifest {
        seats: seats.iter().map(|s| &s.entry).collect(),
    };
    write_json_pretty(&dir.join("seats.json"), &manifest)?;
    // In the manifest's order (serde_json keeps an object's order here).
    let mut planted = serde_json::Map::new();
    for s in &seats {
        planted.insert(s.entry.seat.clone(), serde_json::to_value(&s.planted)?);
    }
    write_json_pretty(&dir.join("planted.json"), &planted)?;
    Ok(seats)
}

fn seat_number(name: &str) -> usize {
    name.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[derive(Serialize)]
struct Manifest<'a> {
    seats: Vec<&'a SeatEntry>,
}

fn write_json_pretty<T: Serialize>(path: &Path, value: &T) -> Result<(), BoxError> {
    let mut out = BufWriter::new(File::create(path)?);
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<(), BoxError> {
    let mut out = BufWriter::new(File::create(path)?);
    serde_json::to_writer(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// Writes seat `number` (from 1) into `dir`: its export and, for DV360, its directory.
pub fn write_seat(dir: &Path, number: usize, options: &Options) -> Result<Seat, BoxError> {
    let platform = platform_of(number, options.mediamath);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(number as u64);
    let scale = rng.random_range(0.5..=1.5);
    let users = ((options.users as f64 * scale).round() as usize).max(1);
    let errors = if options.errors.is_nan() {
        0.0
    } else {
        options.errors.clamp(0.0, 1.0)
    };
    let name = seat_name(number, platform);
    let export = format!("{name}.json");
    let mut seat = Seat {
        entry: SeatEntry {
            seat: name.clone(),
            export: export.clone(),
            directory: None,
            profile: platform.profile().to_string(),
        },
        platform,
        users,
        planted: platform
            .codes()
            .iter()
            .map(|c| (c.to_string(), Vec::new()))
            .collect(),
    };
    let mut gen = Gen {
        rng,
        number: number as u64,
        users,
        errors,
        now: Timestamp::parse(NOW)?.unix(),
        planted: &mut seat.planted,
    };
    match platform {
        Platform::Dv360 => {
            let directory = format!("{name}.directory.json");
            gen.dv360(&dir.join(&export), &dir.join(&directory))?;
            seat.entry.directory = Some(directory);
        }
        Platform::MediaMath => gen.mediamath(&dir.join(&export))?,
    }
    for ids in seat.planted.values_mut() {
        ids.sort();
        ids.dedup();
    }
    Ok(seat)
}

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chiara", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kamala",
    "Liam", "Maya", "Nikolai", "Olivia", "Pedro", "Quinn", "Rosa", "Samuel", "Tara", "Umar",
    "Vera", "William", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Carmen", "Deepak",
];
const LAST: &[&str] = &[
    "Ruiz", "Okoro", "Russo", "Patel", "Petrova", "Haddad", "Liu", "Lambert", "Duarte", "Berg",
    "Iyer", "Walsh", "Cohen", "Sorensen", "Brandt", "Alvarez", "Taylor", "Jimenez", "Adeyemi",
    "Nguyen", "Siddiqui", "Novak", "Chen", "Torres", "Demir", "Laurent", "Tanaka", "Keller",
    "Vidal", "Rao",
];
const BRANDS: &[&str] = &[
    "Acme",
    "Bluefin",
    "Cedar",
    "Dune",
    "Evergreen",
    "Fable",
    "Granite",
    "Helios",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Northwind",
    "Orchid",
    "Pinnacle",
    "Quartz",
    "Redwood",
    "Summit",
    "Tidal",
];
const SECTORS: &[&str] = &[
    "Shoes",
    "Travel",
    "Bank",
    "Beverages",
    "Foods",
    "Games",
    "Insurance",
    "Solar",
    "Optics",
    "Motors",
    "Hotels",
    "Snacks",
    "Mobile",
    "Pharma",
    "Fashion",
    "Energy",
];

/// The standard family's advertiser roles, weighted.
const STANDARD_FAMILY: &[(&str, u32)] = &[
    ("STANDARD", 45),
    ("READ_ONLY", 25),
    ("REPORTING_ONLY", 20),
    ("STANDARD_PLANNER", 10),
];
/// One advertiser role of each other family, for `family.mixed`.
const OTHER_FAMILIES: &[&str] = &[
    "CREATIVE",
    "LIMITED_REPORTING_ONLY",
    "STANDARD_PLANNER_LIMITED",
    "STANDARD_PARTNER_CLIENT",
];

/// A weighted choice.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)], default: T) -> T {
    items
        .choose_weighted(rng, |(_, w)| *w)
        .map_or(default, |(t, _)| *t)
}

fn one<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

/// `k` distinct indices below `n` (all of them when `k >= n`), in random order.
fn distinct(rng: &mut ChaCha8Rng, n: usize, k: usize) -> Vec<usize> {
    sample(rng, n, k.min(n)).into_vec()
}

/// The DV360 structural mistakes, weighted.
#[derive(Debug, Clone, Copy)]
enum DvMistake {
    MixedFamily,
    ParentAndChild,
    AdminOnAdvertiser,
    Duplicate,
    Unknown,
    NoAssignments,
}

const DV_MISTAKES: &[(DvMistake, u32)] = &[
    (DvMistake::MixedFamily, 25),
    (DvMistake::ParentAndChild, 20),
    (DvMistake::AdminOnAdvertiser, 10),
    (DvMistake::Duplicate, 15),
    (DvMistake::Unknown, 15),
    (DvMistake::NoAssignments, 15),
];

struct DvPartner {
    id: String,
    advertisers: Vec<String>,
    /// An advertiser id under the partner that the directory does not list (deleted).
    deleted: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DvPage {
    users: Vec<DvUser>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DvUser {
    name: String,
    user_id: String,
    email: String,
    display_name: String,
    assigned_user_roles: Vec<DvRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_login_time: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DvRole {
    assigned_user_role_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    partner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    advertiser_id: Option<String>,
    user_role: &'static str,
}

fn on_partner(id: &str, role: &'static str) -> DvRole {
    DvRole {
        assigned_user_role_id: format!("partner-{id}"),
        partner_id: Some(id.to_string()),
        advertiser_id: None,
        user_role: role,
    }
}

fn on_advertiser(id: &str, role: &'static str) -> DvRole {
    DvRole {
        assigned_user_role_id: format!("advertiser-{id}"),
        partner_id: None,
        advertiser_id: Some(id.to_string()),
        user_role: role,
    }
}

/// T1 permission document.
#[derive(Serialize)]
struct T1Doc {
    data: T1Data,
    meta: T1Meta,
}

#[derive(Serialize)]
struct T1Meta {
    status: &'static str,
}

#[derive(Serialize)]
struct T1Data {
    permissions: T1Permissions,
    user: T1User,
}

#[derive(Serialize)]
struct T1Permissions {
    flags: Vec<T1Group<T1Flag>>,
    entities: T1Entities,
}

#[derive(Serialize)]
struct T1Group<T> {
    access: Vec<T>,
}

#[derive(Serialize)]
struct T1Flag {
    value: FlagValue,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum FlagValue {
    Int(u8),
    Text(&'static str),
}

#[derive(Serialize, Default)]
struct T1Entities {
    advertiser: Vec<T1Group<T1Entity>>,
    agency: Vec<T1Group<T1Entity>>,
    organization: Vec<T1Group<T1Entity>>,
}

#[derive(Serialize)]
struct T1Entity {
    value: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agency_id: Option<u64>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    child_count: Option<usize>,
    id: String,
}

#[derive(Serialize)]
struct T1User {
    entity_type: &'static str,
    name: String,
    id: u64,
    first_name: &'static str,
    last_name: &'static str,
    email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_login_on: Option<String>,
}

struct Org {
    id: u64,
    name: String,
    agencies: Vec<Agency>,
}

struct Agency {
    id: u64,
    name: String,
    advertisers: Vec<(u64, String)>,
}

/// What one T1 user is granted: the organization, and the agencies (with all their
/// advertisers) or the advertisers of one agency.
enum T1Scope {
    /// GLOBAL over the organization.
    Global(usize),
    /// SELECT: whole agencies of the organization.
    Agencies(usize, Vec<usize>),
    /// SELECT: some advertisers of one agency.
    Advertisers(usize, usize, Vec<usize>),
    /// SELECT, nothing listed.
    Nothing,
}

/// The generator of one seat.
struct Gen<'p> {
    rng: ChaCha8Rng,
    number: u64,
    users: usize,
    errors: f64,
    now: i64,
    planted: &'p mut Planted,
}

impl Gen<'_> {
    fn plant(&mut self, code: &str, id: &str) {
        self.planted
            .entry(code.to_string())
            .or_default()
            .push(id.to_string());
    }

    /// A last login (Unix seconds), or none for a user who never signed in; dormant ones are
    /// planted.
    fn last_login(&mut self, id: &str) -> Option<i64> {
        if self.rng.random_bool(self.errors) {
            self.plant("user.dormant", id);
            return Some(self.now - self.rng.random_range(95 * 86_400..700 * 86_400));
        }
        if self.rng.random_ratio(3, 100) {
            return None;
        }
        Some(self.now - self.rng.random_range(3_600..85 * 86_400))
    }

    /// Top-level entities (of `count`) that get admins, and the one left without (planted).
    fn without_admin(&mut self, count: usize) -> Option<usize> {
        let chance = (self.errors * 15.0).min(1.0);
        (count >= 2 && self.rng.random_bool(chance)).then(|| self.rng.random_range(0..count))
    }

    /// The users that are admins, by index: each top-level entity but `none` gets 1–3.
    fn admin_slots(&mut self, count: usize, none: Option<usize>) -> BTreeMap<usize, usize> {
        let mut wanted = Vec::new();
        for top in 0..count {
            if Some(top) != none {
                for _ in 0..self.rng.random_range(1..=3) {
                    wanted.push(top);
                }
            }
        }
        let slots = distinct(&mut self.rng, self.users, wanted.len());
        slots.into_iter().zip(wanted).collect()
    }

    fn person(&mut self) -> (&'static str, &'static str) {
        (one(&mut self.rng, FIRST), one(&mut self.rng, LAST))
    }

    // ----- Display & Video 360 -----

    fn dv360(&mut self, export: &Path, directory: &Path) -> Result<(), BoxError> {
        let n = self.number;
        let count = self
            .rng
            .random_range(1..=5usize)
            .min((self.users / 30).max(1));
        let mut entities = Vec::new();
        let mut partners = Vec::new();
        for p in 0..count as u64 {
            let id = (1_000_000 + n * 10 + p).to_string();
            let brand = one(&mut self.rng, BRANDS);
            let name = format!("{brand} Media Group {n:03}-{p}");
            entities.push(DirectoryEntity {
                level: "partner".into(),
                id: id.clone(),
                parent: None,
                name: Some(name.clone()),
            });
            let mut advertisers = Vec::new();
            for k in 0..self.rng.random_range(5..=60u64) {
                let adv = (10_000_000 + n * 10_000 + p * 1_000 + k).to_string();
                let (b, s) = (one(&mut self.rng, BRANDS), one(&mut self.rng, SECTORS));
                entities.push(DirectoryEntity {
                    level: "advertiser".into(),
                    id: adv.clone(),
                    parent: Some(id.clone()),
                    name: Some(format!("{name} - {b} {s}")),
                });
                advertisers.push(adv);
            }
            let deleted = (10_000_000 + n * 10_000 + p * 1_000 + 900).to_string();
            partners.push(DvPartner {
                id,
                advertisers,
                deleted,
            });
        }
        write_json(directory, &Directory { entities })?;
        let none = self.without_admin(partners.len());
        if let Some(p) = none.and_then(|p| partners.get(p)) {
            let entity = format!("partner:{}", p.id);
            self.plant("admin.none", &entity);
        }
        let admins = self.admin_slots(partners.len(), none);

        let mut out = BufWriter::new(File::create(export)?);
        out.write_all(b"[\n")?;
        let mut written = 0;
        while written < self.users {
            let size = (self.users - written).min(PAGE_SIZE);
            let mut users = Vec::with_capacity(size);
            for i in written..written + size {
                users.push(self.dv_user(i, &partners, admins.get(&i).copied(), none));
            }
            written += size;
            let page = DvPage {
                users,
                next_page_token: (written < self.users)
                    .then(|| format!("{:016x}", self.rng.random::<u64>())),
            };
            if written > size {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut out, &page)?;
        }
        out.write_all(b"\n]\n")?;
        out.flush()?;
        Ok(())
    }

    fn dv_user(
        &mut self,
        index: usize,
        partners: &[DvPartner],
        admin_of: Option<usize>,
        none: Option<usize>,
    ) -> DvUser {
        let id = (100_000_000 + self.number * 1_000_000 + index as u64).to_string();
        let (first, last) = self.person();
        let home = self.rng.random_range(0..partners.len());
        let roles = match admin_of {
            Some(p) => self.dv_admin(partners, p, none),
            None => {
                if self.rng.random_bool(self.errors) {
                    let mistake = pick(&mut self.rng, DV_MISTAKES, DvMistake::Duplicate);
                    self.dv_mistake(&id, partners, home, mistake)
                } else {
                    self.dv_regular(partners, home)
                }
            }
        };
        let last_login = self.last_login(&id);
        let domain = partners
            .get(home)
            .map_or_else(String::new, |p| p.id.clone());
        DvUser {
            name: format!("users/{id}"),
            email: format!(
                "{}.{}.{index}@agency{domain}.example",
                first.to_lowercase(),
                last.to_lowercase()
            ),
            user_id: id,
            display_name: format!("{first} {last}"),
            assigned_user_roles: roles,
            last_login_time: last_login.map(|t| Timestamp::from_unix(t).as_str().to_string()),
        }
    }

    /// ADMIN on partner `p`; one in five also on another partner (never the one left
    /// without an admin).
    fn dv_admin(&mut self, partners: &[DvPartner], p: usize, none: Option<usize>) -> Vec<DvRole> {
        let mut roles = Vec::new();
        if let Some(partner) = partners.get(p) {
            roles.push(on_partner(&partner.id, "ADMIN"));
        }
        if partners.len() > 1 && self.rng.random_bool(0.2) {
            let q = (p + 1 + self.rng.random_range(0..partners.len() - 1)) % partners.len();
            if Some(q) != none {
                if let Some(partner) = partners.get(q) {
                    roles.push(on_partner(&partner.id, "ADMIN"));
                }
            }
        }
        roles
    }

    /// A user without planted mistakes.
    fn dv_regular(&mut self, partners: &[DvPartner], home: usize) -> Vec<DvRole> {
        let Some(partner) = partners.get(home) else {
            return Vec::new();
        };
        match self.rng.random_range(0..100u32) {
            // Partner-level users of the standard family, on one or two partners.
            0..=5 => {
                let role = pick(&mut self.rng, STANDARD_FAMILY, "STANDARD");
                let k = self.rng.random_range(1..=2usize);
                distinct(&mut self.rng, partners.len(), k)
                    .into_iter()
                    .filter_map(|q| partners.get(q))
                    .map(|q| on_partner(&q.id, role))
                    .collect()
            }
            6 => vec![on_partner(&partner.id, "ADMIN_PARTNER_CLIENT")],
            // Advertiser-level users: 1-15 advertisers of their partner, sometimes of a second.
            _ => {
                let family: &[(&str, u32)] =
                    match pick(&mut self.rng, &[(0, 75), (1, 8), (2, 7), (3, 4), (4, 6)], 0) {
                        1 => &[("CREATIVE", 85), ("CREATIVE_ADMIN", 15)],
                        2 => &[("LIMITED_REPORTING_ONLY", 1)],
                        3 => &[("STANDARD_PLANNER_LIMITED", 1)],
                        4 => &[("STANDARD_PARTNER_CLIENT", 1)],
                        _ => STANDARD_FAMILY,
                    };
                let main = pick(&mut self.rng, family, "STANDARD");
                let mixes = self.rng.random_bool(0.2);
                let mut roles = Vec::new();
                let mut spread = vec![(home, self.rng.random_range(1..=15usize))];
                if partners.len() > 1 && self.rng.random_bool(0.1) {
                    let other =
                        (home + 1 + self.rng.random_range(0..partners.len() - 1)) % partners.len();
                    spread.push((other, self.rng.random_range(1..=3usize)));
                }
                for (p, k) in spread {
                    let Some(partner) = partners.get(p) else {
                        continue;
                    };
                    for a in distinct(&mut self.rng, partner.advertisers.len(), k) {
                        let role = if mixes {
                            pick(&mut self.rng, family, main)
                        } else {
                            main
                        };
                        if let Some(adv) = partner.advertisers.get(a) {
                            roles.push(on_advertiser(adv, role));
                        }
                    }
                }
                roles
            }
        }
    }

    /// A standard-family advertiser user of `home` with one planted mistake.
    fn dv_mistake(
        &mut self,
        id: &str,
        partners: &[DvPartner],
        home: usize,
        mistake: DvMistake,
    ) -> Vec<DvRole> {
        let Some(partner) = partners.get(home) else {
            return Vec::new();
        };
        let len = partner.advertisers.len();
        let k = self
            .rng
            .random_range(1..=8usize.min(len.saturating_sub(1)).max(1));
        // k held advertisers and a spare one, all distinct.
        let picked: Vec<&String> = distinct(&mut self.rng, len, k + 1)
            .into_iter()
            .filter_map(|a| partner.advertisers.get(a))
            .collect();
        let (held, spare) = match picked.split_last() {
            Some((spare, held)) if !held.is_empty() => (held, *spare),
            _ => return Vec::new(),
        };
        let role = pick(&mut self.rng, STANDARD_FAMILY, "STANDARD");
        let mut roles: Vec<DvRole> = held.iter().map(|a| on_advertiser(a, role)).collect();
        let code = match mistake {
            DvMistake::MixedFamily => {
                let other = one(&mut self.rng, OTHER_FAMILIES);
                roles.push(on_advertiser(spare, other));
                "family.mixed"
            }
            DvMistake::ParentAndChild => {
                let role = pick(&mut self.rng, STANDARD_FAMILY, "READ_ONLY");
                roles.insert(0, on_partner(&partner.id, role));
                "entity.parent_and_child"
            }
            DvMistake::AdminOnAdvertiser => {
                roles.push(on_advertiser(spare, "ADMIN"));
                "role.level_not_allowed"
            }
            DvMistake::Duplicate => {
                let second = if role == "READ_ONLY" {
                    "REPORTING_ONLY"
                } else {
                    "READ_ONLY"
                };
                if let Some(first) = held.first() {
                    roles.push(on_advertiser(first, second));
                }
                "entity.duplicate"
            }
            DvMistake::Unknown => {
                roles.push(on_advertiser(&partner.deleted, role));
                "entity.unknown"
            }
            DvMistake::NoAssignments => {
                roles.clear();
                "user.no_assignments"
            }
        };
        self.plant(code, id);
        roles
    }

    // ----- MediaMath T1 -----

    fn mediamath(&mut self, export: &Path) -> Result<(), BoxError> {
        let n = self.number;
        let count = self
            .rng
            .random_range(1..=3usize)
            .min((self.users / 40).max(1));
        let mut orgs = Vec::new();
        for o in 0..count as u64 {
            let brand = one(&mut self.rng, BRANDS);
            let mut agencies = Vec::new();
            for a in 0..self.rng.random_range(1..=5u64) {
                let agency_brand = one(&mut self.rng, BRANDS);
                let advertisers = (0..self.rng.random_range(2..=12u64))
                    .map(|k| {
                        let (b, s) = (one(&mut self.rng, BRANDS), one(&mut self.rng, SECTORS));
                        (
                            20_000_000 + n * 10_000 + (o * 10 + a) * 100 + k,
                            format!("{b} {s}"),
                        )
                    })
                    .collect();
                agencies.push(Agency {
                    id: 1_000_000 + n * 1_000 + o * 100 + a,
                    name: format!("{agency_brand} Agency {n:03}-{o}{a}"),
                    advertisers,
                });
            }
            orgs.push(Org {
                id: 100_000 + n * 10 + o,
                name: format!("{brand} Holdings {n:03}-{o}"),
                agencies,
            });
        }
        let none = self.without_admin(orgs.len());
        let admins = self.admin_slots(orgs.len(), none);
        let mut listed: BTreeSet<usize> = BTreeSet::new();

        let mut out = BufWriter::new(File::create(export)?);
        out.write_all(b"[\n")?;
        for i in 0..self.users {
            let doc = self.t1_user(i, &orgs, admins.get(&i).copied(), none, &mut listed);
            if i > 0 {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut out, &doc)?;
        }
        out.write_all(b"\n]\n")?;
        out.flush()?;
        // An organization is in the export's tree only when some document lists it.
        if let Some(org) = none
            .filter(|o| listed.contains(o))
            .and_then(|o| orgs.get(o))
        {
            let entity = format!("organization:{}", org.id);
            self.plant("admin.none", &entity);
        }
        Ok(())
    }

    fn t1_user(
        &mut self,
        index: usize,
        orgs: &[Org],
        admin_of: Option<usize>,
        none: Option<usize>,
        listed: &mut BTreeSet<usize>,
    ) -> T1Doc {
        let id = 1_000_000 + self.number * 100_000 + index as u64;
        let key = id.to_string();
        let (first, last) = self.person();
        let home = self.rng.random_range(0..orgs.len());
        let mut orphan = false;
        let (role, scope) = match admin_of {
            Some(o) => ("ADMIN", T1Scope::Global(o)),
            None => {
                let planted = self.rng.random_bool(self.errors);
                let role = match self.rng.random_range(0..100u32) {
                    _ if planted => "MANAGER",
                    // Agency admins, never in the organization left without an admin (an
                    // agency that is all of its organization makes its admin the
                    // organization's).
                    0..=2 if Some(home) != none => "ADMIN",
                    0..=57 => "MANAGER",
                    _ => "REPORTER",
                };
                let scope = if planted && self.rng.random_bool(0.5) {
                    self.plant("user.no_assignments", &key);
                    T1Scope::Nothing
                } else {
                    if planted {
                        self.plant("entity.unknown", &key);
                        orphan = true;
                    }
                    self.t1_select(orgs, home, role == "ADMIN")
                };
                (role, scope)
            }
        };
        let value = if role == "REPORTER" { "r" } else { "w" };
        let mut entities = self.t1_entities(orgs, &scope, value, listed);
        if orphan {
            // An advertiser of an agency that was deleted: listed nowhere.
            let k = self.rng.random_range(0..10u64);
            let dead_agency = 1_000_000 + self.number * 1_000 + home as u64 * 100 + 99;
            let advertiser = T1Entity {
                value,
                organization_id: None,
                agency_id: Some(dead_agency),
                name: format!("{} Outlet (archived)", one(&mut self.rng, BRANDS)),
                child_count: None,
                id: (90_000_000 + self.number * 1_000 + home as u64 * 100 + k).to_string(),
            };
            push_entity(&mut entities.advertiser, advertiser);
        }
        let edit = u8::from(role != "REPORTER");
        let flags = vec![T1Group {
            access: vec![
                T1Flag {
                    value: FlagValue::Int(edit),
                    kind: "edit_campaigns",
                },
                T1Flag {
                    value: FlagValue::Int(edit),
                    kind: "edit_segments",
                },
                T1Flag {
                    value: FlagValue::Int(1),
                    kind: "view_organizations",
                },
                T1Flag {
                    value: FlagValue::Int(u8::from(role == "ADMIN")),
                    kind: "access_internal_fees",
                },
                T1Flag {
                    value: FlagValue::Text("INTERNAL"),
                    kind: "type",
                },
                T1Flag {
                    value: FlagValue::Text(role),
                    kind: "role",
                },
                T1Flag {
                    value: FlagValue::Text(if matches!(scope, T1Scope::Global(_)) {
                        "GLOBAL"
                    } else {
                        "SELECT"
                    }),
                    kind: "scope",
                },
            ],
        }];
        let last_login = self.last_login(&key);
        let username = format!("{}.{}{index}", first.to_lowercase(), last.to_lowercase());
        let domain = orgs.get(home).map_or(0, |o| o.id);
        T1Doc {
            data: T1Data {
                permissions: T1Permissions { flags, entities },
                user: T1User {
                    entity_type: "user",
                    email: format!("{username}@org{domain}.example"),
                    name: username,
                    id,
                    first_name: first,
                    last_name: last,
                    last_login_on: last_login.map(t1_time),
                },
            },
            meta: T1Meta { status: "ok" },
        }
    }

    /// A SELECT scope in organization `home`: some advertisers of one agency, one whole
    /// agency, or two.
    fn t1_select(&mut self, orgs: &[Org], home: usize, admin: bool) -> T1Scope {
        let Some(org) = orgs.get(home) else {
            return T1Scope::Nothing;
        };
        let agencies = org.agencies.len();
        let a = self.rng.random_range(0..agencies);
        let advertisers = org.agencies.get(a).map_or(0, |x| x.advertisers.len());
        match self.rng.random_range(0..100u32) {
            _ if admin => T1Scope::Agencies(home, vec![a]),
            0..=64 => {
                let k = self.rng.random_range(1..=8usize.min(advertisers));
                let mut picked = distinct(&mut self.rng, advertisers, k);
                picked.sort_unstable();
                T1Scope::Advertisers(home, a, picked)
            }
            65..=89 => T1Scope::Agencies(home, vec![a]),
            _ => {
                let mut picked = distinct(&mut self.rng, agencies, 2);
                picked.sort_unstable();
                T1Scope::Agencies(home, picked)
            }
        }
    }

    /// The entity lists of a scope: the granted entities with their parents, each parent
    /// with its `child_count`.
    fn t1_entities(
        &mut self,
        orgs: &[Org],
        scope: &T1Scope,
        value: &'static str,
        listed: &mut BTreeSet<usize>,
    ) -> T1Entities {
        let mut out = T1Entities::default();
        let (o, agencies, only): (usize, Vec<usize>, Option<&[usize]>) = match scope {
            T1Scope::Nothing => return out,
            T1Scope::Global(o) => (
                *o,
                (0..orgs.get(*o).map_or(0, |x| x.agencies.len())).collect(),
                None,
            ),
            T1Scope::Agencies(o, a) => (*o, a.clone(), None),
            T1Scope::Advertisers(o, a, k) => (*o, vec![*a], Some(k.as_slice())),
        };
        let Some(org) = orgs.get(o) else {
            return out;
        };
        listed.insert(o);
        push_entity(
            &mut out.organization,
            T1Entity {
                value,
                organization_id: None,
                agency_id: None,
                name: org.name.clone(),
                child_count: Some(org.agencies.len()),
                id: org.id.to_string(),
            },
        );
        for a in agencies {
            let Some(agency) = org.agencies.get(a) else {
                continue;
            };
            push_entity(
                &mut out.agency,
                T1Entity {
                    value,
                    organization_id: Some(org.id),
                    agency_id: None,
                    name: agency.name.clone(),
                    child_count: Some(agency.advertisers.len()),
                    id: agency.id.to_string(),
                },
            );
            let ks: Vec<usize> = match only {
                Some(ks) => ks.to_vec(),
                None => (0..agency.advertisers.len()).collect(),
            };
            for k in ks {
                if let Some((id, name)) = agency.advertisers.get(k) {
                    push_entity(
                        &mut out.advertiser,
                        T1Entity {
                            value,
                            organization_id: None,
                            agency_id: Some(agency.id),
                            name: name.clone(),
                            child_count: None,
                            id: id.to_string(),
                        },
                    );
                }
            }
        }
        out
    }
}

/// Adds an entity to a T1 list's (only) `access` group.
fn push_entity(list: &mut Vec<T1Group<T1Entity>>, entity: T1Entity) {
    match list.first_mut() {
        Some(group) => group.access.push(entity),
        None => list.push(T1Group {
            access: vec![entity],
        }),
    }
}

/// A time the way T1 writes it: `2026-11-20T16:45:10+0000`.
fn t1_time(unix: i64) -> String {
    let t = Timestamp::from_unix(unix);
    let s = t.as_str();
    match s.strip_suffix('Z') {
        Some(base) => format!("{base}+0000"),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_spread_evenly() {
        let kinds: Vec<Platform> = (1..=8).map(|i| platform_of(i, 0.25)).collect();
        let mm: Vec<usize> = kinds
            .iter()
            .enumerate()
            .filter(|(_, p)| **p == Platform::MediaMath)
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(mm, vec![2, 6]);
        assert!((1..=10).all(|i| platform_of(i, 0.0) == Platform::Dv360));
        assert!((1..=10).all(|i| platform_of(i, 1.0) == Platform::MediaMath));
    }

    #[test]
    fn t1_times_have_a_compact_offset() {
        assert_eq!(t1_time(0), "1970-01-01T00:00:00+0000");
    }
}
