#!/usr/bin/env bash
# Throughput and memory of `gongkai batch` on a corpus of N_FILES PDFs, against two baselines:
# `pdftotext -layout` (text only: a lower bound on the cost of reading the files) and pdfplumber's
# extract_tables() (the usual Python table tool; scripts/pdfplumber_tables.py).
#
#   scripts/bench-batch.sh [N_FILES]        (default 2000; corpus: $CORPUS, default ../shared/corpus)
#
# The corpus is built by copying the shared PDFs (real/**/*.pdf and cjk/*.pdf) round-robin into a
# temp dir under /tmp (copy0001-renda-2017.pdf, ...), which is deleted at the end. Each measurement
# is one run (page cache warmed first): wall time from `date +%s.%N`, peak RSS from
# `/usr/bin/time -v` (package `time`: apt-get install time). For pdftotext the RSS is that of the
# largest single pdftotext process (one per file); for gongkai batch it is the whole process, all
# worker threads included. gongkai batch does more than read: it also writes per-document JSON,
# NDJSON, CSV and SQLite into its --out dir.
#
# Measured:
#   1. pdftotext -layout over every file: sequential loop (1 core) and xargs -P $(nproc);
#   2. gongkai batch DIR --out OUT --quiet with --jobs 1 and --jobs $(nproc), plus --jobs $(nproc)
#      on a 500-file subset, to show peak memory does not grow with the number of files
#      (skipped with a message if `gongkai batch --help` fails);
#   3. scripts/pdfplumber_tables.py on the first 40 files (every source PDF at least once),
#      extrapolated per file (skipped if pdfplumber is missing: pip install pdfplumber).
set -euo pipefail
cd "$(dirname "$0")/.."

n_files=${1:-2000}
if ! [[ $n_files =~ ^[0-9]+$ ]] || ((n_files < 1)); then
  echo "usage: $0 [N_FILES]   (N_FILES a positive integer, default 2000)" >&2
  exit 2
fi
corpus=${CORPUS:-../shared/corpus}
cores=$(nproc)
sample_size=40
small_size=500
((n_files > 2 * small_size)) || small_size=$(((n_files + 3) / 4))

for tool in pdftotext pdfinfo python3; do
  command -v "$tool" >/dev/null || { echo "$tool not found (apt-get install poppler-utils python3)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d /tmp/gongkai-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dir=$work/corpus
mkdir "$dir"

# --- gongkai binary: a failed build (e.g. mid-edit) falls back to the last one built ---
bin=target/release/gongkai
if ! cargo build --release --quiet; then
  echo "note: cargo build --release failed; using the existing $bin if any" >&2
fi
have_batch=0
if [ -x "$bin" ] && "$bin" batch --help >/dev/null 2>&1; then have_batch=1; fi

# --- corpus ---
mapfile -t sources < <(find "$corpus/real" -name '*.pdf' | sort; find "$corpus/cjk" -maxdepth 1 -name '*.pdf' | sort)
((${#sources[@]} > 0)) || { echo "no PDFs under $corpus/real or $corpus/cjk" >&2; exit 2; }
declare -A src_pages
for s in "${sources[@]}"; do
  n=$(pdfinfo "$s" 2>/dev/null | awk '/^Pages:/ {print $2}')
  src_pages[$s]=${n:-0}
done
pages=0 sample_pages=0 small_pages=0
mkdir "$work/small"
for ((i = 1; i <= n_files; i++)); do
  s=${sources[(i - 1) % ${#sources[@]}]}
  name=$(printf 'copy%04d-%s' "$i" "$(basename "$s")")
  cp "$s" "$dir/$name"
  pages=$((pages + src_pages[$s]))
  ((i > sample_size)) || sample_pages=$((sample_pages + src_pages[$s]))
  if ((i <= small_size)); then
    ln "$dir/$name" "$work/small/$name"
    small_pages=$((small_pages + src_pages[$s]))
  fi
done
mapfile -t sample < <(find "$dir" -name '*.pdf' | sort | head -n "$sample_size")
cat "$dir"/*.pdf >/dev/null # warm the page cache so the first measurement is not penalized
echo "corpus: $n_files files ($((${#sources[@]})) distinct), $pages pages, $(du -sh "$dir" | cut -f1), $cores cores" >&2

# --- measurement ---
declare -A secs rss nfiles npages
labels=()
# measure KEY LABEL FILES PAGES CMD...: run CMD once, record wall seconds and peak RSS (MB).
measure() {
  local key=$1 label=$2 files=$3 pg=$4 t0 t1 rc=0
  shift 4
  echo "running: $label" >&2
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || rc=$?
  t1=$(date +%s.%N)
  if ((rc != 0)); then
    echo "  note: exit status $rc; stderr tail:" >&2
    tail -n 3 "$work/stderr.txt" | sed 's/^/    /' >&2
  fi
  secs[$key]=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  rss[$key]=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$work/time.txt")
  nfiles[$key]=$files
  npages[$key]=$pg
  labels+=("$key|$label")
}

# 1. pdftotext
measure txt1 "pdftotext -layout, 1 core" "$n_files" "$pages" \
  bash -c 'for f in "$1"/*.pdf; do pdftotext -layout "$f" /dev/null 2>/dev/null || true; done' _ "$dir"
measure txtN "pdftotext -layout, xargs -P $cores" "$n_files" "$pages" \
  bash -c 'find "$1" -name "*.pdf" -print0 | xargs -0 -P "$2" -I{} pdftotext -layout {} /dev/null 2>/dev/null || true' _ "$dir" "$cores"

# 2. gongkai batch
if ((have_batch)); then
  measure gk1 "gongkai batch --jobs 1" "$n_files" "$pages" "$bin" batch "$dir" --out "$work/out-1" --jobs 1 --quiet
  rm -rf "$work/out-1"
  measure gkN "gongkai batch --jobs $cores" "$n_files" "$pages" "$bin" batch "$dir" --out "$work/out-N" --jobs "$cores" --quiet
  rm -rf "$work/out-N"
  measure gkS "gongkai batch --jobs $cores ($small_size files)" "$small_size" "$small_pages" \
    "$bin" batch "$work/small" --out "$work/out-S" --jobs "$cores" --quiet
  rm -rf "$work/out-S"
else
  echo "skipping gongkai batch: '$bin batch --help' failed (command not built yet?)" >&2
fi

# 3. pdfplumber
have_plumber=0
if python3 -c 'import pdfplumber' 2>/dev/null; then
  have_plumber=1
  measure plS "pdfplumber extract_tables, sample" "${#sample[@]}" "$sample_pages" \
    python3 scripts/pdfplumber_tables.py "${sample[@]}"
else
  echo "skipping pdfplumber: not installed (pip install pdfplumber)" >&2
fi

# --- report ---
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
row() { # LABEL FILES PAGES SECONDS RSS
  awk -v l="$1" -v f="$2" -v p="$3" -v s="$4" -v r="$5" \
    'BEGIN {printf "%-44s %6d %7d %9.2f %9.1f %9.1f %9s\n", l, f, p, s, (s > 0 ? f / s : 0), (s > 0 ? p / s : 0), r}'
}
echo
printf '%-44s %6s %7s %9s %9s %9s %9s\n' "" files pages seconds files/s pages/s "RSS MB"
for entry in "${labels[@]}"; do
  key=${entry%%|*}
  row "${entry#*|}" "${nfiles[$key]}" "${npages[$key]}" "${secs[$key]}" "${rss[$key]}"
  if [ "$key" = plS ]; then # per-file extrapolation to the whole corpus
    est=$(awk -v s="${secs[plS]}" -v n="${nfiles[plS]}" -v N="$n_files" 'BEGIN {printf "%.2f", s / n * N}')
    row "pdfplumber, extrapolated to $n_files files" "$n_files" "$pages" "$est" "${rss[plS]}"
  fi
done
echo
if ((have_batch)); then
  echo "gongkai --jobs 1 vs pdftotext on 1 core:  $(ratio "${secs[gk1]}" "${secs[txt1]}")x the time" \
    "($(ratio "${secs[txt1]}" "${secs[gk1]}")x the speed)"
  echo "gongkai speed-up 1 -> $cores jobs:           $(ratio "${secs[gk1]}" "${secs[gkN]}")x" \
    "(pdftotext 1 -> $cores: $(ratio "${secs[txt1]}" "${secs[txtN]}")x)"
  if ((have_plumber)); then
    gk_per_file=$(awk -v s="${secs[gk1]}" -v n="$n_files" 'BEGIN {print s / n}')
    pl_per_file=$(awk -v s="${secs[plS]}" -v n="${nfiles[plS]}" 'BEGIN {print s / n}')
    echo "gongkai --jobs 1 vs pdfplumber per file:  $(ratio "$pl_per_file" "$gk_per_file")x faster" \
      "($(awk -v s="$gk_per_file" 'BEGIN {printf "%.1f", s * 1000}') ms vs $(awk -v s="$pl_per_file" 'BEGIN {printf "%.1f", s * 1000}') ms)"
  fi
  echo "gongkai peak RSS, $small_size vs $n_files files (--jobs $cores): ${rss[gkS]} MB vs ${rss[gkN]} MB" \
    "(ratio $(ratio "${rss[gkN]}" "${rss[gkS]}"))"
elif ((have_plumber)); then
  echo "(gongkai batch skipped: no ratios against it)"
fi
