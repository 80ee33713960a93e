"""Small text helpers shared by routes and services."""
from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(value: str) -> str:
    """``"Q3 Sales (EU)"`` -> ``"q3_sales_eu"``: safe for table and channel names."""
    return _NON_ALNUM.sub("_", value.lower()).strip("_")


def truncate_title(text: str, max_length: int) -> str:
    """Collapse whitespace and cut to ``max_length`` characters on a word boundary."""
    text = " ".join(text.split())
    if len(text) <= max_length:
        return text
    cut = text[: max_length - 3]
    if text[len(cut)] != " ":  # do not end on half a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "..."
