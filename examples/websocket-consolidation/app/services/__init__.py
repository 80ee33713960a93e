"""Backend services that push events to users over the chat WebSocket."""
