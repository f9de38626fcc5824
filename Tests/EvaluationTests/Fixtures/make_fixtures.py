#!/usr/bin/env python3
"""Writes the evaluation fixtures and their expected values, computed by pytrec_eval (the
trec_eval code as a Python extension: pip install pytrec-eval-terrier). Deterministic.
The Swift tests read the files; they never run Python."""
import math
import random

import pytrec_eval

MEASURES = ["num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref", "recip_rank",
            "P_5", "P_10", "P_15", "P_20", "P_30", "P_100", "recall_5", "recall_10", "recall_100", "recall_1000",
            "ndcg", "ndcg_cut_5", "ndcg_cut_10", "ndcg_cut_20", "ndcg_cut_100", "ndcg_cut_1000"]
PYTREC = {m.rsplit("_", 1)[0] if m.startswith(("P_", "recall_", "ndcg_cut_")) else m for m in MEASURES}


def write_qrels(path, qrels):
    with open(path, "w") as out:
        for q in sorted(qrels):
            for d in sorted(qrels[q]):
                out.write(f"{q} 0 {d} {qrels[q][d]}\n")


def write_run(path, run, tag, shuffle_seed):
    rng = random.Random(shuffle_seed)
    with open(path, "w") as out:
        for q in sorted(run):
            entries = list(run[q].items())
            rng.shuffle(entries)  # file order and the rank column must not matter
            for rank, (d, s) in enumerate(entries, 1):
                out.write(f"{q} Q0 {d} {rank} {s} {tag}\n")


def expected(qrels, run, level, path):
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, PYTREC, relevance_level=level)
    result = evaluator.evaluate(run)
    lines = []
    queries = sorted(result)
    for q in queries:
        for m in MEASURES:
            lines.append(f"{m}\t{q}\t{result[q][m]!r}")
    # trec_eval's summary: sums for counts, the geometric mean for gm_map, else the mean.
    for m in MEASURES:
        values = [result[q][m] for q in queries]
        if m.startswith("num_"):
            value = sum(values)
        elif m == "gm_map":
            value = math.exp(sum(values) / len(values))
        else:
            value = sum(values) / len(values)
        lines.append(f"{m}\tall\t{value!r}")
    # -c: every qrels query; one missing from the run is scored as an empty ranking.
    complete = []
    for m in MEASURES:
        values = []
        for q in sorted(qrels):
            if q in result:
                values.append(result[q][m])
            elif m == "num_rel":
                values.append(float(sum(1 for r in qrels[q].values() if r >= level)))
            elif m == "gm_map":
                values.append(math.log(0.00001))
            else:
                values.append(0.0)
        if m.startswith("num_"):
            value = sum(values)
        elif m == "gm_map":
            value = math.exp(sum(values) / len(values))
        else:
            value = sum(values) / len(values)
        complete.append(f"{m}\tall-c\t{value!r}")
    with open(path, "w") as out:
        out.write("\n".join(lines + complete) + "\n")


# 1. Hand-made: ties, graded and negative judgments, a query without relevant documents, a
#    query only in the qrels, a query only in the run.
qrels = {
    "q1": {"d1": 1, "d2": 2, "d3": 0, "d4": -1, "d5": 3},
    "q2": {"a": 0, "b": 0},                      # judged, nothing relevant
    "q3": {"x1": 4, "x2": 1, "x3": 1, "x9": 0},
    "q4": {"m": 1},                              # not in the run
}
run = {
    "q1": {"d0": 3.0, "d1": 2.0, "d4": 1.5, "d2": 1.0, "d9": 1.0, "d5": 0.5, "d3": 0.5},
    "q2": {"a": 1.0, "c": 0.5},
    "q3": {"x2": 2.0, "x1": 2.0, "x3": 2.0, "zz": 2.0, "x9": 1.0},
    "q5": {"e": 1.0},                            # not in the qrels: ignored
}
write_qrels("small.qrels", qrels)
write_run("small.run", run, "small", 1)
expected(qrels, run, 1, "small.expected")
expected(qrels, run, 2, "small-l2.expected")

# 2. Random: 40 queries, up to 150 retrieved each with many tied scores, graded judgments.
rng = random.Random(20261123)
qrels, run = {}, {}
for i in range(40):
    q = f"{i + 1}"
    docs = [f"D{rng.randrange(400):03d}" for _ in range(rng.randrange(0, 150))]
    pool = set(rng.sample(range(400), rng.randrange(5, 60)))
    qrels[q] = {f"D{d:03d}": rng.choice([0, 0, 0, 1, 1, 2, 3, 4, -1]) for d in pool}
    if i % 9 != 0:
        run[q] = {d: round(rng.random() * 5, 1) for d in docs}
run["999"] = {"D001": 1.0}
# A query that retrieved nothing cannot appear in a run file, so trec_eval never sees it.
run = {q: ranking for q, ranking in run.items() if ranking}
write_qrels("random.qrels", qrels)
write_run("random.run", run, "random", 2)
expected(qrels, run, 1, "random.expected")

# 3. A run with a duplicate document: an error, as in trec_eval.
with open("duplicate.run", "w") as out:
    out.write("q1 Q0 d1 1 2.0 dup\nq1 Q0 d2 2 1.0 dup\nq1 Q0 d1 3 0.5 dup\n")
