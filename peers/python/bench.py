"""adaccess vs cedarpy vs pycasbin on the same decisions (scripts/bench writes the workload).

Usage: python peers/python/bench.py WORKLOAD_DIR

Every engine's answers are checked against the recorded ones before any time is reported.
Prints one JSON line per measurement: {"lang": "python", "what", "decisions", "seconds",
"per_decision_us"}.
"""

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import adaccess
import casbin
import cedarpy

work = Path(sys.argv[1])
decisions = json.loads((work / "decisions.json").read_text())
users = json.loads((work / "users.json").read_text())
directory = json.loads((work / "directory.json").read_text())
policies = (work / "cedar.policies").read_text()
entities = json.loads((work / "cedar_entities.json").read_text())
expected = [d["allowed"] for d in decisions]
n = len(decisions)


def report(what, seconds, answers, count=n):
    mismatches = sum(1 for a, e in zip(answers, expected) if a != e)
    if mismatches:
        sys.exit(f"{what}: {mismatches} of {count} answers differ from adaccess's recorded ones")
    print(json.dumps({"lang": "python", "what": what, "decisions": count, "seconds": round(seconds, 4),
                      "per_decision_us": round(seconds / count * 1e6, 3)}), flush=True)


engine = adaccess.Engine.builtin("dv360", directory)

# adaccess, batch per user (the requests are built before timing, as cedarpy's are).
by_user = defaultdict(list)
for i, d in enumerate(decisions):
    by_user[d["user"]].append(i)
batches = [(u, idx, [{"capability": decisions[i]["capability"], "level": decisions[i]["level"],
                      "entity": decisions[i]["entity"]} for i in idx]) for u, idx in by_user.items()]
for method, what in [("allows_many", "adaccess allows_many (answers only, batched per user)"),
                     ("can_many", "adaccess can_many (with explanations, batched per user)")]:
    answers = [None] * n
    start = time.perf_counter()
    for u, idx, reqs in batches:
        out = getattr(engine, method)(users[u], reqs)
        for i, r in zip(idx, out):
            answers[i] = r if isinstance(r, bool) else r["allowed"]
    report(what, time.perf_counter() - start, answers)

# adaccess, one call per decision.
sample = 20_000
start = time.perf_counter()
answers = [engine.can(users[d["user"]], d["capability"], d["level"], d["entity"])["allowed"] for d in decisions[:sample]]
report("adaccess can (one call per decision)", time.perf_counter() - start, answers, sample)

# The same single call with the user and entity as JSON text (the crossing before issue #18).
raw = engine._inner
start = time.perf_counter()
answers = [json.loads(raw.can(json.dumps(users[d["user"]]), d["capability"], d["level"], json.dumps(d["entity"])))["allowed"]
           for d in decisions[:sample]]
report("adaccess can, JSON text across (json.dumps/json.loads)", time.perf_counter() - start, answers, sample)

# adaccess, prepared users (engine.user once per user, outside the timing).
prepared = {u: engine.user(users[u]) for u in by_user}
start = time.perf_counter()
answers = [prepared[d["user"]].can(d["capability"], d["level"], d["entity"])["allowed"] for d in decisions]
report("adaccess User.can (prepared user, one call per decision)", time.perf_counter() - start, answers)
start = time.perf_counter()
answers = [prepared[d["user"]].allows(d["capability"], d["level"], d["entity"]) for d in decisions]
report("adaccess User.allows (prepared user, one call per decision)", time.perf_counter() - start, answers)
start = time.perf_counter()
ready = {u: engine.user(users[u]) for u in by_user}
report_prepare = time.perf_counter() - start
print(json.dumps({"lang": "python", "what": "adaccess engine.user (preparing one user)", "users": len(ready),
                  "per_user_us": round(report_prepare / len(ready) * 1e6, 3)}), flush=True)

# cedarpy, batch.
requests = [{"principal": f'User::"{d["user"]}"', "action": f'Action::"{d["capability"]}:{d["level"]}"',
             "resource": f'Node::"{d["node"]}"', "context": {}} for d in decisions]
start = time.perf_counter()
results = cedarpy.is_authorized_batch(requests, policies, entities)
answers = [r.decision == cedarpy.Decision.Allow for r in results]
report("cedarpy is_authorized_batch", time.perf_counter() - start, answers)

# pycasbin, one enforce per decision.
e = casbin.Enforcer(str(work / "casbin_model.conf"), str(work / "casbin_policy.csv"))
sample = 5_000  # about a millisecond each
start = time.perf_counter()
answers = [e.enforce(str(d["user"]), d["node"], d["parent"], f'{d["capability"]}:{d["level"]}') for d in decisions[:sample]]
report("pycasbin enforce", time.perf_counter() - start, answers, sample)
