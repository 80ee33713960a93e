"""Complete a copy of stdlib tests with the `test.*` modules they import.

argv: ROOT STDLIB. Every `.py` file under ROOT/test is parsed; each `test.X` module it imports
(`import test.X`, `from test import X`, `from test.X import Y`, relative forms too) that exists
under STDLIB/test but not under ROOT/test is copied (a package as its whole folder), until
nothing is missing. Prints the paths it copied, one per line.
"""
import ast
import os
import shutil
import sys

ROOT, STDLIB = sys.argv[1], sys.argv[2]


def module_of(path):
    rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if rel[-1] == "__init__":
        return ".".join(rel[:-1]), True
    return ".".join(rel), False


def wanted(path):
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read())
    except (SyntaxError, ValueError):
        return set()
    module, is_package = module_of(path)
    package = module if is_package else module.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                mod = base + ("." + node.module if node.module else "")
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(mod + "." + a.name for a in node.names if a.name != "*")
    return {m for m in out if m.startswith("test.")}


def present(module):
    base = os.path.join(ROOT, *module.split("."))
    return os.path.isfile(base + ".py") or os.path.isdir(base)


def copy(module):
    """Copy `module` (its top-most missing ancestor under test/) from the stdlib, if it exists."""
    parts = module.split(".")
    for i in range(2, len(parts) + 1):
        sub = parts[:i]
        if present(".".join(sub)):
            continue
        src = os.path.join(STDLIB, *sub)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(ROOT, *sub), ignore=shutil.ignore_patterns("__pycache__"))
            return os.path.join(*sub)
        if os.path.isfile(src + ".py"):
            shutil.copyfile(src + ".py", os.path.join(ROOT, *sub) + ".py")
            return os.path.join(*sub) + ".py"
        return None
    return None


def main():
    done = set()
    copied = []
    while True:
        missing = set()
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, "test")):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            for f in filenames:
                p = os.path.join(dirpath, f)
                if f.endswith(".py") and p not in done:
                    done.add(p)
                    missing |= {m for m in wanted(p) if not present(m)}
        added = [c for c in (copy(m) for m in sorted(missing)) if c]
        if not added:
            break
        copied.extend(added)
    print("\n".join(copied))


main()
