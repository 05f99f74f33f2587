"""Targets: the indicator table (looked up by row, or filtered by a column's value) and the 到2025年 sentences."""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from assistant.answer.handlers import handler
from assistant.answer.handlers.common import content_of, describe_target, span_containing, task_titled
from assistant.answer.model import Draft
from assistant.facts import Target
from assistant.textmatch import coverage, sentences
from assistant.zh import RATE_TERM, unit_asked

# the table's columns as officials name them -> Target attribute
COLUMNS = [
    (re.compile(r"基期|基准|基数|2020年的?(值|数)|baseline", re.I), "baseline", "2020年基数"),
    (re.compile(r"来源|出处|source", re.I), "source_doc", "来源"),
    (re.compile(r"约束性|预期性|属性|binding|indicative", re.I), "kind", "属性"),
    (re.compile(r"类别|分类|category", re.I), "category", "类别"),
]
EMPTY = re.compile(r"空着|空的|为空|空白|没有填|没填|未填|未给|没给|没有给|没写|\bempty\b|blank|missing|--", re.I)
# an amount asked for (减少多少吨, 降低多少, how many tonnes): a target written in words (减少, 不降低) has none
AMOUNT_ASKED = re.compile(r"(?:减少|降低|下降|削减|减)(?:了)?多少|多少(?:万)?(?:吨|公斤|千克|亩|公顷)|几(?:万)?吨|"
                          r"\bhow many (?:tons|tonnes)\b|\bby how much\b", re.IGNORECASE)
WHOLE_GOAL_SENTENCE = 160  # characters: a qualitative goal's whole sentence up to this long is quoted with it
LIST_ASK = re.compile(r"哪几项|哪些|哪几个|几项|which|what (are|were) the", re.I)


def _shares_words(value: str, question: str, least: int = 4) -> bool:
    """The question quotes the cell: the whole value, or a run of at least ``least`` of its characters."""
    if value in question:
        return True
    match = SequenceMatcher(None, value, question, autojunk=False).find_longest_match(0, len(value), 0, len(question))
    return match.size >= min(least, len(value))


def _empty(value: str | None) -> bool:
    return value in (None, "", "--")


def column_filter(engine, intent) -> Draft | None:
    """"哪几项指标2020年基数是空着的" / "来源写自治区指标的是哪几项": rows selected by one column's value."""
    if not LIST_ASK.search(intent.text):
        return None
    rows = [t for t in engine.corpus.facts.targets if t.origin == "table"]
    for pattern, attr, label in COLUMNS:
        if not pattern.search(intent.text):
            continue
        if EMPTY.search(intent.text):
            chosen, said = [t for t in rows if _empty(getattr(t, attr))], f"{label}栏为空（或为“--”）"
        else:
            values = {getattr(t, attr) for t in rows if not _empty(getattr(t, attr))}
            asked = [v for v in values if _shares_words(v, intent.text)]
            if not asked:
                continue
            chosen = [t for t in rows if getattr(t, attr) in asked]
            said = f"{label}为“{'”或“'.join(sorted(asked))}”"
        draft = Draft(intent.kind, list_answer=True)
        parts = [f"{t.indicator}（{label}：{getattr(t, attr) or '空'}）[{draft.cite(engine.corpus.by_id[t.clause_id], t.sentence)}]"
                 for t in chosen]
        draft.text = f"指标表中{said}的指标有 {len(chosen)} 项：" + "；".join(parts) + "。"
        draft.support = 1.0
        return draft
    return None


# share of an indicator's own words (or of its statement in the other milestone's goals) that a qualitative
# goal of the year asked must hold to be called its counterpart
MILESTONE_COVERAGE = 0.35
_GENERIC_GOAL = re.compile(r"得到|有效|进一步|保持|稳定|基本|实现|提升|巩固|昌吉州|到20\d\d年")


def milestone_statement(engine, intent, anyyear: list[tuple[float, Target]]) -> Draft | None:
    """受污染耕地安全利用率2035年目标是多少？ — the plan gives a figure for 2025 only, but its 2035 goals say,
    in words, what becomes of the same thing (农用地和重点建设用地土壤环境安全得到有效保障).

    The indicator is the best match whatever its year; its statement among the other milestone's goals (the
    twin the answer for that year quotes) is matched with the qualitative goals of the year asked. The answer
    says there is no figure and quotes the counterpart; with no clear counterpart it is None (abstain).
    """
    years = [y for y in intent.years if y >= 2021]
    ranked = sorted(anyyear, key=lambda x: -x[0])
    if not years or not ranked or ranked[0][0] < engine.policy.min_target_score:
        return None
    indicator = ranked[0][1]
    if indicator.year in years:
        return None
    anchors = [indicator.indicator] + [t.sentence for _, t in ranked[1:8] if t.origin == "text" and t.year == indicator.year
                                       and coverage(indicator.indicator, t.indicator + t.sentence) >= 0.8]
    goals = [t for t in engine.corpus.facts.targets
             if t.year in years and t.origin == "text" and "定性目标" in t.flags]
    scored = sorted(((max(coverage(_GENERIC_GOAL.sub("", a), _GENERIC_GOAL.sub("", g.sentence)) for a in anchors), i)
                     for i, g in enumerate(goals)), reverse=True)
    if not scored or scored[0][0] < MILESTONE_COVERAGE or (len(scored) > 1 and scored[1][0] >= scored[0][0]):
        return None
    goal = goals[scored[0][1]]
    clause = engine.corpus.by_id[goal.clause_id]
    draft = Draft(intent.kind)
    n = draft.cite(clause, goal.sentence)
    draft.text = (f"规划没有给出“{indicator.indicator}”{years[0]}年的数值目标（数值目标只到{indicator.year}年：{indicator.target}）。"
                  f"{years[0]}年的目标只有定性表述：“{goal.sentence}”[{n}]。")
    draft.support = min(1.0, ranked[0][0] + 0.2)  # as sure as the indicator was found, like a figure's answer
    return draft


def _without_table_row(targets: list[Target], question: str) -> Target | None:
    """The indicator the question names (the most specific of those it names whole), when only the text
    states it and the table has no row for it; else None."""
    if any(t.origin == "table" and coverage(t.indicator, question) >= 0.8 for t in targets):
        return None
    named = max(targets, key=lambda t: (coverage(t.indicator, question), len(t.indicator)))
    return named if named.origin == "text" and len(named.indicator) >= 4 and coverage(named.indicator, question) >= 0.9 \
        else None


# the question asks what an indicator means, not its value
MEANING_ASKED = re.compile(r"啥意思|什么意思|是指|指什么|指的是|含义|定义|怎么算|如何计算|口径|\b(?:mean|define|definition)", re.I)
# the plan's goals as a whole ("2035年远景目标怎么表述", "规划的总体目标"), not one indicator's
OVERALL_GOAL = re.compile(r"(?:规划|总体|远景|整体|总)目标|规划[^，,。？?]{0,12}目标|目标是?怎么(?:写|表述|说)|\boverall (?:goal|target|objective)s?\b|"
                          r"(?:实现|达到|变成|建成)[^，,。？?]{0,4}(?:啥样|什么样|怎样|什么状态|啥状态)|\blook like\b|"
                          r"\b(?:long-range|vision) (?:goal|objective)s?\b", re.IGNORECASE)
_GOAL_WORDS = re.compile(r"(?:规划|总体|远景|整体|总)?目标|这份|这个|本|规划|里|中|怎么|表述|写的|写|说的|要达到|达到|要|实现|个|啥样子?|什么样子?|样子|到|"
                         r"什么|提出|定的|定了|是|的|呢|吗|了|年|[\d\s，,。？?]")
GOALS_SECTION = "1.规划目标"


def overall_goal(engine, intent) -> Draft | None:
    """The goal paragraph of the year asked, when the question asks for the plan's goals as a whole and names
    no indicator: the indicator table's source column (…和2035年远景目标纲要) is no answer to it."""
    if not intent.years or not OVERALL_GOAL.search(intent.text) or len(_GOAL_WORDS.sub("", intent.match_text)) >= 2:
        return None
    goals = [c for c in engine.corpus.plan() if c.section.endswith(GOALS_SECTION)
             and any(f"到{year}年" in c.text for year in intent.years)]
    if not goals:
        return None
    draft = Draft(intent.kind)
    for clause in goals:
        sentence = next((clause.text[a:b].strip() for a, b in sentences(clause.text)
                         if any(f"到{year}年" in clause.text[a:b] for year in intent.years)), clause.text)
        n = draft.cite(clause, sentence)
        draft.text += ("\n" if draft.text else "") + f"规划目标：“{sentence}”[{n}]"
    draft.support = 1.0
    return draft


TWIN_ROW_SHARE = 0.5  # of a table row's indicator bigrams the text target's paragraph must hold to be its twin


def _twin(engine, best: Target, others: list[Target], core: str) -> Target | None:
    """The same indicator stated in the other place (table row <-> 到2025年 sentence): both are the plan's words.

    The same when the indicator is named there (a table row by its indicator alone: its sentence carries the
    category, 农业农村生态环境), or when the same figure is given in a paragraph about what was asked, or in the
    table row whose indicator the stated target's paragraph half names (农田残膜回收率达到85%以上 in the 农膜回收
    paragraph <-> 废弃农膜回收利用率 ≥85%). A goal in words has no figure's twin."""
    figure = re.findall(r"\d+(?:\.\d+)?", best.target)
    by_id = engine.corpus.by_id
    for t in others:
        if t.origin == best.origin or t.year != best.year or bool(re.search(r"\d", t.target)) != bool(figure):
            continue
        if coverage(best.indicator, t.indicator + (t.sentence if t.origin == "text" else "")) >= 0.8 and (
                len(best.indicator) > 3 or coverage(t.indicator, best.sentence + best.context) >= 0.8):
            return t  # (a bare 利用率 names no indicator: a row is its twin only if its own sentence names the row's)
        if figure and re.findall(r"\d+(?:\.\d+)?", t.target) == figure and (
                engine.covers(core, by_id[t.clause_id].text) >= 0.99
                or t.origin == "table" and coverage(t.indicator, by_id[best.clause_id].text) >= TWIN_ROW_SHARE):
            return t
    return None


@handler("target")
def target(engine, intent) -> Draft:
    facts = engine.corpus.facts
    policy = engine.policy
    question = intent.search_text
    filtered = column_filter(engine, intent) or overall_goal(engine, intent)
    if filtered is not None:
        return filtered
    scored: list[tuple[float, Target]] = []
    anyyear: list[tuple[float, Target]] = []  # the same scores before the year asked is taken into account
    # 农膜(农用薄膜): a short form's spelled-out law wording, added for the laws, names no indicator
    asked = re.sub(r"\([\u4e00-\u9fff]{2,10}\)", "", intent.match_text)
    core = content_of(asked)
    own = _task_paragraphs(engine, intent)
    for t in facts.targets:
        cov = 0.3 * coverage(t.indicator, asked) + 0.7 * engine.covers(core, t.indicator + t.context)
        if t.origin == "text" and t.clause_id in own:  # a task named by its title: its own figures are its targets
            cov = max(cov, policy.min_target_score + 0.05)
        if t.origin == "table" and "text" in intent.wants:
            cov -= 0.2
        if t.origin == "text" and "table" in intent.wants:
            cov -= 0.2
        if t.origin == "table" and {"baseline", "kind", "source"} & intent.wants:
            cov += 0.1
        anyyear.append((cov, t))
        if "baseline" in intent.wants and t.baseline is None:
            cov -= 0.5  # only the table has a baseline column
        elif [y for y in intent.years if y >= 2021] and t.year not in intent.years:
            cov -= 0.5
        scored.append((cov, t))
    scored.sort(key=lambda x: -x[0])
    asked_years = [y for y in intent.years if y >= 2021]
    in_year = [x for x in scored if x[1].year in asked_years]
    if in_year and in_year[0][0] >= policy.min_year_target_score and scored[0] is not in_year[0]:
        # "到2035年地下水水质": the 2035 goal about 地下水环境质量 beats 2025's 地下水水质, however closely named
        scored = in_year + [x for x in scored if x not in in_year]
    numeric = bool(re.search(r"多少|数值|具体数|几|how (much|many)|what (share|percentage|rate)", intent.text.lower()))
    if scored and numeric and "定性目标" in scored[0][1].flags and scored[0][0] >= policy.min_target_score \
            and not re.search(r"全覆盖|全部|所有", scored[0][1].sentence):  # "覆盖多少村" -> 全覆盖 is a figure
        return engine.abstain(intent, f"规划对此只有定性表述（“{scored[0][1].sentence}”），没有给出数值。", absence=0.6)
    if scored and AMOUNT_ASKED.search(intent.text) and "baseline" not in intent.wants and scored[0][0] >= policy.min_target_score \
            and not re.search(r"\d", scored[0][1].target):  # 化肥使用量 "减少": 减少多少吨 has no figure to give
        top = scored[0][1]
        return engine.abstain(intent, f"规划对“{top.indicator}”的目标只写“{top.target}”，没有给出具体数量。", absence=0.7)
    year_matched = bool(intent.years) and any(t.year in intent.years for _, t in scored[:1])
    threshold = policy.min_target_score if numeric or not year_matched else policy.min_year_target_score
    if not scored or scored[0][0] < threshold:
        footnote = next((f for f in facts.footnotes if coverage(f.term, question) >= 0.8 and not f.in_table), None)
        if footnote and not MEANING_ASKED.search(intent.text):  # "这个指标是啥意思" is the footnote's to answer
            return engine.abstain(intent, f"表注定义了“{footnote.term}”，但指标表中没有这一行，规划没有给出它的目标值。",
                                  absence=0.8)
        milestone = milestone_statement(engine, intent, anyyear) if numeric else None
        if milestone is not None:
            return milestone
        return engine.abstain(intent, "规划没有给出这个指标的数值目标。", absence=0.6 if numeric else 0.3)
    best = scored[0][1]
    named = _without_table_row(facts.targets, intent.match_text) if {"baseline", "kind", "source"} & intent.wants \
        else None
    if named is not None:
        # "秸秆综合利用率2020年基数": the indicator named has no table row, so no table column answers it
        # (another row sharing 综合利用率 is no answer)
        return engine.abstain(intent, f"“{named.indicator}”不在指标表中，规划只在正文给出{named.year}年目标（{named.target}），"
                                      "没有基数、指标属性或来源栏。", absence=0.7)
    if best.origin == "table":  # a cell that is empty, or a figure asked of a target that has none
        # an empty cell refuses only when it is all that was asked; with other columns the row is described
        # (describe_target says which cell is empty)
        others = {"baseline", "kind", "source"} & intent.wants
        if others == {"baseline"} and _empty(best.baseline):
            return engine.abstain(intent, f"指标表中“{best.indicator}”的2020年基数为“--”，规划没有给出。", absence=0.8)
        if others == {"source"} and _empty(best.source_doc):
            return engine.abstain(intent, f"指标表中“{best.indicator}”一行的来源栏为空，规划没有写明来源。", absence=0.8)
        # "要减到多少万吨" wants a figure the row does not give; "目标值是多少" is answered by the row's words (减少)
        wants_figure = bool(unit_asked(intent.text)) or bool(re.search(r"具体|减到|降到|控制在|数值|\bexact|\bfigure", intent.text))
        if numeric and wants_figure and not {"baseline", "kind", "source"} & intent.wants and not re.search(r"\d", best.target):
            return engine.abstain(intent, f"指标表对“{best.indicator}”只写了“{best.target}”，没有给出数值。", absence=0.8)
    past = [y for y in intent.years if y <= 2020]
    if past and best.year not in intent.years and (best.origin == "text" or _empty(best.baseline)):
        # "化肥利用率2020年是多少": the plan sets a 2025 target, and states no 2020 figure for it here; the
        # background chapter may still state one, so this refusal is weak enough for other evidence to win
        return engine.abstain(intent, f"规划只给出“{best.indicator}”{best.year}年的目标（{best.target}），"
                                      f"没有给出{'、'.join(map(str, past))}年的数值。", absence=0.45)
    rates = RATE_TERM.findall(intent.match_text)  # 安全利用率: its last three characters must be stated
    missing = [r for r in dict.fromkeys(rates) if r[-3:] not in best.indicator + best.sentence
               and not any(other != r and other.endswith(r) for other in rates)]
    if missing and not re.search(r"\d", best.target):
        # "重点建设用地安全利用率的目标": the plan says only that 安全利用 is to be consolidated; no such rate
        return engine.abstain(intent, f"规划没有“{'、'.join(missing)}”这一指标，只写了“{best.sentence}”。", absence=0.7)
    draft = Draft(intent.kind)
    clause = engine.corpus.by_id[best.clause_id]
    whole = span_containing(clause.text, best.sentence)
    if best.origin == "text" and not re.search(r"\d", best.target) and len(whole) <= WHOLE_GOAL_SENTENCE:
        # a qualitative goal (根本好转) is one of a sentence of goals read together: the whole sentence is quoted
        best = replace(best, sentence=whole)
    n = draft.cite(clause, best.sentence)
    draft.text = describe_target(best, n)
    twin = _twin(engine, best, [t for _, t in scored[1:6]], core)
    if twin is not None:
        m = draft.cite(engine.corpus.by_id[twin.clause_id], twin.sentence)
        draft.text += f"\n{'正文' if twin.origin == 'text' else '指标表'}的表述：“{twin.sentence}”[{m}]"
    for other in _task_targets(engine, intent, best, draft):
        m = draft.cite(engine.corpus.by_id[other.clause_id], other.sentence)
        draft.text += f"\n同一任务的另一目标：“{other.sentence}”[{m}]"
    draft.support = min(1.0, max(0.0, scored[0][0]) + 0.2)
    return draft


def _task_paragraphs(engine, intent) -> set[str]:
    """The paragraphs of the plan task the question names by its title (none when it names none)."""
    task = task_titled(engine, intent.match_text)
    if task is None:
        return set()
    return {r.clause_id for r in engine.corpus.facts.responsibilities if r.note_clause_id == task.note_clause_id}


def _task_targets(engine, intent, best: Target, draft: Draft, limit: int = 2) -> list[Target]:
    """“提升秸秆农膜回收利用水平”的目标: a task named by its title may set several figures (秸秆 90%, 农膜 85%);
    each of the year asked is its target, not only the one the best match names."""
    paragraphs = _task_paragraphs(engine, intent)
    if not any(clause.clause_id in paragraphs for clause, *_ in draft.cited):
        return []  # no task named, or the answer found is not this task's own target
    quoted = [q for _, q, *_ in draft.cited]
    years = [y for y in intent.years if y >= 2021] or [best.year]
    return [t for t in engine.corpus.facts.targets
            if t.origin == "text" and t.clause_id in paragraphs and t.year in years and re.search(r"\d", t.target)
            and not any(t.sentence in q or q in t.sentence for q in quoted)][:limit]
