"""Small helpers the handlers share: what a question is about, spans, wording of facts."""

from __future__ import annotations

import re

from assistant import currency
from assistant.answer.model import Draft
from assistant.clauses import Clause, squash
from assistant.facts import Target
from assistant.textmatch import best_span, bigrams, coverage, sentences
from assistant.zh import DEFINED_TERM  # noqa: F401 - the handlers' shared name for it

RELATIONS = ("联合牵头", "共同负责", "未写明牵头")
NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万]+(个|名|家|项|座|类|种|吨|元|亩|年|月|天|日|次|倍)")
NONE_FOUND = re.compile(r"未发现|没有发现|均未发现|尚未发现")  # "none were found" answers a "how many"
ASKS_QUANTITY = re.compile(r"多少|(?<![哪这那])几(个|名|家|项|座|吨|亩)|多大|how (many|much)", re.IGNORECASE)

_GENERIC = re.compile(r"(?:到|至|截至|在)?20\d\d年?(?:底|末)?(?:前)?|十四五|十三五|末|目标|指标|具体|数值|多少|是多少|要到|达到|要求|怎么|如何|表述|什么|哪些|哪个|"
                      r"这一行|那一栏|那栏|这一栏|正文里|正文|指标表|基期|基准|基数|约束性|预期性|来源|写的|写|栏|里|的|是|要|啥|吗|呢|\?|？")
# asking words and role words: what remains is the subject a piece of evidence must be about
_ASKING = re.compile(r"牵头|负责|参与|单位|部门|哪个|哪家|哪些|哪几项|哪几|由谁|谁来|谁|归谁管|管|抓|主抓|什么时候|何时|之前|前|完成|"
                     r"规划|规定|里|中|有|没有|请问|一下|呢|吗|啊|吧|呀|那|这|它|该|其|项|任务|工作|事|情况|"
                     r"who|what|which|when|how|the|is|are|does|do|of|for|in|to|a|an|and|plan")


def content_of(question: str) -> str:
    """The question without its generic asking words: what a matching fact must be about."""
    return _GENERIC.sub("", question)


def subject_of(question: str) -> str:
    """Stricter than ``content_of``: also without role and asking words (谁牵头, 哪个部门)."""
    return _ASKING.sub("", content_of(question)).strip(" ,，、。.?？")


# words that frame a question without saying what it is about: when (截止时间, 哪年前, 最晚), politeness
# (麻烦问下, 帮我查一下) and the bare pointers left over (这个 -> 个, 目标值 -> 值)
_FRAME = re.compile(r"截止|截至|时间|时候|期限|时限|日期|节点|哪一?年|哪天|几月|最晚|最迟|搞定|办完|做完|弄完|"
                    r"麻烦|问下|问一下|请教|帮我|帮忙|查一?下|看一?下|想知道|你好|您好|个|值|数|下|[，,、。！!\s]")


def has_subject(question: str) -> bool:
    """Whether anything is left once asking, framing and politeness words are gone ("截止时间是哪年？" has
    nothing: which task's deadline is unknown, so any answer would be a guess)."""
    return len(_FRAME.sub("", subject_of(question))) >= 2


# share of a task title's bigrams a question must contain to name that task
MIN_TITLE_NAMED = 0.85


def task_titled(engine, text: str):
    """The responsibility record of the plan task whose title the question names nearly whole, unquoted
    ("昌吉州土壤地下水规划里，严格控制涉重金属行业污染物排放这项工作"): the question's other words (规划里,
    昌吉州) must not send retrieval elsewhere. Of titles named alike, the longest (the most specific)."""
    best, best_key = None, (MIN_TITLE_NAMED, 0)
    for resp in engine.corpus.facts.responsibilities:
        title = resp.title.rstrip("。.;；,， ")
        if len(title) < 4 or not resp.note:
            continue
        key = (coverage(title, text), len(title))
        if key >= best_key:
            best, best_key = resp, key
    return best


def paragraph_titled(engine, text: str) -> Clause | None:
    """The plan paragraph whose heading the question quotes (“因地制宜,精准治污”, a principle; a task's title):
    the paragraph is what that heading means. Only a quoted phrase counts, nearly whole, so words a question
    merely shares with a heading do not pick it."""
    plain = lambda s: re.sub(r"[\s,，、。;；]", "", s)  # noqa: E731
    for quoted in re.findall(r"[“\"]([^”\"]{4,40})[”\"]", text):
        for clause in engine.corpus.plan():
            title = plain(clause.title)
            if len(title) >= 4 and len(title) <= 40 and (title == plain(quoted) or (
                    coverage(title, quoted) >= MIN_TITLE_NAMED and abs(len(title) - len(plain(quoted))) <= 2)):
                return clause
    return None


def readable_quote(engine, clause: Clause, question: str, n: int = 3) -> str:
    """A clause quoted whole when short enough to read at once, else by its ``n`` sentences best for ``question``."""
    whole = clause.text.strip()
    return whole if len(whole) <= engine.policy.article_whole_chars else best_span(clause, question, n=n)


def paragraph_answer(engine, intent, clause: Clause) -> Draft:
    """A paragraph named by its heading, quoted so that it reads whole."""
    draft = Draft(intent.kind)
    quote = readable_quote(engine, clause, intent.match_text)
    draft.text = f"{quote}[{draft.cite(clause, quote)}]"
    draft.support = 1.0  # the paragraph is named by its heading
    return draft


def title_or_span(clause: Clause, search_text: str) -> str:
    span = best_span(clause, search_text)
    return span if len(span) <= 120 else clause.title


def span_containing(text: str, fragment: str) -> str:
    for start, end in sentences(text):
        if fragment in text[start:end]:
            return text[start:end].strip()
    return fragment  # Draft.cite checks it and falls back to the clause's title


def describe_target(t: Target, n: int) -> str:
    if t.origin == "table":
        parts = [f"指标表“{t.indicator}”：{t.year}年目标 {t.target}"]
        parts.append(f"基期（2020年）{t.baseline}" if t.baseline and t.baseline != "--" else "基期未给出（--）")
        if t.kind:
            parts.append(f"指标属性：{t.kind}")
        parts.append(f"来源：{t.source_doc}" if t.source_doc else "来源栏为空")
        return "，".join(parts) + f"。[{n}]"
    if squash(t.indicator) == squash(t.target):  # a goal stated in words is its own indicator: said once
        return f"到{t.year}年，目标为{t.target}[{n}]（原文：“{t.sentence}”）。"
    return f"到{t.year}年，{t.indicator}{'' if t.target.startswith(('达到', '保持', '稳', '得到', '均')) else '目标为'}{t.target}[{n}]（原文：“{t.sentence}”）。"


def repeal_notice(law) -> str:
    """Said on a citation card of a repealed law: repealed by what, from when (废止 and 施行 kept apart)."""
    if law and law.repealed_by:
        return f"《{law.name}》已被《{law.repealed_by}》废止（自{law.repealed_from}起不再施行）"
    return ""


def other_year(span: str, years: list[int]) -> bool:
    """The span names years, and none of them is one asked about."""
    named = {int(y) for y in re.findall(r"(20\d\d)年", span)}
    return bool(named) and not named & set(years)


def asks_future(question: str) -> bool:
    return bool(re.search(r"十四五|2025|今后|将要|计划安排", question))


def period_mismatch(question: str, clause: Clause) -> bool:
    """Asking about the 14th FYP (or a future amount) while the only evidence is 13th-FYP history."""
    return asks_future(question) and clause.section.startswith("一、规划背景 > （一）")  # the 十三五 results, not the outlook


def generalised_article(engine, clause: Clause, question: str, sure: list) -> Clause | None:
    """A repealed article a Code article carries without certainty, when it says what was asked more closely
    than the Code does (土壤法第十八条 on 建设项目土壤环境影响评价, which 法典第八十三条 states for every
    project): the plan cites that law, so its article is shown too, marked as inferred."""
    if not clause.source.endswith("法典") or not clause.article_no:
        return None
    known = {c.clause_id for c, _ in sure}
    asked = {g for g in bigrams(question) if g in engine.vocabulary}
    code_says = asked & bigrams(clause.text)
    for c in currency.replaced_articles(clause.article_no, engine.correspondences):
        if c.certain or c.clause_id in known:
            continue
        old = engine.corpus.by_id.get(c.clause_id)
        said = asked & bigrams(old.text) if old is not None else set()
        # all the Code says of the question, and a word of it more (土壤): the narrower rule is the one asked
        if said and code_says <= said and said - code_says:
            return old
    return None


def carried_articles(engine, clause: Clause) -> list:
    """(correspondence, old article or None) for each repealed article a Code article carries with certainty,
    most confident first: the plan and older rulings cite the old law's numbers."""
    if not clause.source.endswith("法典") or not clause.article_no:
        return []
    out = []
    for c in currency.replaced_articles(clause.article_no, engine.correspondences):
        if not c.certain:
            break
        found = engine.index.lookup_article(f"{c.law}{c.article}")
        out.append((c, found.clause if found is not None else None))
    return out
