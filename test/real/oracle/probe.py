"""Import every module of a copied project, each in a fresh process, and describe what it binds.

Run with the harness's interpreter (a venv whose .pth puts ROOT first on sys.path), so the copy
shadows the real standard library. argv: ROOT OUT; stdin: one module name per line. Writes OUT:
JSON {module: {"ok": bool, "error": str, "file": str, "how": "import"|"exec", "names": {name: desc}}}.

Each module is imported in a child forked from this process, which has imported none of the
project (it writes its output by hand, not with the json module, which may be the copy under
test), so import order never hides a cycle: every module runs its own imports from scratch.
`file` is where the module came from, to prove the copy shadows the stdlib. A module the
interpreter keeps frozen whatever sys.path says (importlib._bootstrap and _bootstrap_external are
the import system itself) is checked by executing the copy's source in a fresh namespace
("how": "exec").

`names` describes every module-level name so two runs can be compared: a module by its name, a
function or class by `module.qualname`, anything else by its type and the other module-level
names, in the modules of the project loaded in that child, that hold the very same object
(`value:<type>=mod:name,...`): the same object before and after a fix keeps its description.
"""
import os
import signal
import sys

from jsonout import dump

ROOT = os.path.realpath(sys.argv[1])
OUT = sys.argv[2]
TIMEOUT = 60
FROZEN_ALWAYS = {"importlib._bootstrap", "importlib._bootstrap_external"}


def ours(mod):
    f = getattr(mod, "__file__", None)
    return isinstance(f, str) and os.path.realpath(f).startswith(ROOT + os.sep)


def describe(namespace, loaded):
    holders = {}
    for mname, m in loaded:
        for k, v in list(vars(m).items()):
            holders.setdefault(id(v), []).append("%s:%s" % (mname, k))
    out = {}
    for k, v in namespace.items():
        if k in ("__builtins__", "__cached__", "__loader__", "__spec__", "__file__", "__path__"):
            continue
        if isinstance(v, type(sys)):
            out[k] = "module:" + str(getattr(v, "__name__", "?"))
        elif callable(v) and hasattr(v, "__qualname__") and hasattr(v, "__module__"):
            out[k] = "def:%s.%s" % (v.__module__, v.__qualname__)
        elif isinstance(v, float):
            out[k] = "const:float"  # times and measurements differ from run to run
        elif isinstance(v, (str, int, bytes, type(None))) and len(repr(v)) < 200:
            out[k] = "const:%s:%s" % (type(v).__name__, repr(v).replace(ROOT, "<root>"))
        else:
            out[k] = "value:%s=%s" % (type(v).__qualname__, ",".join(sorted(holders.get(id(v), []))))
    return out


def child(name):
    signal.alarm(TIMEOUT)
    rec = {"ok": False, "error": "", "file": "", "how": "import", "names": {}}
    try:
        if name in FROZEN_ALWAYS:
            rec["how"] = "exec"
            parts = name.split(".")
            path = os.path.join(ROOT, *parts) + ".py"
            ns = {"__name__": name + "_copy", "__file__": path}
            with open(path, "rb") as f:
                exec(compile(f.read(), path, "exec"), ns)
            rec["file"] = path
            rec["ok"] = True
            rec["names"] = describe(ns, [])
        else:
            __import__(name)
            mod = sys.modules[name]
            rec["file"] = str(getattr(mod, "__file__", "") or "")
            if not ours(mod):
                rec["error"] = "not shadowed: %s came from %s" % (name, rec["file"] or getattr(mod, "__spec__", None))
            else:
                rec["ok"] = True
                loaded = sorted((n, m) for n, m in list(sys.modules.items()) if m is not None and ours(m))
                rec["names"] = describe(vars(mod), loaded)
    except BaseException as e:  # noqa: BLE001 - every failure is the answer, SystemExit included
        rec["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    return rec


def main():
    names = [line.strip() for line in sys.stdin if line.strip()]
    results = {}
    for name in names:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                os.dup2(devnull, 0)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                data = dump(child(name)).encode("utf-8", "surrogatepass")
                with os.fdopen(w, "wb") as f:
                    f.write(data)
            finally:
                os._exit(0)
        os.close(w)
        with os.fdopen(r, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        if data:
            results[name] = data.decode("utf-8", "surrogatepass")
        else:
            results[name] = dump({"ok": False, "error": "child died (status %d)" % status, "file": "", "how": "import", "names": {}})
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("{" + ",".join(dump(k) + ":" + v for k, v in results.items()) + "}")


main()
