#![allow(clippy::indexing_slicing, clippy::expect_used)] // benchmark code
//! `cargo bench -p adaccess-bench`: can, assess and audit on the dv360 profile.

use std::hint::black_box;

use adaccess_bench::{change_20, change_wide, engine, users};
use adaccess_core::{AssessOptions, AuditOptions, EffectiveRows, EntityRef, Timestamp};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench_can(c: &mut Criterion) {
    let engine = engine();
    let change = change_20(7);
    let user = change.before.expect("a before-state");
    let target = user.assignments[10].entity.clone();
    let elsewhere = EntityRef::new("advertiser", "199050");
    let mut group = c.benchmark_group("can");
    group.bench_function("allowed, 20 assignments", |b| {
        b.iter(|| engine.can(black_box(&user), "campaigns", "read", black_box(&target)))
    });
    group.bench_function("denied (not covered), 20 assignments", |b| {
        b.iter(|| engine.can(black_box(&user), "campaigns", "read", black_box(&elsewhere)))
    });
    group.bench_function("allows (answer only), 20 assignments", |b| {
        b.iter(|| engine.allows(black_box(&user), "campaigns", "read", black_box(&target)))
    });
    group.finish();
}

fn bench_assess(c: &mut Criterion) {
    let engine = engine();
    let change = change_20(7);
    c.bench_function("assess 20-assignment change", |b| {
        b.iter(|| engine.assess(black_box(&change)))
    });
    let wide = change_wide(1000);
    c.bench_function("assess 1,000-assignment user", |b| {
        b.iter(|| engine.assess(black_box(&wide)))
    });
    // What a form asks for: only the matrix rows that change.
    let changed = AssessOptions {
        effective: EffectiveRows::Changed,
    };
    c.bench_function("assess 1,000-assignment user, effective: changed", |b| {
        b.iter(|| engine.assess_with(black_box(&wide), &changed))
    });
}

fn bench_audit(c: &mut Criterion) {
    let engine = engine();
    let now = Timestamp::parse("2026-11-22").expect("date");
    let options = AuditOptions::default();
    let mut group = c.benchmark_group("audit");
    group.sample_size(10);
    for count in [10_000usize, 100_000] {
        let users = users(42, count);
        group.throughput(Throughput::Elements(count as u64));
        group.bench_function(format!("{count} users (in memory)"), |b| {
            b.iter(|| engine.audit(black_box(&users), Some(&now), None, &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_can, bench_assess, bench_audit);
criterion_main!(benches);
