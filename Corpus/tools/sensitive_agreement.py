#!/usr/bin/env python3
"""How a page's sensitive verdict in another language agrees with its English original's: Debian's
translated package descriptions (the Translation-xx lists) beside the English ones of the same
packages (Translation-en), each of 200 characters or more, up to --per-language per language
(every n-th in list order), sent to `ctxsel select` as pages without a declared language. Prints,
per language, the pages, how many were flagged sensitive in translation and in English, how many
both, and how many translations got no verdict at all ("sensitive": null). Parallel text needs no
labels: a classifier that reads a language should flag the translation when it flags the original.

Usage: sensitive_agreement.py [--per-language N] [--ctxsel BIN]
Needs: apt-get update -o Acquire::Languages=en,de,fr,es,it,pt,ru,ja,zh_CN"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Catalog", "tools"))
import make_catalog  # noqa: E402


def verdicts(ctxsel, texts):
    requests = "".join(json.dumps({"id": str(i), "page": {"text": t}, "slots": [{"id": "s", "count": 1}]},
                                  ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    out = subprocess.run([ctxsel, "select"], input=requests.encode("utf-8"), capture_output=True, check=True).stdout
    return [json.loads(line).get("sensitive") for line in out.decode("utf-8").splitlines()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-language", type=int, default=300)
    parser.add_argument("--ctxsel", default=os.environ.get("CTXSEL", ".build/release/ctxsel"))
    args = parser.parse_args()
    english = {}
    for text in make_catalog.apt_lists("Translation-en"):
        for stanza in make_catalog.stanzas(text):
            if "Package" in stanza and "Description-en" in stanza:
                english[stanza["Package"]] = make_catalog.long_description(stanza["Description-en"])
    print("| language | pages | flagged in translation | flagged in English | both | no verdict in translation |")
    print("|---|---:|---:|---:|---:|---:|")
    for suffix, code in make_catalog.TRANSLATIONS.items():
        pairs = []
        for text in make_catalog.apt_lists(f"Translation-{suffix}"):
            for stanza in make_catalog.stanzas(text):
                key = next((k for k in stanza if k.startswith("Description-") and k != "Description-md5"), None)
                if key and stanza.get("Package") in english:
                    body = make_catalog.long_description(stanza[key])
                    if len(body) >= 200:
                        pairs.append((body, english[stanza["Package"]]))
        pairs = pairs[::max(1, len(pairs) // args.per_language)][:args.per_language]
        translated = verdicts(args.ctxsel, [t for t, _ in pairs])
        original = verdicts(args.ctxsel, [e for _, e in pairs])
        both = sum(1 for t, e in zip(translated, original) if t and e)
        print(f"| {code} | {len(pairs)} | {sum(1 for t in translated if t)} | {sum(1 for e in original if e)} | {both} "
              f"| {sum(1 for t in translated if t is None)} |")


if __name__ == "__main__":
    main()
