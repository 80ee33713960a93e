#!/usr/bin/env python3
"""Oracle for the scan's structural pass: CPython's own tokenizer.

Reads file paths from stdin (one per line). For every UTF-8 file (BOM or none, no other coding
declared, no lone `\\r` line breaks) that `ast` accepts and `tokenize` reads, prints one JSON line

    {"file": path, "spans": [[start, end, kind], ...], "brackets": [[offset, +1 | -1], ...]}

with byte offsets into the file: the STRING tokens (kind "s", or "f" for an f-string, prefix
included) and the COMMENT tokens ("c", up to the line break), and every bracket operator outside
them. Other files print {"file": path, "skipped": reason}.

Usage: python3 token_spans.py < paths.txt
"""
import ast
import io
import json
import sys
import tokenize
import warnings


def spans_of(path):
    with open(path, "rb") as f:
        data = f.read()
    if b"\r" in data.replace(b"\r\n", b""):
        return {"file": path, "skipped": "lone CR"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if encoding not in ("utf-8", "utf-8-sig"):
            return {"file": path, "skipped": "encoding " + encoding}
        toks = list(tokenize.tokenize(io.BytesIO(data).readline))
    except Exception as e:  # SyntaxError, ValueError, RecursionError, tokenize.TokenError
        return {"file": path, "skipped": type(e).__name__}
    lines = data.split(b"\n")
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln) + 1)
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    decoded = [ln.decode("utf-8") for ln in lines]
    if bom:
        decoded[0] = decoded[0][1:]

    def off(row, col):
        b = len(decoded[row - 1][:col].encode("utf-8"))
        return starts[row - 1] + b + (bom if row == 1 else 0)

    spans, brackets = [], []
    for t in toks:
        if t.type == tokenize.STRING:
            prefix = t.string[: len(t.string) - len(t.string.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
            kind = "f" if ("f" in prefix.lower() or "t" in prefix.lower()) else "s"
            spans.append([off(*t.start), off(*t.end), kind])
        elif t.type == tokenize.COMMENT:
            spans.append([off(*t.start), off(*t.end), "c"])
        elif t.type == tokenize.OP and t.string in "([{":
            brackets.append([off(*t.start), 1])
        elif t.type == tokenize.OP and t.string in ")]}":
            brackets.append([off(*t.start), -1])
    return {"file": path, "spans": spans, "brackets": brackets}


def main():
    sys.setrecursionlimit(10000)
    paths = [line.rstrip("\r\n") for line in sys.stdin if line.strip()]
    import multiprocessing

    with multiprocessing.Pool(2) as pool:
        for rec in pool.imap(spans_of, paths, chunksize=16):
            sys.stdout.write(json.dumps(rec) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
