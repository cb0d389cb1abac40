"""The hostile-input matrix (tests/hostile/make.py) through the installed wheel: each case
ends in an adaccess error with the expected code (and path), or in a result, in bounded time.
Never a RecursionError, a PanicException or a crash. Document calls take parsed values, so
text cases of those calls belong to the CLI's suite; export cases are passed as bytes."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import pytest

import adaccess


ROOT = Path(os.environ.get("ADACCESS_ROOT", Path(__file__).resolve().parents[2]))


def _matrix(tmp: Path) -> List[Dict[str, Any]]:
    subprocess.run([sys.executable, str(ROOT / "tests/hostile/make.py"), str(tmp)], check=True,
                   stdout=subprocess.DEVNULL)
    return json.loads((tmp / "manifest.json").read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    tmp = tmp_path_factory.mktemp("hostile")
    return {"dir": tmp, "cases": _matrix(tmp)}


def _deep(kind: str, n: int) -> Any:
    value: Any = 1
    for _ in range(n):
        value = [value] if kind == "array" else {"a": value}
    return value


def test_every_hostile_input_ends_in_a_coded_error_or_a_result(matrix: Dict[str, Any]) -> None:
    engine = adaccess.Engine.builtin("dv360")
    cases = matrix["cases"]
    assert len(cases) >= 30
    failures = []
    ran = 0
    for c in cases:
        if c["op"] != "export" and c["feed"] != "document":
            continue
        data = (matrix["dir"] / c["file"]).read_bytes()
        start = time.perf_counter()
        result: Any = None
        error: Any = None
        try:
            if c["op"] == "export":
                result = engine.audit_export(data, now="2026-11-22")
            else:
                value = _deep(c["deep_kind"], c["deep"]) if c.get("deep") else json.loads(data)
                if c["op"] == "validate":
                    result = engine.validate_user(value)
                elif c["op"] == "assess":
                    result = engine.assess(value)
                else:
                    result = adaccess.Engine(value)
        except Exception as e:  # noqa: BLE001 - the test names what was raised
            error = e
        took = time.perf_counter() - start
        ran += 1
        # A value nested 200,000 deep cannot even be turned into JSON text: InputError.
        want = "input.invalid" if c.get("deep") and c["op"] != "export" else c["expect"].get("error")
        problem = None
        if took > 20:
            problem = f"took {took:.1f} s"
        elif want:
            if not isinstance(error, adaccess.AdaccessError):
                problem = f"expected AdaccessError({want}), got {type(error).__name__}: {error}"
            elif error.code != want:
                problem = f"code {error.code}, expected {want}: {error}"
            elif c["expect"].get("path") and error.path != c["expect"]["path"]:
                problem = f"path {error.path}, expected {c['expect']['path']}"
        elif error is not None:
            problem = f"expected a result, got {type(error).__name__}: {error}"
        elif result is None:
            problem = "no result"
        if problem:
            failures.append(f"{c['name']}: {problem}")
    assert ran >= 25
    assert not failures, "\n".join(failures)
