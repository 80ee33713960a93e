"""Route handlers for the chat backend (transport-free so tests can drive them directly)."""
