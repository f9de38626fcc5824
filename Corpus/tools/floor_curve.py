#!/usr/bin/env python3
"""The relevance floor's risk–coverage curve: for each floor, how often a slot is filled and how
often its first item is relevant, on a judged collection used as the catalog, and how often pages
from other domains still get an item from it.

Usage: floor_curve.py CTXSEL COLLECTION_DIR OTHER_PAGES.jsonl [FLOOR …]
  COLLECTION_DIR  docs.jsonl {"id","title","text"}, queries.jsonl {"id","text"}, qrels.txt (TREC)
  OTHER_PAGES     pages {"id","title","text"} from other domains (e.g. runs/understanding/dev.jsonl)

Each document becomes an ad item; each query, and each other page, one request with one slot of
one ad, consent "contextual", no house items. A query's first item is relevant when the qrels give
it a grade of 1 or more. Prints a Markdown table: floor, fill rate of the collection's queries,
precision of their first item, precision × fill, and the fill rate of the other pages.
"""
import json
import os
import subprocess
import sys
import tempfile


def requests(rows, text_key):
    for row in rows:
        page = {"title": row.get("title") or "", "text": row[text_key]}
        yield {"id": str(row["id"]), "page": page, "slots": [{"id": "ad", "count": 1, "kinds": ["ad"]}]}


def run(ctxsel, catalog, lines, floor):
    out = subprocess.run([ctxsel, "select", "--catalog", catalog, "--relevance-floor", str(floor), "-"],
                         input="".join(json.dumps(r) + "\n" for r in lines), capture_output=True, text=True)
    answers = {}
    for line in out.stdout.splitlines():
        response = json.loads(line)
        items = response["slots"][0]["items"] if response.get("slots") else []
        answers[response["id"]] = items[0]["id"] if items else None
    return answers


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    ctxsel, collection, others = sys.argv[1:4]
    floors = [float(f) for f in sys.argv[4:]] or [0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.2]
    docs = [json.loads(l) for l in open(os.path.join(collection, "docs.jsonl"), encoding="utf-8")]
    queries = [json.loads(l) for l in open(os.path.join(collection, "queries.jsonl"), encoding="utf-8")]
    qrels = {}
    for line in open(os.path.join(collection, "qrels.txt"), encoding="utf-8"):
        qid, _, doc, grade = line.split()
        if int(grade) >= 1:
            qrels.setdefault(qid, set()).add(doc)
    queries = [q for q in queries if str(q["id"]) in qrels]
    other = [json.loads(l) for l in open(others, encoding="utf-8")]
    with tempfile.TemporaryDirectory() as catalog:
        with open(os.path.join(catalog, "items.jsonl"), "w", encoding="utf-8") as items:
            for d in docs:
                items.write(json.dumps({"id": str(d["id"]), "kind": "ad", "title": d.get("title") or str(d["id"]),
                                        "body": d["text"], "advertiser": "adv-" + str(d["id"]), "url": "https://example.org/" + str(d["id"])}) + "\n")
        print("| floor | queries filled | first item relevant | relevant per query | other pages filled |")
        print("|---:|---:|---:|---:|---:|")
        for floor in floors:
            answers = run(ctxsel, catalog, list(requests(queries, "text")), floor)
            filled = [q for q in queries if answers.get(str(q["id"]))]
            hits = sum(1 for q in filled if answers[str(q["id"])] in qrels[str(q["id"])])
            other_answers = run(ctxsel, catalog, list(requests(other, "text")), floor)
            other_filled = sum(1 for v in other_answers.values() if v)
            print(f"| {floor:.3f} | {len(filled) / len(queries):.3f} | {hits / max(1, len(filled)):.3f} | "
                  f"{hits / len(queries):.3f} | {other_filled / max(1, len(other)):.3f} |")


if __name__ == "__main__":
    main()
