"""Runs one agent turn and streams the five golden-path events to the user."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from app.websocket_core.manager import WebSocketManager

Tool = Callable[[str], str]

DEFAULT_TOOLS: dict[str, Tool] = {
    "echo": lambda text: text,
    "word_count": lambda text: str(len(text.split())),
}


def _default_manager() -> WebSocketManager:
    # Imported lazily: app.websocket_core.supervisor_factory imports this module.
    from app.websocket_core.manager import get_websocket_manager
    return get_websocket_manager()


class ExecutionEngine:
    def __init__(self, ws_manager: WebSocketManager | None = None,
                 tools: dict[str, Tool] | None = None) -> None:
        self._ws = ws_manager if ws_manager is not None else _default_manager()
        self._tools = dict(tools or DEFAULT_TOOLS)

    def run(self, user_id: str, message: str, tool: str = "echo") -> str:
        """Execute ``tool`` on ``message``; every step is visible to the user in real time."""
        emit = self._ws.send_to_user
        emit(user_id, "agent_started", {"message": message})
        emit(user_id, "agent_thinking", {"thought": f"using tool {tool!r}"})
        emit(user_id, "tool_executing", {"tool": tool})
        result = self._tools[tool](message)
        emit(user_id, "tool_completed", {"tool": tool, "result": result})
        emit(user_id, "agent_completed", {"result": result})
        return result
