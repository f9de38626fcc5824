#!/usr/bin/env bash
# Peak memory of `ctxsel select` while it streams a long input: for each line count given
# (default 10000 and 1000000), that many request lines made from the bench pages (or, without
# ../shared/bench, from Corpus/requests.jsonl), every 50th one malformed, piped through the filter
# on the default Catalog/. Prints one JSON object per run: lines in, lines out, error lines,
# seconds, peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -x /usr/bin/time ] || { apt-get install -y -qq time >&2; }
swift build -c release --product ctxsel >&2
pages=../shared/bench/pages.jsonl
[ -f "$pages" ] || pages=Corpus/requests.jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for lines in "${@:-10000 1000000}"; do
  python3 - "$pages" "$lines" <<'PY' |
import json, sys
path, count = sys.argv[1], int(sys.argv[2])
pages = []
for line in open(path, encoding="utf-8"):
    page = json.loads(line)
    text = page.get("text") or page.get("page", {}).get("text") or page.get("page", {}).get("html") or ""
    pages.append((page.get("title") or page.get("id"), text[:1500]))
out = sys.stdout
for number in range(count):
    if number % 50 == 49:
        out.write('{"id": "bad-%d", "page": {"title": \n' % number)
        continue
    title, text = pages[number % len(pages)]
    out.write(json.dumps({"id": "r%d" % number, "page": {"title": title, "text": text},
                          "slots": [{"id": "s", "count": 3}]}) + "\n")
PY
  # ctxsel exits 1 when some lines failed (every 50th here), so its status is not the test:
  # the counts below are (one line out per line in, the malformed ones as error records).
  /usr/bin/time -f '%M %e' -o "$work/time" .build/release/ctxsel select 2>/dev/null |
    awk '/^\{"line":/ { errors++ } END { print NR, errors + 0 }' > "$work/counts" || true
  read -r peak seconds < <(tail -n 1 "$work/time")
  read -r out errors < "$work/counts"
  printf '{"mode":"stream_memory","lines":%d,"responses":%d,"error_lines":%d,"seconds":%s,"peak_rss_bytes":%d}\n' \
    "$lines" "$out" "$errors" "$seconds" "$((peak * 1024))"
done
