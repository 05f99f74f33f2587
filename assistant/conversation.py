"""Follow-up questions: a question read in the light of the conversation's earlier turns.

A separate stage before the answer engine. ``read_followup`` takes the earlier turns (each a
question and the Answer the engine gave, as ``Answer.to_json()``) and rewrites a follow-up
such as 那它的目标是多少？ into a question that stands on its own, saying how it read it
(理解为：…) so a wrong reading is visible. The subject comes from the earlier answer's
evidence, not from its wording: the task whose paragraph was cited (its responsibility
record), the indicator row cited (``corpus.facts.targets``), the law article cited, the
bureaux and years asked about, and the items of a list answer. A question that stands on its
own is passed through unchanged. ``Conversation`` runs the engine on the rewritten question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.clauses import squash
from assistant.zh import (ASKS_WHICH_ARTICLE, CONTACT, PENALTY, PERSON, PROGRESS, RATE_TERM, RECORDED_PAST,
                          english_subject, is_english, unit_asked)
from assistant.conversation_zh import (ANAPHORA, ASK_BASELINE, ASK_CODE, ASK_DEADLINE, ASK_KIND, ASK_LEAD, ASK_LEGAL_BASIS,
                                       ASK_EFFECTIVE, ASK_PARTICIPANTS, ASK_PLAN_TASK, ASK_REPEALS, ASK_SOURCE, ASK_TARGET, ASK_VALID,
                                       PLURAL_LAWS,
                                       ASKING_WORDS, BOTH, DONE_SO_FAR, EN_ORDINALS, GENERIC_NOUNS, ITEM, LAW_ARTICLE, LAW_ASK_FRAME, LAW_ASKED,
                                       LIST_ASK, NAMES_TARGET, PERIOD, PLAN_SIDE, POINTED_KIND, POINTS_BACK, QUOTED_TERM_ASKED, SAME_AS, SAYS_SO_TOO,
                                       SOFT_OPENER, STANDS_ASKING, THEN_OPENER, TOPIC_CHANGE, WHAT_ABOUT, YEAR, ordinal_value)

# a question whose own content (asking words, bureaux, years, pronouns removed) is at least this long
# names its subject and stands on its own
MIN_OWN_CONTENT = 4


@dataclass
class Turn:
    """One exchange: what was typed, what the engine was asked, and its answer (``Answer.to_json()``)."""

    question: str
    answer: dict
    standalone: str = ""

    @property
    def asked(self) -> str:
        return self.standalone or self.question


@dataclass
class Subject:
    """What an earlier turn was about, read from its answer's evidence."""

    question: str  # the standalone question that was answered
    phrase: str  # that question without its asking words
    tasks: list = field(default_factory=list)  # facts.Responsibility of cited task paragraphs
    targets: list = field(default_factory=list)  # facts.Target rows cited
    laws: list[tuple[str, str | None]] = field(default_factory=list)  # (law full name, 第N条) cited
    bureaux: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # titles of a list answer, in order
    item_targets: list = field(default_factory=list)  # a list of indicators (约束性指标有哪几项)
    intents: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # ids of the clauses the answer rests on (not 另见)
    quotes: list[str] = field(default_factory=list)  # what the answer quoted from them
    quoted: list[tuple[str, str]] = field(default_factory=list)  # (clause id, quote), in the answer's order
    bases: list[str] = field(default_factory=list)  # law articles shown beside a plan answer as its 法律依据

    @property
    def task(self):
        return self.tasks[0] if self.tasks else None

    @property
    def target(self):
        return self.targets[0] if self.targets else None

    @property
    def law(self) -> tuple[str, str | None] | None:
        return self.laws[0] if self.laws else None


@dataclass
class Reading:
    """How a question was read: unchanged, or rewritten against the conversation."""

    question: str  # as typed
    standalone: str  # what the engine is asked
    kind: str = "standalone"  # standalone | target | kind | baseline | participants | lead | deadline | valid | code |
    #                           article | item | bureau | year | pronoun | context | scope | repeals | topic |
    #                           penalty | new (announces another topic) | plan_task (implements the law article) |
    #                           both (one question about each of the two things just discussed)
    law: str | None = None  # for kind "valid": the law's full name, and the article the conversation was about
    article: str | None = None
    expect: tuple[str, ...] = ()  # clause ids the answer should rest on (the subject), to check the reading resolved
    alternatives: tuple[str, ...] = ()  # other phrasings of the same reading, tried when the first misses ``expect``
    fallback: str = ""  # asked when the reading is refused without evidence of absence (the 法律依据 shown before)
    refuse: str = ""  # why the plan cannot answer this reading (a bureau the task does not list): the answer is a refusal
    # kind "enumerated": (clause id, the run of the quote that lists things, the item asked): 第二项呢？ after an
    # answer whose sentence lists 头屯河、三屯河、… is answered by that item, citing the same sentence
    listed: tuple[str, str, str] = ()
    typed_first: bool = False  # the question as typed is asked first, and kept when it rests on ``expect``

    @property
    def rewritten(self) -> bool:
        return self.standalone != self.question

    @property
    def understood(self) -> str:
        """The line shown above the answer: 理解为：… (empty when the question was taken as typed)."""
        return f"理解为：{self.standalone}" if self.rewritten else ""

    def to_json(self) -> dict:
        return {"question": self.question, "standalone": self.standalone, "kind": self.kind,
                "understood": self.understood}


# ------------------------------------------------------------------------------ subject


# roles of the citations the answer layer adds beside an answer (另见); they never define the subject
SUPPORTING_ROLES = ("相关原文", "法律依据", "规划原文", "添加的文件", "废止条款", "施行条款", "原条文")


def subject_of(turn: Turn, corpus, glossary=None) -> Subject:
    """What ``turn`` was about, from the clauses its answer cites (and the law its question named)."""
    facts = corpus.facts
    answer = turn.answer or {}
    asked = turn.asked
    head, _, tail = asked.rpartition("，")
    # a turn read together with the one before ("X，疑似污染地块的空间信息要叠加到哪里"): its topic is X, what the
    # conversation is about; the detail it asked is not carried into the next question
    joined = head and turn.question and _ending(tail, 4) == _ending(turn.question, 4)
    phrase = topic_phrase(head if joined else asked, corpus)
    subject = Subject(question=asked, phrase=phrase, intents=list(answer.get("intents", [])),
                      bureaux=facts.directory.find_in(asked), years=[int(y) for y in YEAR.findall(asked)])
    by_clause = {r.clause_id: r for r in facts.responsibilities}
    for cit in answer.get("citations", []):
        cid, quote = cit.get("clause_id", ""), cit.get("quote", "")
        clause = corpus.by_id.get(cid)
        if clause is not None and clause.kind == "law" and cit.get("role") == "法律依据":
            subject.bases.append(cid)
        if clause is None or cit.get("role") in SUPPORTING_ROLES:
            continue  # 另见 evidence beside the answer is not what the answer was about
        if cid not in subject.evidence:
            subject.evidence.append(cid)
        subject.quotes.append(quote)
        subject.quoted.append((cid, quote))
        if clause.kind == "law":
            pair = (clause.source, clause.article)
            if cit.get("role") != "法典对应条款" and pair not in subject.laws:
                subject.laws.append(pair)
            continue
        resp = by_clause.get(cid)
        if resp is not None and resp.note and resp not in subject.tasks:
            subject.tasks.append(resp)
        rows = [t for t in facts.targets if t.clause_id == cid]
        exact = [t for t in rows if t.sentence and (t.sentence in quote or quote in t.sentence)]
        for t in exact or ([] if resp is not None else rows[:1]):
            if t not in subject.targets:
                subject.targets.append(t)
    if len(subject.targets) > 1:  # one quoted sentence may state two (秸秆…90%, 农田残膜回收率…85%): the asked one first
        from assistant.textmatch import coverage

        subject.targets.sort(key=lambda t: -coverage(t.indicator, asked))
    if not subject.tasks:  # refused, or answered from elsewhere: a task the question names by its title is still the subject
        subject.tasks = tasks_named(asked, corpus)
    for law in _laws_named(_law_text(asked, glossary), corpus):  # 生态环境法典什么时候施行？ is about the Code though it cites a 施行条款
        if all(name != law.name for name, _ in subject.laws):
            subject.laws.append((law.name, None))
    if "list_by_bureau" in subject.intents or re.search(r"共 \d+ [项条个]", answer.get("answer", "")):
        # numbered lines that cite: the heading line may itself start with a number (5.建设用地准入管理中…)
        subject.items = [re.sub(r"\[\d+\].*$", "", m).strip()
                         for m in re.findall(r"^\d+\.\s*(.+\[\d+\].*)$", answer.get("answer", ""), flags=re.M)]
    if "target" in subject.intents and len(subject.targets) > 1 and re.search(r"有 \d+ 项", answer.get("answer", "")):
        subject.item_targets = list(subject.targets)
    return subject


def tasks_named(text: str, corpus) -> list:
    """Tasks whose title the text spells out whole (longest first): the question's own subject even when the answer
    that followed it cited another paragraph or none."""
    flat = squash(text)
    named = [r for r in corpus.facts.responsibilities
             if r.note and len(squash(r.title.rstrip("。."))) >= 6 and squash(r.title.rstrip("。.")) in flat]
    return sorted(named, key=lambda r: -len(r.title))


def _law_text(text: str, glossary) -> str:
    """An English question with the glossary's Chinese law names added, so its laws can be found."""
    return glossary.expand(text) if glossary is not None and is_english(text) else text


def topic_phrase(question: str, corpus) -> str:
    """The question without asking words, bureaux, years and punctuation: what it is about."""
    text = question.replace("中华人民共和国", "")  # 和 is an asking word; a law's name must survive whole
    for name in corpus.facts.directory.find_in(question):
        text = text.replace(name, " ")
    text = ASKING_WORDS.sub(" ", text)
    text = YEAR.sub(" ", text)
    text = re.sub(r"[?？。,，!！、；;:：“”\"'《》()（）\s]+", " ", text)
    return " ".join(piece for piece in text.split() if len(piece) > 1)  # a lone 家 / 个 left by 多少家 is noise


def own_content(question: str, corpus) -> str:
    """What is left of a question once asking words, pronouns, bureaux, years and law names are removed."""
    text = question
    for start, end, _ in reversed(corpus.facts.directory.spans_in(text)):  # every name the directory reads (市场监管)
        text = text[:start] + " " + text[end:]
    for alias in _bureau_aliases(corpus):
        if alias.lower() in text.lower():
            text = re.sub(re.escape(alias), " ", text, flags=re.IGNORECASE)
    text = ANAPHORA.sub(" ", text)
    text = WHAT_ABOUT.sub(" ", text)
    text = ASK_SOURCE.sub(" ", text)  # before the asking words: 依据哪个文件 is one ask, not 依据 + 文件
    text = ASKING_WORDS.sub(" ", text)
    text = YEAR.sub(" ", text)
    text = PERIOD.sub(" ", text)  # 十四五要提到多少 names a period and a change, not a subject
    text = ITEM.sub(" ", text)
    for pattern in (ASK_TARGET, ASK_KIND, ASK_BASELINE, ASK_PARTICIPANTS, ASK_LEAD, ASK_DEADLINE, ASK_VALID, ASK_CODE):
        text = pattern.sub(" ", text)
    return "".join(re.findall(r"[\u4e00-\u9fff]|[A-Za-z]{3,}", text))


_ALIASES: dict[int, list[str]] = {}


def _bureau_aliases(corpus) -> list[str]:
    key = id(corpus.facts.directory)
    if key not in _ALIASES:
        names = {n for b in corpus.facts.directory.bureaux for n in (b.canonical, *b.aliases)}
        _ALIASES[key] = sorted(names, key=len, reverse=True)
    return _ALIASES[key]


# ------------------------------------------------------------------------------ reading


def read_followup(question: str, history: list[Turn], corpus, glossary=None, correspondences=()) -> Reading:
    """``question`` as a standalone question, given the earlier turns (oldest first).

    ``glossary`` (the engine's ``understand.Glossary``) lets an English follow-up name a law;
    ``correspondences`` (old article -> Code article, ``currency.correspondences``) lets 原来大气法是哪条？
    find the old article a Code article carries.
    """
    return _turned_to_plan(_read(question, history, corpus, glossary, correspondences), history, corpus, glossary)


def _turned_to_plan(reading: Reading, history: list[Turn], corpus, glossary) -> Reading:
    """规划里补给区保护谁牵头？ / 规划对这些地块还有什么限制？ after a law article: the plan is asked now, about
    what the law was asked about. A reading that carried the law into it, or left its pronoun unread, carries
    that topic instead."""
    text = reading.question.strip()
    if not history or reading.kind == "plan_task" or not PLAN_SIDE.search(text) or _laws_named(text, corpus):
        return reading
    previous = next((t for t in reversed(history) if t.answer and t.answer.get("citations")), history[-1])
    subject = subject_of(previous, corpus, glossary)
    law = corpus.law(subject.law[0]) if subject.law is not None and subject.task is None else None
    if law is None:
        return reading
    carried = any(name and name in reading.standalone and name not in text for name in (law.name, law.short_name))
    unresolved = reading.standalone == reading.question and POINTS_BACK.search(text)  # 这类地块, read as typed
    if not (carried or unresolved):
        return reading
    topic = _topic_before_law(history, corpus)
    if not topic:
        return Reading(reading.question, reading.question)
    return Reading(reading.question, f"{topic}，{text}", "context", fallback=text)


def _read(question: str, history: list[Turn], corpus, glossary, correspondences) -> Reading:
    text = question.strip()
    if text and (ASK_VALID.search(text) or ASK_EFFECTIVE.search(text)) and not LAW_ARTICLE.search(text):
        named = _laws_named(text, corpus)
        code = corpus.law("生态环境法典")
        if not named and code is not None and re.search(r"(?<!民)法典|\bthe code\b", text, re.IGNORECASE) \
                and not PLURAL_LAWS.search(text):
            named = [code]  # 那法典从什么时候开始施行？: the one code the corpus holds on this subject
        if len(named) == 1:  # 水污染防治法现在还有效吗？ stands on its own; answered from the law's status
            return Reading(question, question, "valid", law=named[0].name)
    if not history or not text:
        return Reading(question, question)
    change = TOPIC_CHANGE.match(text)
    if change and text[change.end():].strip():  # btw … / Different question: … — nothing of the turns before is carried
        return Reading(question, text[change.end():].strip(), "new")
    soft = SOFT_OPENER.match(text)
    if soft:  # 另外规划的基本原则第一条是啥：a complete question of its own after 另外, not "另外X呢"
        rest = text[soft.end():].strip()
        if rest and not ANAPHORA.search(rest) and not WHAT_ABOUT.search(rest) and \
                len(own_content(rest, corpus)) >= 2 * MIN_OWN_CONTENT:
            return Reading(question, rest, "new")
    then = THEN_OPENER.match(text)
    if then:  # 那咱们州有监测井的填埋场有几家：a "那" before a whole question with its own subject and ask
        rest = text[then.end():].strip()
        if rest and STANDS_ASKING.search(rest) and not ANAPHORA.search(rest) and not WHAT_ABOUT.search(rest) \
                and "呢" not in rest and not ITEM.search(rest) and len(own_content(rest, corpus)) >= 2 * MIN_OWN_CONTENT:
            return Reading(question, rest, "new")
    if QUOTED_TERM_ASKED.search(text) and not ANAPHORA.search(text):
        # "“一企一库”“两场两区”具体指啥": a term quoted and asked to be explained names its own subject
        return Reading(question, WHAT_ABOUT.sub("", text).strip(" ，,") or text, "new")
    from assistant.answer.handlers.definition import ORDINAL_ITEM  # noqa: PLC0415 - the answer layer's outline words
    from assistant.answer.understand import section_scope  # noqa: PLC0415

    if section_scope(text) and ORDINAL_ITEM.search(text) and not ANAPHORA.search(text):
        # 第二条原则呢？ names its chapter and the item's place: the outline answers it, whatever came before
        return Reading(question, WHAT_ABOUT.sub("", text).strip(" ，,") or text, "new")
    if LIST_ASK.search(text) and not ANAPHORA.search(text) and not ITEM.search(text) and \
            corpus.facts.directory.find_in(text):
        return Reading(question, WHAT_ABOUT.sub("", text).strip(" ，,") or text, "new")
    previous = next((t for t in reversed(history) if t.answer and t.answer.get("citations")), history[-1])
    if (ASK_VALID.search(text) or ASK_EFFECTIVE.search(text)) and PLURAL_LAWS.search(text) and not _laws_named(text, corpus):
        # 这几部法现在还有效吗？ after an answer that named laws (规划依据《大气法》《水污染防治法》…): each of them
        laws = _laws_in_answer(previous, corpus)
        if len(laws) >= 2:
            return Reading(question, "".join(f"《{law.name}》" for law in laws) + "现在还有效吗？", "valid")
    subject = subject_of(previous, corpus, glossary)
    if subject.law is not None and subject.task is None and not _laws_named(text, corpus) and \
            (ASK_LEAD.search(text) or ASK_PARTICIPANTS.search(text) or corpus.facts.directory.find_in(text)):
        # 州住建局参与这项工作吗？ after a law article: bureaux work on the plan's tasks, so "这项工作" is the task
        # discussed before the law was asked about
        earlier = next((s for s in (subject_of(t, corpus, glossary) for t in reversed(history[:-1])
                                    if t.answer and t.answer.get("citations")) if s.task is not None and s.law is None), None)
        subject = earlier or subject
    opener = SOFT_OPENER.match(text)  # (after 那 a short question still leans on the turn before: 那每户要交多少)
    rest = text[opener.end():].strip() if opener else ""
    if rest and STANDS_ASKING.search(rest) and not ANAPHORA.search(rest) and not WHAT_ABOUT.search(rest) \
            and not ITEM.search(rest) and len(own_content(rest, corpus)) >= MIN_OWN_CONTENT \
            and any(corpus_has(w, corpus) and not GENERIC_NOUNS.match(w) and w not in squash(subject.question)
                    for w in content_words(own_content(rest, corpus))):
        # 另外，到2035年农村生态环境要达到什么目标？ — shorter, but it names a subject the turn before did not
        return Reading(question, rest, "new")
    if ITEM.search(text) and not (subject.items or subject.item_targets):
        _borrow_items(subject, history, corpus, glossary)
    named = _things_named(text, subject)
    if named is not None:  # 十四五对这几个地块怎么安排 -> …对查明新疆五鑫铜业…3个高风险地块怎么安排
        return Reading(question, named, "context")
    pair = _two_subjects(subject, history, corpus, glossary) if BOTH.search(text) else []
    if pair:  # 这两项分别是谁牵头？ -> X谁牵头？Y谁牵头？ (a two-part question, each part answered and cited)
        rest = WHAT_ABOUT.sub("", BOTH.sub("", text)).replace("分别", "").strip(" ，,?？")
        if rest:
            return Reading(question, "".join(f"{name}{rest}？" for name in pair), "both")
    english = sum(ch.isascii() and ch.isalpha() for ch in text) > len(text) * 0.4
    bureaux = corpus.facts.directory.find_in(text)
    years = [int(y) for y in YEAR.findall(text)]
    own = own_content(text, corpus)
    refers = bool(ANAPHORA.search(text) or WHAT_ABOUT.search(text) or ITEM.search(text)
                  or (subject.law and (ASK_CODE.search(text) or ASK_VALID.search(text)) and not _laws_named(text, corpus)))
    if english and not ANAPHORA.search(text) and not ITEM.search(text) and (_names_another_task(text, subject, corpus, glossary)
                                                  or _asks_on_its_own(text)):
        return Reading(question, WHAT_ABOUT.sub("", text).strip(" ,") or text, "new")
    planned = _plan_task_followup(text, subject, corpus)
    if planned is not None:
        return Reading(question, planned[1], "plan_task", expect=planned[2])
    older = _old_article_followup(text, subject, corpus, _law_text(text, glossary), correspondences)
    if older is not None:
        return Reading(question, older, "article")
    based = _legal_basis_followup(text, subject, corpus)
    if based is not None:  # 法律依据是哪条？ after a plan paragraph: the laws asked about what it required
        shown = corpus.by_id[subject.bases[0]] if subject.bases else None
        shown_asked = f"《{shown.source}》{shown.article}规定了什么？" if shown else ""
        code = corpus.law("生态环境法典")
        if shown is not None and code is not None and shown.source == code.name and ASK_CODE.search(text):
            # 法典里对应哪条？ when the answer showed a Code article as its 法律依据: the official asks about that one
            return Reading(question, shown_asked, "law")
        return Reading(question, based, "law", fallback=shown_asked)
    carried = _task_law_followup(text, subject, corpus)
    if carried is not None:  # 土壤法里对应的规定是第几条？ after a plan task: that law's article for the task
        return Reading(question, carried, "law")
    sibling = sibling_target(text, subject, corpus) if not english and ASK_TARGET.search(text) and not _asks_when(text) \
        else None
    if sibling is not None and not refers and len(own) < 3 * MIN_OWN_CONTENT and \
            not any(w in squash(subject.question) for w in content_words(own)):  # 农村生活污水治理率… re-names the subject
        # 利用率要到多少？ after a task: names only part of an indicator, the one the task itself states
        return Reading(question, _target_question(text, sibling, years, subject), "target", expect=(sibling.clause_id,),
                       alternatives=_indicator_phrasings(sibling, years, corpus))
    if not refers and len(own) >= (3 * MIN_OWN_CONTENT if english else MIN_OWN_CONTENT) or \
            not refers and not english and new_topics(own, subject, corpus):  # 秸秆的目标是多少？ is short but complete
        if not english and subject.phrase and not is_english(subject.phrase) and continues_evidence(own, subject, corpus):
            # the answer should rest on the same evidence; if the carried words lead elsewhere, the question
            # is tried as typed and with the evidence's own heading
            # is tried as typed and with the evidence's own heading. A question long enough to stand alone is
            # tried as typed first: when it finds the same evidence, its own words choose the sentence (颗粒物
            # 自动监测什么时候 after 哪些矿区…: the carried 矿区 would pull the paragraph's other deadline)
            titles = [corpus.by_id[cid].title for cid in subject.evidence[:1] if corpus.by_id[cid].title]
            return Reading(question, f"{subject.phrase}，{text}", "context", expect=tuple(subject.evidence),
                           alternatives=(*(f"{t.rstrip('。')}，{text}" for t in titles), text),
                           typed_first=len(own) >= 2 * MIN_OWN_CONTENT)
        return Reading(question, question)  # names its own subject
    repeal = _repeal_followup(text, subject, corpus, _law_text(text, glossary))
    if repeal is not None:
        return Reading(question, *repeal)
    swapped = _law_swap(text, subject, corpus, own)
    if swapped is not None:
        again = read_followup(swapped, [], corpus)
        return Reading(question, swapped, "law" if again.kind == "standalone" else again.kind, law=again.law,
                       article=again.article)
    if corpus_names_subject(text, corpus):
        return Reading(question, question)
    unrecorded = _unrecorded_followup(text, subject)
    if unrecorded is not None:
        return Reading(question, unrecorded, "context")
    for rewrite in (_instrument_followup, _scope_followup, _law_followup, _penalty_followup, _item_followup, _bureau_followup,
                    _year_followup, _target_followup, _task_followup, _topic_followup, _pronoun_followup):
        result = rewrite(text, subject, corpus, bureaux=bureaux, years=years, english=english, glossary=glossary)
        if result is not None:
            kind, standalone, *more = result
            if kind == "valid" and subject.law:
                return Reading(question, standalone, kind, law=subject.law[0], article=subject.law[1])
            expect, alternatives, refuse, listed = (*more, "", ())[:4] if more else ((), (), "", ())
            return Reading(question, standalone, kind, expect=tuple(expect), alternatives=tuple(alternatives),
                           refuse=refuse, listed=tuple(listed))
    if subject.phrase and len(own) < MIN_OWN_CONTENT:
        return Reading(question, f"{subject.phrase}，{text}", "context")
    return Reading(question, question)


# words that ask or count rather than name a subject (两个, 几个, 哪些)
_COUNTING = re.compile(r"^[一二两三四五六七八九十几\d]+[个项条家座种类]?$|^[哪这那该其]")


def content_words(text: str) -> list[str]:
    """The words of a question's own content (jieba), without stop, counting and asking words."""
    from assistant.lexical import STOP_WORDS, _ensure_jieba
    import jieba

    _ensure_jieba()
    return [w for w in jieba.lcut(text) if len(w) >= 2 and w not in STOP_WORDS and not _COUNTING.match(w)]


def continues_evidence(own: str, subject: Subject, corpus) -> bool:
    """靠哪两个项目完成的？ — no pronoun, but every word it has is in the clause just cited, and none of
    them re-names what the previous question asked about: it asks another detail of the same evidence.

    A question that names its subject again (农村生活污水治理率的目标是多少？ after …治理谁牵头？) or
    brings a word the evidence lacks stands on its own.
    """
    evidence = squash(" ".join(corpus.by_id[cid].text for cid in subject.evidence if cid in corpus.by_id))
    words = [w for w in content_words(own) if corpus_has(w, corpus)]
    if not evidence or not words:
        return False
    asked = squash(subject.phrase)
    return all(w in evidence for w in words) and not any(w in asked for w in words)


_VOCAB: dict[int, str] = {}


def corpus_has(word: str, corpus) -> bool:
    """The word occurs somewhere in the corpus (colloquial words that it lacks cannot point at evidence)."""
    key = id(corpus)
    if key not in _VOCAB:
        _VOCAB[key] = squash(" ".join(c.text for c in corpus.clauses))
    return word in _VOCAB[key]


def new_topics(own: str, subject: Subject, corpus) -> list[str]:
    """Words of the question's own content that name a subject (the corpus has them, they are not asking
    nouns like 单位/要求; a subject is named by a noun, so 完成 is none) and that the previous question did
    not ask about: 秸秆 after 畜禽粪污…"""
    import jieba.posseg

    from assistant.lexical import _ensure_jieba

    _ensure_jieba()
    asked = squash(subject.question)
    nouns = [p.word for p in jieba.posseg.cut(own) if len(p.word) >= 2 and (p.flag.startswith("n") or p.flag == "vn")]
    return [w for w in nouns if corpus_has(w, corpus) and not GENERIC_NOUNS.match(w) and w not in asked]


# the previous answer's kind -> the same ask of another subject, for an English "What about …?"
ASK_BY_INTENT = {"lead_bureau": "{}由哪个部门牵头？", "target": "{}的目标是多少？", "deadline": "{}什么时候完成？",
                 "definition": "{}是什么意思？", "list_by_bureau": "", "fact": ""}


def _topic_followup(text, subject: Subject, corpus, english, **kw):
    """那秸秆呢？ — the previous question, asked of another subject (its topic words replaced)."""
    glossary = kw.get("glossary")
    if english and glossary is not None and WHAT_ABOUT.search(text) and subject.intents:
        # What about agricultural film? — the glossary's Chinese terms, asked as the previous answer was
        terms = glossary.expand(text)[len(text):].split()
        template = ASK_BY_INTENT.get(subject.intents[0], "")
        if terms and template and not any(t in squash(subject.question) for t in terms):
            return "topic", template.format("".join(terms))
        return None
    if english or not WHAT_ABOUT.search(text) or not subject.phrase:
        return None
    own = own_content(text, corpus)
    if not new_topics(own, subject, corpus):
        return None
    topic = re.sub(r"[?？。,，!！\s]+", "", WHAT_ABOUT.sub("", text)).strip("的")
    if _OWN_ASK.search(topic):
        # 那有污水处理设施的村占几成？ asks its own question of a new subject: it keeps only the turn's year
        year = re.search(r"(?:到|截至|截止到?|在)?20\d\d年(?:底|末)?", subject.question)
        keep = year.group(0) if year and not re.search(r"20\d\d", topic) else ""
        return "topic", f"{keep}{topic}？"
    if RATE_TERM.fullmatch(topic) and not (subject.target or set(subject.intents[:1]) & {"target"}):
        # 秸秆综合利用率呢？ after who takes part in a task: a rate has a value, not a lead, and splicing it into
        # the task's title (提升秸秆综合利用率农膜…) would name nothing; its target is asked
        keep = re.search(r"20\d\d年", subject.question)
        return "topic", f"{topic}{keep.group(0) if keep else ''}的目标是多少？"
    pieces = sorted((piece for piece in subject.phrase.split() if piece in subject.question), key=len, reverse=True)
    if not topic or not pieces:
        return None
    parallel = _parallel_word(topic, pieces[0])
    return "topic", subject.question.replace(parallel or pieces[0], topic, 1)


# a follow-up piece that carries its own ask (占几成, 是多少, 有哪些): not a subject to put into the turn before
_OWN_ASK = re.compile(r"几成|占比|比例|多少|哪些|哪几|什么|啥|谁|几[个项家条年]|是否|有没有")


def _parallel_word(topic: str, piece: str) -> str | None:
    """The word of ``piece`` that ``topic`` stands beside (建设用地 for 农用地 in 个农用地土壤环境质量监测: the same
    head word 用地), so only it is replaced and the rest of the question (土壤环境质量监测) is kept; None when no
    word shares a bigram with the topic."""
    import jieba  # noqa: PLC0415 - already loaded by the engine

    shared = [(len(_bigrams(word) & _bigrams(topic)), -abs(len(word) - len(topic)), word)
              for word in jieba.lcut(piece) if len(word) >= 2 and word != topic]
    best = max(shared, default=None)
    return best[2] if best and best[0] > 0 else None


def _borrow_items(subject: Subject, history: list[Turn], corpus, glossary) -> None:
    """第三项呢？ after 第二项具体要求什么？: the list is the last one the conversation showed, not only the last answer."""
    for turn in reversed(history[:-1]):
        earlier = subject_of(turn, corpus, glossary)
        if earlier.items or earlier.item_targets:
            subject.items, subject.item_targets = earlier.items, earlier.item_targets
            return


def _things_named(text: str, subject: Subject) -> str | None:
    """The follow-up with "这几个地块" replaced by the words the previous answer named them with: the clause
    of its quote that speaks of 地块, up to the last 地块 (查明新疆五鑫铜业…3个高风险地块). None when no quote
    speaks of that kind of thing."""
    m = POINTED_KIND.search(text)
    if not m:
        return None
    kind = m.group("kind")
    for quote in subject.quotes:
        for run in re.split(r"[，,。；;：:\n]", quote):
            end = run.rfind(kind)
            if end >= 0 and end > 2:  # more than the bare kind: the things themselves are named
                return text[: m.start()] + run[: end + len(kind)].strip() + text[m.end():]
    return None


def _two_subjects(subject: Subject, history: list[Turn], corpus, glossary) -> list[str]:
    """The two things "这两项" points at: the two items the last answer listed, else what the last two
    answered turns were about; [] when that is not two distinct names."""
    if len(subject.items) == 2:
        return [_quoted(t) for t in subject.items]
    answered = [t for t in history if t.answer and t.answer.get("citations")][-2:]
    names = [_subject_name(subject_of(t, corpus, glossary)) for t in answered]
    return names if len(names) == 2 and all(names) and names[0] != names[1] else []


def _subject_name(subject: Subject) -> str:
    """The subject as a question can name it: the task's title, the indicator, the law and article, or the topic."""
    if subject.task is not None:
        return _quoted(subject.task.title)
    if subject.target is not None:
        return subject.target.indicator
    if subject.law is not None:
        return f"《{subject.law[0]}》{subject.law[1] or ''}"
    return subject.phrase


def _unrecorded_followup(text: str, subject: Subject) -> str | None:
    """那负责人叫什么名字？ / 电话多少？ — asks what the corpus never records (a person, contact details).

    The ask is kept as typed, with the subject named, so the engine's evidence of absence answers it;
    a template (由哪个部门牵头？) would answer another question.
    """
    if not (PERSON.search(text) or CONTACT.search(text) or (PROGRESS.search(text) and not RECORDED_PAST.search(text))):
        return None
    name = _subject_name(subject)
    if not name:
        return None
    rest = WHAT_ABOUT.sub("", ANAPHORA.sub("", text)).strip(" ，,")
    if not rest:
        return None
    return f"{name}的{rest}" + ("" if rest[-1] in "?？" else "？")


def _repeal_followup(text: str, subject: Subject, corpus, law_text: str) -> tuple | None:
    """它同时废止了哪些法律？ / Does it repeal the Soil … Law? — what the law in question repeals.

    Asked of one law, it is that law's status (the repealing article answers); asked in general, the
    list the repealing article gives. Only for a law that repeals others.
    """
    if subject.law is None or not ASK_REPEALS.search(text):
        return None
    name = subject.law[0]
    if not any(law.repealed_by == name for law in corpus.laws):
        return None
    named = [law for law in _laws_named(law_text, corpus) if law.name != name]
    if named:
        return f"《{named[0].name}》是否被《{name}》废止？", "valid", named[0].name
    return f"《{name}》同时废止了哪些法律？", "repeals"


# asks which article (哪条 / 哪一条 / which article)


def _old_article_followup(text: str, subject: Subject, corpus, law_text: str, correspondences) -> str | None:
    """原来大气法是哪条规定的？ after a Code article: the article of that repealed law the Code article carries.

    Read from the correspondence table (old article -> Code article), confident pairs only; otherwise
    left to the other readings.
    """
    if subject.law is None or not subject.law[1] or not ASKS_WHICH_ARTICLE.search(text):
        return None
    code_name, article = subject.law
    named = [law for law in _laws_named(law_text, corpus) if law.name != code_name]
    if len(named) != 1 or named[0].repealed_by != code_name or not correspondences:
        return None
    rest = law_text
    for law in _laws_named(law_text, corpus):
        for form in sorted({law.name, law.short_name, *_law_nicknames(law)}, key=len, reverse=True):
            rest = rest.replace(form, " ")
    if len(own_content(ASKS_WHICH_ARTICLE.sub(" ", rest), corpus)) >= MIN_OWN_CONTENT:
        return None  # 大气法哪条规定了机动车排放检验？ asks its own topic
    from assistant import currency

    try:
        carried = currency.replaced_articles(article, correspondences)
    except ValueError:
        return None
    pair = next((c for c in carried if c.law == named[0].name and c.certain), None)
    return f"《{named[0].name}》{pair.article}规定了什么？" if pair else None


# a plan task implements a law article when their wording is this close (cosine of character bigrams), and this
# far ahead of the next task
ARTICLE_TASK_SIMILARITY = 0.2
ARTICLE_TASK_MARGIN = 1.3


def _names_another_task(text: str, subject: Subject, corpus, glossary) -> bool:
    """"And who leads the healthy aquaculture task?": an English follow-up whose own words, in the glossary's
    Chinese (水产养殖), are in the plan but not in what the subject was asked or rests on: a question of its own."""
    if glossary is None or _laws_named(_law_text(text, glossary), corpus):
        return False  # "Does it repeal the Soil Pollution … Law?": a law named is not a task
    added = [w for w in glossary.expand(text)[len(text):].split() if len(w) >= 4]
    if not added:
        return False
    own = " ".join([corpus.by_id[cid].text for cid in subject.evidence if cid in corpus.by_id] +
                   [r.title for r in subject.tasks] + [subject.question])
    plan = _plan_text(corpus)
    return any(word in plan and word not in own for word in added)


_PLAN_TEXT: dict[int, str] = {}


def _plan_text(corpus) -> str:
    """The plan's paragraphs joined once per corpus (asked on every English follow-up)."""
    key = id(corpus)
    if key not in _PLAN_TEXT:
        _PLAN_TEXT[key] = " ".join(c.text for c in corpus.plan())
    return _PLAN_TEXT[key]


def _asks_on_its_own(text: str) -> bool:
    """"And what share of villages had sewage treatment facilities?": an English follow-up that asks (a
    question word) about three things or more of its own and points back at nothing is a question of its own."""
    return bool(re.search(r"\b(what|which|who|how|when|where|is|are|does|did|do)\b", text, re.I)) and \
        not ANAPHORA.search(text) and len(english_subject(text)) >= 3


def _bigrams(text: str) -> set[str]:
    han = "".join(re.findall(r"[\u4e00-\u9fff]", text))
    return {han[i:i + 2] for i in range(len(han) - 1)}


def task_for_article(clause, corpus):
    """The plan task whose paragraph says what a law article says (尾矿库…监督 in both), if one clearly does.

    The article's own wording is the query: a follow-up (规划里落实这条的任务…) names neither task nor topic.
    """
    import math

    article = _bigrams(clause.text)
    scored = []
    for resp in corpus.facts.responsibilities:
        paragraph = corpus.by_id.get(resp.clause_id)
        grams = _bigrams(paragraph.text) if paragraph is not None and resp.note else set()
        if article and grams:
            scored.append((len(article & grams) / math.sqrt(len(article) * len(grams)), resp.clause_id, resp))
    scored.sort(key=lambda x: (-x[0], x[1]))
    if not scored or scored[0][0] < ARTICLE_TASK_SIMILARITY:
        return None
    if len(scored) > 1 and scored[0][0] < ARTICLE_TASK_MARGIN * scored[1][0] and scored[1][0] >= ARTICLE_TASK_SIMILARITY:
        return None  # two tasks say it alike (one alone above the threshold is clear enough)
    return scored[0][2]


def _topic_before_law(history: list[Turn], corpus) -> str:
    """What the conversation asked the law about, in the user's words, without the law or the asking words:
    法律对地下水型饮用水源补给区的调查评估有什么规定？ -> 地下水型饮用水源补给区的调查评估."""
    for turn in reversed(history):
        parts = [p.strip(" ，,") for p in re.split(r"[?？。！!，,]", turn.question) if p.strip(" ，,")]
        kept = [p for p in parts if not LAW_ASKED.search(p) and not _laws_named(p, corpus)] or [
            LAW_ASK_FRAME.sub("", p) for p in parts]
        topic = "，".join(re.sub(r"(?:吗|呢|么)$", "", p) for p in kept if p)
        for law in _laws_named(topic, corpus):
            for name in (law.name, law.short_name, *_law_nicknames(law)):
                topic = topic.replace(name, "")
        if len(own_content(topic, corpus)) >= 2 * MIN_OWN_CONTENT:
            return topic.strip(" ，,")
    return ""


def _plan_task_followup(text: str, subject: Subject, corpus) -> tuple | None:
    """规划里落实这条的任务是哪个部门负责？ after a law article: the plan task that implements the article, and its
    lead (or participants, or what it is). The task is found by the article's wording, not the follow-up's."""
    if subject.law is None or not subject.law[1] or not ASK_PLAN_TASK.search(text) or _laws_named(text, corpus):
        return None
    if not (ANAPHORA.search(text) or re.search(r"这一?规定|这个规定|" + SAME_AS, text)):
        return None  # 规划里秸秆的任务谁牵头？ names its own topic
    from assistant.laws import lookup_article, parse_article_number

    law, number = corpus.law(subject.law[0]), parse_article_number(subject.law[1])
    clause = lookup_article(law, number, corpus.by_id) if law is not None and number else None
    task = task_for_article(clause, corpus) if clause is not None else None
    if task is None:
        return None
    title, expect = _quoted(task.title), _task_clauses(task, corpus)
    if ASK_PARTICIPANTS.search(text):
        return "participants", f"{title}有哪些参与单位？", expect
    if ASK_DEADLINE.search(text):
        return "deadline", f"{task.title.rstrip('。')}什么时候完成？", expect
    if SAYS_SO_TOO.search(text) and not (ASK_LEAD.search(text) or ASK_PARTICIPANTS.search(text)):
        # 规划里也这么要求吗 / does the plan say the same: what the task's paragraph requires
        return "plan_task", f"{title}的具体要求是什么？", expect
    return "lead", f"{title}由哪个部门牵头？", expect




def _law_nicknames(law) -> list[str]:
    """Short forms of a law's name the law file's abbreviation table knows (大气法 for 大气污染防治法)."""
    from assistant.laws import ABBREVIATIONS

    return [alias for alias, short in ABBREVIATIONS.items() if short in (law.short_name, law.name)]


def _law_swap(text: str, subject: Subject, corpus, own: str) -> str | None:
    """大气污染防治法呢？ — the previous question, asked of another law."""
    named = _laws_named(text, corpus)
    if len(named) != 1 or not WHAT_ABOUT.search(text):
        return None
    rest = text
    for form in sorted({named[0].name, named[0].short_name}, key=len, reverse=True):
        rest = rest.replace(form, " ")
    if len(own_content(rest, corpus)) >= MIN_OWN_CONTENT:
        return None
    previous = _laws_named(subject.question, corpus)
    if not previous or previous[0].name == named[0].name:
        return None
    old = previous[0]
    for form in (old.name, old.short_name):
        if form in subject.question:
            return subject.question.replace(form, named[0].short_name, 1)
    return None


def _laws_in_answer(turn: Turn, corpus) -> list:
    """The laws an answer's own text names in 《》 (not its citations' sources: a 另见 law is not what was said)."""
    from assistant.laws import find_law_mentions

    said = re.sub(r"另见：.*", "", (turn.answer or {}).get("answer", ""))
    return [law for law in find_law_mentions("".join(re.findall(r"《[^》]+》", said)), corpus.laws)
            if not law.name.endswith("法典")]


def _laws_named(text: str, corpus) -> list:
    from assistant.laws import find_law_mentions

    # the Code asked for what corresponds (法典里对应哪条, 生态环境法典里对应哪条, 新的生态环境法典里怎么规定) is the
    # Code's side of the law just discussed, not a new subject
    code_side = bool(ASK_CODE.search(text)) and not ASK_EFFECTIVE.search(text) and (not re.search(r"生态环境法典", text)
                                                or bool(re.search(r"对应|相应|新的?(?:生态环境)?法典", text)))
    return [law for law in find_law_mentions(text, corpus.laws) if not (code_side and "法典" in law.name)]


def corpus_names_subject(text: str, corpus) -> bool:
    """A question that names a law (《…》 or its name) or a clause id carries its own subject."""
    from assistant.laws import find_law_mentions

    if re.search(r"plan-\d{3}|#\d+", text) or "《" in text:
        return True
    mentions = find_law_mentions(text, corpus.laws)
    return bool(mentions) and not ASK_CODE.search(text)


def _quoted(title: str) -> str:
    return f"“{title.rstrip('。.;；,，')}”"


def _law_followup(text, subject: Subject, corpus, **kw):
    law = subject.law
    if law is None:
        return None
    name, article = law
    english = kw["english"]
    other = LAW_ARTICLE.search(text)
    if ASK_CODE.search(text):
        statute = corpus.law(name)
        if statute is not None and statute.repealed_by:
            return "code", f"《{name}》{article or ''}在《{statute.repealed_by}》中对应哪一条？"
        return "code", f"《{name}》{article or ''}规定了什么？"
    if ASK_VALID.search(text) and re.search(r"哪些|哪几|几部|多少部|\bwhich\b", text, re.IGNORECASE):
        # 其中哪些已经废止了？ asks about the set the previous question listed, not about one law
        return "context", f"{subject.question.rstrip('？?。 ')}，{text}"
    if ASK_VALID.search(text):
        return "valid", f"《{name}》现在还有效吗？（{article}）" if article else f"《{name}》现在还有效吗？"
    penalty = _penalty_question(text, name, article, corpus)
    if penalty is not None:
        return "penalty", penalty
    if other and (not subject.items or re.search(r"条", other.group(0))):
        number = other.group(1) or ordinal_value(other.group(2) or "")
        if number:
            from assistant.laws import article_label

            return "article", f"《{name}》{article_label(int(number))}规定了什么？"
    if ANAPHORA.search(text) or english and re.search(r"\b(this|that|the) (law|act|article|code)\b|\bit\b", text, re.I):
        rest = ANAPHORA.sub("", text).strip(" ，,")
        if english or len(rest) < 2:
            return "pronoun", f"《{name}》{article or ''}规定了什么？"
        target = f"《{name}》" if re.search(r"这部法|该法|这部|这个法|这法|此法", text) or not article else f"《{name}》{article}"
        return "pronoun", target + rest
    return None


# 那个条例 / 这份文件: a document the previous answer quoted by its title
_THAT_INSTRUMENT = re.compile(r"(那个|这个|该|这部|那部|这份|那份|此)(条例|办法|文件|方案|意见|通知|规定)")


def _instrument_followup(text, subject: Subject, corpus, **kw):
    """那个条例里是第几条规定了分区划定？ — the 《title》 of that kind the previous answer quoted, named."""
    m = _THAT_INSTRUMENT.search(text)
    if not m or not subject.quotes:
        return None
    titles = [t for t in dict.fromkeys(re.findall(r"《([^》]{2,40})》", " ".join(subject.quotes)))
              if t.endswith(m.group(2)) or m.group(2) == "文件"]
    if len(titles) != 1:
        return None  # none, or several the official could mean
    return "pronoun", text.replace(m.group(0), f"《{titles[0]}》", 1)


def _basis_followup(text, subject: Subject, corpus, **kw):
    """这是依据土壤污染防治法哪一条？ after a plan paragraph: which article of that law says what the paragraph
    quoted said (the quote's first sentence is the topic the law search needs)."""
    named = _laws_named(text, corpus)
    if len(named) != 1 or not ASKS_WHICH_ARTICLE.search(text) or not re.search(r"这|那|该|此|上述|\b(this|that|it)\b", text) \
            or subject.law is not None:
        return None
    rest = text
    for form in sorted({named[0].name, named[0].short_name, *_law_nicknames(named[0])}, key=len, reverse=True):
        rest = rest.replace(form, " ")
    if len(own_content(ASKS_WHICH_ARTICLE.sub(" ", rest), corpus)) >= MIN_OWN_CONTENT:
        return None  # 这项里提到的尾矿库监督，对应哪一条？ names its own topic
    plan = [q for cid, q in zip(subject.evidence, subject.quotes) if cid.startswith("plan-") and len(q) >= 8]
    if not plan:
        return None
    topic = re.split(r"[。；;]", plan[0].strip(), maxsplit=1)[0][:60]
    return "pronoun", f"《{named[0].name}》哪一条规定了：{topic}？"


def _scope_phrase(text: str) -> tuple[str, str] | None:
    """(the words that scope a question to a plan chapter, the chapter) — 土壤那一章 -> （一）土壤污染防治."""
    from assistant.answer.understand import SCOPES

    for pattern, prefix in SCOPES:
        m = pattern.search(text)
        if m:
            return m.group(0), prefix
    return None


def _scope_followup(text, subject: Subject, corpus, **kw):
    """那地下水那一章呢？ — the previous question, asked of another chapter of the plan."""
    new, old = _scope_phrase(text), _scope_phrase(subject.question)
    if new is None or old is None or new[1] == old[1] or not WHAT_ABOUT.search(text):
        return None
    if len(own_content(text.replace(new[0], " "), corpus)) >= MIN_OWN_CONTENT:
        return None  # 地下水那一章谁牵头的任务最多？ asks its own question
    words = new[0]
    if is_english(words) and not is_english(subject.question):  # the chapter in the plan's own words
        words = re.sub(r"^（[一二三四五六七八九十]+）", "", new[1].split(" > ")[-1]) + "那一章"
    return "scope", subject.question.replace(old[0], words, 1)


def _penalty_question(text: str, name: str, article: str | None, corpus) -> str | None:
    """怎么罚？ after a law article: the duty the article sets, asked of its law's penalties.

    The article's first sentence carries the topic (an article number alone would be looked up, and
    says nothing about which penalty applies); a repealed law's penalty is the Code's, which the law
    handler finds.
    """
    from assistant.laws import lookup_article, parse_article_number
    from assistant.zh import PENALTY

    if not PENALTY.search(text) or not article or len(own_content(PENALTY.sub(" ", text), corpus)) >= MIN_OWN_CONTENT:
        return None
    law, number = corpus.law(name), parse_article_number(article)
    clause = lookup_article(law, number, corpus.by_id) if law is not None and number else None
    if clause is None:
        return None
    duty = re.split(r"[。；;\n]", clause.text.strip(), maxsplit=1)[0].strip()
    return f"《{name}》：{duty[:80]}，违反的怎么罚？" if duty else None


# what a follow-up asks of a law it names: its article, its rule on the matter
_ASKS_LAW_RULE = re.compile(r"哪一?条|第几条|什么条|怎么规定|如何规定|有什么规定|有啥规定|对应|规定了?(?:什么|啥)|"
                            r"\bwhich (?:article|provision)\b|\bwhat does .* (?:say|require)\b", re.IGNORECASE)


def _legal_basis_followup(text: str, subject: Subject, corpus) -> str | None:
    """法律依据是哪条？ after a plan paragraph, no law named: the sentence of the paragraph the previous question was
    about, asked of the laws (the law handler finds the article saying the same, the Code's and the old law's);
    法典里对应哪条？ asks the same of the Code.
    None when a law is named (other readings take the law), the turn before was about a law, or the follow-up
    names its own topic."""
    from assistant.textmatch import coverage

    code = corpus.law("生态环境法典")
    # 法典里对应哪条？ after a plan paragraph: the same, asked of the Code (the law in force)
    in_code = bool(ASK_CODE.search(text) and (ASKS_WHICH_ARTICLE.search(text) or _ASKS_LAW_RULE.search(text))) and code is not None
    if not (ASK_LEGAL_BASIS.search(text) or in_code) or _laws_named(text, corpus) or subject.law is not None:
        return None
    if len(own_content(_ASKS_LAW_RULE.sub(" ", ASK_LEGAL_BASIS.sub(" ", text)), corpus)) >= MIN_OWN_CONTENT:
        return None
    plan = [q for cid, q in zip(subject.evidence, subject.quotes) if cid.startswith("plan-") and len(q) >= 8]
    if not plan:
        return None
    said = [s.strip() for s in re.split(r"[。；;]", plan[0]) if len(s.strip()) >= 6]
    topic = max(said, key=lambda s: coverage(subject.question, s), default="")
    for name in corpus.facts.directory.find_in(topic):  # laws say 主管部门; a bureau named would make it a plan ask
        topic = topic.replace(name, "")
    if len(topic) > 60:  # a long sentence up to its last clause break within 60 characters
        cut = max(topic.rfind(mark, 0, 60) for mark in "，,")
        topic = topic[:cut] if cut >= 20 else topic[:60]
    if not topic:
        return None
    return f"{topic}，《{code.name}》里是哪一条？" if in_code else f"{topic}，法律依据是哪一条？"


def _task_law_followup(text: str, subject: Subject, corpus) -> str | None:
    """土壤法对这个是怎么规定的？ after a plan task (and no law article): the law named, asked about that task by its
    title, which the law handler searches with the task's paragraph. None when the follow-up has a subject of its own."""
    task = subject.task
    named = _laws_named(text, corpus)
    if task is None or subject.law is not None or not named or not _ASKS_LAW_RULE.search(text):
        return None
    rest = text
    for law in named:
        for name in _law_nicknames(law):
            rest = rest.replace(name, " ")
    if len(own_content(_ASKS_LAW_RULE.sub(" ", rest), corpus)) >= MIN_OWN_CONTENT:
        return None
    return f"{_quoted(task.title)}，{WHAT_ABOUT.sub('', text).strip(' ，,')}"


def _penalty_followup(text, subject: Subject, corpus, **kw):
    """违反了罚多少？ after a plan task or a question on its own: the penalty for breaching what was just
    asked about, found in the laws by that question's words (the law handler reads the penalty articles)."""
    if not PENALTY.search(text) or len(own_content(PENALTY.sub(" ", text), corpus)) >= MIN_OWN_CONTENT:
        return None
    # the subject without the previous question's own ask (有什么要求), which would make it a second question
    return "penalty", f"{(subject.phrase or subject.question).rstrip('？?。 ')}，{text}"


def _item_followup(text, subject: Subject, corpus, **kw):
    m = ITEM.search(text)
    if not m:
        return None
    number = ordinal_value(m.group("n") or "") or EN_ORDINALS.get((m.group("en") or "").lower(), 0)
    if m.group("last") or (m.group("en") or "").lower() == "last":  # 最后一项 / the last one: of the list just given
        number = len(subject.item_targets or subject.items)
    if subject.item_targets and 1 <= number <= len(subject.item_targets):
        t = subject.item_targets[number - 1]
        return "item", _target_question(text, t, kw["years"], subject)
    if not subject.items or not 1 <= number <= len(subject.items):
        return _enumerated_item(text, subject, number, bool(m.group("last") or (m.group("en") or "").lower() == "last"))
    title = subject.items[number - 1]
    if ASK_PARTICIPANTS.search(text):
        return "item", f"{_quoted(title)}有哪些参与单位？"
    if ASK_TARGET.search(text):
        return "item", f"{_quoted(title)}的目标是多少？"
    if ASK_DEADLINE.search(text):
        return "item", f"{_quoted(title)}什么时候完成？"
    rest = WHAT_ABOUT.sub("", ITEM.sub("", text)).strip(" ，,的?？")
    if not rest:  # 第三项呢？ after a question about the second item: the same question of this one
        for other in subject.items:
            if other != title and _quoted(other) in subject.question:
                return "item", subject.question.replace(_quoted(other), _quoted(title), 1)
    if not ASK_LEAD.search(text) and re.search(r"[\u4e00-\u9fff]{2}", rest) and not kw["english"]:
        return "item", f"{_quoted(title)}{rest}？"  # 第二项具体要求什么？ asks its own thing of the item
    if not ASK_LEAD.search(text) and not any(squash(r.title).rstrip("。.") == squash(title).rstrip("。.")
                                             for r in corpus.facts.responsibilities):
        return "item", f"{_quoted(title)}的内容是什么？"  # 第二项呢？ of a list of principles: no bureau leads one
    return "item", f"{_quoted(title)}由哪个部门负责？"


# what is left of 第二个是什么 / 第二项呢 once the ordinal is gone: nothing of its own is asked
_BARE_ITEM_ASK = re.compile(r"^(?:是|叫|指)?(?:什么|啥|哪个|哪一个|哪项|哪里|哪儿)?$|^(?:what|which)(?: is| was)?(?: it)?$", re.I)
# words before the first thing a sentence lists (以头屯河、… / 在五彩湾矿区、…)
_LIST_LEAD = re.compile(r"^(?:.*?[以在对将把从由向])(?=[\u4e00-\u9fff]{2,})")


def enumeration(quote: str) -> tuple[str, list[str]] | None:
    """The longest run of ``quote`` that lists three or more things with 、, and those things (the words
    around the first and the last, 以…等流域为重点, cut off); None when the quote lists nothing."""
    best = max(re.split(r"[，,。；;：:\n]", quote), key=lambda run: run.count("、"), default="")
    if best.count("、") < 2:
        return None
    items = [item.strip() for item in best.split("、")]
    first = _LIST_LEAD.sub("", items[0])
    items[0] = first if len(first) >= 2 else items[0]
    last = re.split(r"等|以及|和|及|与", items[-1])[0]
    items[-1] = last if len(last) >= 2 else items[-1]
    return best, items


def _enumerated_item(text: str, subject: Subject, number: int, last: bool):
    """第二个呢？ after an answer that quoted a sentence listing things (以头屯河、三屯河、…等流域为重点): that item."""
    rest = ITEM.sub("", WHAT_ABOUT.sub("", text)).strip(" ，,的?？.")
    if not _BARE_ITEM_ASK.match(rest) or ITEM.search(subject.question):
        # 第二个谁牵头: an ask of its own, which a bare item cannot answer; 第四条呢？ after 第二条原则: the
        # conversation walks the chapter's items, not the things one sentence lists
        return None
    for clause_id, quote in subject.quoted[:2]:
        found = enumeration(quote)
        if found is None:
            continue
        run, items = found
        n = len(items) if last else number
        if 1 <= n <= len(items):
            return "enumerated", f"{subject.question.rstrip('？?。 ')}？第{n}项是哪个？", (), (), "", (clause_id, run, items[n - 1])
    return None


# 州自然资源局在这项里吗？ asks whether the bureau is listed, which the plan answers (不在); only its part is refused
ASKS_WHETHER = re.compile(r"吗\s*[?？]?\s*$|是否|有没有|在不在|\b(is|are|does|do)\b.*\b(include|involved|among|part of|in)\b",
                          re.IGNORECASE)


def _bureau_followup(text, subject: Subject, corpus, bureaux, english, **kw):
    """州自然资源局呢？ — the same question, asked of another bureau."""
    if not bureaux or len(own_content(text, corpus)) >= MIN_OWN_CONTENT:
        return None
    new = bureaux[0]
    asked = subject.question
    if subject.bureaux:
        old_names = [a for a in _bureau_aliases(corpus)
                     if corpus.facts.directory.canonical(a, default_prefix="") == subject.bureaux[0] and a in asked]
        for alias in old_names:  # longest first
            if alias in asked:
                return "bureau", asked.replace(alias, new, 1)
    task = subject.task
    if task is not None:
        units = [*task.leads, *task.participants]
        refuse = "" if new in units or ASKS_WHETHER.search(text) else (f"规划中“{task.title.rstrip('。.;；,，')}”的责任单位是{'、'.join(units) or '（未列明）'}，"
                                          f"没有列出{new}，也没有写明其分工。")
        return "bureau", f"{new}在{_quoted(task.title)}中负责什么？", (), (), refuse
    return None


def _year_followup(text, subject: Subject, corpus, years, **kw):
    """2035年呢？ — the same question for another year."""
    if not years or len(own_content(text, corpus)) >= MIN_OWN_CONTENT:
        return None
    year = years[0]
    if re.search(r"远景|展望|长远|\b(vision|long[- ]term)\b", text, re.I):  # 那2035年的远景呢？ the plan's vision, not one indicator
        return "year", f"到{year}年的远景目标是什么？"
    asked = subject.question
    if YEAR.search(asked):
        return "year", YEAR.sub(f"{year}年", asked, count=1).replace("年年", "年")
    target = subject.target
    if target is not None:  # a numeric indicator asks for a number (and is refused when the plan gives none)
        asks = "是多少" if re.search(r"\d", target.target) else "是什么"
        return "year", f"{target.indicator}{year}年的目标{asks}？"
    phrase = subject.phrase or asked
    if re.search(r"多少|\bhow (much|many)\b|\bwhat (share|rate|percentage)\b", text, re.I):
        return "year", f"{phrase}{year}年的目标是多少？"  # a number asked stays a number asked (refused if none)
    return "year", f"到{year}年，{phrase}的目标是什么？"


def indicator_name(target, subject: Subject | None = None) -> str:
    """The indicator as a question can name it: a bare 利用率 gets the topic it belongs to."""
    if len(target.indicator) >= 4 or subject is None or not subject.phrase:
        return target.indicator
    return f"{subject.phrase}的{target.indicator}"


def _indicator_phrasings(target, years: list[int], corpus) -> tuple[str, ...]:
    """A bare indicator (利用率) named with the subject of the indicator stated just before it in the same paragraph
    (化肥和农药的使用量均减少，利用率达到43%), so the engine finds that sentence rather than another …利用率."""
    if len(target.indicator) >= 4:
        return ()
    same = [t for t in corpus.facts.targets if t.clause_id == target.clause_id]
    at = next((i for i, t in enumerate(same) if t is target), 0)
    if at == 0:
        return ()
    before = re.sub(r"^(到20\d\d年|昌吉州)+|的?[\u4e00-\u9fff]{0,2}量$", "", same[at - 1].indicator)
    year = years[0] if years else (target.year or 2025)
    return (f"{before}{target.indicator}{year}年的目标是多少？",) if len(before) >= 2 else ()


def _target_question(text: str, target, years: list[int], subject: Subject) -> str:
    indicator = indicator_name(target, subject)
    columns = [label for pattern, label in ((ASK_TARGET, "目标"), (ASK_BASELINE, "基期值"), (ASK_KIND, "属性"),
                                            (ASK_SOURCE, "来源")) if pattern.search(text)]
    if len(columns) > 1 and target.origin == "table":  # 目标值和属性呢？ asks for several cells of the row
        return f"指标表中{indicator}这一行的{'、'.join(columns)}各是什么？"
    if ASK_KIND.search(text):
        return f"{indicator}这个指标是约束性的还是预期性的？"
    if ASK_BASELINE.search(text):
        return f"{indicator}的基期（2020年）数值是多少？"
    if ASK_SOURCE.search(text):
        return f"{indicator}这个指标的来源是什么？"
    year = years[0] if years else (target.year or 2025)
    # 它的目标呢？ of a goal stated in words (完成…考核目标): what it is, not a number the plan never gives
    asks = "是多少" if re.search(r"\d", target.target or "") or re.search(r"多少|几|\bhow (?:much|many)\b", text) else "是什么"
    return f"{indicator}{year}年的目标{asks}？"


def _target_followup(text, subject: Subject, corpus, years, **kw):
    """它的目标是多少？ / 这个指标是约束性的吗？ — about the indicator cited, or the cited task's indicator."""
    asks = [p for p in (ASK_KIND, ASK_BASELINE, ASK_SOURCE, ASK_TARGET) if p.search(text)]
    if not asks:
        return None
    if asks == [ASK_TARGET] and not NAMES_TARGET.search(text) and (unit_asked(text) not in ("", "%") or DONE_SO_FAR.search(text)):
        return None  # 回收了多少吨 / 这个总共投多少钱: a quantity done or spent, in a unit, not the indicator's target
    if asks == [ASK_TARGET] and _asks_when(text):
        return None
    target = (sibling_target(text, subject, corpus, kw.get("glossary")) or _row_named(text, corpus, kw.get("glossary"))
              or subject.target)
    if target is None and subject.task is not None:
        table = bool({ASK_KIND, ASK_BASELINE, ASK_SOURCE} & set(asks))
        stated = _targets_of_task(subject.task, corpus)
        if not table and len(stated) > 1 and asks == [ASK_TARGET]:
            # 它的目标呢？ of a task that states two indicators (秸秆综合利用率…, 农田残膜回收率…): each one,
            # as a two-part question
            return "target", "".join(_target_question(text, t, years, subject) for t in stated[:3])
        target = _target_of_task(subject.task, corpus, table=table)
    if target is None:
        if ASK_TARGET.search(text) and subject.phrase:
            # 这个指标十四五的目标是什么？ after a 十三五 figure: the period asked replaces the one carried, and
            # 是什么 stays 是什么 (a target may be a word, 减少, which a 是多少 would refuse for want of a number)
            period = PERIOD.search(text)
            phrase = PERIOD.sub(" ", subject.phrase).strip() if period else subject.phrase
            asks = "是多少" if re.search(r"多少|几", text) else "是什么" if re.search(r"什么|啥", text) else "是多少"
            return "target", f"{phrase}{period.group(0) if period else ''}的目标{asks}？"
        return None
    kind = "kind" if ASK_KIND in asks else "baseline" if ASK_BASELINE in asks else "source" if ASK_SOURCE in asks \
        else "target"
    if target.origin != "table" and kind != "target":  # only the table has kind, baseline and source
        row = _table_row(target, corpus)
        target = row or target
    return kind, _target_question(text, target, years, subject)


def _asks_when(text: str) -> bool:
    """考核目标啥时候完成: when a target is due, not what it is (目标 is the subject, not the ask)."""
    return bool(ASK_DEADLINE.search(text)) and not re.search(r"多少|几[个项%]|数值|\bhow (much|many)\b", text)


def sibling_target(text: str, subject: Subject, corpus, glossary=None):
    """The秸秆 one of a task's two indicators: an indicator stated in the clauses the conversation is about (the
    evidence, the task's paragraphs) that holds every subject word of the follow-up (利用率 / straw … rate).

    Only one such indicator, and not the one just answered when others fit; None when the follow-up names none.
    """
    if is_english(text):
        if glossary is None:
            return None
        words = [w for w in glossary.expand(text)[len(text):].split() if not GENERIC_NOUNS.match(w)]
    else:
        own = own_content(text, corpus)
        words = [w for w in content_words(own) if not GENERIC_NOUNS.match(w)] or ([own] if len(own) >= 2 else [])
    if not words:
        return None
    ids = set(subject.evidence) | (set(_task_clauses(subject.task, corpus)) if subject.task is not None else set())
    fits = [t for t in corpus.facts.targets if t.clause_id in ids and all(w in squash(t.indicator) for w in words)]
    fits = list({(t.clause_id, t.indicator): t for t in fits}.values())
    if len(fits) > 1:
        fits = [t for t in fits if t not in subject.targets]
    return fits[0] if len(fits) == 1 else None


# share of the question's own words an indicator-table row must hold, and how far ahead of the next row
ROW_NAMED_COVERAGE = 0.4
ROW_NAMED_MARGIN = 2.0


def _row_named(text: str, corpus, glossary=None):
    """国考点位水质那个指标在表里是约束性的吗？ — the indicator-table row the question itself names.

    What the question names wins over the indicator carried from the earlier turn; short forms are
    spelled out first (国考 -> 国家考核). None when the question names no row clearly.
    """
    from assistant.textmatch import coverage

    spelled = glossary.spell_out(text) if glossary is not None else text
    own = re.sub(r"指标表|表[里中内]|正文", "", own_content(spelled, corpus))
    if len(own) < 2:
        return None
    rows = [t for t in corpus.facts.targets if t.origin == "table"]
    scored = sorted(((coverage(own, t.indicator), i) for i, t in enumerate(rows)), reverse=True)
    if not scored or scored[0][0] < ROW_NAMED_COVERAGE:
        return None
    if len(scored) > 1 and scored[0][0] < ROW_NAMED_MARGIN * scored[1][0]:
        return None
    return rows[scored[0][1]]


def _stated_targets(task, corpus) -> list:
    """The dated targets the text states in a task's paragraphs (its own and those sharing its note)."""
    facts = corpus.facts
    ids = {task.clause_id, task.note_clause_id} | {r.clause_id for r in facts.responsibilities
                                                   if r.note_clause_id == task.note_clause_id}
    return [t for t in facts.targets if t.clause_id in ids and t.origin == "text" and t.year]


def _targets_of_task(task, corpus) -> list:
    """The distinct indicators a task's paragraphs state with a figure (到2025年…达到90%以上, …85%以上), in order."""
    numeric = [t for t in _stated_targets(task, corpus) if re.search(r"\d", t.target)]
    return list({squash(t.indicator): t for t in reversed(numeric)}.values())[::-1]


def _target_of_task(task, corpus, table: bool = False):
    """The indicator a task paragraph states (到2025年…达到80%以上), or the table row for it."""
    stated = _stated_targets(task, corpus)
    numeric = [t for t in stated if re.search(r"\d", t.target)] or stated
    if not numeric:
        return None
    if table:  # kind, baseline and source are the table's: the first stated target that has a row
        row = next((r for r in map(lambda t: _table_row(t, corpus), numeric + stated) if r is not None), None)
        return row or numeric[0]
    return numeric[0]


def _table_row(target, corpus):
    """The indicator-table row naming the same indicator as a target stated in the text."""
    from assistant.textmatch import coverage

    rows = [t for t in corpus.facts.targets if t.origin == "table"]
    key = squash(target.indicator)
    if len(key) < 4:  # a bare 利用率 would match any …利用率 row
        return None
    same = next((t for t in rows if squash(t.indicator) == key or squash(t.indicator) in key or key in squash(t.indicator)),
                None)
    if same is not None:
        return same
    # 化肥使用量 (table) ~ 主要农作物化肥和农药的使用量 (text): most of the row's words in the stated indicator
    scored = sorted(((coverage(squash(t.indicator), key), i) for i, t in enumerate(rows)), reverse=True)
    if scored and scored[0][0] >= 0.7:
        return rows[scored[0][1]]
    # 农田残膜回收率达到85%以上 (text) ~ 废弃农膜回收利用率 ≥85% (table): the same year and figure, and the
    # row's indicator half said by the paragraph that states the text's target
    figure = re.findall(r"\d+(?:\.\d+)?", target.target)
    paragraph = squash(corpus.by_id[target.clause_id].text) if target.clause_id in corpus.by_id else ""
    same_figure = [t for t in rows if figure and t.year == target.year and re.findall(r"\d+(?:\.\d+)?", t.target) == figure
                   and coverage(squash(t.indicator), paragraph) >= 0.5]
    return same_figure[0] if len(same_figure) == 1 else None


def _task_of_target(target, corpus):
    """The task paragraph that states a target (a table row's indicator is found in a task's text)."""
    by_clause = {r.clause_id: r for r in corpus.facts.responsibilities}
    if target.clause_id in by_clause and by_clause[target.clause_id].note:
        return by_clause[target.clause_id]
    from assistant.textmatch import coverage

    key = squash(target.indicator)
    stated = [t for t in corpus.facts.targets if t.origin == "text" and t.clause_id in by_clause and by_clause[t.clause_id].note]
    for t in stated:
        if squash(t.indicator) == key:
            return by_clause[t.clause_id]
    # 化肥使用量 (table) ~ 主要农作物化肥和农药的使用量 (text): most of the row's words in the stated indicator
    scored = sorted(((coverage(key, squash(t.indicator)), t) for t in stated), key=lambda x: -x[0])
    if scored and scored[0][0] >= 0.7:
        return by_clause[scored[0][1].clause_id]
    return None


def _task_followup(text, subject: Subject, corpus, **kw):
    """参与单位呢？ / 谁牵头？ / 什么时候完成？ — about the task cited (or the task behind the indicator cited)."""
    task = subject.task
    if task is None and subject.target is not None:
        task = _task_of_target(subject.target, corpus)
        if task is None:  # a table row: the engine finds the task that works towards the indicator
            indicator = subject.target.indicator
            if ASK_PARTICIPANTS.search(text):
                return "participants", f"{indicator}相关任务有哪些参与单位？"
            if ASK_LEAD.search(text):
                return "lead", f"{indicator}由哪个部门负责？"
            if ASK_DEADLINE.search(text):
                return "deadline", f"{indicator}的目标什么时候完成？"
            return None
    if task is None:
        return None
    title = _quoted(task.title)
    expect = _task_clauses(task, corpus)
    plain = task.title.rstrip("。.;；,，")
    bureaux = kw.get("bureaux") or []
    if bureaux and not ASK_PARTICIPANTS.search(text):
        # 州自然资源局在这项里负责什么？ asks that bureau's part, not the lead; a bureau the task does not list has none
        units = [*task.leads, *task.participants]
        refuse = "" if bureaux[0] in units or ASKS_WHETHER.search(text) else (
            f"规划中“{plain}”的责任单位是{'、'.join(units) or '（未列明）'}，没有列出{bureaux[0]}，也没有写明其分工。")
        return "bureau", f"{bureaux[0]}在{title}中负责什么？", expect, (), refuse
    if ASK_PARTICIPANTS.search(text):
        return "participants", f"{title}有哪些参与单位？", expect, (f"{title}由哪个部门牵头？", f"{plain}由哪些部门参与？")
    if ASK_LEAD.search(text):
        return "lead", f"{title}由哪个部门牵头？", expect, (f"{title}有哪些参与单位？", f"{plain}由哪个部门负责？")
    if ASK_DEADLINE.search(text):
        return "deadline", f"{task.title.rstrip('。')}什么时候完成？"
    return None


def _task_clauses(task, corpus) -> tuple[str, ...]:
    """Every paragraph of a task (they share the note that closes the last one)."""
    return tuple(r.clause_id for r in corpus.facts.responsibilities
                 if r.note_clause_id == task.note_clause_id) or (task.clause_id,)


def _pronoun_followup(text, subject: Subject, corpus, english, **kw):
    """它/这个/该… in a question that asks something else: the pronoun stands for the subject."""
    if not ANAPHORA.search(text):
        return None
    if english:  # What techniques does it encourage? — asked as typed, and of the task's own paragraphs if need be
        if subject.task is None:
            return None
        return "pronoun", text, _task_clauses(subject.task, corpus), (f"{subject.task.title.rstrip('。')}，{text}",)
    defined = subject.intents[:1] == ["definition"] and subject.phrase  # 它们 after "两场两区…指什么": the terms
    name = ("、".join(f"“{p}”" for p in subject.phrase.split()) if defined
            else _quoted(subject.task.title) if subject.task is not None
            else subject.target.indicator if subject.target is not None else subject.phrase)
    if not name:
        return None
    return "pronoun", ANAPHORA.sub(name, text, count=1)


# ------------------------------------------------------------------------------ the running conversation


@dataclass
class Conversation:
    """Asks an engine question after question, each read against the turns before it."""

    engine: Any
    turns: list[Turn] = field(default_factory=list)

    def ask(self, question: str):
        """The engine's Answer to ``question`` as read in this conversation, with the reading prepended."""
        answer, reading = answer_followup(self.engine, question, self.turns)
        self.turns.append(Turn(question, answer.to_json(), reading.standalone))
        return answer, reading


# a reading's evidence must hold at least this share of the follow-up's own subject words
MIN_OWN_WORDS_COVERED = 0.5
# a refusal at least this sure that the corpus lacks the answer is not second-guessed by another reading
SURE_ABSENCE = 0.7


def answer_followup(engine, question: str, history: list[Turn]):
    """(Answer, Reading) for ``question`` asked after ``history`` (see ``_answer_followup``); when the reading
    joined the earlier question to this one and only this one's part was refused, the answer is that refusal:
    the earlier part was answered in its own turn, and repeating it would hide that this ask has no answer."""
    answer, reading = _answer_followup(engine, question, history)
    from assistant.answer.model import NOT_FOUND

    own = answer.parts[-1] if len(answer.parts) > 1 and reading.standalone != question else None
    if own is not None and own[1] and not any(part[1] for part in answer.parts[:-1]) \
            and _ending(own[0], 3) == _ending(reading.standalone, 3):  # the follow-up ends the joined reading
        reason = own[3].split("\n")[-1].removeprefix(NOT_FOUND) or "这一问在规划和法律中没有答案。"
        refusal = _refusal(answer, reason)
        refusal.absence = own[2]
        return refusal, reading
    return answer, reading


def _ending(text: str, n: int) -> str:
    """The last ``n`` word characters of ``text``: how a joined reading is told to end with a given question."""
    return re.sub(r"[\W_]", "", squash(text))[-n:]


def _answer_followup(engine, question: str, history: list[Turn]):
    """(Answer, Reading) for ``question`` asked after ``history``: the rule-based reading, checked against
    the other ways to read it.

    The reading rules are fitted to phrasings seen before; a new phrasing can be misread. So the reading
    is not trusted blindly. Two other readings are candidates: the question as typed, and the previous
    question joined with it. One is chosen over the rule-based reading only on evidence:

    - the follow-up names a subject of its own (修复试点那项谁牵头？) and the rewritten reading's evidence
      lacks those words, while the question as typed finds them;
    - the rewritten reading was refused without evidence of absence, and the question as typed is answered
      from evidence holding the follow-up's own words;
    - the rewritten question left out most of the subject words the official typed;
    - the follow-up names no subject (不报的话怎么罚？), was taken as typed, and its answer rests on nothing
      the conversation was about (or a law's ask was refused), while the joined question's answer does;
    - an English follow-up was refused without evidence of absence, and the joined question is answered.
    When neither the reading nor the question as typed rests on evidence that mentions what the official
    named (限养区), the answer is a refusal.
    """
    corpus = engine.corpus
    spelled = engine.normalise(question, expand=False).text if hasattr(engine, "normalise") else question
    reading = read_followup(spelled, history, corpus, getattr(engine, "glossary", None),
                            getattr(engine, "correspondences", ()))
    reading.question = question
    if reading.standalone == spelled:
        reading.standalone = question  # taken as typed: the engine itself says how it normalised it
    answer = answer_reading(engine, reading)
    if reading.refuse:
        return _refusal(answer, reading.refuse), reading
    if not history or reading.kind in ("valid", "new") or reading.kind == "plan_task" and _rests_on(answer, reading.expect):
        # plan_task: the task was found by the article's wording; the follow-up's words (规划, 昌吉州) name no subject
        return answer, reading
    previous = next((t for t in reversed(history) if t.answer and t.answer.get("citations")), history[-1])
    if is_english(spelled):
        # an English follow-up often names its subject in words the glossary lacks (the sludge, off-site
        # inspections): refused without evidence of absence, it is asked together with the question before
        if answer.abstained and answer.absence < SURE_ABSENCE:
            return (_anchored(engine, question, spelled, previous) or _joined(engine, question, spelled, previous)
                    or (answer, reading))
        if not reading.rewritten and re.search(r"\b(?:them|they|their|it|its)\b", spelled, re.IGNORECASE) \
                and not _about(answer, previous, corpus):
            # How many facilities were built for them? points back, yet taken as typed was answered from elsewhere:
            # asked with the turn before, an answer resting on what that turn was about is the one meant
            joined = _joined(engine, question, spelled, previous)
            if joined is not None and not joined[0].abstained:
                return joined
        return answer, reading
    words = subject_words(spelled, corpus)
    if reading.rewritten and words:
        covered = _covers_words(answer, words)
        off_subject = not answer.abstained and covered < MIN_OWN_WORDS_COVERED
        refused = answer.abstained and answer.absence < SURE_ABSENCE
        # the rewritten question left out most of what the official named (尾矿库, 大丰工业园区): it answers
        # something else, whatever its evidence happens to hold
        dropped = sum(w not in squash(reading.standalone) for w in words) > len(words) / 2
        if off_subject or refused or dropped:
            typed = engine.ask(question)
            least = MIN_OWN_WORDS_COVERED if dropped else max(MIN_OWN_WORDS_COVERED, covered + 1e-9)
            if not typed.abstained and _covers_words(typed, words) >= least:
                return typed, Reading(question, question, "standalone")
            if not answer.abstained and covered == 0 and _covers_words(typed, words) == 0:
                # neither reading found anything that mentions what the official named (限养区): the figures
                # found are about something else, so say it was not found rather than answer with them
                return _not_about(answer, words), reading
        return answer, reading
    if reading.rewritten:
        return answer, reading
    if answer.abstained:
        # 这是依据土壤污染防治法哪一条？ names a law and no topic: the topic is what the plan paragraph just quoted said
        basis = _basis_followup(spelled, subject_of(previous, corpus, getattr(engine, "glossary", None)), corpus)
        if basis is not None:
            other = engine.ask(basis[1])
            if not other.abstained:
                based = Reading(question, basis[1], basis[0])
                attach_reading(other, based)
                return other, based
        if answer.absence < SURE_ABSENCE:
            # 以哪些县为重点？ / 管护的钱咋分摊？ after a task's lead: a detail of that task, refused on its own
            # without evidence of absence, is asked of the task by its title (not joined with the question before:
            # 这笔钱里州本级出了多少 joined with 安排了多少资金 finds another amount)
            # (accepted only when the sentence quoted says what the follow-up names: 联单的格式 is not in a
            # sentence about 联单制度, so the plan does not say it)
            found = _anchored(engine, question, spelled, previous)
            if found is not None and not found[0].abstained and not _repeats(found[0], previous) and \
                    all(_mentions(squash(found[0].citations[0].quote), w) for w in words):
                return found
    # 不报的话怎么罚？ / 没建的话罚多少？ name no subject: taken as typed they are answered from something the
    # conversation was not about, or refused without evidence of absence; the joined question is asked instead
    # (a refusal only for a law's ask: 这笔钱里州本级出了多少？ is refused because the plan does not say)
    before = {c.get("clause_id") for c in previous.answer.get("citations", [])[:3]} if previous.answer else set()
    if not words and not answer.abstained and answer.citations and answer.citations[0].clause.clause_id not in before:
        # 依据的是哪个文件？ names nothing: after a task's lead or deadline it asks of that task; answered from the
        # task's own paragraphs when asked of it by title, that answer is the one meant
        anchored = _anchored(engine, question, spelled, previous)
        if anchored is not None and not anchored[0].abstained:
            return anchored
    if not words and (not answer.abstained and not _about(answer, previous, corpus) or
                      answer.abstained and answer.absence < SURE_ABSENCE and
                      bool(PENALTY.search(spelled) or ASKS_WHICH_ARTICLE.search(spelled))):
        # the task by its title first: the previous question's wording would pull its own ask back in
        # (依据的是哪个文件 joined with 州水利局…负责什么 is answered with the bureau's role again)
        return _anchored(engine, question, spelled, previous) or _joined(engine, question, spelled, previous) \
            or (answer, reading)
    return answer, reading


# intents of a question asked about one task
TASK_INTENTS = {"lead_bureau", "deadline", "target"}


def _anchored(engine, question: str, spelled: str, previous: Turn):
    """(Answer, Reading) of the follow-up asked of the previous turn's task by its title (Who has to approve the
    adjusted results? after a task's lead), if the answer rests on that task; otherwise None. The title names the
    task in the plan's words, where the previous question's wording would pull its own ask (the lead) back in."""
    subject = subject_of(previous, engine.corpus, getattr(engine, "glossary", None))
    task = subject.task
    if task is None or not subject.evidence or subject.evidence[0] not in _task_clauses(task, engine.corpus) \
            or not set(subject.intents[:1]) & TASK_INTENTS:
        return None  # only after a question about the task itself (its lead, deadline, target), not a passage in one
    anchored = f"{_quoted(task.title)} {spelled}"
    other = engine.ask(anchored)
    if not _rests_on(other, _task_clauses(task, engine.corpus)):
        return None
    context = Reading(question, anchored, "context")
    attach_reading(other, context)
    return other, context


def _joined(engine, question: str, spelled: str, previous: Turn):
    """(Answer, Reading) of the previous question joined with this one, if its answer rests on what the previous
    turn was about or is a sure refusal; otherwise None."""
    joined = f"{previous.asked.rstrip('？?。 ')}，{spelled}"
    other = engine.ask(joined)
    # a refusal sure that the corpus lacks the answer (一年要测几次: no frequency is stated) is an answer too
    if other.abstained and other.absence < SURE_ABSENCE or not other.abstained and not _about(other, previous, engine.corpus):
        return None
    context = Reading(question, joined, "context")
    attach_reading(other, context)
    return other, context


def subject_words(question: str, corpus) -> list[str]:
    """The nouns a follow-up names its subject with, that the corpus has (not asking nouns like 单位/目标,
    not law names, which a reading resolves by name)."""
    import jieba.posseg

    from assistant.lexical import _ensure_jieba

    from assistant.laws import find_law_mentions

    text = question  # law names go first: own_content drops 法典 and would leave 生态环境 of 生态环境法典 behind
    for law in find_law_mentions(question, corpus.laws):
        for form in sorted({law.name, law.short_name, *_law_nicknames(law)}, key=len, reverse=True):
            text = text.replace(form, " ")
    own = own_content(text, corpus).replace("法典", "")
    _ensure_jieba()
    # a run of content tokens the corpus has whole (新污染物, 修复试点) names the subject better than its nouns
    # (污染物 is in many tasks); otherwise the run's nouns do (not 对应, a vn)
    words, run = [], []
    for token in [*jieba.posseg.cut(own), None]:
        if token is not None and token.flag[:1] not in _NOT_CONTENT:
            run.append(token)
            continue
        if len(run) > 1 and GENERIC_NOUNS.match(run[-1].word):
            run = run[:-1]  # 这项监测工作: the subject is 监测; 工作 / 任务 only says it is a piece of work
        phrase = "".join(t.word for t in run)
        if len(run) > 1 and corpus_has(phrase, corpus) and not GENERIC_NOUNS.match(phrase):
            words.append(phrase)
        else:
            nouns = [t.word for t in run if len(t.word) >= 2 and t.flag.startswith("n")]
            # a term jieba cut across (限养区 in 限养|区划) that holds none of those nouns
            words += nouns + [span for span in (_corpus_spans(phrase, corpus) if len(run) > 1 else [])
                              if not any(noun in span for noun in nouns)]
        run = []
    return [w for w in dict.fromkeys(words) if corpus_has(w, corpus) and not GENERIC_NOUNS.match(w)]


def _corpus_spans(phrase: str, corpus, least: int = 3) -> list[str]:
    """The longest pieces of ``phrase`` (at least ``least`` characters) the corpus has, left to right: a term
    jieba cut across (限养区划了 -> 限养 | 区划) is still found whole."""
    spans, start = [], 0
    while start <= len(phrase) - least:
        end = next((e for e in range(len(phrase), start + least - 1, -1) if corpus_has(phrase[start:e], corpus)), None)
        if end is None:
            start += 1
            continue
        spans.append(phrase[start:end])
        start = end
    return spans


# jieba tags that end a run of content words: pronouns, locatives, prepositions, particles, adverbs,
# numerals, measure words, conjunctions, modal particles, punctuation
_NOT_CONTENT = set("rfpudmqcyxe")


def _not_about(answer, words: list[str]):
    """A refusal in place of ``answer``, whose evidence never mentions ``words``; its clauses stay as 可能相关."""
    from assistant.answer.model import NOT_FOUND, Answer

    named = "、".join(f"“{w}”" for w in words)
    refusal = Answer(answer.question, f"{NOT_FOUND}找到的条文都没有提到{named}。", True,
                     related=[c.clause for c in answer.citations[:3]], intents=answer.intents,
                     notes=[*answer.notes, "not_about"], seconds=answer.seconds, reading=answer.reading)
    if answer.reading:
        refusal.text = f"{answer.reading}\n{refusal.text}"
    return refusal


def _refusal(answer, reason: str):
    """A refusal in place of ``answer`` when the reading itself shows the plan has no answer (a bureau the task does
    not list); the task's clauses stay as 可能相关."""
    from assistant.answer.model import NOT_FOUND, Answer

    refusal = Answer(answer.question, f"{NOT_FOUND}{reason}", True, related=[c.clause for c in answer.citations[:3]],
                     intents=answer.intents, notes=[*answer.notes, "not_listed"], seconds=answer.seconds,
                     reading=answer.reading)
    refusal.absence = SURE_ABSENCE
    if answer.reading:
        refusal.text = f"{answer.reading}\n{refusal.text}"
    return refusal


def _covers_words(answer, words: list[str]) -> float:
    """Share of ``words`` in the clauses the answer rests on (not the 另见 beside it)."""
    resting = [c for c in answer.citations if c.role not in SUPPORTING_ROLES] or answer.citations
    evidence = squash(" ".join(c.clause.text for c in resting[:3]))
    return sum(_mentions(evidence, w) for w in words) / len(words) if words else 1.0


# share of a word's bigrams that evidence must hold to mention it in other words (重点流域 in …等流域为重点)
WORD_BIGRAMS_MENTIONED = 2 / 3


def _mentions(evidence: str, word: str) -> bool:
    """Whether evidence mentions ``word``: whole, or, for a longer word, most of its bigrams (the plan writes
    以…等流域为重点 for 重点流域, 监测 … 工作 for 监测工作); a two-bigram word (限养区) must be there whole."""
    if word in evidence:
        return True
    grams = {word[i:i + 2] for i in range(len(word) - 1)}
    return len(grams) >= 3 and sum(g in evidence for g in grams) >= WORD_BIGRAMS_MENTIONED * len(grams)


def _repeats(answer, previous: Turn) -> bool:
    """The answer quotes what the previous answer quoted first: asked with the turn before, it answers that
    turn again (哪个县拖了后腿？ joined with 安全利用率目标是啥 gives the target row), not the follow-up."""
    earlier = previous.answer.get("citations", [])[:1] if previous.answer else []
    return bool(earlier and answer.citations) and answer.citations[0].clause.clause_id == earlier[0].get("clause_id") \
        and answer.citations[0].quote == earlier[0].get("quote")


def _about(answer, previous: Turn, corpus) -> bool:
    """The answer rests on what the previous turn was about: a clause it cited, or most of its topic words."""
    if answer.abstained or not answer.citations:
        return False
    before = {c["clause_id"] for c in previous.answer.get("citations", [])[:3]}
    if answer.citations[0].clause.clause_id in before:
        return True
    topic = [w for w in content_words(topic_phrase(previous.asked, corpus)) if corpus_has(w, corpus)]
    evidence = squash(" ".join(c.clause.text for c in answer.citations[:3]))
    return bool(topic) and sum(w in evidence for w in topic) / len(topic) >= 0.5


def answer_reading(engine, reading: Reading):
    """Ask the engine what the reading says, and say how the question was read.

    A question whether a law is still in force is asked of the engine about that law by name: its
    law-status handler cites the repealing article (or the law's own 施行 article).
    """
    if reading.kind == "valid" and reading.law:
        law = engine.corpus.law(reading.law)
        if law is not None:  # the law handler answers currency, citing the repealing or the 施行 article
            answer = engine.ask(f"《{law.name}》现在还有效吗？")
            _cite_discussed_article(answer, law, reading.article, engine.corpus)
            attach_reading(answer, reading)
            return answer
    if reading.listed and reading.listed[0] in engine.corpus.by_id:
        from assistant.answer import Answer, Citation  # noqa: PLC0415

        clause_id, run, item = reading.listed
        clause = engine.corpus.by_id[clause_id]
        position = next(i for i, part in enumerate(run.split("、"), start=1) if item in part)
        answer = Answer(reading.question, f"第{position}项是“{item}”。原文：“{run}”[1]", False,
                        [Citation(1, clause, run, "依据")], intents=["fact"])
        attach_reading(answer, reading)
        return answer
    if reading.typed_first and reading.expect:
        typed = engine.ask(reading.question)
        if _rests_on(typed, reading.expect):
            reading.standalone = reading.question
            attach_reading(typed, reading)
            return typed
    answer = engine.ask(reading.standalone)
    if answer.abstained and answer.absence < SURE_ABSENCE and reading.fallback:
        other = engine.ask(reading.fallback)
        if not other.abstained:
            answer, reading.standalone = other, reading.fallback
    if reading.expect and not _rests_on(answer, reading.expect) and not (answer.abstained and answer.absence >= SURE_ABSENCE):
        # the rewritten question found another clause than the one the conversation is about: try the other phrasings
        for phrasing in reading.alternatives:
            other = engine.ask(phrasing)
            if _rests_on(other, reading.expect):
                answer = other
                if phrasing != reading.question:  # say what was answered (the question as typed keeps the reading)
                    reading.standalone = phrasing
                break
    attach_reading(answer, reading)
    return answer


def _cite_discussed_article(answer, law, article: str | None, corpus) -> None:
    """The article the conversation was about stays cited (its card carries the repeal notice)."""
    from assistant.answer import Citation
    from assistant.answer.handlers.common import repeal_notice
    from assistant.laws import lookup_article, parse_article_number

    number = parse_article_number(article) if article else None
    clause = lookup_article(law, number, corpus.by_id) if number else None
    if clause is None or answer.abstained or any(c.clause.clause_id == clause.clause_id for c in answer.citations):
        return
    quote = clause.text if len(clause.text) <= 200 else clause.text[:200]
    answer.citations.append(Citation(len(answer.citations) + 1, clause, quote, "所问条文", repeal_notice(law)))
    answer.text += f"\n所问的{clause.article}{'随该法一并废止' if law.repealed_by else '现行有效'}[{len(answer.citations)}]。"


def _rests_on(answer, clause_ids: tuple[str, ...]) -> bool:
    return not answer.abstained and bool(answer.citations) and answer.citations[0].clause.clause_id in clause_ids


def attach_reading(answer, reading: Reading) -> None:
    """Say how the question was read: 理解为：… before the answer text, and in its notes."""
    answer.question = reading.question
    if reading.rewritten:
        answer.reading = reading.understood
        answer.text = f"{reading.understood}\n{answer.text}"
        answer.notes = [reading.understood, *answer.notes]


def restore_answer(data: dict, corpus):
    """An ``Answer`` object again from its stored JSON, with its clauses from the corpus.

    A clause no longer in the corpus (a removed document) is rebuilt from the stored fields, so an
    old conversation still shows what was cited then.
    """
    from assistant.answer import Answer, Citation
    from assistant.clauses import Clause

    def clause_of(item: dict) -> Clause:
        found = corpus.by_id.get(item["clause_id"])
        if found is not None and found.text == item.get("text", found.text):
            return found
        kind = "plan" if item["clause_id"].startswith("plan-") else "law" if corpus.law(item.get("source", "")) else "doc"
        return Clause(item["clause_id"], item.get("source", ""), kind, item.get("text", ""), item.get("section") or "",
                      item.get("title") or "", item.get("article"))

    citations = [Citation(c["n"], clause_of(c), c["quote"], c.get("role") or "依据", c.get("notice") or "")
                 for c in data.get("citations", [])]
    related = [clause_of(r) for r in data.get("related", [])]
    return Answer(data.get("question", ""), data.get("answer", ""), bool(data.get("abstained")), citations, related,
                  list(data.get("intents", [])), list(data.get("notes", [])))
