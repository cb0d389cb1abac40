//! casbin-rs `enforce` on the decisions of the side-by-side workload (written by the
//! `workload` example of adaccess-peers): checks every answer against adaccess's recorded
//! one, then reports the median time per decision over several rounds as a JSON line.
//! Usage: cargo run --release --manifest-path peers/casbin-bench/Cargo.toml -- WORKLOAD_DIR

use std::path::PathBuf;
use std::time::Instant;

use casbin::{CoreApi, DefaultModel, Enforcer, FileAdapter};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let work = PathBuf::from(std::env::args().nth(1).ok_or("WORKLOAD_DIR")?);
    let decisions: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(work.join("decisions.json"))?)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let enforcer = runtime.block_on(async {
        let model = DefaultModel::from_file(work.join("casbin_model.conf")).await?;
        let adapter = FileAdapter::new(work.join("casbin_policy.csv"));
        Enforcer::new(model, adapter).await
    })?;
    let requests: Vec<(String, String, String, String, bool)> = decisions
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (
                d["user"].to_string(),
                s("node"),
                s("parent"),
                format!("{}:{}", s("capability"), s("level")),
                d["allowed"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    let sample = 20_000.min(requests.len());
    let mut mismatches = 0;
    for (sub, obj, parent, act, allowed) in requests.iter().take(sample) {
        if enforcer.enforce((sub, obj, parent, act))? != *allowed {
            mismatches += 1;
        }
    }
    if mismatches > 0 {
        return Err(format!("casbin-rs: {mismatches} of {sample} answers differ from adaccess's").into());
    }
    let mut rounds = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        for (sub, obj, parent, act, _) in requests.iter().take(sample) {
            std::hint::black_box(enforcer.enforce((sub, obj, parent, act))?);
        }
        rounds.push(start.elapsed().as_secs_f64() * 1e6 / sample as f64);
    }
    rounds.sort_by(f64::total_cmp);
    println!(
        "{{\"lang\": \"rust\", \"what\": \"casbin-rs enforce\", \"decisions\": {sample}, \"per_decision_us\": {:.3}}}",
        rounds[rounds.len() / 2]
    );
    Ok(())
}
