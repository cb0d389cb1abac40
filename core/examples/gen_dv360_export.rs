//! Writes a large, deterministic Display & Video 360 `users.list` export (a JSON array of
//! pages of 200 users) and its directory, for benchmarks of ingest and the access review.
//!
//! ```text
//! cargo run --release -p adaccess-core --example gen_dv360_export -- \
//!     --users 100000 --out target/bench/users_100k.json \
//!     --directory-out target/bench/directory_100k.json --check
//! ```
//!
//! The seat has 200 partners with 50 advertisers each. Users get about 10 assignments on
//! average (most work on 1-21 advertisers of one partner; admins and other partner-level
//! users hold a partner or a few), a realistic mix of roles, a few per cent of planted
//! violations (mixed families, a partner next to its own advertiser, two roles on one
//! advertiser, ADMIN on an advertiser), about 10% dormant users and 5% who never signed in.
//! The same `--seed` always writes the same bytes. `--check` reads the file back with
//! `adaccess_core::ingest::read_export` and prints how long that took.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use adaccess_core::ingest::read_export;
use adaccess_core::{Directory, DirectoryEntity, Profile, Timestamp};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

const PARTNERS: u32 = 200;
const ADVERTISERS_PER_PARTNER: u32 = 50;
/// Every login time is before this day.
const NOW: &str = "2026-11-22";

struct Args {
    users: u32,
    out: PathBuf,
    directory_out: Option<PathBuf>,
    seed: u64,
    page_size: usize,
    check: bool,
}

fn usage() -> String {
    "usage: gen_dv360_export [--users N] [--out FILE] [--directory-out FILE] [--seed N] \
     [--page-size N] [--check]"
        .to_string()
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut args = Args {
        users: 100_000,
        out: PathBuf::from("target/bench/users_100k.json"),
        directory_out: None,
        seed: 20_261_122,
        page_size: 200,
        check: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{}", usage()))
        };
        match flag.as_str() {
            "--users" => args.users = value()?.parse()?,
            "--out" => args.out = PathBuf::from(value()?),
            "--directory-out" => args.directory_out = Some(PathBuf::from(value()?)),
            "--seed" => args.seed = value()?.parse()?,
            "--page-size" => args.page_size = value()?.parse::<usize>()?.max(1),
            "--check" => args.check = true,
            "-h" | "--help" => return Err(usage().into()),
            other => return Err(format!("unknown argument `{other}`\n{}", usage()).into()),
        }
    }
    Ok(args)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page {
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

fn partner_id(p: u32) -> String {
    (1_200_000 + p).to_string()
}

fn advertiser_id(p: u32, k: u32) -> String {
    (5_000_000 + p * 100 + k).to_string()
}

fn on_partner(p: u32, role: &'static str) -> DvRole {
    let id = partner_id(p);
    DvRole {
        assigned_user_role_id: format!("partner-{id}"),
        partner_id: Some(id),
        advertiser_id: None,
        user_role: role,
    }
}

fn on_advertiser(p: u32, k: u32, role: &'static str) -> DvRole {
    let id = advertiser_id(p, k);
    DvRole {
        assigned_user_role_id: format!("advertiser-{id}"),
        partner_id: None,
        advertiser_id: Some(id),
        user_role: role,
    }
}

/// A weighted choice.
fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> Option<&'a T> {
    items.choose_weighted(rng, |(_, w)| *w).ok().map(|(t, _)| t)
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

const STANDARD_FAMILY: &[(&str, u32)] = &[
    ("STANDARD", 45),
    ("READ_ONLY", 25),
    ("REPORTING_ONLY", 20),
    ("STANDARD_PLANNER", 10),
];

fn user(rng: &mut ChaCha8Rng, index: u32, now: i64) -> DvUser {
    let id = (10_000_000 + index).to_string();
    let first = FIRST.choose(rng).copied().unwrap_or("Ana");
    let last = LAST.choose(rng).copied().unwrap_or("Ruiz");
    let home = rng.gen_range(0..PARTNERS);
    let kind = rng.gen_range(0..100u32);
    let mut roles = Vec::new();
    match kind {
        // Partner admins, sometimes of two partners.
        0..=1 => {
            roles.push(on_partner(home, "ADMIN"));
            if rng.gen_bool(0.2) {
                roles.push(on_partner((home + 1) % PARTNERS, "ADMIN"));
            }
        }
        2 => roles.push(on_partner(home, "ADMIN_PARTNER_CLIENT")),
        // Partner-level users of the standard family, on one to three partners.
        3..=11 => {
            let role = pick(rng, STANDARD_FAMILY).copied().unwrap_or("STANDARD");
            for i in 0..rng.gen_range(1..=3u32) {
                roles.push(on_partner((home + i * 7) % PARTNERS, role));
            }
        }
        // Advertiser-level users: 1-21 advertisers of their partner, sometimes of a second.
        _ => {
            let family: &[(&str, u32)] =
                match pick(rng, &[(0, 75), (1, 8), (2, 7), (3, 4), (4, 6)]).copied() {
                    Some(1) => &[("CREATIVE", 85), ("CREATIVE_ADMIN", 15)],
                    Some(2) => &[("LIMITED_REPORTING_ONLY", 1)],
                    Some(3) => &[("STANDARD_PLANNER_LIMITED", 1)],
                    Some(4) => &[("STANDARD_PARTNER_CLIENT", 1)],
                    _ => STANDARD_FAMILY,
                };
            let main = pick(rng, family).copied().unwrap_or("STANDARD");
            let mixes = rng.gen_bool(0.2);
            let n = rng.gen_range(1..=21u32);
            let mut ks: Vec<u32> = (0..ADVERTISERS_PER_PARTNER).collect();
            ks.shuffle(rng);
            let second = (home + 1 + rng.gen_range(0..PARTNERS - 1)) % PARTNERS;
            let spans_two = rng.gen_bool(0.1);
            for (i, k) in ks.iter().take(n as usize).enumerate() {
                let role = if mixes {
                    pick(rng, family).copied().unwrap_or(main)
                } else {
                    main
                };
                let partner = if spans_two && i % 3 == 2 {
                    second
                } else {
                    home
                };
                roles.push(on_advertiser(partner, *k, role));
            }
        }
    }
    // Planted violations, about 2.3% of users.
    match rng.gen_range(0..1000u32) {
        0..=7 => {
            // Mixed families: a creative role next to the others (or standard next to creative).
            let role = if roles.iter().any(|r| r.user_role.starts_with("CREATIVE")) {
                "STANDARD"
            } else {
                "CREATIVE"
            };
            roles.push(on_advertiser(
                home,
                rng.gen_range(0..ADVERTISERS_PER_PARTNER),
                role,
            ));
        }
        8..=13 => {
            // A partner next to one of its own advertisers.
            if roles.iter().all(|r| r.partner_id.is_none()) {
                roles.push(on_partner(home, "READ_ONLY"));
            } else {
                roles.push(on_advertiser(home, 0, "READ_ONLY"));
            }
        }
        14..=19 => {
            // Two roles on one entity.
            if let Some(first) = roles.first() {
                let dup = DvRole {
                    assigned_user_role_id: first.assigned_user_role_id.clone(),
                    partner_id: first.partner_id.clone(),
                    advertiser_id: first.advertiser_id.clone(),
                    user_role: if first.user_role == "READ_ONLY" {
                        "REPORTING_ONLY"
                    } else {
                        "READ_ONLY"
                    },
                };
                roles.push(dup);
            }
        }
        20..=22 => {
            // ADMIN on an advertiser: a level the role does not allow.
            roles.push(on_advertiser(
                home,
                rng.gen_range(0..ADVERTISERS_PER_PARTNER),
                "ADMIN",
            ));
        }
        _ => {}
    }
    let last_login = match rng.gen_range(0..100u32) {
        0..=84 => Some(now - rng.gen_range(3_600..60 * 86_400)),
        85..=94 => Some(now - rng.gen_range(91 * 86_400..500 * 86_400)),
        _ => None,
    };
    DvUser {
        name: format!("users/{id}"),
        email: format!(
            "{}.{}.{index}@agency{:03}.example",
            first.to_lowercase(),
            last.to_lowercase(),
            home
        ),
        user_id: id,
        display_name: format!("{first} {last}"),
        assigned_user_roles: roles,
        last_login_time: last_login.map(|t| Timestamp::from_unix(t).as_str().to_string()),
    }
}

fn write_export(args: &Args) -> Result<(u32, usize), Box<dyn Error>> {
    let now = Timestamp::parse(NOW)?.unix();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    create_parent(&args.out)?;
    let mut out = BufWriter::new(File::create(&args.out)?);
    out.write_all(b"[\n")?;
    let mut assignments = 0usize;
    let mut written = 0u32;
    let mut page_no = 0usize;
    while written < args.users || page_no == 0 {
        let size = (args.users - written).min(u32::try_from(args.page_size)?);
        let users: Vec<DvUser> = (written..written + size)
            .map(|i| user(&mut rng, i, now))
            .collect();
        assignments += users
            .iter()
            .map(|u| u.assigned_user_roles.len())
            .sum::<usize>();
        written += size;
        let last = written >= args.users;
        let page = Page {
            users,
            next_page_token: (!last).then(|| format!("{:016x}", rng.gen::<u64>())),
        };
        if page_no > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &page)?;
        page_no += 1;
        if last {
            break;
        }
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok((written, assignments))
}

fn write_directory(path: &Path) -> Result<usize, Box<dyn Error>> {
    let mut entities = Vec::new();
    for p in 0..PARTNERS {
        entities.push(DirectoryEntity {
            level: "partner".into(),
            id: partner_id(p),
            parent: None,
            name: Some(format!("Partner {p:03}")),
        });
    }
    for p in 0..PARTNERS {
        for k in 0..ADVERTISERS_PER_PARTNER {
            entities.push(DirectoryEntity {
                level: "advertiser".into(),
                id: advertiser_id(p, k),
                parent: Some(partner_id(p)),
                name: Some(format!("Partner {p:03} advertiser {k:02}")),
            });
        }
    }
    let n = entities.len();
    create_parent(path)?;
    let mut out = BufWriter::new(File::create(path)?);
    serde_json::to_writer(&mut out, &Directory { entities })?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(n)
}

fn create_parent(path: &Path) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn check(path: &Path) -> Result<(), Box<dyn Error>> {
    let bytes = std::fs::read(path)?;
    let profile = Profile::builtin("dv360")?;
    let mb = bytes.len() as f64 / 1e6;
    // The floor: serde_json skimming the same bytes into nothing.
    let start = Instant::now();
    serde_json::from_slice::<serde::de::IgnoredAny>(&bytes)?;
    let skim = start.elapsed();
    let mut times = Vec::new();
    let mut summary = (0, 0);
    for _ in 0..3 {
        let start = Instant::now();
        let export = read_export(&profile, &bytes)?;
        times.push(start.elapsed());
        summary = (
            export.users.len(),
            export
                .users
                .iter()
                .map(|u| u.assignments.len())
                .sum::<usize>(),
        );
        drop(export);
    }
    let best = times.iter().min().copied().unwrap_or_default();
    println!(
        "read_export: {} users, {} assignments from {mb:.1} MB in {} (best of 3: {}; {:.0} MB/s); \
         serde_json skimming the same bytes: {}",
        summary.0,
        summary.1,
        times.iter().map(|t| ms(*t)).collect::<Vec<_>>().join(", "),
        ms(best),
        mb / best.as_secs_f64().max(1e-9),
        ms(skim),
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    let start = Instant::now();
    let (users, assignments) = write_export(&args)?;
    let size = std::fs::metadata(&args.out)?.len();
    println!(
        "wrote {} ({users} users, {assignments} assignments, {:.1} MB, pages of {}) in {}",
        args.out.display(),
        size as f64 / 1e6,
        args.page_size,
        ms(start.elapsed())
    );
    if let Some(dir) = &args.directory_out {
        let n = write_directory(dir)?;
        println!("wrote {} ({n} entities)", dir.display());
    }
    if args.check {
        check(&args.out)?;
    }
    Ok(())
}
