"""The conversation store: the same tests on a SQLite file and on a real PostgreSQL server.

The PostgreSQL server is Debian's ``postgresql`` package (installed by scripts/test.sh), started
here in a temporary data folder on a free port; as root it runs as the ``postgres`` user. The
PostgreSQL case is skipped, with the reason, only when the server cannot be installed or started.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.history import HistoryError, HistoryStore, database_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    runner = shutil.which("runuser")
    return [runner, "-u", "postgres", "--", *args] if runner else ["su", "postgres", "-c", " ".join(args)]


@pytest.fixture(scope="module")
def postgres_url():
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; scripts/test.sh does it): "
                    "PostgreSQL history test skipped")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: pip install -e '.[test]'")
    bindir = Path(binaries[-1]).parent
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server as: PostgreSQL test skipped")
    root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    log = root / "server.log"
    try:
        subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                     "-E", "UTF8", "--no-locale"]), check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                                     f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL server could not start ({exc}; {detail.decode(errors='replace')[-300:]}): "
                    "PostgreSQL history test skipped")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path / "data")
        store = HistoryStore.open(settings)
        assert (tmp_path / "data" / "assistant.sqlite3").is_file()  # the file lives under the data folder
    else:
        store = HistoryStore(request.getfixturevalue("postgres_url"))
        from assistant.history import metadata

        metadata.drop_all(store.engine)  # each test starts empty on the shared server
        metadata.create_all(store.engine)
    yield store
    store.close()


ANSWER = {"question": "q", "answer": "“持续开展排查整治农村黑臭水体污染”由州生态环境局牵头[1]", "abstained": False,
          "citations": [{"n": 1, "clause_id": "plan-101", "quote": "持续开展排查整治农村黑臭水体污染。"}], "intents": ["lead_bureau"]}


def test_turns_are_kept_in_order_and_restored(store):
    cid = store.create("owner-a")
    assert store.add_turn(cid, "农村黑臭水体整治由哪个部门牵头？", ANSWER, seconds=0.02) == 0
    assert store.add_turn(cid, "参与单位呢？", ANSWER, standalone="“持续开展…”有哪些参与单位？") == 1
    again = store.get(cid)
    assert [t.question for t in again.turns] == ["农村黑臭水体整治由哪个部门牵头？", "参与单位呢？"]
    assert again.turns[1].standalone.startswith("“持续开展") and again.turns[0].answer == ANSWER
    assert again.title == "农村黑臭水体整治由哪个部门牵头？"  # the first question names the conversation


def test_owners_never_see_each_others_conversations(store):
    mine = store.create("owner-a")
    store.add_turn(mine, "问题一", ANSWER)
    theirs = store.create("owner-b")
    store.add_turn(theirs, "问题二", ANSWER)
    assert [c.id for c in store.recent("owner-a")] == [mine]
    assert [c.id for c in store.recent("owner-b")] == [theirs]
    assert store.recent("owner-c") == []
    assert not store.delete(mine, "owner-b")  # only the owner deletes
    assert store.get(mine) is not None
    assert store.delete(mine, "owner-a") and store.get(mine) is None
    assert store.get(theirs) is not None


def test_recent_is_newest_first_with_turn_counts(store):
    first = store.create("owner-a")
    store.add_turn(first, "甲", ANSWER)
    time.sleep(0.01)
    second = store.create("owner-a")
    store.add_turn(second, "乙", ANSWER)
    store.add_turn(second, "丙", ANSWER)
    recent = store.recent("owner-a")
    assert [(c.id, c.turn_count) for c in recent] == [(second, 2), (first, 1)]


def test_concurrent_writers_never_collide(store):
    cid = store.create("owner-a")
    errors = []

    def writer(n):
        try:
            for i in range(5):
                store.add_turn(cid, f"{n}-{i}", ANSWER)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    positions = [t.position for t in store.get(cid).turns]
    assert positions == list(range(20))


def test_feedback_outlives_its_conversation(store):
    cid = store.create("owner-a")
    store.add_turn(cid, "问题", ANSWER)
    fid = store.add_feedback(question="问题", answer=ANSWER, verdict="down", reason="wrong_clause",
                             clause_id="plan-100", quote="健全设施运行管护机制", conversation_id=cid, turn_position=0)
    store.delete(cid, "owner-a")
    [record] = store.feedback()
    assert record.id == fid and record.clause_id == "plan-100" and record.answer == ANSWER
    with pytest.raises(ValueError):
        store.add_feedback(question="q", answer={}, verdict="maybe")
    with pytest.raises(ValueError):
        store.add_feedback(question="q", answer={}, verdict="down", reason="no-such-reason")


def test_adding_to_a_deleted_conversation_is_a_clear_error(store):
    cid = store.create("owner-a")
    store.delete(cid, "owner-a")
    with pytest.raises(HistoryError, match="不存在"):
        store.add_turn(cid, "问题", ANSWER)


def test_database_url_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "d"))
    assert database_url(Settings.from_env()) == f"sqlite:///{(tmp_path / 'd').resolve()}/assistant.sqlite3"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url(Settings.from_env()) == "postgresql+psycopg://u@h/db"


def test_unreachable_database_is_a_clear_error():
    with pytest.raises(HistoryError, match="无法打开对话记录数据库"):
        HistoryStore(f"postgresql+psycopg://nobody:secret@127.0.0.1:{_free_port()}/none")
