"""Errors, batch decisions, frames and the GIL-free calls of the pip package."""

import datetime
import json
import threading

import pytest

import adaccess

USER = {
    "id": "u-1",
    "email": "ana@agency.example",
    "name": "Ana Ruiz",
    "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": "standard"}],
}
P1 = {"level": "partner", "id": "1"}


def test_unknown_builtin_is_a_profile_error():
    with pytest.raises(adaccess.ProfileError) as e:
        adaccess.Engine.builtin("nope")
    assert e.value.code == "profile.unknown"
    assert isinstance(e.value, adaccess.AdaccessError)


def test_wrong_type_names_its_path():
    engine = adaccess.Engine.builtin("dv360")
    after = {**USER, "assignments": USER["assignments"] * 2 + [{"entity": P1, "role": 7}]}
    with pytest.raises(adaccess.InputError) as e:
        engine.assess({"actor": USER, "before": USER, "after": after})
    assert e.value.code == "input.invalid"
    assert e.value.path == "after.assignments[2].role"


def test_unknown_field_is_named():
    engine = adaccess.Engine.builtin("dv360")
    with pytest.raises(adaccess.InputError) as e:
        engine.validate_user({**USER, "elevaton": {}})
    assert e.value.path == "elevaton"


def test_not_json_is_an_input_error():
    engine = adaccess.Engine.builtin("dv360")
    with pytest.raises(adaccess.InputError):
        engine.validate_user({**USER, "name": object()})


def test_bad_profile_lists_problems():
    profile = adaccess.Engine.builtin("dv360").profile()
    profile["roles"][0]["grants"]["xyz"] = "write"
    with pytest.raises(adaccess.ProfileError) as e:
        adaccess.Engine(profile)
    assert e.value.code == "profile.invalid"
    assert any(p["path"] == "roles[0].grants.xyz" for p in e.value.problems)


def test_a_rust_panic_is_an_internal_error_not_a_panic_exception():
    with pytest.raises(adaccess.AdaccessError) as e:
        adaccess._adaccess._panic_for_tests()
    assert e.value.code == "internal"
    assert type(e.value) is adaccess.AdaccessError


def test_can_many_agrees_with_can():
    engine = adaccess.Engine.builtin("dv360")
    requests = [
        {"capability": c, "level": level, "entity": P1}
        for c, level in [("campaigns", "write"), ("billing", "read"), ("users", "view"), ("nope", "x")]
    ]
    batch = engine.can_many(USER, requests)
    single = [engine.can(USER, r["capability"], r["level"], r["entity"]) for r in requests]
    assert batch == single
    assert [d["allowed"] for d in batch] == [True, False, True, False]


def test_allows_many_is_the_answers_of_can_many():
    engine = adaccess.Engine.builtin("dv360")
    requests = [
        {"capability": c, "level": level, "entity": e}
        for c, level in [("campaigns", "write"), ("billing", "read"), ("users", "view"), ("nope", "x")]
        for e in [P1, {"level": "advertiser", "id": "404"}, {"level": "galaxy", "id": "1"}]
    ]
    answers = engine.allows_many(USER, requests)
    assert answers == [d["allowed"] for d in engine.can_many(USER, requests)]
    assert True in answers and False in answers
    with pytest.raises(adaccess.InputError) as e:
        engine.allows_many(USER, [requests[0], {"capability": "campaigns", "level": "write"}])
    assert e.value.code == "input.invalid"
    assert e.value.path == "requests[1]"


def test_audit_releases_the_gil():
    engine = adaccess.Engine.builtin("dv360")
    users = [dict(USER, id=f"u-{n}") for n in range(20000)]
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    report = engine.audit(users, now="2026-11-22")
    stop.set()
    t.join()
    assert report["users"] == 20000
    assert ticks, "the other thread never ran while the audit did"


def test_frames():
    pd = pytest.importorskip("pandas")
    engine = adaccess.Engine.builtin("dv360")
    mixed = {**USER, "assignments": USER["assignments"] + [{"entity": {"level": "advertiser", "id": "9"}, "role": "creative"}]}
    report = engine.audit([USER, mixed], now="2026-11-22")
    frame = report.findings_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(report.findings)
    assert "family.mixed" in set(frame["code"])
    matrix = engine.matrix_frame([USER])
    assert list(matrix["entity"]) == ["partner:1"]
    assert matrix.loc[0, "campaigns"] == "write"


def test_profiles_and_codes():
    assert adaccess.profiles() == ["dv360", "mediamath"]
    assert any(c["code"] == "family.mixed" and c["severity"] == "error" for c in adaccess.codes())


def test_every_public_name_has_a_docstring():
    import inspect

    assert adaccess.__doc__
    missing = []
    for name in adaccess.__all__:
        obj = getattr(adaccess, name)
        if name.startswith("__"):
            continue
        if not inspect.getdoc(obj):
            missing.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") and attr != "__init__":
                    continue
                if callable(member) or isinstance(member, (property, classmethod, staticmethod)):
                    if not inspect.getdoc(getattr(obj, attr)):
                        missing.append(f"{name}.{attr}")
    assert not missing, missing


def test_prepared_user_answers_as_the_document_does() -> None:
    """engine.user(doc) gives the answers of the plain calls, for every cell of a small grid."""
    engine = adaccess.Engine.builtin("dv360")
    doc = {
        "id": "u-9",
        "email": "ana@agency.example",
        "assignments": [
            {"entity": {"level": "partner", "id": "1"}, "role": "read_only"},
            {"entity": {"level": "advertiser", "id": "12"}, "role": "standard"},
        ],
    }
    user = engine.user(doc)
    assert user.id == "u-9"
    cells = [
        (cap["id"], level, {"level": entity_level, "id": entity_id})
        for cap in engine.profile()["capabilities"]
        for level in cap["levels"]
        for entity_level, entity_id in [("partner", "1"), ("advertiser", "12"), ("advertiser", "13"), ("galaxy", "1")]
    ]
    decisions = [engine.can(doc, c, l, e) for c, l, e in cells]
    assert any(d["allowed"] for d in decisions) and not all(d["allowed"] for d in decisions)
    assert [user.can(c, l, e) for c, l, e in cells] == decisions
    assert [user.allows(c, l, e) for c, l, e in cells] == [d["allowed"] for d in decisions]
    requests = [{"capability": c, "level": l, "entity": e} for c, l, e in cells]
    assert user.allows_many(requests) == [d["allowed"] for d in decisions]
    assert user.can_many(requests) == decisions
    assert user.effective() == engine.effective(doc)
    assert user.validate() == engine.validate_user(doc)
    record = {"name": "x", "budget": 10}
    assert user.redact({"level": "advertiser", "id": "12"}, record) == engine.redact(
        doc, {"level": "advertiser", "id": "12"}, record
    )
    # The JSON-text path of the compiled core gives the same decisions as the direct one.
    raw = engine._inner
    assert [json.loads(raw.can(json.dumps(doc), c, l, json.dumps(e))) for c, l, e in cells] == decisions


def test_direct_crossing_keeps_the_error_paths() -> None:
    """A document that does not read as one gets the JSON reader's error, path included."""
    engine = adaccess.Engine.builtin("dv360")
    bad = {"id": "u", "email": "a@b.example", "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": 3}]}
    entity = {"level": "partner", "id": "1"}
    for call in (lambda: engine.can(bad, "campaigns", "read", entity), lambda: engine.user(bad)):
        with pytest.raises(adaccess.InputError) as e:
            call()
        assert e.value.path == "user.assignments[0].role"
    good = {"id": "u", "email": "a@b.example", "assignments": []}
    with pytest.raises(adaccess.InputError) as e:
        engine.user(good).can("campaigns", "read", {"level": "partner"})
    assert e.value.path == "entity"
    with pytest.raises(adaccess.InputError) as e:
        engine.can(good, "campaigns", "read", {"level": "partner", "id": 1})
    assert e.value.path == "entity.id"
    # Values the JSON writer knows how to write (a date) go through it.
    dated = {**good, "last_login": datetime.date(2026, 1, 2)}
    assert engine.can(dated, "campaigns", "read", entity) == engine.can(
        {**good, "last_login": "2026-01-02"}, "campaigns", "read", entity
    )


def test_who_can_among_prepared_users() -> None:
    engine = adaccess.Engine.builtin("dv360")
    docs = [
        {"id": f"u-{n}", "email": f"u{n}@a.example", "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": role}]}
        for n, role in enumerate(["admin", "read_only", "standard"])
    ]
    entity = {"level": "partner", "id": "1"}
    plain = engine.who_can(docs, "campaigns", "write", entity)
    assert [w["user"] for w in plain] == ["u-0", "u-2"]
    assert engine.who_can_among([engine.user(d) for d in docs], "campaigns", "write", entity) == plain
