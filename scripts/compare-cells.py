#!/usr/bin/env python3
"""Compare pdfplumber's table cells with gongkai's ruled-grid cells, page by page.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pdfplumber
    /tmp/venv/bin/python scripts/compare-cells.py [--bin PATH] [--json OUT] PDF_OR_DIR...

Directories are searched recursively for *.pdf. For every page on which pdfplumber finds a table
(`page.find_tables()` with default settings, i.e. the "lines" strategy), gongkai's cells for that
page are read from the SVG that `gongkai layout --page N --svg FILE` draws: every detected grid
cell is one `<rect fill="rgb(220,230,255)">` carrying its bbox (x, y, width, height) and a
`<title>rR cC RSxCS: TEXT</title>`. The SVG is used rather than the `layout` text dump because it
has the cell geometry; the text dump only has rows of texts. Only ruled grids are compared
(gongkai's "aligned" tables without rulings are not in the SVG). Both tools use points with the
origin at the top left of the displayed page, y down (pdfplumber's x0/top/x1/bottom, shifted by
the page box's origin, which pdfplumber keeps when a MediaBox does not start at 0,0).

Each pdfplumber cell is matched to the gongkai cell it overlaps most. Per page:
  merged  pdfplumber cells with numeric text (1,234.56, -3, 12%) whose gongkai cell is also the
          match of another numeric pdfplumber cell (two amounts fused into one cell);
  lost    pdfplumber cells with text of which gongkai cells cover less than half the area.
One line is printed per page with a problem (merged or lost > 0, or gongkai failed), then one
summary line per file and a TOTAL line. `--json OUT` writes every compared page with all merged
groups and lost cells. Stdlib + pdfplumber only; a developer tool, not part of the build.
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import pdfplumber
except ImportError:
    sys.exit("pdfplumber is not installed: pip install pdfplumber")

NUMERIC = re.compile(r"^[-−+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")
CELL_RE = re.compile(
    r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)" '
    r'fill="rgb\(220,230,255\)"[^>]*><title>r\d+ c\d+ \d+×\d+: (.*?)</title></rect>',
    re.S,
)


def pdf_files(args):
    for a in args:
        if os.path.isdir(a):
            for root, dirs, files in os.walk(a):
                dirs.sort()
                for f in sorted(files):
                    if f.lower().endswith(".pdf"):
                        yield os.path.join(root, f)
        else:
            yield a


def norm(text):
    return re.sub(r"\s+", "", text or "")


def is_numeric(text):
    return bool(NUMERIC.match(norm(text)))


def plumber_cells(page):
    """[(bbox, text)] of every cell of every table pdfplumber finds on the page."""
    # pdfplumber keeps the page box's origin (a MediaBox can start at -12,-12); gongkai does not.
    dx, dy = page.bbox[0], page.bbox[1]
    cells = []
    for table in page.find_tables():
        for row, texts in zip(table.rows, table.extract()):
            for bbox, text in zip(row.cells, texts):
                if bbox is not None:
                    x0, top, x1, bottom = bbox
                    cells.append(((x0 - dx, top - dy, x1 - dx, bottom - dy), text or ""))
    return cells


def gongkai_cells(binary, path, page_no, svg_path):
    """[(bbox, text)] of gongkai's grid cells on one page, or None when gongkai failed."""
    if os.path.exists(svg_path):
        os.remove(svg_path)
    r = subprocess.run([binary, "layout", "--page", str(page_no), "--svg", svg_path, path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0 or not os.path.exists(svg_path):
        return None
    with open(svg_path, encoding="utf-8") as f:
        svg = f.read()
    seen, cells = set(), []
    for x, y, w, h, text in CELL_RE.findall(svg):
        x, y, w, h = map(float, (x, y, w, h))
        cell = ((x, y, x + w, y + h), html.unescape(text))
        if cell not in seen:  # a cell can be drawn twice
            seen.add(cell)
            cells.append(cell)
    return cells


def overlap(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def area(b):
    return max(b[2] - b[0], 0.01) * max(b[3] - b[1], 0.01)


def compare_page(pcells, gcells):
    """Merged groups [(gongkai text, [pdfplumber texts])] and lost pdfplumber texts of a page."""
    by_gk = {}
    lost = []
    for bbox, text in pcells:
        if not norm(text):
            continue
        overlaps = [overlap(bbox, g[0]) for g in gcells]
        if sum(overlaps) < 0.5 * area(bbox):
            lost.append(norm(text))
            continue
        # Of the gongkai cells covering it about as much as the best one, the smallest: a grid's
        # outer frame can come out as one more cell overlapping all the others.
        top = max(overlaps)
        best = min((i for i, o in enumerate(overlaps) if o >= 0.9 * top),
                   key=lambda i: area(gcells[i][0]))
        if is_numeric(text):
            by_gk.setdefault(best, []).append(norm(text))
    merged = [(gcells[i][1], texts) for i, texts in sorted(by_gk.items()) if len(texts) > 1]
    return merged, lost


def check_file(path, binary, tmpdir, out):
    """Compare every page of one PDF; print problem lines; return (file summary, page records)."""
    tot = {"file": path, "pages": 0, "problem_pages": 0, "gongkai_errors": 0,
           "pdf_cells": 0, "gk_cells": 0, "merged": 0, "lost": 0}
    records = []
    svg_path = os.path.join(tmpdir, "page.svg")
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n = page.page_number
            pcells = plumber_cells(page)
            page.close()  # pdfplumber caches every page's objects otherwise
            if not pcells:
                continue
            gcells = gongkai_cells(binary, path, n, svg_path)
            tot["pages"] += 1
            tot["pdf_cells"] += len(pcells)
            rec = {"file": path, "page": n, "pdf_cells": len(pcells)}
            if gcells is None:
                tot["gongkai_errors"] += 1
                tot["problem_pages"] += 1
                rec["error"] = "gongkai layout failed"
                records.append(rec)
                print(f"{path}\tp{n}\tpdf={len(pcells)}\tgongkai layout failed", file=out)
                continue
            merged, lost = compare_page(pcells, gcells)
            n_merged = sum(len(t) for _, t in merged)
            rec.update(gk_cells=len(gcells), merged=n_merged, lost=len(lost),
                       merged_groups=[{"gongkai": g, "pdfplumber": t} for g, t in merged],
                       lost_cells=lost)
            records.append(rec)
            tot["gk_cells"] += len(gcells)
            tot["merged"] += n_merged
            tot["lost"] += len(lost)
            if merged or lost:
                tot["problem_pages"] += 1
                line = (f"{path}\tp{n}\tpdf={len(pcells)}\tgk={len(gcells)}"
                        f"\tmerged={n_merged}\tlost={len(lost)}")
                if merged:
                    g, t = merged[0]
                    line += f"\tmerged e.g. {' + '.join(t)} -> {short(g)!r}"
                if lost:
                    line += f"\tlost e.g. {short(lost[0])!r}"
                print(line, file=out)
    return tot, records


def short(s, n=60):
    return s if len(s) <= n else s[: n - 1] + "…"


def summary(t):
    return (f"pages={t['pages']}\tproblem_pages={t['problem_pages']}\tpdf={t['pdf_cells']}"
            f"\tgk={t['gk_cells']}\tmerged={t['merged']}\tlost={t['lost']}"
            f"\tgongkai_errors={t['gongkai_errors']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+", help="PDF files or directories")
    ap.add_argument("--bin", default="/tmp/gongkai-base", help="gongkai binary")
    ap.add_argument("--json", metavar="OUT", help="write per-page results as JSON")
    args = ap.parse_args()

    files, pages = [], []
    keys = ("pages", "problem_pages", "gongkai_errors", "pdf_cells", "gk_cells", "merged", "lost")
    total = dict.fromkeys(keys, 0)
    errors = 0
    with tempfile.TemporaryDirectory() as tmpdir:
        for path in pdf_files(args.inputs):
            try:
                tot, records = check_file(path, args.bin, tmpdir, sys.stdout)
            except Exception as e:  # noqa: BLE001 -- a broken PDF is a result, not a crash
                errors += 1
                print(f"{path}\terror\t{type(e).__name__}: {e}", file=sys.stderr)
                continue
            files.append(tot)
            pages.extend(records)
            for k in keys:
                total[k] += tot[k]
            sys.stdout.flush()
    print()
    for t in files:
        print(f"FILE\t{t['file']}\t{summary(t)}")
    print(f"TOTAL\tfiles={len(files)}\tunreadable={errors}\t{summary(total)}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"total": total, "files": files, "pages": pages}, f,
                      ensure_ascii=False, indent=1)
    return 1 if errors and not files else 0


if __name__ == "__main__":
    sys.exit(main())
