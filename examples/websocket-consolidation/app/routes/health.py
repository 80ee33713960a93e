"""Health endpoint: reports live WebSocket connections.

Already on the canonical import path, so nothing here needs migrating.
"""
from __future__ import annotations

from app.websocket_core.websocket_manager import get_websocket_manager


def health() -> dict[str, object]:
    ws = get_websocket_manager()
    return {
        "status": "ok",
        "websocket_connections": ws.connection_count(),
    }
