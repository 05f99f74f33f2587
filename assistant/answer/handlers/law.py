"""Law articles (by number, or by topic inside a law or across the laws) and a law's currency.

A repealed law is answered from its own article, says it is repealed, and points to the Code's
article; currency questions ("还有效吗") cite the repealing or the effective-date article.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.handlers import handler
from assistant.answer.handlers.common import carried_articles, generalised_article, repeal_notice, subject_of, task_titled
from assistant import currency
from assistant.answer.model import Draft
from assistant.retrieve import Hit
from assistant.textmatch import best_span, bigrams, coverage, rerank
from assistant.zh import ARTICLE_REF, PENALTY, sentences

# the question asks what applies today, not what the (repealed) law it names said
ASKS_NOW = re.compile(r"现在|现行|目前|如今|眼下|今后|法典|\b(now|current|currently|today)\b", re.IGNORECASE)
_ASKING = re.compile(r"按照|根据|按|依照|哪一?条|第几条|规定了?|有什么|什么|怎么|要求|是|的|[《》?？,，]")


def without_law_names(engine, text: str) -> str:
    """The question minus law names, abbreviations and asking words (哪条规定了…)."""
    for name in engine.law_names:
        text = text.replace(name, " ")
    return _ASKING.sub(" ", text)


ACT_SHARE = 0.7  # of the best-said act's coverage another item of the list needs to count as asked too


def penalty_span(article, question: str, limit: int = 500) -> str:
    """The matching act and the sentences that set its fine, as one verbatim span (they are often apart:
    "有下列情形之一的…：（一）…" then "有前款第一项…的，处二万元以上…"; "…处一万元以上…；…为个人的，可以处二百元…").

    A sentence sets a fine when it names an amount (or detention, revocation); a bare "处以罚款" does not.
    From the act, the span runs to the last such sentence after it when that fits in ``limit``, else to the first;
    when every such sentence comes before the act, from the earliest that fits.
    """
    text = article.text
    spans = sentences(text)
    amounts = [(a, b) for a, b in spans if re.search(r"[\d一二三四五六七八九十百千万]+元|拘留|吊销", text[a:b])]
    fine = amounts or [(a, b) for a, b in spans if re.search(r"罚款|拘留|没收|吊销|责令停", text[a:b])]
    best = best_span(article, question, n=1)
    start = text.find(best)
    if not fine or start < 0:
        return best_span(article, question, n=3)
    lines = [m for m in _ITEM.finditer(text)]  # the act asked about may be one item of a list: which one
    act = max(lines, key=lambda m: coverage(question, m.group(0)), default=None)
    item = re.match(r"（([一二三四五六七八九十]+)）", act.group(0)) if act and coverage(question, act.group(0)) > 0 else None
    # a question may name two acts of the list (不搞自行监测、篡改监测数据): each nearly as well said counts
    acts = {re.match(r"（([一二三四五六七八九十]+)）", m.group(0)).group(1) for m in lines
            if item and coverage(question, m.group(0)) >= ACT_SHARE * coverage(question, act.group(0))}

    def applies(a: int, b: int) -> bool:  # "有前款第四项、第五项情形之一的…" is about those items only
        named = re.findall(r"第([一二三四五六七八九十]+)项", text[a:b])
        return not (item and named) or bool(acts & set(named))

    after = [(a, b) for a, b in fine if b > start and applies(a, b)]
    intro = [(a, b) for a, b in spans if item and b <= act.start() + 1 and "下列" in text[a:b]]
    if intro:
        # the act is one item of "有下列情形之一的，…：（一）…": quote from the sentence that opens the list (it
        # often sets the fine for every item) to the item, and on to a later sentence that fines that item
        lo, hi = intro[-1][0], act.end()
        later = [b for a, b in after if a >= hi and b - lo <= limit]
        hi = later[-1] if later else hi
        if hi - lo <= limit and any(lo <= a < hi for a, b in fine):
            return text[lo:hi].strip()
    if after:
        within = [(a, b) for a, b in after if b - start <= limit]
        lo, hi = start, (within[-1] if within else after[0])[1]
    else:  # "有下列行为之一的，…处十万元以上…：（一）…（五）…": the fines come first, then the acts
        hi = start + len(best)
        lo = next((a for a, b in fine if hi - a <= limit), fine[-1][0])
    return text[lo:hi].strip() if hi - lo <= limit else best


# the question asks for the items of a list (哪些义务, 包括哪些内容, 哪几项, 哪三类)
ASKS_LIST = re.compile(r"哪些|哪几|哪[两三四五六七八九十]|包括什么|什么内容|几项|几类|分别|列举|"
                       r"\b(which|what) (items|obligations|duties|contents|measures|requirements)\b", re.IGNORECASE)
_ITEM = re.compile(r"^（[一二三四五六七八九十]+）.*$", re.MULTILINE)


def list_span(article, question: str, limit: int = 700) -> str | None:
    """An article's enumerated items (（一）…（二）…) with the sentence that introduces them, as one verbatim
    span, when the question's best sentence lies in that list; None when the article has no such list."""
    text = article.text
    items = list(_ITEM.finditer(text))
    if len(items) < 2:
        return None
    # consecutive items form one list; an article may hold several (each introduced by its own sentence)
    runs, run = [], [items[0]]
    for m in items[1:]:
        if text[run[-1].end():m.start()].strip():
            runs.append(run)
            run = [m]
        else:
            run.append(m)
    runs.append(run)
    best = best_span(article, question, n=1)
    at = text.find(best)
    for run in runs:
        lead_start = text.rfind("\n", 0, run[0].start() - 1) + 1  # the line introducing the items (下列义务：)
        start, end = lead_start, run[-1].end()
        if at < 0 or not (start <= at < end or run[0].start() <= at + len(best) <= end):
            continue
        while end - start > limit and len(run) > 2:
            run = run[:-1]
            end = run[-1].end()
        return text[start:end].strip()
    return None


def _support(engine, asked: str, article, task: str | None = None) -> float:
    """How much of what is asked the article covers: the asked words, or the subject in the corpus's words
    (as the engine scores every draft), or, for a question naming a plan task, one of the task's sentences,
    whichever is higher."""
    said = [coverage(task[a:b], article.text) for a, b in sentences(task) if b - a >= 8] if task else []
    return max([coverage(asked, article.text), engine.covers(subject_of(asked) or asked, article.text)] + said)


def task_named(engine, text: str) -> str | None:
    """The paragraph (without its responsibility note) of the plan task whose title the question names
    nearly whole, or None."""
    named = task_titled(engine, text)
    if named is None:
        return None
    paragraph = engine.corpus.by_id[named.clause_id].text
    return paragraph.replace(named.note, " ") if named.note else paragraph


def _liability(clauses) -> list:
    """Articles that set a penalty: the 法律责任 chapter where the law file marks it, else by wording."""
    marked = [c for c in clauses if "法律责任" in (c.section or "")]
    # of the chapter, the articles that set a sanction first: "罚多少" is not answered by a civil-liability article
    # (依法承担民事侵权责任) of the same chapter
    sanctions = [c for c in marked if re.search(r"罚|没收|拘留|吊销|责令停产|处分", c.text)]
    return sanctions or marked or [c for c in clauses if re.search(r"罚款|处以|没收|拘留|吊销|责令停产", c.text)]


# a definition asked of the laws, and the wording of an article that gives one (本法所称土壤污染，是指…)
DEFINES = re.compile(r"(?<!法)定义|是什么意思|什么意思|含义|指什么|是指什么|指的是什么|算是什么|\bdefin(?:e|es|ed|ition)\b|\bmeaning of\b|"
                     r"\bwhat counts as\b|\bwhat is meant by\b",
                     re.IGNORECASE)
DEFINING = re.compile(r"所称[^。；]{1,40}?(?:是指|指)|用语的含义|(?:^|\n|（[一二三四五六七八九十]+）)[^，。；\n]{1,20}，是指")


# a question for the kinds something is divided into (分成哪几类, 有哪几种)
# whether a law reaches something (管不管地下水, 适用于…吗, does it cover): its scope article (本法适用于…)
APPLIES = re.compile(r"管不管|管得着|管得到|适用于?[^，。？?]{0,12}吗|是否适用|适不适用|适用范围|\bappl(?:y|ies) to\b|\bcover(?:s|ed)?\b",
                     re.IGNORECASE)
ASKS_KINDS = re.compile(r"哪(?:几|[两三四五六七八九十])(类)")  # 哪几种综合利用 lists uses, not kinds named …种


def _names_kinds(text: str, kind: str) -> bool:
    """Whether an article lists two or more items named as kinds: 划分为优先保护类、安全利用类和严格管控类."""
    return any(len(re.findall(rf"[\u4e00-\u9fff]{{2,8}}{kind}(?=[、和及与或，,。；;）)]|$)", run)) >= 2
               for run in re.split(r"[。；;：:\n]", text))


def _without_plan_premise(engine, intent):
    """"规划要求…落实地下水防渗和监测，如果企业不做防渗…按水污法罚多少": what the plan says comes first and is
    cited from the plan (the engine adds it); the law is searched with what is asked of the law, after it."""
    from assistant.answer.engine import PLAN_PREMISE, PLAN_PREMISE_EN  # noqa: PLC0415 - the engine imports the handlers

    if intent.english:  # "The plan pushes film recycling to 85%+. What legal duty …": the sentence after it
        said = PLAN_PREMISE_EN.match(intent.text)
        rest = re.split(r"(?<=[.?;])\s+", intent.text, maxsplit=1)[1] if said and re.search(r"[.?;]\s", intent.text) else ""
        if len(rest.split()) < PREMISE_REST_WORDS:
            return intent
        return replace(intent, text=rest, search_text=engine.glossary.expand(rest), implied="")
    said = PLAN_PREMISE.match(intent.text)
    rest = intent.text[said.end():].lstrip("，,；;。 ") if said else ""
    if len(re.findall(r"[\u4e00-\u9fff]", rest)) < PREMISE_REST_CHARS:
        return intent
    # the plan's shorthand the premise used (“两场两区” -> 化学品生产企业、尾矿库…) stays only if the law's part uses it
    return replace(intent, text=rest, search_text=rest, implied=intent.implied if "“" in rest else "")


# what the law's part of a premise-led question needs to be searched on its own: characters, or English words
PREMISE_REST_CHARS = 6
PREMISE_REST_WORDS = 5


@handler("law_article")
def law_article(engine, intent) -> Draft:
    draft = _law_article(engine, intent)
    if draft.abstained:  # the premise's words may have drowned the law's part: searched once more without them
        focused = _without_plan_premise(engine, intent)
        if focused is not intent:
            again = _law_article(engine, focused)
            if not again.abstained:
                return again
    return draft


def _law_article(engine, intent) -> Draft:
    index, policy = engine.index, engine.policy
    direct = index.lookup_article(intent.text)
    law = intent.laws[0] if intent.laws else None
    scope = law.name if law else (intent.document or "laws")
    # what the article must be about; the plan's shorthand in the laws' words (一住两公 -> 住宅、…)
    asked = without_law_names(engine, f"{intent.match_text} {intent.implied}".strip())
    asked_number = ARTICLE_REF.search(intent.text)
    if direct is None and asked_number and (law is not None or "法典" in intent.text):
        target = law or engine.corpus.law("生态环境法典")
        return engine.abstain(intent, f"所收录的《{target.name}》文本中没有{asked_number.group(0)}。"
                              if target else "所收录的法律中没有这一条。", absence=0.9)
    task = None if direct else task_named(engine, intent.text)
    ranked_by = asked
    if task is not None:
        # "加强新污染物治理，法典里对应哪条": the task's title is a heading; the law that carries it is found by
        # what its paragraph asks (制定公布重点管控新污染物清单), so the paragraph is searched and ranked with
        ranked_by = f"{asked} {task}"
        intent = replace(intent, search_text=f"{intent.search_text} {task}")
    if direct:
        article = direct.clause
        support = 1.0
    else:
        hits = engine.search(intent, k=8, scope=scope)
        code = engine.corpus.law("生态环境法典")
        if law is None and intent.document is None and code is not None:
            # no law named: the law in force answers first; a repealed law only when the Code has nothing close
            in_force = engine.search(intent, k=8, scope=code.name)
            if in_force and _support(engine, asked, rerank(in_force[:5], ranked_by, policy.rank_bonus)[0].clause, task) >= \
                    policy.min_fact_coverage:
                hits, scope = in_force, code.name
        if PENALTY.search(intent.text):  # 罚多少 / 怎么处罚: the answer is a legal-liability article
            pool = _liability([h.clause for h in engine.search(intent, k=40, scope=scope)])
            liable = {c.clause_id for c in pool}
            own = [h for h in hits if h.clause.clause_id in liable] or \
                [h for h in engine.search(intent, k=40, scope=scope) if h.clause.clause_id in liable][:5]
            if law is not None and law.repealed_by:  # a repealed law's penalties are the Code's today
                current = set(currency.current_liability_articles(law.name, engine.corpus, engine.correspondences))
                code_hits = [h for h in engine.search(intent, k=40, scope=law.repealed_by)
                             if h.clause.clause_id in current][:5]
                # "土壤法本身怎么罚": the law named answers from its own article (the Code's counterpart is added
                # below); "现在 / 按法典": the Code's article first. The Code also answers when the named law
                # has no liability article close to the act asked about.
                own_fit = max((coverage(asked, h.clause.text) for h in own[:5]), default=0.0)
                if ASKS_NOW.search(intent.text) or own_fit < policy.min_fact_coverage:
                    own = code_hits + own
                else:
                    own = own[:5]
            hits = own or hits
        elif DEFINES.search(intent.text):  # "土壤污染是怎么定义的": the article that says 所称X，是指…
            defining = [h for h in engine.search(intent, k=40, scope=scope) if DEFINING.search(h.clause.text)]
            if law is not None:  # a law's few defining articles (用语的含义), wherever retrieval ranked them
                seen = {h.clause.clause_id for h in defining}
                defining += [Hit(c, 0.0, via="lookup") for c in engine.corpus.clauses
                             if c.source == law.name and c.clause_id not in seen and DEFINING.search(c.text)]
            term = DEFINES.sub(" ", asked)  # what is defined, without the asking words (的定义) no article has
            defining = rerank(defining, term, policy.rank_bonus)
            if defining and _support(engine, term, defining[0].clause, task) >= policy.min_fact_coverage:
                hits, ranked_by = defining, term
        elif law is not None and APPLIES.search(intent.text):  # "水污染防治法管不管地下水": the law's scope article
            applying = [Hit(c, 0.0, via="lookup") for c in engine.corpus.clauses
                        if c.source == law.name and re.search(r"本法适用于|适用本法", c.text)]
            term = APPLIES.sub(" ", asked)
            applying = rerank(applying, term, policy.rank_bonus)
            if applying and _support(engine, term, applying[0].clause, task) >= policy.min_fact_coverage:
                hits, ranked_by = applying, term
        if not hits:
            return engine.abstain(intent, "所收录的法律中没有找到相关条文。")
        kinds = ASKS_KINDS.search(intent.text)
        if kinds:  # 分成哪几类: the article that names the kinds (划分为优先保护类、安全利用类和严格管控类) first
            naming = [h for h in hits[:8] if _names_kinds(h.clause.text, kinds.group(1))]
            hits = naming + [h for h in hits if h not in naming]
        article = (hits[0] if kinds and naming else rerank(hits[:5], ranked_by, policy.rank_bonus)[0]).clause
        # the subject in the corpus's words (as the engine scores every draft), or the asked words themselves
        support = _support(engine, asked, article, task)
        typed = engine.index.dense_ranking(intent.text, scope)[:1] if intent.english and law is not None else []
        if support < policy.min_fact_coverage * 0.8 and typed:
            # the glossary's words match no article well, but the law is named: its article closest to the question
            # as typed answers, as retrieval would (the glossary's words are no measure of an English question)
            article, support = engine.corpus.by_id[typed[0][0]], policy.min_fact_coverage
        if support < policy.min_fact_coverage * 0.8:
            return engine.abstain(intent, "所收录的法律中没有找到与问题直接对应的条文。")
    draft = Draft(intent.kind)
    bare_ask = direct is not None and len(bigrams(_ARTICLE_ASK.sub(" ", ARTICLE_REF.sub(" ", asked))) & engine.vocabulary) < 2
    quote = penalty_span(article, intent.match_text) if PENALTY.search(intent.text) else \
        article.text.strip() if len(article.text) <= policy.article_whole_chars else \
        _opening(article, policy.article_whole_chars) if bare_ask else \
        (ASKS_LIST.search(intent.text) and list_span(article, intent.match_text)) or \
        best_span(article, intent.match_text, n=3)
    statute = engine.corpus.law(article.source)
    n = draft.cite(article, quote, notice=repeal_notice(statute))
    draft.text = f"《{article.source}》{article.article}规定：“{quote}”[{n}]"
    if statute and statute.repealed_by:
        draft.text += (f"\n注意：《{statute.name}》已被《{statute.repealed_by}》废止，"
                       f"自{chinese_date(statute.repealed_from)}起不再施行。")
        _code_counterpart(engine, draft, statute, article, intent)
    else:
        sure = carried_articles(engine, article)[:3]
        if sure:  # Code-first: say which repealed article this one now carries, and cite it (the plan cites the old law)
            marks = []
            for c, old in sure:
                if old is None:
                    marks.append(f"原《{c.law}》{c.article}")
                    continue
                said = best_span(old, intent.match_text, n=1)
                marks.append(f"原《{c.law}》{c.article}“{said}”[{draft.cite(old, said, role='原条文')}]")
            draft.text += "（该条承接" + "、".join(marks) + "）"
        specific = generalised_article(engine, article, intent.match_text, sure)
        if specific is not None:  # the Code states it for every case; the repealed law said it of the case asked
            said = best_span(specific, intent.match_text, n=1)
            draft.text += (f"\n原《{specific.source}》{specific.article}专门规定：“{said}”"
                           f"[{draft.cite(specific, said, role='原条文')}]（该条已随该法废止，对应关系为推断）")
    draft.support = max(support, 0.6 if direct else support)
    return draft


# what "第X条规定了什么" asks with, beside the article's number: nothing to choose a sentence by
_ARTICLE_ASK = re.compile(r"规定了?|什么|啥|内容|是什么|说了?|讲了?|写了?|的|了|吗|呢|[？?。，,\s]")


def _opening(article, limit: int) -> str:
    """An article asked for as such (第三百一十七条规定了什么): its opening sentences, up to ``limit`` characters."""
    spans = sentences(article.text)
    end = max((b for a, b in spans if b <= limit), default=spans[0][1] if spans else len(article.text))
    return article.text[:end].strip()


# the question asks which Code article now carries an old one (法典里对应哪条 / 在法典中对应哪一条)
ASKS_COUNTERPART = re.compile(r"对应|法典(里|中)(是)?哪|现在是哪|\bcorrespond|\bcounterpart|\bequivalent", re.IGNORECASE)
COUNTERPART_WHOLE = 600  # characters: a Code article up to this long is quoted whole when it is what was asked


def _code_counterpart(engine, draft: Draft, statute, article, intent) -> None:
    """The Code article that now carries a repealed article: from the correspondence table, stated as certain
    only above its calibrated confidence; below it, 可能对应 and the Code text shown for comparison."""
    found = currency.code_article_for(statute.name, article.article_no, engine.correspondences) \
        if article.article_no else []
    if not found:
        draft.text += f"在《{statute.repealed_by}》中没有找到与{article.article}对应的条文。"
        return
    top = found[0]
    code = engine.corpus.by_id.get(top.code_clause_id)
    if code is None:
        return
    if top.certain:
        # "法典里对应哪条": the Code article is the answer itself, so it is quoted whole (or its best part when long);
        # otherwise it is a note beside the old article and its two matching sentences do
        asked = bool(ASKS_COUNTERPART.search(intent.text))
        quote = code.text if asked and len(code.text) <= COUNTERPART_WHOLE else \
            best_span(code, intent.match_text + article.text, n=4 if asked else 2)
        m = draft.cite(code, quote, role="法典对应条款")
        draft.text += f"该条现为《{statute.repealed_by}》{code.article}：“{quote}”[{m}]"
    else:
        quote = code.text if len(code.text) <= 300 else best_span(code, article.text, n=3)
        m = draft.cite(code, quote, role="法典对应条款（可能）")
        draft.text += (f"可能对应《{statute.repealed_by}》{code.article}（对应关系不确定，请对照两条原文）："
                       f"“{quote}”[{m}]")


def chinese_date(iso: str | None) -> str:
    """2026-08-15 -> 2026年8月15日, as the laws write it."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    return f"{m[1]}年{int(m[2])}月{int(m[3])}日" if m else (iso or "")


@handler("law_status")
def law_status(engine, intent) -> Draft:
    """"土壤污染防治法还有效吗 / 什么时候施行 / 被什么取代": the repealing or the effective-date article first;
    several laws asked together (这几部法还有效吗) get a line each."""
    named = [law for law in intent.laws if not law.name.endswith("法典")] or intent.laws  # the Code is the repealer
    law = named[0] if named else None
    if law is None:
        return engine.abstain(intent, "请说明是哪部法律。")
    draft = Draft(intent.kind)
    repealed = [other for other in engine.corpus.laws if other.repealed_by == law.name]
    if repealed and REPEALS_ASKED.search(intent.text) and len(intent.laws) == 1:
        return _repeals(engine, intent, draft, law, repealed)
    lines = []
    for each in named[:MAX_STATUS_LAWS]:
        line = _status_line(engine, draft, each)
        if line is None and len(named) == 1:
            return engine.abstain(intent, f"《{law.name}》的施行条款不在所收录的文本中。")
        lines += [line] if line else []
    draft.text = "\n".join(lines)
    cited = [(each, d.cited_in) for each in named[:MAX_STATUS_LAWS] for d in engine.corpus.facts.cited_docs
             if d.in_corpus and d.corpus_source == each.name and d.cited_in]
    if cited and re.search(r"规划|plan", intent.text, re.I):
        # "规划根据的这部法还有效吗": where the plan relies on it (the first of several laws asked about)
        each, cited_in = cited[0]
        clause = engine.corpus.by_id[cited_in[0]]
        k = draft.cite(clause, best_span(clause, each.short_name, n=1))
        which = "该法" if len(named) == 1 else f"《{each.name}》"
        draft.text += f"\n规划在 {'、'.join(cited_in)} 引用了{which}[{k}]。"
    draft.support = 1.0
    return draft


# laws answered in one status question (这几部法还有效吗): the plan never cites more at once
MAX_STATUS_LAWS = 6


def _status_line(engine, draft: Draft, law) -> str | None:
    """One law's status, cited: repealed (by which article, since when) or in force (its effective-date article)."""
    repealed = [other for other in engine.corpus.laws if other.repealed_by == law.name]
    effective = currency.effective_clause(law.name, engine.corpus.clauses)
    if law.repealed_by and law.repeal_clause_id in engine.corpus.by_id:
        repeal = engine.corpus.by_id[law.repeal_clause_id]
        quote = best_span(repeal, law.short_name + "废止", n=1)
        n = draft.cite(repeal, quote, role="废止条款")
        text = (f"《{law.name}》已废止：《{law.repealed_by}》自{chinese_date(law.repealed_from)}起施行，"
                f"其{repeal.article}规定该法同时废止[{n}]。现应适用《{law.repealed_by}》的相应条文。")
        if effective is not None:
            m = draft.cite(effective, best_span(effective, "施行", n=1), role="施行条款")
            text += f"该法原自{chinese_date(law.effective_date)}起施行[{m}]。"
        return text
    if effective is None:
        return None
    # a law that repealed others says so in the same article: its status includes what it replaced
    quote = effective.text.strip() if repealed and len(effective.text) <= engine.policy.article_whole_chars \
        else best_span(effective, "施行", n=1)
    n = draft.cite(effective, quote, role="施行条款")
    return f"《{law.name}》现行有效（法律数据库状态：{law.status}），{effective.article}规定：“{quote}”[{n}]。"


# what a law repeals (法典同时废止了哪些法律), as opposed to whether it is repealed (被废止了吗)
REPEALS_ASKED = re.compile(r"(?<!被)废止了?(哪些|哪几|什么|多少|几部)|(?<!被)同时废止|取代了?(哪些|哪几|什么)|"
                           r"\b(which|what) laws?\b.*\brepeal", re.IGNORECASE)


def _repeals(engine, intent, draft: Draft, law, repealed: list) -> Draft:
    """The laws a law repeals, quoted from its repealing article (the sentence naming them)."""
    clause = engine.corpus.by_id.get(repealed[0].repeal_clause_id or "")
    if clause is None:
        return engine.abstain(intent, f"《{law.name}》的废止条款不在所收录的文本中。")
    quote = next((clause.text[a:b].strip() for a, b in sentences(clause.text) if "废止" in clause.text[a:b]),
                 clause.text)
    n = draft.cite(clause, quote, role="依据")
    draft.text = (f"《{law.name}》{clause.article}规定：“{quote}”[{n}]\n"
                  f"所收录的法律中，" + "、".join(f"《{other.name}》" for other in repealed)
                  + f"自{chinese_date(repealed[0].repealed_from)}起随之废止。")
    draft.support = 1.0
    return draft


@handler("legal_bases")
def legal_bases(engine, intent) -> Draft:
    """"规划引用的法律哪些已经废止了": the repealed laws the plan cites, where, and the repealing article."""
    reply = currency.legal_bases_reply(engine.corpus, engine.correspondences)
    return _from_reply(engine, intent, reply)


def _from_reply(engine, intent, reply) -> Draft:
    """A currency module reply as a draft: its text, then each clause it rests on, cited."""
    draft = Draft(intent.kind, list_answer=len(reply.cite) > 1)  # every clause it names stays cited
    marks = []
    for clause_id in reply.cite:
        clause = engine.corpus.by_id.get(clause_id)
        if clause is not None:
            quote = best_span(clause, intent.match_text, n=1)
            marks.append(f"[{draft.cite(clause, quote)}]")
    if not marks:
        return engine.abstain(intent, reply.text, absence=0.6)
    draft.text = reply.text + "".join(marks)
    draft.support = 1.0
    return draft
