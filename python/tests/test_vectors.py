"""Replays every shared vector in tests/vectors/ against the installed wheel."""

import json
import os
from pathlib import Path
from typing import Any, Dict, List

import pytest

import adaccess

ROOT = Path(os.environ.get("ADACCESS_ROOT", Path(__file__).resolve().parents[2]))
VECTORS: List[Dict[str, Any]] = []
for path in sorted((ROOT / "tests" / "vectors").glob("*.json")):
    doc = json.loads(path.read_text())
    for v in doc if isinstance(doc, list) else [doc]:
        v["_file"] = path.name
        VECTORS.append(v)


def test_the_installed_package_is_tested():
    assert "site-packages" in adaccess.__file__, adaccess.__file__
    assert VECTORS, "no vectors found"


def with_codes(v: Dict[str, Any]) -> Dict[str, Any]:
    return {**v, "codes": [f["code"] for f in v["findings"]]}


def run(v: Dict[str, Any]) -> Any:
    try:
        if v["op"] == "load_profile":
            engine = adaccess.Engine(v["input"])
            return {"ok": True, "id": engine.profile()["id"]}
        profile, directory, i = v["profile"], v.get("directory"), v["input"]
        engine = (
            adaccess.Engine.builtin(profile, directory)
            if isinstance(profile, str)
            else adaccess.Engine(profile, directory)
        )
        op = v["op"]
        if op == "validate_user":
            return with_codes(engine.validate_user(i))
        if op == "effective":
            return same_prepared({"rows": engine.effective(i)}, lambda: {"rows": engine.user(i).effective()})
        if op == "can":
            return same_prepared(
                engine.can(i["user"], i["capability"], i["level"], i["entity"]),
                lambda: engine.user(i["user"]).can(i["capability"], i["level"], i["entity"]),
            )
        if op == "who_can":
            return same_prepared(
                {"users": engine.who_can(i["users"], i["capability"], i["level"], i["entity"])},
                lambda: {
                    "users": engine.who_can_among(
                        [engine.user(u) for u in i["users"]], i["capability"], i["level"], i["entity"]
                    )
                },
            )
        if op == "redact":
            return same_prepared(
                {"record": engine.redact(i["user"], i["entity"], i["record"])},
                lambda: {"record": engine.user(i["user"]).redact(i["entity"], i["record"])},
            )
        if op == "assess":
            return with_codes(engine.assess(i, **(v.get("options") or {})))
        if op == "audit":
            options = i.get("options") or {}
            return with_codes(
                dict(
                    engine.audit(
                        i["users"],
                        now=i.get("now"),
                        activity=i.get("activity"),
                        dormant_days=options.get("dormant_days"),
                    )
                )
            )
        if op == "audit_export":
            # The file is read and audited by the core in one call (format detected; the
            # export's own directory used when the engine has none).
            options = i.get("options") or {}
            return with_codes(
                dict(
                    engine.audit_export(
                        ROOT / i["file"],
                        now=i.get("now"),
                        activity=i.get("activity"),
                        dormant_days=options.get("dormant_days"),
                    )
                )
            )
        if op == "drift":
            # The exports are JSON documents of any export shape; the package writes them out.
            return engine.drift(i["old"], i["new"], now=i.get("now"))
        if op == "reconcile":
            # `log` is the log's text: passed as bytes (a str would name a file).
            return with_codes(
                dict(
                    engine.reconcile(
                        i["old"],
                        i["new"],
                        i["log"].encode("utf-8"),
                        old_date=i.get("old_date"),
                        new_date=i.get("new_date"),
                    )
                )
            )
        if op == "verify_log":
            return adaccess.verify_log(i["log"].encode("utf-8"), head=i.get("head"))
        if op == "log_entry":
            return engine.log_entry(i["change"], clock=i["clock"])
        return {"error": {"code": "vector.unknown_op", "message": op}}
    except adaccess.AdaccessError as e:
        error: Dict[str, Any] = {"code": e.code, "message": e.message}
        if e.path is not None:
            error["path"] = e.path
        if e.problems:
            error["problems"] = e.problems
        return {"error": error}


def same_prepared(plain: Any, prepared: Any) -> Any:
    """The plain call's answer, when a prepared user (``engine.user``) answers the same."""
    try:
        again = prepared()
    except adaccess.AdaccessError as e:
        again = {"error": {"code": e.code, "message": e.message}}
    if again != plain:
        return {"error": {"code": "vector.prepared_differs", "message": f"plain {plain!r}, prepared {again!r}"}}
    return plain


def matches(expected: Any, actual: Any, path: str = "") -> None:
    if isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), f"{path}: expected {len(expected)} items, got {actual!r}"
        for n, (e, a) in enumerate(zip(expected, actual)):
            matches(e, a, f"{path}[{n}]")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for k, e in expected.items():
            matches(e, actual.get(k), f"{path}.{k}")
    else:
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize("vector", VECTORS, ids=[f'{v["_file"]}/{v["name"]}' for v in VECTORS])
def test_vector(vector: Dict[str, Any]) -> None:
    matches(vector["expected"], run(vector))


EXPORT_VECTORS = [v for v in VECTORS if v["op"] == "audit_export"]


@pytest.mark.parametrize(
    "vector", EXPORT_VECTORS, ids=[f'{v["_file"]}/{v["name"]}' for v in EXPORT_VECTORS]
)
def test_audit_export_vector_from_bytes(vector: Dict[str, Any]) -> None:
    """The same vectors with the export handed over as bytes rather than a path."""
    profile, directory, i = vector["profile"], vector.get("directory"), vector["input"]
    engine = (
        adaccess.Engine.builtin(profile, directory)
        if isinstance(profile, str)
        else adaccess.Engine(profile, directory)
    )
    options = i.get("options") or {}
    report = engine.audit_export(
        (ROOT / i["file"]).read_bytes(),
        now=i.get("now"),
        activity=i.get("activity"),
        dormant_days=options.get("dormant_days"),
    )
    matches(vector["expected"], with_codes(dict(report)))
