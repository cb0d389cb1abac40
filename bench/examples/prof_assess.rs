#![allow(clippy::expect_used)] // benchmark code
//! A loop of 1,000-assignment assessments (changed rows) for a profiler:
//! `CARGO_PROFILE_RELEASE_DEBUG=true cargo build --release -p adaccess-bench --example prof_assess`
//! then `perf record --call-graph dwarf ./target/release/examples/prof_assess`, or count
//! instructions: `ADACCESS_ITERATIONS=50 valgrind --tool=cachegrind --cache-sim=no ...`.
use adaccess_core::{AssessOptions, Draft, Edit, EffectiveRows};
fn main() {
    let engine = adaccess_bench::engine();
    // ADACCESS_SIZE: assignments of the user (default 1,000).
    let size = std::env::var("ADACCESS_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let change = adaccess_bench::change_wide(size);
    let options = AssessOptions {
        effective: EffectiveRows::Changed,
    };
    // ADACCESS_ITERATIONS: fewer for an instruction count under valgrind, whose figure does
    // not move with the machine's load as times do.
    let n = std::env::var("ADACCESS_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    // ADACCESS_CALL=check: a draft's check after one edit (a role) instead of a full
    // assessment; ADACCESS_CALL=reason: after an edit of the reason.
    let call = std::env::var("ADACCESS_CALL").unwrap_or_default();
    let t = std::time::Instant::now();
    if call == "check" || call == "reason" {
        // ADACCESS_CALL=reason: the edit is a keystroke in the reason field instead.
        let mut draft = Draft::new(std::sync::Arc::new(engine), change);
        for k in 0..n {
            let edit = if call == "reason" {
                Edit::SetReason {
                    reason: Some(format!("reshuffle {k}")),
                }
            } else {
                let role = if k % 2 == 0 { "read_only" } else { "standard" };
                Edit::SetRole {
                    index: 10,
                    role: role.into(),
                }
            };
            draft.edit(edit).expect("edit");
            std::hint::black_box(draft.check());
        }
    } else {
        for _ in 0..n {
            std::hint::black_box(engine.assess_with(&change, &options));
        }
    }
    println!(
        "{:?} per {}",
        t.elapsed() / n,
        if call == "check" {
            "edit and check"
        } else {
            "assess"
        }
    );
}
