#!/usr/bin/env python3
"""`ctxsel report` beside OpenDP at the same privacy, and an empirical audit of its privacy loss
(BENCHMARKS.md, "Aggregate reports").

compare  LOG: the keywords and categories tables of LOG, published R times by `ctxsel report`
         (discrete Laplace, threshold from δ) and R times by OpenDP's make_laplace_threshold
         with the same ε and δ per table and the same L1 sensitivity (k keys a response): the
         threshold, keys published, and the error of published counts against the true ones.
audit    LOG: LOG and LOG plus one response (with a keyword no other page has) are each
         reported N times; for events on the response count and on that keyword, the ratio of
         their frequencies gives a lower confidence bound on the privacy loss, which must stay
         below the table's ε (and so below the report's).

Usage: report-anchors.py compare LOG [--epsilon E] [--delta D] [--k K] [--runs R]
       report-anchors.py audit LOG [--epsilon E] [--delta D] [--runs N]
The binary is $CTXSEL or .build/release/ctxsel; OpenDP is `pip install opendp==0.12.1`."""
import argparse
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CTXSEL = os.environ.get("CTXSEL", os.path.join(HERE, "..", ".build", "release", "ctxsel"))
TABLES = 6  # the response counts and five keyed tables share ε
KEYED = 5   # the keyed tables share δ


def report(log, epsilon, delta, k, seed):
    out = subprocess.run([CTXSEL, "report", "--epsilon", str(epsilon), "--delta", str(delta), "--keys-per-response", str(k),
                          "--seed", str(seed), log], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def bounded_counts(log, k):
    """The true counts `ctxsel report` starts from: each response's first k distinct keys."""
    counts = {"keywords": {}, "categories": {}}
    responses = 0
    for line in open(log, encoding="utf-8"):
        if not line.strip():
            continue
        value = json.loads(line)
        if "error" in value:
            continue
        responses += 1
        for table, keys in (("keywords", [w["term"] for w in value.get("keywords", [])]),
                            ("categories", [c["id"] for c in value.get("categories", [])])):
            kept = []
            for key in keys:
                if key not in kept and len(kept) < k:
                    kept.append(key)
            for key in kept:
                counts[table][key] = counts[table].get(key, 0) + 1
    return responses, counts


def summarize(published_runs, truth):
    """Mean keys published, RMSE and mean absolute error of published counts, and the share of
    keys with a true count of at least `big` that were published."""
    keys, squared, absolute, n = 0, 0.0, 0.0, 0
    for published in published_runs:
        keys += len(published)
        for key, count in published.items():
            error = count - truth.get(key, 0)
            squared += error * error
            absolute += abs(error)
            n += 1
    runs = len(published_runs)
    return {"keys": keys / runs, "rmse": math.sqrt(squared / n) if n else float("nan"),
            "mae": absolute / n if n else float("nan")}


def compare(args):
    import opendp.prelude as dp
    dp.enable_features("contrib", "floating-point")
    epsilon_table, delta_table = args.epsilon / TABLES, args.delta / KEYED
    responses, truth = bounded_counts(args.log, args.k)
    ours = [report(args.log, args.epsilon, args.delta, args.k, seed) for seed in range(1, args.runs + 1)]
    print(f"log {args.log}: {responses} responses; ε {args.epsilon} (per table {epsilon_table:.4g}), δ {args.delta} "
          f"(per table {delta_table:.3g}), k {args.k}, {args.runs} runs each")
    print("| table | engine | scale | threshold | true keys | keys published (mean) | RMSE | MAE |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for table in ("keywords", "categories"):
        noise = ours[0]["noise"][table]
        published = [{e["key"]: e["count"] for e in run["tables"][table]} for run in ours]
        s = summarize(published, truth[table])
        print(f"| {table} | ctxsel (discrete Laplace) | {noise['scale']:.4g} | {noise['threshold']} | {len(truth[table])} | "
              f"{s['keys']:.2f} | {s['rmse']:.2f} | {s['mae']:.2f} |")
        domain = dp.map_domain(dp.atom_domain(T=str), dp.atom_domain(T=float))
        metric = dp.l1_distance(T=float)
        scale = args.k / epsilon_table
        low, high = 1, 100_000  # the smallest threshold whose δ fits, by bisection
        while low < high:
            middle = (low + high) // 2
            measured = dp.m.make_laplace_threshold(domain, metric, scale=scale, threshold=float(middle)).map(float(args.k))
            if measured[0] <= epsilon_table * (1 + 1e-9) and measured[1] <= delta_table:
                high = middle
            else:
                low = middle + 1
        measurement = dp.m.make_laplace_threshold(domain, metric, scale=scale, threshold=float(low))
        check = measurement.map(float(args.k))
        data = {key: float(count) for key, count in truth[table].items()}
        published = [measurement(data) for _ in range(args.runs)]
        s = summarize(published, truth[table])
        print(f"| {table} | OpenDP make_laplace_threshold | {scale:.4g} | {low} | {len(truth[table])} | "
              f"{s['keys']:.2f} | {s['rmse']:.2f} | {s['mae']:.2f} |   (its map: ε {check[0]:.4g}, δ {check[1]:.3g})")


def wilson(successes, n, z=2.576):
    """A 99 % Wilson interval for a binomial proportion."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def audit(args):
    epsilon_table, delta_table = args.epsilon / TABLES, args.delta / KEYED
    lines = [line for line in open(args.log, encoding="utf-8") if line.strip()]
    base = json.loads(next(line for line in lines if "error" not in json.loads(line)))
    extra = dict(base)
    extra["keywords"] = [{"term": "zzaudit", "text": "zzaudit", "weight": 1}] + list(base.get("keywords", []))[:0]
    neighbour = args.log + ".neighbour"
    with open(neighbour, "w", encoding="utf-8") as out:
        out.writelines(lines)
        out.write(json.dumps(extra) + "\n")
    true_n = sum(1 for line in lines if "error" not in json.loads(line))
    runs = {name: [report(path, args.epsilon, args.delta, 1, seed) for seed in range(seed0, seed0 + args.runs)]
            for name, path, seed0 in (("D", args.log, 1_000_000), ("D'", neighbour, 2_000_000))}
    events = {}
    for x in range(true_n - 20, true_n + 22):
        events[f"responses ≥ {x}"] = lambda r, x=x: r["responses"] >= x
    events["'zzaudit' published"] = lambda r: any(e["key"] == "zzaudit" for e in r["tables"]["keywords"])
    best = (0.0, "")
    print(f"log {args.log} ({true_n} responses) and its neighbour (+1 response), {args.runs} runs each, k = 1; "
          f"ε {args.epsilon} (per table {epsilon_table:.4g}), δ {args.delta} (per keyed table {delta_table:.3g})")
    for name, event in events.items():
        hits = {side: sum(1 for r in runs[side] if event(r)) for side in runs}
        for a, b in (("D", "D'"), ("D'", "D")):
            low_a, _ = wilson(hits[a], args.runs)
            _, high_b = wilson(hits[b], args.runs)
            delta = delta_table if "published" in name else 0.0
            if high_b > 0 and low_a - delta > 0:
                bound = math.log((low_a - delta) / high_b)
                if bound > best[0]:
                    best = (bound, f"{name}: P under {a} ≥ {low_a:.4f}, under {b} ≤ {high_b:.4f}")
    print(f"largest 99 % lower bound on the privacy loss: {best[0]:.4f} ({best[1]}); the table's ε is {epsilon_table:.4g}, "
          f"the report's {args.epsilon}: {'within' if best[0] <= epsilon_table else 'EXCEEDED'}")
    os.remove(neighbour)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["compare", "audit"])
    parser.add_argument("log")
    parser.add_argument("--epsilon", type=float, default=1.0)
    parser.add_argument("--delta", type=float, default=1e-6)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    compare(args) if args.mode == "compare" else audit(args)


if __name__ == "__main__":
    sys.exit(main())
