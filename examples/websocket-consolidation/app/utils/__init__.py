"""Shared helpers (formerly ``app.legacy_utils``)."""
from .text import slugify, truncate_title

__all__ = ["slugify", "truncate_title"]
