#![allow(clippy::expect_used)] // benchmark code
//! Prints the check a form receives after one role edit of the benchmark's change, as JSON:
//! what `draft.check()` writes and JavaScript parses on every edit (about 8 KB for a
//! 1,000-assignment user). `cargo run --release -p adaccess-bench --example show_check`.
use adaccess_core::{Draft, Edit};
fn main() {
    let engine = adaccess_bench::engine();
    let mut draft = Draft::new(
        std::sync::Arc::new(engine),
        adaccess_bench::change_wide(1000),
    );
    draft
        .edit(Edit::SetRole {
            index: 10,
            role: "read_only".into(),
        })
        .expect("edit");
    println!(
        "{}",
        serde_json::to_string_pretty(&draft.check()).expect("json")
    );
}
