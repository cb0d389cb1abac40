//! Findings: what the engine says about a user, a change or a seat, and the catalogue of every
//! code it can say.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How serious a finding is, most serious first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The change must not be saved as it is.
    Error,
    /// Allowed, but it widens access or leaves a credential behind.
    Security,
    /// Allowed, needs attention.
    Warning,
    /// A follow-up or a fact worth showing.
    Info,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Security,
        Severity::Warning,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Security => "security",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing the engine has to say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Where in the input document the finding points (`after.assignments[1]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub data: serde_json::Value,
    /// The user a seat-wide report's finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

impl Finding {
    /// A finding with the catalogue's default severity and help for `code`.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        let entry = code.info();
        Finding::made(entry.code, entry.severity, entry.help, message.into())
    }

    /// A finding of a profile's rule: its id is the code, with the catalogue's help when the
    /// catalogue lists the id (the built-in rules), and the rule's severity.
    pub fn of_rule(id: &str, severity: Severity, message: impl Into<String>) -> Self {
        let help = code_info(id).and_then(|c| c.help);
        Finding::made(id, severity, help, message.into())
    }

    /// A finding with no path, data or user yet.
    fn made(code: &str, severity: Severity, help: Option<&str>, message: String) -> Self {
        Finding {
            code: code.to_string(),
            severity,
            message,
            path: None,
            help: help.map(str::to_string),
            data: serde_json::Value::Null,
            user: None,
        }
    }

    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn with_data(mut self, data: serde_json::Value) -> Self {
        self.data = data;
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// Sorts findings the way every output presents them: severity, then code, then path.
pub fn sort_findings(findings: &mut [Finding]) {
    crate::order::sort_by(findings, |a, b| {
        (a.severity, &a.code, &a.path, &a.user, &a.message)
            .cmp(&(b.severity, &b.code, &b.path, &b.user, &b.message))
    });
}

/// Where a code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeSource {
    /// A structural check built into the engine (SPEC §4.1).
    Structural,
    /// A change-impact rule, data in the profile (SPEC §4.2).
    Rule,
    /// A seat-wide check of the access review (SPEC §5).
    Audit,
    /// A check of a reconciliation: two snapshots of a seat against its access log.
    Reconcile,
}

impl CodeSource {
    /// The name it has in JSON (`structural`, `rule`, `audit`, `reconcile`).
    pub fn as_str(self) -> &'static str {
        match self {
            CodeSource::Structural => "structural",
            CodeSource::Rule => "rule",
            CodeSource::Audit => "audit",
            CodeSource::Reconcile => "reconcile",
        }
    }
}

/// One entry of the code catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CodeInfo {
    pub code: &'static str,
    pub severity: Severity,
    pub source: CodeSource,
    pub description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'static str>,
}

/// Declares every finding code once: the `Code` enum the engine emits findings with, its
/// `info()`, and the catalogue `CODES`, all from one table, so a code cannot be emitted
/// without being listed (the way `coded_variants!` lists error codes).
/// What `Code::info` gives if a variant had no row (it cannot: `CODES` is built from the same
/// list, in the same order, which `core/tests/codes.rs` checks).
const UNLISTED: CodeInfo = CodeInfo {
    code: "internal",
    severity: Severity::Error,
    source: CodeSource::Structural,
    description: "",
    help: None,
};

macro_rules! finding_codes {
    ($($variant:ident => ($code:literal, $severity:ident, $source:ident, $description:literal, $help:expr),)+) => {
        /// A finding code the engine emits (its catalogue entry: [`Code::info`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                #[doc = $description]
                $variant,
            )+
        }

        impl Code {
            /// The catalogue entry of the code. The variants are declared in the table's
            /// order, so a variant's number is its row of `CODES` (a lookup, not a function
            /// per code: this keeps the WebAssembly module small).
            pub fn info(self) -> &'static CodeInfo {
                CODES.get(self as usize).unwrap_or(&UNLISTED)
            }

            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code as it appears in findings (`family.mixed`).
            pub fn as_str(self) -> &'static str {
                self.info().code
            }
        }

        /// Every finding code the engine and the built-in profiles can emit.
        pub const CODES: &[CodeInfo] = &[$(CodeInfo {
            code: $code,
            severity: $severity,
            source: $source,
            description: $description,
            help: $help,
        }),+];
    };
}

use CodeSource::{Audit, Reconcile, Rule, Structural};
use Severity::{Error, Info, Security, Warning};

// Every finding code the engine and the built-in profiles can emit: the `Code` enum and the
// catalogue `CODES` both come from this table, so a code the engine emits is listed.
finding_codes! {
    RoleUnknown => ("role.unknown", Error, Structural, "the assignment names a role the profile does not define", Some("pick one of the roles listed by `adaccess profile show`")),
    LevelUnknown => ("level.unknown", Error, Structural, "the assignment's entity has a level the profile does not define", Some("use one of the profile's levels")),
    EntityUnknown => ("entity.unknown", Error, Structural, "the entity is not in the directory", Some("check the entity id, or refresh the directory")),
    ToggleUnknown => ("toggle.unknown", Error, Structural, "the user sets a toggle the profile does not define", Some("remove the toggle or use one the profile defines")),
    RoleLevelNotAllowed => ("role.level_not_allowed", Error, Structural, "the role may not be assigned at this level", Some("assign the role at a level the profile allows, or pick another role")),
    FamilyMixed => ("family.mixed", Error, Structural, "the user holds roles from more than one role family", Some("keep every assignment in one family; moving families replaces every assignment")),
    EntityDuplicate => ("entity.duplicate", Error, Structural, "the user holds two roles on one entity", Some("keep one role per entity")),
    EntityParentAndChild => ("entity.parent_and_child", Error, Structural, "the user holds roles on both an entity and one of its ancestors", Some("the parent's role already covers its children: remove one of the two")),
    RoleNotUniform => ("role.not_uniform", Error, Structural, "the profile requires one role for all of a user's scopes", Some("give every scope the same role")),
    UserNoAssignments => ("user.no_assignments", Error, Structural, "the user has fewer assignments than the profile requires", Some("add an assignment, or delete the user instead")),
    EmailInvalid => ("email.invalid", Error, Structural, "the email address is not a valid address", Some("use the address the person signs in with")),
    EmailImmutable => ("email.immutable", Error, Structural, "the change edits the user's email, which the platform does not allow", Some("create a new user with the new address and delete the old one")),
    AuthorityCannotManage => ("authority.cannot_manage", Error, Structural, "the actor's roles do not manage the target's role", Some("ask someone whose role manages this role to make the change")),
    AuthorityEntityOutOfReach => ("authority.entity_out_of_reach", Error, Structural, "the actor grants or edits an entity it cannot reach itself", Some("ask someone with access to this entity to make the change")),
    AuthoritySelfChange => ("authority.self_change", Security, Structural, "the actor is changing its own access", Some("have another administrator make or review the change")),
    DirectoryMissing => ("directory.missing", Info, Structural, "checks that need the entity tree were skipped: no directory was given", Some("pass a directory to check parents and children")),
    ApprovalElevation => ("approval.elevation", Security, Rule, "the user's role is raised: a role that grants more than the old one", None),
    ApprovalAdmin => ("approval.admin", Security, Rule, "the user gains user management or an admin role", None),
    ApprovalBilling => ("approval.billing", Security, Rule, "the user gains a billing capability", None),
    ApprovalSelf => ("approval.self", Security, Structural, "an approval is given by the user whose access changes; it does not count", Some("collect the approval from someone other than the user")),
    ApprovalSameApprover => ("approval.same_approver", Warning, Rule, "one person approves for two approval groups; each group needs a different person", Some("collect the other approval from someone else")),
    ApprovalMissing => ("approval.missing", Warning, Rule, "a required approval is not in the change's approvals", None),
    ApprovalReferenceMissing => ("approval.reference_missing", Warning, Rule, "an approval carries no reference (the approval email or ticket id)", None),
    TokensOrphaned => ("tokens.orphaned", Security, Rule, "the user holds active API tokens but can no longer create them", None),
    TokensElevationEnded => ("tokens.elevation_ended", Security, Rule, "a temporary elevation ends while API tokens created during it are still active", None),
    ApiAccessLost => ("api.access_lost", Warning, Rule, "the user loses API access while holding active tokens", None),
    AssetsOrphaned => ("assets.orphaned", Warning, Rule, "owned assets sit under entities the user no longer covers", None),
    CampaignsActiveOnDowngrade => ("campaigns.active_on_downgrade", Warning, Rule, "the user loses campaign write while owning active campaigns", None),
    EntityAllGranted => ("entity.all_granted", Security, Rule, "the top-level entity (\"All advertisers\") is granted", None),
    OrderScopeBeforeRole => ("order.scope_before_role", Info, Rule, "both scope and role change: scope is edited first, then role", None),
    TemporaryNoRevertDate => ("temporary.no_revert_date", Warning, Rule, "a temporary change or elevation has no revert date", None),
    TemporaryExpired => ("temporary.expired", Security, Rule, "an elevation is past its revert date", None),
    BillingLastHolder => ("billing.last_holder", Warning, Rule, "the change removes billing from the last user who has it", None),
    BillingStillNeeded => ("billing.still_needed", Warning, Rule, "the role changes and the billing toggle stays on: is billing still needed?", None),
    AdminLastHolder => ("admin.last_holder", Error, Rule, "the change removes user management from the last user who has it", None),
    FamilySwitch => ("family.switch", Warning, Rule, "the user moves to another role family: every assignment is replaced", None),
    CostDataHidden => ("cost_data.hidden", Info, Rule, "the user loses cost data: cost fields will read \"No access\"", None),
    LogReasonMissing => ("log.reason_missing", Warning, Rule, "the change has no reason for the access log", None),
    ActivityWouldBeDenied => ("activity.would_be_denied", Warning, Rule, "an action the user took in the past would now be denied", None),
    NotifyUser => ("notify.user", Info, Rule, "tell the user what they gained and lost", None),
    UserDormant => ("user.dormant", Warning, Audit, "the user has not signed in for a long time", Some("remove the user's access, or confirm it is still needed")),
    AdminCount => ("admin.count", Info, Audit, "how many users manage users on a top-level entity", None),
    AdminNone => ("admin.none", Error, Audit, "nobody manages users on a top-level entity", Some("give at least one person user management on this entity")),
    BillingNone => ("billing.none", Warning, Audit, "nobody in the seat has billing access", Some("give billing to a finance contact")),
    RoleLeastPrivilege => ("role.least_privilege", Info, Audit, "a lower role of the same family covers everything the user did", Some("consider downgrading the user to the suggested role")),
    ReconcileUnlogged => ("reconcile.unlogged", Security, Reconcile, "a user's access changed between two snapshots and no log entry dated between them records the change", Some("find who made the change; log it with its reason and approvals, or revert it")),
    ReconcileUnapproved => ("reconcile.unapproved", Security, Reconcile, "a logged change does not record an approval its assessment requires", Some("collect the approval and record it, or revert the change")),
    ReconcileNotApplied => ("reconcile.not_applied", Warning, Reconcile, "a logged change does not show in the newer snapshot: the save did not take, or it was reverted", Some("check the user on the platform and save the change again, or log the revert")),
}

/// The catalogue entry for `code`, if it is a known code.
pub fn code_info(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// A code as listed by `adaccess codes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CodeEntry {
    pub code: String,
    pub severity: Severity,
    pub source: CodeSource,
    pub description: String,
}
