"""For each file path on stdin: the 1-based lines where its top-level statements start (a decorated
definition starts at its first decorator), as JSON lines; files ast rejects are skipped."""
import ast
import json
import sys

for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read())
    except (SyntaxError, ValueError, UnicodeDecodeError):
        print(json.dumps({"file": path, "skipped": True}))
        continue
    lines = []
    for node in tree.body:
        decorators = getattr(node, "decorator_list", [])
        lines.append(min([node.lineno] + [d.lineno for d in decorators]))
    print(json.dumps({"file": path, "lines": lines}))
