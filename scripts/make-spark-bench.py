#!/usr/bin/env python3
"""Writes N selection request lines (default 1,000,000) made from ../shared/bench/pages.jsonl, for
measuring scripts/spark-select.py against the plain filter (BENCHMARKS.md). Each line is one
page's title and its first 600 characters from a rotating start, two slots; deterministic.

Usage: make-spark-bench.py OUTPUT [N]"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
pages = [json.loads(line) for line in open(os.path.join(HERE, "..", "..", "shared", "bench", "pages.jsonl"), encoding="utf-8")]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for number in range(count):
        page = pages[number % len(pages)]
        start = (number // len(pages)) * 97 % max(1, len(page["text"]) - 600)
        out.write(json.dumps({"id": f"p{number}", "page": {"title": page["title"], "text": page["text"][start:start + 600]},
                              "slots": [{"id": "ad", "count": 1, "kinds": ["ad"]}, {"id": "read", "count": 2, "kinds": ["content"]}]},
                             ensure_ascii=False) + "\n")
