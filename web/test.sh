#!/usr/bin/env bash
# Browser tests of the web UI: builds sitrep, fills a demo store, serves it on a free port,
# watching a local feed, and runs tests/ui.mjs with Debian's chromium (installed with apt-get when missing and this
# runs as root). Screenshots go to target/ui-screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  else
    echo "web/test.sh: needs chromium (apt-get install chromium)" >&2; exit 1
  fi
fi
cargo build -q -p sitrep
out="$PWD/target/ui"
rm -rf "$out" && mkdir -p "$out"
export SITREP_GAZETTEER="$out/gazetteer"
sitrep=target/debug/sitrep
"$sitrep" --db "$out/demo.db" demo > "$out/demo.log" 2>&1
# A local site with a feed, for the watcher the server runs (`serve --watch`).
python3 -u -m http.server 0 --bind 127.0.0.1 --directory web/tests/site > "$out/site.log" 2>&1 &
site=$!
trap 'kill $site 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  port=$(grep -o 'port [0-9]*' "$out/site.log" | head -1 | cut -d' ' -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$out/site.log" >&2; exit 1; }
echo "http://127.0.0.1:$port/feed.xml every=1h" > "$out/sources.txt"
"$sitrep" --db "$out/demo.db" serve --port 0 --watch "$out/sources.txt" --host-delay 0s 2> "$out/serve.log" &
server=$!
trap 'kill $server $site 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  url=$(grep -o 'http://[0-9.:]*' "$out/serve.log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.2
done
[ -n "$url" ] || { cat "$out/serve.log" >&2; exit 1; }
node web/tests/ui.mjs "$url" "$PWD/target/ui-screenshots"
