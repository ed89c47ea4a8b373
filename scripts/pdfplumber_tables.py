#!/usr/bin/env python3
"""Baseline for scripts/bench-batch.sh: table extraction with pdfplumber, the usual Python tool.

For each PDF, for each page, run page.extract_tables() and count the cells, so the timing covers
the same work gongkai does before its own model building: text layer + ruled-table detection.

    pip install pdfplumber
    scripts/pdfplumber_tables.py FILE.pdf...      (or file names one per line on stdin)

Prints one line per file (pages, tables, cells, seconds) and a total line; a file that fails is
reported and counted as an error, it does not stop the run. Stdlib + pdfplumber only.
"""

import sys
import time

try:
    import pdfplumber
except ImportError:
    sys.exit("pdfplumber is not installed: pip install pdfplumber")


def count_tables(path):
    """(pages, tables, non-empty cells) of one PDF."""
    pages = tables = cells = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            pages += 1
            for table in page.extract_tables():
                tables += 1
                cells += sum(1 for row in table for cell in row if cell not in (None, ""))
            # pdfplumber caches every page's objects; free them or memory grows with the file.
            page.close()
    return pages, tables, cells


def main(argv):
    files = argv[1:] or [line.strip() for line in sys.stdin if line.strip()]
    if not files:
        sys.exit(__doc__)
    totals = [0, 0, 0]
    errors = 0
    start = time.perf_counter()
    for path in files:
        t0 = time.perf_counter()
        try:
            counts = count_tables(path)
        except Exception as e:  # noqa: BLE001 -- a broken PDF is a result, not a crash
            errors += 1
            print(f"{path}\terror\t{type(e).__name__}: {e}", file=sys.stderr)
            continue
        for i, n in enumerate(counts):
            totals[i] += n
        print(f"{path}\tpages={counts[0]}\ttables={counts[1]}\tcells={counts[2]}"
              f"\t{time.perf_counter() - t0:.3f}s")
    elapsed = time.perf_counter() - start
    print(f"TOTAL\tfiles={len(files)}\terrors={errors}\tpages={totals[0]}\ttables={totals[1]}"
          f"\tcells={totals[2]}\t{elapsed:.3f}s")
    return 1 if errors == len(files) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
