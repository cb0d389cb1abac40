//! The catalogues a caller can list: every error code by the type that carries it, and every
//! finding code a profile can emit. They sit above every layer because they name the codes of
//! all of them; nothing in the crate depends on this module.

use crate::finding::{CodeEntry, CodeSource, CODES};
use crate::profile::Profile;

/// Every error code of the crate, by the type that carries it: the codes a caller can meet
/// in an [`ErrorInfo`](crate::ErrorInfo) besides `internal` (a bug, reported by the faces)
/// and `output` (the caller's own sink failed).
pub fn error_codes() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("ProfileError", crate::error::ProfileError::CODES),
        ("ProfileProblem", crate::error::ProfileProblem::CODES),
        ("InputError", crate::error::InputError::CODES),
        ("DirectoryError", crate::error::DirectoryError::CODES),
        ("IngestError", crate::ingest::IngestError::CODES),
        ("LogError", crate::log::LogError::CODES),
        #[cfg(not(target_arch = "wasm32"))]
        ("SeatsError", crate::seats::SeatsError::CODES),
    ]
}

/// The codes a profile can emit: the catalogue, with the profile's rule severities and any
/// rule it adds, sorted by code.
pub fn codes_for(profile: Option<&Profile>) -> Vec<CodeEntry> {
    let mut out: Vec<CodeEntry> = CODES
        .iter()
        .map(|c| CodeEntry {
            code: c.code.to_string(),
            severity: profile
                .and_then(|p| p.severity_of(c.code))
                .unwrap_or(c.severity),
            source: c.source,
            description: c.description.to_string(),
        })
        .collect();
    if let Some(p) = profile {
        for rule in p.rules() {
            if !out.iter().any(|c| c.code == rule.id) {
                out.push(CodeEntry {
                    code: rule.id.clone(),
                    severity: rule.severity,
                    source: CodeSource::Rule,
                    description: rule.message.clone(),
                });
            }
        }
    }
    crate::order::sort_by(&mut out, |a, b| a.code.cmp(&b.code));
    out
}
