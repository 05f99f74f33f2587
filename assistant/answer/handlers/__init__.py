"""One handler per intent kind, in a registry: ``HANDLERS[kind](engine, intent) -> Draft``.

A handler proposes; it never decides alone. It returns a draft with its quotes (or an
abstention with a reason), and the engine scores every proposal the same way. Adding a kind of
question is adding a file here with ``@handler(kind)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from assistant.answer.engine import AnswerEngine
    from assistant.answer.model import Draft
    from assistant.answer.understand import Intent

Handler = Callable[["AnswerEngine", "Intent"], "Draft"]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def load_all() -> dict[str, Handler]:
    """Import every handler module once, so each registers itself."""
    from assistant.answer.handlers import (cited_document, clause_id, deadline, definition, evidence,  # noqa: F401, PLC0415
                                           law, lead, lists, standing, target)

    return HANDLERS
