#!/usr/bin/env python3
"""Measure what a Python tree looks like to canon's scan, to calibrate bench/gen.mjs's profiles.

    python3 bench/calibrate.py ROOT [--project NAME ...] [--json]

ROOT is scanned as a project of its own: its top-level packages and modules (or the names given
with --project) are the "project packages". For every .py file that `ast` accepts it measures the
size, the import statements (all, and those of project packages: absolute under a project name, or
relative), the string literals (count and bytes, docstrings apart) and the comments (tokenize),
and prints the distributions the generator is calibrated against (bench/README.md, "Calibration").
Files ast rejects are counted and left out.
"""

import argparse
import ast
import io
import json
import os
import sys
import tokenize
import warnings


def percentiles(xs, ps=(10, 25, 50, 75, 90, 99)):
    s = sorted(xs)
    if not s:
        return {}
    return {f"p{p}": s[min(len(s) - 1, int(len(s) * p / 100))] for p in ps}


def docstring_nodes(tree):
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                out.add((body[0].value.lineno, body[0].value.col_offset))
    return out


def measure(path, rel, project):
    with open(path, "rb") as f:
        data = f.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(data, filename=path)
    parts = rel[:-3].split("/")
    imports = project_imports = 0
    import_words = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports += 1
            if any(a.name.split(".")[0] in project for a in node.names):
                project_imports += 1
        elif isinstance(node, ast.ImportFrom):
            imports += 1
            if node.level > 0 or (node.module or "").split(".")[0] in project:
                project_imports += 1
    docs = docstring_nodes(tree)
    strings = string_bytes = doc_bytes = comments = comment_bytes = 0
    try:
        for tok in tokenize.tokenize(io.BytesIO(data).readline):
            if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_START", -1):
                n = len(tok.string.encode("utf-8"))
                if (tok.start[0], tok.start[1]) in docs:
                    doc_bytes += n
                else:
                    strings += 1
                    string_bytes += n
            elif tok.type == tokenize.COMMENT:
                comments += 1
                comment_bytes += len(tok.string.encode("utf-8"))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    import_words = data.count(b"import")
    return {
        "bytes": len(data), "lines": data.count(b"\n"), "imports": imports, "projectImports": project_imports,
        "importWords": import_words, "strings": strings, "stringBytes": string_bytes, "docBytes": doc_bytes,
        "comments": comments, "commentBytes": comment_bytes, "package": parts[0],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root")
    ap.add_argument("--project", action="append", help="a project package name (default: ROOT's top-level names)")
    ap.add_argument("--skip", action="append", default=["site-packages", "__pycache__"], help="folder names not entered")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in args.skip)
        for fn in sorted(filenames):
            if fn.endswith(".py"):
                full = os.path.join(dirpath, fn)
                files.append((full, os.path.relpath(full, root).replace(os.sep, "/")))
    project = set(args.project or [])
    if not project:
        for e in os.listdir(root):
            if e.endswith(".py"):
                project.add(e[:-3])
            elif os.path.isdir(os.path.join(root, e)) and e not in args.skip:
                project.add(e)
    rows, rejected = [], 0
    for full, rel in files:
        try:
            rows.append(measure(full, rel, project))
        except Exception:  # SyntaxError, ValueError, RecursionError: no ground truth for these
            rejected += 1
    n = len(rows)
    tot = lambda k: sum(r[k] for r in rows)
    total_bytes = tot("bytes")
    out = {
        "root": root, "files": n, "rejected": rejected, "bytes": total_bytes,
        "meanBytes": round(total_bytes / n),
        "bytesPercentiles": percentiles([r["bytes"] for r in rows]),
        "importsPerFile": round(tot("imports") / n, 2),
        "importsPercentiles": percentiles([r["imports"] for r in rows]),
        "shareImportingProject": round(sum(1 for r in rows if r["projectImports"] > 0) / n, 3),
        "projectImportsPerFile": round(tot("projectImports") / n, 2),
        "projectImportsPerImportingFile": round(tot("projectImports") / max(1, sum(1 for r in rows if r["projectImports"] > 0)), 2),
        "importWordsPerImport": round(tot("importWords") / max(1, tot("imports")), 2),
        "stringsPerKB": round(1024 * tot("strings") / total_bytes, 2),
        "stringByteShare": round(tot("stringBytes") / total_bytes, 3),
        "docstringByteShare": round(tot("docBytes") / total_bytes, 3),
        "commentsPerKB": round(1024 * tot("comments") / total_bytes, 2),
        "commentByteShare": round(tot("commentBytes") / total_bytes, 3),
        "bytesPerLine": round(total_bytes / max(1, tot("lines")), 1),
    }
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:32} {v}")


if __name__ == "__main__":
    sys.exit(main())
