"""Chat backend: WebSocket core, routes, services and the agent supervisor."""
