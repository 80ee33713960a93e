#!/usr/bin/env python3
"""Oracle for canon's import lexer: CPython's own parser.

Reads file paths from stdin (one per line). For every file that `ast.parse` accepts, prints one
JSON line:

    {"file": path, "imports": [{"line": 1, "col": 0, "kind": "import"|"from",
                                "module": str, "level": int, "names": [[name, asname], ...]}, ...]}

Imports are in source order (sorted by (lineno, col_offset); `ast.walk` order is breadth-first).
`col` is ast's col_offset: UTF-8 bytes from the start of the line. For `import` statements
`module` is "" and `level` is 0; for `from . import x` `module` is "".

Files that ast rejects (SyntaxError, ValueError for NUL bytes, RecursionError, ...) print
    {"file": path, "skipped": "ExceptionName: message"}

Usage: python3 ast_imports.py [--jobs N] < paths.txt
The file is read as bytes, so ast applies the BOM / `# -*- coding: ... -*-` line itself.
"""
import ast
import gc
import json
import sys
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
    return json.dumps(
        {
            "file": path,
            "imports": [
                {
                    "line": line,
                    "col": col,
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
