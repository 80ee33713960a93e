"""Oracle for the fix property test: CPython's view of a file's import bindings.

Reads JSON from stdin: [{"id", "path", "module", "isPackage", "texts": [base64, ...], "want": [...]}],
`want` naming the costly parts asked for: "compile" (bytecode too, not just the AST), "shape", "uses",
"names".
Writes JSON: per file, per text, either {"error": msg} or
  {"bindings": [[scope, local, target, kind, offset]], "shape": sha1, "bound": {name: count},
   "uses": [[local, qualified]], "names": {"reads": [...], "imports": [...]}}
where `target` is the fully qualified object a binding names (relative imports resolved against
the file's package), `offset` the byte offset of the alias node in the text, `shape` a hash of
the module's AST with every import statement (and `pass`) taken out: what must not change,
`bound` how often each name is bound anywhere (any scope, any way), and `uses` every dotted use
`m.a.b` whose base is a module-level import binding, spelled out through that binding.
`names` is symtable's view (scopes.py): `reads` every name the file reads, in source order, as
[scope, name, [[target, binding offset], ...], attribute chain, offset], the targets being what
the bindings it can refer to name (`from:M.N`, `module:M`, `local:...`, `builtin:N`); `imports`
every import binding as [home scope, local name, target, offset].
"""
import ast
import base64
import hashlib
import json
import sys
import os
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scopes import BUILTINS, analyse  # noqa: E402

warnings.simplefilter("ignore")


def resolve(level, module, current, is_package):
    if level == 0:
        return module
    package = current if is_package else current.rpartition(".")[0]
    parts = package.split(".") if package else []
    if len(parts) < level:
        return None
    base = ".".join(parts[: len(parts) - (level - 1)])
    return base + "." + module if module else base


class Collector(ast.NodeVisitor):
    def __init__(self, text, current, is_package):
        self.scope = []
        self.out = []
        self.current = current
        self.is_package = is_package
        starts = [0]
        for i, b in enumerate(text):
            if b == 10:
                starts.append(i + 1)
        self.starts = starts

    def offset(self, node):
        return self.starts[node.lineno - 1] + node.col_offset

    def scoped(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = scoped

    def visit_Import(self, node):
        for a in node.names:
            if a.asname:
                self.out.append([".".join(self.scope), a.asname, a.name, "import-as", self.offset(a)])
            else:
                self.out.append([".".join(self.scope), a.name.split(".")[0], a.name, "import", self.offset(a)])

    def visit_ImportFrom(self, node):
        mod = resolve(node.level, node.module or "", self.current, self.is_package)
        for a in node.names:
            if a.name == "*":
                continue
            self.out.append([".".join(self.scope), a.asname or a.name, "%s.%s" % (mod, a.name), "from", self.offset(a)])


class Strip(ast.NodeTransformer):
    def generic_visit(self, node):
        super().generic_visit(node)
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                kept = [v for v in value if not isinstance(v, (ast.Import, ast.ImportFrom, ast.Pass))]
                setattr(node, field, kept)
        return node


def bound_counts(tree):
    counts = {}

    def add(name):
        counts[name] = counts.get(name, 0) + 1

    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            add(n.id)
        elif isinstance(n, ast.arg):
            add(n.arg)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(n.name)
        elif isinstance(n, ast.alias):
            add(n.asname or n.name.split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            add(n.name)
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            for x in n.names:
                add(x)
        elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
            add(n.name)
        elif isinstance(n, ast.MatchMapping) and n.rest:
            add(n.rest)
    return counts


def dotted_uses(tree, bindings):
    """[local, qualified] for each outermost `name.a.b` whose base is a module-level import binding."""
    module_level = {}
    for scope, local, target, kind, _ in bindings:
        if scope == "":
            module_level[local] = target.split(".")[0] if kind == "import" else target
    parents = {}
    for n in ast.walk(tree):
        for c in ast.iter_child_nodes(n):
            parents[c] = n
    out = []
    for n in ast.walk(tree):
        if not isinstance(n, ast.Attribute):
            continue
        p = parents.get(n)
        if isinstance(p, ast.Attribute) and p.value is n:
            continue
        attrs = []
        x = n
        while isinstance(x, ast.Attribute):
            attrs.append(x.attr)
            x = x.value
        if isinstance(x, ast.Name) and x.id in module_level:
            out.append([x.id, ".".join([module_level[x.id]] + attrs[::-1]), x.lineno, x.col_offset])
    return out


def examine(data, path, module, is_package, want):
    try:
        tree = compile(data, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        if "compile" in want:
            compile(tree, path, "exec", dont_inherit=True)
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        return {"error": "%s: %s" % (type(e).__name__, e)}
    c = Collector(data, module, is_package)
    c.visit(tree)
    out = {"bindings": c.out}
    if "uses" in want:
        out["bound"] = bound_counts(tree)
        out["uses"] = [[local, q, c.starts[line - 1] + col] for local, q, line, col in dotted_uses(tree, c.out)]
    if "names" in want:
        out["names"] = names(data, module, is_package, path)
    if "shape" in want:
        out["shape"] = hashlib.sha1(ast.dump(Strip().visit(tree)).encode()).hexdigest()
    return out


def names(data, module, is_package, path):
    try:
        fs = analyse(data, module, is_package, path)
    except (SyntaxError, ValueError):
        return None  # symtable rejects what ast accepted (a bad __future__ feature): no ground truth
    reads = []
    for u in fs.uses:
        scope = fs.scopes[u.home]
        found = [(b.label(u.home, u.name), b.offset) for b in scope.bindings.get(u.name, [])]
        if scope.kind == "class" or (not found and u.home != ""):
            found += [(b.label("", u.name), b.offset) for b in fs.scopes[""].bindings.get(u.name, [])]
        if not found:
            root = fs.scopes[""]
            if root.stars:
                found = [("star:%s.%s" % (m, u.name), off) for m, off in zip(root.stars, root.star_offsets)]
            else:
                found = [(("builtin:" if u.name in BUILTINS else "unbound:") + u.name, -1)]
        reads.append([u.scope, u.name, [list(x) for x in found], u.attrs, u.offset])
    imports = [[home, local, b.label(home, local), b.offset] for home, local, b in fs.import_aliases]
    return {"reads": reads, "imports": imports}


def main():
    jobs = json.load(sys.stdin)
    out = []
    for j in jobs:
        want = set(j.get("want", ["compile", "shape", "uses"]))
        out.append([examine(base64.b64decode(t), j["path"], j["module"], j["isPackage"], want) for t in j["texts"]])
    json.dump(out, sys.stdout)


main()
