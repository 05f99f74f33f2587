"""Concurrent sessions against a real app server on 127.0.0.1 (run by hand; figures in benchmarks/README.md).

    python benchmarks/bench_load.py [--sessions 20] [--questions 3] [--url ws://127.0.0.1:PORT] [--timeout 300]

Without --url it starts ``streamlit run app.py`` on a free port (environment as it is, so
ASSISTANT_INDEX_DIR applies; conversations go to a temporary ASSISTANT_DATA_DIR) and stops it at
the end. Each session speaks Streamlit's own websocket protocol, as a browser tab does: it loads
the page, waits for the chat input, then asks its questions one after another (the second and
third are follow-ups of the first), sending the chat input's value as a rerun of the chat
fragment. A question's time is from sending it to the server's "script finished" with the
answer's citation on the page. Bounded: every wait has a timeout, and the run ends with a
report of p50/p95/max and the number of failed questions.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = [
    ["农村黑臭水体整治由哪个部门牵头？", "参与单位呢？", "州农业农村局呢？"],
    ["畜禽粪污资源化利用谁负责？", "那它的目标是多少？", "参与单位呢？"],
    ["农村生活污水治理由哪个部门牵头？", "它的目标是多少？", "这个指标是约束性的吗？"],
    ["州工信局牵头哪些任务？", "州自然资源局呢？", "第二项呢"],
    ["土壤污染防治法第二十一条规定了什么？", "这部法现在还有效吗？", "法典里对应哪条？"],
]


def _helpers():
    spec = importlib.util.spec_from_file_location("app_screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Session:
    """One browser tab, speaking the websocket protocol."""

    def __init__(self, url: str, timeout: float):
        import websocket  # websocket-client

        self.timeout = timeout
        self.ws = websocket.create_connection(f"{url}/_stcore/stream", subprotocols=["streamlit"], timeout=timeout)
        self.chat_id: str | None = None
        self.chat_fragment: str = ""
        self.query = ""

    def close(self) -> None:
        self.ws.close()

    def _send(self, client_state) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.CopyFrom(client_state)
        self.ws.send_binary(msg.SerializeToString())

    def _run(self, client_state, want: str | None = None) -> tuple[bool, str]:
        """Send a rerun, read until the script finishes; (whether ``want`` appeared in the page, page text)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._send(client_state)
        deadline = time.monotonic() + self.timeout
        seen = []
        while time.monotonic() < deadline:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "chat_input":
                    self.chat_id = element.chat_input.id
                    self.chat_fragment = msg.delta.fragment_id
                elif which == "markdown":
                    seen.append(element.markdown.body)
            if kind == "script_finished":
                status = msg.script_finished
                if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    text = "\n".join(seen)
                    return (want is None or want in text), text
        raise TimeoutError("no script_finished within the timeout")

    def _state(self, question: str | None = None, fragment: bool = False):
        from streamlit.proto.ClientState_pb2 import ClientState

        state = ClientState(query_string=self.query, page_script_hash="")
        if question is not None and self.chat_id:
            widget = state.widget_states.widgets.add()
            widget.id = self.chat_id
            widget.chat_input_value.data = question
            if fragment and self.chat_fragment:
                state.fragment_id = self.chat_fragment
        return state

    def open(self) -> float:
        started = time.monotonic()
        while time.monotonic() - started < self.timeout:
            self._run(self._state())
            if self.chat_id:
                return time.monotonic() - started
            time.sleep(1.0)
        raise TimeoutError("the chat input never appeared")

    def ask(self, question: str) -> tuple[float, bool]:
        started = time.perf_counter()
        # every benchmark question is answerable: its answer shows a citation marker, **\[1\]**
        ok, _ = self._run(self._state(question, fragment=True), want="\\[1\\]")
        return time.perf_counter() - started, ok


def run(url: str, sessions: int, questions: int, timeout: float) -> dict:
    times: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(sessions)

    def one(n: int) -> None:
        try:
            session = Session(url, timeout)
            session.open()
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                failures.append(f"session {n}: {exc}")
            barrier.abort()
            return
        try:
            barrier.wait(timeout)  # every session asks at the same time
            for question in CONVERSATIONS[n % len(CONVERSATIONS)][:questions]:
                seconds, ok = session.ask(question)
                with lock:
                    times.append(seconds)
                    if not ok:
                        failures.append(f"session {n}: no answer to {question}")
        except Exception as exc:  # noqa: BLE001
            with lock:
                failures.append(f"session {n}: {exc.__class__.__name__}: {exc}")
        finally:
            session.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(sessions)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout * (questions + 2))
    wall = time.monotonic() - started
    times.sort()
    pick = lambda q: round(times[min(len(times) - 1, int(q * len(times)))] * 1000) if times else None  # noqa: E731
    return {"sessions": sessions, "questions_each": questions, "answered": len(times), "failures": failures,
            "p50_ms": pick(0.5), "p95_ms": pick(0.95), "max_ms": pick(1.0),
            "mean_ms": round(statistics.mean(times) * 1000) if times else None, "wall_s": round(wall, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--url", help="ws://127.0.0.1:PORT of a running app; default: start one")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    if args.url:
        print(json.dumps(run(args.url, args.sessions, args.questions, args.timeout), ensure_ascii=False, indent=1))
        return 0
    shots = _helpers()
    port = shots.free_port()
    with tempfile.TemporaryDirectory() as data, open(Path(data) / "server.log", "wb") as log:
        app = shots.start_app(port, env={"ASSISTANT_DATA_DIR": data}, log=log)
        try:
            shots.wait_healthy(port, app, timeout=120)
            warm = Session(f"ws://127.0.0.1:{port}", args.timeout)  # first start: wait for the engine
            print(f"page ready after {warm.open():.1f}s", file=sys.stderr)
            warm.close()
            report = run(f"ws://127.0.0.1:{port}", args.sessions, args.questions, args.timeout)
        finally:
            shots.stop_app(app)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if not report["failures"] else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
