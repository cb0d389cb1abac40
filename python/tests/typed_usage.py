"""Type-checked with `mypy --strict` against the installed wheel by scripts/test-python: the
annotations of the public API must let a strictly typed caller use it without casts.
Never run; pytest does not collect it."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any, Dict, List, Optional

import adaccess
from adaccess import AdaccessError, Engine, InputError, ProfileError, Reconciliation, Report


def review(export: Path, directory: Optional[Dict[str, Any]]) -> List[str]:
    engine: Engine = Engine.builtin("dv360", directory)
    report: Report = engine.audit_export(export, now="2026-11-22", dormant_days=60)
    also: Report = engine.audit_export(str(export), now=datetime.date(2026, 11, 22))
    findings: List[Dict[str, Any]] = report.findings + also.findings
    return [f["code"] for f in findings]


def many(folder: Path) -> int:
    seats: List[Dict[str, Any]] = adaccess.find_seats(folder)
    seats += adaccess.find_seats([str(folder), folder / "north.json"])
    result: adaccess.SeatsReport = adaccess.audit_seats(seats, now="2026-11-22", profile="dv360")
    again: adaccess.SeatsReport = adaccess.audit_seats(folder, dormant_days=30)
    reports: Dict[str, Report] = result.reports
    failed: List[Dict[str, Any]] = again.failed
    return len(reports) + len(failed)


def read_everything(path: Path) -> int:
    users: List[Dict[str, Any]] = adaccess.read_dv360_users(path)
    users += adaccess.read_dv360_users(path.read_bytes(), profile="dv360")
    users += adaccess.read_dv360_users({"users": []})
    users += adaccess.read_dv360_users([{"users": []}])
    users += adaccess.read_csv(io.BytesIO(b"user_id,email,name,level,entity_id,role\n"))
    export: Dict[str, Any] = adaccess.read_export(str(path), profile=Engine.builtin("mediamath"))
    export = Engine.builtin("dv360").read_export(path)
    return len(users) + len(export["users"])


def decide(user: Dict[str, Any]) -> bool:
    engine = Engine(Engine.builtin("dv360").profile())
    entity = {"level": "partner", "id": "1"}
    ok: bool = engine.validate_user(user)["ok"]
    allowed: bool = engine.can(user, "billing", "read", entity)["allowed"]
    many: List[Dict[str, Any]] = engine.can_many(
        user, [{"capability": "billing", "level": "read", "entity": entity}]
    )
    rows: List[Dict[str, Any]] = engine.effective(user)
    who: List[Dict[str, Any]] = engine.who_can([user], "billing", "read", entity)
    record: Dict[str, Any] = engine.redact(user, entity, {"cost": 1})
    assessment: Dict[str, Any] = engine.assess({"actor": user, "before": user, "after": user})
    return ok and allowed and bool(many and rows and who and record and assessment)


def reconcile(old: Path, new: Path, log: Path, change: Dict[str, Any]) -> int:
    engine = Engine.builtin("dv360")
    drift: Dict[str, Any] = engine.drift(old, new.read_bytes(), now="2026-11-22")
    result: Reconciliation = engine.reconcile(
        str(old), {"users": []}, log, old_date=datetime.date(2026, 8, 22), new_date="2026-11-22"
    )
    also: Reconciliation = engine.reconcile(
        old, new, [{"user_id": "u-1", "date": "2026-09-01"}], new_date=datetime.date(2026, 11, 22)
    )
    more: Reconciliation = engine.reconcile(old, new, io.BytesIO(log.read_bytes()))
    findings: List[Dict[str, Any]] = result.findings + also.findings + more.findings
    entry: Dict[str, Any] = engine.log_entry(change, clock="2026-11-22T10:00:00Z")
    entry = engine.log_entry(change)
    written: Dict[str, Any] = engine.append_log(log, change, clock=datetime.date(2026, 11, 22))
    written = engine.append_log(str(log), change)
    verified: Dict[str, Any] = adaccess.verify_log(log, head=written.get("prev"))
    verified = adaccess.verify_log(log.read_bytes())
    ok: bool = verified["ok"]
    return len(drift["changes"]) + len(findings) + len(entry) + int(ok)


def form(change: Dict[str, Any], assignment: Dict[str, Any]) -> bool:
    engine = Engine.builtin("dv360")
    draft: adaccess.Draft = engine.draft(change)
    draft.set_role(0, "read_only")
    draft.set_assignment(1, assignment)
    draft.remove_assignment(1)
    draft.set_toggle("billing", True)
    draft.set_reason("Promoted to team lead")
    draft.set_reason(None)
    draft.set_approvals([{"kind": "manager", "by": "lee@agency.example"}])
    check: Dict[str, Any] = draft.check()
    assessment: Dict[str, Any] = draft.assess(effective="changed")
    entry: Dict[str, Any] = draft.log_entry(clock=datetime.date(2026, 11, 22))
    entry = draft.log_entry(clock="2026-11-22T10:00:00Z")
    entry = draft.log_entry()
    edited: Dict[str, Any] = draft.change
    ok: bool = check["ok"]
    return ok and bool(assessment and entry and edited)


def errors() -> Optional[str]:
    try:
        Engine.builtin("nope")
    except ProfileError as e:
        return e.code
    except InputError as e:
        return e.path
    except AdaccessError as e:
        problems: List[Dict[str, Any]] = e.problems
        return e.message + str(problems)
    return None


def catalogue() -> List[str]:
    ids: List[str] = adaccess.profiles()
    codes: List[str] = [c["code"] for c in adaccess.codes()]
    version: str = adaccess.__version__
    return ids + codes + [version]


def grid(engine: adaccess.Engine, doc: Dict[str, Any]) -> List[bool]:
    """A prepared user, typed."""
    user: adaccess.User = engine.user(doc)
    entity = {"level": "partner", "id": "1"}
    decision: Dict[str, Any] = user.can("campaigns", "write", entity)
    answers: List[bool] = user.allows_many([{"capability": "campaigns", "level": "read", "entity": entity}])
    rows: List[Dict[str, Any]] = user.effective()
    who: List[Dict[str, Any]] = engine.who_can_among([user], "campaigns", "write", entity)
    return [decision["allowed"], user.allows("campaigns", "read", entity), bool(rows), bool(who), *answers]
