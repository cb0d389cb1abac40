#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! ARCHITECTURE.md stays true: every path it names exists.

use std::path::Path;

#[test]
fn every_path_in_the_architecture_map_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut checked = 0;
    for token in text.split('`').skip(1).step_by(2) {
        // Paths, not code (`Engine::regrant`) or npm import specifiers (`adaccess/full`).
        if !token.contains('/')
            || token.contains(' ')
            || token.contains("::")
            || token.starts_with("adaccess/")
        {
            continue;
        }
        let path = token.trim_end_matches('/');
        let found = match path.split_once('*') {
            // `core/profiles/*.json`: the folder holds at least one such file.
            Some((dir, suffix)) => std::fs::read_dir(root.join(dir))
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .any(|e| e.file_name().to_string_lossy().ends_with(suffix))
                })
                .unwrap_or(false),
            None => root.join(path).exists(),
        };
        assert!(
            found,
            "ARCHITECTURE.md names `{token}`, which does not exist"
        );
        checked += 1;
    }
    assert!(
        checked > 30,
        "only {checked} paths found in ARCHITECTURE.md"
    );
}
