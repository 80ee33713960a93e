#!/usr/bin/env python3
"""Oracle for canon's import lexer: CPython's own parser.

Reads file paths from stdin (one per line). For every file that `ast.parse` accepts, prints one
JSON line:

    {"file": path, "imports": [{"line": 1, "col": 0, "byte_col": 0, "kind": "import"|"from",
                                "module": str, "level": int, "names": [[name, asname], ...]}, ...]}

Imports are in source order (sorted by (lineno, col_offset); `ast.walk` order is breadth-first).
`line` is ast's lineno (lines end at `\n`, `\r\n` or a lone `\r`). `col` is ast's col_offset:
UTF-8 bytes from the start of the line, after decoding the file. `byte_col` is the same column in
the file's own bytes, which is what canon counts: it differs from `col` on the first line of a
file with a UTF-8 BOM (+3) and in files declaring another encoding (`# -*- coding: latin-1 -*-`)
when non-ASCII characters precede the statement on its line. For `import` statements `module`
is "" and `level` is 0; for `from . import x` `module` is "".

Files that ast rejects (SyntaxError, ValueError for NUL bytes, RecursionError, ...) print
    {"file": path, "skipped": "ExceptionName: message"}

Usage: python3 ast_imports.py [--jobs N] < paths.txt
The file is read as bytes, so ast applies the BOM / `# -*- coding: ... -*-` line itself.
"""
import ast
import gc
import io
import json
import sys
import tokenize
import warnings


# Imports are statements, so only statement lists need visiting (much cheaper than ast.walk,
# which visits every expression node): module/def/class/if/for/while/with/try bodies, `except`
# handlers and `match` cases.
_CONTAINERS = (ast.stmt, ast.excepthandler, ast.match_case)


def collect(body, out):
    for node in body:
        if isinstance(node, ast.Import):
            out.append((node.lineno, node.col_offset, "import", "", 0, node.names))
        elif isinstance(node, ast.ImportFrom):
            out.append((node.lineno, node.col_offset, "from", node.module or "", node.level or 0, node.names))
        else:
            for field in node._fields:
                value = getattr(node, field, None)
                if type(value) is list and value and isinstance(value[0], _CONTAINERS):
                    collect(value, out)


def byte_columns(source, found):
    """A function (line, col) -> column in the file's bytes (see the module docstring)."""
    bom = source.startswith(b"\xef\xbb\xbf")
    encoding = "utf-8"
    if not bom and found and not source.isascii():
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    if encoding in ("utf-8", "utf-8-sig"):
        return lambda line, col: col + 3 if bom and line == 1 else col
    lines = source.splitlines(keepends=True)  # bytes: splits at \n, \r\n and \r, like the tokenizer

    def convert(line, col):
        raw = lines[line - 1]
        if raw.isascii():
            return col
        prefix = raw.decode(encoding).encode("utf-8")[:col].decode("utf-8")
        return len(prefix.encode(encoding))

    return convert


def imports_of(path):
    try:
        with open(path, "rb") as f:
            source = f.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=path)
    except Exception as e:  # SyntaxError, ValueError, RecursionError, MemoryError, OSError ...
        msg = str(e).splitlines()[0] if str(e) else ""
        return json.dumps({"file": path, "skipped": "%s: %s" % (type(e).__name__, msg)})
    out = []
    collect(tree.body, out)
    out.sort(key=lambda t: (t[0], t[1]))
    byte_col = byte_columns(source, out)
    return json.dumps(
        {
            "file": path,
            "imports": [
                {
                    "line": line,
                    "col": col,
                    "byte_col": byte_col(line, col),
                    "kind": kind,
                    "module": module,
                    "level": level,
                    "names": [[a.name, a.asname] for a in names],
                }
                for (line, col, kind, module, level, names) in out
            ],
        },
        ensure_ascii=False,
    )


def main():
    jobs = 1
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "--jobs":
        jobs = max(1, int(args[1]))
    sys.setrecursionlimit(10000)
    # ASTs hold no reference cycles; the cyclic collector only slows the parser down.
    gc.disable()
    paths = [line.rstrip("\r\n") for line in sys.stdin if line.strip()]
    write = sys.stdout.write
    if jobs == 1:
        for p in paths:
            write(imports_of(p) + "\n")
    else:
        import multiprocessing

        with multiprocessing.Pool(jobs) as pool:
            for line in pool.imap(imports_of, paths, chunksize=16):
                write(line + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
