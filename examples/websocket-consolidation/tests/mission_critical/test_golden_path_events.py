"""The five golden-path events reach the right user, in order, through the manager."""
import unittest; from app.websocket_core import get_websocket_manager  # noqa: E702

from app.agents.supervisor import AgentRegistry, ExecutionEngine
from app.websocket_core.manager import WebSocketManager
from app.websocket_core.supervisor_factory import create_supervisor_engine
from app.websocket_core.websocket_manager import GOLDEN_PATH_EVENTS, reset_websocket_manager


class GoldenPathEventsTest(unittest.TestCase):
    def setUp(self) -> None:
        reset_websocket_manager()

    def test_engine_emits_golden_path_events_in_order(self) -> None:
        ws = WebSocketManager()
        conn = ws.connect("user-1")
        self.assertEqual(ExecutionEngine(ws).run("user-1", "three little words", "word_count"), "3")
        self.assertEqual(ws.events_for(conn), list(GOLDEN_PATH_EVENTS))
        self.assertEqual(ws.outbox(conn)[-1]["payload"], {"result": "3"})

    def test_supervisor_factory_streams_to_the_process_manager_only_for_that_user(self) -> None:
        ws = get_websocket_manager()
        mine, other = ws.connect("user-2"), ws.connect("user-3")
        create_supervisor_engine().run("user-2", "status?")
        self.assertEqual(ws.events_for(mine), list(GOLDEN_PATH_EVENTS))
        self.assertEqual(ws.events_for(other), [])

    def test_agent_registry_buffers_critical_events_until_reconnect(self) -> None:
        registry = AgentRegistry()
        registry.register("triage", "routes each request to the right agent")
        self.assertFalse(registry.announce("user-4", "triage"))
        self.assertEqual(registry.manager.pending_count("user-4"), 1)
        conn = registry.manager.connect("user-4")
        self.assertEqual(registry.manager.events_for(conn), ["agent_registered"])
        self.assertTrue(registry.announce("user-4", "triage"))


if __name__ == "__main__":
    unittest.main()
