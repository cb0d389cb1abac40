#!/usr/bin/env python3
"""Writes tests/vectors/reconcile.json: the drift, reconciliation and access-log vectors.

The access logs in these vectors are written here, with Python's own JSON and hashlib, not
by adaccess: the chain the engine verifies is checked against an independent writer. The
expected answers are stated by hand below. Run from the repository root:

    python3 scripts/vectors/reconcile.py
"""

import hashlib
import json
from pathlib import Path

OUT = Path("tests/vectors/reconcile.json")


def user(id, role_on, *, name=None, toggles=None, tokens=None, elevation=None, last_login=None):
    """A user in adaccess's shape; `role_on` is a list of (level, id, role)."""
    u = {
        "id": id,
        "email": f"{(name or id).lower().replace(' ', '.')}@northwind.example",
        "name": name or id,
        "assignments": [{"entity": {"level": l, "id": i}, "role": r} for (l, i, r) in role_on],
    }
    for key, value in (("toggles", toggles), ("tokens", tokens), ("elevation", elevation),
                       ("last_login", last_login)):
        if value is not None:
            u[key] = value
    return u


def entry(u, date, action, old, new, *, approvals=(), toggles_old=None, toggles_new=None,
          reason="ticket OPS-1"):
    """A log entry as `assess` writes it; `old` and `new` are lists of (level, id, role)."""
    pairs = lambda a: [f"{l}:{i}={r}" for (l, i, r) in a]
    roles = lambda a: ", ".join(dict.fromkeys(r for (_, _, r) in a)) or None
    return {
        "user_id": u["id"],
        "user_email": u["email"],
        "user_name": u["name"],
        "action": action,
        "date": date,
        "changed_by": "alice.moreau@northwind.example",
        "role": {"old": roles(old), "new": roles(new)},
        "entities": {"old": [f"{l}:{i}" for (l, i, _) in old], "new": [f"{l}:{i}" for (l, i, _) in new]},
        "toggles": {"old": toggles_old or {}, "new": toggles_new or {}},
        "assignments": {"old": pairs(old), "new": pairs(new)},
        "reason": reason,
        "approvers": [f"{a['kind']}: {a['by']}" for a in approvals],
        "approvals": list(approvals),
        "approvals_missing": [],
    }


def chain(entries):
    """JSON Lines, each line's `prev` the SHA-256 of the line before."""
    lines = []
    for e in entries:
        e = dict(e)
        if lines:
            e["prev"] = "sha256:" + hashlib.sha256(lines[-1].encode("utf-8")).hexdigest()
        lines.append(json.dumps(e, separators=(",", ":"), ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def head(text):
    last = [l for l in text.split("\n") if l.strip()][-1]
    return "sha256:" + hashlib.sha256(last.encode("utf-8")).hexdigest()


ADV = "advertiser"
PARTNER = "partner"
DIRECTORY = {
    "entities": [
        {"level": PARTNER, "id": "1", "name": "Northwind Media"},
        {"level": ADV, "id": "11", "parent": "1", "name": "Acme Shoes"},
        {"level": ADV, "id": "12", "parent": "1", "name": "Brightside Travel"},
        {"level": ADV, "id": "13", "parent": "1", "name": "Cedar Bank"},
    ]
}

# The seat, a quarter apart. Ana: read_only -> standard on 11 (an elevation: needs the
# manager or the seat owner). Bo: gains 12 (standard). Cy: removed. Di: added. Ed: the same
# assignments in another order, and a newer login. Fay: unchanged.
ana_old = user("u-ana", [(ADV, "11", "read_only")], name="Ana Ruiz")
ana_new = user("u-ana", [(ADV, "11", "standard")], name="Ana Ruiz")
bo_old = user("u-bo", [(ADV, "11", "standard")], name="Bo Lind")
bo_new = user("u-bo", [(ADV, "11", "standard"), (ADV, "12", "standard")], name="Bo Lind")
cy_old = user("u-cy", [(ADV, "13", "reporting_only")], name="Cy Moss")
di_new = user("u-di", [(ADV, "12", "read_only")], name="Di Park")
ed_old = user("u-ed", [(ADV, "11", "read_only"), (ADV, "12", "read_only")], name="Ed Vance",
              last_login="2026-08-01")
ed_new = user("u-ed", [(ADV, "12", "read_only"), (ADV, "11", "read_only")], name="Ed Vance",
              last_login="2026-11-20")
fay = user("u-fay", [(PARTNER, "1", "admin")], name="Fay Holt")

OLD = [ana_old, bo_old, cy_old, ed_old, fay]
NEW = [ana_new, bo_new, di_new, ed_new, fay]

MANAGER = {"kind": "manager", "by": "lee.park@northwind.example", "reference": "OPS-7"}

# Ana's elevation logged with the manager's approval; Bo's new advertiser logged; Cy's
# removal and Di's creation logged.
LOG_ALL = chain([
    entry(ana_new, "2026-09-10", "update", [(ADV, "11", "read_only")], [(ADV, "11", "standard")],
          approvals=[MANAGER]),
    entry(bo_new, "2026-09-12", "update", [(ADV, "11", "standard")],
          [(ADV, "11", "standard"), (ADV, "12", "standard")]),
    entry(cy_old, "2026-10-01", "delete", [(ADV, "13", "reporting_only")], []),
    entry(di_new, "2026-10-02", "create", [], [(ADV, "12", "read_only")]),
])

# The planted trio: Ana's elevation logged without an approval (unapproved), Bo's change not
# logged at all (unlogged), Fay downgraded in the log but still admin (not applied); Cy and
# Di logged and shown.
LOG_TRIO = chain([
    entry(ana_new, "2026-09-10", "update", [(ADV, "11", "read_only")], [(ADV, "11", "standard")]),
    entry(cy_old, "2026-10-01", "delete", [(ADV, "13", "reporting_only")], []),
    entry(di_new, "2026-10-02", "create", [], [(ADV, "12", "read_only")]),
    entry(fay, "2026-11-01", "update", [(PARTNER, "1", "admin")], [(PARTNER, "1", "standard")],
          approvals=[MANAGER]),
])

# Bo's change logged before the old snapshot (outside the window), Ana's logged after the new.
LOG_OUTSIDE = chain([
    entry(bo_new, "2026-08-01", "update", [(ADV, "11", "standard")],
          [(ADV, "11", "standard"), (ADV, "12", "standard")]),
    entry(ana_new, "2026-12-01", "update", [(ADV, "11", "read_only")], [(ADV, "11", "standard")],
          approvals=[MANAGER]),
])

# Bo logged from a state the old snapshot does not show: a change before it is missing.
LOG_GAP = chain([
    entry(bo_new, "2026-09-12", "update", [(ADV, "12", "standard")],
          [(ADV, "11", "standard"), (ADV, "12", "standard")]),
])

WINDOW = {"old_date": "2026-08-22", "new_date": "2026-11-22"}

vectors = []


def vector(name, op, input, expected, profile="dv360", directory=DIRECTORY):
    v = {"name": name, "profile": profile}
    if directory is not None:
        v["directory"] = directory
    v.update({"op": op, "input": input, "expected": expected})
    vectors.append(v)


vector(
    "drift: added, removed and changed users; a reordering or a login is not a change",
    "drift",
    {"old": OLD, "new": NEW, "now": "2026-11-22"},
    {
        "summary": {"old": 5, "new": 5, "added": 1, "removed": 1, "changed": 2, "unchanged": 2},
        "changes": [
            {"user": "u-ana", "kind": "changed", "old_index": 0, "new_index": 0, "ok": True,
             "approvals_required": [{"any_of": ["manager", "seat_owner"], "reason": "approval.elevation",
                                     "satisfied": False}],
             "diff": {"role_changed": [{"entity": {"level": ADV, "id": "11"}, "from": "read_only",
                                        "to": "standard"}]}},
            {"user": "u-bo", "kind": "changed", "approvals_required": [],
             "diff": {"added": [{"entity": {"level": ADV, "id": "12"}, "role": "standard"}]}},
            {"user": "u-cy", "kind": "removed", "old_index": 2, "change": {"after": None}},
            {"user": "u-di", "kind": "added", "new_index": 2, "change": {"before": None}},
        ],
        "unchanged": ["u-ed", "u-fay"],
    },
)

vector(
    "drift: the observed change's actor is unknown, so no authority finding is raised",
    "drift",
    {"old": [bo_old], "new": [bo_new]},
    {"changes": [{"user": "u-bo", "ok": True,
                  "findings": [{"code": "log.reason_missing"}, {"code": "notify.user"}]}]},
)

vector(
    "drift: a DV360 users.list page and a users array of the same seat compare by user id",
    "drift",
    {
        "old": {"users": [{"userId": "u-bo", "email": "bo.lind@northwind.example", "displayName": "Bo Lind",
                           "assignedUserRoles": [{"advertiserId": "11", "userRole": "STANDARD"}]}]},
        "new": [bo_new],
    },
    {"summary": {"changed": 1, "unchanged": 0},
     "changes": [{"user": "u-bo", "diff": {"added": [{"entity": {"level": ADV, "id": "12"}}]}}]},
)

vector(
    "drift: a user listed twice in one snapshot is an error naming the second place",
    "drift",
    {"old": OLD, "new": [ana_new, bo_new, ana_new]},
    {"error": {"code": "input.invalid", "path": "new[2].id"}},
)

vector(
    "drift: an export that cannot be read names its side",
    "drift",
    {"old": OLD, "new": [{"id": "u-x", "email": "x@northwind.example", "assignments": [
        {"entity": {"level": ADV, "id": "11"}, "role": 7}]}]},
    {"error": {"code": "ingest.invalid", "path": "new[0].assignments[0].role"}},
)

vector(
    "reconcile: a log that explains every change, approvals included, leaves no finding",
    "reconcile",
    {"old": OLD, "new": NEW, "log": LOG_ALL, **WINDOW},
    {"summary": {"changes": 4, "explained": 4, "entries": 4, "entries_in_window": 4},
     "findings": [], "codes": []},
)

vector(
    "reconcile: an unlogged, an unapproved and a not-applied change are found, and nothing else",
    "reconcile",
    {"old": OLD, "new": NEW, "log": LOG_TRIO, **WINDOW},
    {
        "summary": {"changes": 4, "explained": 2, "entries": 4, "entries_in_window": 4,
                    "by_code": {"reconcile.not_applied": 1, "reconcile.unapproved": 1,
                                "reconcile.unlogged": 1}},
        "codes": ["reconcile.unapproved", "reconcile.unlogged", "reconcile.not_applied"],
        "drift": {"old": 5, "new": 5, "added": 1, "removed": 1, "changed": 2, "unchanged": 2},
        "changes": [
            {"user": "u-ana", "kind": "changed", "lines": [1], "explained": False},
            {"user": "u-bo", "kind": "changed", "lines": [], "explained": False},
            {"user": "u-cy", "kind": "removed", "lines": [2], "explained": True},
            {"user": "u-di", "kind": "added", "lines": [3], "explained": True},
        ],
        "findings": [
            {"severity": "security", "user": "u-ana", "path": "line[1]",
             "data": {"lines": [1], "missing": [{"any_of": ["manager", "seat_owner"],
                                                 "reason": "approval.elevation"}]}},
            {"severity": "security", "user": "u-bo", "path": "new[1]"},
            {"severity": "warning", "user": "u-fay", "path": "line[4]",
             "data": {"line": 4, "logged": "partner:1=standard", "shown": "partner:1=admin"}},
        ],
    },
)

vector(
    "reconcile: log entries dated outside the snapshots' window explain nothing",
    "reconcile",
    {"old": OLD, "new": NEW, "log": LOG_OUTSIDE, **WINDOW},
    {"summary": {"entries": 2, "entries_in_window": 0, "explained": 0},
     "codes": ["reconcile.unlogged", "reconcile.unlogged", "reconcile.unlogged",
               "reconcile.unlogged"]},
)

vector(
    "reconcile: a logged change that starts from another state than the old snapshot's hides an unlogged one",
    "reconcile",
    {"old": [bo_old], "new": [bo_new], "log": LOG_GAP, **WINDOW},
    {"codes": ["reconcile.unlogged"],
     "findings": [{"path": "new[0]", "data": {"line": 1, "logged_from": "advertiser:12=standard",
                                              "was": "advertiser:11=standard"}}]},
)

trader_old = user("u-tom", [("organization", "100", "admin")], name="Tom Ash",
                  tokens=[{"id": "tok-9", "created_at": "2026-07-01"}])
trader_new = user("u-tom", [("organization", "100", "trader")], name="Tom Ash",
                  tokens=[{"id": "tok-9", "created_at": "2026-07-01"}])
elevated = user("u-eva", [("agency", "3", "admin")], name="Eva Stone",
                elevation={"since": "2026-09-01", "until": "2026-10-01",
                           "revert_to": [{"entity": {"level": "agency", "id": "3"}, "role": "trader"}]})
vector(
    "reconcile: the new snapshot's expired elevation and a token the downgrade left active are reported",
    "reconcile",
    {"old": [trader_old, elevated], "new": [trader_new, elevated],
     "log": chain([entry(trader_new, "2026-09-05", "update", [("organization", "100", "admin")],
                         [("organization", "100", "trader")],
                         approvals=[{"kind": "manager", "by": "lee.park@northwind.example",
                                     "reference": "OPS-8"}])]),
     **WINDOW},
    {"codes": ["temporary.expired", "tokens.orphaned"],
     "findings": [{"user": "u-eva", "path": "new[1].elevation.until"},
                  {"user": "u-tom", "path": "new[0].tokens", "data": {"tokens": ["tok-9"]}}]},
    profile="mediamath",
    directory={"entities": [{"level": "organization", "id": "100"},
                            {"level": "agency", "id": "3", "parent": "100"}]},
)

vector(
    "reconcile: a log line that is not an entry is an error with its line number",
    "reconcile",
    {"old": OLD, "new": NEW, "log": LOG_ALL.replace('"action":"delete"', '"action":false'), **WINDOW},
    {"error": {"code": "log.line", "path": "line[3].action"}},
)

vector(
    "reconcile: an entry without a date cannot be placed between the snapshots",
    "reconcile",
    {"old": OLD, "new": NEW, "log": LOG_ALL.replace('"date":"2026-09-12",', ''), **WINDOW},
    {"error": {"code": "log.undated", "path": "line[2].date"}},
)

vector(
    "verify_log: an unbroken chain verifies and reports its head",
    "verify_log",
    {"log": LOG_ALL},
    {"ok": True, "entries": 4, "head": head(LOG_ALL)},
)

lines = LOG_ALL.split("\n")
vector(
    "verify_log: an edited entry breaks the chain on the line after it",
    "verify_log",
    {"log": LOG_ALL.replace("OPS-7", "OPS-8")},
    {"ok": False, "entries": 1, "broken": {"line": 2, "code": "log.chain_broken"}},
)
vector(
    "verify_log: a removed first entry is found on the new first line",
    "verify_log",
    {"log": "\n".join(lines[1:])},
    {"ok": False, "entries": 0, "broken": {"line": 1, "code": "log.chain_start"}},
)
vector(
    "verify_log: removed last entries are found against the head kept from before",
    "verify_log",
    {"log": "\n".join(lines[:3]) + "\n", "head": head(LOG_ALL)},
    {"ok": False, "entries": 3, "broken": {"code": "log.head_missing"}},
)

change = {
    "actor": fay,
    "before": ana_old,
    "after": ana_new,
    "reason": "Ana takes over the Acme campaigns",
}
vector(
    "log_entry: dated by the clock when the change has none, listing the missing approvals",
    "log_entry",
    {"change": change, "clock": "2026-09-10T09:00:00Z"},
    {"user_id": "u-ana", "action": "update", "date": "2026-09-10",
     "assignments": {"old": ["advertiser:11=read_only"], "new": ["advertiser:11=standard"]},
     "approvals_missing": [{"any_of": ["manager", "seat_owner"], "reason": "approval.elevation"}]},
)
vector(
    "log_entry: the change's own date wins over the clock",
    "log_entry",
    {"change": {**change, "now": "2026-09-01", "approvals": [MANAGER]},
     "clock": "2026-09-10T09:00:00Z"},
    {"date": "2026-09-01", "approvals_missing": [], "approvals": [MANAGER]},
)
vector(
    "log_entry: a change that cannot be saved is not logged",
    "log_entry",
    {"change": {**change, "after": user("u-ana", [(ADV, "11", "standard"), (ADV, "12", "creative")],
                                        name="Ana Ruiz")},
     "clock": "2026-09-10T09:00:00Z"},
    {"error": {"code": "log.refused"}},
)

OUT.write_text(json.dumps(vectors, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {len(vectors)} vectors to {OUT}")
