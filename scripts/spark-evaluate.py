#!/usr/bin/env python3
"""A ranker over a labeled corpus on Apache Spark: the TREC run that `ctxsel evaluate --corpus`
writes, made by slices of the queries on the executors.

Usage:
  spark-evaluate.py --corpus DIR --output RUN [--ranker NAME] [--depth N] [--master URL] [--partitions N]

The corpus folder (docs.jsonl or catalog.jsonl, queries.jsonl, qrels.txt) and the ctxsel binary
are shipped to the executors with SparkContext.addFile; each task runs `ctxsel rank --from S
--count C` on its slice of the queries, and the lines are sorted by query id (byte order, as
trec_eval and ctxsel write runs) and rank into RUN, which is then byte for byte the run file
`ctxsel evaluate --corpus DIR --ranker NAME --depth N` writes; `ctxsel evaluate --qrels
DIR/qrels.txt --run RUN` scores it. The binary is found through $CTXSEL, beside this script, or
in the checkout's .build/release. Needs pyspark (PyPI) and a Java runtime.
"""
import argparse
import os
import sys

from spark_ctxsel import ROOT, find_ctxsel, run_ctxsel, start_spark


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=os.path.join(ROOT, "Corpus", "cranfield"), help="labeled corpus folder")
    parser.add_argument("--output", required=True, help="the TREC run file to write")
    parser.add_argument("--ranker", default="bm25", help="ranker setting, as `ctxsel evaluate --ranker`")
    parser.add_argument("--depth", type=int, default=1000, help="items per query")
    parser.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's, else local[*])")
    parser.add_argument("--partitions", type=int, default=4, help="slices of the queries")
    arguments = parser.parse_args(argv)
    ctxsel = find_ctxsel("spark-evaluate.py")
    corpus = os.path.abspath(arguments.corpus)
    with open(os.path.join(corpus, "queries.jsonl"), encoding="utf-8") as queries:
        count = sum(1 for line in queries if line.strip())
    from pyspark import SparkFiles

    context = start_spark("ctxsel evaluate", arguments.master, files=(ctxsel,), folders=(corpus,))
    try:
        binary_name, corpus_name = os.path.basename(ctxsel), os.path.basename(corpus)
        parts = max(1, min(arguments.partitions, count))
        slices = [(count * k // parts, count * (k + 1) // parts - count * k // parts) for k in range(parts)]
        ranker, depth = arguments.ranker, arguments.depth

        def rank(slice_):
            start, size = slice_
            return run_ctxsel([SparkFiles.get(binary_name), "rank", "--corpus", SparkFiles.get(corpus_name),
                               "--ranker", ranker, "--depth", str(depth), "--from", str(start), "--count", str(size)],
                              None, f"queries {start}…{start + size - 1}")

        def order(line):
            fields = line.split(" ")
            return fields[0].encode("utf-8"), int(fields[3])

        lines = context.parallelize(slices, len(slices)).flatMap(rank).sortBy(order, numPartitions=len(slices))
        written = 0
        with open(arguments.output, "w", encoding="utf-8") as out:
            for line in lines.toLocalIterator():
                out.write(line + "\n")
                written += 1
        print(f"spark-evaluate: {count} queries, {written} run lines → {arguments.output}", file=sys.stderr)
    finally:
        context.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
