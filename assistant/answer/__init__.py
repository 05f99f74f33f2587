"""The answer layer: from a typed question to an extractive, cited ``Answer`` (see ``engine.py``)."""

from assistant.answer.engine import AnswerEngine
from assistant.answer.model import NOT_FOUND, Answer, Citation, Draft
from assistant.answer.policy import AnswerPolicy
from assistant.answer.understand import Glossary, Intent, IntentKind

__all__ = ["AnswerEngine", "Answer", "AnswerPolicy", "Citation", "Draft", "Glossary", "Intent", "IntentKind", "NOT_FOUND"]
