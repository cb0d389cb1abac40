#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The README's terminal examples are real: each `$ adaccess ...` block is run and every line
//! it shows (but `...`) must appear in the actual output.

use std::path::Path;
use std::process::Command;

#[test]
fn readme_terminal_examples_match_the_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut checked = 0;
    for block in readme.split("```text\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let mut lines = block.lines();
        let Some(command) = lines.next().and_then(|l| l.strip_prefix("$ adaccess ")) else {
            continue;
        };
        let output = Command::new(env!("CARGO_BIN_EXE_adaccess"))
            .current_dir(&root)
            .args(command.split_whitespace())
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        for line in lines.filter(|l| l.trim() != "...") {
            assert!(
                stdout.contains(line),
                "README line not in `adaccess {command}` output:\n{line}\n---\n{stdout}"
            );
        }
        checked += 1;
    }
    assert!(checked > 0, "no `$ adaccess` example found in README.md");
}
