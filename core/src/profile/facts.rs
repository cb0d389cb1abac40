//! Every fact a profile states, each with where it comes from: what a reviewer reads to audit
//! a profile against its documents (`adaccess profile show ID --sources`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::sources::{Citation, CitationKind};
use super::Profile;

/// One fact of a profile and its citations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Fact {
    /// Where the fact sits: `roles.admin.grants.api_tokens`, `roles.trader.denies.api_tokens`,
    /// `constraints.uniform_role`, `rules.tokens.orphaned`.
    pub fact: String,
    /// Its value as text: `create`, `organization, agency, advertiser`, `security`.
    pub value: String,
    /// Where it comes from; empty when the profile gives no source.
    pub sources: Vec<Citation>,
}

impl Fact {
    /// The kinds of ground the fact's citations stand on, each once, in citation order (the
    /// first is how `profile show --sources` counts the fact).
    pub fn kinds(&self) -> Vec<CitationKind> {
        let mut kinds: Vec<CitationKind> = Vec::new();
        for k in self.sources.iter().filter_map(Citation::kind) {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        kinds
    }
}

impl Profile {
    /// Every fact the profile states, in document order: its levels, constraints and key
    /// capabilities, each capability and family, each role's family, levels, manages,
    /// platform ids and grants (and the denials it gives a source for), each toggle,
    /// redaction and rule.
    pub fn facts(&self) -> Vec<Fact> {
        let doc = self.doc();
        let mut cited = self.citations();
        let cited_facts: Vec<String> = cited.keys().cloned().collect();
        let mut out = Vec::new();
        let mut push = |fact: String, value: String| {
            let sources = cited.remove(&fact).unwrap_or_default();
            out.push(Fact {
                fact,
                value,
                sources,
            })
        };
        push("levels".into(), doc.levels.join(" > "));
        if let Some(label) = &doc.top_level_label {
            push("top_level_label".into(), label.clone());
        }
        let c = self.constraints();
        let constraints = [
            ("single_family", c.single_family.then(|| "true".to_string())),
            (
                "one_role_per_entity",
                c.one_role_per_entity.then(|| "true".to_string()),
            ),
            (
                "no_parent_and_child",
                c.no_parent_and_child.then(|| "true".to_string()),
            ),
            ("uniform_role", c.uniform_role.then(|| "true".to_string())),
            (
                "min_assignments",
                (c.min_assignments > 0).then(|| c.min_assignments.to_string()),
            ),
        ];
        for (name, value) in constraints {
            if let Some(value) = value {
                push(format!("constraints.{name}"), value);
            }
        }
        let keys = &doc.key_capabilities;
        for (name, m) in [
            ("admin", &keys.admin),
            ("billing", &keys.billing),
            ("tokens", &keys.tokens),
        ] {
            if let Some(m) = m {
                let value = match (&m.capability, &m.level) {
                    (Some(c), Some(l)) => format!("{c} {l}"),
                    (Some(c), None) => format!("{c} above none"),
                    _ => String::new(),
                };
                push(format!("key_capabilities.{name}"), value);
            }
        }
        for cap in &doc.capabilities {
            push(format!("capabilities.{}", cap.id), cap.levels.join(", "));
        }
        for family in &doc.families {
            push(format!("families.{}", family.id), family.label.clone());
        }
        for role in &doc.roles {
            let at = format!("roles.{}", role.id);
            push(format!("{at}.family"), role.family.clone());
            push(format!("{at}.levels"), role.levels.join(", "));
            if !role.manages.is_empty() {
                push(format!("{at}.manages"), role.manages.join(", "));
            }
            if !role.external_ids.is_empty() {
                let ids: Vec<String> = role
                    .external_ids
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                push(format!("{at}.external_ids"), ids.join(", "));
            }
            // In the order of the profile's capabilities: the grants, and the denials that
            // carry a source (`denies`: once granted, a denial's citation names no fact).
            for cap in &doc.capabilities {
                let granted = role
                    .grants
                    .get(&cap.id)
                    .filter(|l| cap.levels.first() != Some(*l));
                match granted {
                    Some(level) => push(format!("{at}.grants.{}", cap.id), level.clone()),
                    None => {
                        let fact = format!("{at}.denies.{}", cap.id);
                        if cited_facts.contains(&fact) {
                            push(fact, cap.levels.first().cloned().unwrap_or_default());
                        }
                    }
                }
            }
        }
        for toggle in &doc.toggles {
            let grants: Vec<String> = toggle
                .grants
                .iter()
                .map(|(c, l)| format!("{c} {l}"))
                .collect();
            push(format!("toggles.{}", toggle.id), grants.join(", "));
        }
        for (i, r) in doc.redactions.iter().enumerate() {
            push(
                format!("redactions[{i}]"),
                format!("without {}: {}", r.unless, r.fields.join(", ")),
            );
        }
        for rule in &doc.rules {
            let mut value = rule.severity.to_string();
            if let Some(o) = doc.rule_overrides.get(&rule.id) {
                if o.disabled {
                    value = "disabled".into();
                } else if let Some(s) = o.severity {
                    value = s.to_string();
                }
            }
            push(format!("rules.{}", rule.id), value);
        }
        out
    }

    /// The facts that carry no source: none in a built-in profile.
    pub fn unsourced_facts(&self) -> Vec<Fact> {
        self.facts()
            .into_iter()
            .filter(|f| f.sources.is_empty())
            .collect()
    }
}
