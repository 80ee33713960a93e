"""Does CPython compile each file, as the import system would (bytes in: BOM, PEP 263 coding
line, else strict UTF-8)? stdin: one path per line. stdout: JSON list, per path null (compiles)
or the error, `Type: message`."""
import json
import sys
import warnings

warnings.simplefilter("ignore")
out = []
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    try:
        with open(path, "rb") as f:
            data = f.read()
        compile(data, path, "exec", dont_inherit=True)
        out.append(None)
    except Exception as e:  # noqa: BLE001 - any failure is the answer (SyntaxError, ValueError, RecursionError...)
        out.append("%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
json.dump(out, sys.stdout)
