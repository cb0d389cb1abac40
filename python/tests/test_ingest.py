"""Reading exports from Python: every format, every kind of source, errors, and the GIL-free
audit_export."""

import io
import json
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

import adaccess

NOW = "2026-11-22"


@pytest.fixture
def data(root: Path) -> Path:
    return root / "tests" / "data"


@pytest.fixture
def directory(data: Path) -> Dict[str, Any]:
    return json.loads((data / "dv360_directory.json").read_text())  # type: ignore[no-any-return]


# --- each format -----------------------------------------------------------------------


def test_read_dv360_users_from_a_path(data: Path) -> None:
    users = adaccess.read_dv360_users(data / "dv360_users_list.json")
    assert len(users) == 30
    assert sum(len(u["assignments"]) for u in users) == 42
    jonas = next(u for u in users if u["id"] == "90000010")
    assert {a["role"] for a in jonas["assignments"]} == {"standard", "creative"}
    assert jonas["email"]


def test_read_csv(data: Path) -> None:
    users = adaccess.read_csv(data / "mediamath_users.csv", profile="mediamath")
    assert len(users) == 10
    assert sum(len(u["assignments"]) for u in users) == 15
    m105 = next(u for u in users if u["id"] == "m-105")
    assert [a["entity"]["id"] for a in m105["assignments"]] == ["3101", "3202"]


@pytest.mark.parametrize(
    "file, profile, fmt, users, has_directory",
    [
        ("dv360_users_list.json", "dv360", "dv360_users_list", 30, False),
        ("mediamath_users.csv", "mediamath", "csv", 10, False),
        ("t1_permissions.json", "mediamath", "t1_permissions", 3, True),
    ],
)
def test_read_export_detects_each_format(
    data: Path, file: str, profile: str, fmt: str, users: int, has_directory: bool
) -> None:
    export = adaccess.read_export(data / file, profile=profile)
    assert export["format"] == fmt
    assert len(export["users"]) == users
    assert (export["directory"] is not None) == has_directory
    # The engine's method reads with the engine's profile and agrees.
    assert adaccess.Engine.builtin(profile).read_export(data / file) == export


def test_read_export_of_a_users_array(data: Path) -> None:
    users = adaccess.read_dv360_users(data / "dv360_users_list.json")
    export = adaccess.read_export(json.dumps(users).encode())
    assert export == {"format": "users", "users": users, "directory": None}


def test_t1_directory_lists_the_tree(data: Path) -> None:
    export = adaccess.read_export(data / "t1_permissions.json", profile="mediamath")
    ids = {(e["level"], e["id"]) for e in export["directory"]["entities"]}
    assert ("organization", "100") in ids and ("advertiser", "3202") in ids


def test_the_profile_can_be_an_engine_or_a_document(data: Path) -> None:
    path = data / "mediamath_users.csv"
    by_id = adaccess.read_csv(path, profile="mediamath")
    engine = adaccess.Engine.builtin("mediamath")
    assert adaccess.read_csv(path, profile=engine) == by_id
    assert adaccess.read_csv(path, profile=engine.profile()) == by_id


# --- path vs bytes vs object -----------------------------------------------------------


def test_every_kind_of_source_reads_the_same(data: Path) -> None:
    path = data / "dv360_users_list.json"
    expected = adaccess.read_dv360_users(path)
    raw = path.read_bytes()
    pages = json.loads(raw)
    bare = [u for page in pages for u in page["users"]]
    sources: List[Any] = [
        str(path),  # str path
        path,  # os.PathLike
        raw,  # bytes
        bytearray(raw),
        memoryview(raw),
        pages,  # a list of pages
        bare,  # a list of DV360 users
        io.BytesIO(raw),  # binary file
        io.StringIO(raw.decode()),  # text file
    ]
    for source in sources:
        assert adaccess.read_dv360_users(source) == expected, type(source).__name__
    with open(path, "rb") as f:
        assert adaccess.read_export(f)["users"] == expected


def test_one_parsed_page(data: Path) -> None:
    pages = json.loads((data / "dv360_users_list.json").read_text())
    first = adaccess.read_dv360_users(pages[0])
    assert [u["id"] for u in first] == [u["userId"] for u in pages[0]["users"]]


def test_csv_bytes_and_path_agree(data: Path) -> None:
    path = data / "mediamath_users.csv"
    assert adaccess.read_csv(path.read_bytes(), "mediamath") == adaccess.read_csv(
        str(path), "mediamath"
    )


def test_a_source_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        adaccess.read_export(42)  # type: ignore[arg-type]


# --- errors -----------------------------------------------------------------------------


def _bad_page(data: Path) -> Dict[str, Any]:
    pages = json.loads((data / "dv360_users_list.json").read_text())
    pages[1]["users"][3]["assignedUserRoles"][0]["userRole"] = "SUPREME_LEADER"
    return pages  # type: ignore[return-value]


def test_unknown_role_names_its_path_in_a_file(tmp_path: Path, data: Path) -> None:
    bad = tmp_path / "users.json"
    bad.write_text(json.dumps(_bad_page(data)))
    for call in (
        lambda: adaccess.read_dv360_users(bad),
        lambda: adaccess.read_export(bad),
        lambda: adaccess.Engine.builtin("dv360").audit_export(bad, now=NOW),
    ):
        with pytest.raises(adaccess.InputError) as e:
            call()
        assert e.value.code == "ingest.unknown_role"
        assert e.value.path == "[1].users[3].assignedUserRoles[0].userRole"
        assert "SUPREME_LEADER" in str(e.value)


def test_unknown_role_from_an_object(data: Path) -> None:
    with pytest.raises(adaccess.InputError) as e:
        adaccess.read_dv360_users(_bad_page(data))
    assert e.value.path == "[1].users[3].assignedUserRoles[0].userRole"


def test_malformed_json(tmp_path: Path) -> None:
    bad = tmp_path / "users.json"
    bad.write_text('{"users": [{"userId": "1", "email": }]}')
    with pytest.raises(adaccess.InputError) as e:
        adaccess.read_export(bad)
    assert e.value.code == "ingest.syntax"
    assert "line 1" in e.value.message


def test_csv_error_names_row_and_column(tmp_path: Path, data: Path) -> None:
    lines = (data / "mediamath_users.csv").read_text().splitlines()
    lines[3] = lines[3].replace("agency,210", "planet,210")
    bad = tmp_path / "users.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(adaccess.InputError) as e:
        adaccess.read_csv(bad, "mediamath")
    assert e.value.code.startswith("ingest.")
    assert e.value.path is not None and e.value.path.startswith("row[4].")


def test_csv_missing_column() -> None:
    with pytest.raises(adaccess.InputError) as e:
        adaccess.read_csv(b"user_id,email,name,level,entity_id\nu,a@b.example,A,partner,1\n")
    assert e.value.code == "ingest.missing_column"


def test_not_utf8() -> None:
    for read in (adaccess.read_export, adaccess.read_dv360_users, adaccess.read_csv):
        with pytest.raises(adaccess.InputError) as e:
            read(b'[{"users": [{"userId": "\xff"}]}]')
        assert e.value.code == "ingest.encoding", read.__name__


def test_empty_and_unknown_format() -> None:
    with pytest.raises(adaccess.InputError) as e:
        adaccess.read_export(b"  \n")
    assert e.value.code == "ingest.empty"
    with pytest.raises(adaccess.InputError) as e:
        adaccess.read_export(b"hello, world\n")
    assert e.value.code == "ingest.unknown_format"


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    for call in (
        lambda: adaccess.read_export(missing),
        lambda: adaccess.read_csv(missing),
        lambda: adaccess.Engine.builtin("dv360").audit_export(str(missing)),
    ):
        with pytest.raises(FileNotFoundError) as e:
            call()
        assert e.value.filename == str(missing)
    with pytest.raises(IsADirectoryError):
        adaccess.read_export(tmp_path)


def test_unknown_builtin_profile() -> None:
    with pytest.raises(adaccess.ProfileError):
        adaccess.read_export(b"[]", profile="nope")


# --- audit_export ------------------------------------------------------------------------


def test_audit_export_agrees_with_read_then_audit(data: Path, directory: Dict[str, Any]) -> None:
    engine = adaccess.Engine.builtin("dv360", directory)
    path = data / "dv360_users_list.json"
    fast = engine.audit_export(path, now=NOW)
    slow = engine.audit(engine.read_export(path)["users"], now=NOW)
    assert isinstance(fast, adaccess.Report)
    assert fast == slow
    assert {f["code"] for f in fast.findings} >= {
        "family.mixed",
        "entity.parent_and_child",
        "entity.duplicate",
        "user.dormant",
        "role.level_not_allowed",
    }
    assert engine.audit_export(path.read_bytes(), now=NOW) == fast
    assert engine.audit_export(json.loads(path.read_text()), now=NOW) == fast


def test_audit_export_options(data: Path, directory: Dict[str, Any]) -> None:
    engine = adaccess.Engine.builtin("dv360", directory)
    path = data / "dv360_users_list.json"
    default = engine.audit_export(path, now=NOW)
    assert "user.dormant" in default["summary"]["by_code"]
    lenient = engine.audit_export(path, now=NOW, dormant_days=400)
    assert "user.dormant" not in lenient["summary"]["by_code"]
    with pytest.raises(adaccess.InputError) as e:
        engine.audit_export(path, now="yesterday")
    assert e.value.path is not None and e.value.path.startswith("options")


def test_audit_export_uses_the_exports_directory_when_the_engine_has_none(data: Path) -> None:
    path = data / "t1_permissions.json"
    directory = json.loads((data / "mediamath_directory.json").read_text())
    without = adaccess.Engine.builtin("mediamath").audit_export(path, now=NOW)
    with_dir = adaccess.Engine.builtin("mediamath", directory).audit_export(path, now=NOW)
    assert without == with_dir
    assert "directory.missing" not in without["summary"]["by_code"]


def _big_export(users: int) -> bytes:
    page = {
        "users": [
            {
                "userId": str(90_000_000 + n),
                "email": f"user{n}@seat.example",
                "displayName": f"User {n}",
                "assignedUserRoles": [
                    {"partnerId": "1100001", "userRole": "STANDARD"},
                    {"advertiserId": str(2_200_000 + n % 50), "userRole": "READ_ONLY"},
                ],
                "lastLoginTime": "2026-11-20T08:41:12Z",
            }
            for n in range(users)
        ]
    }
    return json.dumps(page).encode()


def _ticks_during(call: Callable[[], object]) -> int:
    """How many times another Python thread ran while ``call`` ran."""
    ticks: List[float] = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            stop.wait(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.01)
    start = time.perf_counter()
    call()
    end = time.perf_counter()
    stop.set()
    t.join()
    return len([x for x in ticks if start < x < end])


@pytest.mark.parametrize("method", ["audit_export", "read_export", "read_dv360_users"])
def test_file_calls_release_the_gil(tmp_path: Path, method: str) -> None:
    # The compiled method itself (no json.loads afterwards, which holds the GIL and lets
    # other threads in only at switch intervals): a tick inside it means the GIL was free.
    path = tmp_path / "big.json"
    path.write_bytes(_big_export(40_000))
    inner = adaccess.Engine.builtin("dv360")._inner
    ticks = _ticks_during(lambda: getattr(inner, method)(str(path)))
    assert ticks >= 5, f"the other thread ran {ticks} times during {method}"
