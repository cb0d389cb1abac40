"""adaccess.dask on a real cluster: a distributed.LocalCluster of two worker processes audits
generated seats (gen-seats), one task per seat, and gives the serial answer of
adaccess.audit_seats; without dask installed, a clear ImportError names the extra.

The seats come from the folder in ADACCESS_TEST_SEATS (scripts/test-python writes it); when
that is unset, the test writes them with the generator itself (cargo, from ADACCESS_ROOT)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import adaccess
import adaccess.dask

NOW = "2026-11-22"
EXTRA = "adaccess.dask needs the dask extra: pip install 'adaccess[dask]'"
# The generator's arguments when the test writes the seats itself (scripts/test-python uses
# the same).
GEN_ARGS = ["--seats", "8", "--users", "600", "--mediamath", "0.25"]


@pytest.fixture(scope="module")
def seats(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("ADACCESS_TEST_SEATS")
    if folder:
        path = Path(folder)
        assert (path / "seats.json").is_file(), f"ADACCESS_TEST_SEATS={folder} has no seats.json"
        return path
    root = Path(os.environ.get("ADACCESS_ROOT", Path(__file__).resolve().parents[2]))
    out = tmp_path_factory.mktemp("seats")
    subprocess.run(
        ["cargo", "run", "--release", "--quiet", "-p", "adaccess-bench", "--bin", "gen-seats", "--"]
        + ["--out", str(out)]
        + GEN_ARGS,
        cwd=root,
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=40,  # logging.ERROR
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def rows(frame: Any) -> List[Tuple[Optional[str], ...]]:
    """The frame's rows as tuples of str or None (whatever the dtypes), sorted by seat,
    severity, code, user, path and message."""
    assert list(frame.columns)[0] == "seat"
    plain = frame.astype(object).where(frame.notna(), None).reset_index(drop=True)
    out = [
        tuple(None if v is None else str(v) for v in row) for row in plain.itertuples(index=False)
    ]
    at = {c: i for i, c in enumerate(frame.columns)}
    keys = ["seat", "severity", "code", "user", "path", "message"]
    return sorted(out, key=lambda r: tuple(r[at[k]] or "" for k in keys))


def audit_keys(events: List[Dict[str, Any]]) -> Dict[str, str]:
    """The seat audits of a task stream: key -> worker address."""
    return {
        str(e["key"]): e["worker"]
        for e in events
        if re.fullmatch(r"adaccess-audit-.+-[0-9a-f]{12}", str(e["key"]))
        and e.get("status", "OK") == "OK"
    }


def seat_of(key: str) -> str:
    match = re.fullmatch(r"adaccess-audit-(.+)-[0-9a-f]{12}", key)
    assert match, key
    return match.group(1)


def test_the_cluster_gives_the_serial_answer(seats: Path, client: Any) -> None:
    from distributed import get_task_stream

    found = adaccess.find_seats(seats)
    assert len(found) >= 6
    with get_task_stream(client) as stream:
        frame = adaccess.dask.audit_seats(seats, client, now=NOW)
        assert frame.npartitions == len(found)
        result = frame.compute()
    serial = adaccess.audit_seats(seats, now=NOW).findings_frame()

    assert list(result.columns) == list(serial.columns)
    assert len(result) == len(serial) > 0
    assert rows(result) == rows(serial)
    # The lazy frame's dtypes (its meta) are those of what it computes to.
    assert dict(result.dtypes) == dict(frame.dtypes)

    # One task per seat, run on the two worker processes, not in this one.
    ran = audit_keys(stream.data)
    assert sorted(seat_of(k) for k in ran) == sorted(s["seat"] for s in found)
    workers = set(client.scheduler_info()["workers"])
    assert set(ran.values()) == workers and len(workers) == 2


def test_the_planted_mistakes_are_found(seats: Path, client: Any) -> None:
    frame = adaccess.dask.audit_seats(seats, client, now=NOW)
    found = frame[["seat", "code", "user"]].compute()
    pairs = {(s, c, u) for s, c, u in found.itertuples(index=False) if isinstance(u, str)}
    planted = json.loads((seats / "planted.json").read_text())
    n = 0
    for seat, codes in planted.items():
        for code, ids in codes.items():
            if code == "admin.none":
                continue  # about an entity, not a user
            for user in ids:
                assert (seat, code, user) in pairs, (seat, code, user)
                n += 1
    assert n > 0


def test_without_a_client_the_default_one_runs_it(seats: Path, client: Any) -> None:
    from distributed import get_task_stream

    found = adaccess.find_seats(seats)[:3]
    with get_task_stream(client) as stream:
        frame = adaccess.dask.audit_seats(found, now=NOW, dormant_days=30)
        assert frame.npartitions == 3
        result = frame.compute()
    serial = adaccess.audit_seats(found, now=NOW, dormant_days=30).findings_frame()
    assert rows(result) == rows(serial)
    assert sorted(seat_of(k) for k in audit_keys(stream.data)) == sorted(s["seat"] for s in found)


def test_a_seat_that_cannot_be_read_fails_the_frame_unless_skipped(
    seats: Path, client: Any, tmp_path: Path
) -> None:
    for name in ("dv360-001.json", "dv360-001.directory.json"):
        (tmp_path / name).write_bytes((seats / name).read_bytes())
    (tmp_path / "broken.json").write_text('[{"users": [')
    found = adaccess.find_seats(tmp_path)
    assert sorted(s["seat"] for s in found) == ["broken", "dv360-001"]

    frame = adaccess.dask.audit_seats(tmp_path, client, now=NOW)
    with pytest.raises(adaccess.InputError, match="seat broken"):
        frame.compute()

    skipped = adaccess.dask.audit_seats(tmp_path, client, now=NOW, skip_failed=True).compute()
    serial = adaccess.audit_seats(tmp_path, now=NOW)
    assert [f["seat"] for f in serial.failed] == ["broken"]
    assert set(skipped["seat"]) == {"dv360-001"}
    assert rows(skipped) == rows(serial.findings_frame())


def test_without_dask_the_error_names_the_extra(
    seats: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("dask", "dask.dataframe", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=re.escape(EXTRA)):
        adaccess.dask.audit_seats(seats, now=NOW)


def test_importing_the_module_needs_no_dask() -> None:
    code = (
        "import sys\n"
        "sys.modules['dask'] = None\n"
        "import adaccess.dask\n"
        "try:\n"
        "    adaccess.dask.audit_seats('nowhere')\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == EXTRA
