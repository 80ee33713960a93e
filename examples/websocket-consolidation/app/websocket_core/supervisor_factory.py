"""Builds a supervisor ExecutionEngine bound to a WebSocket manager, one per chat run."""
from __future__ import annotations

from app.agents.supervisor.execution_engine import ExecutionEngine
from app.websocket_core import manager


def create_supervisor_engine(ws_manager: manager.WebSocketManager | None = None,
                             tools: dict | None = None) -> ExecutionEngine:
    """Use ``ws_manager`` if given, else the process-wide manager."""
    ws = ws_manager if ws_manager is not None else manager.get_websocket_manager()
    if not isinstance(ws, manager.WebSocketManager):
        raise TypeError(f"expected a WebSocketManager, got {type(ws).__name__}")
    return ExecutionEngine(ws, tools)
