//! Writes realistic multi-seat test data: DV360 and MediaMath seats, the manifest
//! `seats.json` and the answer key `planted.json` (see `adaccess_bench::seats`).
//!
//! ```text
//! cargo run --release -p adaccess-bench --bin gen-seats -- --out DIR [--seats 200] \
//!     [--users 5000] [--mediamath 0.25] [--seed 20261122] [--errors 0.02]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use adaccess_bench::seats::{generate, BoxError, Options, Platform};

fn usage() -> String {
    "usage: gen-seats --out DIR [--seats 200] [--users 5000] [--mediamath 0.25] \
     [--seed 20261122] [--errors 0.02]"
        .to_string()
}

fn parse_args() -> Result<(PathBuf, Options), BoxError> {
    let mut options = Options::default();
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{}", usage()))
        };
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seats" => options.seats = value()?.parse()?,
            "--users" => options.users = value()?.parse()?,
            "--mediamath" => options.mediamath = share(&flag, &value()?)?,
            "--seed" => options.seed = value()?.parse()?,
            "--errors" => options.errors = share(&flag, &value()?)?,
            "-h" | "--help" => return Err(usage().into()),
            other => return Err(format!("unknown argument `{other}`\n{}", usage()).into()),
        }
    }
    let out = out.ok_or_else(|| format!("--out DIR is required\n{}", usage()))?;
    Ok((out, options))
}

/// A number between 0 and 1.
fn share(flag: &str, text: &str) -> Result<f64, BoxError> {
    let v: f64 = text.parse()?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{flag} is a share between 0 and 1, not {text}").into())
    }
}

fn run() -> Result<(), BoxError> {
    let (out, options) = parse_args()?;
    let start = Instant::now();
    let seats = generate(&out, &options)?;
    let mut bytes = 0u64;
    for s in &seats {
        bytes += std::fs::metadata(out.join(&s.entry.export))?.len();
    }
    let users: usize = seats.iter().map(|s| s.users).sum();
    let mediamath = seats
        .iter()
        .filter(|s| s.platform == Platform::MediaMath)
        .count();
    let mut planted: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &seats {
        for (code, ids) in &s.planted {
            *planted.entry(code.as_str()).or_default() += ids.len();
        }
    }
    println!(
        "wrote {} seats ({} DV360, {mediamath} MediaMath; {users} users, {:.1} MB of exports) \
         into {} in {:.2} s",
        seats.len(),
        seats.len() - mediamath,
        bytes as f64 / 1e6,
        out.display(),
        start.elapsed().as_secs_f64()
    );
    let planted: Vec<String> = planted.iter().map(|(c, n)| format!("{c} {n}")).collect();
    println!("planted (planted.json): {}", planted.join(", "));
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-seats: {e}");
            ExitCode::from(2)
        }
    }
}
