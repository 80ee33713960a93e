#!/usr/bin/env python3
"""Independently count what bench/gen.mjs planted, using Python's own parser, and compare.

    python3 bench/verify_counts.py DIR [--no-compile] [--show N]

Reads DIR/canon.toml for the moves, walks every .py file under DIR with `ast`, applies the counting
rules of bench/README.md and compares the totals with DIR/expected.json and, per file, with
DIR/expected-files.json. Every file is also compiled (compile(), which catches more than parsing:
`return` outside a function, bad `nonlocal`, ...). Exit 0 when everything matches, 1 otherwise.

This shares no code with the generator: it only knows the config and the rules.
"""

import argparse
import ast
import json
import os
import re
import sys
from collections import Counter, defaultdict

try:
    import tomllib
except ImportError:  # Python < 3.11: the generated canon.toml is simple enough for a regex
    tomllib = None

DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")


def load_moves(root):
    path = os.path.join(root, "canon.toml")
    if tomllib is not None:
        with open(path, "rb") as fh:
            moves = tomllib.load(fh).get("move", [])
    else:
        text = open(path, encoding="utf-8").read()
        moves = [{"from": f, "to": t} for f, t in re.findall(r'from = "([^"]+)"\nto = "([^"]+)"', text)]
    symbol = defaultdict(dict)  # module -> {name: move id}
    module = []  # moved module paths
    for mv in moves:
        if ":" in mv["from"]:
            mod, name = mv["from"].split(":", 1)
            symbol[mod][name] = mv["from"]
        else:
            module.append(mv["from"])
    return dict(symbol), module


def index_modules(root):
    """module name -> file path, for every .py under root (packages need not be checked here)."""
    mods = {}
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            if not fn.endswith(".py"):
                continue
            full = os.path.join(dirpath, fn)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            files.append(rel)
            parts = rel[:-3].split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods[".".join(parts)] = full
    return mods, files


class Defs:
    """Top-level names a module binds (for `from m import name` resolution)."""

    def __init__(self, mods):
        self.mods = mods
        self.cache = {}

    def get(self, mod):
        if mod not in self.cache:
            with open(self.mods[mod], "rb") as fh:
                tree = ast.parse(fh.read())
            names = set()

            def visit(body):
                for st in body:
                    if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        names.add(st.name)
                    elif isinstance(st, ast.Assign):
                        for t in st.targets:
                            for n in ast.walk(t):
                                if isinstance(n, ast.Name):
                                    names.add(n.id)
                    elif isinstance(st, (ast.AnnAssign, ast.AugAssign)) and isinstance(st.target, ast.Name):
                        names.add(st.target.id)
                    elif isinstance(st, ast.Import):
                        for a in st.names:
                            names.add(a.asname or a.name.split(".")[0])
                    elif isinstance(st, ast.ImportFrom):
                        for a in st.names:
                            names.add(a.asname or a.name)
                    elif isinstance(st, ast.If):
                        visit(st.body)
                        visit(st.orelse)
                    elif isinstance(st, ast.Try):
                        visit(st.body)
                        visit(st.orelse)
                        visit(st.finalbody)
                        for h in st.handlers:
                            visit(h.body)

            visit(tree.body)
            self.cache[mod] = names
        return self.cache[mod]


def chain_of(node):
    """`a.b.c` Attribute -> ['a', 'b', 'c']; None when the base is not a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def module_move_of(mod, module_moves):
    for mm in module_moves:
        if mod == mm or mod.startswith(mm + "."):
            return mm
    return None


def count_file(rel, tree, symbol_moves, module_moves, mods, defs, first_party, out, by_move, problems):
    parts = rel[:-3].split("/")
    is_pkg = parts[-1] == "__init__"
    if is_pkg:
        parts = parts[:-1]
    package = parts if is_pkg else parts[:-1]
    counts = Counter()

    def absolute(node):
        if node.level == 0:
            return node.module or ""
        if node.level - 1 > len(package):
            return None
        base = package[: len(package) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))

    def unresolved(what):
        counts["unresolved"] += 1
        problems.append(f"{rel}:{what}")

    bindings = []  # (prefix list, module with symbol moves)
    fstring_parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for v in node.values:
                fstring_parts.add(id(v))

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            mod = absolute(node)
            if mod is None:
                unresolved(f"{node.lineno}: relative import beyond top")
                continue
            mm = module_move_of(mod, module_moves)
            if mm:
                counts["legacy-import"] += len(node.names)  # one per imported name, as for symbol moves
                by_move[mm] += len(node.names)
            else:
                if mod in symbol_moves:
                    for a in node.names:
                        if a.name in symbol_moves[mod]:
                            counts["legacy-import"] += 1
                            by_move[symbol_moves[mod][a.name]] += 1
                for a in node.names:
                    full = f"{mod}.{a.name}"
                    mm2 = module_move_of(full, module_moves)
                    if mm2:
                        counts["legacy-import"] += 1
                        by_move[mm2] += 1
                    elif full in symbol_moves:
                        bindings.append(([a.asname or a.name], full))
            if mod.split(".")[0] in first_party:
                if mod not in mods:
                    unresolved(f"{node.lineno}: no module {mod}")
                else:
                    for a in node.names:
                        if a.name != "*" and f"{mod}.{a.name}" not in mods and a.name not in defs.get(mod):
                            unresolved(f"{node.lineno}: {mod} has no {a.name}")
        elif isinstance(node, ast.Import):
            for a in node.names:
                mm = module_move_of(a.name, module_moves)
                if mm:
                    counts["legacy-import"] += 1
                    by_move[mm] += 1
                elif a.name in symbol_moves:
                    bindings.append(([a.asname] if a.asname else a.name.split("."), a.name))
                if a.name.split(".")[0] in first_party and a.name not in mods:
                    unresolved(f"{node.lineno}: no module {a.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in fstring_parts:
            v = node.value
            if DOTTED.match(v):
                hit = module_move_of(v, module_moves) is not None or v in symbol_moves or any(
                    v == f"{m}.{n}" or v.startswith(f"{m}.{n}.") for m, ns in symbol_moves.items() for n in ns
                )
                if hit:
                    counts["string-reference"] += 1

    if bindings:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                ch = chain_of(node)
                if not ch:
                    continue
                for prefix, mod in bindings:
                    if ch[:-1] == prefix and ch[-1] in symbol_moves[mod]:
                        counts["legacy-import"] += 1
                        by_move[symbol_moves[mod][ch[-1]]] += 1
                        break  # one use is one finding, however many imports bind the name
    out[rel] = counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root")
    ap.add_argument("--no-compile", action="store_true", help="only parse, do not compile()")
    ap.add_argument("--show", type=int, default=15, help="mismatching files to print")
    args = ap.parse_args()
    root = args.root

    expected = json.load(open(os.path.join(root, "expected.json"), encoding="utf-8"))
    manifest = json.load(open(os.path.join(root, "expected-files.json"), encoding="utf-8"))
    symbol_moves, module_moves = load_moves(root)
    mods, files = index_modules(root)
    first_party = {m.split(".")[0] for m in mods}
    defs = Defs(mods)

    per_file = {}
    by_move = Counter()
    problems = []
    syntax_errors = []
    total_bytes = 0
    prefilter_hits = 0
    for rel in files:
        with open(os.path.join(root, rel), "rb") as fh:
            data = fh.read()
        total_bytes += len(data)
        if b"legacy" in data or b"oldapi" in data or b"oldjson" in data:
            prefilter_hits += 1
        try:
            if not args.no_compile:
                compile(data, rel, "exec", dont_inherit=True)
            tree = ast.parse(data, rel)
        except SyntaxError as e:
            syntax_errors.append(f"{rel}:{e.lineno}: {e.msg}")
            continue
        count_file(rel, tree, symbol_moves, module_moves, mods, defs, first_party, per_file, by_move, problems)

    totals = Counter()
    for c in per_file.values():
        totals.update(c)

    ok = True

    def check(label, got, want):
        nonlocal ok
        status = "PASS" if got == want else "FAIL"
        ok = ok and got == want
        print(f"{status}  {label:<18} ast={got:<10} expected={want}")

    print(f"tree {root}: {len(files)} .py files, {total_bytes / 1048576:.1f} MiB, "
          f"{prefilter_hits} files contain legacy/oldapi/oldjson bytes ({100 * prefilter_hits / len(files):.1f}%)")
    check("files", len(files), expected["files"])
    check("bytes", total_bytes, expected["bytes"])
    check("syntax errors", len(syntax_errors), 0)
    check("legacy-import", totals["legacy-import"], expected["legacyImports"])
    check("unresolved", totals["unresolved"], expected["unresolved"])
    check("string-reference", totals["string-reference"], expected["stringReferences"])
    for mv in sorted(set(by_move) | set(expected["byMove"])):
        check(f"move {mv}", by_move[mv], expected["byMove"].get(mv, 0))

    mismatches = []
    for rel in files:
        got = per_file.get(rel, Counter())
        want = manifest.get(rel, {})
        for kind in ("legacy-import", "unresolved", "string-reference"):
            if got[kind] != want.get(kind, 0):
                mismatches.append(f"{rel}: {kind} ast={got[kind]} expected={want.get(kind, 0)} forms={want.get('forms', [])}")
    check("per-file mismatches", len(mismatches), 0)
    for m in syntax_errors[: args.show]:
        print("  syntax:", m)
    for m in mismatches[: args.show]:
        print("  mismatch:", m)
    if totals["unresolved"] != expected["unresolved"]:
        for p in problems[: args.show]:
            print("  unresolved:", p)
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
