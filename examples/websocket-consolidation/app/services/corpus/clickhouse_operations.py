"""In-memory stand-in for the ClickHouse corpus tables; reports upload progress to the user."""
from __future__ import annotations

import app.websocket_core.manager
from app.legacy_utils import slugify

try:
    # Pre-#1196 factory module; deleted, but some deployments still ship it.
    from app.websocket_core.old_factory import create_manager
except ImportError:
    create_manager = None

PROGRESS_EVENT = "corpus_progress"


class CorpusOperations:
    def __init__(self, batch_size: int = 500) -> None:
        self._tables: dict[str, list[dict[str, object]]] = {}
        self._batch_size = batch_size

    @staticmethod
    def table_name(corpus_name: str) -> str:
        return f"corpus_{slugify(corpus_name)}"

    def insert_rows(self, user_id: str, corpus_name: str, rows: list[dict[str, object]]) -> str:
        """Insert in batches, sending one ``corpus_progress`` event per batch."""
        if create_manager is not None:
            ws = create_manager()
        else:
            ws = app.websocket_core.manager.get_websocket_manager()
        table = self.table_name(corpus_name)
        stored = self._tables.setdefault(table, [])
        for start in range(0, len(rows), self._batch_size):
            stored.extend(dict(row) for row in rows[start:start + self._batch_size])
            done = min(start + self._batch_size, len(rows))
            ws.send_to_user(user_id, PROGRESS_EVENT, {"table": table, "inserted": done,
                                                      "total": len(rows)})
        return table

    def row_count(self, corpus_name: str) -> int:
        return len(self._tables.get(self.table_name(corpus_name), []))
