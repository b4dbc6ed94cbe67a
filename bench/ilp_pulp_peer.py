#!/usr/bin/python3
"""The paper's ILP path: PuLP building the same bit-allocation problems and
solving them with CBC (Debian python3-pulp; its default solver is COIN_CMD
running /usr/bin/cbc, as PULP_CBC_CMD's bundled binary is stripped there).

    ilp_pulp_peer.py DIR     (DIR written by `ilp_bench --write-problems DIR`)

Times prob.solve() per problem (best of --repeat runs), checks each optimum
against DIR/answers.json (ours) and prints JSON:
    {"ms_per_solve": {"12": …}, "problems": n, "mismatches": [...]}
"""
import argparse
import json
import pathlib
import sys
import time

import pulp


def build(problem):
    """Binary x[i,b], one width per layer; size, BOPS, latency and group rows."""
    prob = pulp.LpProblem("bit_allocation", pulp.LpMinimize)
    bits = problem.get("bits", [4, 8])
    x, objective = {}, []
    size, bops, latency, groups = [], [], [], {}
    for i, layer in enumerate(problem["layers"]):
        widths = [layer["pinned"]] if "pinned" in layer else bits
        for b in widths:
            v = pulp.LpVariable(f"x_{i}_{b}", cat="Binary")
            if "pinned" in layer:
                v.lowBound = 1  # pinned: the one width is fixed on
            x[i, b] = v
            objective.append(layer["omega"].get(str(b), 0.0) * v)
            size.append(layer["params"] * b / 8.0 * v)
            bops.append(float(layer["macs"]) * b * b * v)
            if "latency_us" in layer:
                latency.append(layer["latency_us"][str(b)] * v)
            groups.setdefault(layer.get("group", ""), []).append(layer["params"] * b / 8.0 * v)
        prob += pulp.lpSum(x[i, b] for b in widths) == 1
    prob += pulp.lpSum(objective)
    if "size_bytes_max" in problem:
        prob += pulp.lpSum(size) <= problem["size_bytes_max"]
    if "bops_max" in problem:
        prob += pulp.lpSum(bops) <= problem["bops_max"]
    if "latency_us_max" in problem:
        prob += pulp.lpSum(latency) <= problem["latency_us_max"]
    for group, budget in problem.get("group_size_bytes_max", {}).items():
        prob += pulp.lpSum(groups[group]) <= budget
    return prob


def cbc_solver():
    bundled = pulp.PULP_CBC_CMD(msg=0)
    return bundled if bundled.available() else pulp.COIN_CMD(msg=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = pathlib.Path(args.dir)
    answers = json.loads((root / "answers.json").read_text())
    times, mismatches = {}, []
    solver = cbc_solver()
    for name, ours in sorted(answers.items()):
        problem = json.loads((root / name).read_text())
        best = float("inf")
        for _ in range(args.repeat):
            prob = build(problem)  # model building is not timed, only solve() as the paper's tool calls it
            start = time.perf_counter()
            status = prob.solve(solver)
            best = min(best, time.perf_counter() - start)
        objective = pulp.value(prob.objective)
        if pulp.LpStatus[status] != "Optimal" or abs(objective - ours["objective"]) > 1e-6 * max(1e-12, abs(ours["objective"])):
            mismatches.append({"problem": name, "status": pulp.LpStatus[status],
                               "pulp": objective, "ours": ours["objective"]})
        times.setdefault(str(ours["layers"]), []).append(best * 1e3)
    json.dump({"solver": type(solver).__name__, "ms_per_solve": {k: sum(v) / len(v) for k, v in times.items()},
               "problems": len(answers), "mismatches": mismatches}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
