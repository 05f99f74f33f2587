"""A clause id typed as a question (plan-055, 土壤污染防治法#59): the ids the page shows are look-ups."""

from __future__ import annotations

from assistant.answer.handlers import handler
from assistant.answer.model import Draft
from assistant.corpus import find_clause_by_id


def find_clause(engine, text: str):
    return find_clause_by_id(text, engine.corpus)


@handler("clause_id")
def clause_id(engine, intent) -> Draft:
    clause = find_clause(engine, intent.text)
    if clause is None:
        return engine.abstain(intent, f"没有编号为“{intent.text.strip()}”的条文或段落。", absence=0.9)
    draft = Draft(intent.kind)
    quote = clause.text if len(clause.text) <= 300 else clause.text[:300]
    n = draft.cite(clause, quote)
    draft.text = f"{clause.clause_id}（{clause.label()}）：“{quote}”[{n}]"
    draft.support = 1.0
    return draft
