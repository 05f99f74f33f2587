"""Scoring multi-turn conversations: golden lines with ``conversation`` and ``turn``.

Each line is a golden question (tests/regression format) plus ``"conversation": id`` and
``"turn": n`` (1 = the opening question). Turns of a conversation are asked in order through
one ``Conversation``; each answer is scored with ``evaluate.score`` exactly as a single
question is. Figures are given for opening turns and follow-up turns separately: the
follow-ups are what this stage is for.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.conversation import Conversation
from assistant.evaluate import Gold, Outcome, Report, score


@dataclass
class ConversationGold:
    gold: Gold
    conversation: str
    turn: int


def load_conversations(path: Path) -> "OrderedDict[str, list[ConversationGold]]":
    """Conversation id -> its turns in order; a malformed line names its line number."""
    groups: OrderedDict[str, list[ConversationGold]] = OrderedDict()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            item = ConversationGold(Gold.parse(line), str(data["conversation"]), int(data["turn"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a conversation golden line ({exc})") from exc
        groups.setdefault(item.conversation, []).append(item)
    for cid, items in groups.items():
        items.sort(key=lambda g: g.turn)
        if [g.turn for g in items] != list(range(1, len(items) + 1)):
            raise ValueError(f"{path}: conversation {cid} has turns {[g.turn for g in items]}, expected 1..{len(items)}")
    return groups


@dataclass
class ConversationReport:
    opening: Report = field(default_factory=Report)
    followup: Report = field(default_factory=Report)
    readings: dict[str, str] = field(default_factory=dict)  # gold id -> standalone reading

    def to_json(self) -> dict:
        data = {"opening": self.opening.to_json()["overall"], "followup": self.followup.to_json()}
        for failure in data["followup"]["failures"]:
            failure["understood"] = self.readings.get(failure["id"], "")
        return data

    def render(self) -> str:
        lines = ["opening turns: " + ", ".join(f"{k} {v}" for k, v in self.opening.figures().items()),
                 "follow-up turns:", self.followup.render()]
        for o in self.followup.failures():
            lines.append(f"  {o.gold.id} read as: {self.readings.get(o.gold.id, '')}")
        for o in self.opening.failures():
            lines.append(f"  opening {o.gold.id} failed: {o.gold.question}")
        return "\n".join(lines)


def evaluate_conversations(groups: "OrderedDict[str, list[ConversationGold]]", engine) -> ConversationReport:
    report = ConversationReport()
    for items in groups.values():
        conversation = Conversation(engine)
        for item in items:
            started = time.perf_counter()
            answer, reading = conversation.ask(item.gold.question)
            outcome: Outcome = score(item.gold, answer.to_json(), time.perf_counter() - started)
            report.readings[item.gold.id] = reading.standalone
            (report.opening if item.turn == 1 else report.followup).outcomes.append(outcome)
    return report


def is_conversation_file(path: Path) -> bool:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                return "conversation" in json.loads(line)
            except ValueError:
                return False
    return False
