"""Chat WebSocket route handlers: connect, disconnect, and one agent turn per user message.

Migration note (#1196). These handlers used to obtain the manager like this:

    from app.websocket_core.manager import WebSocketManager

Do not copy that; the canonical module is app.websocket_core.websocket_manager.
"""
from __future__ import annotations

from app.agents.supervisor.execution_engine import ExecutionEngine
from app.websocket_core.manager import WebSocketManager as WSM

from ..websocket_core.manager import get_websocket_manager


def handle_connect(user_id: str) -> str:
    """Register a new socket for ``user_id`` and tell the client it is ready."""
    ws: WSM = get_websocket_manager()
    conn_id = ws.connect(user_id)
    ws.send_to_user(user_id, "connection_ready", {"connection_id": conn_id})
    return conn_id


def handle_disconnect(user_id: str, connection_id: str) -> bool:
    return get_websocket_manager().disconnect(user_id, connection_id)


def handle_user_message(user_id: str, text: str, ws: WSM | None = None) -> str:
    """Run one supervisor turn; the engine streams the golden-path events to the user."""
    engine = ExecutionEngine(ws if ws is not None else get_websocket_manager())
    return engine.run(user_id, text)
