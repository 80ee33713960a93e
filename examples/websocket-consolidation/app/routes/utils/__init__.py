"""Helpers used by the chat routes."""
from .thread_title_generator import generate_thread_title, publish_thread_title

__all__ = ["generate_thread_title", "publish_thread_title"]
