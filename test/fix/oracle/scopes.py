"""CPython's view of which binding every name in a file refers to: `ast` for the nodes, `symtable`
for the scoping rules (locals, globals, free and nonlocal names, class bodies, comprehensions).

Shared by the fix property oracle (bindings.py) and the real-package harness
(test/real/oracle/targets.py); it knows nothing about other files. `analyse(data, module,
is_package)` returns a FileScopes:
  - bindings: {scope: {name: [Binding]}} for every scope, in source order. A scope is a path such
    as "" (the module), "def:f", "def:f/class:C", "def:f/listcomp#0" (anonymous scopes are counted
    within their parent), stable while only imports and attribute uses are edited.
  - uses: [Use] for every name loaded, with the scope whose bindings it refers to (its home) and
    the attribute chain read through it (`m.a.b` -> ["a", "b"]).
  - stars: {scope: [module]} for star-imports (`star_offsets` beside them, where each sits).
A Binding is an import ("import": `module` the module bound; "from": `module` and `name`), or a
local definition ("def", "class", "assign", "arg"); `ordinal` counts the non-import bindings of
that name in that scope, so a definition keeps its label when imports around it change.
"""
import ast
import builtins
import symtable

SCOPE_NODES = {
    ast.FunctionDef: "def",
    ast.AsyncFunctionDef: "def",
    ast.ClassDef: "class",
    ast.Lambda: "lambda",
    ast.ListComp: "listcomp",
    ast.SetComp: "setcomp",
    ast.DictComp: "dictcomp",
    ast.GeneratorExp: "genexpr",
}
BUILTINS = set(dir(builtins))


def resolve_relative(level, module, current, is_package):
    if level == 0:
        return module
    package = current if is_package else current.rpartition(".")[0]
    parts = package.split(".") if package else []
    if len(parts) < level:
        return None
    base = ".".join(parts[: len(parts) - (level - 1)])
    return base + "." + module if module else base


class Binding:
    __slots__ = ("kind", "module", "name", "ordinal", "offset", "asname")

    def __init__(self, kind, module=None, name=None, ordinal=0, offset=0, asname=False):
        self.kind, self.module, self.name, self.ordinal, self.offset, self.asname = kind, module, name, ordinal, offset, asname

    def label(self, scope, local):
        """What this binding names, spelled without other files: a qualified import target, or
        the local definition's place."""
        if self.kind == "import":
            return "module:" + self.module
        if self.kind == "from":
            return "from:%s.%s" % (self.module, self.name)
        return "local:%s|%s|%s#%d" % (scope, local, self.kind, self.ordinal)


class Use:
    __slots__ = ("scope", "name", "home", "attrs", "offset")

    def __init__(self, scope, name, home, attrs, offset):
        self.scope, self.name, self.home, self.attrs, self.offset = scope, name, home, attrs, offset


class Scope:
    __slots__ = ("path", "kind", "table", "parent", "bindings", "stars", "star_offsets", "children_used", "counts")

    def __init__(self, path, kind, table, parent):
        self.path, self.kind, self.table, self.parent = path, kind, table, parent
        self.bindings = {}
        self.stars = []
        self.star_offsets = []
        self.children_used = set()
        self.counts = {}


class FileScopes:
    def __init__(self, module, is_package):
        self.module = module
        self.is_package = is_package
        self.scopes = {}
        self.uses = []
        self.import_aliases = []  # (scope, local, Binding) for every import alias, with `as`

    @property
    def bindings(self):
        return {p: s.bindings for p, s in self.scopes.items()}

    @property
    def stars(self):
        return {p: s.stars for p, s in self.scopes.items() if s.stars}


def analyse(data, module, is_package, path="<file>"):
    """Raises SyntaxError/ValueError when CPython rejects the file."""
    tree = compile(data, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    table = symtable.symtable(data, path, "exec")
    starts = [0]
    for i, b in enumerate(data):
        if b == 10:
            starts.append(i + 1)
    return _Walker(FileScopes(module, is_package), table, starts).run(tree)


class _Walker:
    def __init__(self, out, table, starts):
        self.out = out
        self.starts = starts
        self.root = Scope("", "module", table, None)
        out.scopes[""] = self.root
        self.parents = {}

    def offset(self, node):
        return self.starts[node.lineno - 1] + node.col_offset

    def run(self, tree):
        for n in ast.walk(tree):
            for c in ast.iter_child_nodes(n):
                self.parents[c] = n
        self.body(tree.body, self.root)
        return self.out

    # -- scopes ---------------------------------------------------------------------------------

    def child_scope(self, node, scope):
        kind = SCOPE_NODES[type(node)]
        name = node.name if kind in ("def", "class") else kind
        # The symtable child for this node: same name (and line when it can tell), first unused.
        candidates = [
            (i, c) for i, c in enumerate(scope.table.get_children())
            if i not in scope.children_used and c.get_name() == name
        ]
        exact = [x for x in candidates if x[1].get_lineno() == node.lineno]
        i, table = (exact or candidates)[0]
        scope.children_used.add(i)
        if kind in ("def", "class"):
            label = "%s:%s" % (kind, name)
        else:
            n = scope.counts.get(kind, 0)
            scope.counts[kind] = n + 1
            label = "%s#%d" % (kind, n)
        path = label if scope.path == "" else scope.path + "/" + label
        # Two defs of one name in one scope (property setters, overloads): keep paths distinct.
        if path in self.out.scopes:
            n = 1
            while "%s~%d" % (path, n) in self.out.scopes:
                n += 1
            path = "%s~%d" % (path, n)
        s = Scope(path, kind, table, scope)
        self.out.scopes[path] = s
        return s

    def home(self, scope, name):
        """The scope whose bindings `name`, read or written in `scope`, refers to."""
        if scope.kind == "module":
            return self.root
        try:
            sym = scope.table.lookup(name)
        except KeyError:
            return self.root
        if sym.is_declared_global():
            return self.root
        if sym.is_local():
            return scope
        if sym.is_free() or sym.is_nonlocal():
            s = scope.parent
            while s is not None and s.kind != "module":
                if s.kind != "class":
                    try:
                        if s.table.lookup(name).is_local():
                            return s
                    except KeyError:
                        pass
                s = s.parent
        return self.root

    def bind(self, scope, name, binding):
        home = self.home(scope, name)
        lst = home.bindings.setdefault(name, [])
        if binding.kind not in ("import", "from"):
            binding.ordinal = sum(1 for b in lst if b.kind not in ("import", "from"))
        lst.append(binding)
        return home

    # -- walking --------------------------------------------------------------------------------

    def body(self, stmts, scope):
        for s in stmts:
            self.node(s, scope)

    def node(self, node, scope):
        t = type(node)
        if t in (ast.FunctionDef, ast.AsyncFunctionDef):
            for d in node.decorator_list:
                self.node(d, scope)
            self.arguments_outer(node.args, scope)
            if node.returns:
                self.node(node.returns, scope)
            self.bind(scope, node.name, Binding("def", offset=self.offset(node)))
            inner = self.child_scope(node, scope)
            self.arguments_inner(node.args, inner)
            self.body(node.body, inner)
            return
        if t is ast.ClassDef:
            for d in node.decorator_list:
                self.node(d, scope)
            for b in node.bases:
                self.node(b, scope)
            for k in node.keywords:
                self.node(k.value, scope)
            self.bind(scope, node.name, Binding("class", offset=self.offset(node)))
            inner = self.child_scope(node, scope)
            self.body(node.body, inner)
            return
        if t is ast.Lambda:
            self.arguments_outer(node.args, scope)
            inner = self.child_scope(node, scope)
            self.arguments_inner(node.args, inner, annotations=False)
            self.node(node.body, inner)
            return
        if t in (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp):
            self.node(node.generators[0].iter, scope)
            inner = self.child_scope(node, scope)
            for i, g in enumerate(node.generators):
                if i > 0:
                    self.node(g.iter, inner)
                self.node(g.target, inner)
                for c in g.ifs:
                    self.node(c, inner)
            if t is ast.DictComp:
                self.node(node.key, inner)
                self.node(node.value, inner)
            else:
                self.node(node.elt, inner)
            return
        if t is ast.Import:
            for a in node.names:
                if a.asname:
                    b = Binding("import", module=a.name, offset=self.offset(a), asname=True)
                    local = a.asname
                else:
                    local = a.name.split(".")[0]
                    b = Binding("import", module=local, offset=self.offset(a))
                home = self.bind(scope, local, b)
                self.out.import_aliases.append((home.path, local, b))
            return
        if t is ast.ImportFrom:
            mod = resolve_relative(node.level, node.module or "", self.out.module, self.out.is_package)
            for a in node.names:
                if a.name == "*":
                    scope.stars.append(mod)
                    scope.star_offsets.append(self.offset(a))
                    continue
                local = a.asname or a.name
                b = Binding("from", module=mod, name=a.name, offset=self.offset(a), asname=a.asname is not None)
                home = self.bind(scope, local, b)
                self.out.import_aliases.append((home.path, local, b))
            return
        if t is ast.Name:
            if isinstance(node.ctx, ast.Store):
                self.bind(scope, node.id, Binding("assign", offset=self.offset(node)))
            elif isinstance(node.ctx, ast.Load):
                self.use(node, scope)
            return
        if t is ast.ExceptHandler:
            if node.type:
                self.node(node.type, scope)
            if node.name:
                self.bind(scope, node.name, Binding("assign", offset=self.offset(node)))
            self.body(node.body, scope)
            return
        if t in (ast.MatchAs, ast.MatchStar):
            if getattr(node, "pattern", None) is not None:
                self.node(node.pattern, scope)
            if node.name:
                self.bind(scope, node.name, Binding("assign", offset=self.offset(node)))
            return
        if t is ast.MatchMapping:
            for k in node.keys:
                self.node(k, scope)
            for p in node.patterns:
                self.node(p, scope)
            if node.rest:
                self.bind(scope, node.rest, Binding("assign", offset=self.offset(node)))
            return
        for c in ast.iter_child_nodes(node):
            self.node(c, scope)

    def arguments_outer(self, args, scope):
        for d in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.node(d, scope)
        for a in args.posonlyargs + args.args + args.kwonlyargs + [x for x in (args.vararg, args.kwarg) if x]:
            if a.annotation is not None:
                self.node(a.annotation, scope)

    def arguments_inner(self, args, inner, annotations=True):
        for a in args.posonlyargs + args.args + args.kwonlyargs + [x for x in (args.vararg, args.kwarg) if x]:
            self.bind(inner, a.arg, Binding("arg", offset=self.offset(a)))

    def use(self, node, scope):
        attrs = []
        p = self.parents.get(node)
        x = node
        while isinstance(p, ast.Attribute) and p.value is x:
            attrs.append(p.attr)
            x = p
            p = self.parents.get(p)
        self.out.uses.append(Use(scope.path, node.id, self.home(scope, node.id).path, attrs, self.offset(node)))


def targets(fs, scope_path, name):
    """Labels of what `name` read in (home) scope `scope_path` can be, without following other
    files: its bindings there; a class body falls back to the module; a module name nothing in
    the file binds is a builtin, a star-import's, or unbound."""
    scope = fs.scopes[scope_path]
    out = [b.label(scope_path, name) for b in scope.bindings.get(name, [])]
    if scope.kind == "class" or (not out and scope_path != ""):
        out += [b.label("", name) for b in fs.scopes[""].bindings.get(name, [])]
    if not out:
        stars = fs.scopes[""].stars
        if stars:
            out = ["star:%s.%s" % (m, name) for m in stars]
        elif name in BUILTINS:
            out = ["builtin:" + name]
        else:
            out = ["unbound:" + name]
    return sorted(set(out))
