//! Where a profile's facts come from: the documents it cites, and a citation for each fact
//! in the profile's `sources`, keyed by the fact's path (`roles.trader.grants.api_tokens`).
//!
//! The engine never reads citations. A profile keeps them as JSON when it loads
//! (`doc::Cited`), so a wrong citation never stops an access check and the npm package's
//! WebAssembly carries no code for them; these typed views serve the reviewer's listing
//! (`Profile::facts`), the checks of `Profile::source_problems` and the JSON Schema.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::doc::Cited;
use super::Profile;
use crate::error::{Problem, ProfileProblem};

/// A document a profile cites: a help page, a checklist, an API schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentDoc {
    /// What citations name it by (`mm_checklist`).
    pub id: String,
    /// The document: title, version, address.
    pub title: String,
    /// The sections a citation may name, as the document heads them.
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where one fact comes from: a section of a document, or the reason it is assumed, or the
/// seat's own policy (what the platform does not state, but a seat would expect). Exactly one
/// of `doc` (with `section`), `assumption` and `policy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// A document id of the profile's `documents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// One of that document's `sections`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// What the section says that bears on the fact, in the profile's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// No document states the fact: why a user would expect it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// The platform does not state it: the seat's own rule, and why (a team profile may
    /// change it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// What kind of ground a fact stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CitationKind {
    /// A section of a cited document.
    Document,
    /// Stated nowhere; kept because a user would expect it.
    Assumption,
    /// Stated nowhere by the platform; the seat's own rule.
    Policy,
}

impl Citation {
    /// The kind, when the citation is well-formed (`None` when it mixes or lacks kinds).
    pub fn kind(&self) -> Option<CitationKind> {
        match (&self.doc, &self.assumption, &self.policy) {
            (Some(_), None, None) => Some(CitationKind::Document),
            (None, Some(_), None) if self.section.is_none() => Some(CitationKind::Assumption),
            (None, None, Some(_)) if self.section.is_none() => Some(CitationKind::Policy),
            _ => None,
        }
    }
}

/// One citation or several, as a profile writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Sources {
    One(Citation),
    Many(Vec<Citation>),
}

/// Read by the value's own shape, an object or an array, rather than as an untagged enum:
/// a bad field of a citation is then reported as itself (unknown field `secton`), not as a
/// value that matched no variant.
impl<'de> Deserialize<'de> for Sources {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Sources;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a citation object or a list of them")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Sources, A::Error> {
                Citation::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Sources::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Sources, A::Error> {
                Vec::<Citation>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(Sources::Many)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Sources {
    pub fn citations(&self) -> &[Citation] {
        match self {
            Sources::One(c) => std::slice::from_ref(c),
            Sources::Many(list) => list,
        }
    }
}

/// A field kept as JSON, read as its typed view.
fn read<T: for<'de> Deserialize<'de>>(value: &Cited) -> Result<T, String> {
    T::deserialize(value).map_err(|e| e.to_string())
}

impl Profile {
    /// The documents the profile cites (none when `documents` is missing or malformed, which
    /// `source_problems` reports).
    pub fn documents(&self) -> Vec<DocumentDoc> {
        self.doc()
            .documents
            .as_ref()
            .and_then(|d| read(d).ok())
            .unwrap_or_default()
    }

    /// Each fact's citations, by fact path (malformed entries left out: `source_problems`
    /// reports them).
    pub fn citations(&self) -> BTreeMap<String, Vec<Citation>> {
        let Some(serde_json::Value::Object(map)) = &self.doc().sources else {
            return BTreeMap::new();
        };
        map.iter()
            .filter_map(|(fact, v)| {
                let sources: Sources = read(v).ok()?;
                Some((fact.clone(), sources.citations().to_vec()))
            })
            .collect()
    }

    /// What is wrong with the profile's citations, each with its path: a malformed citation,
    /// a source for a fact the profile does not state, a document it does not list, a section
    /// that document does not have. A profile with such problems still works: they are
    /// mistakes in its documentation, which `adaccess check-profile` reports.
    pub fn source_problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let doc = self.doc();
        let documents = cited_documents(doc.documents.as_ref(), &mut problems);
        let map = match &doc.sources {
            None => return problems,
            Some(serde_json::Value::Object(map)) => map,
            Some(_) => {
                add(
                    &mut problems,
                    ProfileProblem::BadSource,
                    "sources".into(),
                    "`sources` maps each fact's path to its citations".into(),
                );
                return problems;
            }
        };
        let facts: Vec<String> = self.facts().into_iter().map(|f| f.fact).collect();
        for (fact, value) in map {
            let path = format!("sources.{fact}");
            if !facts.contains(fact) && !self.is_denial(fact) {
                add(
                    &mut problems,
                    ProfileProblem::UnknownFact,
                    path.clone(),
                    format!("`{fact}` is not a fact of this profile (see `adaccess profile show ID --sources`)"),
                );
            }
            let sources: Sources = match read(value) {
                Ok(s) => s,
                Err(message) => {
                    add(&mut problems, ProfileProblem::BadSource, path, message);
                    continue;
                }
            };
            sources_problems(&path, &sources, &documents, &mut problems);
        }
        problems
    }

    /// `roles.ROLE.denies.CAPABILITY` for a capability the role does not grant: a fact a
    /// profile may cite (a trader creates no API tokens). Once the role grants it, the
    /// citation no longer names a fact, and the grant (`roles.ROLE.grants.CAPABILITY`) has no
    /// source until it is given one.
    pub(crate) fn is_denial(&self, fact: &str) -> bool {
        let Some(rest) = fact.strip_prefix("roles.") else {
            return false;
        };
        self.role_ids().zip(self.roles()).any(|(i, r)| {
            rest.strip_prefix(r.id.as_str())
                .and_then(|t| t.strip_prefix(".denies."))
                .and_then(|cap| self.capability(cap))
                .is_some_and(|cap| self.grant(i, cap) == 0)
        })
    }
}

/// Adds a problem of the profile's citations.
fn add(problems: &mut Vec<Problem>, kind: ProfileProblem, path: String, message: String) {
    problems.push(Problem::new(kind, path, message))
}

/// The documents a profile lists (none when it lists none); a malformed list and a document
/// listed twice are problems.
fn cited_documents(documents: Option<&Cited>, problems: &mut Vec<Problem>) -> Vec<DocumentDoc> {
    let documents: Vec<DocumentDoc> = match documents.map(read) {
        Some(Ok(d)) => d,
        Some(Err(message)) => {
            add(
                problems,
                ProfileProblem::BadSource,
                "documents".into(),
                message,
            );
            Vec::new()
        }
        None => Vec::new(),
    };
    for (i, d) in documents.iter().enumerate() {
        if documents.iter().take(i).any(|e| e.id == d.id) {
            add(
                problems,
                ProfileProblem::DuplicateId,
                format!("documents[{i}]"),
                format!("document `{}` is listed twice", d.id),
            );
        }
    }
    documents
}

/// The problems of one fact's citations, at `path` (`sources.FACT`).
fn sources_problems(
    path: &str,
    sources: &Sources,
    documents: &[DocumentDoc],
    problems: &mut Vec<Problem>,
) {
    let many = matches!(sources, Sources::Many(_));
    if many && sources.citations().is_empty() {
        add(
            problems,
            ProfileProblem::BadSource,
            path.to_string(),
            "give at least one citation".into(),
        );
    }
    for (i, c) in sources.citations().iter().enumerate() {
        let at = if many {
            format!("{path}[{i}]")
        } else {
            path.to_string()
        };
        citation_problems(at, c, documents, problems);
    }
}

/// The problems of one citation, at `at`: not one of the three kinds, a document the
/// profile does not list or a section it does not have, a blank assumption or policy.
fn citation_problems(
    at: String,
    c: &Citation,
    documents: &[DocumentDoc],
    problems: &mut Vec<Problem>,
) {
    let blank = |t: &Option<String>| t.as_deref().is_some_and(|t| t.trim().is_empty());
    match (c.kind(), &c.doc) {
        (None, _) => add(
            problems,
            ProfileProblem::BadSource,
            at,
            "a citation is one of {doc, section}, {assumption} or {policy}".into(),
        ),
        (Some(CitationKind::Document), Some(doc_id)) => {
            match documents.iter().find(|d| &d.id == doc_id) {
                None => add(
                    problems,
                    ProfileProblem::UnknownDocument,
                    format!("{at}.doc"),
                    format!("`{doc_id}` is not one of the profile's documents"),
                ),
                Some(d) => match &c.section {
                    None => add(
                        problems,
                        ProfileProblem::BadSource,
                        format!("{at}.section"),
                        format!("name the section of `{doc_id}` that states the fact"),
                    ),
                    Some(sec) if !d.sections.contains(sec) => add(
                        problems,
                        ProfileProblem::UnknownSection,
                        format!("{at}.section"),
                        format!("`{sec}` is not a section of `{doc_id}`"),
                    ),
                    Some(_) => {}
                },
            }
        }
        _ if blank(&c.assumption) || blank(&c.policy) => add(
            problems,
            ProfileProblem::BadSource,
            at,
            "an assumption or a policy says why".into(),
        ),
        _ => {}
    }
}
