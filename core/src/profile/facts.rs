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
        let mut facts = FactList::new(self.citations());
        facts.push("levels".into(), doc.levels.join(" > "));
        if let Some(label) = &doc.top_level_label {
            facts.push("top_level_label".into(), label.clone());
        }
        facts.constraints(&self.constraints());
        facts.key_capabilities(&doc.key_capabilities);
        for cap in &doc.capabilities {
            facts.push(format!("capabilities.{}", cap.id), cap.levels.join(", "));
        }
        for family in &doc.families {
            facts.push(format!("families.{}", family.id), family.label.clone());
        }
        for role in &doc.roles {
            facts.role(role, &doc.capabilities);
        }
        for toggle in &doc.toggles {
            let grants: Vec<String> = toggle
                .grants
                .iter()
                .map(|(c, l)| format!("{c} {l}"))
                .collect();
            facts.push(format!("toggles.{}", toggle.id), grants.join(", "));
        }
        for (i, r) in doc.redactions.iter().enumerate() {
            facts.push(
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
            facts.push(format!("rules.{}", rule.id), value);
        }
        facts.out
    }

    /// The facts that carry no source: none in a built-in profile.
    pub fn unsourced_facts(&self) -> Vec<Fact> {
        self.facts()
            .into_iter()
            .filter(|f| f.sources.is_empty())
            .collect()
    }
}

/// The facts listed so far, each taking its citations out of the profile's.
struct FactList {
    /// The citations not yet given to a fact.
    cited: std::collections::BTreeMap<String, Vec<Citation>>,
    /// Every fact the profile cites, for the denials (listed only when cited).
    cited_facts: Vec<String>,
    out: Vec<Fact>,
}

impl FactList {
    /// An empty list over the profile's citations.
    fn new(cited: std::collections::BTreeMap<String, Vec<Citation>>) -> Self {
        let cited_facts: Vec<String> = cited.keys().cloned().collect();
        FactList {
            cited,
            cited_facts,
            out: Vec::new(),
        }
    }

    /// Adds a fact with its citations.
    fn push(&mut self, fact: String, value: String) {
        let sources = self.cited.remove(&fact).unwrap_or_default();
        self.out.push(Fact {
            fact,
            value,
            sources,
        })
    }

    /// The constraints that are on (`min_assignments` when above zero).
    fn constraints(&mut self, c: &super::Constraints) {
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
                self.push(format!("constraints.{name}"), value);
            }
        }
    }

    /// The admin, billing and tokens capabilities the profile names.
    fn key_capabilities(&mut self, keys: &super::KeyCapabilities) {
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
                self.push(format!("key_capabilities.{name}"), value);
            }
        }
    }

    /// One role's family, levels, manages, platform ids, grants and cited denials.
    fn role(&mut self, role: &super::RoleDoc, capabilities: &[super::CapabilityDoc]) {
        let at = format!("roles.{}", role.id);
        self.push(format!("{at}.family"), role.family.clone());
        self.push(format!("{at}.levels"), role.levels.join(", "));
        if !role.manages.is_empty() {
            self.push(format!("{at}.manages"), role.manages.join(", "));
        }
        if !role.external_ids.is_empty() {
            let ids: Vec<String> = role
                .external_ids
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            self.push(format!("{at}.external_ids"), ids.join(", "));
        }
        // In the order of the profile's capabilities: the grants, and the denials that
        // carry a source (`denies`: once granted, a denial's citation names no fact).
        for cap in capabilities {
            let granted = role
                .grants
                .get(&cap.id)
                .filter(|l| cap.levels.first() != Some(*l));
            match granted {
                Some(level) => self.push(format!("{at}.grants.{}", cap.id), level.clone()),
                None => {
                    let fact = format!("{at}.denies.{}", cap.id);
                    if self.cited_facts.contains(&fact) {
                        self.push(fact, cap.levels.first().cloned().unwrap_or_default());
                    }
                }
            }
        }
    }
}
