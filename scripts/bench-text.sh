#!/usr/bin/env bash
# Time `gongkai text` against `pdftotext -layout` over the whole corpus (every PDF, one process per
# file, output discarded), best of N rounds, and print the ratio. gongkai is timed twice: with one
# thread (RAYON_NUM_THREADS=1, a like-for-like comparison with single-threaded pdftotext) and with
# its default page-parallelism.
#
#   scripts/bench-text.sh [ROUNDS] [DIR...]     (default: 5 rounds over ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
shift || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(../shared/corpus)
command -v pdftotext >/dev/null || { echo "pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/gongkai
mapfile -t files < <(find "${dirs[@]}" -name '*.pdf' | sort)
pages=0
for f in "${files[@]}"; do
  n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  pages=$((pages + ${n:-0}))
done

best() { # best wall time in seconds of "$@" run over all files, $rounds times
  local best=""
  for _ in $(seq "$rounds"); do
    local t0 t1
    t0=$(date +%s.%N)
    for f in "${files[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done
    t1=$(date +%s.%N)
    local dt; dt=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
  done
  echo "$best"
}

pdftotext_layout() { pdftotext -layout "$1" -; }
gongkai_one_thread() { RAYON_NUM_THREADS=1 "$bin" text "$1"; }
gongkai_default() { "$bin" text "$1"; }

t_ref=$(best pdftotext_layout)
t_one=$(best gongkai_one_thread)
t_par=$(best gongkai_default)
printf '%d files, %d pages, best of %d rounds\n' "${#files[@]}" "$pages" "$rounds"
printf '%-28s %8.3f s  %7.1f pages/s\n' "pdftotext -layout" "$t_ref" "$(echo "$pages / $t_ref" | bc -l)"
printf '%-28s %8.3f s  %7.1f pages/s  %5.2fx pdftotext\n' "gongkai text (1 thread)" "$t_one" "$(echo "$pages / $t_one" | bc -l)" "$(echo "$t_ref / $t_one" | bc -l)"
printf '%-28s %8.3f s  %7.1f pages/s  %5.2fx pdftotext\n' "gongkai text ($(nproc) cores)" "$t_par" "$(echo "$pages / $t_par" | bc -l)" "$(echo "$t_ref / $t_par" | bc -l)"
