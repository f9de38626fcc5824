#!/usr/bin/env python3
"""Known-item retrieval collections in eight languages from Debian's translated package
descriptions (the DDTP's Translation-xx lists of bookworm main, fetched with
`apt-get update -o Acquire::Languages=de,fr,es,it,pt,ru,ja,zh_CN`).

Each package's long description (without its synopsis) is a document; the synopsis is a query
whose one relevant document is that description. Descriptions keep their packages' licences;
they are read from the apt lists on the machine and written only under OUT_DIR, never into the
repository.

For each language and split (`development`, `test`) the folder OUT_DIR/<split>/<lang>/ holds
docs.jsonl, queries.jsonl, qrels.txt (what `ctxsel evaluate --corpus` reads) and docs.tsv,
queries.tsv (`id<TAB>text`, for LuceneKnownItem.java). Both splits share the documents; a query
goes to the development split when the first byte of the md5 of its package's name is a multiple
of 4, to the test split otherwise. The output is the same on every run over the same lists.

Documents: first of each Description-md5, package name and long text, in file order; texts
under --min-chars characters are skipped; at most --max-docs are kept. Queries: synopses of kept
documents, minus those shared by several kept documents (ambiguous) and those under 3
characters; every k-th of a split's candidates in file order, up to --queries.

Usage: make_language_collections.py OUT_DIR [--queries N] [--max-docs D] [--lists DIR]"""
import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys

# Code written into the collections → suffix of the apt list's file name.
LANGUAGES = {"de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt", "ru": "ru", "ja": "ja", "zh": "zh%5fCN"}
SPLITS = ("development", "test")
MIN_QUERY_CHARS = 3


def is_cjk(char):
    """Whether `char` belongs to a script written without spaces between words (Han, kana,
    Hangul) or is CJK punctuation or a full-width form."""
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFE30 <= code <= 0xFE4F or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF)


def join_wrapped(left, right):
    """`left` and `right`, two pieces of one wrapped line: with a space between them only when
    neither side of the break is CJK (Japanese and Chinese lines are wrapped inside words)."""
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    return left + " " + right


def long_text(lines):
    """The long description from its continuation lines (each without its first space):
    wrapped lines joined, a verbatim line (one more leading space) kept on its own line,
    paragraphs (" .") separated by a blank line."""
    paragraphs, current, verbatim = [], [], False
    for raw in lines:
        if raw.strip() == ".":
            if current:
                paragraphs.append("\n".join(current))
            current, verbatim = [], False
        elif raw.startswith((" ", "\t")):
            current.append(raw.strip())
            verbatim = True
        elif current and not verbatim:
            current[-1] = join_wrapped(current[-1], raw.strip())
        else:
            current.append(raw.strip())
            verbatim = False
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(p for p in paragraphs if p.strip()).strip()


def read_list(path):
    """(package, description md5, synopsis, long text) of each stanza of a Translation list,
    in file order."""
    data = subprocess.run(["lz4cat", path], check=True, capture_output=True).stdout.decode("utf-8", "replace")
    for stanza in data.split("\n\n"):
        package = md5 = synopsis = None
        body, inside = [], False
        for line in stanza.split("\n"):
            if inside and line.startswith(" "):
                body.append(line[1:])
                continue
            inside = False
            if line.startswith("Package:"):
                package = line[len("Package:"):].strip()
            elif line.startswith("Description-md5:"):
                md5 = line[len("Description-md5:"):].strip()
            elif line.startswith("Description-"):
                synopsis = line.split(":", 1)[1].strip() if ":" in line else ""
                inside = True
        if package and synopsis is not None:
            yield package, md5 or "", synopsis, long_text(body)


def list_path(lists, suffix):
    """The bookworm main Translation list of `suffix` (any suite's when that one is missing)."""
    found = sorted(glob.glob(os.path.join(lists, f"*_i18n_Translation-{suffix}.lz4")))
    main = [path for path in found if "_dists_bookworm_main_" in os.path.basename(path)]
    return (main or found or [None])[0]


def normalized(text):
    return " ".join(text.split()).casefold()


def development(package):
    return hashlib.md5(package.encode("utf-8")).digest()[0] % 4 == 0


def flat(text):
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def build(path, max_docs, min_chars, per_split):
    """The documents and each split's queries of one language, with counts of what was dropped."""
    stats = {"stanzas": 0, "duplicate md5": 0, "duplicate package": 0, "duplicate text": 0,
             "empty": 0, "short": 0, "over cap": 0}
    docs, md5s, packages, texts = [], set(), set(), set()
    for package, md5, synopsis, text in read_list(path):
        stats["stanzas"] += 1
        if md5 and md5 in md5s:
            stats["duplicate md5"] += 1
            continue
        if package in packages:
            stats["duplicate package"] += 1
            continue
        if not text:
            stats["empty"] += 1
            continue
        if len(text) < min_chars:
            stats["short"] += 1
            continue
        if text in texts:
            stats["duplicate text"] += 1
            continue
        if len(docs) >= max_docs:
            stats["over cap"] += 1
            continue
        md5s.add(md5)
        packages.add(package)
        texts.add(text)
        docs.append((package, synopsis, text))
    shared = {}
    for _, synopsis, _ in docs:
        key = normalized(synopsis)
        shared[key] = shared.get(key, 0) + 1
    candidates = {split: [] for split in SPLITS}
    stats["ambiguous synopses"] = sum(1 for _, s, _ in docs if shared[normalized(s)] > 1)
    stats["short synopses"] = 0
    for package, synopsis, _ in docs:
        if shared[normalized(synopsis)] > 1:
            continue
        if len(synopsis) < MIN_QUERY_CHARS:
            stats["short synopses"] += 1
            continue
        candidates["development" if development(package) else "test"].append((package, synopsis))
    queries = {}
    for split in SPLITS:
        pool = candidates[split]
        stats[f"{split} candidates"] = len(pool)
        step = max(1, len(pool) // per_split) if per_split > 0 else 1
        queries[split] = pool[::step][:per_split]
    return docs, queries, stats


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for identifier, text in rows:
            out.write(f"{identifier}\t{flat(text)}\n")


SOURCE = """# Where these texts come from

The documents and queries here are Debian's translated package descriptions, from the Debian
Description Translation Project (DDTP, https://ddtp.debian.org/): the `Translation-xx` lists of
Debian 12 "bookworm", component main, that apt keeps under /var/lib/apt/lists/ once it is told to
fetch them:

    sudo apt-get update -o Acquire::Languages=de,fr,es,it,pt,ru,ja,zh_CN

Each description is a translation of its package's description and is distributed under that
package's licence. Nothing of them is copied into the repository: these folders are made on the
machine from its apt lists by

    python3 Corpus/tools/make_language_collections.py {out} --queries {queries} --max-docs {max_docs}

In every {split}/{lang}/ folder: `docs.jsonl` (a package's long description, id = package name),
`queries.jsonl` (the package's synopsis), `qrels.txt` (each query's one relevant document),
and `docs.tsv`, `queries.tsv` (the same texts on one line each).

Lists read:

{lists}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--queries", type=int, default=500, help="queries per split and language (default 500)")
    parser.add_argument("--max-docs", type=int, default=20000, help="documents per language (default 20000)")
    parser.add_argument("--min-chars", type=int, default=80, help="shortest long description kept (default 80)")
    parser.add_argument("--lists", default="/var/lib/apt/lists", help="folder of the apt lists")
    args = parser.parse_args()
    read, counts = [], []
    print("| language | documents | development queries | test queries | ambiguous synopses dropped | short synopses dropped | duplicate texts dropped |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for code, suffix in LANGUAGES.items():
        path = list_path(args.lists, suffix)
        if path is None:
            sys.exit(f"no Translation-{suffix} list in {args.lists}: "
                     "run apt-get update -o Acquire::Languages=de,fr,es,it,pt,ru,ja,zh_CN")
        read.append(os.path.basename(path))
        docs, queries, stats = build(path, args.max_docs, args.min_chars, args.queries)
        for split in SPLITS:
            folder = os.path.join(args.out_dir, split, code)
            os.makedirs(folder, exist_ok=True)
            write_jsonl(os.path.join(folder, "docs.jsonl"),
                        ({"id": package, "text": text, "lang": code} for package, _, text in docs))
            write_tsv(os.path.join(folder, "docs.tsv"), ((package, text) for package, _, text in docs))
            numbered = [(f"q{n}", package, synopsis) for n, (package, synopsis) in enumerate(queries[split], 1)]
            write_jsonl(os.path.join(folder, "queries.jsonl"),
                        ({"id": qid, "text": synopsis, "lang": code} for qid, _, synopsis in numbered))
            write_tsv(os.path.join(folder, "queries.tsv"), ((qid, synopsis) for qid, _, synopsis in numbered))
            with open(os.path.join(folder, "qrels.txt"), "w", encoding="utf-8", newline="\n") as out:
                for qid, package, _ in numbered:
                    out.write(f"{qid} 0 {package} 1\n")
        print(f"| {code} | {len(docs)} | {len(queries['development'])} | {len(queries['test'])} | "
              f"{stats['ambiguous synopses']} | {stats['short synopses']} | {stats['duplicate text']} |")
        counts.append(f"{code}: " + ", ".join(f"{key} {value}" for key, value in stats.items()))
    sys.stdout.flush()
    for line in counts:
        print(line, file=sys.stderr)
    with open(os.path.join(args.out_dir, "SOURCE.md"), "w", encoding="utf-8", newline="\n") as out:
        out.write(SOURCE.format(out=args.out_dir, queries=args.queries, max_docs=args.max_docs,
                                split="<split>", lang="<lang>",
                                lists="\n".join(f"- {name}" for name in read)))


if __name__ == "__main__":
    main()
