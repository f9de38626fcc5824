#!/usr/bin/env python3
"""Builds Catalog/items.jsonl from material on a Debian 12 machine, deterministically.

Sources (see Catalog/FORMAT.md for provenance and licences):
  * Debian package synopses and long descriptions (apt's Packages and Translation-en lists):
    content items recommending software; and in eight more languages from the Debian Description
    Translation Project's Translation-xx lists (de, fr, es, it, pt, ru, ja, zh_CN).
  * The Python 3.11 documentation (Debian package python3.11-doc): content items pointing to
    library reference pages as related reading.
  * Ads and house ads written for this demo catalog (ADS and HOUSE below).

Usage: make_catalog.py PYTHON_DOC_HTML_DIR OUTPUT.jsonl
Needs: `apt-get update -o Acquire::Languages=en,de,fr,es,it,pt,ru,ja,zh_CN` beforehand.
"""
import glob
import html
import html.parser
import json
import os
import re
import subprocess
import sys

# Debian section → IAB Content Taxonomy 3.1 category ids.
SECTION_CATEGORIES = {
    "python": ["631"], "devel": ["631"], "interpreters": ["631"], "perl": ["631"], "ruby": ["631"],
    "golang": ["631"], "rust": ["631"], "haskell": ["631"], "ocaml": ["631"], "java": ["631"],
    "lisp": ["631"], "php": ["631", "621"], "javascript": ["631", "621"], "vcs": ["631"],
    "web": ["621"], "httpd": ["621", "622"], "database": ["611"], "net": ["600"], "comm": ["600"],
    "mail": ["623"], "graphics": ["614"], "video": ["606"], "sound": ["613"], "games": ["680"],
    "science": ["464"], "math": ["464"], "electronics": ["632"], "admin": ["615"], "utils": ["602"],
    "text": ["602"], "editors": ["602"], "misc": ["602"], "education": ["132"], "gnome": ["615"],
    "kde": ["615"], "x11": ["615"], "xfce": ["615"], "shells": ["615"], "kernel": ["615"],
    "tex": ["612"], "fonts": ["612"], "news": ["619"], "hamradio": ["600"], "embedded": ["638"],
}
SKIP_NAME = re.compile(r"^(lib|linux-|firmware-|node-|golang-|r-cran-|r-bioc-|fonts-|texlive-|ruby-|php-|"
                       r"librust-|haskell-|ocaml-|erlang-)|(-dev|-dbg|-dbgsym|-doc|-data|-common|-tests?|-examples|"
                       r"-l10n.*|-locales?|-dbginfo)$")
PACKAGE_TARGET = 2200


def apt_lists(pattern):
    for path in sorted(glob.glob(f"/var/lib/apt/lists/*{pattern}*")):
        if path.endswith(".lz4"):
            text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], capture_output=True,
                                  text=True, check=True).stdout
        else:
            text = open(path, encoding="utf-8").read()
        yield text


def stanzas(text):
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.split("\n"):
            if line.startswith((" ", "\t")) and key:
                fields[key] += "\n" + line
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if fields:
            yield fields


def is_cjk(character):
    code = ord(character)
    return 0x3000 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def joined(lines):
    """Wrapped lines as one paragraph: Chinese and Japanese lines are wrapped inside words, so a
    break between two CJK characters is no space."""
    text = ""
    for line in lines:
        if text and line and not (is_cjk(text[-1]) and is_cjk(line[0])):
            text += " "
        text += line
    return text


def long_description(raw):
    paragraphs, current = [], []
    for line in raw.split("\n")[1:]:
        line = line[1:] if line.startswith(" ") else line
        if line.strip() == ".":
            paragraphs.append(joined(current))
            current = []
        else:
            current.append(line.strip())
    paragraphs.append(joined(current))
    return "\n\n".join(p for p in paragraphs if p)


def debian_items():
    sections = {}
    for text in apt_lists("binary-amd64_Packages"):
        for s in stanzas(text):
            if "Package" in s:
                sections[s["Package"]] = s.get("Section", "misc").split("/")[-1]
    descriptions = {}
    for text in apt_lists("Translation-en"):
        for s in stanzas(text):
            if "Package" in s and "Description-en" in s:
                descriptions[s["Package"]] = s["Description-en"]
    candidates = []
    for name in sorted(descriptions):
        section = sections.get(name)
        if section not in SECTION_CATEGORIES or SKIP_NAME.search(name):
            continue
        raw = descriptions[name]
        synopsis = raw.split("\n")[0].strip()
        body = long_description(raw)
        if len(body) < 250 or "transitional" in synopsis.lower() or "dummy" in synopsis.lower():
            continue
        candidates.append((name, section, synopsis, body))
    step = max(1, len(candidates) // PACKAGE_TARGET)
    for name, section, synopsis, body in candidates[::step][:PACKAGE_TARGET]:
        yield {"id": f"deb:{name}", "kind": "content", "title": f"{name}: {synopsis}", "body": body,
               "url": f"https://packages.debian.org/bookworm/{name}", "categories": SECTION_CATEGORIES[section],
               "priority": 3, "languages": ["en"]}


# The Debian Description Translation Project's lists (apt's Translation-xx) → item languages.
TRANSLATIONS = {"de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt", "ru": "ru", "ja": "ja", "zh%5fCN": "zh"}
TRANSLATED_SECTIONS = ["games", "graphics", "sound", "net", "text", "science"]
TRANSLATED_PER_SECTION = 20


def package_sections():
    sections = {}
    for text in apt_lists("binary-amd64_Packages"):
        for s in stanzas(text):
            if "Package" in s:
                sections[s["Package"]] = s.get("Section", "misc").split("/")[-1]
    return sections


def translated_candidates(suffix, sections):
    """(name, section, synopsis, long description) of the packages of TRANSLATED_SECTIONS whose
    description is translated in list `suffix`, in name order: one list per section."""
    by_section = {section: [] for section in TRANSLATED_SECTIONS}
    seen = set()
    for text in apt_lists(f"Translation-{suffix}"):
        for s in stanzas(text):
            name = s.get("Package")
            key = next((k for k in s if k.startswith("Description-") and k != "Description-md5"), None)
            section = sections.get(name)
            if not key or name in seen or section not in by_section or SKIP_NAME.search(name):
                continue
            seen.add(name)
            raw = s[key]
            synopsis, body = raw.split("\n")[0].strip(), long_description(raw)
            if len(body) >= 120:
                by_section[section].append((name, section, synopsis, body))
    for section in by_section:
        by_section[section].sort()
    return by_section


def translated_items():
    """Content items in eight more languages: per language, up to TRANSLATED_PER_SECTION packages
    of each of TRANSLATED_SECTIONS, every n-th of those whose description is translated, with the
    translated synopsis and long description. The odd-numbered candidates are never chosen:
    Corpus/tools/make_requests.py builds its pages in these languages from them."""
    sections = package_sections()
    for suffix, code in TRANSLATIONS.items():
        for section, candidates in translated_candidates(suffix, sections).items():
            chosen = candidates[0::2]
            step = max(1, len(chosen) // TRANSLATED_PER_SECTION)
            for name, _, synopsis, body in chosen[::step][:TRANSLATED_PER_SECTION]:
                yield {"id": f"deb-{code}:{name}", "kind": "content", "title": f"{name}: {synopsis}", "body": body,
                       "url": f"https://packages.debian.org/bookworm/{name}", "categories": SECTION_CATEGORIES[section],
                       "priority": 3, "languages": [code]}


class ParagraphReader(html.parser.HTMLParser):
    """Collects a Sphinx page's title and the first paragraphs of its body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.paragraphs, self.stack = "", [], []
        self.in_title, self.in_p, self.in_body, self.current = False, False, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self.in_title = True
        if tag == "div" and attrs.get("role") == "main":
            self.in_body = True
        if tag == "p" and self.in_body:
            self.in_p, self.current = True, []

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "p" and self.in_p:
            self.in_p = False
            text = " ".join("".join(self.current).split())
            if len(text) > 40:
                self.paragraphs.append(text)

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.in_p:
            self.current.append(data)


def python_doc_items(doc_dir):
    for path in sorted(glob.glob(os.path.join(doc_dir, "library", "*.html"))):
        reader = ParagraphReader()
        reader.feed(open(path, encoding="utf-8").read())
        title = reader.title.replace("— Python 3.11.2 documentation", "").strip(" —")
        title = re.sub(r"\s*—\s*Python 3\.11\.\d+ documentation$", "", reader.title).strip()
        body, total = [], 0
        for paragraph in reader.paragraphs:
            if total > 900:
                break
            body.append(paragraph)
            total += len(paragraph)
        if not title or total < 120:
            continue
        name = os.path.basename(path)[:-5]
        yield {"id": f"pydoc:{name}", "kind": "content", "title": f"Python docs: {title}", "body": "\n\n".join(body),
               "url": f"https://docs.python.org/3.11/library/{name}.html", "categories": ["631"], "priority": 4,
               "languages": ["en"]}


# Ads written for this demo catalog. Advertisers are fictional.
ADS = [
    # id, advertiser, title, body, keywords, negative keywords, categories, priority, weight
    ("ad:brightpath-python-course", "BrightPath Academy", "Learn Python in 8 weeks",
     "Live online Python course: data structures, classes, testing and packaging, with weekly code review.",
     ["python course", "learn python", "python tutorial", "programming"], ["snake", "reptile"], ["631", "148"], 7, 2.0),
    ("ad:brightpath-data-science", "BrightPath Academy", "Data science bootcamp",
     "Twelve weeks of pandas, statistics and machine learning projects, taught by working data scientists.",
     ["data science", "machine learning", "statistics", "pandas", "numpy"], [], ["597", "148"], 6, 1.8),
    ("ad:brightpath-web-course", "BrightPath Academy", "Full-stack web development course",
     "Build and deploy web applications with HTTP, HTML, JavaScript and a Python backend.",
     ["web development", "http", "html", "javascript", "django", "flask"], [], ["621", "148"], 5, 1.5),
    ("ad:nimbus-hosting", "Nimbus Cloud", "Deploy Python apps in one command",
     "Managed hosting for WSGI and ASGI applications with automatic TLS, backups and logs.",
     ["hosting", "deploy", "wsgi", "asgi", "web server", "cloud"], ["outage"], ["622", "620"], 8, 3.0),
    ("ad:nimbus-postgres", "Nimbus Cloud", "Managed PostgreSQL databases",
     "Point-in-time recovery, read replicas and connection pooling for your SQL database.",
     ["database", "sql", "postgresql", "sqlite", "query"], [], ["611", "620"], 7, 2.5),
    ("ad:nimbus-object-storage", "Nimbus Cloud", "Object storage for backups and archives",
     "Store files, compressed archives and backups with lifecycle rules and versioning.",
     ["storage", "backup", "archive", "zip", "tar", "compression", "files"], [], ["616", "620"], 5, 1.2),
    ("ad:keystone-keyboards", "Keystone Keyboards", "Mechanical keyboards for programmers",
     "Quiet tactile switches, programmable layers and a layout made for code editors.",
     ["keyboard", "programmer", "editor", "typing", "terminal"], [], ["601"], 4, 1.0),
    ("ad:quillpad-editor", "Quillpad", "A fast code editor with a built-in debugger",
     "Syntax highlighting for dozens of languages, a debugger, refactoring and Git integration.",
     ["editor", "debugger", "ide", "refactoring", "syntax", "git"], [], ["602", "631"], 6, 1.6),
    ("ad:shieldnet-vpn", "ShieldNet", "Encrypt your connection on public Wi-Fi",
     "A VPN with WireGuard, no traffic logs and servers in 40 countries.",
     ["vpn", "network", "encryption", "ssl", "tls", "socket", "security"], [], ["618", "600"], 5, 1.4),
    ("ad:lockstep-security-audit", "Lockstep Security", "Find vulnerabilities before attackers do",
     "Automated dependency scanning and secret detection for your repositories.",
     ["security", "vulnerability", "audit", "cryptography", "hash", "secrets"], [], ["618"], 6, 2.2),
    ("ad:pixelforge-gpu", "PixelForge", "GPU workstations for machine learning",
     "Train models locally with up to four GPUs, pre-installed with CUDA and Python tooling.",
     ["gpu", "machine learning", "neural network", "training", "numpy"], [], ["597", "617"], 5, 2.8),
    ("ad:orbit-conf", "Orbit Conference", "PyOrbit 2027: three days of Python talks",
     "Talks on asyncio, typing, packaging and performance, with tutorials and sprints.",
     ["python", "conference", "asyncio", "typing", "packaging", "talks"], [], ["631"], 4, 1.0),
    ("ad:folio-books-programming", "Folio Books", "Programming books, 30% off",
     "Classic and new titles on algorithms, Python, C and system design.",
     ["book", "algorithms", "programming", "python", "c"], [], ["42", "631"], 3, 0.8),
    ("ad:folio-books-fiction", "Folio Books", "New fiction this month",
     "Novels, short stories and poetry from debut and award-winning authors.",
     ["novel", "fiction", "poetry", "stories", "books"], [], ["48", "49"], 3, 0.8),
    ("ad:trailhead-running-shoes", "Trailhead Outfitters", "Trail running shoes",
     "Grippy, light trail shoes for muddy and rocky paths, tested on mountain races.",
     ["running", "trail", "shoes", "marathon", "hiking"], [], ["483"], 5, 1.3),
    ("ad:trailhead-camping", "Trailhead Outfitters", "Lightweight camping gear",
     "Tents, sleeping bags and stoves for multi-day hikes, all under two kilograms.",
     ["camping", "tent", "hiking", "outdoors", "backpacking"], [], ["677"], 4, 1.1),
    ("ad:copper-kettle-cooking", "Copper Kettle", "Cast-iron cookware that lasts a lifetime",
     "Pans and dutch ovens for searing, baking bread and slow cooking.",
     ["cooking", "recipe", "bread", "baking", "kitchen"], [], ["216", "217"], 4, 1.0),
    ("ad:copper-kettle-tea", "Copper Kettle", "Loose-leaf tea and brewing kits",
     "Green, black and oolong teas with a glass teapot and brewing guide.",
     ["tea", "green tea", "oolong", "teapot", "brewing"], [], ["222"], 3, 0.7),
    ("ad:railway-europe", "Meridian Rail", "Cross Europe by train",
     "Rail passes for 33 countries, with night trains and scenic routes.",
     ["train", "rail", "europe", "travel", "journey"], [], ["669", "659"], 4, 1.2),
    ("ad:starlight-telescopes", "Starlight Optics", "Telescopes for backyard astronomy",
     "Dobsonian and refractor telescopes to see planets, nebulae and galaxies.",
     ["telescope", "astronomy", "planets", "galaxy", "stars"], [], ["472"], 4, 1.0),
    ("ad:harmonia-guitars", "Harmonia Instruments", "Acoustic guitars for beginners",
     "Solid-top guitars with free online lessons for chords and fingerpicking.",
     ["guitar", "music", "chords", "lessons", "instrument"], [], ["243"], 3, 0.9),
    ("ad:ledgerly-budgeting", "Ledgerly", "Budgeting that adds up",
     "Track spending, plan savings and export your data to CSV at any time.",
     ["budget", "savings", "spending", "finance", "csv"], ["casino"], ["396", "397"], 4, 1.1),
    ("ad:ledgerly-tax", "Ledgerly", "File your taxes online",
     "Step-by-step tax filing with calculations checked twice, decimal-exact.",
     ["tax", "taxes", "decimal", "calculation", "finance"], [], ["415"], 3, 1.0),
    ("ad:lingua-language-app", "Lingua", "Learn a language ten minutes a day",
     "Spanish, French, German and Japanese lessons with speech practice.",
     ["language", "learning", "spanish", "french", "german", "unicode"], [], ["147"], 3, 0.9),
    ("ad:chronos-watches", "Chronos", "Precision watches",
     "Automatic watches accurate to seconds a day, with a date and time-zone complication.",
     ["time", "watch", "time zone", "date", "clock"], [], ["632"], 3, 1.5),
    ("ad:gamevault-indie", "GameVault", "Indie games sale",
     "Puzzle, strategy and adventure games from independent studios, up to 70% off.",
     ["game", "games", "puzzle", "strategy", "adventure"], ["casino", "gambling"], ["680", "684"], 4, 1.0),
    ("ad:pagecraft-sites", "PageCraft", "Website builder for small businesses",
     "Templates, a drag-and-drop editor, forms and HTML export.",
     ["website", "html", "css", "templates", "web design"], [], ["629"], 4, 1.1),
    ("ad:mailwise-newsletters", "Mailwise", "Newsletters people read",
     "Email campaigns with plain-text fallbacks, MIME attachments and deliverability reports.",
     ["email", "newsletter", "smtp", "mime", "mail"], [], ["623"], 4, 1.2),
    ("ad:signalworks-iot", "SignalWorks", "Sensors and boards for IoT projects",
     "Microcontrollers, serial adapters and sensor kits that talk to Python over USB.",
     ["serial", "usb", "sensor", "microcontroller", "iot", "hardware"], [], ["625", "638"], 3, 0.9),
    ("ad:atlas-maps", "Atlas Maps", "Offline maps for road trips",
     "Turn-by-turn navigation without a connection, with campsite and fuel data.",
     ["map", "navigation", "road trip", "gps", "travel"], [], ["670", "WQC6HR"], 3, 0.8),
    ("ad:sprout-gardening", "Sprout", "Seeds and raised beds for home gardens",
     "Heirloom vegetable seeds, compost and cedar raised beds delivered to your door.",
     ["garden", "gardening", "seeds", "vegetables", "compost"], [], ["275"], 3, 0.7),
    ("ad:concurrency-workshop", "ThreadLine Training", "Concurrency and async workshop",
     "A two-day workshop on threads, processes, asyncio and lock-free design.",
     ["concurrency", "threading", "asyncio", "multiprocessing", "async", "locks"], [], ["631", "247"], 6, 1.7),
    ("ad:regex-cheatsheet", "ThreadLine Training", "The regular expressions course",
     "Patterns, groups, lookarounds and Unicode matching, with exercises you can run.",
     ["regular expression", "regex", "pattern", "match", "unicode"], [], ["631"], 5, 1.2),
    ("ad:testbench-ci", "TestBench", "Continuous integration that runs your tests in parallel",
     "Fast CI for unittest, pytest and doctest suites, with flaky-test detection.",
     ["testing", "unittest", "pytest", "doctest", "continuous integration", "test"], [], ["631", "602"], 6, 1.9),
    ("ad:logline-observability", "Logline", "Logs, metrics and traces in one place",
     "Structured logging for Python and every other language, with alerts and dashboards.",
     ["logging", "logs", "metrics", "monitoring", "debugging"], [], ["602", "626"], 5, 1.6),
]

# Rules on some of the demo ads, so that the default catalog exercises every eligibility filter.
AD_RULES = {
    # Kevel-style targeting: (python AND course) OR tutorial, never on pages about snakes.
    "ad:brightpath-python-course": {"targeting": "python, course\ntutorial\nlearn python", "frequency_cap": 3},
    # JSON-form targeting: data science pages that are not about spreadsheets.
    "ad:brightpath-data-science": {"targeting": {"all": [{"any": ["data", "statistics", "machine learning"]}, {"not": "spreadsheet"}]}},
    # A sponsorship: tried before the paid tier, during office hours in Paris, on weekdays.
    "ad:nimbus-hosting": {"tier": "sponsorship",
                          "schedule": {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "hours": [8, 20], "time_zone": "Europe/Paris"}},
    # A seasonal campaign with start and end.
    "ad:folio-books-programming": {"schedule": {"start": "2026-11-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"}},
    # Not on sports pages; shown at most twice a visit.
    "ad:keystone-keyboards": {"blocked_page_categories": ["483"], "frequency_cap": 2},
    # May appear on sensitive pages (it targets no sensitive category itself).
    "ad:ledgerly-budgeting": {"sensitive_ok": True},
    "ad:copper-kettle-tea": {"sensitive_ok": True},
    # Only on pages that mention the trail or the mountains.
    "ad:trailhead-running-shoes": {"targeting": "trail\nmountain\nmarathon"},
}

HOUSE = [
    ("house:newsletter", "Get our weekly digest", "The best new articles and tutorials, once a week, no tracking.",
     ["newsletter", "weekly"]),
    ("house:donate", "Support this site", "Reader-funded, ad-light and privacy-first: chip in to keep it that way.", []),
    ("house:privacy-policy", "How we choose what you see here", "Ads and recommendations follow this page's content, never you.", []),
]


def demo_price(priority, weight):
    """A made-up price per thousand impressions for the demo's OpenRTB bids: higher for the
    ads the demo ranks higher, in US dollars."""
    return {"amount": round(1.0 + 0.25 * priority + 0.5 * weight, 2), "currency": "USD"}


def ad_items():
    for ad_id, advertiser, title, body, keywords, negatives, categories, priority, weight in ADS:
        item = {"id": ad_id, "kind": "ad", "advertiser": advertiser, "title": title, "body": body,
                "url": f"https://example.com/{ad_id.split(':')[1]}", "keywords": keywords,
                "negative_keywords": negatives, "categories": categories, "priority": priority, "weight": weight,
                "languages": ["en"], "cpm": demo_price(priority, weight)}
        item.update(AD_RULES.get(ad_id, {}))
        yield item
    for house_id, title, body, keywords in HOUSE:
        yield {"id": house_id, "kind": "house", "title": title, "body": body,
               "url": f"https://example.com/{house_id.split(':')[1]}", "keywords": keywords, "priority": 1,
               "sensitive_ok": True}


def main():
    doc_dir, output = sys.argv[1], sys.argv[2]
    items = list(ad_items()) + list(python_doc_items(doc_dir)) + list(debian_items()) + list(translated_items())
    items.sort(key=lambda item: item["id"])
    with open(output, "w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False, sort_keys=False) + "\n")
    print(f"{len(items)} items → {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
