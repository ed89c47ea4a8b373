#!/usr/bin/env python3
"""Compare `gongkai text` with `pdftotext -layout`, page by page.

For every PDF given (files or directories, recursively), both tools' output is split into pages on
form feeds; on each page the multiset of CJK ideographs, ASCII digits and the characters `.,-%` is
computed after the same normalization gongkai applies (NFKC, CJK radicals → unified ideographs, read
from data/ucd/EquivalentUnifiedIdeograph.txt). A page matches when the multisets are equal.

Prints one line per file and a summary; `--details` shows what differs on mismatching pages;
`--json` writes machine-readable results. Exit status 1 when the match rate is below `--min`
(default 99.5%) or gongkai printed any U+FFFD.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_radicals():
    table = {}
    path = os.path.join(ROOT, "data", "ucd", "EquivalentUnifiedIdeograph.txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cps, target = [p.strip() for p in line.split(";")]
            lo, _, hi = cps.partition("..")
            for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
                table[cp] = chr(int(target, 16))
    return table


RADICALS = load_radicals()


def is_counted(c):
    o = ord(c)
    return (
        c.isdigit() and c.isascii()
        or c in ".,-%"
        or 0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x3FFFF
    )


def signature(text):
    text = unicodedata.normalize("NFKC", text.translate(RADICALS))
    return collections.Counter(c for c in text if is_counted(c))


def pages(cmd):
    r = subprocess.run(cmd, capture_output=True, timeout=600)
    out = r.stdout.decode("utf-8", errors="replace")
    parts = out.split("\f")
    if parts and parts[-1].strip() == "":
        parts = parts[:-1]
    return parts, r.returncode


def pdf_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for dirpath, _, names in sorted(os.walk(p)):
                for n in sorted(names):
                    if n.lower().endswith(".pdf"):
                        yield os.path.join(dirpath, n)
        else:
            yield p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", default=[os.path.join(ROOT, "..", "shared", "corpus", "real")])
    ap.add_argument("--gongkai", default=os.path.join(ROOT, "target", "release", "gongkai"))
    ap.add_argument("--min", type=float, default=99.5, help="required percentage of matching pages")
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--json", help="write results to this file")
    args = ap.parse_args()

    total = matched = fffd = 0
    results = []
    for path in pdf_files(args.paths):
        ref, _ = pages(["pdftotext", "-layout", "-enc", "UTF-8", path, "-"])
        # pdftotext ignores clipping paths; gongkai drops clipped text unless asked for it.
        ours, code = pages([args.gongkai, "text", "--unclipped", path])
        n = max(len(ref), len(ours))
        ok = 0
        bad_pages = []
        file_fffd = sum(p.count("\ufffd") for p in ours)
        for i in range(n):
            a = signature(ref[i] if i < len(ref) else "")
            b = signature(ours[i] if i < len(ours) else "")
            if a == b:
                ok += 1
            else:
                missing = a - b
                extra = b - a
                bad_pages.append({"page": i + 1, "missing": "".join(missing.elements()), "extra": "".join(extra.elements())})
        total += n
        matched += ok
        fffd += file_fffd
        results.append({"file": path, "pages": n, "matched": ok, "fffd": file_fffd, "exit": code, "mismatches": bad_pages})
        print(f"{ok:4d}/{n:<4d} pages match  fffd={file_fffd:<3d} exit={code}  {os.path.relpath(path)}")
        if args.details:
            for b in bad_pages:
                print(f"      page {b['page']}: missing {b['missing'][:120]!r} extra {b['extra'][:120]!r}")
    rate = 100.0 * matched / total if total else 0.0
    print(f"TOTAL {matched}/{total} pages match ({rate:.2f}%), U+FFFD in gongkai output: {fffd}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"matched": matched, "pages": total, "rate": rate, "fffd": fffd, "files": results}, f, ensure_ascii=False, indent=1)
    sys.exit(0 if rate >= args.min and fffd == 0 else 1)


if __name__ == "__main__":
    main()
