"""Deadlines: the one a task must meet, or every deadline that falls in a year the question names."""

from __future__ import annotations

import re

from assistant.answer.handlers import handler
from assistant.answer.handlers.common import span_containing
from assistant.answer.model import Draft
from assistant.answer.understand import YEAR_SCAN, asks_year_only
from assistant.textmatch import coverage


# "2023年起哪些矿区要执行…": things of a kind are asked for (the places a requirement names), not the year's requirements
ASKS_WHICH_THINGS = re.compile(r"哪(?:些|几个)(?:矿区|县|县市|园区|企业|地块|流域|河流?|区域|点位|单位|部门|局|乡镇|村|行业|污染物)")


def by_year(engine, intent) -> Draft | None:
    """"卡在2023年的时间节点有哪些": every dated requirement of that year, each cited."""
    if not intent.years or not (YEAR_SCAN.search(intent.text.lower()) or "哪些" in intent.text
                               or asks_year_only(intent.text)) or ASKS_WHICH_THINGS.search(intent.text):
        return None
    deadlines = [d for d in engine.corpus.facts.deadlines if d.year in intent.years]
    if not deadlines or len(deadlines) < 2 and coverage(intent.match_text, deadlines[0].what) > 0.5:
        return None  # one matching deadline is the ordinary answer
    draft = Draft(intent.kind, list_answer=True)
    lines = [f"规划中时间节点在{'、'.join(map(str, intent.years))}年的要求共 {len(deadlines)} 项："]
    for i, d in enumerate(deadlines, start=1):
        clause = engine.corpus.by_id[d.clause_id]
        n = draft.cite(clause, span_containing(clause.text, d.what))
        lines.append(f"{i}. {d.when}：{d.what}[{n}]")
    draft.text = "\n".join(lines)
    draft.support = 1.0
    return draft


@handler("deadline")
def deadline(engine, intent) -> Draft:
    listed = by_year(engine, intent)
    if listed is not None:
        return listed
    hits = engine.plan_hits(intent, k=5)
    rank = {h.clause.clause_id: i for i, h in enumerate(hits)}
    scored = []
    for d in engine.corpus.facts.deadlines:
        cov = coverage(intent.match_text, d.what) + (0.3 - 0.06 * rank[d.clause_id] if d.clause_id in rank else 0)
        scored.append((cov, d))
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][0] < engine.policy.min_deadline_coverage:
        return engine.abstain(intent, "规划没有给出这项工作的完成时限。", absence=0.3)
    best = scored[0][1]
    if best.year is None and coverage(intent.match_text, best.what) < engine.policy.min_deadline_coverage:
        # a dateless requirement (限期治理) found by its paragraph's rank alone is not this work's deadline
        return engine.abstain(intent, "规划没有给出这项工作的完成时限。", absence=0.3)
    clause = engine.corpus.by_id[best.clause_id]
    draft = Draft(intent.kind)
    n = draft.cite(clause, span_containing(clause.text, best.what))
    if best.year is None:
        draft.text = f"规划没有给出具体日期，只要求“{best.what}”[{n}]。"
    else:
        draft.text = f"{best.when}：{best.what}[{n}]。"
        # the same work in stages (到2023年…初步调查评估；到2025年…一批其他污染源): every stage of the paragraph
        # that matches about as well, unless one year was asked
        stages = [d for cov, d in scored[1:] if d.clause_id == best.clause_id and d.year and d.year != best.year
                  and cov >= scored[0][0] - STAGE_MARGIN] if not intent.years else []
        for d in sorted(stages, key=lambda d: d.year)[:2]:
            m = draft.cite(clause, span_containing(clause.text, d.what))
            draft.text += f"\n{d.when}：{d.what}[{m}]。"
    return draft


# a later stage of the same paragraph is shown when it matches the question within this much of the best
STAGE_MARGIN = 0.15
