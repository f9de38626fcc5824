#!/usr/bin/env python3
"""Writes Corpus/requests.jsonl: sample selection requests built from the corpus pages, plus a
few plain-text pages written for the demo, and pages in eight more languages from Debian's translated
package descriptions. Deterministic for the same apt lists (`apt-get update -o
Acquire::Languages=en,de,fr,es,it,pt,ru,ja,zh_CN`). Usage: make_requests.py CORPUS_DIR"""
from html import escape
import json
import os
import sys

corpus = sys.argv[1]
pages = sorted(os.listdir(os.path.join(corpus, "pages")))
chosen = [p for p in pages if p.startswith(("tutorial-", "howto-", "faq-"))][::3] + \
         [p for p in pages if p.startswith("library-")][::6]

SLOTS = [{"id": "sidebar-ad", "count": 2, "kinds": ["ad"]},
         {"id": "related-reading", "count": 3, "kinds": ["content"]}]

requests = []
for name in chosen:
    html = open(os.path.join(corpus, "pages", name), encoding="utf-8").read()
    base = name[:-5].replace("-", "/", 1)
    requests.append({"id": name[:-5], "page": {"url": f"https://docs.python.org/3.11/{base}.html", "html": html},
                     "slots": SLOTS})

# Plain-text pages written for the demo, on topics far from the documentation corpus.
TEXT_PAGES = [
    ("text-trail-running", "Trail running for beginners",
     "Trail running takes you off the road and onto forest paths and mountain trails. Good shoes with grip "
     "matter more than anything else; start with short runs on easy trails, walk the steep climbs, and "
     "carry water on longer outings. Hiking poles help on technical descents.", ["running", "trail"]),
    ("text-baking-bread", "Baking sourdough bread at home",
     "A sourdough starter, flour, water and salt are all you need. Bake the bread in a preheated cast-iron "
     "pot so the crust sets, and let the loaf cool before cutting. Baking is patient cooking.", []),
    ("text-astronomy", "What to see in the night sky this winter",
     "Jupiter and Saturn are bright in the evening sky; a small telescope shows Jupiter's moons and "
     "Saturn's rings. Far from city lights, the Orion nebula and the Andromeda galaxy are visible.", []),
    ("text-health", "Living with type 2 diabetes",
     "Type 2 diabetes is a chronic disease. Patients manage blood sugar with diet, exercise, insulin and "
     "medication, and see a physician regularly for diagnosis and treatment of complications.", []),
    ("text-contact-page", "Contact us",
     "Write to jane.doe@example.org or call +1 (555) 010-4477. Our office network is 192.0.2.10. "
     "Payment questions: card 4111 1111 1111 1111 is our test card. We answer about budgeting and tax.", []),
]
for request_id, title, text, keywords in TEXT_PAGES:
    request = {"id": request_id, "page": {"title": title, "text": text, "lang": "en"},
               "slots": [{"id": "inline", "count": 2}]}
    if keywords:
        request["page"]["keywords"] = keywords
    requests.append(request)

requests.append({"id": "text-explain", "page": {"title": "Threads or asyncio?",
                 "text": "Python offers threading, multiprocessing and asyncio for concurrency. Use asyncio "
                         "for many network connections, processes for CPU-bound work."},
                 "slots": [{"id": "sidebar-ad", "count": 1, "kinds": ["ad"]}], "explain": True})
# Selection rules at work: a publisher's blocks, a lottery, diversity across slots, one advertiser
# at most once, and the dropped candidates with the filter that dropped each.
requests.append({"id": "rules-blocks-and-dropped", "page": {"title": "Deploying a Python web application",
                 "text": "Deploy the web application behind a WSGI server, keep the database backed up, and test it."},
                 "slots": [{"id": "sidebar-ad", "count": 3, "kinds": ["ad", "house"]}],
                 "blocked_categories": ["611"], "blocked_advertisers": ["TestBench"], "explain": True,
                 "now": "2026-11-23T10:00:00Z"})
requests.append({"id": "rules-lottery", "page": {"title": "Learning Python", "text": "A tutorial on Python classes and modules."},
                 "slots": [{"id": "sidebar-ad", "count": 2, "kinds": ["ad"]}], "ranker": "bm25,lottery",
                 "now": "2026-11-23T10:00:00Z"})
requests.append({"id": "rules-diversity", "page": {"title": "Concurrency in Python",
                 "text": "Threads, processes, asyncio and locks: concurrency and parallel programming in Python."},
                 "slots": [{"id": "related", "count": 4, "kinds": ["content"]}], "ranker": "bm25,mmr:0.5"})
requests.append({"id": "consent-none", "page": {"title": "Regular expressions HOWTO", "text": "Patterns and groups."},
                 "consent": {"level": "none"}, "slots": [{"id": "banner", "count": 2, "kinds": ["ad", "house"]}]})
requests.append({"id": "gpc-session", "page": {"title": "Logging cookbook", "text": "Handlers, formatters and filters for logging."},
                 "consent": {"level": "session", "gpc": True}, "slots": [{"id": "banner", "count": 1, "kinds": ["ad"]}]})

# Pages in eight more languages: each two translated Debian package descriptions of one section
# (the Debian Description Translation Project's Translation-xx lists, under their packages'
# licences) that the catalog's items in that language leave out, so each page must be answered by
# other items in its own language. Most declare nothing and are detected; one declares its
# language in the request, one in its HTML.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Catalog", "tools"))
import make_catalog  # noqa: E402

PAGE_SECTIONS = {"de": "graphics", "fr": "games", "es": "sound", "it": "science", "pt": "games", "ru": "graphics",
                 "ja": "sound", "zh": "net"}
package_sections = make_catalog.package_sections()
for suffix, code in make_catalog.TRANSLATIONS.items():
    candidates = make_catalog.translated_candidates(suffix, package_sections)[PAGE_SECTIONS[code]][1::2][:2]
    title = candidates[0][2]
    text = "\n\n".join(body for _, _, _, body in candidates)
    page = {"title": title, "text": text}
    if code == "fr":
        page["lang"] = "fr"
    elif code == "ja":
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
        page = {"html": f'<html lang="ja"><head><title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>{paragraphs}</body></html>'}
    requests.append({"id": f"lang-{code}-{PAGE_SECTIONS[code]}", "page": page,
                     "slots": [{"id": "related-reading", "count": 3, "kinds": ["content"]}]})

with open(os.path.join(corpus, "requests.jsonl"), "w", encoding="utf-8") as out:
    for request in requests:
        out.write(json.dumps(request, ensure_ascii=False) + "\n")

# Malformed lines for trying the error records (not used by the main command).
BAD = [
    '{"id": "bad-json", "page": {"title": "unterminated"',
    '{"id": "no-page", "slots": [{"id": "a", "count": 1}]}',
    '{"id": "wrong-type", "page": {"title": 42}}',
    '{"id": "identity", "page": {"title": "Hello"}, "user": {"email": "someone@example.org"}}',
    '{"id": "unknown-field", "page": {"title": "Hello"}, "colour": "blue"}',
    '{"id": "bad-count", "page": {"title": "Hello"}, "slots": [{"id": "a", "count": 0}]}',
    '[1, 2, 3]',
    '{"id": "fine-after-errors", "page": {"title": "Python unit testing with unittest"}}',
]
with open(os.path.join(corpus, "requests-malformed.jsonl"), "w", encoding="utf-8") as out:
    out.write("\n".join(BAD) + "\n")
print(f"{len(requests)} requests", file=sys.stderr)
