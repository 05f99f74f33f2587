"""Lists of tasks: by bureau and role, by relation (联合牵头), optionally inside one part of the plan.

Two filters narrow a bureau's list, both read off the question and never off its wording as a whole:

* the role (``asked_role``): 牵头 / led by -> the tasks it leads (牵头 or 负责); 参与 / takes part -> the
  tasks it joins; “负责” written apart from 牵头 (“负责”（不是牵头）, responsible but not lead) -> only the
  notes that say 负责; nothing said -> every task it appears in.
* the scope: a chapter named with 那一章 (``understand.SCOPES``), else the topic left once bureaux, role
  and asking words are gone (``understand.list_topic``): a heading of the plan's outline it names
  (农业面源污染治理 -> 1.农业面源污染防治), else the tasks whose paragraphs contain it (垃圾).
  A topic that matches nothing narrows nothing: the leftover may be filler the list has no use for.
"""

from __future__ import annotations

import re

from assistant.answer.handlers import handler
from assistant.answer.handlers.common import RELATIONS
from assistant.answer.model import Draft
from assistant.facts import Responsibility
from assistant.textmatch import bigrams


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
    role = asked_role(intent.text)
    if role == "any":  # what understanding read (参与单位, only as a participant…)
        role = ("participant" if "participant" in wants and "lead" not in wants
                else "lead" if "lead" in wants and "participant" not in wants else "any")
    if only_joint(intent.text):  # "跟别的局一起联合牵头的": the tasks it leads with another bureau
        records = [r for r in facts.tasks_of(bureau, roles=("lead",)) if len(r.leads) >= 2]
        role_text = "与其他部门联合牵头（或共同负责）"
    elif "sole_lead" in wants:
        records = [r for r in facts.responsibilities if r.leads == [bureau] and r.relation in ("牵头", "负责")]
        role_text = "单独牵头（没有联合牵头单位）"
    elif "sole" in wants:
        records = [r for r in facts.responsibilities if r.leads == [bureau] and not r.participants and r.relation == "负责"]
        role_text = "单独负责（未列参与部门）"
    elif role == "responsible":  # “负责” as written, not 牵头
        records = [r for r in facts.tasks_of(bureau, roles=("lead",)) if r.relation in ("负责", "共同负责")]
        role_text = "负责（责任注释写作“负责”，不是“牵头”）"
    elif role == "participant":
        records = facts.tasks_of(bureau, roles=("participant",))
        role_text = "参与"
    elif role == "lead":
        records = facts.tasks_of(bureau, roles=("lead",))
        role_text = "牵头或负责（含联合牵头）"
    else:
        records = facts.tasks_of(bureau)
        role_text = "牵头、负责或参与"
    return list_records(engine, intent, records, f"{bureau}{role_text}")


# a bureau's tasks led together with another (联合牵头, 一起牵头, 共同负责, jointly)
JOINT = re.compile(r"联合牵头|共同牵头|一起牵头|一同牵头|共同负责|一起负责|\bjointly\b|\btogether with\b|\bco-?lead", re.I)


def only_joint(text: str) -> bool:
    """联合牵头 asked for itself, not as part of 牵头（含联合牵头） / led (alone or jointly)."""
    m = JOINT.search(text)
    return bool(m) and not re.search(r"含|包括|包含|以及|或|\bor\b|alone", text[max(0, m.start() - 10):m.end() + 10])


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
    scope = intent.scope
    topic = list_topic_of(engine, intent)
    scopes = [scope] if scope else []
    if topic:  # 农业面源污染治理 / 土壤和建设用地: headings of the outline (inside the chapter named, if one is)
        named = topic_sections(topic, [by_id[r.clause_id].section for r in engine.corpus.facts.responsibilities],
                               within=scope)
        if named and any(by_id[r.clause_id].section.startswith(p) for r in records for p in named):
            scopes = named  # a heading matched only loosely, with none of the bureau's tasks: no narrowing
    if scopes:  # 土壤那一章里…: only the tasks of those parts
        records = [r for r in records if any(by_id[r.clause_id].section.startswith(p) for p in scopes)]
        heading = f"{'、'.join(p.split(' > ')[-1] for p in scopes)}中{heading}"
    if topic and scopes == ([scope] if scope else []) and names_tasks(topic, engine.corpus.facts.responsibilities):
        # no heading named, but a word tasks are named by (垃圾): the tasks whose paragraphs speak of it;
        # a single character (跟水有关的) by the tasks' names only, since most paragraphs contain it somewhere
        texts = {}
        for r in records:
            texts[r.note_clause_id] = texts.get(r.note_clause_id, "") + by_id[r.clause_id].text
        kept = [r for r in records if (topic in r.title if len(topic) == 1 else covers(topic, texts[r.note_clause_id]))]
        if kept:
            records = kept
            heading = f"与“{topic}”有关、{heading}"
    if not records:  # none: the notes say so, which is evidence of absence, not a list
        return engine.abstain(intent, f"规划的责任分工中没有{heading}的任务。", absence=0.85)
    draft = Draft(intent.kind, list_answer=True)
    draft.support = 1.0  # the list is read off the responsibility notes, not matched
    groups: dict[str, list[Responsibility]] = {}
    for r in records[: engine.policy.max_list]:
        groups.setdefault(r.note_clause_id, []).append(r)
    lines = [f"{heading}的任务共 {len(groups)} 项："]
    # with several tasks, each task's paragraph holding its responsibility note (where the bureau is named) is
    # cited first, one per task, so that a long list's first citations cover every task; re-citing a paragraph
    # below returns its number, and a task's other paragraphs come after
    if len(groups) > 1:
        for members in groups.values():
            note = next((r for r in members if r.clause_id == r.note_clause_id), members[-1])
            draft.cite(by_id[note.clause_id], by_id[note.clause_id].title)
    for i, members in enumerate(groups.values(), start=1):
        numbers = sorted({draft.cite(by_id[r.clause_id], by_id[r.clause_id].title) for r in members})
        marks = "".join(f"[{n}]" for n in numbers)
        head = members[0]
        lines.append(f"{i}. {head.title}{marks}{_what_note_closes(by_id, members)} — {head.note}")
    draft.text = "\n".join(lines)
    return draft


def _what_note_closes(by_id, members: list[Responsibility]) -> str:
    """A task whose note closes a later paragraph with no title of its own: that paragraph's first
    sentence, which the note is written under (推动实施绿色化改造 … 重点行业实施绿色化提标改造)."""
    last = members[-1]
    if len(members) < 2 or last.clause_id != last.note_clause_id or last.title != members[0].title:
        return ""
    first = re.split(r"[。；;]", by_id[last.clause_id].text, maxsplit=1)[0]
    first = re.split(r"[,，]", first)[0] if len(first) > 60 else first
    return f"（{first[:60]}）" if first and first != last.title else ""


# the role a question asks a bureau's tasks for; "负责" counts apart from 牵头 only when set against it
_LEAD_ASKED = re.compile(r"牵头|主抓|\bled\b|\blead(s|ing)?\b|\bin charge\b|\bhead(s|ed)?\b|\bspearhead", re.I)
_JOIN_ASKED = re.compile(r"参与|參與|参于|配合|协助|協助|挂名|掺和|participat|take part|takes part|taking part|\binvolved\b|"
                         r"\bassist|\bsupport(s|ing)?\b", re.I)
_NOT_LEAD = re.compile(r"(不是|并非|而非|而不是|非|不|没有)牵头|\bnot (as )?(the )?lead|\bnot led\b|rather than lead", re.I)
_RESPONSIBLE_WRITTEN = re.compile(r"[“\"‘'「『][^”\"’'」』]{0,12}负责\s*[”\"’'」』]|写明.{0,12}负责|注明.{0,12}负责|"
                                  r"\bresponsible\b.{0,30}\bnot (as )?(the )?lead", re.I)


def asked_role(text: str) -> str:
    """lead | responsible | participant | any: which of a bureau's tasks a list question asks for.

    牵头/led by -> lead (its notes say 牵头 or 负责); 参与/配合/takes part -> participant; "负责" quoted,
    written out (写明…负责), or set against 牵头 (负责，不是牵头) -> responsible; a bare 负责 or
    "responsible units" is how people say "has a part in", so it narrows nothing.
    """
    joins = bool(_JOIN_ASKED.search(text))
    not_lead = bool(_NOT_LEAD.search(re.sub(r"[“”\"‘’'「」『』]", "", text)))  # 而不是“牵头”
    says_responsible = "负责" in text or re.search(r"\bresponsible\b", text, re.I)
    if says_responsible and not joins and (_RESPONSIBLE_WRITTEN.search(text) or not_lead):
        return "responsible"
    if joins and (not_lead or not _LEAD_ASKED.search(text)):
        return "participant"
    if not_lead:
        return "participant"  # 不是牵头的那些: it is there, but not leading
    if _LEAD_ASKED.search(text) and not joins:
        return "lead"
    return "any"


def list_topic_of(engine, intent) -> str:
    """The topic a Chinese list question is left with (understand.list_topic); none for English."""
    from assistant.answer.understand import SCOPES, list_topic  # noqa: PLC0415 - understand imports this module's matchers

    if intent.english:
        return ""
    text = intent.text
    for pattern, _ in SCOPES:  # "土壤那一章里": the words that named the chapter are its scope, not a topic within it
        text = pattern.sub(" ", text)
    return list_topic(text, engine.corpus.facts.directory)


def _heading_name(section: str) -> str:
    """The last level of an outline path without its number: 三、主要任务 > … > 1.农业面源污染防治 -> 农业面源污染防治."""
    return re.sub(r"^[（(]?[0-9一二三四五六七八九十]+[)）.、]\s*", "", section.split(" > ")[-1])


HEADING_SHARE = 0.6  # of a heading's bigrams the topic must contain to name it


def heading_score(topic: str, section: str) -> float:
    """Share of the heading's bigrams the topic contains (农业面源污染治理 vs 农业面源污染防治: 5 of 7)."""
    wanted = bigrams(_heading_name(section))
    shared = wanted & bigrams(topic)
    return len(shared) / len(wanted) if wanted and len(shared) >= 3 else 0.0


def outline_prefixes(sections: list[str]) -> set[str]:
    """Every heading of the outline as a section prefix (三、主要任务, 三、主要任务 > （一）土壤污染防治, …)."""
    return {" > ".join(s.split(" > ")[: n + 1]) for s in sections for n in range(len(s.split(" > ")))}


def best_heading(topic: str, sections: list[str], within: str | None = None) -> str | None:
    """The outline heading (as a section prefix) the topic names best, inside ``within`` if given."""
    prefixes = outline_prefixes(sections)
    scored = [(heading_score(topic, p), p.count(" > "), p) for p in prefixes
              if (within is None or (p.startswith(within) and p != within))]
    scored = [t for t in scored if t[0] >= HEADING_SHARE]
    return max(scored)[2] if scored else None


# words that join the parts of a compound topic (土壤和建设用地): each part is resolved on its own
_TOPIC_JOINS = re.compile(r"以及|还有|和|与|及|跟|或|、|/|&")
TOPIC_COVERED = 0.6  # of a topic part's characters the heading words it contains must cover


def _heading_words(part: str, names: set[str]) -> list[str]:
    """The longest pieces (2+ characters) of the part that occur in some heading name, left to right."""
    words, i = [], 0
    while i < len(part) - 1:
        found = next((part[i:j] for j in range(len(part), i + 1, -1) if any(part[i:j] in n for n in names)), None)
        if found:
            words.append(found)
            i += len(found)
        else:
            i += 1
    return words


def _sections_named_by_words(part: str, prefixes: set[str]) -> list[str]:
    """农用地土壤 -> 3.农用地分类管理和安全利用: the highest headings that satisfy every word of the part,
    a word being satisfied by a heading (or one above it) whose name contains it; where a word starts
    some heading names (建设用地 -> 4., 5., 6.), only those count: a heading is named by its head."""
    names = {p: _heading_name(p) for p in prefixes}
    words = _heading_words(part, set(names.values()))
    if not words or sum(map(len, words)) < TOPIC_COVERED * len(part):
        return []  # the part speaks of something besides headings (a task's own words)
    meets = []
    for word in words:
        holding = {p for p, n in names.items() if word in n}
        heads = {p for p in holding if names[p].startswith(word)}
        meets.append(heads or holding)
    fitting = [p for p in sorted(prefixes)  # in outline order (4. before 5.), whatever the set's order
               if all(any(p == q or p.startswith(q + " > ") for q in met) for met in meets)]
    return [p for p in fitting if not any(p.startswith(q + " > ") for q in fitting)]


def topic_sections(topic: str, sections: list[str], within: str | None = None) -> list[str]:
    """The outline headings (section prefixes) a list topic names, each part of a compound topic on its
    own: by the share of a heading's bigrams it contains (best_heading), else by its words. Empty when
    any part names no heading, so that a topic only partly read never narrows a list wrongly."""
    prefixes = {p for p in outline_prefixes(sections)
                if " > " in p and (within is None or (p.startswith(within) and p != within))}
    found: list[str] = []
    for part in filter(None, (p.strip() for p in _TOPIC_JOINS.split(topic))):
        best = best_heading(part, sections, within)
        named = [best] if best else _sections_named_by_words(part, prefixes)
        if not named:
            return []
        found.extend(named)
    return [p for p in dict.fromkeys(found) if not any(p.startswith(q + " > ") for q in found)]


def covers(topic: str, text: str, share: float = 0.75) -> bool:
    """Most of the topic's bigrams are in the text (垃圾 in 健全生活垃圾收运处置体系)."""
    if len(topic) == 1:  # 跟水有关: one character has no bigram
        return topic in text
    wanted = bigrams(topic)
    return bool(wanted) and len(wanted & bigrams(text)) >= share * len(wanted)


def names_tasks(topic: str, records: list[Responsibility]) -> bool:
    """A topic is a word some task is named by (垃圾 in 健全生活垃圾收运处置体系); a leftover verb that
    only the paragraphs happen to use (涉及) is not one."""
    return any(covers(topic, r.title) for r in records)
