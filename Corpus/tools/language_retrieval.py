#!/usr/bin/env python3
"""Known-item retrieval in eight languages: the engine with its per-language analysis, the engine
with English analysis of everything (language-blind), and Apache Lucene 8.7's analyzer for the
language (and, for Japanese and Chinese, Lucene's CJK bigrams), on the collections of
make_language_collections.py (Debian's translated package descriptions: each synopsis is a query
whose one relevant document is its package's long description).

For each language of the split it writes the runs, scores each with `ctxsel evaluate --qrels
--run` (averaged over every judged query: a query without results scores 0), and prints a
Markdown table of the mean reciprocal rank and success@1, also written to
DIR/<split>-table.md. The test split is held out: work on `--split development`.

Usage: language_retrieval.py [--split development|test] [--collections DIR] [--ctxsel BIN]
                             [--languages de,fr,...] [--depth 100] [--lucene-jars DIR]"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "Corpus", "tools")
LANGUAGES = ["de", "fr", "es", "it", "pt", "ru", "ja", "zh"]
CJK = {"ja", "zh"}
JARS = ["lucene-core-8.7.0.jar", "lucene-analyzers-common-8.7.0.jar", "lucene-analyzers-kuromoji-8.7.0.jar",
        "lucene-analyzers-smartcn-8.7.0.jar", "lucene-queryparser-8.7.0.jar"]
COLLECTION_FILES = ["docs.jsonl", "queries.jsonl", "qrels.txt", "docs.tsv", "queries.tsv"]
SYSTEMS = [("ours", "ours"), ("blind", "language-blind"), ("lucene", "Lucene (language analyzer)"),
           ("bigrams", "ours, CJK bigrams (ja/zh)"), ("cjk", "Lucene CJK (ja/zh)")]


def run(command, **options):
    """`command`'s completed process; its output is passed on to stderr when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, **options)
    if done.returncode != 0:
        sys.stderr.write(f"failed ({done.returncode}): {shlex.join(command)}\n{done.stderr}{done.stdout[-2000:]}")
    return done


def qrels_queries(path):
    with open(path, encoding="utf-8") as lines:
        return sorted({line.split()[0] for line in lines if line.strip()})


def score(binary, qrels, run_file):
    """(MRR, success@1, documents retrieved) of a run over every query of `qrels`, from `ctxsel
    evaluate`'s per-query recip_rank (a query with its one relevant document first has recip_rank 1)."""
    done = run([binary, "evaluate", "--qrels", qrels, "--run", run_file, "--format", "trec", "-q", "-c"])
    if done.returncode != 0:
        return None
    judged = qrels_queries(qrels)
    per_query, mrr, retrieved = {}, None, None
    for line in done.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) != 3:
            continue
        name = fields[0].strip()
        if name == "num_ret" and fields[1] == "all":
            retrieved = int(fields[2])
        elif name == "recip_rank" and fields[1] == "all":
            mrr = float(fields[2])
        elif name == "recip_rank":
            per_query[fields[1]] = float(fields[2])
    if mrr is None:
        sys.stderr.write(f"no recip_rank in the evaluation of {run_file}\n")
        return None
    first = sum(1 for query in judged if per_query.get(query, 0.0) >= 1.0 - 1e-9)
    return mrr, first / len(judged) if judged else 0.0, retrieved


def compare(binary, qrels, baseline, other):
    """`ctxsel evaluate`'s paired comparison of `other` with `baseline` on recip_rank (mean
    difference, bootstrap 95% interval, randomization test p, wins/ties/losses), or None."""
    done = run([binary, "evaluate", "--qrels", qrels, "--run", baseline, "--run", other,
                "--compare", "recip_rank", "-c", "--format", "json"])
    if done.returncode != 0:
        return None
    try:
        found = [c for c in json.loads(done.stdout).get("comparisons", []) if c.get("measure") == "recip_rank"]
    except json.JSONDecodeError:
        return None
    return found[0] if found else None


def snapshot(binary, work, attempts=30, pause=10):
    """A copy of `binary` in `work` that answers --version, so that a rebuild during the runs
    neither breaks them nor mixes two builds; tried again while the binary is being written.
    Its default data stays the repository's (CTXSEL_HOME)."""
    os.environ.setdefault("CTXSEL_HOME", ROOT)
    copy = os.path.join(work, "ctxsel")
    for attempt in range(attempts):
        try:
            shutil.copy2(binary, copy)
            if subprocess.run([copy, "--version"], capture_output=True).returncode == 0:
                return copy
        except OSError:
            pass
        sys.stderr.write(f"{binary} is not usable yet (being rebuilt?): trying again in {pause} s\n")
        time.sleep(pause)
    sys.exit(f"{binary} did not run after {attempts} attempts")


def lucene_launcher(jar_dir, work):
    """The command prefix that runs LuceneKnownItem (compiled once with javac when it is there,
    the source launcher otherwise), or None without java or the jars."""
    jars = [os.path.join(jar_dir, name) for name in JARS]
    missing = [path for path in jars if not os.path.exists(path)]
    if missing or not shutil.which("java"):
        sys.stderr.write(f"Lucene runs skipped: {'missing ' + ', '.join(missing) if missing else 'no java'}\n")
        return None
    classpath = ":".join(jars)
    source = os.path.join(TOOLS, "LuceneKnownItem.java")
    if shutil.which("javac"):
        classes = os.path.join(work, "classes")
        os.makedirs(classes, exist_ok=True)
        if run(["javac", "-d", classes, "-cp", classpath, source]).returncode == 0:
            return ["java", "-cp", f"{classes}:{classpath}", "LuceneKnownItem"]
    return ["java", "-cp", classpath, source]


def cell(value, digits=3):
    return "n/a" if value is None else f"{value:.{digits}f}"


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["development", "test"], default="development")
    parser.add_argument("--collections", default=os.path.join(ROOT, "runs", "languages"),
                        help="folder of the collections (made when missing) and of the runs and table")
    parser.add_argument("--ctxsel", default=os.environ.get("CTXSEL", os.path.join(ROOT, ".build", "release", "ctxsel")))
    parser.add_argument("--languages", default=",".join(LANGUAGES), help="comma-separated subset of " + ",".join(LANGUAGES))
    parser.add_argument("--depth", type=int, default=100, help="documents retrieved per query (default 100)")
    parser.add_argument("--queries", type=int, default=500, help="when making the collections: queries per split")
    parser.add_argument("--max-docs", type=int, default=20000, help="when making the collections: documents per language")
    parser.add_argument("--lucene-jars", default="/usr/share/java", help="folder of the Lucene 8.7.0 jars")
    args = parser.parse_args()
    languages = [code for code in args.languages.split(",") if code]
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        sys.exit(f"unknown language(s) {', '.join(unknown)}: choose from {','.join(LANGUAGES)}")
    binary = args.ctxsel
    if not os.path.exists(binary):
        sys.exit(f"no ctxsel at {binary}: build it (swift build -c release) or give --ctxsel / CTXSEL")
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(binary)))
    collections = args.collections
    split_dir = os.path.join(collections, args.split)

    made = 0.0
    if any(not os.path.exists(os.path.join(split_dir, code, name)) for code in languages for name in COLLECTION_FILES):
        started = time.monotonic()
        command = [sys.executable, os.path.join(TOOLS, "make_language_collections.py"), collections,
                   "--queries", str(args.queries), "--max-docs", str(args.max_docs)]
        sys.stderr.write(f"making the collections: {shlex.join(command)}\n")
        if run(command).returncode != 0:
            sys.exit("could not make the collections")
        made = time.monotonic() - started

    work = tempfile.mkdtemp(prefix="language-retrieval-")
    try:
        binary = snapshot(binary, work)
        version = run([binary, "--version"]).stdout.strip()
        help_text = run([binary, "evaluate", "--help"]).stdout
        blind_supported = "--analysis-language" in help_text
        if not blind_supported:
            sys.stderr.write("ctxsel evaluate has no --analysis-language: the language-blind column is n/a\n")
        lucene = lucene_launcher(args.lucene_jars, work)
        rows = []
        for code in languages:
            folder = os.path.join(split_dir, code)
            qrels = os.path.join(folder, "qrels.txt")
            runs = os.path.join(collections, f"{args.split}-runs", code)
            os.makedirs(runs, exist_ok=True)
            with open(os.path.join(folder, "docs.tsv"), encoding="utf-8") as lines:
                documents = sum(1 for line in lines if line.strip())
            row = {"language": code, "documents": documents, "queries": len(qrels_queries(qrels)),
                   "scores": {}, "seconds": {}}
            planned = {}
            variants = [("ours", []), ("blind", ["--analysis-language", "en"])]
            if code in CJK:
                variants.append(("bigrams", ["--cjk-segmentation", "bigrams"]))
            for key, extra in variants:
                if key == "blind" and not blind_supported:
                    continue
                out = os.path.join(runs, key)
                planned[key] = ([binary, "evaluate", "--corpus", folder, "--ranker", "bm25", "--runs-dir", out,
                                 "--depth", str(args.depth), "--format", "trec",
                                 "--output", os.path.join(runs, f"{key}.corpus-eval.txt")] + extra,
                                os.path.join(out, "bm25.run"))
            if lucene:
                planned["lucene"] = (lucene + [code, folder, os.path.join(runs, "lucene.run"), str(args.depth)],
                                     os.path.join(runs, "lucene.run"))
                if code in CJK:
                    planned["cjk"] = (lucene + [code, folder, os.path.join(runs, "lucene-cjk.run"), str(args.depth), "cjk"],
                                      os.path.join(runs, "lucene-cjk.run"))
            for key, (command, run_file) in planned.items():
                started = time.monotonic()
                if os.path.exists(run_file):
                    os.remove(run_file)
                done = run(command)
                row["seconds"][key] = time.monotonic() - started
                if done.returncode == 0 and os.path.exists(run_file):
                    row["scores"][key] = score(binary, qrels, run_file)
                    row.setdefault("runs", {})[key] = run_file
                sys.stderr.write(f"{code} {key}: {row['seconds'][key]:.1f} s\n")
            ours = row.get("runs", {}).get("ours")
            row["comparisons"] = {key: compare(binary, qrels, ours, path)
                                  for key, path in row.get("runs", {}).items() if ours and key != "ours"}
            rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def value(row, key, index):
        found = row["scores"].get(key)
        return None if found is None else found[index]

    invoked = shlex.join([os.path.relpath(sys.argv[0], ROOT) if os.path.isabs(sys.argv[0]) else sys.argv[0]] + sys.argv[1:])
    lines = [f"# Known-item retrieval by language: {args.split} split", ""]
    for title, index in (("Mean reciprocal rank", 0), ("Success@1 (the package's description ranked first)", 1)):
        lines += [f"{title}, depth {args.depth}:", "",
                  "| language | documents | queries | " + " | ".join(label for _, label in SYSTEMS) + " |",
                  "|---|---:|---:|" + "---:|" * len(SYSTEMS)]
        for row in rows:
            lines.append(f"| {row['language']} | {row['documents']} | {row['queries']} | "
                         + " | ".join(cell(value(row, key, index)) for key, _ in SYSTEMS) + " |")
        if len(rows) > 1:
            # A mean only where every language has a value (the CJK column has two).
            means = [mean(column) if None not in column else None
                     for column in ([value(row, key, index) for row in rows] for key, _ in SYSTEMS)]
            lines.append(f"| mean over languages | | {sum(r['queries'] for r in rows)} | "
                         + " | ".join(cell(m) if m is not None else "—" for m in means) + " |")
        lines.append("")
    def difference(found):
        if not found:
            return "n/a"
        low, high = found["ci95"]
        return (f"{found['mean_difference']:+.3f} [{low:+.3f}, {high:+.3f}] p {found['randomization_p']:.3f}, "
                f"{found['wins']}/{found['ties']}/{found['losses']}")

    others = SYSTEMS[1:]
    lines += ["Reciprocal rank of each system minus ours: mean difference [bootstrap 95% interval], paired "
              "randomization test p, queries better/tied/worse than ours:", "",
              "| language | " + " | ".join(label for _, label in others) + " |",
              "|---|" + "---|" * len(others)]
    for row in rows:
        lines.append(f"| {row['language']} | "
                     + " | ".join(difference(row["comparisons"].get(key)) for key, _ in others) + " |")
    lines.append("")
    lines += ["Seconds per run (index and all queries; Lucene's include the JVM start):", "",
              "| language | " + " | ".join(label for _, label in SYSTEMS) + " |",
              "|---|" + "---:|" * len(SYSTEMS)]
    for row in rows:
        lines.append(f"| {row['language']} | "
                     + " | ".join(cell(row["seconds"].get(key), 1) for key, _ in SYSTEMS) + " |")
    lines.append("")
    notes = []
    if not blind_supported:
        notes.append("language-blind: n/a, this ctxsel's `evaluate` has no `--analysis-language`.")
    labels = dict(SYSTEMS)
    for row in rows:
        for key, found in sorted(row["scores"].items()):
            if found is not None and found[2] == 0:
                notes.append(f"{row['language']} {labels[key]}: the run retrieved nothing for any query.")
        for key in row["seconds"]:
            if row["scores"].get(key) is None:
                notes.append(f"{row['language']} {labels[key]}: the run or its evaluation failed (see stderr).")
    if lucene is None:
        notes.append("Lucene: n/a, no java or no Lucene 8.7.0 jars in " + args.lucene_jars + ".")
    notes.append("ours: `ctxsel evaluate --corpus FOLDER --ranker bm25`; language-blind: the same with "
                 "`--analysis-language en`; Lucene: `LuceneKnownItem.java` (GermanAnalyzer, FrenchAnalyzer, "
                 "SpanishAnalyzer, ItalianAnalyzer, PortugueseAnalyzer, RussianAnalyzer, JapaneseAnalyzer, "
                 "SmartChineseAnalyzer; CJKAnalyzer for the CJK column), BM25 k1 1.2 b 0.75, the query an OR "
                 "of its analyzed terms. Every run scored by `ctxsel evaluate --qrels --run -c`.")
    notes.append("ours, CJK bigrams: the same as ours with `--cjk-segmentation bigrams` (overlapping character "
                 "pairs instead of ICU's dictionary words for Chinese and Japanese).")
    notes.append("Every system indexes a document's text alone (the collections give no titles).")
    if made:
        notes.append(f"The collections were made first ({made:.1f} s).")
    lines += [f"- {note}" for note in notes]
    lines += ["", f"Command: `{invoked}` (ctxsel {version} built {built}, collections in {os.path.relpath(collections, ROOT)})", ""]
    table = "\n".join(lines)
    print(table, end="")
    with open(os.path.join(collections, f"{args.split}-table.md"), "w", encoding="utf-8", newline="\n") as out:
        out.write(table)


if __name__ == "__main__":
    main()
