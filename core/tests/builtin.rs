#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use adaccess_core::{Engine, Profile};

#[test]
fn builtins_load() {
    for id in Profile::builtin_ids() {
        match Profile::builtin(id) {
            Ok(p) => assert_eq!(p.id(), id),
            Err(e) => panic!("{id}: {e:?}"),
        }
    }
    let _ = Engine::new(Profile::builtin("dv360").unwrap(), None).unwrap();
}
