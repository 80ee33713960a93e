"""Mission critical tests: the chat golden path must keep working through the migration."""
