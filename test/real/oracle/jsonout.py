"""JSON output without the json module: the harness's oracles run with a copy of the stdlib
first on sys.path, and that copy's json may be the code under test."""


def dump(x):
    if x is None:
        return "null"
    if x is True:
        return "true"
    if x is False:
        return "false"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, str):
        out = ['"']
        for ch in x:
            o = ord(ch)
            if ch == '"' or ch == "\\":
                out.append("\\" + ch)
            elif o < 0x20 or 0xD800 <= o <= 0xDFFF:
                out.append("\\u%04x" % o)
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)
    if isinstance(x, dict):
        return "{" + ",".join(dump(str(k)) + ":" + dump(v) for k, v in x.items()) + "}"
    return "[" + ",".join(dump(v) for v in x) + "]"
