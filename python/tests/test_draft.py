"""Drafts through the installed package: after any edit, ``draft.check()`` gives the answers of
a full ``assess`` of the same change (findings, diff, approvals), and a wrong edit raises an
``InputError`` naming the bad argument and changes nothing (as wasm/js/test/draft.test.mjs
holds the npm package to)."""

import copy
import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

import adaccess

ROOT = Path(os.environ.get("ADACCESS_ROOT", Path(__file__).resolve().parents[2]))
VECTORS = [
    v
    for v in json.loads((ROOT / "tests" / "vectors" / "assess.json").read_text())
    if v["op"] == "assess" and not (v.get("expected") or {}).get("error")
]

Change = Dict[str, Any]
Edit = Tuple[str, Callable[[adaccess.Draft], None], Callable[[Change], None]]


def check_of(assessment: Dict[str, Any]) -> Dict[str, Any]:
    return {k: assessment[k] for k in ("ok", "verdict", "findings", "diff", "approvals_required")}


def expected(engine: adaccess.Engine, change: Change) -> Dict[str, Any]:
    return check_of(engine.assess(change, effective="none"))


def engine_of(v: Dict[str, Any]) -> adaccess.Engine:
    if isinstance(v["profile"], str):
        return adaccess.Engine.builtin(v["profile"], v.get("directory"))
    return adaccess.Engine(v["profile"], v.get("directory"))


def edits(change: Change) -> List[Edit]:
    """The edits a form makes, each with what it does to a plain change (the reference)."""
    assignments = change["after"]["assignments"]
    n = len(assignments)
    out: List[Edit] = []
    if assignments:
        first = copy.deepcopy(assignments[0])
        roles = [first["role"], "read_only", "standard", "admin", "reporting_only"]
        other = next(r for r in roles if r != first["role"])
        added = {
            "entity": {"level": first["entity"]["level"], "id": f'{first["entity"]["id"]}-new'},
            "role": first["role"],
        }

        def set_role(c: Change) -> None:
            c["after"]["assignments"][0]["role"] = other

        def append(c: Change) -> None:
            c["after"]["assignments"].append(copy.deepcopy(added))

        def replace(c: Change) -> None:
            c["after"]["assignments"][0] = copy.deepcopy(first)

        def remove_last(c: Change) -> None:
            del c["after"]["assignments"][n]

        def insert_first(c: Change) -> None:
            c["after"]["assignments"].insert(0, copy.deepcopy(added))

        out += [
            ("set_role(0)", lambda d: d.set_role(0, other), set_role),
            ("set_assignment(append)", lambda d: d.set_assignment(n, added), append),
            ("set_assignment(replace)", lambda d: d.set_assignment(0, first), replace),
            ("remove_assignment(last)", lambda d: d.remove_assignment(n), remove_last),
            ("insert_assignment(0)", lambda d: d.insert_assignment(0, added), insert_first),
        ]

    def toggle(c: Change) -> None:
        c["after"]["toggles"] = {**(c["after"].get("toggles") or {}), "billing": True}

    def no_reason(c: Change) -> None:
        c.pop("reason", None)

    def reason(c: Change) -> None:
        c["reason"] = "promoted"

    approvals = [
        {"kind": "manager", "by": "lee@agency.example"},
        {"kind": "finance", "by": "kim@agency.example"},
    ]

    def approve(c: Change) -> None:
        c["approvals"] = copy.deepcopy(approvals)

    out += [
        ("set_toggle", lambda d: d.set_toggle("billing", True), toggle),
        ("set_reason(None)", lambda d: d.set_reason(None), no_reason),
        ("set_reason", lambda d: d.set_reason("promoted"), reason),
        ("set_approvals", lambda d: d.set_approvals(approvals), approve),
    ]
    if assignments:

        def remove_first(c: Change) -> None:
            del c["after"]["assignments"][0]

        out.append(("remove_assignment(0)", lambda d: d.remove_assignment(0), remove_first))
    return out


def test_assess_vectors_are_drafted() -> None:
    assert len(VECTORS) > 5, len(VECTORS)


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_every_edit_checks_as_a_full_assessment(v: Dict[str, Any]) -> None:
    engine = engine_of(v)
    reference = copy.deepcopy(v["input"])
    draft = engine.draft(v["input"])
    assert isinstance(draft, adaccess.Draft)
    assert draft.check() == expected(engine, reference)
    if reference.get("after"):
        for what, edit, apply in edits(reference):
            edit(draft)
            apply(reference)
            assert draft.check() == expected(engine, reference), what
            assert engine.assess(draft.change) == engine.assess(reference), what
    assert draft.assess() == engine.assess(reference)
    assert draft.assess(effective="changed") == engine.assess(reference, effective="changed")


def user(assignments: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"id": "u-1", "email": "ana@agency.example", "name": "Ana", "assignments": assignments}


ADMIN = {
    "id": "admin",
    "email": "admin@agency.example",
    "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": "admin"}],
}
ONE = [{"entity": {"level": "partner", "id": "1"}, "role": "standard"}]
CREATIVE = {"entity": {"level": "advertiser", "id": "11"}, "role": "creative"}


@pytest.mark.parametrize(
    "edit, path",
    [
        (lambda d: d.set_role(1, "admin"), "index"),
        (lambda d: d.set_role(-1, "admin"), "index"),
        (lambda d: d.set_role(0.5, "admin"), "index"),
        (lambda d: d.set_role(2**70, "admin"), "index"),
        (lambda d: d.remove_assignment(1), "index"),
        (lambda d: d.remove_assignment(-1), "index"),
        (lambda d: d.set_assignment(2, ONE[0]), "index"),
        (lambda d: d.set_assignment(-3, ONE[0]), "index"),
        (lambda d: d.set_assignment(0, {"entity": {"level": "partner"}, "role": "admin"}), "assignment.entity"),
        (lambda d: d.set_assignment(0, {**ONE[0], "rol": "admin"}), "assignment.rol"),
        (lambda d: d.set_approvals([{"kind": "manager"}]), "approvals[0]"),
    ],
    ids=[
        "set_role past the end",
        "set_role negative",
        "set_role float",
        "set_role huge",
        "remove_assignment past the end",
        "remove_assignment negative",
        "set_assignment past the end",
        "set_assignment negative",
        "set_assignment without id",
        "set_assignment unknown field",
        "set_approvals without by",
    ],
)
def test_a_wrong_edit_names_its_argument_and_changes_nothing(
    edit: Callable[[adaccess.Draft], None], path: str
) -> None:
    engine = adaccess.Engine.builtin("dv360")
    change = {"actor": ADMIN, "before": user(ONE), "after": user(ONE)}
    draft = engine.draft(change)
    before = draft.check()
    with pytest.raises(adaccess.InputError) as e:
        edit(draft)
    assert e.value.code == "input.invalid", e.value
    assert e.value.path == path, e.value
    assert draft.check() == before
    assert draft.change == engine.draft(change).change


def test_a_negative_index_is_an_input_error_not_an_overflow() -> None:
    draft = adaccess.Engine.builtin("dv360").draft({"actor": ADMIN, "before": user(ONE), "after": user(ONE)})
    with pytest.raises(adaccess.InputError) as e:
        draft.remove_assignment(-1)
    assert "-1 is not an index" in e.value.message
    assert not isinstance(e.value, OverflowError)


def test_a_deletion_has_no_assignments_to_edit() -> None:
    engine = adaccess.Engine.builtin("dv360")
    draft = engine.draft({"actor": ADMIN, "before": user(ONE), "after": None})
    for edit in (
        lambda: draft.set_toggle("billing", True),
        lambda: draft.set_role(0, "admin"),
        lambda: draft.set_assignment(0, ONE[0]),
        lambda: draft.remove_assignment(0),
    ):
        with pytest.raises(adaccess.InputError) as e:
            edit()
        assert e.value.code == "input.invalid"
        assert e.value.path == "after"
    draft.set_reason("leaves the agency")
    assert draft.change["reason"] == "leaves the agency"
    assert draft.change["after"] is None


def test_a_wrong_change_is_refused_up_front() -> None:
    engine = adaccess.Engine.builtin("dv360")
    with pytest.raises(adaccess.InputError) as e:
        engine.draft({"before": user(ONE)})
    assert e.value.code == "input.invalid"
    with pytest.raises(adaccess.InputError) as e:
        engine.draft({"actor": ADMIN, "before": user(ONE), "after": user([{**ONE[0], "role": 7}])})
    assert e.value.path == "after.assignments[0].role"


def test_the_change_reflects_the_edits() -> None:
    engine = adaccess.Engine.builtin("dv360")
    draft = engine.draft({"actor": ADMIN, "before": user(ONE), "after": user(ONE), "reason": "x"})
    draft.set_role(0, "admin")
    draft.set_assignment(1, CREATIVE)
    draft.set_toggle("billing", True)
    draft.set_reason(None)
    draft.set_approvals([{"kind": "manager", "by": "lee@agency.example"}])
    change = draft.change
    assert change["after"]["assignments"] == [{**ONE[0], "role": "admin"}, CREATIVE]
    assert change["after"]["toggles"] == {"billing": True}
    assert change.get("reason") is None
    assert change["approvals"] == [{"kind": "manager", "by": "lee@agency.example"}]
    assert change["before"]["assignments"] == ONE
    draft.remove_assignment(0)
    assert draft.change["after"]["assignments"] == [CREATIVE]
    # The property is a copy: changing it does not edit the draft.
    change["after"]["assignments"].clear()
    assert draft.change["after"]["assignments"] == [CREATIVE]


def test_log_entry_as_the_engine_gives_it() -> None:
    engine = adaccess.Engine.builtin("dv360")
    draft = engine.draft({"actor": ADMIN, "before": user(ONE), "after": user(ONE)})
    draft.set_role(0, "read_only")
    draft.set_reason("moves to reporting")
    clock = "2026-11-22T10:00:00Z"
    entry = draft.log_entry(clock=clock)
    assert entry == engine.log_entry(draft.change, clock=clock)
    # Dating the entry leaves the change undated.
    assert draft.change.get("now") is None
    import datetime

    assert draft.log_entry(clock=datetime.date(2026, 11, 22)) == engine.log_entry(
        draft.change, clock=datetime.date(2026, 11, 22)
    )
    assert draft.log_entry()  # the current time
    with pytest.raises(adaccess.InputError) as e:
        draft.log_entry(clock="not a date")
    assert e.value.path == "clock"


def test_log_entry_refuses_a_change_with_an_error() -> None:
    engine = adaccess.Engine.builtin("dv360")
    draft = engine.draft({"actor": ADMIN, "before": user(ONE), "after": user(ONE)})
    draft.log_entry(clock="2026-11-22")
    draft.set_assignment(1, CREATIVE)  # a partner role and an advertiser role: family.mixed
    assert not draft.check()["ok"]
    with pytest.raises(adaccess.InputError) as e:
        draft.log_entry(clock="2026-11-22")
    assert e.value.code == "log.refused"
    with pytest.raises(adaccess.InputError) as e2:
        engine.log_entry(draft.change, clock="2026-11-22")
    assert e2.value.code == "log.refused"
    draft.remove_assignment(1)
    assert draft.log_entry(clock="2026-11-22") == engine.log_entry(draft.change, clock="2026-11-22")


def test_a_draft_outlives_its_engine_and_cannot_be_built_directly() -> None:
    draft = adaccess.Engine.builtin("dv360").draft({"actor": ADMIN, "before": user(ONE), "after": user(ONE)})
    import gc

    gc.collect()
    draft.set_role(0, "admin")
    assert draft.check()["diff"]
    with pytest.raises(TypeError):
        adaccess._adaccess.Draft()  # type: ignore[call-arg]
