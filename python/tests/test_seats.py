"""Many seats in one call: adaccess.find_seats and adaccess.audit_seats, against the
installed wheel. Each seat's report must be the one Engine.audit_export gives for it alone."""

import shutil
from pathlib import Path

import pytest

import adaccess

NOW = "2026-11-22"


@pytest.fixture
def seats(root: Path, tmp_path: Path) -> Path:
    data = root / "tests" / "data"
    shutil.copy(data / "dv360_users_list.json", tmp_path / "north.json")
    shutil.copy(data / "dv360_directory.json", tmp_path / "north.directory.json")
    shutil.copy(data / "dv360_users_list.json", tmp_path / "south.json")
    shutil.copy(data / "t1_permissions.json", tmp_path / "mm.json")
    return tmp_path


def test_find_seats_names_each_export_with_its_directory(seats: Path) -> None:
    found = adaccess.find_seats(seats)
    assert [s["seat"] for s in found] == ["mm", "north", "south"]
    north = found[1]
    assert north["export"] == str(seats / "north.json")
    assert north["directory"] == str(seats / "north.directory.json")
    assert "directory" not in found[2]
    assert adaccess.find_seats([str(seats / "south.json")])[0]["seat"] == "south"
    assert [s["seat"] for s in adaccess.find_seats(str(seats / "*.json"))] == ["mm", "north", "south"]


def test_each_seat_is_answered_as_alone(seats: Path) -> None:
    result = adaccess.audit_seats(seats, now=NOW)
    assert isinstance(result, adaccess.SeatsReport)
    reports = result.reports
    assert set(reports) == {"mm", "north", "south"}
    north = adaccess.Engine.builtin("dv360", directory=_json(seats / "north.directory.json"))
    assert reports["north"] == north.audit_export(seats / "north.json", now=NOW)
    assert reports["south"] == adaccess.Engine.builtin("dv360").audit_export(seats / "south.json", now=NOW)
    assert reports["mm"] == adaccess.Engine.builtin("mediamath").audit_export(seats / "mm.json", now=NOW)
    assert reports["north"] != reports["south"], "the directory beside north is used"
    assert result["summary"]["users"] == sum(r["users"] for r in reports.values())
    assert result.failed == []


def test_frames_carry_the_seat(seats: Path) -> None:
    pytest.importorskip("pandas")
    result = adaccess.audit_seats(seats, now=NOW)
    frame = result.findings_frame()
    assert list(frame.columns)[0] == "seat"
    assert len(frame) == sum(len(s["report"]["findings"]) for s in result["seats"])
    for seat, n in frame.groupby("seat").size().items():
        assert n == len(result.reports[seat]["findings"])
    summary = result.summary_frame()
    assert list(summary["seat"]) == ["mm", "north", "south"]
    assert list(summary["profile"]) == ["mediamath", "dv360", "dv360"]
    assert summary["error"].sum() == result["summary"]["by_severity"]["error"]


def test_a_broken_seat_is_listed_and_the_others_reviewed(seats: Path) -> None:
    (seats / "broken.json").write_text('[{"users": [')
    result = adaccess.audit_seats(seats, now=NOW)
    assert [f["seat"] for f in result.failed] == ["broken"]
    assert result.failed[0]["error"]["code"] == "ingest.syntax"
    assert len(result["seats"]) == 3


def test_the_profile_given_is_every_seats(seats: Path) -> None:
    (seats / "mm.json").unlink()
    result = adaccess.audit_seats(seats, now=NOW, profile="mediamath")
    assert {s["profile"] for s in result["seats"]} | {"mediamath"} == {"mediamath"}
    assert len(result["seats"]) + len(result.failed) == 2


def test_seat_errors_have_codes_and_paths(seats: Path) -> None:
    with pytest.raises(adaccess.InputError) as e:
        adaccess.audit_seats(seats / "nothing-*.json")
    assert e.value.code == "seats.not_found"
    (seats / "seats.json").write_text('{"seats": [{"export": "north.json"}, {"export": 3}]}')
    with pytest.raises(adaccess.InputError) as e:
        adaccess.find_seats(seats)
    assert e.value.code == "seats.manifest"
    assert e.value.path == "seats[1].export"
    with pytest.raises(TypeError):
        adaccess.find_seats([3])  # type: ignore[list-item]


def _json(path: Path) -> dict:
    import json

    return json.loads(path.read_text())  # type: ignore[no-any-return]
