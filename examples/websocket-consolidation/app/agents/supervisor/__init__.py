"""Supervisor: runs agent turns and keeps users informed over the WebSocket."""
from .agent_registry import AgentRegistry
from .execution_engine import ExecutionEngine

__all__ = ["AgentRegistry", "ExecutionEngine"]
