"""WebSocket core: connection management and event delivery for the chat golden path.

The package-level ``get_websocket_manager`` is a legacy convenience re-export (issue #1196);
new code imports it from ``app.websocket_core.websocket_manager``.
"""
from .websocket_manager import WebSocketManager, get_websocket_manager

__all__ = ["WebSocketManager", "get_websocket_manager"]
