//! Writes the benchmark workload for the JavaScript and Python benchmarks (scripts/bench):
//! the adaccess users and directory, the decisions with adaccess's answers, the Cedar
//! encoding (attribute shape: policies text and entities JSON) and a Casbin RBAC-with-domains
//! model and policy. Every peer must give the recorded answer to every decision.
//!
//! Usage: cargo run --release -p adaccess-peers --example workload -- OUT_DIR [USERS] [DECISIONS]

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use adaccess_peers::workload::workload;
use adaccess_peers::{granted, known, usable, Cedar};
use serde_json::json;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().expect("OUT_DIR"));
    let users: usize = args.next().map_or(200, |v| v.parse().unwrap());
    let count: usize = args.next().map_or(100_000, |v| v.parse().unwrap());
    std::fs::create_dir_all(&out).unwrap();
    let w = workload(7, users, count).unwrap();
    let profile = w.engine.profile();

    // The parent partner of each advertiser, for Casbin's request (Cedar reads it from the
    // entities).
    let parents: HashMap<(&str, &str), &str> = w
        .directory
        .entities
        .iter()
        .filter_map(|e| Some(((e.level.as_str(), e.id.as_str()), e.parent.as_deref()?)))
        .collect();
    let decisions: Vec<_> = w
        .decisions
        .iter()
        .map(|d| {
            let allowed = w
                .engine
                .allows(&w.users[d.user], &d.capability, &d.level, &d.entity);
            let parent = parents
                .get(&(d.entity.level.as_str(), d.entity.id.as_str()))
                .map(|p| format!("partner:{p}"))
                .unwrap_or_default();
            json!({"user": d.user, "capability": d.capability, "level": d.level,
                   "entity": d.entity, "node": format!("{}:{}", d.entity.level, d.entity.id),
                   "parent": parent, "allowed": allowed})
        })
        .collect();
    let write = |name: &str, text: String| std::fs::write(out.join(name), text).unwrap();
    write("decisions.json", serde_json::to_string(&decisions).unwrap());
    write("users.json", serde_json::to_string(&w.users).unwrap());
    write(
        "directory.json",
        serde_json::to_string(&w.directory).unwrap(),
    );

    let cedar = Cedar::by_attributes(profile, &w.directory, &w.users).unwrap();
    write("cedar.policies", cedar.policy_text());
    write(
        "cedar_entities.json",
        serde_json::to_string(&cedar.entities_json().unwrap()).unwrap(),
    );

    // Casbin, RBAC with domains: a user holds a role in a domain (the assigned entity); a
    // request names the advertiser and its partner, either of which may be the domain.
    write(
        "casbin_model.conf",
        "[request_definition]\nr = sub, obj, parent, act\n\n[policy_definition]\np = sub, act\n\n\
         [role_definition]\ng = _, _, _\n\n[policy_effect]\ne = some(where (p.eft == allow))\n\n\
         [matchers]\nm = (g(r.sub, p.sub, r.obj) || g(r.sub, p.sub, r.parent)) && r.act == p.act\n"
            .to_string(),
    );
    let mut policy = String::new();
    for role in profile.roles() {
        for action in granted(profile, &role.grants) {
            writeln!(policy, "p, {}, {action}", role.id).unwrap();
        }
    }
    let known = known(&w.directory);
    for (u, user) in w.users.iter().enumerate() {
        for a in user
            .assignments
            .iter()
            .filter(|a| usable(profile, &known, a))
        {
            writeln!(
                policy,
                "g, {u}, {}, {}:{}",
                a.role, a.entity.level, a.entity.id
            )
            .unwrap();
        }
    }
    write("casbin_policy.csv", policy);
    let allowed = decisions.iter().filter(|d| d["allowed"] == true).count();
    println!(
        "workload: {} users, {} decisions ({allowed} allowed), {} Cedar policies, in {}",
        w.users.len(),
        decisions.len(),
        cedar.policy_count(),
        out.display()
    );
}
