// Generated from the Rust types by scripts/js/gen-types.mjs. Do not edit.
/**
 * How serious a finding is, most serious first.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = "error" | "security" | "warning" | "info";
/**
 * The condition language of rules.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Predicate".
 */
export type Predicate =
  | (
      | "entity_added"
      | "entity_removed"
      | "has_active_tokens"
      | "owns_assets_in_removed"
      | "family_changed"
      | "deleted"
      | "created"
    )
  | {
      all: Predicate[];
    }
  | {
      any: Predicate[];
    }
  | {
      not: Predicate;
    }
  | {
      gains: CapabilityMatch;
    }
  | {
      loses: CapabilityMatch;
    }
  | {
      role_from: string;
    }
  | {
      role_to: string;
    }
  | "role_changed"
  | "role_elevated"
  | "all_granted"
  | {
      toggle_on: string;
    }
  | {
      toggle_off: string;
    }
  | {
      toggle_kept: string;
    }
  | {
      owns_active: OwnsActive;
    }
  | "temporary"
  | {
      missing: string;
    }
  | {
      last_holder: CapabilityMatch;
    }
  | "elevation_expired"
  | "elevation_tokens"
  | "approval_unreferenced"
  | "activity_denied"
  | {
      email_domain_outside: string[];
    }
  | "approval_missing";
/**
 * One citation or several, as a profile writes them.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Sources".
 */
export type Sources = Citation | Citation[];
/**
 * An RFC 3339 timestamp or a plain date (YYYY-MM-DD, midnight UTC)
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Timestamp".
 */
export type Timestamp = string;
/**
 * The three answers of a save.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Save".
 */
export type Save = "ready" | "awaiting_approvals" | "blocked";
/**
 * How much of the permission matrix an assessment returns.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "EffectiveRows".
 */
export type EffectiveRows = "all" | "changed" | "none";
/**
 * Where a code comes from.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "CodeSource".
 */
export type CodeSource = "structural" | "rule" | "audit" | "reconcile";
/**
 * The formats [`read_export`] recognises.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ExportFormat".
 */
export type ExportFormat = "dv360_users_list" | "csv" | "t1_permissions" | "users";
/**
 * How a user's presence changed.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "DriftKind".
 */
export type DriftKind = "added" | "removed" | "changed";

/**
 * A platform profile as written in JSON.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Profile".
 */
export interface Profile {
  id: string;
  name: string;
  version: string;
  /**
   * Id of a built-in profile this one extends: its lists are appended to the base's.
   */
  extends?: string | null;
  description?: string | null;
  /**
   * The documents the citations of `sources` name.
   */
  documents?: DocumentDoc[] | null;
  /**
   * Which platform API the requests of an assessment are written for (`dv360`, `t1`).
   */
  api?: string | null;
  /**
   * Scope levels, top-down.
   */
  levels?: string[];
  /**
   * What an assignment at the top level is called (`All advertisers`).
   */
  top_level_label?: string | null;
  capabilities?: CapabilityDoc[];
  families?: FamilyDoc[];
  roles?: RoleDoc[];
  toggles?: ToggleDoc[];
  constraints?: Constraints | null;
  redactions?: Redaction[];
  /**
   * Approval kinds the rules may ask for, on top of the four standard ones.
   */
  approval_kinds?: string[];
  key_capabilities?: KeyCapabilities;
  rules?: RuleDoc[];
  /**
   * Changes to rules by id (a built-in rule's severity, say).
   */
  rule_overrides?: {
    [k: string]: RuleOverride;
  };
  /**
   * Changes to the grants of roles by id, a seat's own setting (an admin without billing).
   */
  role_overrides?: {
    [k: string]: RoleOverride;
  };
  /**
   * Where each fact comes from, by the fact's path as `Profile::facts` names it
   * (`roles.trader.grants.api_tokens`, `constraints.uniform_role`, `rules.tokens.orphaned`):
   * a document's section, an assumption or the seat's policy. A profile that extends
   * another replaces the base's entries it names.
   */
  sources?: {
    [k: string]: Sources;
  } | null;
}
/**
 * A document a profile cites: a help page, a checklist, an API schema.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "DocumentDoc".
 */
export interface DocumentDoc {
  /**
   * What citations name it by (`mm_checklist`).
   */
  id: string;
  /**
   * The document: title, version, address.
   */
  title: string;
  /**
   * The sections a citation may name, as the document heads them.
   */
  sections?: string[];
  note?: string | null;
}
/**
 * Something a role can do, with its ordered access levels (lowest first).
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "CapabilityDoc".
 */
export interface CapabilityDoc {
  id: string;
  label: string;
  /**
   * Access levels, lowest first; the first means no access (`none`).
   */
  levels: string[];
  note?: string | null;
}
/**
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "FamilyDoc".
 */
export interface FamilyDoc {
  id: string;
  label: string;
  note?: string | null;
}
/**
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "RoleDoc".
 */
export interface RoleDoc {
  id: string;
  label: string;
  family: string;
  /**
   * Scope levels where the role may be assigned.
   */
  levels: string[];
  /**
   * Capability id -> access level; capabilities not named are at their lowest level.
   */
  grants?: {
    [k: string]: string;
  };
  /**
   * Role ids or family ids a holder may assign, edit or remove, within its own scopes.
   */
  manages?: string[];
  /**
   * The platform's own names for the role (`{"dv360_api": "ADMIN"}`).
   */
  external_ids?: {
    [k: string]: string;
  };
  description?: string | null;
  note?: string | null;
}
/**
 * A per-user switch that adds grants independent of role.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ToggleDoc".
 */
export interface ToggleDoc {
  id: string;
  label: string;
  grants: {
    [k: string]: string;
  };
  note?: string | null;
}
/**
 * Structural constraints on one user's assignments.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Constraints".
 */
export interface Constraints {
  /**
   * All of a user's roles belong to one family.
   */
  single_family?: boolean;
  /**
   * At most one role per entity.
   */
  one_role_per_entity?: boolean;
  /**
   * No roles on both an entity and one of its ancestors.
   */
  no_parent_and_child?: boolean;
  /**
   * One role for all of a user's scopes.
   */
  uniform_role?: boolean;
  /**
   * The fewest assignments a user may have.
   */
  min_assignments?: number;
}
/**
 * Fields hidden from users without a capability.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Redaction".
 */
export interface Redaction {
  /**
   * The guarding capability.
   */
  unless: string;
  /**
   * The level of `unless` needed; defaults to the capability's first level above none.
   */
  unless_level?: string | null;
  fields: string[];
  placeholder: string;
  label: string;
}
/**
 * Capabilities with a meaning of their own in the access review.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "KeyCapabilities".
 */
export interface KeyCapabilities {
  /**
   * Manages users: counted by `admin.count` / `admin.none`.
   */
  admin?: CapabilityMatch | null;
  /**
   * Billing access: `billing.none` when nobody has it.
   */
  billing?: CapabilityMatch | null;
  /**
   * Creates API tokens: active tokens without it are `tokens.orphaned`.
   */
  tokens?: CapabilityMatch | null;
}
/**
 * A capability threshold: "has at least `level` of `capability`". Without a capability it
 * matches any capability. In `gains` / `loses`, a level matches a change that crosses it and
 * no level matches any change of the capability (`users: manage → view` loses users); in
 * `owns_active.losing` and `last_holder`, no level means "any access above none".
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "CapabilityMatch".
 */
export interface CapabilityMatch {
  capability?: string | null;
  level?: string | null;
  /**
   * For `loses`: only when the user keeps it on no entity at all.
   */
  everywhere?: boolean;
  /**
   * Only on entities the user covers both before and after the change (a downgrade in
   * place, not an entity taken away).
   */
  on_kept_entities?: boolean;
}
/**
 * A change-impact rule.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "RuleDoc".
 */
export interface RuleDoc {
  /**
   * The finding code the rule emits.
   */
  id: string;
  severity: Severity;
  when: Predicate;
  /**
   * Message template: `{user}`, `{roles_before}`, `{roles_after}`, `{roles}` (`a to b`, or
   * `a` when the roles stay), `{entities}`,
   * `{capabilities}`, `{tokens}`, `{assets}`, `{until}`, `{approval}` are filled in.
   */
  message: string;
  help?: string | null;
  /**
   * Approval groups this rule requires; each is satisfied by any one of its kinds.
   */
  approvals?: string[][];
}
/**
 * Argument of `owns_active`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "OwnsActive".
 */
export interface OwnsActive {
  /**
   * Asset kind (`campaign`); any kind when absent.
   */
  kind?: string | null;
  /**
   * Only assets under entities where the user loses this capability.
   */
  losing?: CapabilityMatch | null;
}
/**
 * Changes to an existing rule.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "RuleOverride".
 */
export interface RuleOverride {
  severity?: Severity | null;
  message?: string | null;
  help?: string | null;
  approvals?: string[][] | null;
  /**
   * Turns the rule off.
   */
  disabled?: boolean;
}
/**
 * A seat's change to a role it inherits (`extends`): grants replaced by capability, the
 * lowest level (`none`) taking the grant away. Its citation goes in `sources` under the
 * grant's fact (`roles.admin.grants.billing`).
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "RoleOverride".
 */
export interface RoleOverride {
  grants?: {
    [k: string]: string;
  };
  note?: string | null;
}
/**
 * Where one fact comes from: a section of a document, or the reason it is assumed, or the
 * seat's own policy (what the platform does not state, but a seat would expect). Exactly one
 * of `doc` (with `section`), `assumption` and `policy`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Citation".
 */
export interface Citation {
  /**
   * A document id of the profile's `documents`.
   */
  doc?: string | null;
  /**
   * One of that document's `sections`.
   */
  section?: string | null;
  /**
   * What the section says that bears on the fact, in the profile's own words.
   */
  note?: string | null;
  /**
   * No document states the fact: why a user would expect it.
   */
  assumption?: string | null;
  /**
   * The platform does not state it: the seat's own rule, and why (a team profile may
   * change it).
   */
  policy?: string | null;
}
/**
 * The entity tree of a seat.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Directory".
 */
export interface Directory {
  entities: DirectoryEntity[];
}
/**
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "DirectoryEntity".
 */
export interface DirectoryEntity {
  level: string;
  id: string;
  /**
   * Id of the entity one level up; absent at the top level.
   */
  parent?: string | null;
  name?: string | null;
}
/**
 * A person with access to the seat.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "User".
 */
export interface User {
  id: string;
  email?: string;
  name?: string;
  assignments?: Assignment[];
  /**
   * Per-user switches of the profile (`billing`), independent of role.
   */
  toggles?: {
    [k: string]: boolean;
  };
  tokens?: Token[];
  assets?: Asset[];
  elevation?: Elevation | null;
  last_login?: Timestamp | null;
}
/**
 * One role held on one entity.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Assignment".
 */
export interface Assignment {
  entity: EntityRef;
  /**
   * A role id of the profile.
   */
  role: string;
}
/**
 * A scope entity: one node of the seat's tree (`partner:123`, `advertiser:456`).
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "EntityRef".
 */
export interface EntityRef {
  /**
   * One of the profile's `levels`.
   */
  level: string;
  /**
   * The platform's id of the entity.
   */
  id: string;
}
/**
 * An API token (or any credential) the user holds.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Token".
 */
export interface Token {
  id: string;
  created_at?: Timestamp | null;
  active?: boolean;
}
/**
 * Something the user owns on the platform (a campaign, a pixel, a report...).
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Asset".
 */
export interface Asset {
  kind: string;
  id: string;
  entity: EntityRef;
  active?: boolean;
}
/**
 * A temporary elevation in force: the user's assignments revert to `revert_to` at `until`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Elevation".
 */
export interface Elevation {
  /**
   * When the elevation began: API tokens created since then are revoked when it ends.
   */
  since?: Timestamp | null;
  until?: Timestamp | null;
  revert_to?: Assignment[];
}
/**
 * A proposed edit of one user's access, made by `actor`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Change".
 */
export interface Change {
  actor: User;
  /**
   * `null` for a new user.
   */
  before?: User | null;
  /**
   * `null` for a deletion.
   */
  after?: User | null;
  reason?: string | null;
  approvals?: Approval[];
  temporary?: Temporary | null;
  /**
   * When the change is assessed; defaults to "no clock" (time-based rules stay silent).
   */
  now?: Timestamp | null;
  /**
   * The other users of the seat, for the last-holder checks.
   */
  population?: User[] | null;
  /**
   * Past actions, replayed against the after-state.
   */
  activity?: Activity[] | null;
}
/**
 * An approval collected for a change.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Approval".
 */
export interface Approval {
  /**
   * `manager`, `seat_owner`, `security`, `finance`, or a kind the profile adds.
   */
  kind: string;
  by: string;
  /**
   * The approval email or ticket id, kept for compliance and written to the access log.
   */
  reference?: string | null;
}
/**
 * Marks a change as temporary.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Temporary".
 */
export interface Temporary {
  until?: Timestamp | null;
}
/**
 * One past action of a user, replayed against a new state.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Activity".
 */
export interface Activity {
  user: string;
  capability: string;
  level: string;
  entity: EntityRef;
  at?: Timestamp | null;
}
/**
 * Options of an audit.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "AuditOptions".
 */
export interface AuditOptions {
  /**
   * Days without a login after which a user is dormant.
   */
  dormant_days?: number;
}
/**
 * An audit's arguments as one document, the way the npm and pip packages take them:
 * `{now?, activity?, dormant_days?}`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "AuditCall".
 */
export interface AuditCall {
  now?: Timestamp | null;
  activity?: Activity[] | null;
  dormant_days?: number | null;
}
/**
 * The answer to "what happens if we make this change?".
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Assessment".
 */
export interface Assessment {
  /**
   * True when no finding is an `error`.
   */
  ok: boolean;
  verdict: Verdict;
  /**
   * Sorted by severity, then code, then path.
   */
  findings: Finding[];
  diff: Diff;
  approvals_required: ApprovalRequirement[];
  plan: PlanStep[];
  log_entry: LogEntry;
  effective: Effective;
  /**
   * The platform's own API calls that carry the change out (valid changes only).
   */
  requests: PlatformRequest[];
}
/**
 * Whether a change can be saved as it stands: the one verdict the CLI, the form and the
 * notebook show.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Verdict".
 */
export interface Verdict {
  save: Save;
  /**
   * The approval groups not yet satisfied.
   */
  missing_approvals: number;
}
/**
 * One thing the engine has to say.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Finding".
 */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /**
   * Where in the input document the finding points (`after.assignments[1]`).
   */
  path?: string | null;
  help?: string | null;
  data?: unknown;
  /**
   * The user a seat-wide report's finding is about.
   */
  user?: string | null;
}
/**
 * The difference between the before- and after-state of a user.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Diff".
 */
export interface Diff {
  /**
   * Assignments on entities the user did not have before.
   */
  added: Assignment[];
  /**
   * Assignments on entities the user no longer has.
   */
  removed: Assignment[];
  /**
   * Entities kept with another role.
   */
  role_changed: RoleChange[];
  toggles: ToggleChange[];
  /**
   * Capabilities whose level rises on an entity.
   */
  gained: AccessChange[];
  /**
   * Capabilities whose level falls on an entity.
   */
  lost: AccessChange[];
}
/**
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "RoleChange".
 */
export interface RoleChange {
  entity: EntityRef;
  from: string;
  to: string;
}
/**
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ToggleChange".
 */
export interface ToggleChange {
  toggle: string;
  from: boolean;
  to: boolean;
}
/**
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "AccessChange".
 */
export interface AccessChange {
  capability: string;
  from: string;
  to: string;
  entity: EntityRef;
}
/**
 * One approval group: any one of its kinds satisfies it.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ApprovalRequirement".
 */
export interface ApprovalRequirement {
  any_of: string[];
  /**
   * The rule that asks for it.
   */
  reason: string;
  /**
   * Other rules that ask for the same group.
   */
  also_for?: string[];
  satisfied: boolean;
  /**
   * Who gave it, when it is satisfied.
   */
  by?: string | null;
}
/**
 * One step of the plan.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "PlanStep".
 */
export interface PlanStep {
  /**
   * 1-based position.
   */
  step: number;
  /**
   * `collect_approvals`, `transfer_assets`, `edit_entities`, `change_role`, `set_toggles`,
   * `revoke_tokens`, `save_and_verify`, `notify_user`, `record_log`, `update_rosters`,
   * `schedule_revert`, `schedule_review`, always in that order.
   */
  action: string;
  detail: string;
  /**
   * What the step acts on: token ids, asset ids, entities, approvals.
   */
  items?: string[];
}
/**
 * The access-log record of a change.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "LogEntry".
 */
export interface LogEntry {
  user_id: string;
  user_email: string;
  user_name: string;
  /**
   * `create`, `update` or `delete`.
   */
  action: string;
  /**
   * The change's `now`, as a date.
   */
  date?: string | null;
  /**
   * The actor's email (or id).
   */
  changed_by: string;
  role: OldNew;
  entities: OldNew2;
  /**
   * The user's billing access before and after, from role and toggle together (the
   * level of the profile's billing capability, `none` without it); absent when the
   * profile names no billing capability.
   */
  billing?: OldNew3 | null;
  toggles: OldNew4;
  assignments: OldNew2;
  reason?: string | null;
  /**
   * `kind: who` for each approval given.
   */
  approvers: string[];
  /**
   * The approvals given, with their references (approval email or ticket id).
   */
  approvals: Approval[];
  temporary_until?: string | null;
  /**
   * The approvals the assessment asked for that were still missing when the change was
   * saved: a change may be saved before every approval is in (its `ok` allows it), and
   * the log says so.
   */
  approvals_missing?: MissingApproval[];
  /**
   * In an access-log file (`adaccess assess --append-log`): `sha256:` and the SHA-256 of
   * the previous line, which chains the entries; absent on the first line, and in the
   * entry an assessment returns.
   */
  prev?: string | null;
}
/**
 * An old and a new value.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "OldNew".
 */
export interface OldNew {
  old?: string | null;
  new?: string | null;
}
/**
 * An old and a new value.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "OldNew2".
 */
export interface OldNew2 {
  old: string[];
  new: string[];
}
/**
 * An old and a new value.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "OldNew3".
 */
export interface OldNew3 {
  old: string;
  new: string;
}
/**
 * An old and a new value.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "OldNew4".
 */
export interface OldNew4 {
  old: {
    [k: string]: boolean;
  };
  new: {
    [k: string]: boolean;
  };
}
/**
 * An approval group the assessment asked for and the change did not have.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "MissingApproval".
 */
export interface MissingApproval {
  /**
   * Any one of these kinds would satisfy it.
   */
  any_of: string[];
  /**
   * The rule that asks for it.
   */
  reason: string;
}
/**
 * The permission matrix before and after the change.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Effective".
 */
export interface Effective {
  before: MatrixRow[];
  after: MatrixRow[];
}
/**
 * One row of the permission matrix: what the user can do on one entity.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "MatrixRow".
 */
export interface MatrixRow {
  entity: EntityRef;
  name?: string | null;
  /**
   * The roles that apply on this entity.
   */
  roles: string[];
  /**
   * Set when the entity is covered only through an assignment on an ancestor.
   */
  inherited_from?: EntityRef | null;
  access: AccessMap;
}
/**
 * Capability id -> access level
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "AccessMap".
 */
export interface AccessMap {
  [k: string]: string;
}
/**
 * One API call, ready to send.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "PlatformRequest".
 */
export interface PlatformRequest {
  /**
   * `dv360` or `t1`.
   */
  platform: string;
  /**
   * The API method (`users.bulkEditAssignedUserRoles`).
   */
  method: string;
  http_method: string;
  /**
   * Path relative to the API's versioned root.
   */
  path: string;
  body?: unknown;
}
/**
 * What a form shows while a change is being edited (`Engine::check`, `Draft::check`): the
 * assessment's findings, diff and approvals. The diff says what each entity gains and loses;
 * the matrix rows, the plan, the log entry and the requests come with the assessment, on save.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Check".
 */
export interface Check {
  /**
   * True when no finding is an `error`.
   */
  ok: boolean;
  verdict: Verdict;
  /**
   * Sorted by severity, then code, then path.
   */
  findings: Finding[];
  diff: Diff;
  approvals_required: ApprovalRequirement[];
}
/**
 * Options of `assess_with`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "AssessOptions".
 */
export interface AssessOptions {
  effective?: EffectiveRows;
}
/**
 * The result of an access review.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Report".
 */
export interface Report {
  /**
   * How many users were reviewed.
   */
  users: number;
  /**
   * Sorted: severity, code, path; each about one user (`user`) or the seat (`data`).
   */
  findings: Finding[];
  summary: Summary;
}
/**
 * Counts over the report.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Summary".
 */
export interface Summary {
  by_code: {
    [k: string]: number;
  };
  by_severity: {
    [k: string]: number;
  };
  /**
   * Users holding each role (a user with two roles counts under both).
   */
  by_role: {
    [k: string]: number;
  };
  by_family: {
    [k: string]: number;
  };
}
/**
 * The answer to `can`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Decision".
 */
export interface Decision {
  allowed: boolean;
  /**
   * Why, in words: the assignment, role and grant that allowed it, or why nothing did.
   */
  because: string;
  /**
   * The grant that allowed it.
   */
  grant?: GrantSource | null;
  /**
   * Why it was denied: `capability.unknown`, `access_level.unknown`, `level.unknown`,
   * `entity.unknown`, `not_covered` or `insufficient`.
   */
  denied?: string | null;
}
/**
 * Where an allowed access comes from.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "GrantSource".
 */
export interface GrantSource {
  /**
   * Index of the assignment in the user's `assignments`.
   */
  assignment?: number | null;
  role?: string | null;
  toggle?: string | null;
  entity: EntityRef;
  /**
   * Set when the assignment sits on an ancestor of the entity asked about.
   */
  inherited_from?: EntityRef | null;
  /**
   * The access level granted.
   */
  level: string;
}
/**
 * One question of a batch (`can_many`, `allows_many` in the bindings): may the user do
 * `capability` at `level` (or above) on `entity`?
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "CanRequest".
 */
export interface CanRequest {
  capability: string;
  level: string;
  entity: EntityRef;
}
/**
 * One user who can, with the reason.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "WhoCan".
 */
export interface WhoCan {
  user: string;
  email?: string;
  because: Decision;
}
/**
 * The answer to "is this user's access valid?".
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Validation".
 */
export interface Validation {
  /**
   * True when no finding is an `error`.
   */
  ok: boolean;
  /**
   * Sorted by severity, then code, then path.
   */
  findings: Finding[];
}
/**
 * A code as listed by `adaccess codes`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "CodeEntry".
 */
export interface CodeEntry {
  code: string;
  severity: Severity;
  source: CodeSource;
  description: string;
}
/**
 * The same `{code, message, path, problems}` shape reaches Rust, JS and Python callers.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ErrorInfo".
 */
export interface ErrorInfo {
  code: string;
  message: string;
  path?: string | null;
  /**
   * Every problem, when there are several (profile checks).
   */
  problems: Problem[];
}
/**
 * One problem found while checking a document.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Problem".
 */
export interface Problem {
  code: string;
  path: string;
  message: string;
}
/**
 * The users of a seat read from an export, and its entity tree when the export carries one
 * (T1 permissions list the organizations, agencies and advertisers with their parents).
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Export".
 */
export interface Export {
  format: ExportFormat;
  users: User[];
  directory?: Directory | null;
}
/**
 * What [`verify`] found.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "LogVerification".
 */
export interface LogVerification {
  /**
   * True when every line is an entry chained to the one before.
   */
  ok: boolean;
  /**
   * Entries read before the chain broke (all of them when `ok`).
   */
  entries: number;
  /**
   * The hash of the last line of an unbroken log: keep it, and check the next
   * verification's log still contains it (`adaccess log verify --head`).
   */
  head?: string | null;
  /**
   * Where the chain breaks.
   */
  broken?: Break | null;
}
/**
 * The first line where a log's chain breaks.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Break".
 */
export interface Break {
  /**
   * 1-based line number.
   */
  line: number;
  /**
   * `log.unreadable` (not an entry), `log.chain_broken` (its `prev` is not the previous
   * line's hash: that line was changed, or lines were removed between them),
   * `log.chain_start` (the first line has a `prev`: lines were removed from the start),
   * `log.head_missing` (the expected head is not in the log: lines were removed from the
   * end, or the log was rewritten).
   */
  code: string;
  message: string;
}
/**
 * The users of a seat at two dates, compared.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Drift".
 */
export interface Drift {
  summary: DriftSummary;
  /**
   * Every user whose access differs, in the old snapshot's order, then the new users in
   * the new snapshot's order.
   */
  changes: DriftChange[];
  /**
   * The ids of the users whose access is the same in both.
   */
  unchanged: string[];
}
/**
 * Counts of a drift.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "DriftSummary".
 */
export interface DriftSummary {
  /**
   * Users in the old snapshot.
   */
  old: number;
  /**
   * Users in the new snapshot.
   */
  new: number;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}
/**
 * One user whose access differs between the snapshots, as a change and its assessment.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "DriftChange".
 */
export interface DriftChange {
  user: string;
  kind: DriftKind;
  /**
   * Index of the user in the old snapshot's users.
   */
  old_index?: number | null;
  /**
   * Index of the user in the new snapshot's users.
   */
  new_index?: number | null;
  change: Change;
  /**
   * True when no finding is an `error`.
   */
  ok: boolean;
  /**
   * What the change would have raised had it been proposed, the authority checks left
   * out.
   */
  findings: Finding[];
  diff: Diff;
  /**
   * The approvals it would have needed (none given).
   */
  approvals_required: ApprovalRequirement[];
}
/**
 * Whether an access log explains the drift between two snapshots.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Reconciliation".
 */
export interface Reconciliation {
  summary: ReconcileSummary;
  /**
   * Sorted: severity, code, path. Paths: `old[i]` and `new[i]` are users of the
   * snapshots, `line[n]` a line of the log.
   */
  findings: Finding[];
  drift: DriftSummary;
  /**
   * Every drifted user, in the drift's order, with the log lines that explain it.
   */
  changes: Reconciled[];
}
/**
 * Counts of a reconciliation.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ReconcileSummary".
 */
export interface ReconcileSummary {
  /**
   * Drifted users.
   */
  changes: number;
  /**
   * Drifted users whose change the log explains, approvals included.
   */
  explained: number;
  /**
   * Log entries read.
   */
  entries: number;
  /**
   * Log entries dated between the snapshots (the ones matched).
   */
  entries_in_window: number;
  by_code: {
    [k: string]: number;
  };
  by_severity: {
    [k: string]: number;
  };
}
/**
 * One drifted user of a reconciliation. The change itself, assessed, is in
 * [`Engine::drift`]'s answer.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Reconciled".
 */
export interface Reconciled {
  user: string;
  kind: DriftKind;
  /**
   * The log lines dated between the snapshots about this user, in order.
   */
  lines: number[];
  /**
   * True when the log explains the change step by step, with the approvals it needed.
   */
  explained: boolean;
}
/**
 * The dates of the two snapshots of a reconciliation.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ReconcileOptions".
 */
export interface ReconcileOptions {
  /**
   * When the old snapshot was taken: log entries dated before it are not matched.
   */
  old_date?: Timestamp | null;
  /**
   * When the new snapshot was taken: log entries dated after it are not matched, and
   * elevations that ended before it are reported.
   */
  new_date?: Timestamp | null;
}

/** Thrown by every function of the package: a stable `code` and the `path` of the bad value. */
export class AdaccessError extends Error {
  readonly code: string;
  readonly path: string | null;
  readonly problems: Problem[];
}
