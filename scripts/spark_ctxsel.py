"""What scripts/spark-select.py and scripts/spark-evaluate.py share: finding the ctxsel binary,
starting Spark with the files its executors need, and running the binary on an executor."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def find_ctxsel(script):
    """$CTXSEL, else a ctxsel beside the scripts, else the checkout's release build."""
    for candidate in (os.environ.get("CTXSEL"), os.path.join(HERE, "ctxsel"),
                      os.path.join(ROOT, ".build", "release", "ctxsel")):
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    sys.exit(f"{script}: no ctxsel binary: set CTXSEL, or build it (swift build -c release --product ctxsel)")


def start_spark(app, master, files=(), folders=()):
    """A SparkContext on `master` (else spark-submit's, else local[*]) that has shipped `files`,
    `folders` and this module to every executor (SparkContext.addFile: no shared disk assumed)."""
    from pyspark import SparkConf, SparkContext
    conf = SparkConf().setAppName(app)
    if master:
        conf = conf.setMaster(master)
    elif "spark.master" not in dict(SparkConf().getAll()):
        conf = conf.setMaster("local[*]")
    context = SparkContext(conf=conf)
    context.addPyFile(os.path.abspath(__file__))
    for path in files:
        context.addFile(path)
    for path in folders:
        context.addFile(path, recursive=True)
    return context


def run_ctxsel(command, stdin, where):
    """On an executor: the stdout lines of `command` (the shipped binary first). A non-zero exit
    fails the task, with the binary's stderr in the Spark log."""
    done = subprocess.run(command, input=stdin, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"ctxsel {command[1]} exited with {done.returncode} on {where}: "
                           + done.stderr.decode("utf-8", "replace"))
    return done.stdout.decode("utf-8").splitlines()
