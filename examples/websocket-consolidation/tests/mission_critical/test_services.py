"""Services deliver their events over the shared WebSocket manager."""
import unittest
from unittest import mock

from app.services.corpus.clickhouse_operations import CorpusOperations
from app.services.notifications import notify_user
from app.services.websocket.message_queue import MessageQueue
from app.websocket_core.manager import get_websocket_manager
from app.websocket_core.websocket_manager import WebSocketManagerFactory, reset_websocket_manager


class ServicesTest(unittest.TestCase):
    def setUp(self) -> None:
        reset_websocket_manager()

    def test_queue_and_corpus_services_use_the_process_manager(self) -> None:
        queue = MessageQueue()
        self.assertFalse(queue.send_or_queue("carol", "agent_completed", {"result": "done"}))
        self.assertEqual(queue.pending("carol"), 1)
        ws = get_websocket_manager()
        conn = ws.connect("carol")
        self.assertEqual(queue.flush("carol"), 1)
        table = CorpusOperations(batch_size=2).insert_rows("carol", "Q3 Sales", [{"id": i} for i in range(5)])
        self.assertEqual(table, "corpus_q3_sales")
        self.assertEqual(ws.events_for(conn), ["agent_completed"] + ["corpus_progress"] * 3)
        self.assertEqual([m["payload"]["inserted"] for m in ws.outbox(conn)[1:]], [2, 4, 5])

    def test_notification_goes_through_the_patched_manager(self) -> None:
        # Patch where the name is looked up. notifications.py calls
        # legacy_mgr.get_websocket_manager() at call time, so the lookup happens in
        # app.websocket_core.manager and this patch reaches it. If notifications.py is
        # rewritten to look the function up in app.websocket_core.websocket_manager while this
        # string still names the old module, the patch no longer applies and this test fails:
        # notify_user() then talks to the real (empty) manager. Planted on purpose for the
        # bisect demo; the fix is to patch the module the code now looks it up in.
        fake = WebSocketManagerFactory().create()
        conn = fake.connect("erin")
        with mock.patch("app.websocket_core.manager.get_websocket_manager", return_value=fake) as patched:
            delivered = notify_user("erin", "Quota at 80%")
        patched.assert_called_once_with()
        self.assertEqual(delivered, 1)
        self.assertEqual(fake.events_for(conn), ["notification"])


if __name__ == "__main__":
    unittest.main()
