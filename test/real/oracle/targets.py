"""Does every binding keep its target? CPython's ast and symtable over two trees of one project.

argv: BEFORE AFTER (two copies of the same project: untouched, and after `canon fix`).
stdin: JSON [{"path": "json/decoder.py", "module": "json.decoder", "isPackage": false}, ...], every
module of the project (the resolver follows imports only into these).
stdout: JSON {"modules", "compared", "bindings", "uses", "diffs": [...], "isolated": [...],
"skipped": [...]}: `diffs` judge the fixed tree as a whole, `isolated` each rewritten file alone
(itself fixed, every other module untouched), which points at the rewrite that broke a binding
rather than at every file reading through it.

Each name a file binds by an import, and each name it reads, is resolved to where its object is
made: following `from M import N` and `import M` through the project's modules (their module-level
bindings, package submodules, star-imports) to a definition (`def:module|scope|name|kind#n`), a
module of the project (`module:M`), or a name outside it (`extern:M.N`); attribute chains through
modules (`m.a.b`) are followed the same way. Labels that mean breakage: `cycle:` (the import
reaches itself: a module importing from itself, a re-export loop), `missing:` (the module of the
project has no such name), `broken:` (a module CPython rejects). In every file CPython accepts in
both trees, a difference is reported when
  - a name bound by an import (in any scope) is bound to other targets after the fix
    ("binding"; gone from module level is "removed": other modules may import it);
  - the multiset of resolved reads in a scope differs ("use"): a read now reaches another object.
Files CPython rejects before the fix are "skipped" (canon must leave them byte-identical, which
the caller checks); a file it accepts before and rejects after is a "compile" difference.
"""
import ast
import bisect
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fix", "oracle"))
from scopes import BUILTINS, analyse  # noqa: E402

warnings.simplefilter("ignore")


_parsed = {}


class Tree:
    """The project as one root holds it; `overlay` (module, root) reads that one module from
    another root, to judge one file's rewrite against the untouched rest."""

    def __init__(self, root, modules, overlay=None):
        self.root = root
        self.overlay = overlay
        self.info = {m["module"]: m for m in modules}
        self.memo = {}
        self.tops = {m.split(".")[0] for m in self.info}
        self.alls = {}

    def path(self, module):
        root = self.overlay[1] if self.overlay and self.overlay[0] == module else self.root
        return os.path.join(root, self.info[module]["path"])

    def scopes(self, module):
        full = self.path(module)
        if full not in _parsed:
            m = self.info[module]
            try:
                with open(full, "rb") as f:
                    data = f.read()
                _parsed[full] = analyse(data, module, m["isPackage"], m["path"])
            except (SyntaxError, ValueError) as e:
                _parsed[full] = e
        return _parsed[full]

    def module_leaf(self, name):
        if name in self.info or any(m.startswith(name + ".") for m in self.info):
            return "module:" + name
        if name.split(".")[0] in self.tops:
            return "missing-module:" + name
        return "extern:" + name

    def exported(self, module, name):
        """Does a star-import of `module` bind `name`?"""
        if module not in self.alls:
            fs = self.scopes(module)
            names = None
            if not isinstance(fs, Exception):
                try:
                    with open(self.path(module), "rb") as f:
                        tree = ast.parse(f.read())
                    for node in tree.body:
                        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
                            names = set(ast.literal_eval(node.value))
                except (SyntaxError, ValueError):
                    names = None
            self.alls[module] = names
        names = self.alls[module]
        if names is not None:
            return name in names
        fs = self.scopes(module)
        return not isinstance(fs, Exception) and not name.startswith("_") and name in fs.scopes[""].bindings

    def resolve_name(self, module, name, stack):
        """Leaves of `from module import name`."""
        if module not in self.info:
            if module.split(".")[0] in self.tops and not any(m.startswith(module + ".") for m in self.info):
                return {"missing-module:%s.%s" % (module, name)}
            return {"extern:%s.%s" % (module, name)}
        key = (module, name)
        if key in self.memo:
            return self.memo[key]
        sub = module + "." + name
        if key in stack:
            return {"module:" + sub} if sub in self.info else {"cycle:" + sub}
        fs = self.scopes(module)
        if isinstance(fs, Exception):
            return {"broken:" + module}
        stack = stack | {key}
        out = set()
        for b in fs.scopes[""].bindings.get(name, []):
            out |= self.resolve_binding(module, "", name, b, stack)
        if sub in self.info:
            # A binding that loops back to `from module import name` is the submodule import itself.
            cyc = "cycle:" + sub
            if cyc in out or not out:
                out.discard(cyc)
                out.add("module:" + sub)
        if not out:
            for s in fs.scopes[""].stars:
                if s in self.info and self.exported(s, name):
                    out |= self.resolve_name(s, name, stack)
                elif s not in self.info and s is not None:
                    out.add("extern-star:%s.%s" % (s, name))
        if not out:
            out = {"missing:" + sub}
        if not any(x.startswith("cycle:") for x in out):
            self.memo[key] = out
        return out

    def resolve_binding(self, module, scope, local, b, stack=frozenset()):
        if b.kind == "import":
            return {self.module_leaf(b.module)}
        if b.kind == "from":
            if b.module is None:
                return {"missing-module:<relative beyond top>"}
            return self.resolve_name(b.module, b.name, stack)
        return {"def:%s|%s|%s|%s#%d" % (module, scope, local, b.kind, b.ordinal)}

    def resolve_read(self, module, fs, home, name):
        scope = fs.scopes[home]
        out = set()
        for b in scope.bindings.get(name, []):
            out |= self.resolve_binding(module, home, name, b)
        if scope.kind == "class" or (not out and home != ""):
            for b in fs.scopes[""].bindings.get(name, []):
                out |= self.resolve_binding(module, "", name, b)
        if not out:
            for s in fs.scopes[""].stars:
                if s in self.info and self.exported(s, name):
                    out |= self.resolve_name(s, name, frozenset())
                elif s not in self.info and s is not None:
                    out.add("extern-star:%s.%s" % (s, name))
        if not out:
            out = {"builtin:" + name} if name in BUILTINS else {"unbound:" + name}
        return out

    def follow(self, leaves, attrs):
        """Each leaf read through the attribute chain: into project modules, along external ones."""
        out = set()
        for leaf in leaves:
            cur = {leaf}
            rest = list(attrs)
            while rest and len(cur) == 1:
                (x,) = cur
                if x.startswith("module:"):
                    cur = self.resolve_name(x[7:], rest[0], frozenset())
                elif x.startswith("extern:"):
                    cur = {x + "." + rest[0]}
                else:
                    break
                rest = rest[1:]
            tail = "." + ".".join(rest) if rest else ""
            out |= {c + tail for c in cur}
        return out


def label_set(s):
    return " | ".join(sorted(s))


def compare(before, after, module):
    fb, fa = before.scopes(module), after.scopes(module)
    path = before.info[module]["path"]
    if isinstance(fb, Exception):
        return None, []
    if isinstance(fa, Exception):
        return (0, 0), [{"kind": "compile", "file": path, "error": "%s: %s" % (type(fa).__name__, fa)}]
    diffs = []
    nb = nu = 0
    for scope_path, sb in fb.scopes.items():
        sa = fa.scopes.get(scope_path)
        if sa is None:
            diffs.append({"kind": "scope", "file": path, "scope": scope_path})
            continue
        names = {n for n, bs in sb.bindings.items() if any(b.kind in ("import", "from") for b in bs)}
        names |= {n for n, bs in sa.bindings.items() if any(b.kind in ("import", "from") for b in bs)}
        for name in sorted(names):
            bb, ba = sb.bindings.get(name, []), sa.bindings.get(name, [])
            if not bb:
                continue  # a name the fix added: judged by the reads below
            nb += 1
            lb = set().union(*(before.resolve_binding(module, scope_path, name, b) for b in bb))
            if not ba:
                if scope_path == "":
                    diffs.append({"kind": "removed", "file": path, "scope": scope_path, "name": name, "before": label_set(lb),
                                  "line": line_of(before, module, bb[0].offset)})
                continue
            la = set().union(*(after.resolve_binding(module, scope_path, name, b) for b in ba))
            if lb != la:
                diffs.append({"kind": "binding", "file": path, "scope": scope_path, "name": name,
                              "before": label_set(lb), "after": label_set(la), "line": line_of(before, module, bb[0].offset)})
    reads_b, reads_a = {}, {}
    first = {}
    for tree, fs, reads in ((before, fb, reads_b), (after, fa, reads_a)):
        for u in fs.uses:
            leaves = tree.follow(tree.resolve_read(module, fs, u.home, u.name), u.attrs)
            key = "%s|%s" % (u.scope, label_set(leaves))
            reads[key] = reads.get(key, 0) + 1
            if tree is before:
                first.setdefault(key, (u.offset, u.name + "".join("." + a for a in u.attrs)))
    nu = sum(reads_b.values())
    for key in sorted(set(reads_b) | set(reads_a)):
        cb, ca = reads_b.get(key, 0), reads_a.get(key, 0)
        if cb != ca:
            d = {"kind": "use", "file": path, "read": key, "before": cb, "after": ca}
            if key in first:
                d["line"] = line_of(before, module, first[key][0])
                d["text"] = first[key][1]
            diffs.append(d)
    return (nb, nu), diffs


_lines = {}


def line_of(tree, module, offset):
    full = tree.path(module)
    if full not in _lines:
        with open(full, "rb") as f:
            data = f.read()
        _lines[full] = [i for i, b in enumerate(data) if b == 10]
    return bisect.bisect_right(_lines[full], offset - 1) + 1


def main():
    before_root, after_root = sys.argv[1], sys.argv[2]
    modules = json.load(sys.stdin)
    before, after = Tree(before_root, modules), Tree(after_root, modules)
    out = {"modules": len(modules), "compared": 0, "bindings": 0, "uses": 0, "diffs": [], "isolated": [], "skipped": []}
    for m in sorted(before.info):
        counts, diffs = compare(before, after, m)
        if counts is None:
            out["skipped"].append(before.info[m]["path"])
            continue
        out["compared"] += 1
        out["bindings"] += counts[0]
        out["uses"] += counts[1]
        out["diffs"].extend(diffs)
        with open(before.path(m), "rb") as f, open(after.path(m), "rb") as g:
            changed = f.read() != g.read()
        if changed:
            # The same file's rewrite alone, every other module untouched: what this rewrite does
            # by itself, apart from what other files' rewrites do to the names it reads.
            _, alone = compare(before, Tree(before_root, modules, overlay=(m, after_root)), m)
            out["isolated"].extend(alone)
    json.dump(out, sys.stdout, indent=1)


main()
