"""What a term means or what a list consists of: quoted terms with their explanation, the table's
footnotes (how an indicator is calculated), enumerations in the text, and a chapter's own items."""

from __future__ import annotations

import re

import cn2an

from assistant.answer.handlers import handler
from assistant.answer.handlers.common import DEFINED_TERM, paragraph_answer, paragraph_titled, subject_of
from assistant.answer.model import Draft
from assistant.textmatch import bigrams, coverage
from assistant.zh import items_in
from assistant.zh import sentences

ENUMERATION = re.compile(r"哪([两三四五六七八九十几])(个|条|项|类|种|点|方面)|分别是|包括哪些|包括什么|哪些|which (two|three|four|five)|"
                         r"几(条|项|个|点|方面)|多少(条|项|个|点)|分别(叫|为)|都(叫|是)(什么|啥|哪)|叫什么|how many|what are (they|the)", re.I)
# the plan's numbered shorthand asked about: 哪“四定” (以水定城、以水定地…), 哪“两高”
SHORTHAND = re.compile(r"哪[“\"]?([两三四五六七八九十])([\u4e00-\u9fff])[”\"]")
HOW_CALCULATED = re.compile(r"怎么算|如何计算|怎么计算|计算方法|口径|是指|指什么|how is .* (calculated|computed|measured|defined)", re.I)
MEANING = re.compile(r"什么意思|指什么|指的是|具体指|含义|定义|\bmean\b|stand for|refer to", re.I)
_COUNT = {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
          "two": 2, "three": 3, "four": 4, "five": 5}


def _term(engine, intent) -> Draft | None:
    best, best_score = None, 0.0
    for clause in engine.corpus.plan():
        for m in DEFINED_TERM.finditer(clause.text):
            terms = re.findall(r"“([^”]{1,12})”", m.group(0))
            # “一企一库”“两场两区”(即…) explains both terms: naming either one whole asks for it
            score = max([coverage("".join(terms), intent.match_text)] +  # an English question: its Chinese words
                        [coverage(term, intent.match_text) for term in terms if len(term) >= 4])
            if score > best_score:
                best, best_score = (clause, m.group(0)), score
    if best and best_score >= engine.policy.min_term_coverage:
        draft = Draft(intent.kind)
        n = draft.cite(best[0], best[1])
        draft.text = f"{best[1]}[{n}]"
        draft.support = best_score
        return draft
    return None


def _footnote(engine, intent) -> Draft | None:
    for f in engine.corpus.facts.footnotes:
        # the term (a typo allowed), or its head without a leading qualifier people drop (V类水比例 for
        # 地下水国控点位V类水比例), unless another qualifier stands there (城镇污水治理率 is not the rural rate)
        if coverage(f.term, intent.search_text) >= 0.8 or _head_named(f.term, intent.text):
            draft = Draft(intent.kind)
            n = draft.cite(engine.corpus.by_id[f.clause_id], f.text)
            draft.text = f"{f.text}[{n}]" + ("" if f.in_table else "（注意：指标表中没有这一行。）")
            draft.support = 1.0 if HOW_CALCULATED.search(intent.text) else 0.8
            return draft
    return None


def _head_named(term: str, question: str) -> bool:
    """"V类水比例指什么": the term's last five or more characters, with nothing of another qualifier before
    them in the question (城镇污水治理率 does not name 农村生活污水治理率)."""
    for k in range(1, len(term) - 4):
        at = question.find(term[k:])
        if at >= 0:
            before = question[at - 1] if at else ""
            return not before or not re.match(r"[\u4e00-\u9fff]", before) or before in "那这该其的"
    return False


def chapter_items(engine, intent) -> Draft | None:
    """"规划定了哪几条基本原则": the chapter's paragraphs are the items; each is cited by its title.
    "基本原则第一条是啥": the one item asked, whole."""
    # the last place named is the one asked ("第二条原则，第四条呢?": a follow-up read with the turn before)
    nth = ([None] + list(ORDINAL_ITEM.finditer(intent.text)))[-1] if intent.scope else None
    if not intent.scope or not (ENUMERATION.search(intent.text) or nth):
        return None
    clauses = [c for c in engine.corpus.plan() if c.section.startswith(intent.scope)]
    if not 1 < len(clauses) <= 12:
        return None
    if nth and not ENUMERATION.search(intent.text):
        k = ordinal_number(nth.group(1))
        # items that carry their own numbers ("(14)《…》" in 编制依据, whose first items the scrape lost) are
        # found by that number; otherwise the k-th paragraph is the k-th item
        numbered = {int(m.group(1) or m.group(2)): c for c in clauses if (m := OWN_NUMBER.match(c.text))}
        numbered = numbered if len(numbered) == len(clauses) else {}
        if numbered:
            clause = numbered.get(k)
        else:
            clause = clauses[k - 1] if 1 <= k <= len(clauses) else None
        if clause is None:
            return None
        draft = Draft(intent.kind)
        n = draft.cite(clause, clause.text)
        draft.text = f"{intent.scope.split(' > ')[-1]}第{k}{'项' if numbered else '条'}：{clause.text}[{n}]"
        draft.support = 1.0
        return draft
    draft = Draft(intent.kind, list_answer=True)
    lines = [f"{intent.scope.split(' > ')[-1]}共 {len(clauses)} 条："]
    for i, c in enumerate(clauses, start=1):
        n = draft.cite(c, c.title or c.text[:40])
        lines.append(f"{i}. {c.title or c.text[:40]}[{n}]")
    draft.text = "\n".join(lines)
    draft.support = 1.0
    return draft


# "第一条", "第3个", "第十四项": one item of a chapter's list, by its place
ORDINAL_ITEM = re.compile(r"第([一二两三四五六七八九十]{1,3}|\d{1,2})(条|个|项|点)")
# an item's own number at the start of its paragraph: (14) / （14） / 14.
OWN_NUMBER = re.compile(r"\s*[(（](\d{1,2})[)）]|\s*(\d{1,2})[.、．](?!\d)")


def ordinal_number(token: str) -> int:
    """第3个 -> 3, 第十四项 -> 14 (cn2an reads the Chinese numeral)."""
    if token.isdigit():
        return int(token)
    try:
        return int(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError):
        return 0


def item_noun(question: str) -> str:
    """What each asked item is: "哪几条河" -> 河, "3个高风险地块是哪几个" -> 地块, 哪“四定” -> 定; '' when unsaid."""
    short = SHORTHAND.search(question)
    if short:
        return short.group(2)
    after = re.search(r"哪[几一二两三四五六七八九十\d]*(个|条|项|类|种|家|座|处|所)([^的是呢啊吗有在要为，,。？?、\s]*)", question)
    if after and after.group(2):  # the noun phrase's head: 哪几种农村垃圾收运处置形式 -> 形式, 哪几条河 -> 河
        return after.group(2)[-2:]
    if after and after.group(1) == "类":
        return "类"  # 哪三类: 优先保护类、安全利用类…
    before = re.search(r"([\u4e00-\u9fff]{2})(?:分别)?是哪", question)
    return before.group(1) if before else ""


def of_kind(noun: str, items: list[str], run: str, shorthand: bool = False) -> bool:
    """Whether a list's items are things of the kind asked: most items end with the noun (头屯河、三屯河…;
    "…水源地等…" ends the list), or the list says so with a count ("A、B2个疑似污染地块"). A shorthand's
    items only contain its character (以水定城、以水定地… for “四定”)."""
    if shorthand:
        return sum(noun in i for i in items) * 3 >= len(items) * 2
    if re.search(rf"[\d一二两三四五六七八九十]+[个条项类种家座处所][^、，,]*{re.escape(noun)}$", run):
        return True
    return sum(i.endswith(noun) or f"{noun}等" in i for i in items) * 3 >= len(items) * 2


def _enumeration(engine, intent) -> Draft | None:
    """"坚持哪三个治理" / "以水定X是哪几个": the sentence whose 、-separated items share the question's words."""
    m = ENUMERATION.search(intent.text)
    short = SHORTHAND.search(intent.text)
    if not m and not short:
        return None
    wanted = _COUNT.get(short.group(1)) if short else _COUNT.get((m.group(1) or "") if m.lastindex else "", None)
    subject = subject_of(re.sub(r"[XxＸ某]", "", intent.match_text))
    if len(bigrams(subject)) < 1:
        return None
    noun = item_noun(intent.text)
    best, best_score, best_rank = None, 0.0, (False, 0.0)
    pool = [c for c in engine.corpus.plan() if intent.scope and c.section.startswith(intent.scope)] or \
        [h.clause for h in engine.plan_hits(intent, k=6)]
    for clause in pool:
        text = clause.text
        for a, b in sentences(text):
            segments = re.findall(r"[^，,。；;：:]+", text[a:b])
            runs = [r for r in segments if "、" in r]
            if noun:  # "A水源地和B水源地": two items of the kind asked joined by 和 are a list too
                runs += [r for r in segments if "、" not in r and len(re.split(r"和|及", r)) == 2
                         and all(noun in part for part in re.split(r"和|及", r))]
            for run in runs:
                items = run.split("、") if "、" in run else re.split(r"和|及", run)
                score = engine.covers(subject, run)
                exact = bool(wanted) and items_in(run) == wanted
                kind = bool(noun) and of_kind(noun, items, run, bool(short))
                if score < (0.15 if kind else 0.3 if exact else 0.5):
                    continue  # the items must be about what was asked; a matching count alone is no evidence
                if noun == "类" and not kind:
                    continue  # "分成哪几类": only items that are kinds (优先保护类、安全利用类…) answer it
                if exact:
                    score += 0.3
                if kind:  # "哪几条河": items that are rivers (头屯河、三屯河…), not any list on the same subject
                    score += 0.5
                rank = (kind, score)  # "哪几条河": a list of rivers beats any other list on the same subject
                if best is None or rank > best_rank:
                    best, best_score, best_rank = (clause, run.strip(), max(items_in(run), len(items))), score, rank
    if best is None:
        return None
    draft = Draft(intent.kind, list_answer=True)
    n = draft.cite(best[0], best[1])
    draft.text = f"共 {best[2]} 个：{best[1]}[{n}]"
    elsewhere = [f"“{quote}”[{draft.cite(clause, quote)}]" for clause, quote in _same_items(engine, best[0], best[1])]
    if elsewhere:
        draft.text += "\n同样的列举另见：" + "；".join(elsewhere)
    draft.support = min(1.0, best_score)
    return draft


def _same_items(engine, source, run: str, limit: int = 2) -> list[tuple]:
    """Other plan sentences that list the same items (the background chapter and a task often name the same
    three sites): an official may look for either, so both are cited. An item is matched by its last eight
    characters (the name, without 对查明的 or 和 in front)."""
    cores = [re.sub(r"\W", "", item)[-8:] for item in re.split(r"、|和", run)]
    cores = [c for c in cores if len(c) >= 4]
    if len(cores) < 2:
        return []
    found = []
    for clause in engine.corpus.plan():
        if clause.clause_id == source.clause_id:
            continue
        for a, b in sentences(clause.text):
            if sum(core in clause.text[a:b] for core in cores) >= min(len(cores), 3):
                found.append((clause, clause.text[a:b].strip()))
                break
        if len(found) >= limit:
            break
    return found


# a paragraph that opens with its own label (规划范围:昌吉州5县2市…): the label is what the paragraph states
LABELLED = re.compile(r"\s*([\u4e00-\u9fff]{2,8})[:：]")


def _labelled(engine, intent) -> Draft | None:
    """规划范围包括哪些地方: the paragraph labelled 规划范围 says it, whole, before any list of 包括."""
    for clause in engine.corpus.plan():
        m = LABELLED.match(clause.text)
        if m and m.group(1) in intent.match_text:
            draft = Draft(intent.kind)
            n = draft.cite(clause, clause.text)
            draft.text = f"{clause.text}[{n}]"
            draft.support = 1.0
            return draft
    return None


def _heading(engine, intent) -> Draft | None:
    """“因地制宜,精准治污”是什么意思: a quoted heading means what its paragraph says."""
    if not MEANING.search(intent.text):
        return None
    clause = paragraph_titled(engine, intent.text)
    return paragraph_answer(engine, intent, clause) if clause is not None else None


@handler("definition")
def definition(engine, intent) -> Draft:
    if HOW_CALCULATED.search(intent.text):
        found = _footnote(engine, intent) or _term(engine, intent)
    else:
        found = chapter_items(engine, intent) or _labelled(engine, intent) or _term(engine, intent) \
            or _heading(engine, intent) or _footnote(engine, intent) or _enumeration(engine, intent)
    meaning = bool(MEANING.search(intent.text))  # "X是什么意思" the plan never explains: say so; a list may be in the text
    return found or engine.abstain(intent, "规划没有给出这个用语的定义或解释。", absence=0.7 if meaning else 0.3)
