"""Who leads a task: the task is found by retrieval, the bureaux come from its responsibility note."""

from __future__ import annotations

import re

from assistant.answer.handlers import handler
from assistant.answer.handlers.common import subject_of, task_titled, title_or_span
from assistant.answer.model import Draft
from assistant.clauses import squash
from assistant.retrieve import Hit
from assistant.textmatch import best_span, coverage, rerank


def _task_paragraph(clause) -> bool:
    """A numbered task (三、主要任务 > （一）… > 1.…) or a safeguard; a chapter's opening paragraph is neither."""
    return (clause.section.startswith("三、主要任务") and clause.section.count(" > ") >= 2) \
        or clause.section.startswith("四、保障措施")


def task_hit(engine, intent):
    """The task asked about: among the top hits that carry a responsibility, the best-matching sentence wins.

    When the best-matching paragraph is itself a task or safeguard paragraph without any note, the plan
    names no bureau for that work, and the answer says so rather than borrowing a neighbour's note.
    """
    by_clause = engine.responsibility
    named = quoted_task(engine, intent.text)
    named = named or task_titled(engine, intent.match_text)
    if named is not None:  # “开展地下水污染修复试点”: a task named by its title is that task, not a search
        return Hit(engine.corpus.by_id[named.clause_id], 1.0, via="lookup"), named
    hits = engine.plan_hits(intent, k=6)
    top = rerank(hits[:3], intent.match_text, engine.policy.rank_bonus)[0] if hits else None
    if top is not None and _task_paragraph(top.clause) \
            and not (by_clause.get(top.clause.clause_id) and by_clause[top.clause.clause_id].note) \
            and engine.covers(subject_of(intent.match_text), top.clause.text) >= 0.6:
        return top, None
    tasks = [h for h in hits[:3] if by_clause.get(h.clause.clause_id) and by_clause[h.clause.clause_id].note]
    if not tasks:
        return (hits[0] if hits else None), None
    # a task's title is its name: between paragraphs whose sentences match alike, the one whose title the
    # question says wins ("修复试点" is 开展地下水污染修复试点, not a paragraph that mentions 修复)
    titled = lambda h: engine.policy.title_bonus * coverage(intent.match_text, by_clause[h.clause.clause_id].title)
    best = rerank(tasks, intent.match_text, engine.policy.rank_bonus, titled)[0]
    return best, by_clause[best.clause.clause_id]


def quoted_task(engine, text: str):
    """The responsibility record whose task title the question quotes whole (“…”), if any."""
    quoted = {squash(q).rstrip("。.;；,，") for q in re.findall(r"“([^”]{4,60})”", text)}
    if not quoted:
        return None
    return next((r for r in engine.corpus.facts.responsibilities
                 if r.note and squash(r.title).rstrip("。.;；,，") in quoted), None)


@handler("lead_bureau")
def lead(engine, intent) -> Draft:
    hit, resp = task_hit(engine, intent)
    if hit is not None and resp is None and _task_paragraph(hit.clause):
        return engine.abstain(intent, f"规划的这段（{hit.clause.clause_id}）没有写明牵头或责任单位。", absence=0.7)
    if hit is None or resp is None:
        return engine.abstain(intent, "规划中没有找到对应的任务及其责任分工。")
    draft = Draft(intent.kind)
    task = hit.clause
    leads = "、".join(resp.leads)
    if resp.relation == "未写明牵头":
        text = f"“{resp.title}”的责任单位为{leads}（注释未写明“牵头”）"
    else:
        text = f"“{resp.title}”由{leads}{resp.relation}"
    if resp.participants:
        text += f"，{'、'.join(resp.participants)}{'按职责分工负责' if '按职责分工' in resp.note else '参与'}"
    text += "。"
    asked = [b for b in intent.bureaux if b not in resp.leads]
    for bureau in asked:  # "市监局在不在参与名单里": say so either way
        text += f"{bureau}{'在参与单位之列' if bureau in resp.participants else '不在这项任务的责任单位之列'}。"
    n = draft.cite(task, best_span(task, intent.search_text) if resp.inherited_from else title_or_span(task, intent.search_text))
    note_clause = engine.corpus.by_id[resp.note_clause_id]
    m = draft.cite(note_clause, resp.note, role="责任分工") if resp.inherited_from else n
    text += f"[{n}] 责任分工原文：{resp.note}[{m}]"
    if resp.inherited_from:
        text += "（本任务跨多段，责任注释写在最后一段）"
    # the task's own sentence closest to the question: it may name who acts (各县(市)有关部门向社会公开…)
    sentence = best_span(task, intent.match_text, n=1)
    if sentence != resp.title and sentence not in text and engine.covers(subject_of(intent.match_text), sentence) >= 0.3:
        k = draft.cite(task, sentence)
        text += f"\n原文：“{sentence}”[{k}]"
    irregular = [f for f in resp.flags if "最后一段" not in f]  # the inheritance is already said above
    if irregular:
        text += f"（注：{'；'.join(irregular)}）"
    draft.text = text
    return draft
