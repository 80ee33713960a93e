"""Canonical WebSocket manager: the single source of truth since issue #1196.

Every consumer should import ``WebSocketManager`` and ``get_websocket_manager`` from this
module. The older paths (``manager``, the package ``__init__``) re-export these objects.
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

# The five events a user must see for every agent run (the "golden path").
GOLDEN_PATH_EVENTS = ("agent_started", "agent_thinking", "tool_executing", "tool_completed",
                      "agent_completed")


@dataclass
class Connection:
    connection_id: str
    user_id: str
    outbox: list[dict[str, Any]] = field(default_factory=list)


class WebSocketManager:
    """Tracks open connections per user and delivers JSON-style events to them (in memory)."""

    def __init__(self) -> None:
        self._connections: dict[str, Connection] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def connect(self, user_id: str, connection_id: str | None = None) -> str:
        with self._lock:
            conn_id = connection_id or f"conn-{next(self._ids)}"
            self._connections[conn_id] = Connection(conn_id, user_id)
        return conn_id

    def disconnect(self, user_id: str, connection_id: str) -> bool:
        with self._lock:
            conn = self._connections.get(connection_id)
            if conn is None or conn.user_id != user_id:
                return False
            del self._connections[connection_id]
            return True

    def is_connected(self, user_id: str) -> bool:
        return any(c.user_id == user_id for c in self._connections.values())

    def connection_count(self) -> int:
        return len(self._connections)

    def send_to_user(self, user_id: str, event_type: str, payload: dict[str, Any] | None = None) -> int:
        """Deliver one event to every connection of ``user_id``; returns how many received it."""
        targets = [c for c in self._connections.values() if c.user_id == user_id]
        for conn in targets:
            conn.outbox.append({"type": event_type, "payload": dict(payload or {})})
        return len(targets)

    def broadcast(self, event_type: str, payload: dict[str, Any] | None = None) -> int:
        users = {c.user_id for c in self._connections.values()}
        return sum(self.send_to_user(user, event_type, payload) for user in sorted(users))

    def outbox(self, connection_id: str) -> list[dict[str, Any]]:
        return list(self._connections[connection_id].outbox)

    def events_for(self, connection_id: str) -> list[str]:
        return [message["type"] for message in self.outbox(connection_id)]


class WebSocketManagerFactory:
    """Builds isolated managers (per request or per test) instead of the process-wide one."""

    def create(self) -> WebSocketManager:
        return WebSocketManager()


_manager: WebSocketManager | None = None
_manager_lock = threading.Lock()


def get_websocket_manager() -> WebSocketManager:
    """Return the process-wide manager, creating it on first use."""
    global _manager
    with _manager_lock:
        if _manager is None:
            _manager = WebSocketManager()
        return _manager


def reset_websocket_manager() -> None:
    """Forget the process-wide manager; tests call this for isolation."""
    global _manager
    _manager = None
