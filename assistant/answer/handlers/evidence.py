"""Facts stated in a sentence, and the floor every question falls back on: the best evidence
sentences of the top fused hits, cited. This is what keeps citations from ever trailing plain
retrieval: when no structured reading is confident, the best passage is still quoted."""

from __future__ import annotations

import re

from assistant.answer.handlers import handler
from assistant.answer.handlers.common import (ASKS_QUANTITY, NONE_FOUND, NUMBER, asks_future, other_year, period_mismatch,
                                              paragraph_answer, paragraph_titled, readable_quote, task_titled)
from assistant.answer.handlers.definition import chapter_items
from assistant.answer.handlers.target import overall_goal
from assistant.answer.model import Draft
from assistant.answer.understand import HISTORY, asks_plan_about_law
from assistant.textmatch import best_span, coverage, rerank, sentences
from assistant.zh import (GENERIC_NOUNS, OWN_REGION, RATE_TERM, figure_clauses, measured, states_figure_in, unit_asked,
                         without_years)

# what a task asks people to do, asked of a task named by its title: its paragraphs whole, not one sentence
ASKS_TASK_CONTENT = re.compile(r"具体要求|什么要求|啥要求|要求(?:是)?(?:什么|啥|哪些)|要做什么|要做啥|做些什么|干什么|干啥|怎么做|怎么干|"
                               r"(?:咋|怎么)(?:整|弄|搞|办|做|干|落实)|如何(?:做|落实|开展|推进)|"
                               r"主要内容|具体内容|(?:内容|讲|说|写)了?(?:什么|啥)|内容(?:是|有)(?:什么|啥|哪些)|怎么安排|如何安排|"
                               r"\bwhat does .{0,60}\b(?:require|involve|say)\b|\brequirements?\b", re.I)

# what the plan requires (规划怎么要求的, 规划对X有什么要求, what does the plan require): its tasks answer
PLAN_REQUIREMENT = re.compile(r"规划(?:里|中|上)?(?:是|又)?(?:怎么|如何|咋|怎样)(?:要求|部署|安排)|"
                              r"规划(?:里|中|上)?对[^，,。？?]{1,20}(?:有什么|有啥|有哪些|什么|啥)(?:要求|部署|安排)|"
                              r"规划(?:里|中|上)?(?:的)?要求(?:是)?(?:什么|啥|哪些)|"
                              r"\bwhat does the plan (?:require|ask|call for)\b", re.I)


def ranked_evidence(engine, intent, k: int = 5):
    hits = engine.plan_hits(intent, k=k)
    # 十三五 results (and anything of 2020 or before: the base year) live in the background chapter
    history = bool(HISTORY.search(intent.text.lower())) or bool(intent.years and max(intent.years) <= 2020)
    bonus = (lambda h: engine.policy.history_bonus if h.clause.section.startswith("一、") else 0.0) if history else None
    query = intent.match_text
    if not history and PLAN_REQUIREMENT.search(intent.text):
        # "规划怎么要求的": what the plan asks to be done is in its tasks, not in its account of 十三五; the
        # asking words are not matched (another paragraph's 治理要求 or 总体规划 would outweigh the subject)
        bonus = lambda h: 0.0 if h.clause.section.startswith("一、") else 1.0  # noqa: E731 - the tasks come first
        query = PLAN_REQUIREMENT.sub(" ", query)
    return rerank(hits, query, engine.policy.rank_bonus, bonus)


def subject_nouns(text: str, unit: str = "") -> list[str]:
    """The nouns a question is about (农药, 填埋场), for an English question its glossary terms: not the region,
    the unit or the asking and time words."""
    from assistant.lexical import _ensure_jieba  # noqa: PLC0415 - jieba loads with the lexical index
    import jieba.posseg  # noqa: PLC0415

    _ensure_jieba()
    han = OWN_REGION.sub(" ", " ".join(re.findall(r"[\u4e00-\u9fff]+", text)))
    return [p.word for p in jieba.posseg.cut(han) if len(p.word) >= 2 and p.flag[:1] in ("n", "l") and p.word != unit
            and not GENERIC_NOUNS.match(p.word)]


def said_of(span: str, unit: str, question: str, owners: list[str]) -> bool:
    """A figure in the unit is said of what is asked: where the span names what is asked, one of the clauses
    giving a figure names it too (otherwise the figure belongs to the other thing the sentence names)."""
    present = [w for w in owners if w in span]
    if not present or NONE_FOUND.search(span):
        return True
    return any(w in clause for clause in figure_clauses(span, unit, question) for w in present)


# a chapter asked for itself (规划的基本原则有哪些): once its name and these words are gone, nothing is left
SCOPE_NAMES = re.compile(r"基本原则|指导思想|保障措施|主要任务|basic principles|guiding principles", re.IGNORECASE)
_OUTLINE_ASK = re.compile(r"规划|本|这个|这份|里|中|的|都|有|哪些|哪几[条项个点]|包括|是什么|是啥|分别|主要|具体|内容|一共|共|"
                          r"\bwhat\b|\bare\b|\bthe\b|\bplan'?s?\b|[？?，,。！!\s]", re.IGNORECASE)


@handler("fact")
def fact(engine, intent) -> Draft:
    policy = engine.policy
    goal = overall_goal(engine, intent)  # "到2035年规划要实现个啥样子": the goals of that year, whatever the kind read
    if goal is not None:
        return goal
    if intent.scope and len(_OUTLINE_ASK.sub("", SCOPE_NAMES.sub("", intent.text))) <= 2:
        items = chapter_items(engine, intent)  # "规划的基本原则有哪些": the chapter's items, asked for themselves
        if items is not None:
            return items
    if ASKS_TASK_CONTENT.search(intent.text) and not ASKS_QUANTITY.search(intent.text):
        task = task_titled(engine, intent.match_text)
        if task is not None:
            return task_content(engine, intent, task)
        heading = paragraph_titled(engine, intent.text)  # a principle's heading: its paragraph (no task record)
        if heading is not None:
            return paragraph_answer(engine, intent, heading)
    ranked = ranked_evidence(engine, intent)
    if not ranked:
        return engine.abstain(intent, "")
    if ASKS_QUANTITY.search(intent.text):  # a "how many" answer must state a number, in the unit asked
        unit = unit_asked(intent.text)
        spans = [(h, best_span(h.clause, intent.match_text, n=2)) for h in ranked]
        ranked = [h for h, span in spans if (states_figure_in(span, unit, intent.text) if unit else NUMBER.search(without_years(span)))
                  or NONE_FOUND.search(span)]
        if not ranked:
            said = f"以“{unit}”计的" if unit else "相应的"
            return engine.abstain(intent, f"规划中没有给出{said}数字。", absence=0.7 if unit else 0.6)
        if unit:  # a figure in the unit, but of another thing the sentence also names (农药… 化肥施用量14.53万吨)
            owners = subject_nouns(intent.match_text, unit)
            ranked = [h for h, span in spans if h in ranked and said_of(span, unit, intent.text, owners)]
            if not ranked:
                return engine.abstain(intent, f"规划中没有给出{'、'.join(owners[:2])}以“{unit}”计的数字。", absence=0.7)
        what = measured(intent.text)  # "全州耕地总面积是多少亩": a figure of something else (示范面积) is no answer
        if what:
            # what is measured (耕地总面积) must be named by the sentences stating the figure; a zone's short name
            # (适养区) whole, since zones differ by one character and 养区 of 禁养区 would be half of it
            whole = len(what) <= 3 and what.endswith("区")
            spans = [(h, best_span(h.clause, intent.match_text, n=2)) for h in ranked]
            ranked = [h for h, span in spans
                      if (what in span if whole else coverage(what, span) >= policy.min_measured_share)]
            if not ranked:
                return engine.abstain(intent, f"规划中没有给出“{what}”的数字。", absence=0.7)
    rates = {m[-3:] for m in RATE_TERM.findall(intent.match_text)}
    if rates:  # asked for a rate (利用率, 处理率), the answer must state that rate
        stating = [h for h in ranked if _rate_sentence(h.clause, rates, intent.match_text)]
        if not stating and not intent.english:
            return engine.abstain(intent, f"规划中没有找到所问的“{'、'.join(sorted(rates))}”。", absence=0.6)
        # (an English question's rate is the glossary's guess at the plan's word, 覆盖率 for coverage rate where
        # the plan writes 普及率: evidence stating it comes first, but its absence refuses nothing)
        ranked = stating or ranked
    if intent.years:  # asked about one year, the answer must not be about another
        ranked = [h for h in ranked if not other_year(best_span(h.clause, intent.match_text, n=2), intent.years)]
        if not ranked:
            return engine.abstain(intent, f"规划没有给出 {'、'.join(map(str, intent.years))} 年的相应内容。", absence=0.6)
    if asks_future(intent.text):  # a 十四五 question is answered from the tasks, not from the 十三五 record
        ranked = [h for h in ranked if not period_mismatch(intent.text, h.clause)] or ranked
    top = ranked[0]
    best = top.clause
    cov = engine.covers(intent.match_text, best.text)
    if cov < policy.min_fact_coverage and not (top.bm25_rank == 1 and top.dense_rank == 1):
        return engine.abstain(intent, "")
    if period_mismatch(intent.text, best):
        return engine.abstain(intent, "规划只给出了“十三五”期间的情况，没有给出“十四五”的相应数字。", absence=0.7)
    draft = Draft(intent.kind)
    quote = (_rate_sentence(best, rates, intent.match_text) if rates else "") or \
        best_span(best, _without_title(intent.match_text, best), n=2)
    quote = _naming_sentence(best, quote, intent.match_text)
    if best.title and ASKS_TASK_CONTENT.search(intent.text) and not ASKS_QUANTITY.search(intent.text) \
            and quote.strip(" 。.;；") in best.title:
        # 具体咋整？ of a task named in other words than its title: what it asks is the paragraph, not its heading
        quote = readable_quote(engine, best, intent.match_text)
    n = draft.cite(best, quote)
    draft.text = f"{quote}[{n}]"
    return draft


def _without_title(question: str, clause) -> str:
    """"“强化部门信息共享和联动监管”，疑似污染地块的空间信息要叠加到哪里": the part naming the task's title says
    which paragraph, the rest which sentence of it; a title alone (what the task says) is left whole."""
    if not clause.title:
        return question
    parts = [p for p in re.split(r"[，,]", question) if p.strip()]
    kept = [p for p in parts if coverage(p, clause.title) < 0.8]
    return "，".join(kept) if kept and len(kept) < len(parts) else question


def task_content(engine, intent, task) -> Draft:
    """“合理确定土地开发和使用时序”具体要求是啥: every paragraph of the task, each quoted whole when short
    enough to read at once (a long one by its best sentences), so no requirement is left out."""
    by_id = engine.corpus.by_id
    draft = Draft(intent.kind)
    lines = []
    for resp in engine.corpus.facts.responsibilities:
        if resp.note_clause_id != task.note_clause_id:
            continue
        clause = by_id[resp.clause_id]
        quote = readable_quote(engine, clause, intent.match_text)
        lines.append(f"{quote}[{draft.cite(clause, quote)}]")
    draft.text = "\n".join(lines)
    draft.support = 1.0  # the task is named by its title; its paragraphs are the answer
    return draft


# what kind of thing a question asks to be named: 重点防范哪些流域 -> 流域, 哪几个县市 -> 县市, 重点流域有哪些 -> 流域
ASKED_KIND = re.compile(r"哪(?:些|几个|几条|几类|几种|几处|几家)([\u4e00-\u9fff]{1,3})|"
                        r"([\u4e00-\u9fff]{2})(?:都)?(?:有|是|包括)哪(?:些|几个|几条|几类)")  # 重点流域有哪些 -> 流域


def _naming_sentence(clause, quote: str, question: str) -> str:
    """"地下水污染协同防治那项重点防范哪些流域": the answer is the sentence that names the kind asked (…河流域),
    not the task's title sentence the question's other words match best."""
    m = ASKED_KIND.search(question)
    noun = (m.group(1) or m.group(2)) if m else ""
    # the kind as asked (河流域), else its head (流域) or its first word (河流): whichever the paragraph writes
    kind = next((k for k in dict.fromkeys((noun, noun[-2:], noun[:2])) if k and k in clause.text), "")
    if not kind or kind in quote:
        return quote
    naming = [clause.text[a:b].strip() for a, b in sentences(clause.text) if kind in clause.text[a:b]]
    return max(naming, key=lambda s: coverage(question, s), default=quote)


def _rate_sentence(clause, rates: set[str], question: str) -> str:
    """The clause's best span when it states every rate asked, else its best sentence that does
    ("卫生厕所普及率达到90.3%;" among sentences that share only 昌吉州 and 2020 with the question), else ''."""
    span = best_span(clause, question, n=2)
    if all(r in span for r in rates):
        return span
    stating = [clause.text[a:b].strip() for a, b in sentences(clause.text) if all(r in clause.text[a:b] for r in rates)]
    return max(stating, key=lambda s: coverage(question, s), default="")


PLAN_CUES = re.compile(r"规划|州|昌吉|任务|牵头|十四五|十三五|指标|目标|县|园区|\bplan\b|Changji", re.I)


def floors(engine, intent) -> list[Draft]:
    """The plan's best evidence, and the laws' (the Code first) unless the question is plainly about the plan."""
    lawish = intent.kind == "law_article" or (bool(intent.laws) and not asks_plan_about_law(intent.text))
    out = [] if lawish else [floor(engine, intent, "local" if engine.corpus.documents else "plan")]
    if lawish or not PLAN_CUES.search(intent.text) and intent.kind != "lead_bureau":  # who leads: the plan names bureaux
        code = engine.corpus.law("生态环境法典")
        scope = intent.laws[0].name if intent.laws else (code.name if code else "laws")
        out.append(floor(engine, intent, scope))
    return out


def floor(engine, intent, scope: str = "plan") -> Draft:
    """The best evidence sentences of the top fused hits in one scope, cited; no structure assumed."""
    hits = engine.search(intent, k=5, scope=scope)
    ranked = rerank(hits, intent.match_text, engine.policy.rank_bonus)
    draft = Draft("evidence")
    if not ranked:
        draft.abstained = True
        return draft
    lines = []
    for hit in ranked[:2]:
        quote = _naming_sentence(hit.clause, best_span(hit.clause, intent.match_text, n=2), intent.match_text)
        if lines and coverage(intent.match_text, quote) < engine.policy.min_floor_support:
            break
        n = draft.cite(hit.clause, quote)
        lines.append(f"{hit.clause.label()}：“{quote}”[{n}]")
    draft.text = "最相关的原文：\n" + "\n".join(lines)
    return draft
