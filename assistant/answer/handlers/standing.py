"""The standing rule: counties and park committees implement every task (said once, in plan-055)."""

from __future__ import annotations

import re

from assistant.answer.handlers import handler
from assistant.answer.handlers.lead import lead
from assistant.answer.model import Draft


@handler("standing_rule")
def standing(engine, intent) -> Draft:
    rules = engine.corpus.facts.standing_rules
    if not rules:
        return lead(engine, intent)
    rule = rules[0]
    clause = engine.corpus.by_id[rule.clause_id]
    draft = Draft(intent.kind)
    quote = re.search(r"以下均需要[^)）]*", clause.text)
    n = draft.cite(clause, quote.group(0) if quote else rule.text)
    draft.text = (f"{'、'.join(rule.implementers)}负责落实全部任务。规划在第一条任务的责任注释中写明："
                  f"“{quote.group(0) if quote else rule.text}”[{n}]，所以此后各任务的注释不再列出它们。")
    draft.support = 1.0
    return draft
