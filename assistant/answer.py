"""The only place that decides what to say: extractive answers, each claim cited to its clause.

Flow per question: clean → understand (intent.py) → find evidence (facts first, then the
hybrid retriever) → compose (the fact first, then the source's own words) → check every
quote occurs verbatim in its clause → or abstain, offering the closest clauses as 可能相关.
Thresholds are named parameters of ``AnswerEngine``; they were calibrated on the dev set.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from assistant.clauses import Clause, squash
from assistant.config import Settings
from assistant.corpus import get_corpus
from assistant.facts import Responsibility, Target
from assistant.laws import ABBREVIATIONS
from assistant.intent import HISTORY, Glossary, Intent, cited_document, clean_question, understand
from assistant.retrieve import Hit, SearchIndex, open_index
from assistant.textmatch import best_span, coverage, rerank, sentences

NOT_FOUND = "在规划和所收录的法律中没有找到这个问题的答案。"
ASKS_QUANTITY = re.compile(r"多少|(?<!哪)几(个|名|家|项|座|吨)|多大|how (many|much)", re.IGNORECASE)
RELATIONS = ("联合牵头", "共同负责", "未写明牵头")
# “一住两公”(住宅、公共管理与公共服务用地) / “一企一库”“两场两区”(即…): a quoted term and its explanation
DEFINED_TERM = re.compile(r"“[^”]{1,12}”(?:“[^”]{1,12}”)*\s*[(（][^()（）]{2,80}[)）]")


def place_names(text: str) -> list[str]:
    """Place names in a question (jieba's ns tag), to spot questions about another region."""
    import jieba.posseg  # noqa: PLC0415 - loaded on first use; shares jieba's dictionary

    return [word for word, flag in jieba.posseg.cut(text)
            if flag == "ns" and len(word) >= 3 and re.search(r"(市|州|县|地区|盟|省)$", word) and not word.startswith("各")]


UNIT_ASKED = [(r"预算|资金|投资|经费|多少钱|budget|fund|invest", "元")]  # money questions need an amount in 元
NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万]+(个|名|家|项|座|类|种|吨|元)")


@dataclass
class Citation:
    n: int
    clause: Clause
    quote: str  # verbatim substring of clause.text
    role: str = "依据"  # 依据 | 责任注释 | 法典对应条款
    notice: str = ""  # e.g. the law was repealed by the Code

    def to_json(self) -> dict:
        c = self.clause
        return {"n": self.n, "clause_id": c.clause_id, "source": c.source, "article": c.article,
                "section": c.section, "title": c.title, "text": c.text, "quote": self.quote,
                "role": self.role, "notice": self.notice, "label": c.label()}


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Clause] = field(default_factory=list)  # 可能相关, offered when abstaining; not citations
    intents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.text, "abstained": self.abstained,
                "citations": [c.to_json() for c in self.citations],
                "related": [{"clause_id": c.clause_id, "source": c.source, "article": c.article,
                             "section": c.section, "title": c.title, "text": c.text, "label": c.label()}
                            for c in self.related],
                "intents": self.intents, "notes": self.notes}

    def render_text(self) -> str:
        lines = [self.text, ""]
        for c in self.citations:
            lines.append(f"[{c.n}] {c.clause.clause_id} · {c.clause.label()}" + (f"（{c.role}）" if c.role != "依据" else ""))
            lines.append(f"    “{c.quote}”")
            if c.notice:
                lines.append(f"    注意：{c.notice}")
        if self.related:
            lines.append("可能相关（不是引文）：")
            lines += [f"  - {c.clause_id} · {c.label()}：{c.text[:60]}…" for c in self.related]
        return "\n".join(lines).rstrip()


_GENERIC = re.compile(r"20\d\d年?|十四五|十三五|末|目标|指标|具体|数值|多少|是多少|要到|达到|要求|怎么|如何|表述|什么|哪些|哪个|"
                      r"这一行|那一栏|那栏|这一栏|正文里|正文|指标表|基期|基准|基数|约束性|预期性|来源|写的|写|栏|里|的|是|要|啥|吗|呢|\?|？")


def content_of(question: str) -> str:
    """The question without its generic asking words: what a matching fact must be about."""
    return _GENERIC.sub("", question)


# ------------------------------------------------------------------------------------ engine


class AnswerEngine:
    """Answers questions; safe to share between threads (the app's sessions)."""

    # thresholds, calibrated on the dev set (see README, "Abstention")
    min_fact_coverage: float = 0.30  # share of the question's bigrams the best clause must contain
    min_deadline_coverage: float = 0.25
    min_target_score: float = 0.55  # 0.3 * indicator->question + 0.7 * question->target coverage
    rank_bonus: float = 0.15  # weight of the retriever's rank when reranking by sentence
    history_bonus: float = 0.2  # a question about 十三五 results prefers the background chapter
    min_term_coverage: float = 0.75  # share of a defined term's bigrams the question must contain
    min_year_target_score: float = 0.3  # "what does the plan say for 2035 about X": a looser match will do
    max_list: int = 30

    def __init__(self, index: SearchIndex, glossary: Glossary):
        self.index, self.corpus, self.glossary = index, index.corpus, glossary
        self._lock = threading.Lock()
        self._plan_text = squash("".join(c.text for c in self.corpus.plan()))
        self._responsibility = {r.clause_id: r for r in self.corpus.facts.responsibilities}
        self._known_years = {int(y) for y in re.findall(r"(20\d\d)", self._plan_text)}
        self._law_names = sorted({n for law in self.corpus.laws for n in (law.name, law.short_name)}
                                 | set(ABBREVIATIONS), key=len, reverse=True)  # longest first

    @staticmethod
    def open(settings: Settings | None = None, notice: Callable[[str], None] | None = None,
             progress: Callable[[str, int, int], None] | None = None) -> "AnswerEngine":
        settings = settings or Settings.from_env()
        corpus = get_corpus(settings)
        index = open_index(settings, corpus, notice=notice, progress=progress)
        index.warm_up()
        return AnswerEngine(index, Glossary.load(settings.corpus_dir / "glossary_en.json"))

    # -- entry point ---------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        raw = question if isinstance(question, str) else str(question)
        limit = self.index.settings.max_question_chars
        if len(raw) > limit:
            return Answer(raw[:200], f"问题太长（{len(raw)} 字）。请把问题缩短到 {limit} 字以内，一次问一件事。",
                          True, notes=["too_long"], seconds=time.perf_counter() - started)
        text, notes = clean_question(raw)
        if not re.search(r"\w", text):
            return Answer(raw, "请输入一个问题，例如：“哪个部门牵头农村生活污水治理？”", True, notes=notes + ["empty"],
                          seconds=time.perf_counter() - started)
        intents = understand(text, self.corpus, self.glossary)
        parts = [self._answer_one(intent) for intent in intents]
        answer = self._merge(raw, parts, intents)
        answer.notes = notes + answer.notes
        if notes:
            answer.text = " ".join(notes) + "\n" + answer.text
        answer.seconds = time.perf_counter() - started
        return answer

    # -- per intent ----------------------------------------------------------------------
    def _answer_one(self, intent: Intent) -> "Draft":
        handler = {"lead_bureau": self._lead, "list_by_bureau": self._list, "standing_rule": self._standing,
                   "target": self._target, "deadline": self._deadline, "definition": self._definition,
                   "law_article": self._law, "cited_document": self._cited_document}.get(intent.kind, self._fact)
        refusal = self._out_of_scope(intent)
        if refusal:
            return self._abstain(intent, refusal)
        return handler(intent)

    def _out_of_scope(self, intent: Intent) -> str | None:
        """Questions whose subject the corpus never covers: other years, places, contact details."""
        q = intent.text
        if re.search(r"电话|手机|联系方式|邮箱|e-?mail|phone|网址|微信", q, re.IGNORECASE):
            return "规划和法律中没有联系方式类信息。"
        for year in intent.years:
            if year not in self._known_years and intent.kind in ("target", "deadline", "fact"):
                return f"规划没有提出 {year} 年的目标或时限（规划期为“十四五”，远景到 2035 年）。"
        for place in place_names(q) if intent.kind != "law_article" else []:
            if squash(place) not in self._plan_text:
                return f"规划只覆盖昌吉州，没有关于“{place}”的内容。"
        return None

    def _plan_hits(self, intent: Intent, k: int = 5) -> list[Hit]:
        return self.index.search(intent.search_text, k=k, scope="plan")

    def _task_hit(self, intent: Intent) -> tuple[Hit | None, Responsibility | None]:
        """The task asked about: among the top hits that carry a responsibility, the best-matching sentence wins."""
        hits = self._plan_hits(intent, k=6)
        by_clause = self._responsibility
        tasks = [h for h in hits[:3] if by_clause.get(h.clause.clause_id) and by_clause[h.clause.clause_id].note]
        if not tasks:
            return (hits[0] if hits else None), None
        best = rerank(tasks, intent.match_text, self.rank_bonus)[0]
        return best, by_clause[best.clause.clause_id]

    def _lead(self, intent: Intent) -> "Draft":
        hit, resp = self._task_hit(intent)
        if hit is None or resp is None:
            return self._fact(intent)
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
        n = draft.cite(task, best_span(task, intent.search_text) if resp.inherited_from else _title_or_span(task, intent))
        note_clause = self.corpus.by_id[resp.note_clause_id]
        m = draft.cite(note_clause, resp.note, role="责任分工") if resp.inherited_from else n
        text += f"[{n}] 责任分工原文：{resp.note}[{m}]"
        if resp.inherited_from:
            text += "（本任务跨多段，责任注释写在最后一段）"
        irregular = [f for f in resp.flags if "最后一段" not in f]  # the inheritance is already said above
        if irregular:
            text += f"（注：{'；'.join(irregular)}）"
        draft.text = text
        return draft

    def _standing(self, intent: Intent) -> "Draft":
        rules = self.corpus.facts.standing_rules
        if not rules:
            return self._lead(intent)
        rule = rules[0]
        clause = self.corpus.by_id[rule.clause_id]
        draft = Draft(intent.kind)
        quote = re.search(r"以下均需要[^)）]*", clause.text)
        n = draft.cite(clause, quote.group(0) if quote else rule.text)
        draft.text = (f"{'、'.join(rule.implementers)}负责落实全部任务。规划在第一条任务的责任注释中写明："
                      f"“{quote.group(0) if quote else rule.text}”[{n}]，所以此后各任务的注释不再列出它们。")
        return draft

    def _list(self, intent: Intent) -> "Draft":
        facts = self.corpus.facts
        wants = intent.wants
        if not intent.bureaux:  # "哪些任务是联合牵头的": a list by relation, not by bureau
            relation = next(r for r in RELATIONS if r in intent.text)
            return self._list_records(intent, [r for r in facts.responsibilities if r.relation == relation],
                                      f"责任注释为“{relation}”")
        bureau = intent.bureaux[0]
        if "sole" in wants:
            records = [r for r in facts.responsibilities if r.leads == [bureau] and not r.participants
                       and r.relation == "负责"]
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
        return self._list_records(intent, records, f"{bureau}{role_text}")

    def _list_records(self, intent: Intent, records: list[Responsibility], heading: str) -> "Draft":
        """One line per task (paragraphs sharing a note are one task), each paragraph cited."""
        draft = Draft(intent.kind)
        if not records:
            draft.text = f"规划的责任分工中没有{heading}的任务。"
            return draft
        groups: dict[str, list[Responsibility]] = {}
        for r in records[: self.max_list]:
            groups.setdefault(r.note_clause_id, []).append(r)
        lines = [f"{heading}的任务共 {len(groups)} 项："]
        for i, members in enumerate(groups.values(), start=1):
            marks = "".join(f"[{draft.cite(self.corpus.by_id[r.clause_id], self.corpus.by_id[r.clause_id].title)}]"
                            for r in members)
            head = members[0]
            lines.append(f"{i}. {head.title}{marks} — {head.note}")
        draft.text = "\n".join(lines)
        draft.list_answer = True
        return draft

    def _target(self, intent: Intent) -> "Draft":
        facts = self.corpus.facts
        question = intent.search_text
        if "kind" in intent.wants and re.search(r"哪几项|哪些|which", intent.text) and "约束性" in intent.text + question:
            rows = [t for t in facts.targets if t.origin == "table" and t.kind == "约束性"]
            draft = Draft(intent.kind)
            parts = [f"{t.indicator}（2025年目标 {t.target}）[{draft.cite(self.corpus.by_id[t.clause_id], t.sentence)}]"
                     for t in rows]
            draft.text = f"指标表中的约束性指标有 {len(rows)} 项：" + "；".join(parts) + "。其余指标为预期性。"
            return draft
        scored = []
        core = content_of(intent.match_text)
        for t in facts.targets:
            cov = 0.3 * coverage(t.indicator, intent.match_text) + 0.7 * coverage(core, t.indicator + t.context)
            if t.origin == "table" and "text" in intent.wants:
                cov -= 0.2
            if t.origin == "text" and "table" in intent.wants:
                cov -= 0.2
            if t.origin == "table" and {"baseline", "kind", "source"} & intent.wants:
                cov += 0.1
            if "baseline" in intent.wants and t.baseline is None:
                cov -= 0.5  # only the table has a baseline column
            elif [y for y in intent.years if y >= 2021] and t.year not in intent.years:
                cov -= 0.5
            scored.append((cov, t))
        scored.sort(key=lambda x: -x[0])
        numeric = bool(re.search(r"多少|数值|具体数|几|how (much|many)|what (share|percentage|rate)", intent.text.lower()))
        if scored and numeric and "定性目标" in scored[0][1].flags and scored[0][0] >= self.min_target_score:
            return self._abstain(intent, f"规划对此只有定性表述（“{scored[0][1].sentence}”），没有给出数值。")
        year_matched = bool(intent.years) and any(t.year in intent.years for _, t in scored[:1])
        threshold = self.min_target_score if numeric or not year_matched else self.min_year_target_score
        if not scored or scored[0][0] < threshold:
            footnote = next((f for f in facts.footnotes if coverage(f.term, question) >= 0.8 and not f.in_table), None)
            if footnote:
                return self._abstain(intent, f"表注定义了“{footnote.term}”，但指标表中没有这一行，规划没有给出它的目标值。")
            if re.search(r"多少|数值|具体|how (much|many)|what is the", intent.text.lower()):
                return self._abstain(intent, "规划没有给出这个指标的数值目标。")
            return self._fact(intent)
        best = scored[0][1]
        draft = Draft(intent.kind)
        n = draft.cite(self.corpus.by_id[best.clause_id], best.sentence)
        draft.text = _describe_target(best, n)
        return draft

    def _deadline(self, intent: Intent) -> "Draft":
        hits = self._plan_hits(intent, k=5)
        rank = {h.clause.clause_id: i for i, h in enumerate(hits)}
        scored = []
        for d in self.corpus.facts.deadlines:
            cov = coverage(intent.match_text, d.what) + (0.3 - 0.06 * rank[d.clause_id] if d.clause_id in rank else 0)
            scored.append((cov, d))
        scored.sort(key=lambda x: -x[0])
        if not scored or scored[0][0] < self.min_deadline_coverage:
            return self._fact(intent)
        best = scored[0][1]
        clause = self.corpus.by_id[best.clause_id]
        draft = Draft(intent.kind)
        quote = _span_containing(clause.text, best.what)
        n = draft.cite(clause, quote)
        if best.year is None:
            draft.text = f"规划没有给出具体日期，只要求“{best.what}”[{n}]。"
        else:
            draft.text = f"{best.when}：{best.what}[{n}]。"
        return draft

    def _definition(self, intent: Intent) -> "Draft":
        """Definitions in the plan are “term”(explanation) spans, or a footnote "X指…"."""
        best, best_score = None, 0.0
        for clause in self.corpus.plan():
            for m in DEFINED_TERM.finditer(clause.text):
                terms = re.findall(r"“([^”]{1,12})”", m.group(0))
                score = coverage("".join(terms), intent.text)
                if score > best_score:
                    best, best_score = (clause, m.group(0)), score
        if best and best_score >= self.min_term_coverage:
            draft = Draft(intent.kind)
            n = draft.cite(best[0], best[1])
            draft.text = f"{best[1]}[{n}]"
            return draft
        for f in self.corpus.facts.footnotes:
            if coverage(f.term, intent.search_text) >= 0.8:
                draft = Draft(intent.kind)
                n = draft.cite(self.corpus.by_id[f.clause_id], f.text)
                draft.text = f"{f.text}[{n}]" + ("" if f.in_table else "（注意：指标表中没有这一行。）")
                return draft
        return self._abstain(intent, "规划没有给出这个用语的定义或解释。")

    def _without_law_names(self, text: str) -> str:
        """The question minus law names, abbreviations and asking words (哪条规定了…)."""
        for name in self._law_names:
            text = text.replace(name, " ")
        return re.sub(r"按照|根据|按|依照|哪一?条|第几条|规定了?|有什么|什么|怎么|要求|是|的|[《》?？,，]", " ", text)

    def _cited_document(self, intent: Intent) -> "Draft":
        """Is a document the plan cites in the corpus? The registry says, citing where the plan names it."""
        doc = cited_document(intent.text, self.corpus)
        draft = Draft(intent.kind)
        marks = "".join(f"[{draft.cite(self.corpus.by_id[cid], '《' + doc.title + '》' if '《' + doc.title + '》' in self.corpus.by_id[cid].text else doc.title)}]"
                        for cid in doc.cited_in[: self.index.settings.max_citations])
        where = "、".join(doc.cited_in)
        if doc.in_corpus:
            status = f"其文本已在语料中（{doc.corpus_source}），可以按条引用。" + (f"注意：{doc.note}。" if doc.note else "")
        else:
            status = f"其文本不在语料中（{doc.note or '未收录'}）；有原文的可用 `python -m assistant add 文件 --title 《{doc.title}》` 或应用侧栏添加。"
        draft.text = f"规划在 {where} 引用了《{doc.title}》{marks}；{status}"
        return draft

    def _law(self, intent: Intent) -> "Draft":
        direct = self.index.lookup_article(intent.text)
        law = intent.laws[0] if intent.laws else None
        scope = law.name if law else (intent.document or "laws")
        if direct:
            article = direct.clause
        else:
            hits = self.index.search(intent.search_text, k=3, scope=scope)
            if not hits:
                return self._abstain(intent, "所收录的法律中没有找到相关条文。")
            asked = self._without_law_names(intent.match_text)  # what the article must be about
            article = rerank(hits, asked, self.rank_bonus)[0].clause
            if coverage(asked, article.text) < self.min_fact_coverage * 0.8:
                return self._abstain(intent, "所收录的法律中没有找到与问题直接对应的条文。")
        draft = Draft(intent.kind)
        quote = best_span(article, intent.match_text, n=3)
        statute = self.corpus.law(article.source)
        n = draft.cite(article, quote, notice=_repeal_notice(statute))
        draft.text = f"《{article.source}》{article.article}规定：“{quote}”[{n}]"
        if statute and statute.repealed_by:
            draft.text += f"\n注意：《{statute.name}》已被《{statute.repealed_by}》废止（自{statute.repealed_from}起施行）。"
            code = self.index.search(f"{intent.search_text} {article.match_text}", k=1, scope=statute.repealed_by)
            if code:
                cq = best_span(code[0].clause, intent.search_text + article.text, n=2)
                m = draft.cite(code[0].clause, cq, role="法典对应条款")
                draft.text += f"法典中的对应条文可能是{code[0].clause.article}：“{cq}”[{m}]"
        return draft

    def _fact(self, intent: Intent) -> "Draft":
        hits = self._plan_hits(intent, k=5)
        if not hits:
            return self._abstain(intent, "")
        # the answer sentence must match the question: rerank the top clauses by their best sentence
        history = bool(HISTORY.search(intent.text.lower()))  # 十三五 results live in the background chapter
        bonus = (lambda h: self.history_bonus if h.clause.section.startswith("一、") else 0.0) if history else None
        ranked = rerank(hits, intent.match_text, self.rank_bonus, bonus)
        if ASKS_QUANTITY.search(intent.text):  # a "how many" answer must state a number, in the unit asked
            unit = next((u for pattern, u in UNIT_ASKED if re.search(pattern, intent.text, re.IGNORECASE)), "")
            ranked = [h for h in ranked if NUMBER.search(span := best_span(h.clause, intent.match_text, n=2))
                      and unit in span]
            if not ranked:
                return self._abstain(intent, "规划中没有给出相应的数字。")
        rates = {m[-3:] for m in re.findall(r"[\u4e00-\u9fff]{2,8}率", intent.match_text)}
        if rates:  # asked for a rate (利用率, 处理率), the answer must state that rate
            ranked = [h for h in ranked if all(r in best_span(h.clause, intent.match_text, n=2) for r in rates)]
            if not ranked:
                return self._abstain(intent, f"规划中没有找到所问的“{'、'.join(sorted(rates))}”。")
        if intent.years:  # asked about one year, the answer must not be about another
            ranked = [h for h in ranked if not _other_year(best_span(h.clause, intent.match_text, n=2), intent.years)]
            if not ranked:
                return self._abstain(intent, f"规划没有给出 {'、'.join(map(str, intent.years))} 年的相应内容。")
        top = ranked[0]
        best = top.clause
        cov = coverage(intent.match_text, best.text)
        if cov < self.min_fact_coverage and not (top.bm25_rank == 1 and top.dense_rank == 1):
            return self._abstain(intent, "")
        if _period_mismatch(intent.text, best):
            return self._abstain(intent, "规划只给出了“十三五”期间的情况，没有给出“十四五”的相应数字。")
        draft = Draft(intent.kind)
        quote = best_span(best, intent.match_text, n=2)
        n = draft.cite(best, quote)
        draft.text = f"{quote}[{n}]"
        return draft

    def _abstain(self, intent: Intent, reason: str) -> "Draft":
        draft = Draft(intent.kind, abstained=True)
        draft.text = NOT_FOUND + (reason or "")
        scope = "laws" if intent.kind == "law_article" else "plan"
        draft.related = [h.clause for h in self.index.search(intent.search_text, k=3, scope=scope)]
        return draft

    # -- merging parts -------------------------------------------------------------------
    def _merge(self, question: str, drafts: list["Draft"], intents: list[Intent]) -> Answer:
        citations: list[Citation] = []
        texts, related, abstained = [], [], []
        for draft in drafts:
            renumber: dict[int, int] = {}
            for local_n, (clause, quote, role, notice) in enumerate(draft.cited, start=1):
                existing = next((c for c in citations if c.clause.clause_id == clause.clause_id and c.quote == quote), None)
                if existing is None:
                    existing = Citation(len(citations) + 1, clause, quote, role, notice)
                    citations.append(existing)
                renumber[local_n] = existing.n
            text = re.sub(r"\[(\d+)\]", lambda m: f"[{renumber.get(int(m.group(1)), m.group(1))}]", draft.text)
            if text not in texts:
                texts.append(text)
            related += [c for c in draft.related if c not in related]
            abstained.append(draft.abstained)
        limit = self.index.settings.max_citations
        if not any(d.list_answer for d in drafts):
            citations = citations[: max(limit, len(drafts))]
        all_abstained = all(abstained)
        return Answer(question, "\n".join(texts), all_abstained, citations, related if all_abstained else [],
                      [i.kind for i in intents])


@dataclass
class Draft:
    kind: str
    abstained: bool = False
    text: str = ""
    cited: list[tuple[Clause, str, str, str]] = field(default_factory=list)
    related: list[Clause] = field(default_factory=list)
    list_answer: bool = False

    def cite(self, clause: Clause, quote: str, role: str = "依据", notice: str = "") -> int:
        """Add a citation; the quote must occur verbatim in the clause, always."""
        quote = quote.strip()
        if not quote or quote not in clause.text:  # fall back to the title, or the clause's opening words
            quote = clause.title if clause.title and clause.title in clause.text else clause.text[:60]
        if quote not in clause.text:  # not an assert: it must hold under python -O too
            raise ValueError(f"quote not found verbatim in {clause.clause_id}")
        for i, (c, q, _, _) in enumerate(self.cited, start=1):
            if c.clause_id == clause.clause_id and q == quote:
                return i
        self.cited.append((clause, quote, role, notice))
        return len(self.cited)


def _title_or_span(clause: Clause, intent: Intent) -> str:
    span = best_span(clause, intent.search_text)
    return span if len(span) <= 120 else clause.title


def _span_containing(text: str, fragment: str) -> str:
    for start, end in sentences(text):
        if fragment in text[start:end]:
            return text[start:end].strip()
    return fragment  # Draft.cite checks it and falls back to the clause's title


def _describe_target(t: Target, n: int) -> str:
    if t.origin == "table":
        parts = [f"指标表“{t.indicator}”：{t.year}年目标 {t.target}"]
        parts.append(f"基期（2020年）{t.baseline}" if t.baseline and t.baseline != "--" else "基期未给出（--）")
        if t.kind:
            parts.append(f"指标属性：{t.kind}")
        parts.append(f"来源：{t.source_doc}" if t.source_doc else "来源栏为空")
        return "，".join(parts) + f"。[{n}]"
    return f"到{t.year}年，{t.indicator}{'' if t.target.startswith(('达到', '保持', '稳', '得到', '均')) else '目标为'}{t.target}[{n}]（原文：“{t.sentence}”）。"


def _repeal_notice(law) -> str:
    if law and law.repealed_by:
        return f"《{law.name}》已被《{law.repealed_by}》废止，自{law.repealed_from}起施行"
    return ""


def _other_year(span: str, years: list[int]) -> bool:
    """The span names years, and none of them is one asked about."""
    named = {int(y) for y in re.findall(r"(20\d\d)年", span)}
    return bool(named) and not named & set(years)


def _period_mismatch(question: str, clause: Clause) -> bool:
    """Asking about the 14th FYP (or a future amount) while the only evidence is 13th-FYP history."""
    asks_future = bool(re.search(r"十四五|2025|今后|将要|计划安排", question))
    return asks_future and clause.section.startswith("一、规划背景")
