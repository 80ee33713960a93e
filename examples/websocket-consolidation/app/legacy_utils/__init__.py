"""DEPRECATED: this package moved wholesale to ``app.utils`` (issue #1196).

Kept only so old imports keep working; it re-exports the same functions.
"""
from app.utils import slugify, truncate_title

__all__ = ["slugify", "truncate_title"]
