"""Legacy "unified" WebSocket manager (issue #1196).

Unlike ``manager.py`` this is NOT a re-export: ``UnifiedWebSocketManager`` is its own subclass
of the canonical ``WebSocketManager`` that buffers critical events for users who are offline
and replays them when they reconnect. Code that relies on ``emit_critical_event`` or
``pending_count`` breaks if it is pointed at the plain canonical class.
"""
from __future__ import annotations

from typing import Any

from .websocket_manager import WebSocketManager, get_websocket_manager

__all__ = ["UnifiedWebSocketManager", "get_websocket_manager"]


class _UnifiedImpl(WebSocketManager):
    def __init__(self) -> None:
        super().__init__()
        self._pending: dict[str, list[tuple[str, dict[str, Any]]]] = {}

    def emit_critical_event(self, user_id: str, event_type: str,
                            payload: dict[str, Any] | None = None) -> bool:
        """Send now if the user is online, else keep it for the next connect. True if sent."""
        if self.send_to_user(user_id, event_type, payload):
            return True
        self._pending.setdefault(user_id, []).append((event_type, dict(payload or {})))
        return False

    def pending_count(self, user_id: str) -> int:
        return len(self._pending.get(user_id, []))

    def connect(self, user_id: str, connection_id: str | None = None) -> str:
        conn_id = super().connect(user_id, connection_id)
        for event_type, payload in self._pending.pop(user_id, []):
            self.send_to_user(user_id, event_type, payload)
        return conn_id


# Kept under the old public name; a different object from websocket_manager.WebSocketManager.
UnifiedWebSocketManager = _UnifiedImpl
