#!/usr/bin/env python3
"""Writes the pages in other languages that Corpus/stats.tsv counts beside the 83 English
documentation pages: for each language of Catalog/tools/make_catalog.py's TRANSLATIONS, up to
--per-language translated Debian package descriptions (the Debian Description Translation
Project's Translation-xx lists, each under its package's licence; nothing of them is committed
but their document frequencies), every n-th in list order, leaving out the packages the catalog's
items and the demo requests are made from. One JSON line {"lang", "title", "text"} each.

Usage: make_stats_pages.py OUTPUT.jsonl [--per-language N]
Then:  ctxsel stats --output Corpus/stats.tsv Corpus/pages OUTPUT.jsonl
Needs: apt-get update -o Acquire::Languages=de,fr,es,it,pt,ru,ja,zh_CN"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Catalog", "tools"))
import make_catalog  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--per-language", type=int, default=2000)
    args = parser.parse_args()
    sections = make_catalog.package_sections()
    written = 0
    with open(args.output, "w", encoding="utf-8") as out:
        for suffix, code in make_catalog.TRANSLATIONS.items():
            # Every candidate of the catalog's sections is left out: the chosen items and the
            # demo pages come from them.
            excluded = {name for candidates in make_catalog.translated_candidates(suffix, sections).values()
                        for name, _, _, _ in candidates}
            pages, seen = [], set()
            for text in make_catalog.apt_lists(f"Translation-{suffix}"):
                for stanza in make_catalog.stanzas(text):
                    name = stanza.get("Package")
                    key = next((k for k in stanza if k.startswith("Description-") and k != "Description-md5"), None)
                    if not key or name in excluded or stanza.get("Description-md5") in seen:
                        continue
                    seen.add(stanza.get("Description-md5"))
                    body = make_catalog.long_description(stanza[key])
                    if len(body) >= 120:
                        pages.append({"lang": code, "title": stanza[key].split("\n")[0].strip(), "text": body})
            step = max(1, len(pages) // args.per_language)
            for page in pages[::step][:args.per_language]:
                out.write(json.dumps(page, ensure_ascii=False) + "\n")
                written += 1
    print(f"{written} pages → {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
