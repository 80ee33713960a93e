"""Chat routes drive the golden path end to end (this file already uses canonical imports)."""
import unittest

from app.routes.health import health
from app.routes.utils import publish_thread_title
from app.routes.websocket_routes import handle_connect, handle_disconnect, handle_user_message
from app.websocket_core.websocket_manager import (
    GOLDEN_PATH_EVENTS,
    get_websocket_manager,
    reset_websocket_manager,
)


class RoutesTest(unittest.TestCase):
    def setUp(self) -> None:
        reset_websocket_manager()

    def test_websocket_route_runs_full_golden_path(self) -> None:
        conn = handle_connect("alice")
        self.assertEqual(health()["websocket_connections"], 1)
        self.assertEqual(handle_user_message("alice", "summarise my corpus"), "summarise my corpus")
        events = get_websocket_manager().events_for(conn)
        self.assertEqual(events, ["connection_ready", *GOLDEN_PATH_EVENTS])
        self.assertTrue(handle_disconnect("alice", conn))
        self.assertEqual(health()["websocket_connections"], 0)

    def test_thread_title_is_generated_and_pushed(self) -> None:
        conn = handle_connect("bob")
        message = "  Why is the   ingestion pipeline so slow on Monday mornings after deploys?"
        title = publish_thread_title("bob", "t-1", message)
        self.assertEqual(title, "Why is the ingestion pipeline so slow...")
        last = get_websocket_manager().outbox(conn)[-1]
        self.assertEqual(last, {"type": "thread_renamed", "payload": {"thread_id": "t-1", "title": title}})
        with self.assertRaises(LookupError):
            publish_thread_title("nobody", "t-2", "hello")


if __name__ == "__main__":
    unittest.main()
