//! `cargo bench -p adaccess-peers`: one decision `can(user, capability, level, advertiser)`
//! on the same workload (dv360, 200 partners × 50 advertisers, 200 users of 1–20
//! assignments), answered by adaccess and by Cedar (`Authorizer::is_authorized` on the
//! encoding of adaccess_peers::Cedar). The answers are checked to agree before timing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use adaccess_peers::workload::workload;
use adaccess_peers::Cedar;
use criterion::{criterion_group, criterion_main, Criterion};

fn bench_decisions(c: &mut Criterion) {
    let w = workload(7, 200, 10_000).unwrap();
    let cedar = Cedar::new(w.engine.profile(), &w.directory, &w.users).unwrap();
    let by_attributes = Cedar::by_attributes(w.engine.profile(), &w.directory, &w.users).unwrap();
    for d in &w.decisions {
        let ours = w
            .engine
            .allows(&w.users[d.user], &d.capability, &d.level, &d.entity);
        for c in [&cedar, &by_attributes] {
            let theirs = c
                .is_authorized(d.user, &d.capability, &d.level, &d.entity)
                .unwrap();
            assert_eq!(ours, theirs, "the encodings disagree on {d:?}");
        }
    }
    eprintln!(
        "{} decisions agree; Cedar holds {} policies (templates) / {} (attributes)",
        w.decisions.len(),
        cedar.policy_count(),
        by_attributes.policy_count()
    );
    let prepared: Vec<_> = w.users.iter().map(|u| w.engine.user(u.clone())).collect();
    for d in &w.decisions {
        let plain = w
            .engine
            .can(&w.users[d.user], &d.capability, &d.level, &d.entity);
        let ready = &prepared[d.user];
        assert_eq!(ready.can(&d.capability, &d.level, &d.entity), plain);
        assert_eq!(
            ready.allows(&d.capability, &d.level, &d.entity),
            plain.allowed
        );
    }
    let mut group = c.benchmark_group("decision");
    let mut i = 0;
    let mut next = || {
        i = (i + 1) % w.decisions.len();
        &w.decisions[i]
    };
    group.bench_function("adaccess can (with explanation)", |b| {
        b.iter(|| {
            let d = next();
            black_box(
                w.engine
                    .can(&w.users[d.user], &d.capability, &d.level, &d.entity),
            )
        })
    });
    group.bench_function("adaccess allows", |b| {
        b.iter(|| {
            let d = next();
            black_box(
                w.engine
                    .allows(&w.users[d.user], &d.capability, &d.level, &d.entity),
            )
        })
    });
    // What every call here pays before any engine work: the question's four strings are read
    // from the heap (10,000 decisions, each its own allocations).
    group.bench_function("floor: reading the question's strings", |b| {
        b.iter(|| {
            let d = next();
            let first = |s: &str| s.bytes().fold(0u8, |a, x| a ^ x);
            black_box(
                first(&d.capability)
                    ^ first(&d.level)
                    ^ first(&d.entity.level)
                    ^ first(&d.entity.id),
            )
        })
    });
    group.bench_function("adaccess can on a prepared user", |b| {
        b.iter(|| {
            let d = next();
            black_box(prepared[d.user].can(&d.capability, &d.level, &d.entity))
        })
    });
    group.bench_function("adaccess allows on a prepared user", |b| {
        b.iter(|| {
            let d = next();
            black_box(prepared[d.user].allows(&d.capability, &d.level, &d.entity))
        })
    });
    group.bench_function(
        "cedar is_authorized (a policy per role, scopes as attributes)",
        |b| {
            b.iter(|| {
                let d = next();
                black_box(by_attributes.is_authorized(d.user, &d.capability, &d.level, &d.entity))
            })
        },
    );
    group.bench_function(
        "cedar is_authorized (a linked template per assignment)",
        |b| {
            b.iter(|| {
                let d = next();
                black_box(cedar.is_authorized(d.user, &d.capability, &d.level, &d.entity))
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench_decisions);
criterion_main!(benches);
