"""Registry of the agents the supervisor can run; announces them to users reliably."""
from __future__ import annotations

from app.websocket_core.unified_manager import UnifiedWebSocketManager

try:
    from app.websocket_core.manager import WebSocketManager
except ImportError:  # the shim may be deleted before this file is migrated
    from app.websocket_core.websocket_manager import WebSocketManager


def supports_buffering(ws: WebSocketManager) -> bool:
    """Only the unified manager can hold critical events for offline users."""
    return hasattr(ws, "emit_critical_event")


class AgentRegistry:
    def __init__(self, ws_manager: UnifiedWebSocketManager | None = None) -> None:
        self._ws = ws_manager if ws_manager is not None else UnifiedWebSocketManager()
        self._agents: dict[str, str] = {}

    @property
    def manager(self) -> UnifiedWebSocketManager:
        return self._ws

    def register(self, name: str, description: str) -> None:
        if name in self._agents:
            raise ValueError(f"agent {name!r} is already registered")
        self._agents[name] = description

    def names(self) -> list[str]:
        return sorted(self._agents)

    def announce(self, user_id: str, name: str) -> bool:
        """Tell the user an agent is available; True if delivered now, False if buffered."""
        if not supports_buffering(self._ws):
            raise TypeError("AgentRegistry needs a manager that buffers critical events")
        payload = {"agent": name, "description": self._agents[name]}
        return self._ws.emit_critical_event(user_id, "agent_registered", payload)
