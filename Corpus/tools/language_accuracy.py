#!/usr/bin/env python3
"""Language detection accuracy of `ctxsel select` on real text: Debian's translated package
descriptions (the DDTP's Translation-xx lists, and Translation-en for the originals, fetched with
`apt-get update -o Acquire::Languages=de,fr,es,it,pt,ru,ja,zh_CN`), each long description of at
least 200 characters a page without a declared language; the response's `language.value` is
compared with the list's language. Descriptions keep their packages' licences; nothing is copied
into the project. Prints one Markdown row per language and the total. `--offset 0` (every step-th
description from the first) is the development sample the detection rules were set on; other
offsets take descriptions it never saw.

Usage: language_accuracy.py [--per-language N] [--min-chars C] [--offset K] [--newer CODE=LIST] [--ctxsel BIN]"""
import argparse
import glob
import json
import os
import subprocess
import sys

LANGUAGES = {"en": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt", "ru": "ru", "ja": "ja", "zh_CN": "zh"}


def descriptions(path):
    """Long descriptions (without the synopsis line) of a Translation list (.lz4 as apt keeps
    them, or .bz2 / .xz as the archive serves them), in file order."""
    reader = {".bz2": "bzcat", ".xz": "xzcat"}.get(os.path.splitext(path)[1], "lz4cat")
    text = subprocess.run([reader, path], check=True, capture_output=True).stdout.decode("utf-8", "replace")
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
    parser.add_argument("--newer", action="append", default=[], metavar="CODE=LIST",
                        help="also score every description of CODE's language in LIST (a newer suite's "
                             "Translation list) that the installed list does not hold: text no sample saw")
    parser.add_argument("--keep-requests", metavar="PREFIX",
                        help="also write each language's requests to PREFIX-<code>.jsonl (for timing `ctxsel select`)")
    parser.add_argument("--ctxsel", default=os.environ.get("CTXSEL", ".build/release/ctxsel"))
    args = parser.parse_args()
    rows, right, total = [], 0, 0

    def score(code, sample):
        requests = "".join(json.dumps({"id": f"{code}-{i}", "page": {"text": t}, "slots": [{"id": "s", "count": 1}]},
                                      ensure_ascii=False) + "\n" for i, t in enumerate(sample))
        if args.keep_requests:
            with open(f"{args.keep_requests}-{code}.jsonl", "w", encoding="utf-8") as kept:
                kept.write(requests)
        out = subprocess.run([args.ctxsel, "select"], input=requests.encode("utf-8"), check=True, capture_output=True).stdout
        answers = [json.loads(line) for line in out.decode("utf-8").splitlines()]
        found = [((a.get("language") or {}).get("value"), (a.get("language") or {}).get("source")) for a in answers]
        wrong = {}
        for value, source in found:
            if value != code:
                key = f"{value} ({source})"
                wrong[key] = wrong.get(key, 0) + 1
        return sum(1 for value, _ in found if value == code), wrong

    def installed(suffix):
        files = glob.glob(f"/var/lib/apt/lists/*_dists_bookworm_main_i18n_Translation-{suffix.replace('_', '%5f')}.*")
        if not files:
            sys.exit(f"no Translation-{suffix} list: run apt-get update -o Acquire::Languages=...")
        return files[0]

    # Each installed list's descriptions, read once: the samples come from them, and a newer
    # list's unseen descriptions are those they do not hold.
    installed_texts = {suffix: list(descriptions(installed(suffix))) for suffix in LANGUAGES}
    for suffix, code in LANGUAGES.items():
        texts = [t for t in installed_texts[suffix] if len(t) >= args.min_chars]
        step = max(1, len(texts) // args.per_language)
        sample = texts[min(args.offset, step - 1)::step][:args.per_language]
        hits, wrong = score(code, sample)
        rows.append((code, len(sample), hits, wrong))
        right += hits
        total += len(sample)
    for entry in args.newer:
        code, path = entry.split("=", 1)
        suffix = next(s for s, c in LANGUAGES.items() if c == code)
        seen = set(installed_texts[suffix])
        sample = [t for t in descriptions(path) if len(t) >= args.min_chars and t not in seen]
        hits, wrong = score(code, sample)
        rows.append((f"{code} ({os.path.basename(path)}, unseen)", len(sample), hits, wrong))
    print(f"| language | pages | detected right | accuracy | read instead |")
    print("|---|---:|---:|---:|---|")
    for code, n, hits, wrong in rows:
        others = ", ".join(f"{k} {v}" for k, v in sorted(wrong.items(), key=lambda kv: -kv[1])) or "—"
        print(f"| {code} | {n} | {hits} | {hits / n:.3f} | {others} |")
    print(f"| all | {total} | {right} | {right / total:.3f} | |")


if __name__ == "__main__":
    main()
