"""Officials' corrections as golden questions, ready for ``tests/regression``.

A 👎 with the clause the official picked becomes one line in the regression format
(README, "Golden questions"): the question as the assistant understood it (the standalone
reading of a follow-up), the clause to cite (a verbatim 8–25 character substring of a plan
paragraph that occurs in no other plan paragraph, or ``{"law", "article"}``), and the fact the
answer must state when the official gave one that the clause really contains. A 👎 saying
"there is no answer in the sources" becomes an ``unanswerable`` line. Feedback that cannot be
made into a checkable line (no clause picked, clause no longer in the corpus) is reported,
never silently dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.clauses import Clause, squash
from assistant.history import FeedbackRecord, HistoryStore

CITE_MIN, CITE_MAX = 8, 25
# intents of the answer -> the golden file's type
TYPES = {"lead_bureau": "lead_bureau", "standing_rule": "lead_bureau", "list_by_bureau": "list_by_bureau",
         "target": "target", "deadline": "deadline", "definition": "definition", "law_article": "law_article",
         "cited_document": "fact", "fact": "fact"}


@dataclass
class ExportReport:
    lines: list[dict] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (feedback id, why)

    def summary(self) -> str:
        text = f"写出 {len(self.lines)} 条黄金问题"
        if self.skipped:
            text += f"；跳过 {len(self.skipped)} 条反馈：" + "；".join(f"#{i} {why}" for i, why in self.skipped)
        return text


def golden_cite(clause: Clause, quote: str, others: list[Clause]) -> str | dict:
    """What a golden line cites: law/article for a law, else a short verbatim span unique among ``others``."""
    if clause.kind == "law" and clause.article:
        return {"law": clause.source, "article": clause.article}
    text = clause.text
    start = text.find(quote) if quote and quote in text else 0
    source = text[start:start + max(len(quote), CITE_MAX)] if quote and quote in text else text
    rivals = [squash(c.text) for c in others if c.clause_id != clause.clause_id]
    for width in range(min(20, CITE_MAX), CITE_MIN - 1, -1):
        for offset in range(0, max(1, len(source) - width + 1)):
            span = source[offset:offset + width]
            if len(span.strip()) < CITE_MIN or re.match(r"^[\s,，。；;、:：()（）“”]", span):
                continue
            if not any(squash(span) in r for r in rivals):
                return span.strip()
    return source[:CITE_MAX].strip()


def golden_line(record: FeedbackRecord, corpus) -> tuple[dict | None, str]:
    """One golden line for a piece of feedback, or (None, why not)."""
    question = record.asked
    lang = "en" if sum(ch.isascii() and ch.isalpha() for ch in question) > len(question) * 0.4 else "zh"
    base = {"id": f"feedback-{record.id}", "lang": lang, "question": question}
    note = f"来自官员反馈 #{record.id}（{record.created_at:%Y-%m-%d}）" + (f"：{record.comment}" if record.comment else "")
    if record.verdict == "down" and record.reason == "should_abstain":
        return base | {"type": "unanswerable", "cite": [], "answer_contains": [], "note": note}, ""
    if record.verdict == "up":
        counted = record.answer.get("citations", [])[:1]
        if not counted or record.answer.get("abstained"):
            return None, "认可的回答没有引文"
        clause_id, quote = counted[0]["clause_id"], counted[0]["quote"]
    else:
        if not record.clause_id:
            return None, "没有选出正确条款"
        clause_id, quote = record.clause_id, record.quote
    clause = corpus.by_id.get(clause_id)
    if clause is None:
        return None, f"条款 {clause_id} 已不在语料中"
    same_source = [c for c in corpus.clauses if c.kind == clause.kind]
    cite = golden_cite(clause, quote, same_source)
    contains = []
    if record.expected.strip():
        if squash(record.expected) in squash(clause.text):
            contains = [record.expected.strip()]
        else:
            note += f"（官员给出的答案“{record.expected.strip()}”不在所选条款原文中，未作为必含文字）"
    intents = record.answer.get("intents") or ["fact"]
    kind = "law_article" if clause.kind == "law" else TYPES.get(intents[0], "fact")
    return base | {"type": kind, "cite": [cite], "answer_contains": contains, "note": note,
                   "clause_id": clause.clause_id}, ""


def export_feedback(store: HistoryStore, corpus, out: Path, include_approved: bool = False) -> ExportReport:
    """Write golden lines for the corrections (and, if asked, the approved answers) to ``out``."""
    report = ExportReport()
    records = sorted(store.feedback(), key=lambda r: r.id)
    seen: set[str] = set()
    for record in records:
        if record.verdict == "up" and not include_approved:
            continue
        line, why = golden_line(record, corpus)
        if line is None:
            report.skipped.append((record.id, why))
            continue
        key = squash(line["question"])
        if key in seen:  # the latest correction of a question wins
            report.lines = [item for item in report.lines if squash(item["question"]) != key]
        seen.add(key)
        report.lines.append(line)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in report.lines), encoding="utf-8")
    tmp.replace(out)
    return report
