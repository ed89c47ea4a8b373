#!/usr/bin/env bash
# Time the whole pipeline (`gongkai extract`) against `pdftotext -layout` over the corpus, in one
# run: one process per file, both pinned to one core (taskset -c 0, RAYON_NUM_THREADS=1), output
# discarded, best of N rounds, and print the ratio gongkai / pdftotext (issue 10 asks ≤ 0.75).
#
#   scripts/bench-extract.sh [ROUNDS] [DIR...]     (default: 3 rounds over ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(../shared/corpus)
command -v pdftotext >/dev/null || { echo "pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "taskset not found (util-linux)" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/gongkai
mapfile -t files < <(find "${dirs[@]}" -name '*.pdf' | sort)

best() { # best wall time in seconds of "$@" over all files, $rounds rounds
  local best=""
  for _ in $(seq "$rounds"); do
    local t0 t1 dt
    t0=$(date +%s.%N)
    for f in "${files[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done
    t1=$(date +%s.%N)
    dt=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
  done
  echo "$best"
}

pdftotext_layout() { taskset -c 0 pdftotext -layout "$1" -; }
gongkai_extract() { RAYON_NUM_THREADS=1 taskset -c 0 "$bin" extract "$1"; }

t_ref=$(best pdftotext_layout)
t_ext=$(best gongkai_extract)
printf '%d files, best of %d rounds, one core\n' "${#files[@]}" "$rounds"
printf '%-32s %8.3f s\n' "pdftotext -layout" "$t_ref"
printf '%-32s %8.3f s  ratio %.2f × pdftotext\n' "gongkai extract" "$t_ext" "$(echo "$t_ext / $t_ref" | bc -l)"
