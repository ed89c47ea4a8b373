#!/usr/bin/env python3
"""Build the sample PDF of the 阳泉市退役军人服务中心 2024 unit budget from its text-only seed.

The reference document survives only as text
(../shared/corpus/seed/yangquan-veterans-service-center-2024.txt): tables are tab-separated rows, a
blank line between two rows of a table is a page break of the lost original, and narrative paragraphs
sit between the tables.  This script rebuilds a PDF that looks like such a disclosure so the parser
can be tested on a document whose true content is known exactly:

  1. the seed text is turned into an HTML document (cover, table of contents, headings, paragraphs,
     and every table as a ruled HTML table: label and title centred above it, 单位名称：… left and
     单位：万元 right, merged header cells rebuilt as colspan/rowspan, amounts right-aligned, each
     table on a new page, a page break wherever the seed has a blank line inside a table — the
     continuation is a new table on the next page that repeats the header rows);
  2. LibreOffice converts the HTML to PDF (Writer import filter "HTML (StarWriter)", export filter
     writer_pdf_Export, A4 portrait, font "Noto Serif CJK SC", embedded as subsets);
  3. the PDF's /CreationDate, /ID and /DocChecksum are overwritten (same length, so the xref stays
     valid) with values derived from the HTML, so the output is byte-for-byte reproducible with a
     given LibreOffice version.

Usage (from the repository root):

    python3 scripts/make-sample.py            # samples/yangquan-veterans-service-center-2024.{html,pdf}
    python3 scripts/make-sample.py --yuan     # samples/yangquan-veterans-service-center-2024-yuan.pdf
    python3 scripts/make-sample.py --no-rules # samples/yangquan-veterans-service-center-2024-norules.pdf
                                              # (tables without rulings: the text-alignment fallback)
    python3 scripts/make-sample.py --check    # also compare the PDF text (pdftotext) with the seed
    python3 scripts/make-sample.py --html-only  # write the HTML only, no LibreOffice

--yuan prints every amount of the budget tables in 元 (万元 × 10000, thousands separators, two
decimals: 774.48 → 7,744,800.00) and says 单位：元; the narrative and the performance-target forms
(whose amounts are already in 元) are unchanged.  Its HTML goes to a temporary directory; only the
default variant's HTML is kept in samples/.

Python 3 standard library only.  Debian packages needed: libreoffice-writer (soffice),
fonts-noto-cjk (Noto Serif CJK SC), and poppler-utils for --check (pdftotext).

Table rules (documented because the parser's tests depend on them):
  * header rows are the rows before the first data row.  A row is a header row while it starts with
    an empty cell, with a header label (项目, 收入, 科目编码, …), or is a column-number row (1 2 3 …).
  * in header rows a label followed by empty cells spans them (colspan); a header cell whose cells
    in the next header rows are all empty spans those rows too (rowspan).  Data rows keep every cell.
  * performance-target forms (title contains 绩效目标表) have no header: every row is rendered with
    the same colspan rule, because they are forms whose merged cells hold long texts.
  * the table of contents (the tab rows after 目录) is an unruled two-column table.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "corpus" / "seed" / "yangquan-veterans-service-center-2024.txt"
NAME = "yangquan-veterans-service-center-2024"

FONT = "Noto Serif CJK SC"
BORDER = "border: 0.5pt solid #000000"

CN_NUM = "一二三四五六七八九十"
HEADER_FIRST_CELLS = {
    "项目", "收入", "支出", "科目编码", "收入科目编码", "项目名称", "单位名称",
    "部门预算支出经济科目名称", "国有资本经营预算收入",
}
LABEL_RE = re.compile(r"^(预算|部门)公开表\s*\d+$")
SUBTITLE_RE = re.compile(r"^[（(]\d{4}年度[)）]$")
DECIMAL_RE = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d+$")
GROUPED_RE = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
INT_RE = re.compile(r"^-?\d+$")


# ----------------------------------------------------------------------------------------------
# Parsing the seed text


def is_blank(line: str) -> bool:
    return "\t" not in line and line.strip() == ""


def parse_items(text: str):
    """Yield ('text', line) and ('tabs', [segment, …]) where a segment is a list of rows (cells)."""
    lines = text.replace("\r\n", "\n").split("\n")
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if is_blank(line):
            i += 1
            continue
        if "\t" not in line:
            yield ("text", line.strip())
            i += 1
            continue
        segments = [[]]
        while i < n:
            if "\t" in lines[i]:
                segments[-1].append(lines[i].split("\t"))
                i += 1
                continue
            j = i
            while j < n and is_blank(lines[j]):
                j += 1
            if j > i and j < n and "\t" in lines[j]:
                segments.append([])  # blank line(s) inside a table: page break
                i = j
                continue
            break
        yield ("tabs", segments)


class Table:
    def __init__(self, segments):
        self.segments = segments
        self.label = self.title = self.subtitle = self.unit_name = self.unit = self.note = None
        self.toc = False

    @property
    def is_form(self) -> bool:
        return bool(self.title and "绩效目标表" in self.title)


def build_blocks(text: str):
    """Group the items into blocks: (kind, line) with kind from classify() or 'toc_title', and ('table', Table)."""
    out = []
    items = list(parse_items(text))
    k = 0
    while k < len(items):
        kind, val = items[k]
        if kind == "tabs":
            t = Table(val)
            # pull the preamble back from what was emitted just before
            def take(pred):
                if out and out[-1][0] == "text" and pred(out[-1][1]):
                    return out.pop()[1]
                return None
            if out and out[-1][0] == "text" and re.sub(r"\s", "", out[-1][1]) == "目录":
                t.toc = True
                out[-1] = ("toc_title", out[-1][1])
            else:
                t.unit = take(lambda s: re.match(r"^单位[:：]", s) is not None)
                t.unit_name = take(lambda s: s.startswith("单位名称：") or s.startswith("单位名称:"))
                t.subtitle = take(lambda s: SUBTITLE_RE.match(s) is not None)
                t.title = take(lambda s: "表" in s and len(s) <= 40)
                t.label = take(lambda s: LABEL_RE.match(s) is not None)
            if k + 1 < len(items) and items[k + 1][0] == "text" and re.match(r"^注[:：]", items[k + 1][1]):
                t.note = items[k + 1][1]
                k += 1
            out.append(("table", t))
        else:
            out.append(("text", val))
        k += 1
    # classify the narrative lines
    blocks = []
    first_part = next(i for i, b in enumerate(out) if b[0] == "text" and re.match(r"^第[" + CN_NUM + r"]+部分", b[1]))
    for i, (kind, val) in enumerate(out):
        if kind != "text":
            blocks.append((kind, val))
            continue
        blocks.append((classify(val, i, out, first_part), val))
    return blocks


def classify(line: str, i: int, out, first_part: int) -> str:
    nxt = out[i + 1][1] if i + 1 < len(out) and out[i + 1][0] == "text" else ""
    if i < first_part:
        return "cover"
    if re.match(r"^第[" + CN_NUM + r"]+部分", line):
        return "part"
    if re.match(r"^[" + CN_NUM + r"]+、", line) and len(line) <= 20:
        return "h2"
    if re.match(r"^[（(][" + CN_NUM + r"]+[)）]", line) and len(line) <= 30:
        return "h3"
    if re.match(r"^\d+、", line) and len(line) <= 20:
        return "h3"
    if line == "情况说明":
        return "center_title"
    if line.endswith("图") and len(line) <= 20:
        return "caption"
    if re.match(r"^\d{4}年\d{1,2}月\d{1,2}日$", line) or re.match(r"^\d{4}年\d{1,2}月\d{1,2}日$", nxt):
        return "sign"
    if line.endswith("：") and len(line) <= 12:
        return "p_noindent"
    return "p"


# ----------------------------------------------------------------------------------------------
# Tables


def is_column_number_row(row) -> bool:
    cells = [c.strip() for c in row]
    return len(cells) > 1 and all(c == str(i + 1) for i, c in enumerate(cells) if c) and cells[0] == "1"


def header_count(rows) -> int:
    n = 0
    for row in rows:
        first = row[0].strip()
        if first == "" or first in HEADER_FIRST_CELLS or is_column_number_row(row):
            n += 1
        else:
            break
    return n


def span_cells(rows, ncols, rowspans: bool):
    """Rebuild merged cells.  Returns, per row, a list of (col, colspan, rowspan, text)."""
    occupied = set()
    result = []
    for r, row in enumerate(rows):
        cells = []
        c = 0
        while c < ncols:
            if (r, c) in occupied:
                c += 1
                continue
            text = row[c].strip()
            span = 1
            if text:
                while c + span < ncols and not row[c + span].strip() and (r, c + span) not in occupied:
                    span += 1
            cells.append([c, span, 1, text])
            c += span
        if rowspans:
            for cell in cells:
                col, span, _, text = cell
                if not text:
                    continue
                rr = r + 1
                while rr < len(rows) and all(
                    not rows[rr][x].strip() and (rr, x) not in occupied for x in range(col, col + span)
                ):
                    for x in range(col, col + span):
                        occupied.add((rr, x))
                    cell[2] += 1
                    rr += 1
        result.append(cells)
    return result


def display_len(s: str) -> float:
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in s)


def column_widths(span_rows, ncols, cap: float, head_cap: float, nhead: int, floor: float = 3):
    """Column widths (integer percentages, given on every cell: LibreOffice ignores fractional ones and
    <col> widths when the cells have content) from the single-column cells' text lengths."""
    w = [floor] * ncols
    for r, row in enumerate(span_rows):
        for col, span, _, text in row:
            if span == 1 and text:
                w[col] = max(w[col], min(head_cap if r < nhead else cap, display_len(text) + 1))
    total = sum(w)
    pct = [max(1, round(x * 100 / total)) for x in w]
    pct[pct.index(max(pct))] += 100 - sum(pct)  # adding up exactly
    return pct


def yuan(text: str) -> str:
    d = Decimal(text.replace(",", "")) * 10000
    return format(d.quantize(Decimal("0.01")), ",.2f")


def render_table(t: Table, opts, emitted: list) -> str:
    rows_all = [r for seg in t.segments for r in seg]
    ncols = max(len(r) for r in rows_all)
    pad = lambda r: r + [""] * (ncols - len(r))
    segments = [[pad(r) for r in seg] for seg in t.segments]
    parts = []

    if t.toc:
        for si, seg in enumerate(segments):
            brk = ' style="page-break-before: always"' if si else ""
            parts.append(f'<table width="100%" cellspacing="0" cellpadding="2"{brk}><tbody>')
            for row in seg:
                emitted.extend(row)
                parts.append(f'<tr><td width="92%">{esc(row[0])}</td><td width="8%" align="right">{esc(row[1])}</td></tr>')
            parts.append("</tbody></table>")
        return "\n".join(parts)

    form = t.is_form
    nhead = 0 if form else header_count(segments[0])
    head_rows = segments[0][:nhead]
    fs = "8pt" if form else "9pt"

    # caption lines
    first = True
    def cap_p(text, style):
        nonlocal first
        brk = "page-break-before: always; " if first else ""
        first = False
        emitted.append(text)
        return f'<p style="{brk}{style}">{esc(text)}</p>'
    if t.label:
        parts.append(cap_p(t.label, "text-align: center; font-size: 11pt; margin: 0 0 4pt 0"))
    if t.title:
        parts.append(cap_p(t.title, "text-align: center; font-size: 16pt; font-weight: bold; margin: 0 0 6pt 0"))
    if t.subtitle:
        parts.append(cap_p(t.subtitle, "text-align: center; font-size: 11pt; margin: 0 0 6pt 0"))
    if t.unit_name or t.unit:
        unit = t.unit or ""
        if opts.yuan and unit:
            unit = unit.replace("万元", "元")
        emitted.extend([t.unit_name or "", unit])
        parts.append('<table width="100%" cellspacing="0" cellpadding="0">'
                     f'<tbody><tr><td width="70%" align="left" style="font-size: 10.5pt">{esc(t.unit_name or "")}</td>'
                     f'<td width="30%" align="right" style="font-size: 10.5pt">{esc(unit)}</td></tr></tbody></table>')

    head_spans = span_cells(head_rows, ncols, rowspans=True)
    amount = lambda text: yuan(text) if opts.yuan and not form and DECIMAL_RE.match(text) else text
    body_spans = [span_cells(seg[nhead:] if si == 0 else seg, ncols, rowspans=False) if form else
                  [[[c, 1, 1, amount(r[c].strip())] for c in range(ncols)] for r in (seg[nhead:] if si == 0 else seg)]
                  for si, seg in enumerate(segments)]
    widths = column_widths(head_spans + [r for b in body_spans for r in b], ncols,
                           cap=8 if form else 16, head_cap=5, nhead=len(head_spans))

    for si, spans in enumerate(body_spans):
        brk = "page-break-before: always; " if (si > 0 or first) else ""
        first = False
        parts.append(f'<table width="100%" cellspacing="0" cellpadding="2" style="{brk}border-collapse: collapse">')
        if head_spans:
            parts.append("<thead>")
            for row in head_spans:
                cells = []
                for col, span, rspan, text in row:
                    emitted.append(text)
                    attrs = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{rspan}"' if rspan > 1 else "")
                    attrs += f' width="{sum(widths[col:col + span])}%"'
                    cells.append(f'<th{attrs} align="center" valign="middle" style="{BORDER}; font-size: {fs}">{esc(text)}</th>')
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</thead>")
        parts.append("<tbody>")
        for row in spans:
            cells = []
            for col, span, _, text in row:
                align = "left"
                if DECIMAL_RE.match(text) or GROUPED_RE.match(text) or (form and INT_RE.match(text) and col > 0):
                    align = "right"
                emitted.append(text)
                attrs = (f' colspan="{span}"' if span > 1 else "") + f' width="{sum(widths[col:col + span])}%"'
                cells.append(f'<td{attrs} align="{align}" valign="middle" style="{BORDER}; font-size: {fs}">{esc(text)}</td>')
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    if t.note:
        emitted.append(t.note)
        parts.append(f'<p style="font-size: 10.5pt; margin-top: 4pt">{esc(t.note)}</p>')
    return "\n".join(parts)


def esc(s: str) -> str:
    return html.escape(s, quote=True)


# ----------------------------------------------------------------------------------------------
# The document


def build_html(text: str, opts):
    blocks = build_blocks(text)
    emitted: list[str] = []
    body = []
    cover_done = False
    prev = None
    for kind, val in blocks:
        if kind == "table":
            body.append(render_table(val, opts, emitted))
            prev = "table"
            continue
        emitted.append(val)
        after_table = prev == "table"
        prev = kind
        e = esc(val)
        if kind == "cover":
            top = "margin-top: 60mm; " if not cover_done else "margin-top: 12mm; "
            cover_done = True
            body.append(f'<p style="{top}text-align: center; font-size: 26pt; font-weight: bold">{e}</p>')
        elif kind == "toc_title":
            body.append(f'<p style="page-break-before: always; text-align: center; font-size: 18pt; font-weight: bold; margin-bottom: 10pt">{e}</p>')
        elif kind == "part":
            body.append(f'<p style="page-break-before: always; text-align: center; font-size: 18pt; font-weight: bold; margin: 0 0 12pt 0">{e}</p>')
        elif kind == "h2":
            brk = "page-break-before: always; " if after_table else ""
            body.append(f'<p style="{brk}font-size: 14pt; font-weight: bold; margin: 10pt 0 6pt 0">{e}</p>')
        elif kind == "h3":
            body.append(f'<p style="font-size: 12pt; font-weight: bold; text-indent: 24pt; margin: 6pt 0 4pt 0">{e}</p>')
        elif kind == "center_title":
            body.append(f'<p style="text-align: center; font-size: 16pt; font-weight: bold; margin: 12pt 0 8pt 0">{e}</p>')
        elif kind == "caption":
            body.append(f'<p style="text-align: center; font-size: 11pt; margin: 6pt 0 6pt 0">{e}</p>')
        elif kind == "sign":
            body.append(f'<p style="text-align: right; font-size: 12pt; margin: 0 20mm 0 0">{e}</p>')
        elif kind == "p_noindent":
            body.append(f'<p style="font-size: 12pt; margin: 0 0 4pt 0">{e}</p>')
        else:
            brk = "page-break-before: always; " if after_table else ""
            body.append(f'<p style="{brk}font-size: 12pt; text-indent: 24pt; line-height: 150%; margin: 0 0 4pt 0">{e}</p>')
    title = "阳泉市退役军人服务中心2024年度单位预算公开" + ("（元）" if opts.yuan else "")
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="generator" content="gongkai scripts/make-sample.py">
<title>{esc(title)}</title>
<style>
@page {{ size: 210mm 297mm; margin: 20mm 15mm 15mm 15mm; }}
body {{ font-family: "{FONT}"; font-size: 12pt; }}
p {{ margin-top: 0; margin-bottom: 4pt; }}
table {{ border-collapse: collapse; }}
</style>
</head>
<body>
{chr(10).join(body)}
</body>
</html>
"""
    return doc, emitted


# ----------------------------------------------------------------------------------------------
# PDF


def to_pdf(html_path: Path, pdf_path: Path, fingerprint: bytes):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory(prefix="make-sample-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, HOME=str(tmp), SAL_USE_VCLPLUGIN="svp")
        cmd = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
               "--outdir", str(tmp / "out"), str(html_path)]
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        produced = tmp / "out" / (html_path.stem + ".pdf")
        data = produced.read_bytes()
    data = make_reproducible(data, fingerprint)
    pdf_path.write_bytes(data)


def make_reproducible(data: bytes, fingerprint: bytes) -> bytes:
    """Overwrite the time-dependent bytes (same lengths, so offsets stay valid)."""
    def fix_date(m):
        old = m.group(1)
        new = b"D:20240429000000"
        return m.group(0).replace(old, new + old[len(new):]) if len(old) >= len(new) else m.group(0)
    data = re.sub(rb"/(?:CreationDate|ModDate)\s*\((D:\d{14})", fix_date, data)
    digest = hashlib.md5(fingerprint).hexdigest().upper().encode()
    def fix_id(m):
        a, b = m.group(1), m.group(2)
        return m.group(0).replace(a, digest[: len(a)].ljust(len(a), b"0")).replace(b, digest[: len(b)].ljust(len(b), b"0"))
    data = re.sub(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]", fix_id, data)
    checksum = hashlib.md5(fingerprint + b"/DocChecksum").hexdigest().upper().encode()
    data = re.sub(rb"/DocChecksum\s*/([0-9A-Fa-f]{32})", lambda m: m.group(0).replace(m.group(1), checksum), data)
    return data


def check(pdf_path: Path, expected: list[str], seed_text: str, yuan_mode: bool):
    out = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True).stdout.decode()
    strip = lambda s: collections.Counter(ch for ch in s if not ch.isspace())
    got = strip(out)
    for label, exp in (("seed", strip(seed_text)), ("emitted HTML text", strip("".join(expected)))):
        if yuan_mode and label == "seed":
            continue
        missing = exp - got
        extra = got - exp
        print(f"vs {label}: {sum(exp.values())} expected chars, {sum(got.values())} in PDF; "
              f"missing {sum(missing.values())}, extra {sum(extra.values())}")
        if missing:
            print("  missing:", "".join(sorted(missing.elements())))
        if extra:
            print("  extra:  ", "".join(sorted(extra.elements())))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--yuan", action="store_true", help="amounts of the budget tables in 元 (…-yuan.pdf)")
    ap.add_argument("--no-rules", action="store_true", help="tables drawn without rulings (…-norules.pdf)")
    ap.add_argument("--seed", type=Path, default=SEED)
    ap.add_argument("--outdir", type=Path, default=ROOT / "samples")
    ap.add_argument("--html-only", action="store_true")
    ap.add_argument("--check", action="store_true", help="compare pdftotext output with the seed")
    opts = ap.parse_args()
    if opts.no_rules:
        global BORDER
        BORDER = "border: none"

    seed_text = opts.seed.read_text(encoding="utf-8")
    doc, emitted = build_html(seed_text, opts)
    opts.outdir.mkdir(parents=True, exist_ok=True)
    name = NAME + ("-yuan" if opts.yuan else "") + ("-norules" if opts.no_rules else "")
    pdf_path = opts.outdir / f"{name}.pdf"
    with tempfile.TemporaryDirectory(prefix="make-sample-html-") as tmp:
        variant = opts.yuan or opts.no_rules
        html_path = (Path(tmp) if variant else opts.outdir) / f"{name}.html"
        html_path.write_text(doc, encoding="utf-8")
        print(f"wrote {html_path}" if not variant else f"HTML (temporary) {html_path}")
        if opts.html_only:
            return
        to_pdf(html_path, pdf_path, doc.encode())
    print(f"wrote {pdf_path} ({pdf_path.stat().st_size} bytes)")
    if opts.check:
        check(pdf_path, emitted, seed_text, opts.yuan)


if __name__ == "__main__":
    main()
