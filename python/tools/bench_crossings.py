"""The crossings of issue #18 in Python: python python/tools/bench_crossings.py WORKLOAD_DIR
(the peers workload: scripts/bench writes it). At commit a47cd49 `can_direct` read the user with
pythonize's depythonize; later it takes JSON text, which measured faster."""
import json, timeit, sys
import adaccess
work=sys.argv[1] if len(sys.argv) > 1 else "target/peers/workload"
users=json.load(open(f"{work}/users.json")); directory=json.load(open(f"{work}/directory.json")); decisions=json.load(open(f"{work}/decisions.json"))
engine=adaccess.Engine.builtin("dv360", directory)
raw=engine._inner
d=decisions[0]; u=users[d["user"]]
print("assignments", len(u["assignments"]), "keys", list(u.keys()))
N=2000
t=lambda f: round(timeit.timeit(f, number=N)/N*1e6,2)
print("json.dumps user", t(lambda: json.dumps(u)))
print("raw.can json", t(lambda: raw.can(json.dumps(u), d["capability"], d["level"], json.dumps(d["entity"]))))
try:
    raw.can_direct(json.dumps(u), d["capability"], d["level"], d["entity"])
    text_user = True
except adaccess.AdaccessError:
    text_user = False  # a47cd49: the user as Python objects
if text_user:
    print("can_direct (user as JSON text, entity dict, decision by pythonize)", t(lambda: raw.can_direct(json.dumps(u), d["capability"], d["level"], d["entity"])))
    print("Engine.can (the package's call)", t(lambda: engine.can(u, d["capability"], d["level"], d["entity"])))
else:
    print("can_direct (user by depythonize)", t(lambda: raw.can_direct(u, d["capability"], d["level"], d["entity"])))
pu=engine.user(u)
print("User.can", t(lambda: pu.can(d["capability"], d["level"], d["entity"])))
print("raw User.can", t(lambda: pu._inner.can(d["capability"], d["level"], d["entity"])))
print("raw User.allows", t(lambda: pu._inner.allows(d["capability"], d["level"], d["entity"])))
print("engine.user", t(lambda: engine.user(u)))
