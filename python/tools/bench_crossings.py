import json, timeit, sys
import adaccess
work="target/peers/workload"
users=json.load(open(f"{work}/users.json")); directory=json.load(open(f"{work}/directory.json")); decisions=json.load(open(f"{work}/decisions.json"))
engine=adaccess.Engine.builtin("dv360", directory)
raw=engine._inner
d=decisions[0]; u=users[d["user"]]
print("assignments", len(u["assignments"]), "keys", list(u.keys()))
N=2000
t=lambda f: round(timeit.timeit(f, number=N)/N*1e6,2)
print("json.dumps user", t(lambda: json.dumps(u)))
print("raw.can json", t(lambda: raw.can(json.dumps(u), d["capability"], d["level"], json.dumps(d["entity"]))))
print("can_direct", t(lambda: raw.can_direct(u, d["capability"], d["level"], d["entity"])))
pu=engine.user(u)
print("User.can", t(lambda: pu.can(d["capability"], d["level"], d["entity"])))
print("raw User.can", t(lambda: pu._inner.can(d["capability"], d["level"], d["entity"])))
print("raw User.allows", t(lambda: pu._inner.allows(d["capability"], d["level"], d["entity"])))
print("engine.user", t(lambda: raw.user(u)))
empty={"id":"x","email":"a@b.c","assignments":[]}
print("can_direct empty user", t(lambda: raw.can_direct(empty, d["capability"], d["level"], d["entity"])))
