#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The benchmark workload, on a small sample: adaccess and its Cedar encoding give the same
//! answer to every decision, so the side-by-side timings compare the same work.

use adaccess_peers::workload::workload;
use adaccess_peers::Cedar;

#[test]
fn adaccess_and_cedar_agree_on_the_benchmark_decisions() {
    let w = workload(42, 40, 4_000).unwrap();
    let cedar = Cedar::new(w.engine.profile(), &w.directory, &w.users).unwrap();
    let by_attributes = Cedar::by_attributes(w.engine.profile(), &w.directory, &w.users).unwrap();
    let mut allowed = 0;
    for d in &w.decisions {
        let ours = w
            .engine
            .allows(&w.users[d.user], &d.capability, &d.level, &d.entity);
        let theirs = cedar
            .is_authorized(d.user, &d.capability, &d.level, &d.entity)
            .unwrap();
        assert_eq!(ours, theirs, "{d:?}\n{}", cedar.explain(d.user));
        let theirs = by_attributes
            .is_authorized(d.user, &d.capability, &d.level, &d.entity)
            .unwrap();
        assert_eq!(ours, theirs, "{d:?}\n{}", by_attributes.explain(d.user));
        allowed += usize::from(ours);
    }
    assert_eq!(w.decisions.len(), 4_000);
    assert!(
        allowed > 0 && allowed < w.decisions.len(),
        "{allowed} allowed"
    );
}
