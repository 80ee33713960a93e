"""DEPRECATED: moved to ``app.utils.text`` (issue #1196); re-exports the same functions."""
from app.utils.text import slugify, truncate_title

__all__ = ["slugify", "truncate_title"]
