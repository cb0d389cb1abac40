#![allow(clippy::expect_used)] // benchmark code
//! Audits of 10,000 users in a loop, for an instruction count that does not move with the
//! machine's load: `ADACCESS_ITERATIONS=3` and `=1` runs of
//! `valgrind --tool=callgrind target/release/examples/prof_audit`, the difference halved.
use adaccess_core::{AuditOptions, Timestamp};
fn main() {
    let engine = adaccess_bench::engine();
    let users = adaccess_bench::users(42, 10_000);
    let now = Timestamp::parse("2026-11-22").expect("date");
    let n = std::env::var("ADACCESS_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(engine.audit(&users, Some(&now), None, &AuditOptions::default()));
    }
    println!("{:?} per audit of 10,000 users", t.elapsed() / n);
}
