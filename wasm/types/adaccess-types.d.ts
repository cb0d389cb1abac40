// Generated from the Rust types by scripts/js/gen-types.mjs. Do not edit.
/**
 * An RFC 3339 timestamp or a plain date (YYYY-MM-DD, midnight UTC)
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Timestamp".
 */
export type Timestamp = string;
/**
 * How much of the permission matrix an assessment returns.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "EffectiveRows".
 */
export type EffectiveRows = "all" | "changed" | "none";
/**
 * How serious a finding is, most serious first.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Severity".
 */
export type Severity = "error" | "security" | "warning" | "info";
/**
 * Where a code comes from.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "CodeSource".
 */
export type CodeSource = "structural" | "rule" | "audit";
/**
 * The formats [`read_export`] recognises.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ExportFormat".
 */
export type ExportFormat = "dv360_users_list" | "csv" | "t1_permissions" | "users";
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
  | "all_granted"
  | {
      toggle_on: string;
    }
  | {
      toggle_off: string;
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
  | "activity_denied"
  | {
      email_domain_outside: string[];
    }
  | "approval_missing";

/**
 * One past action of a user, replayed against a new state.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Activity".
 */
export interface Activity {
  at?: Timestamp | null;
  capability: string;
  entity: EntityRef;
  level: string;
  user: string;
}
/**
 * A scope entity: one node of the seat's tree (`partner:123`, `advertiser:456`).
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "EntityRef".
 */
export interface EntityRef {
  /**
   * The platform's id of the entity.
   */
  id: string;
  /**
   * One of the profile's `levels`.
   */
  level: string;
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
 * The answer to "what happens if we make this change?".
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Assessment".
 */
export interface Assessment {
  approvals_required: ApprovalRequirement[];
  diff: Diff;
  effective: Effective;
  /**
   * Sorted by severity, then code, then path.
   */
  findings: Finding[];
  log_entry: LogEntry;
  /**
   * True when no finding is an `error`.
   */
  ok: boolean;
  plan: PlanStep[];
  /**
   * The platform's own API calls that carry the change out (valid changes only).
   */
  requests: PlatformRequest[];
}
/**
 * One approval group: any one of its kinds satisfies it.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ApprovalRequirement".
 */
export interface ApprovalRequirement {
  /**
   * Other rules that ask for the same group.
   */
  also_for?: string[];
  any_of: string[];
  /**
   * Who gave it, when it is satisfied.
   */
  by?: string | null;
  /**
   * The rule that asks for it.
   */
  reason: string;
  satisfied: boolean;
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
   * Capabilities whose level rises on an entity.
   */
  gained: AccessChange[];
  /**
   * Capabilities whose level falls on an entity.
   */
  lost: AccessChange[];
  /**
   * Assignments on entities the user no longer has.
   */
  removed: Assignment[];
  /**
   * Entities kept with another role.
   */
  role_changed: RoleChange[];
  toggles: ToggleChange[];
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
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "AccessChange".
 */
export interface AccessChange {
  capability: string;
  entity: EntityRef;
  from: string;
  to: string;
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
  from: boolean;
  to: boolean;
  toggle: string;
}
/**
 * The permission matrix before and after the change.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Effective".
 */
export interface Effective {
  after: MatrixRow[];
  before: MatrixRow[];
}
/**
 * One row of the permission matrix: what the user can do on one entity.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "MatrixRow".
 */
export interface MatrixRow {
  access: AccessMap;
  entity: EntityRef;
  /**
   * Set when the entity is covered only through an assignment on an ancestor.
   */
  inherited_from?: EntityRef | null;
  name?: string | null;
  /**
   * The roles that apply on this entity.
   */
  roles: string[];
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
 * One thing the engine has to say.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Finding".
 */
export interface Finding {
  code: string;
  data?: unknown;
  help?: string | null;
  message: string;
  /**
   * Where in the input document the finding points (`after.assignments[1]`).
   */
  path?: string | null;
  severity: Severity;
  /**
   * The user a seat-wide report's finding is about.
   */
  user?: string | null;
}
/**
 * The access-log record of a change.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "LogEntry".
 */
export interface LogEntry {
  /**
   * `create`, `update` or `delete`.
   */
  action: string;
  /**
   * `kind: who` for each approval given.
   */
  approvers: string[];
  /**
   * The actor's email (or id).
   */
  changed_by: string;
  /**
   * The change's `now`, as a date.
   */
  date?: string | null;
  entities: OldNew2;
  reason?: string | null;
  role: OldNew;
  temporary_until?: string | null;
  toggles: OldNew3;
  user_email: string;
  user_id: string;
  user_name: string;
}
/**
 * An old and a new value.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "OldNew2".
 */
export interface OldNew2 {
  new: string[];
  old: string[];
}
/**
 * An old and a new value.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "OldNew".
 */
export interface OldNew {
  new?: string | null;
  old?: string | null;
}
/**
 * An old and a new value.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "OldNew3".
 */
export interface OldNew3 {
  new: {
    [k: string]: boolean;
  };
  old: {
    [k: string]: boolean;
  };
}
/**
 * One step of the plan.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "PlanStep".
 */
export interface PlanStep {
  /**
   * `collect_approvals`, `transfer_assets`, `edit_entities`, `change_role`, `set_toggles`,
   * `revoke_tokens`, `save_and_verify`, `notify_user`, `record_log`, `schedule_revert` or
   * `schedule_review`, always in that order.
   */
  action: string;
  detail: string;
  /**
   * What the step acts on: token ids, asset ids, entities, approvals.
   */
  items?: string[];
  /**
   * 1-based position.
   */
  step: number;
}
/**
 * One API call, ready to send.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "PlatformRequest".
 */
export interface PlatformRequest {
  body?: unknown;
  http_method: string;
  /**
   * The API method (`users.bulkEditAssignedUserRoles`).
   */
  method: string;
  /**
   * Path relative to the API's versioned root.
   */
  path: string;
  /**
   * `dv360` or `t1`.
   */
  platform: string;
}
/**
 * An audit's arguments as one document, the way the npm and pip packages take them:
 * `{now?, activity?, dormant_days?}`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "AuditCall".
 */
export interface AuditCall {
  activity?: Activity[] | null;
  dormant_days?: number | null;
  now?: Timestamp | null;
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
 * One question of a batch (`can_many`, `allows_many` in the bindings): may the user do
 * `capability` at `level` (or above) on `entity`?
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "CanRequest".
 */
export interface CanRequest {
  capability: string;
  entity: EntityRef;
  level: string;
}
/**
 * A proposed edit of one user's access, made by `actor`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Change".
 */
export interface Change {
  /**
   * Past actions, replayed against the after-state.
   */
  activity?: Activity[] | null;
  actor: User;
  /**
   * `null` for a deletion.
   */
  after?: User | null;
  approvals?: Approval[];
  /**
   * `null` for a new user.
   */
  before?: User | null;
  /**
   * When the change is assessed; defaults to "no clock" (time-based rules stay silent).
   */
  now?: Timestamp | null;
  /**
   * The other users of the seat, for the last-holder checks.
   */
  population?: User[] | null;
  reason?: string | null;
  temporary?: Temporary | null;
}
/**
 * A person with access to the seat.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "User".
 */
export interface User {
  assets?: Asset[];
  assignments?: Assignment[];
  elevation?: Elevation | null;
  email?: string;
  id: string;
  last_login?: Timestamp | null;
  name?: string;
  /**
   * Per-user switches of the profile (`billing`), independent of role.
   */
  toggles?: {
    [k: string]: boolean;
  };
  tokens?: Token[];
}
/**
 * Something the user owns on the platform (a campaign, a pixel, a report...).
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Asset".
 */
export interface Asset {
  active?: boolean;
  entity: EntityRef;
  id: string;
  kind: string;
}
/**
 * A temporary elevation in force: the user's assignments revert to `revert_to` at `until`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Elevation".
 */
export interface Elevation {
  revert_to?: Assignment[];
  until?: Timestamp | null;
}
/**
 * An API token (or any credential) the user holds.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Token".
 */
export interface Token {
  active?: boolean;
  created_at?: Timestamp | null;
  id: string;
}
/**
 * An approval collected for a change.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Approval".
 */
export interface Approval {
  by: string;
  /**
   * `manager`, `seat_owner`, `security`, `finance`, or a kind the profile adds.
   */
  kind: string;
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
 * A code as listed by `adaccess codes`.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "CodeEntry".
 */
export interface CodeEntry {
  code: string;
  description: string;
  severity: Severity;
  source: CodeSource;
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
   * Why it was denied: `capability.unknown`, `access_level.unknown`, `level.unknown`,
   * `entity.unknown`, `not_covered` or `insufficient`.
   */
  denied?: string | null;
  /**
   * The grant that allowed it.
   */
  grant?: GrantSource | null;
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
  entity: EntityRef;
  /**
   * Set when the assignment sits on an ancestor of the entity asked about.
   */
  inherited_from?: EntityRef | null;
  /**
   * The access level granted.
   */
  level: string;
  role?: string | null;
  toggle?: string | null;
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
  id: string;
  level: string;
  name?: string | null;
  /**
   * Id of the entity one level up; absent at the top level.
   */
  parent?: string | null;
}
/**
 * The same `{code, message, path, help}` shape reaches Rust, JS and Python callers.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ErrorInfo".
 */
export interface ErrorInfo {
  code: string;
  help?: string | null;
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
  message: string;
  path: string;
}
/**
 * The users of a seat read from an export, and its entity tree when the export carries one
 * (T1 permissions list the organizations, agencies and advertisers with their parents).
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Export".
 */
export interface Export {
  directory?: Directory | null;
  format: ExportFormat;
  users: User[];
}
/**
 * A platform profile as written in JSON.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Profile".
 */
export interface Profile {
  /**
   * Which platform API the requests of an assessment are written for (`dv360`, `t1`).
   */
  api?: string | null;
  /**
   * Approval kinds the rules may ask for, on top of the four standard ones.
   */
  approval_kinds?: string[];
  capabilities?: CapabilityDoc[];
  constraints?: Constraints | null;
  description?: string | null;
  /**
   * Id of a built-in profile this one extends: its lists are appended to the base's.
   */
  extends?: string | null;
  families?: FamilyDoc[];
  id: string;
  key_capabilities?: KeyCapabilities;
  /**
   * Scope levels, top-down.
   */
  levels?: string[];
  name: string;
  redactions?: Redaction[];
  roles?: RoleDoc[];
  /**
   * Changes to rules by id (a built-in rule's severity, say).
   */
  rule_overrides?: {
    [k: string]: RuleOverride;
  };
  rules?: RuleDoc[];
  /**
   * Where the facts of this profile come from.
   */
  sources?: string[];
  toggles?: ToggleDoc[];
  /**
   * What an assignment at the top level is called (`All advertisers`).
   */
  top_level_label?: string | null;
  version: string;
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
 * Structural constraints on one user's assignments.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Constraints".
 */
export interface Constraints {
  /**
   * The fewest assignments a user may have.
   */
  min_assignments?: number;
  /**
   * No roles on both an entity and one of its ancestors.
   */
  no_parent_and_child?: boolean;
  /**
   * At most one role per entity.
   */
  one_role_per_entity?: boolean;
  /**
   * All of a user's roles belong to one family.
   */
  single_family?: boolean;
  /**
   * One role for all of a user's scopes.
   */
  uniform_role?: boolean;
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
  /**
   * For `loses`: only when the user keeps it on no entity at all.
   */
  everywhere?: boolean;
  level?: string | null;
  /**
   * Only on entities the user covers both before and after the change (a downgrade in
   * place, not an entity taken away).
   */
  on_kept_entities?: boolean;
}
/**
 * Fields hidden from users without a capability.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Redaction".
 */
export interface Redaction {
  fields: string[];
  label: string;
  placeholder: string;
  /**
   * The guarding capability.
   */
  unless: string;
  /**
   * The level of `unless` needed; defaults to the capability's first level above none.
   */
  unless_level?: string | null;
}
/**
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "RoleDoc".
 */
export interface RoleDoc {
  description?: string | null;
  /**
   * The platform's own names for the role (`{"dv360_api": "ADMIN"}`).
   */
  external_ids?: {
    [k: string]: string;
  };
  family: string;
  /**
   * Capability id -> access level; capabilities not named are at their lowest level.
   */
  grants?: {
    [k: string]: string;
  };
  id: string;
  label: string;
  /**
   * Scope levels where the role may be assigned.
   */
  levels: string[];
  /**
   * Role ids or family ids a holder may assign, edit or remove, within its own scopes.
   */
  manages?: string[];
  /**
   * Where a fact comes from, where it is not obvious.
   */
  note?: string | null;
}
/**
 * Changes to an existing rule.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "RuleOverride".
 */
export interface RuleOverride {
  approvals?: string[][] | null;
  /**
   * Turns the rule off.
   */
  disabled?: boolean;
  help?: string | null;
  message?: string | null;
  severity?: Severity | null;
}
/**
 * A change-impact rule.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "RuleDoc".
 */
export interface RuleDoc {
  /**
   * Approval groups this rule requires; each is satisfied by any one of its kinds.
   */
  approvals?: string[][];
  help?: string | null;
  /**
   * The finding code the rule emits.
   */
  id: string;
  /**
   * Message template: `{user}`, `{roles_before}`, `{roles_after}`, `{roles}` (`a to b`, or
   * `a` when the roles stay), `{entities}`,
   * `{capabilities}`, `{tokens}`, `{assets}`, `{until}`, `{approval}` are filled in.
   */
  message: string;
  severity: Severity;
  when: Predicate;
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
 * A per-user switch that adds grants independent of role.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "ToggleDoc".
 */
export interface ToggleDoc {
  grants: {
    [k: string]: string;
  };
  id: string;
  label: string;
  note?: string | null;
}
/**
 * The result of an access review.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Report".
 */
export interface Report {
  /**
   * Sorted: severity, code, path; each about one user (`user`) or the seat (`data`).
   */
  findings: Finding[];
  summary: Summary;
  /**
   * How many users were reviewed.
   */
  users: number;
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
  by_family: {
    [k: string]: number;
  };
  /**
   * Users holding each role (a user with two roles counts under both).
   */
  by_role: {
    [k: string]: number;
  };
  by_severity: {
    [k: string]: number;
  };
}
/**
 * The answer to "is this user's access valid?".
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "Validation".
 */
export interface Validation {
  /**
   * Sorted by severity, then code, then path.
   */
  findings: Finding[];
  /**
   * True when no finding is an `error`.
   */
  ok: boolean;
}
/**
 * One user who can, with the reason.
 *
 * This interface was referenced by `AdaccessTypes`'s JSON-Schema
 * via the `definition` "WhoCan".
 */
export interface WhoCan {
  because: Decision;
  email?: string;
  user: string;
}

/** Thrown by every function of the package: a stable `code` and the `path` of the bad value. */
export class AdaccessError extends Error {
  readonly code: string;
  readonly path: string | null;
  readonly help: string | null;
  readonly problems: Problem[];
}
