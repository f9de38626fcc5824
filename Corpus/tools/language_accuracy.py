#!/usr/bin/env python3
"""Language detection accuracy of `ctxsel select` on real text: Debian's translated package
descriptions (the DDTP's Translation-xx lists, fetched with
`apt-get update -o Acquire::Languages=de,fr,es,it,pt,ru,ja,zh_CN`), each long description of at
least 200 characters a page without a declared language; the response's `language.value` is
compared with the list's language. Descriptions keep their packages' licences; nothing is copied
into the project. Prints one Markdown row per language and the total. `--offset 0` (every step-th
description from the first) is the development sample the detection rules were set on; other
offsets take descriptions it never saw.

Usage: language_accuracy.py [--per-language N] [--min-chars C] [--ctxsel BIN]"""
import argparse
import glob
import json
import os
import subprocess
import sys

LANGUAGES = {"de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt", "ru": "ru", "ja": "ja", "zh_CN": "zh"}


def descriptions(path):
    """Long descriptions (without the synopsis line) of a Translation list, in file order."""
    text = subprocess.run(["lz4cat", path], check=True, capture_output=True).stdout.decode("utf-8", "replace")
    for stanza in text.split("\n\n"):
        lines = stanza.split("\n")
        body, inside = [], False
        for line in lines:
            if line.startswith("Description-"):
                inside = True
                continue
            if inside and line.startswith(" "):
                body.append(line[1:] if line.strip() != "." else "")
            elif inside:
                break
        yield "\n".join(body).strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-language", type=int, default=300)
    parser.add_argument("--min-chars", type=int, default=200)
    parser.add_argument("--offset", type=int, default=0,
                        help="which of the step's descriptions to take: 0 for the development sample, 1 or more for unseen ones")
    parser.add_argument("--ctxsel", default=os.environ.get("CTXSEL", ".build/release/ctxsel"))
    args = parser.parse_args()
    rows, right, total = [], 0, 0
    for suffix, code in LANGUAGES.items():
        files = glob.glob(f"/var/lib/apt/lists/*Translation-{suffix.replace('_', '%5f')}*")
        if not files:
            sys.exit(f"no Translation-{suffix} list: run apt-get update -o Acquire::Languages=...")
        texts = [t for t in descriptions(files[0]) if len(t) >= args.min_chars]
        step = max(1, len(texts) // args.per_language)
        sample = texts[min(args.offset, step - 1)::step][:args.per_language]
        requests = "".join(json.dumps({"id": f"{code}-{i}", "page": {"text": t}, "slots": [{"id": "s", "count": 1}]},
                                      ensure_ascii=False) + "\n" for i, t in enumerate(sample))
        out = subprocess.run([args.ctxsel, "select"], input=requests.encode("utf-8"), check=True, capture_output=True).stdout
        answers = [json.loads(line) for line in out.decode("utf-8").splitlines()]
        found = [((a.get("language") or {}).get("value"), (a.get("language") or {}).get("source")) for a in answers]
        hits = sum(1 for value, _ in found if value == code)
        wrong = {}
        for value, source in found:
            if value != code:
                key = f"{value} ({source})"
                wrong[key] = wrong.get(key, 0) + 1
        rows.append((code, len(sample), hits, wrong))
        right += hits
        total += len(sample)
    print(f"| language | pages | detected right | accuracy | read instead |")
    print("|---|---:|---:|---:|---|")
    for code, n, hits, wrong in rows:
        others = ", ".join(f"{k} {v}" for k, v in sorted(wrong.items(), key=lambda kv: -kv[1])) or "—"
        print(f"| {code} | {n} | {hits} | {hits / n:.3f} | {others} |")
    print(f"| all | {total} | {right} | {right / total:.3f} | |")


if __name__ == "__main__":
    main()
