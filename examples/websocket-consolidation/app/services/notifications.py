"""User notifications (quota warnings, share invites) pushed over the chat WebSocket."""
from __future__ import annotations

import app.websocket_core.manager as legacy_mgr

NOTIFICATION_EVENT = "notification"


def _deliver(ws: legacy_mgr.WebSocketManager, user_id: str, title: str, body: str) -> int:
    return ws.send_to_user(user_id, NOTIFICATION_EVENT, {"title": title, "body": body})


def notify_user(user_id: str, title: str, body: str = "") -> int:
    """Notify every open connection of ``user_id``; returns how many connections got it.

    The manager is looked up on every call through the module attribute, not bound at import
    time, so tests patch it in the module where it is looked up.
    """
    ws = legacy_mgr.get_websocket_manager()
    return _deliver(ws, user_id, title, body)


def notify_many(user_ids: list[str], title: str, body: str = "") -> dict[str, int]:
    return {user_id: notify_user(user_id, title, body) for user_id in user_ids}
