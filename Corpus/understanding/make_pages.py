#!/usr/bin/env python3
"""Assembles the page-understanding evaluation set: real pages of five kinds, each with its source,
licence, kind and split, joined with the hand labels in labels.jsonl beside this script.

Usage: make_pages.py OUTPUT_DIR [--pool]

Writes OUTPUT_DIR/dev.jsonl and OUTPUT_DIR/test.jsonl, one page a line:
  {"id", "kind", "split", "source", "licence", "title", "text", "sensitive", "sensitive_rows",
   "categories", "note"}
With --pool, writes OUTPUT_DIR/pool.jsonl instead: every page without labels (what the labelers
read). Deterministic: the same sources give the same pages and the same split.

Sources (none is copied into the repository; each is read where Debian or PyPI puts it):
  - encyclopedia: ../shared/bench/pages.jsonl, 447 English Wikipedia sections (CC BY-SA 4.0),
    split into development and test by article (every section of an article on one side).
  - technical documentation: the 83 Python 3.11 documentation pages in Corpus/pages
    (development; PSF License 2) and 80 pages of Debian's sqlite3-doc (test; public domain).
  - news: the 300 articles of the Lee 2005 corpus, gensim's test data lee_background.cor
    (test only; Australian Broadcasting Corporation news, distributed with gensim, LGPL-2.1).
  - religious text: 60 chapters of the King James Bible from Debian's bible-kjv (test only;
    public domain).
  - software descriptions: the 123 Debian package descriptions of Corpus/sensitivity
    (development; each under its package's licence).
The reserved held-out collections (Lee, bible-kjv, sqlite3-doc) are always on the test side.
"""
import glob
import html.parser
import json
import os
import random
import re
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("CTXSEL_SHARED", os.path.join(ROOT, "..", "shared"))
CACHE = os.environ.get("CTXSEL_DATA_CACHE", os.path.join(ROOT, "runs", "data-cache"))
SEED = 20261207


class TextOfHTML(html.parser.HTMLParser):
    """Title and visible text of an HTML page (script, style and navigation left out)."""
    SKIP = {"script", "style", "nav", "head"}

    def __init__(self):
        super().__init__()
        self.title, self.parts, self.depth, self.in_title = "", [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.depth:
            self.parts.append(data)

    @classmethod
    def of(cls, markup):
        parser = cls()
        parser.feed(markup)
        text = re.sub(r"\s+", " ", " ".join(parser.parts)).strip()
        return re.sub(r"\s+", " ", parser.title).strip(), text


def wikipedia():
    path = os.path.join(SHARED, "bench", "pages.jsonl")
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    articles = sorted({row["title"].split(" / ")[0] for row in rows})
    random.Random(SEED).shuffle(articles)
    test_articles = set(articles[: len(articles) // 2])
    for row in rows:
        split = "test" if row["title"].split(" / ")[0] in test_articles else "dev"
        yield {"id": "wiki-" + row["id"], "kind": "encyclopedia", "split": split,
               "source": "English Wikipedia, section of " + row["title"].split(" / ")[0] + " (../shared/bench/pages.jsonl)",
               "licence": "CC BY-SA 4.0", "title": row["title"], "text": row["text"]}


def python_docs():
    for path in sorted(glob.glob(os.path.join(ROOT, "Corpus", "pages", "*.html"))):
        title, text = TextOfHTML.of(open(path, encoding="utf-8").read())
        name = os.path.basename(path)[:-5]
        yield {"id": "pydoc-" + name, "kind": "technical", "split": "dev",
               "source": "Python 3.11 documentation, Corpus/pages/" + name + ".html",
               "licence": "PSF License Version 2", "title": title, "text": text}


def sqlite_docs():
    paths = sorted(p for p in glob.glob("/usr/share/doc/sqlite3/**/*.html", recursive=True)
                   if os.path.getsize(p) > 4000)
    if not paths:
        sys.exit("make_pages.py: Debian's sqlite3-doc is not installed (apt-get install sqlite3-doc)")
    for path in sorted(random.Random(SEED).sample(paths, 80)):
        title, text = TextOfHTML.of(open(path, encoding="utf-8", errors="replace").read())
        name = os.path.relpath(path, "/usr/share/doc/sqlite3")[:-5].replace("/", "-")
        yield {"id": "sqlite-" + name, "kind": "technical", "split": "test",
               "source": "SQLite documentation, Debian sqlite3-doc /usr/share/doc/sqlite3/" + name + ".html",
               "licence": "public domain", "title": title, "text": text}


def lee_news():
    path = os.path.join(CACHE, "lee_background.cor")
    if not os.path.exists(path):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                        "-d", CACHE, "gensim==4.4.0"], check=True, stdout=subprocess.DEVNULL)
        wheel = glob.glob(os.path.join(CACHE, "gensim-4.4.0-*.whl"))[0]
        with zipfile.ZipFile(wheel) as archive, open(path, "wb") as out:
            out.write(archive.read("gensim/test/test_data/lee_background.cor"))
    for number, line in enumerate(open(path, encoding="latin-1"), start=1):
        text = line.strip()
        if text:
            yield {"id": f"lee-{number:03d}", "kind": "news", "split": "test",
                   "source": f"Lee 2005 news corpus, gensim 4.4.0 test data lee_background.cor line {number}",
                   "licence": "ABC news text distributed for research with gensim (LGPL-2.1)",
                   "title": "", "text": text}


def kjv_chapters():
    try:
        books = subprocess.run(["bible", "-l2000", "Gen1:1"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        sys.exit("make_pages.py: Debian's bible-kjv is not installed (apt-get install bible-kjv)")
    del books
    chapters = [(book, n) for book, count in KJV_BOOKS for n in range(1, count + 1)]
    for book, number in sorted(random.Random(SEED).sample(chapters, 60), key=chapters.index):
        out = subprocess.run(["bible", "-l100000", f"{book}{number}:1-200"], capture_output=True, text=True).stdout
        verses = [re.sub(r"^\s*\d+\s+", "", line).strip() for line in out.splitlines()]
        text = " ".join(v for v in verses if v and not v.startswith(("bible:", "Hit '?'")) and not re.match(r"^[1-3A-Z][A-Za-z ]+ \d+$", v))
        yield {"id": f"kjv-{book.lower()}-{number}", "kind": "religious", "split": "test",
               "source": f"King James Bible, {book} {number}, Debian bible-kjv", "licence": "public domain",
               "title": "", "text": text}


def debian_descriptions():
    for line in open(os.path.join(ROOT, "Corpus", "sensitivity", "pages.jsonl"), encoding="utf-8"):
        row = json.loads(line)
        yield {"id": "debian-" + row["id"], "kind": "software", "split": "dev",
               "source": "Debian 12 package description (Corpus/sensitivity/pages.jsonl)",
               "licence": "the package's licence", "title": row.get("title", ""), "text": row["text"]}


KJV_BOOKS = [("Gen", 50), ("Exo", 40), ("Lev", 27), ("Num", 36), ("Deu", 34), ("Jos", 24), ("Jdg", 21),
             ("Rut", 4), ("1Sa", 31), ("2Sa", 24), ("1Ki", 22), ("2Ki", 25), ("1Ch", 29), ("2Ch", 36),
             ("Ezr", 10), ("Neh", 13), ("Est", 10), ("Job", 42), ("Psa", 150), ("Pro", 31), ("Ecc", 12),
             ("Son", 8), ("Isa", 66), ("Jer", 52), ("Lam", 5), ("Eze", 48), ("Dan", 12), ("Hos", 14),
             ("Joe", 3), ("Amo", 9), ("Oba", 1), ("Jon", 4), ("Mic", 7), ("Nah", 3), ("Hab", 3), ("Zep", 3),
             ("Hag", 2), ("Zec", 14), ("Mal", 4), ("Mat", 28), ("Mar", 16), ("Luk", 24), ("Joh", 21),
             ("Act", 28), ("Rom", 16), ("1Co", 16), ("2Co", 13), ("Gal", 6), ("Eph", 6), ("Phi", 4),
             ("Col", 4), ("1Th", 5), ("2Th", 3), ("1Ti", 6), ("2Ti", 4), ("Tit", 3), ("Phm", 1), ("Heb", 13),
             ("Jam", 5), ("1Pe", 5), ("2Pe", 3), ("1Jo", 5), ("2Jo", 1), ("3Jo", 1), ("Jud", 1), ("Rev", 22)]


def pages():
    for source in (wikipedia, python_docs, debian_descriptions, sqlite_docs, lee_news, kjv_chapters):
        yield from source()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    if "--pool" in sys.argv:
        with open(os.path.join(out, "pool.jsonl"), "w", encoding="utf-8") as pool:
            for page in pages():
                pool.write(json.dumps(page, ensure_ascii=False) + "\n")
        return
    labels = {}
    for number, line in enumerate(open(os.path.join(HERE, "labels.jsonl"), encoding="utf-8"), start=1):
        row = json.loads(line)
        labels[row["id"]] = row
    files = {split: open(os.path.join(out, split + ".jsonl"), "w", encoding="utf-8") for split in ("dev", "test")}
    missing = []
    for page in pages():
        label = labels.get(page["id"])
        if label is None:
            missing.append(page["id"])
            continue
        page.update({key: label[key] for key in ("sensitive", "sensitive_rows", "categories", "note") if key in label})
        files[page["split"]].write(json.dumps(page, ensure_ascii=False) + "\n")
    if missing:
        sys.exit(f"make_pages.py: {len(missing)} pages have no label in labels.jsonl, first {missing[0]}")


if __name__ == "__main__":
    main()
