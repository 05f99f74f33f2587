"""Conversations and feedback that outlive a page reload, stored through SQLAlchemy.

By default a SQLite file under the data folder (``Settings.data_dir``); a deployment with
several app servers sets ``Settings.database_url`` (``ASSISTANT_DATABASE_URL``) to a
PostgreSQL URL and the same code runs there. A conversation is keyed by an unguessable id
that the page keeps in its URL, so a reload or a shared link opens it again. Each browser
session has an owner token; the sidebar lists only that owner's conversations, and only the
owner can delete one. Feedback rows copy the question and answer they are about, so deleting
a conversation never loses an official's correction.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (Column, DateTime, Float, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint,
                        create_engine, delete, event, func, insert, select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assistant.config import Settings

metadata = MetaData()

conversations = Table(
    "conversations", metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(64), nullable=False, index=True),
    Column("title", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
)

turns = Table(
    "turns", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(32), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("question", Text, nullable=False),
    Column("standalone", Text, nullable=False, default=""),
    Column("answer", Text, nullable=False),  # Answer.to_json() as JSON text (portable across databases)
    Column("seconds", Float, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("conversation_id", "position", name="uq_turn_position"),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(32), nullable=True, index=True),  # no foreign key: feedback outlives its conversation
    Column("turn_position", Integer, nullable=True),
    Column("question", Text, nullable=False),
    Column("standalone", Text, nullable=False, default=""),
    Column("verdict", String(8), nullable=False),  # up | down
    Column("reason", String(32), nullable=False, default=""),  # see REASONS
    Column("comment", Text, nullable=False, default=""),
    Column("clause_id", Text, nullable=True),  # the clause the official says should be cited
    Column("quote", Text, nullable=False, default=""),  # the words of that clause that answer the question
    Column("expected", Text, nullable=False, default=""),  # a fact the answer must state, as the official typed it
    Column("answer", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# what an official can say was wrong (shown in Chinese in the page)
REASONS = {
    "wrong_clause": "引用的条款不对",
    "wrong_fact": "答案内容不对",
    "incomplete": "答案不完整",
    "should_answer": "应当能回答，却说没有找到",
    "should_abstain": "原文没有答案，不应作答",
    "misread": "对问题的理解（理解为）不对",
    "other": "其他",
}
VERDICTS = ("up", "down")


class HistoryError(RuntimeError):
    """The conversation store cannot be opened or written; the message says which and why."""


@dataclass
class StoredTurn:
    position: int
    question: str
    standalone: str
    answer: dict
    seconds: float | None


@dataclass
class StoredConversation:
    id: str
    owner: str
    title: str
    created_at: datetime
    updated_at: datetime
    turns: list[StoredTurn] = field(default_factory=list)


@dataclass
class ConversationSummary:
    id: str
    title: str
    updated_at: datetime
    turn_count: int


@dataclass
class FeedbackRecord:
    id: int
    conversation_id: str | None
    turn_position: int | None
    question: str
    standalone: str
    verdict: str
    reason: str
    comment: str
    clause_id: str | None
    quote: str
    expected: str
    answer: dict
    created_at: datetime

    @property
    def asked(self) -> str:
        return self.standalone or self.question


def new_id() -> str:
    """An unguessable id for a URL (96 bits)."""
    return secrets.token_urlsafe(12)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def database_url(settings: Settings) -> str:
    """The configured URL, or a SQLite file under the data folder."""
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{Path(settings.data_dir).resolve() / 'assistant.sqlite3'}"


class HistoryStore:
    """Conversations, their turns and feedback; safe to share between the app's sessions (threads)."""

    def __init__(self, url: str):
        self.url = url
        try:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            kwargs = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {"pool_pre_ping": True}
            self.engine: Engine = create_engine(url, **kwargs)
            if url.startswith("sqlite"):
                event.listen(self.engine, "connect", _sqlite_pragmas)
            metadata.create_all(self.engine)
        except (SQLAlchemyError, OSError) as exc:
            raise HistoryError(f"无法打开对话记录数据库（{_safe_url(url)}）：{exc}") from exc

    @staticmethod
    def open(settings: Settings) -> "HistoryStore":
        return HistoryStore(database_url(settings))

    def close(self) -> None:
        self.engine.dispose()

    # -- conversations ----------------------------------------------------------------------
    def create(self, owner: str, title: str = "") -> str:
        conversation_id = new_id()
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(insert(conversations).values(id=conversation_id, owner=owner, title=title[:200],
                                                      created_at=now, updated_at=now))
        return conversation_id

    def add_turn(self, conversation_id: str, question: str, answer: dict, standalone: str = "",
                 seconds: float | None = None) -> int:
        """Append a turn; returns its position (0-based). Positions never collide, even under concurrent writers."""
        for attempt in range(10):
            try:
                with self.engine.begin() as conn:
                    # the row lock serialises writers of one conversation on PostgreSQL (SQLite locks the file)
                    row = conn.execute(select(conversations.c.title).where(conversations.c.id == conversation_id)
                                       .with_for_update()).first()
                    if row is None:
                        raise HistoryError(f"对话 {conversation_id} 不存在（可能已被删除）。")
                    position = conn.execute(select(func.coalesce(func.max(turns.c.position), -1) + 1)
                                            .where(turns.c.conversation_id == conversation_id)).scalar_one()
                    conn.execute(insert(turns).values(conversation_id=conversation_id, position=position,
                                                      question=question, standalone=standalone or "",
                                                      answer=json.dumps(answer, ensure_ascii=False), seconds=seconds,
                                                      created_at=_now()))
                    values = {"updated_at": _now()}
                    if not row.title:
                        values["title"] = question[:200]
                    conn.execute(update(conversations).where(conversations.c.id == conversation_id).values(**values))
                return position
            except IntegrityError:
                time.sleep(0.01 * (attempt + 1))  # another writer took this position; read the next one
        raise HistoryError(f"无法写入对话 {conversation_id}：并发写入冲突。")

    def get(self, conversation_id: str) -> StoredConversation | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(conversations).where(conversations.c.id == conversation_id)).first()
            if row is None:
                return None
            rows = conn.execute(select(turns).where(turns.c.conversation_id == conversation_id)
                                .order_by(turns.c.position)).all()
        return StoredConversation(row.id, row.owner, row.title, row.created_at, row.updated_at,
                                  [StoredTurn(t.position, t.question, t.standalone, json.loads(t.answer), t.seconds)
                                   for t in rows])

    def recent(self, owner: str, limit: int = 20) -> list[ConversationSummary]:
        """The owner's conversations, newest first; never another owner's."""
        counts = (select(turns.c.conversation_id, func.count().label("n")).group_by(turns.c.conversation_id).subquery())
        query = (select(conversations.c.id, conversations.c.title, conversations.c.updated_at,
                        func.coalesce(counts.c.n, 0).label("n"))
                 .select_from(conversations.outerjoin(counts, counts.c.conversation_id == conversations.c.id))
                 .where(conversations.c.owner == owner)
                 .order_by(conversations.c.updated_at.desc(), conversations.c.id).limit(limit))
        with self.engine.connect() as conn:
            return [ConversationSummary(r.id, r.title, r.updated_at, r.n) for r in conn.execute(query)]

    def delete(self, conversation_id: str, owner: str) -> bool:
        """Delete a conversation and its turns, only for its owner. Feedback about it is kept."""
        with self.engine.begin() as conn:
            found = conn.execute(select(conversations.c.id).where(conversations.c.id == conversation_id,
                                                                  conversations.c.owner == owner)).first()
            if found is None:
                return False
            conn.execute(delete(turns).where(turns.c.conversation_id == conversation_id))
            conn.execute(delete(conversations).where(conversations.c.id == conversation_id))
        return True

    # -- feedback ---------------------------------------------------------------------------
    def add_feedback(self, *, question: str, answer: dict, verdict: str, standalone: str = "", reason: str = "",
                     comment: str = "", clause_id: str | None = None, quote: str = "", expected: str = "",
                     conversation_id: str | None = None, turn_position: int | None = None) -> int:
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {verdict!r}")
        if reason and reason not in REASONS:
            raise ValueError(f"reason must be one of {sorted(REASONS)}, not {reason!r}")
        with self.engine.begin() as conn:
            result = conn.execute(insert(feedback).values(
                conversation_id=conversation_id, turn_position=turn_position, question=question,
                standalone=standalone or "", verdict=verdict, reason=reason, comment=comment,
                clause_id=clause_id or None, quote=quote, expected=expected,
                answer=json.dumps(answer, ensure_ascii=False), created_at=_now()))
            return int(result.inserted_primary_key[0])

    def feedback(self, limit: int | None = None, verdict: str | None = None) -> list[FeedbackRecord]:
        query = select(feedback).order_by(feedback.c.id.desc())
        if verdict:
            query = query.where(feedback.c.verdict == verdict)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [FeedbackRecord(r.id, r.conversation_id, r.turn_position, r.question, r.standalone, r.verdict,
                                   r.reason, r.comment, r.clause_id, r.quote, r.expected, json.loads(r.answer),
                                   r.created_at) for r in conn.execute(query)]


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer (several sessions at once)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as the scheme only
        return url.split(":", 1)[0] + ":…"
