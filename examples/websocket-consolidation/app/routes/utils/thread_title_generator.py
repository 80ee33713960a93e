"""Generates a short title for a new chat thread and pushes it to the user's open tabs."""
from __future__ import annotations

from app.legacy_utils.text import truncate_title
from app.websocket_core import get_websocket_manager
from app.websocket_core.manager \
    import WebSocketManager

MAX_TITLE_LENGTH = 40
FALLBACK_TITLE = "New chat"
# Shown on the admin migration-status page; it is text, not an import.
MIGRATION_NOTE = "from app.websocket_core.manager import WebSocketManager is deprecated (#1196)"


def generate_thread_title(message: str, max_length: int = MAX_TITLE_LENGTH) -> str:
    return truncate_title(message, max_length) or FALLBACK_TITLE


def publish_thread_title(user_id: str, thread_id: str, message: str,
                         ws: WebSocketManager | None = None) -> str:
    """Title the thread and send ``thread_renamed``; raises if the user has no open socket."""
    title = generate_thread_title(message)
    manager = ws if ws is not None else get_websocket_manager()
    payload = {"thread_id": thread_id, "title": title}
    if manager.send_to_user(user_id, "thread_renamed", payload) == 0:
        raise LookupError(f"user {user_id!r} has no open connection")
    return title
