#!/bin/bash
# Where a cold build's memory goes, process by process (run.py reports only the sums).
#
#   bash benchmarks/memwatch.sh SITE [sitegen build options...] > LOG
#
# Moves SITE's output and cache to /tmp/memwatch-trash/ (delete it afterwards), runs a cold
# `sitegen build` in SITE and prints, twice a second, one line per sample:
#   <unix time>  <pid>:<RSS>/<PSS>/<private dirty> ...   (MB, the build's process first)
# then the build's own output. The summed peak: python benchmarks/memwatch_peak.py LOG
# SITE's themes/ is the copy run.py made when it wrote the corpus: after a change to the
# theme, copy the repository's themes/ in first, or the build measures the old templates.
set -u
site=$1; shift
trash=/tmp/memwatch-trash/$(date +%s%N)
mkdir -p "$trash"
mv "$site/public" "$site/.sitegen-cache" "$trash/" 2>/dev/null
out=$(mktemp)
(cd "$site" && exec python -m sitegen build --now 2026-11-01T00:00:00+07:00 "$@") > "$out" 2>&1 &
build=$!
# Every process below the build: the search index's Pagefind services are its children's children.
descendants() {
  local child
  for child in $(pgrep -P "$1"); do
    echo "$child"
    descendants "$child"
  done
}
while kill -0 "$build" 2>/dev/null; do
  line="$(date +%s)"
  for pid in $build $(descendants "$build"); do
    sample=$(awk '/^Rss:/{r=$2} /^Pss:/{p=$2} /^Private_Dirty:/{d=$2}
                  END{if (r) printf "%d/%d/%d", r/1024, p/1024, d/1024}' "/proc/$pid/smaps_rollup" 2>/dev/null)
    [ -n "$sample" ] && line="$line $pid:$sample"
  done
  echo "$line"
  sleep 0.5
done
cat "$out"; rm -f "$out"
