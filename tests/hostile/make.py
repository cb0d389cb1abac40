"""Writes the hostile-input matrix: one file per case and manifest.json, replayed by the CLI
(cli/tests/hostile.rs), Node (wasm/js/test/hostile.test.mjs) and Python
(python/tests/test_hostile.py). Every case must end in a clear error with the expected code,
or in a result, in bounded time and memory: never a panic, abort or hang.

Usage: python3 tests/hostile/make.py OUT_DIR

Each manifest entry: name; op (validate: a user; assess: a change; profile: a profile
document; export: an export's bytes); file; expect ({"error": code, "path"?} or
{"result": true}); and feed, how the bindings take it: "text" (raw bytes: only the export
readers take those; the document calls take parsed values, so the bindings skip text cases of
other ops, which the CLI covers) or "document" (parsed with the language's JSON reader and
passed as a value). A case with "deep": N is a value nested N deep ("deep_kind": array or
object), which the bindings build in a loop, since their own JSON readers stop far earlier.
"""
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
cases = []

USER = {"id": "u-1", "email": "ana@agency.example", "name": "Ana",
        "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": "standard"}]}
PROFILE = {"id": "p", "name": "P", "version": "1", "levels": ["seat"], "capabilities": [], "roles": []}


def case(name, op, data, expect, feed="text", **extra):
    file = name.replace(" ", "_") + ".in"
    with open(os.path.join(out, file), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    cases.append({"name": name, "op": op, "file": file, "expect": expect, "feed": feed, **extra})


def doc(value):
    return json.dumps(value, ensure_ascii=False)


def wide_user(n):
    return {"id": "u-1", "email": "ana@agency.example", "assignments": [
        {"entity": {"level": "advertiser", "id": str(100000 + k)}, "role": "standard"} for k in range(n)]}


# Documents, malformed as text.
whole = {"validate": USER, "assess": {"actor": USER, "before": USER, "after": USER},
         "profile": PROFILE, "export": [USER]}
syntax = {"validate": "input.syntax", "assess": "input.syntax", "profile": "profile.syntax",
          "export": "ingest.syntax"}
for op, value in whole.items():
    text = doc(value).encode()
    case(f"{op} empty file", op, b"", {"error": "ingest.empty" if op == "export" else syntax[op]})
    case(f"{op} truncated JSON", op, text[: len(text) // 2], {"error": syntax[op]})
    case(f"{op} invalid UTF-8", op, text[:12] + b"\xff\xfe" + text[12:],
         {"error": "ingest.encoding" if op == "export" else "input.syntax"})

# Nesting 200,000 deep.
DEEP = 200_000
for op in ["validate", "assess", "profile", "export"]:
    case(f"{op} 200000-deep arrays", op, "[" * DEEP + "]" * DEEP,
         {"error": {"profile": "profile.shape", "export": "ingest.unknown_format"}.get(op, "input.invalid")},
         feed="document", deep=DEEP, deep_kind="array")
    case(f"{op} 200000-deep objects", op, '{"a":' * DEEP + "1" + "}" * DEEP,
         {"error": {"profile": "profile.shape", "export": "ingest.unknown_format"}.get(op, "input.invalid")},
         feed="document", deep=DEEP, deep_kind="object")

# Wrong top-level types and wrong value types, as documents.
for op, value in [("validate", []), ("validate", 42), ("validate", "user"), ("validate", None),
                  ("assess", []), ("assess", "change"), ("profile", [1, 2])]:
    case(f"{op} top-level {type(value).__name__}", op, doc(value),
         {"error": "input.invalid" if op != "profile" else "profile.shape"}, feed="document")
case("validate number where a string belongs", "validate",
     doc({**USER, "assignments": [{"entity": {"level": "partner", "id": "1"}, "role": 7}]}),
     {"error": "input.invalid", "path": "assignments[0].role"}, feed="document")
case("assess number where a string belongs", "assess",
     doc({"actor": USER, "before": USER, "after": {**USER, "email": 5}}),
     {"error": "input.invalid", "path": "after.email"}, feed="document")

# Large but well-formed: a result, in bounded time.
big = "x" * (20 << 20)
case("validate 20 MB string", "validate", doc({**USER, "name": big}), {"result": True}, feed="document")
case("validate 20 MB email", "validate", doc({**USER, "email": big}), {"result": True}, feed="document")
case("validate 100000 assignments", "validate", doc(wide_user(100_000)), {"result": True}, feed="document")
case("assess 100000 assignments", "assess",
     doc({"actor": USER, "before": wide_user(100_000), "after": wide_user(99_999), "reason": "r"}),
     {"result": True}, feed="document")

# Exports.
case("export csv missing columns", "export", "user_id,email\n1,ana@agency.example\n",
     {"error": "ingest.missing_column"})
case("export csv header only", "export", "user_id,email,name,level,entity_id,role\n", {"result": True})
case("export 20 MB string", "export", doc([{**USER, "name": big}]), {"result": True})
case("export 100000 assignments", "export", doc([wide_user(100_000)]), {"result": True})
case("export wrong top-level type", "export", "42", {"error": "ingest.unknown_format"})

with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(cases, f, indent=1)
print(f"hostile: {len(cases)} cases in {out}")
