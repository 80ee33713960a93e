"""Per-user outbound queue: holds events while a user is offline and flushes on reconnect."""
from __future__ import annotations

from collections import deque
from typing import Any

from app.websocket_core.manager import (
    WebSocketManager,  # legacy path, tracked in #1196
    get_websocket_manager,
)

# Old lazy variant, kept for reference until #1196 closes:
# from app.websocket_core.manager import get_websocket_manager as _gwm

Message = tuple[str, dict[str, Any]]


class MessageQueue:
    def __init__(self, ws_manager: WebSocketManager | None = None, max_per_user: int = 100) -> None:
        self._ws = ws_manager if ws_manager is not None else get_websocket_manager()
        self._max = max_per_user
        self._queues: dict[str, deque[Message]] = {}

    def send_or_queue(self, user_id: str, event_type: str,
                      payload: dict[str, Any] | None = None) -> bool:
        """Deliver now if the user has a socket (True), otherwise queue it (False)."""
        if self._ws.is_connected(user_id):
            self._ws.send_to_user(user_id, event_type, payload)
            return True
        queue = self._queues.setdefault(user_id, deque(maxlen=self._max))
        queue.append((event_type, dict(payload or {})))
        return False

    def pending(self, user_id: str) -> int:
        return len(self._queues.get(user_id, ()))

    def flush(self, user_id: str) -> int:
        """Send everything queued for ``user_id``; returns how many events went out."""
        queue = self._queues.pop(user_id, deque())
        sent = 0
        while queue:
            event_type, payload = queue.popleft()
            sent += 1 if self._ws.send_to_user(user_id, event_type, payload) else 0
        return sent
