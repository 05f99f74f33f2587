"""Lists of tasks: by bureau and role, by relation (联合牵头), optionally inside one chapter of the plan."""

from __future__ import annotations

import re

from assistant.answer.handlers import handler
from assistant.answer.handlers.common import RELATIONS
from assistant.answer.model import Draft
from assistant.facts import Responsibility


@handler("list_by_bureau")
def list_tasks(engine, intent) -> Draft:
    facts = engine.corpus.facts
    wants = intent.wants
    if not intent.bureaux:  # "哪些任务是联合牵头的": a list by relation, not by bureau
        relation = next((r for r in RELATIONS if r in intent.text), None)
        if relation is None:
            return engine.abstain(intent, "请说明是哪个部门的任务。")
        return list_records(engine, intent, [r for r in facts.responsibilities if r.relation == relation],
                            f"责任注释为“{relation}”")
    if len(intent.bureaux) >= 2:  # "农业农村局牵头、发改委参与的": every bureau with its own role
        roles = bureau_roles(engine, intent.text, intent.bureaux)
        records = [r for r in facts.responsibilities if r.note and all(
            (b in r.leads) if role == "lead" else (b in r.participants) if role == "participant"
            else (b in r.leads or b in r.participants) for b, role in roles)]
        said = "、".join(f"{b}{ {'lead': '牵头', 'participant': '参与'}.get(role, '牵头或参与') }" for b, role in roles)
        return list_records(engine, intent, records, said)
    bureau = intent.bureaux[0]
    if "sole_lead" in wants:
        records = [r for r in facts.responsibilities if r.leads == [bureau] and r.relation in ("牵头", "负责")]
        role_text = "单独牵头（没有联合牵头单位）"
    elif "sole" in wants:
        records = [r for r in facts.responsibilities if r.leads == [bureau] and not r.participants and r.relation == "负责"]
        role_text = "单独负责（未列参与部门）"
    elif "participant" in wants and "lead" not in wants:
        records = facts.tasks_of(bureau, roles=("participant",))
        role_text = "参与"
    elif "lead" in wants and "participant" not in wants:
        records = facts.tasks_of(bureau, roles=("lead",))
        role_text = "牵头或负责（含联合牵头）"
    else:
        records = facts.tasks_of(bureau)
        role_text = "牵头、负责或参与"
    return list_records(engine, intent, records, f"{bureau}{role_text}")


_ROLE = re.compile(r"牵头|负责|主抓|参与|配合|协助|participat|lead|assist", re.I)


def bureau_roles(engine, text: str, bureaux: list[str]) -> list[tuple[str, str | None]]:
    """Each named bureau with the role word that follows it (牵头 -> lead, 参与/配合 -> participant).

    "一起负责 / 共同负责" names both as leads.
    """
    directory = engine.corpus.facts.directory
    lowered = text.lower()
    positions = []
    for b in bureaux:
        names = [n.lower() for bureau in directory.bureaux if bureau.canonical == b for n in (bureau.canonical, *bureau.aliases)]
        found = [lowered.find(n) for n in names if lowered.find(n) >= 0]
        positions.append((min(found) if found else 0, b))
    positions.sort()
    together = bool(re.search(r"一起|共同|联合|jointly|together", lowered))
    roles = []
    for i, (start, b) in enumerate(positions):
        end = positions[i + 1][0] if i + 1 < len(positions) else len(lowered)
        m = _ROLE.search(lowered, start, end)
        word = m.group(0) if m else ""
        role = "participant" if word in ("参与", "配合", "协助", "participat", "assist") else "lead" if word else None
        roles.append((b, "lead" if together and role != "participant" else role))
    return roles


def list_records(engine, intent, records: list[Responsibility], heading: str) -> Draft:
    """One line per task (paragraphs sharing a note are one task), each paragraph cited."""
    by_id = engine.corpus.by_id
    if intent.scope:  # 土壤那一章里…: only the tasks of that chapter
        records = [r for r in records if by_id[r.clause_id].section.startswith(intent.scope)]
        heading = f"{intent.scope.split(' > ')[-1]}中{heading}"
    draft = Draft(intent.kind, list_answer=True)
    draft.support = 1.0  # the list is read off the responsibility notes, not matched
    if not records:
        draft.text = f"规划的责任分工中没有{heading}的任务。"
        return draft
    groups: dict[str, list[Responsibility]] = {}
    for r in records[: engine.policy.max_list]:
        groups.setdefault(r.note_clause_id, []).append(r)
    lines = [f"{heading}的任务共 {len(groups)} 项："]
    for i, members in enumerate(groups.values(), start=1):
        marks = "".join(f"[{draft.cite(by_id[r.clause_id], by_id[r.clause_id].title)}]" for r in members)
        head = members[0]
        lines.append(f"{i}. {head.title}{marks} — {head.note}")
    draft.text = "\n".join(lines)
    return draft
