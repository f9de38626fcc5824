#!/usr/bin/env python3
"""Batch selection on Apache Spark: `ctxsel select` run over every partition of an NDJSON input.

Usage:
  spark-select.py --input PATH --output DIR [--master URL] [--partitions N]
                  [--index SNAPSHOT | --catalog PATH] [--classifier DIR] [--ranker NAME] [-- ctxsel options…]

The concatenated part files of DIR equal, line for line and in input order, what `ctxsel select`
writes for the same input: each partition is answered by the binary itself, started with
`--first-line` at the partition's first line, so error records name lines of the whole input.
A bad request line never fails a task (`--keep-going`): its error record stays in the output and
is counted (the summary on stderr). A crash of the binary fails the task, with its stderr in the
Spark log.

Nothing assumes a shared disk: the driver builds an index snapshot (from --catalog, or the
default catalog and corpus statistics) unless --index names one, and ships it, the binary and the
page classifier's folder to the executors with SparkContext.addFile. The binary is found through
$CTXSEL, else beside this script, else in the checkout's .build/release. On a cluster whose nodes
lack the Swift runtime, build it with `swift build -c release --static-swift-stdlib`.
Needs pyspark (PyPI) and a Java runtime (Debian's default-jre-headless).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from spark_ctxsel import ROOT, find_ctxsel, run_ctxsel, start_spark


def parse(argv):
    extra = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="NDJSON requests (a local path, or any Hadoop URI on a cluster)")
    parser.add_argument("--output", required=True, help="folder for the NDJSON responses (must not exist)")
    parser.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's, else local[*])")
    parser.add_argument("--partitions", type=int, default=None, help="at least this many partitions")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--index", help="an index snapshot written by `ctxsel index`")
    source.add_argument("--catalog", help="a catalog file or folder to index on the driver")
    parser.add_argument("--classifier", default=os.path.join(ROOT, "Catalog"),
                        help="folder of the page classifier (default: the checkout's Catalog/)")
    parser.add_argument("--ranker", action="append", default=[], help="ranker setting, as `ctxsel select --ranker`")
    arguments = parser.parse_args(argv)
    arguments.extra = extra
    return arguments


def main(argv):
    arguments = parse(argv)
    ctxsel = find_ctxsel("spark-select.py")
    from pyspark import SparkFiles

    work = tempfile.mkdtemp(prefix="ctxsel-spark-")
    snapshot = arguments.index
    if snapshot is None:
        snapshot = os.path.join(work, "catalog.ctxidx")
        command = [ctxsel, "index", "--output", snapshot] + (["--catalog", arguments.catalog] if arguments.catalog else [])
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    classifier = os.path.join(work, "classifier")
    shutil.copytree(arguments.classifier, classifier, ignore=shutil.ignore_patterns("items.jsonl", "templates", "tools"))

    context = start_spark("ctxsel select", arguments.master, files=(ctxsel, snapshot), folders=(classifier,))
    try:
        names = (os.path.basename(ctxsel), os.path.basename(snapshot), os.path.basename(classifier))
        options = ["--keep-going", *sum((["--ranker", r] for r in arguments.ranker), []), *arguments.extra]
        errors = context.accumulator(0)
        requests = context.accumulator(0)

        def answer(partition):
            lines = list(partition)
            if not lines:
                return []
            binary, index, folder = (SparkFiles.get(name) for name in names)
            first = lines[0][1] + 1
            output = run_ctxsel([binary, "select", "--index", index, "--classifier", folder, "--first-line", str(first),
                                 *options, "-"], "".join(line + "\n" for line, _ in lines).encode("utf-8"),
                                f"lines {first}…{first + len(lines) - 1}")
            requests.add(sum(1 for line, _ in lines if line.strip()))
            errors.add(sum(1 for line in output if line.startswith('{"line":')))
            return output

        lines = context.textFile(arguments.input, minPartitions=arguments.partitions) \
            if arguments.partitions else context.textFile(arguments.input)
        lines.zipWithIndex().mapPartitions(answer).saveAsTextFile(arguments.output)
        print(f"spark-select: {requests.value} requests, {errors.value} error records → {arguments.output}", file=sys.stderr)
    finally:
        context.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
