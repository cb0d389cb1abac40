//! Embeds the built-in profiles (`profiles/*.json`) without their indentation: they are read
//! at run time, so the layout is dead weight in every binary, most of all the WebAssembly
//! module a browser downloads. Without the `citations` feature (the npm package's WebAssembly),
//! the profiles' citations and notes are left out as well: the engine never reads them.
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::var("OUT_DIR")?;
    for id in ["dv360", "mediamath"] {
        let source = format!("profiles/{id}.json");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source)?;
        // preserve_order (a workspace feature of serde_json) keeps every object's key order.
        let mut doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{source} is not valid JSON: {e}"))?;
        if std::env::var_os("CARGO_FEATURE_CITATIONS").is_none() {
            if let Some(fields) = doc.as_object_mut() {
                fields.remove("documents");
                fields.remove("sources");
            }
            strip_notes(&mut doc);
        }
        std::fs::write(
            Path::new(&out).join(format!("{id}.json")),
            serde_json::to_string(&doc)?,
        )?;
    }
    Ok(())
}

/// Removes every `note` (the profile's prose for people: what a role or capability means on
/// the platform), which, like the citations, the engine never reads.
fn strip_notes(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            if fields.get("note").is_some_and(serde_json::Value::is_string) {
                fields.remove("note");
            }
            fields.values_mut().for_each(strip_notes);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_notes),
        _ => {}
    }
}
