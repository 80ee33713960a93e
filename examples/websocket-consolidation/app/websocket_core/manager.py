"""DEPRECATED compatibility shim (issue #1196).

``WebSocketManager`` and ``get_websocket_manager`` used to be defined here. They now live in
``app.websocket_core.websocket_manager``; this module re-exports the very same objects so old
imports keep working while consumers migrate. New code must import from the canonical module.
"""
from app.websocket_core.websocket_manager import WebSocketManager, get_websocket_manager

__all__ = ["WebSocketManager", "get_websocket_manager"]
