"""The access log, drift and reconciliation from Python: the worked example in
examples/reconcile/ (two exports of the sample seat a quarter apart and the quarter's log),
every kind of log source, the log written by append_log, and the errors."""

import datetime
import io
import json
import threading
from pathlib import Path
from typing import Any, Dict, List

import pytest

import adaccess

OLD_DATE = "2026-08-22"
NEW_DATE = "2026-11-22"
PLANTED = [
    ("reconcile.unapproved", "90000013"),
    ("reconcile.unlogged", "90000030"),
    ("reconcile.not_applied", "90000011"),
]


@pytest.fixture
def example(root: Path) -> Path:
    return root / "examples" / "reconcile"


@pytest.fixture
def old(example: Path) -> Path:
    return example / "dv360_users_2026-08-22.json"


@pytest.fixture
def new(root: Path) -> Path:
    return root / "tests" / "data" / "dv360_users_list.json"


@pytest.fixture
def log(example: Path) -> Path:
    return example / "access-log.jsonl"


@pytest.fixture
def changes(example: Path) -> List[Dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((example / "changes").glob("*.json"))]


@pytest.fixture
def engine(root: Path) -> adaccess.Engine:
    directory = json.loads((root / "tests" / "data" / "dv360_directory.json").read_text())
    return adaccess.Engine.builtin("dv360", directory)


def planted(result: adaccess.Reconciliation) -> List[Any]:
    return [(f["code"], f["user"]) for f in result.findings]


# --- the worked example ----------------------------------------------------------------


def test_the_worked_example_finds_exactly_the_three_planted_problems(
    engine: adaccess.Engine, old: Path, new: Path, log: Path
) -> None:
    result = engine.reconcile(old, new, log, old_date=OLD_DATE, new_date=NEW_DATE)
    assert isinstance(result, adaccess.Reconciliation)
    assert isinstance(result, dict)
    assert sorted(planted(result)) == sorted(PLANTED)
    assert result.findings is result["findings"]
    assert result["summary"]["entries"] == 5
    assert result["summary"]["by_code"] == {code: 1 for code, _ in PLANTED}
    # Each drifted user, with the log lines about it and whether they explain its change.
    explained = {c["user"]: (c["lines"], c["explained"]) for c in result["changes"]}
    assert explained["90000003"] == ([1], True)
    assert explained["90000028"] == ([2], True)
    assert explained["90000013"] == ([3], False)
    assert explained["90000030"] == ([], False)
    assert result["summary"]["explained"] == sum(ok for _, ok in explained.values())


def test_the_findings_frame_has_those_rows(
    engine: adaccess.Engine, old: Path, new: Path, log: Path
) -> None:
    pd = pytest.importorskip("pandas")
    result = engine.reconcile(old, new, log, old_date=OLD_DATE, new_date=NEW_DATE)
    frame = result.findings_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["severity", "code", "user", "path", "message", "help"]
    assert sorted(zip(frame["code"], frame["user"])) == sorted(PLANTED)
    assert frame.loc[frame["code"] == "reconcile.unlogged", "severity"].item() == "security"
    summary = result.summary_frame()
    assert sorted(summary["code"]) == sorted(code for code, _ in PLANTED)
    assert list(summary["count"]) == [1, 1, 1]


def test_every_kind_of_source_gives_the_same_reconciliation(
    engine: adaccess.Engine, old: Path, new: Path, log: Path
) -> None:
    expected = engine.reconcile(old, new, log, old_date=OLD_DATE, new_date=NEW_DATE)
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    sources: List[Any] = [
        (str(old), str(new), str(log)),
        (old.read_bytes(), new.read_bytes(), log.read_bytes()),
        (json.loads(old.read_text()), json.loads(new.read_text()), entries),
        (io.BytesIO(old.read_bytes()), io.StringIO(new.read_text()), io.BytesIO(log.read_bytes())),
        (old, new, io.StringIO(log.read_text())),
        (old, new, tuple(entries)),
    ]
    for o, n, lg in sources:
        got = engine.reconcile(
            o, n, lg, old_date=datetime.date(2026, 8, 22), new_date=datetime.date(2026, 11, 22)
        )
        assert got == expected
    aware = datetime.datetime(2026, 11, 22, 18, 0, tzinfo=datetime.timezone.utc)
    at_six = engine.reconcile(old, new, log, old_date=OLD_DATE, new_date=aware)
    assert at_six.findings == expected.findings
    assert at_six["summary"] == expected["summary"]


def test_a_log_passed_as_a_list_of_dicts_works(
    engine: adaccess.Engine, old: Path, new: Path, log: Path
) -> None:
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    result = engine.reconcile(old, new, entries, old_date=OLD_DATE, new_date=NEW_DATE)
    assert sorted(planted(result)) == sorted(PLANTED)
    # Without Maya's entry, her change is unlogged rather than unapproved.
    without = [e for e in entries if e["user_id"] != "90000013"]
    result = engine.reconcile(old, new, without, old_date=OLD_DATE, new_date=NEW_DATE)
    assert ("reconcile.unlogged", "90000013") in planted(result)
    assert ("reconcile.unapproved", "90000013") not in planted(result)
    # An empty log explains nothing.
    result = engine.reconcile(old, new, [], old_date=OLD_DATE, new_date=NEW_DATE)
    assert result["summary"]["entries"] == 0
    assert result["summary"]["explained"] == 0


def test_drift_lists_the_quarters_changes(engine: adaccess.Engine, old: Path, new: Path) -> None:
    drift = engine.drift(old, new, now=NEW_DATE)
    summary = drift["summary"]
    assert summary["old"] + summary["added"] - summary["removed"] == summary["new"]
    assert summary["changed"] + summary["unchanged"] + summary["removed"] == summary["old"]
    kinds = {c["user"]: c["kind"] for c in drift["changes"]}
    assert kinds["90000028"] == "added"
    assert kinds["90000013"] == "changed"
    # The same drift from parsed documents and bytes, and the reconciliation carries it.
    assert engine.drift(json.loads(old.read_text()), new.read_bytes(), now=NEW_DATE) == drift
    assert engine.drift(new, new)["changes"] == []


def test_drift_and_reconcile_release_the_gil(
    engine: adaccess.Engine, old: Path, new: Path, log: Path
) -> None:
    ticks = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.0005)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        for _ in range(20):
            engine.drift(old, new)
            engine.reconcile(old, new, log, old_date=OLD_DATE, new_date=NEW_DATE)
    finally:
        stop.set()
        t.join()
    assert ticks


# --- the log, written and verified -----------------------------------------------------


def test_append_log_reproduces_the_example_log_byte_for_byte(
    engine: adaccess.Engine, changes: List[Dict[str, Any]], log: Path, tmp_path: Path
) -> None:
    assert len(changes) == 5
    out = tmp_path / "access-log.jsonl"
    written = [engine.append_log(out, change) for change in changes]
    assert out.read_bytes() == log.read_bytes()
    # What append_log returns is the line it wrote.
    lines = out.read_text().splitlines()
    assert [json.loads(line) for line in lines] == written
    assert "prev" not in written[0]
    assert all(w["prev"].startswith("sha256:") for w in written[1:])
    verified = adaccess.verify_log(out)
    assert verified["ok"] is True
    assert verified["entries"] == 5
    assert verified == adaccess.verify_log(log)
    assert verified == adaccess.verify_log(str(out))
    assert verified == adaccess.verify_log(out.read_bytes())
    with out.open("rb") as f:
        assert verified == adaccess.verify_log(f)
    with out.open("r", encoding="utf-8") as f:
        assert verified == adaccess.verify_log(f)
    # The head kept from this verification is found after another append.
    engine.append_log(str(out), changes[0])
    later = adaccess.verify_log(out, head=verified["head"])
    assert later["ok"] is True and later["entries"] == 6


def test_log_entry_is_the_entry_append_log_writes_without_prev(
    engine: adaccess.Engine, changes: List[Dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "log.jsonl"
    entries = [engine.log_entry(c) for c in changes]
    written = [engine.append_log(out, c) for c in changes]
    assert [{k: v for k, v in w.items() if k != "prev"} for w in written] == entries
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)


def test_the_clock_dates_a_change_without_now(
    engine: adaccess.Engine, changes: List[Dict[str, Any]], tmp_path: Path
) -> None:
    change = {k: v for k, v in changes[0].items() if k != "now"}
    assert engine.log_entry(change, clock="2026-09-10T08:00:00Z")["date"] == "2026-09-10"
    assert engine.log_entry(change, clock=datetime.date(2026, 9, 11))["date"] == "2026-09-11"
    today = datetime.datetime.now(datetime.timezone.utc).date()
    dated = engine.log_entry(change)["date"]
    assert dated in {today.isoformat(), (today + datetime.timedelta(days=1)).isoformat()}
    # The change's own date wins over the clock.
    assert engine.log_entry(changes[0], clock="2030-01-01")["date"] == changes[0]["now"][:10]
    out = tmp_path / "log.jsonl"
    assert engine.append_log(out, change, clock="2026-09-12")["date"] == "2026-09-12"
    with pytest.raises(adaccess.InputError) as e:
        engine.log_entry(change, clock="yesterday")
    assert e.value.code == "input.invalid"
    assert e.value.path == "clock"


def test_a_refused_change_writes_nothing(
    engine: adaccess.Engine, changes: List[Dict[str, Any]], tmp_path: Path
) -> None:
    bad = json.loads(json.dumps(changes[2]))
    bad["after"]["assignments"].append(
        {"entity": {"level": "advertiser", "id": "2200021"}, "role": "creative"}
    )
    assert not engine.assess(bad)["ok"]
    out = tmp_path / "log.jsonl"
    with pytest.raises(adaccess.InputError) as e:
        engine.append_log(out, bad)
    assert e.value.code == "log.refused"
    assert not out.exists()
    engine.append_log(out, changes[0])
    before = out.read_bytes()
    with pytest.raises(adaccess.AdaccessError) as e2:
        engine.append_log(out, bad)
    assert e2.value.code == "log.refused"
    assert out.read_bytes() == before
    with pytest.raises(adaccess.InputError) as e3:
        engine.log_entry(bad)
    assert e3.value.code == "log.refused"


def test_appending_to_a_log_without_a_final_line_break(
    engine: adaccess.Engine, changes: List[Dict[str, Any]], log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "log.jsonl"
    text = log.read_bytes()
    first_two = b"".join(text.splitlines(keepends=True)[:2])
    out.write_bytes(first_two.rstrip(b"\n"))
    for change in changes[2:]:
        engine.append_log(out, change)
    assert out.read_bytes() == text


def test_a_tampered_log_is_found(log: Path, tmp_path: Path) -> None:
    text = log.read_text()
    edited = text.replace("Chiara takes over", "Chiara took over", 1)
    broken = adaccess.verify_log(edited.encode())
    assert broken["ok"] is False
    assert broken["entries"] == 1
    assert broken["broken"]["line"] == 2
    assert broken["broken"]["code"] == "log.chain_broken"
    head = adaccess.verify_log(log)["head"]
    shorter = "".join(text.splitlines(keepends=True)[:4]).encode()
    missing = adaccess.verify_log(shorter, head=head)
    assert missing["ok"] is False
    assert missing["broken"]["code"] == "log.head_missing"


# --- errors ----------------------------------------------------------------------------


def test_a_bad_log_line_is_an_input_error_naming_its_line(
    engine: adaccess.Engine, old: Path, new: Path, log: Path, tmp_path: Path
) -> None:
    lines = log.read_text().splitlines(keepends=True)
    entry = json.loads(lines[2])
    entry["action"] = 7
    lines[2] = json.dumps(entry) + "\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines))
    with pytest.raises(adaccess.InputError) as e:
        engine.reconcile(old, new, bad, old_date=OLD_DATE, new_date=NEW_DATE)
    assert e.value.code == "log.line"
    assert e.value.path == "line[3].action"
    # Not JSON at all, and the same through a list of entries.
    with pytest.raises(adaccess.InputError) as e:
        engine.reconcile(old, new, lines[0].encode() + b"not json\n")
    assert e.value.code == "log.line"
    assert e.value.path is not None and e.value.path.startswith("line[2]")
    entries: List[Any] = [json.loads(line) for line in log.read_text().splitlines()]
    entries[3]["approvals"] = "none"
    with pytest.raises(adaccess.InputError) as e:
        engine.reconcile(old, new, entries)
    assert e.value.code == "log.line"
    assert e.value.path == "line[4].approvals"
    with pytest.raises(adaccess.InputError) as e:
        engine.reconcile(old, new, [{"date": object()}])
    assert e.value.code == "log.line"
    assert e.value.path == "line[1]"


def test_an_undated_entry_is_an_error(
    engine: adaccess.Engine, old: Path, new: Path, log: Path
) -> None:
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    del entries[1]["date"]
    with pytest.raises(adaccess.InputError) as e:
        engine.reconcile(old, new, entries)
    assert e.value.code == "log.undated"
    assert e.value.path == "line[2].date"


def test_an_unreadable_export_names_its_side(
    engine: adaccess.Engine, old: Path, log: Path
) -> None:
    page = json.loads(old.read_text())
    page[0]["users"][1]["assignedUserRoles"][0]["userRole"] = "EMPEROR"
    for call in (
        lambda: engine.drift(old, page),
        lambda: engine.reconcile(old, page, log),
    ):
        with pytest.raises(adaccess.InputError) as e:
            call()
        assert e.value.path is not None and e.value.path.startswith("new[0].users[1]"), e.value
    with pytest.raises(adaccess.InputError) as e:
        engine.drift(page, old)
    assert e.value.path is not None and e.value.path.startswith("old[0].users[1]")


def test_files_that_cannot_be_opened_are_oserrors(
    engine: adaccess.Engine, old: Path, new: Path, changes: List[Dict[str, Any]], tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError):
        engine.reconcile(old, new, tmp_path / "nope.jsonl")
    with pytest.raises(FileNotFoundError):
        engine.drift(tmp_path / "nope.json", new)
    with pytest.raises(FileNotFoundError):
        adaccess.verify_log(str(tmp_path / "nope.jsonl"))
    with pytest.raises(OSError):
        engine.append_log(tmp_path / "no-such-dir" / "log.jsonl", changes[0])
    with pytest.raises(IsADirectoryError):
        engine.append_log(tmp_path, changes[0])


def test_a_log_that_is_not_utf8_is_an_input_error(
    engine: adaccess.Engine, old: Path, new: Path, changes: List[Dict[str, Any]], tmp_path: Path
) -> None:
    with pytest.raises(adaccess.InputError) as e:
        engine.reconcile(old, new, b'{"a": "\xff"}\n')
    assert e.value.code == "log.encoding"
    with pytest.raises(adaccess.InputError) as e:
        adaccess.verify_log(b"\xff\n")
    assert e.value.code == "log.encoding"
    out = tmp_path / "log.jsonl"
    out.write_bytes(b"\xff\n")
    with pytest.raises(adaccess.InputError):
        engine.append_log(out, changes[0])
    assert out.read_bytes() == b"\xff\n"


def test_log_sources_that_are_not_logs_are_type_errors(
    engine: adaccess.Engine, old: Path, new: Path
) -> None:
    with pytest.raises(TypeError):
        engine.reconcile(old, new, 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.reconcile(old, new, {"user_id": "u-1"})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        adaccess.verify_log([{"user_id": "u-1"}])  # type: ignore[arg-type]


def test_bad_dates_name_their_option(engine: adaccess.Engine, old: Path, new: Path, log: Path) -> None:
    with pytest.raises(adaccess.InputError) as e:
        engine.reconcile(old, new, log, old_date="last quarter")
    assert e.value.path == "options.old_date"
    with pytest.raises(adaccess.InputError) as e:
        engine.drift(old, new, now="soon")
    assert e.value.path == "now"
