#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! ARCHITECTURE.md stays true: every path it names exists.

use std::path::Path;

mod common;

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

/// The top-level modules of `core/src` each file belongs to, with the modules its code (not
/// its comments, not its tests) names through `crate::`. A call of an `Engine` method defined
/// in another module names no path, so it is not seen: the questions' `impl Engine` blocks
/// can call each other without the scan knowing.
fn module_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut files: Vec<(String, String)> = Vec::new();
    for (path, text) in common::core_sources() {
        let top = path
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if top == "lib" {
            continue; // the crate root re-exports everything
        }
        // Tests sit at the end of a file and may use any layer.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let code: String = code
            .lines()
            .map(|l| l.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        files.push((top, code));
    }
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (top, code) in &files {
        let uses = graph.entry(top.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            // `crate::engine::X`, or a group: `crate::{engine::X, finding::Y}`.
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or_default())
                    .collect(),
                None => vec![rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or_default()],
            };
            for name in names {
                if modules.contains(name) && name != top {
                    uses.insert(name.to_string());
                }
            }
        }
    }
    graph
}

#[test]
fn core_modules_form_layers_without_cycles() {
    let graph = module_graph();
    assert!(graph.len() > 15, "only {} modules found", graph.len());
    // Peel off, round by round, the modules that use only modules already peeled: the
    // rounds are the layers. What cannot be peeled sits on a cycle.
    let mut placed: std::collections::BTreeSet<String> = Default::default();
    let mut layers: Vec<Vec<String>> = Vec::new();
    loop {
        let layer: Vec<String> = graph
            .iter()
            .filter(|(m, uses)| !placed.contains(*m) && uses.iter().all(|u| placed.contains(u)))
            .map(|(m, _)| m.clone())
            .collect();
        if layer.is_empty() {
            break;
        }
        placed.extend(layer.iter().cloned());
        layers.push(layer);
    }
    let stuck: Vec<String> = graph
        .iter()
        .filter(|(m, _)| !placed.contains(*m))
        .map(|(m, uses)| {
            let on: Vec<&String> = uses.iter().filter(|u| !placed.contains(*u)).collect();
            format!("{m} -> {on:?}")
        })
        .collect();
    assert!(
        stuck.is_empty(),
        "modules of core/src on a cycle (each with the unplaced modules it uses):\n{}\nlayers so far: {layers:?}",
        stuck.join("\n")
    );
    // The vocabulary sits at the bottom, the engine above the profile, the questions above
    // the engine.
    let layer_of = |m: &str| {
        layers
            .iter()
            .position(|l| l.iter().any(|x| x == m))
            .unwrap()
    };
    for low in ["model", "json", "order", "ids", "error", "finding"] {
        assert!(layer_of(low) < layer_of("profile"), "{low}: {layers:?}");
    }
    assert!(layer_of("profile") < layer_of("engine"));
    for question in ["validate", "access", "assess", "audit"] {
        assert!(
            layer_of("engine") < layer_of(question),
            "{question}: {layers:?}"
        );
    }
}
