"""WebSocket delivery services (queueing on top of the manager)."""
