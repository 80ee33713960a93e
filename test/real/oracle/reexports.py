"""The names a package's `__init__.py` re-exports from its own submodules, as CPython sees them.

argv: ROOT PACKAGE... (ROOT holds the packages' source, e.g. a copy of the stdlib).
Prints JSON: [{"package", "module", "name", "alias", "line"}], one per re-export, where
`from .module import name as alias` (or `from package.module import ...`, or a star-import
expanded through the submodule's literal `__all__`) sits at module level of PACKAGE/__init__.py,
outside any function or class. Every package below PACKAGE is examined too.

A re-export is listed only when it is live on this machine: importing the real package shows
`package.alias is module.name` (that drops branches for other platforms, such as asyncio's
windows_events, and names a module `__getattr__` or a later assignment overrides). Names that
bind a submodule (`from . import sub`) are modules, not symbols, and are left out.
"""
import ast
import importlib
import json
import os
import sys
import warnings

warnings.simplefilter("ignore")


def resolve(level, module, package):
    if level == 0:
        return module
    parts = package.split(".")
    if len(parts) < level:
        return None
    base = ".".join(parts[: len(parts) - (level - 1)])
    return base + "." + module if module else base


def module_level(body):
    """Statements at module level, through if/try/with blocks, not into defs or classes."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.For, ast.While, ast.With, ast.AsyncFor, ast.AsyncWith)):
            yield from module_level(node.body)
            yield from module_level(getattr(node, "orelse", []))
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            yield from module_level(node.body)
            for h in node.handlers:
                yield from module_level(h.body)
            yield from module_level(node.orelse)
            yield from module_level(node.finalbody)


def literal_all(path):
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            try:
                return list(ast.literal_eval(node.value))
            except ValueError:
                return None
    return None


def source_of(root, module):
    base = os.path.join(root, *module.split("."))
    for p in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(p):
            return p
    return None


def packages_under(root, package):
    out = []
    top = os.path.join(root, *package.split("."))
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        if "__init__.py" in filenames:
            rel = os.path.relpath(dirpath, root)
            out.append(".".join(rel.split(os.sep)))
    return out


def live(package, module, name, alias):
    try:
        p = importlib.import_module(package)
        m = importlib.import_module(module)
    except Exception:  # noqa: BLE001 - a package this machine cannot import has nothing live
        return False
    sentinel = object()
    a = getattr(p, alias, sentinel)
    return a is not sentinel and a is getattr(m, name, None) and not isinstance(a, type(sys))


def reexports(root, package):
    path = os.path.join(root, *package.split("."), "__init__.py")
    with open(path, "rb") as f:
        tree = ast.parse(f.read())
    found = []
    for node in module_level(tree.body):
        if not isinstance(node, ast.ImportFrom):
            continue
        mod = resolve(node.level, node.module or "", package)
        if mod is None or not mod.startswith(package + "."):
            continue
        for a in node.names:
            if a.name == "*":
                src = source_of(root, mod)
                for n in (literal_all(src) if src else None) or []:
                    found.append((mod, n, n, node.lineno))
            else:
                found.append((mod, a.name, a.asname or a.name, node.lineno))
    seen = set()
    out = []
    for mod, name, alias, line in found:
        if (mod, name, alias) in seen or not live(package, mod, name, alias):
            continue
        seen.add((mod, name, alias))
        out.append({"package": package, "module": mod, "name": name, "alias": alias, "line": line})
    return out


def main():
    root = sys.argv[1]
    out = []
    for top in sys.argv[2:]:
        for package in packages_under(root, top):
            out.extend(reexports(root, package))
    json.dump(out, sys.stdout, indent=1)


main()
