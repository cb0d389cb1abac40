"""Seeds the fuzz corpora (one folder per target) from the shared vectors and sample data.

Usage: python3 scripts/fuzz-seeds/seed.py fuzz/corpus   (skips a corpus that already has files)
"""
import glob
import hashlib
import json
import os
import sys

out = sys.argv[1]
seeds = {t: [] for t in ["profile", "validate", "assess", "ingest_dv360", "ingest_csv", "ingest_t1"]}


def add(target, data):
    if isinstance(data, (dict, list)):
        data = json.dumps(data, ensure_ascii=False)
    if isinstance(data, str):
        data = data.encode()
    seeds[target].append(data)


for path in sorted(glob.glob("tests/vectors/*.json")):
    vectors = json.load(open(path))
    for v in vectors if isinstance(vectors, list) else [vectors]:
        op, inp = v.get("op"), v.get("input")
        if isinstance(v.get("profile"), dict):
            add("profile", v["profile"])
        if v.get("directory"):
            add("profile", v["directory"])
        if op == "load_profile":
            add("profile", inp)
        elif op in ("validate_user", "effective"):
            add("validate", inp)
        elif op in ("can", "redact"):
            add("validate", inp.get("user"))
        elif op == "assess":
            add("assess", inp)
for path in sorted(glob.glob("core/profiles/*.json")):
    add("profile", open(path, "rb").read())
for path in sorted(glob.glob("tests/data/*directory*.json")) + sorted(glob.glob("tests/data/cli/directory*.json")):
    add("profile", open(path, "rb").read())
for path in sorted(glob.glob("tests/data/cli/user_*.json")):
    add("validate", open(path, "rb").read())
for path in sorted(glob.glob("tests/data/cli/change_*.json")):
    add("assess", open(path, "rb").read())
add("ingest_dv360", open("tests/data/dv360_users_list.json", "rb").read())
add("ingest_csv", open("tests/data/mediamath_users.csv", "rb").read())
add("ingest_t1", open("tests/data/t1_permissions.json", "rb").read())

for target, items in seeds.items():
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    if os.listdir(folder):
        continue
    for data in items:
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    print(f"fuzz: seeded corpus/{target} with {len(items)} inputs")
