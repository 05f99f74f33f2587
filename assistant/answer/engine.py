"""The only place that decides what to say. Stages, in the order the data flows:

    normalise -> decompose -> understand -> gather -> choose -> compose -> verify -> merge

- normalise (``assistant/normalise.py``): NFKC, markup, traditional -> simplified, typos, short forms.
- decompose / understand (``understand.py``): parts, and for each part every plausible intent with a fit.
- gather: first the evidence of absence (a year, unit, person, place, bureau or measure the corpus
  lacks; a frequency, a ranking or a budget no sentence near the subject states; a question with no
  subject); then every candidate intent's handler proposes a draft, and the retrieval floor proposes
  the best evidence sentences.
- choose: one scorer for all drafts, ``fit * support``, where support is the share of the
  question's subject that the draft's cited clauses contain; thresholds live in ``AnswerPolicy``.
- compose: the chosen draft's text, plus 另见 citations from retrieval (so citations never trail it).
- verify: every ``[n]`` resolves and every quote occurs verbatim in its clause; otherwise fall back.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from functools import lru_cache
from typing import Callable

from assistant import currency
from assistant.answer.handlers import load_all
from assistant.answer.handlers.common import (ASKS_QUANTITY, NONE_FOUND, NUMBER, asks_future, carried_articles, content_of,
                                              has_subject, other_year, period_mismatch, readable_quote, subject_of)
from assistant.answer.handlers.evidence import PLAN_CUES, floors, said_of, subject_nouns
from assistant.answer.model import NOT_FOUND, Answer, Citation, Draft
from assistant.answer.policy import AnswerPolicy
from assistant.answer.understand import Glossary, Intent, candidates, understand
from assistant.clauses import squash
from assistant.config import Settings
from assistant.corpus import get_corpus
from assistant.lexical import common_word
from assistant.laws import ABBREVIATIONS
from assistant.bilingual import WordBridge
from assistant.normalise import Normaliser, TypoCorrector
from assistant.retrieve import Hit, SearchIndex, open_index
from assistant.textmatch import best_span, bigrams, coverage, rerank, sentences
from assistant.zh import (ASKS_COUNTY, ASKS_FREQUENCY, ASKS_IN_PREMISE, ASKS_LIFETIME, ASKS_MONTH, ASKS_RANKING,
                          ASKS_WHICH_ARTICLE, BELOW_COUNTY, BUDGET, CONTACT, CONTRACTOR, COUNTERS, COUNTY_NAMED,
                          FREQUENCY, MEASURE_ASKED, MENTION_COUNT, OTHER_UNIT, PENALTY, PER_UNIT, PERSON, PLAN_MAKING,
                          PLAN_PART, PLAN_REVISION, PROGRESS, RATE_TERM, RECORDED_PAST, SPATIAL_DATA, WHY_CHOSEN,
                          asked_action, english_subject, items_in, measured, states_figure_in, unit_asked, unit_pattern,
                          without_years)

# the action a progress question asks about (修复得怎么样了): a recorded result must be of that action
_PROGRESS_ACTION = re.compile(r"修复|治理|整治|整改|建设|推进|落实|执行|实施")
STATED_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:亿元|万元|元|万亩|亩|万吨|吨|个|家|座|处|%)")
ASKS_ITEMS = re.compile(r"哪([两三四五六七八九十几])(个|条|项|类|种|点|方面|家)|分别是|分别在|具体是哪|分别叫|叫什么名|名称分别|各叫|名单|"
                        r"具体(?:是)?哪(?:些|几)")  # 具体哪些村庄 wants names; "哪十二个字" counts characters
# a count that also asks to name what is counted (几个原则？分别是什么): naming them answers both
NAMES_THEM = re.compile(r"分别|都是|是哪|哪些|是什么|有哪|叫什么|\bwhat are\b|\bname them\b", re.IGNORECASE)
ASKS_WHEN = re.compile(r"什么时候|何时|哪一?年|哪天|截止|最晚|\bby when\b|\bwhat year\b|\bdeadline\b|"
                       r"\bwhen (?:must|will|should|is|are|does|do|has|have)\b", re.I)
# a bureau-like name in a question: 州林草局, 市统计局, 县文旅委
_BUREAU_LIKE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:局|委|厅)(?!长)")
# an English bureau name (the public security bureau): checked by its words against the bureaux' English names
_EN_BUREAU = re.compile(r"\b((?:[a-z-]+ ){1,5}?)(?:bureau|commission|administration)\b")
_EN_NOT_A_NAME = set("""the a an of to for and by in on at is are does do did which what who whose prefecture prefectural
changji state local county municipal city tasks task assign assigns assigned give gives role lead leads led plan
this that its their as with from chinese english please name names written exact full official
responsible leading""".split())
_NOT_A_NAME = re.compile(r"[哪个么这那该各其谁由归和与及或是的在里中有些几什]")  # 哪些部委 asks which ministries
EXCLUDED = re.compile(r"(?:不包括|不含|不涵盖)([\u4e00-\u9fff]{2,8})(?=[)）,，。;；])")
# the question asks about the plan's scope itself ("包不包括兵团", "兵团在不在范围内"): answered from the scope line
ASKS_SCOPE = re.compile(r"包括|包含|涵盖|在不在|范围|覆盖|\b(include|cover|scope)")
_NEEDS_SUBJECT = ("lead_bureau", "target", "deadline", "fact", "definition")
LAW_KINDS = ("law_article", "law_status")  # answered from the laws' articles
# an instrument named by its title, or by a name that ends like a regulation's (地下水管理条例)
_INSTRUMENT = re.compile(r"《([^》]{2,40})》|([\u4e00-\u9fff]{2,16}?(?:条例|办法|实施细则))")
# an unquoted "…办法" that is a phrase, not a title: it says 的, points at an article, or is generic
_NO_TITLE = re.compile(r"的|第[一二三四五六七八九十百零\d]+条|^(?:具体|相关|有关|配套|管理|实施)+(?:办法|条例|实施细则)$")
_ASKS_ARTICLE = re.compile(ASKS_WHICH_ARTICLE.pattern + r"|第[一二三四五六七八九十百零\d]+条|条文|原文怎么", re.IGNORECASE)


# what a named instrument says: its rules, standards, penalties (not whether the plan cites it)
_ASKS_CONTENT = re.compile(r"怎么规定|如何规定|规定了?(?:什么|哪些|啥)|有什么规定|标准是|什么标准|罚款标准|要求是什么|怎么说")
# a code for a measured quantity (PM2.5, SO2, COD5): a plan question about one the plan never names has no answer
_MEASURE_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,4}\d+(?:\.\d+)?(?![A-Za-z0-9])")
# an upper-case term in a Chinese question (GDP, COD): the plan writes the few it uses (PPP)
_ACRONYM = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,6}(?![A-Za-z0-9])")
_STANDARD_PREFIX = re.compile(r"(?:GB|HJ|DB\d{0,2}|CJJ|CJ|NY|SL|HG|GBZ)(?:[\d/]|$)")  # standard codes: looked up elsewhere
_ABOUT_LAW = re.compile(r"法|条例|\b(?:law|code|statute)\b", re.IGNORECASE)
# what a question says the plan says, before it turns to the law: "规划说X，那按法典…"
PLAN_PREMISE = re.compile(r"(?:规划|文中|里面|文件)(?:里|中|上)?(?:(?:说|讲|提到|谈到|写着?|写到|要求|规定|让|提出|明确|部署)[了的]?[，,：:]?|"
                          # 规划鼓励对…做土壤调查 / 规划里推行农用地分类管理: the plan's own verb is part of what it says
                          r"(?=鼓励|提倡|强调|支持|推行|禁止))([^，,。；;？?]{6,60})")
# whether something is allowed (能不能设排污口, 可以…吗, is it allowed to): a law rules it, the plan assigns tasks
PERMISSION_ASKED = re.compile(r"能不能|可不可以|能否|可否|允不允许|准不准|是否允许|是否可以|是否禁止|让不让|"
                              r"\b(?:can|may) (?:they|you|one|a|an|the|companies|enterprises|farmers|it)\b|\bis it (?:allowed|permitted|legal)\b|"
                              r"\ballowed to\b|\bpermitted to\b", re.IGNORECASE)
# words that date a question after the plan was written: what they ask is progress, not the plan's review
PRESENT_TIME = re.compile(r"现在|目前|如今|眼下|当前|至今|截至|今年|去年|前年|上半年|下半年|最近|这两年|这几年|近年|"
                          r"20(?:2[1-9]|3\d)年|\b(?:now|currently|so far|to date|this year|last year|recently)\b", re.IGNORECASE)
# the plan's own account of the 十三五 period (what was done before it was written)
REVIEW_SECTION = "一、规划背景"
# which documents a requirement rests on (依据哪几部法律, 根据什么文件提出的, based on which laws)
BASIS_ASKED = re.compile(r"(?:是)?(?:依据|根据|按照|依照|基于|贯彻|落实|执行)(?:的)?(?:是)?(?:哪|什么|啥)(?:几|些|两|三|四)?(?:部|个|份|项)?"
                         r"(?:法律|法规|文件|规定|政策)"
                         r"(?:提出的?|制定的?|来的|定的)?|(?:政策|文件)依据(?:是|有)(?:哪|什么|啥)(?:几|些)?(?:部|个)?(?:法律|文件)?|"
                         r"\b(?:based on|under|pursuant to) which (?:laws?|acts?|documents?|regulations?)\b|"
                         r"\bwhich (?:laws?|acts?|documents?) (?:is|are) (?:it|this|that) based on\b", re.IGNORECASE)
# a paragraph naming the documents it rests on: 依据《大气污染防治法》《水污染防治法》…
BASIS_SPAN = re.compile(r"(?:依据|根据|按照|依照|贯彻|落实|执行)((?:《[^》]{2,40}》[、和及与,，]?){1,8})")
# "how many household toilets will…": the words between "how many" and the verb name what is counted
EN_COUNTED = re.compile(r"\bhow many\s+((?:[a-z-]+\s+){0,6}?[a-z-]+?)\s+(?:will|were|was|are|is|did|do|does|have|has|had|"
                        r"can|could|should|must|would|in|inside|within|at|across|from|by|per|of|for|on|under|that|there|"
                        r"[a-z]+ed)\b")  # (a verb in the past: "villages finished…" counts villages)
# the label an evidence line opens with (规划 · 三、主要任务 > …：“…”): no part of what is quoted
EVIDENCE_LABEL = re.compile(r"[^\n“”]*：(?=“)")


def _quoted_text(draft: Draft) -> str:
    """What a draft quotes and says, without its evidence labels (…> 3.农村黑臭水体整治：), whose numbers are none
    of the evidence's figures."""
    return " ".join(q for _, q, *_ in draft.cited) + " " + EVIDENCE_LABEL.sub("", draft.text)


# the question asks what the plan itself holds (规划里…, 这个规划…, 规划中设立的…), not what a law says
PLAN_POINTED = re.compile(r"(?:这个|这份|本|该)规划|规划(?:里|中|内|上|当中)")
# nouns a question asks with (时间节点, 哪些方面), not what it is about; and the law everyone calls 法典
ASKING_NOUNS = ("时间节点", "时间点", "时间", "节点", "法典", "方面", "情况", "内容", "范围")
# the noun right after an asking word names the kind of answer wanted (哪些对象, 什么措施), not what is asked about
ASKED_CATEGORY = re.compile(r"(?:哪些|哪几[个类种项条]?|哪[个类种项]|什么|啥)[\u4e00-\u9fff]{0,2}")
# time words that point from today (目前, 今后, 近期), not a stage of the plan's own life (中期): never a premise
DEICTIC_TIME = re.compile(r"今|去年|明年|前年|目前|现在|当前|近期|以前|以后|今后|将来|未来|最近|以来")
# the question points at the plan's text: by name, or as "里面说…" / "文中…" (the plan an earlier turn quoted)
_SAYS_PLAN = re.compile(r"规划|文中|(?:里面|文件里)(?:说|提到|写)|\bthe plan\b", re.IGNORECASE)
# the same in English: "The plan puts practitioners' records into the credit system. Which article…"
PLAN_PREMISE_EN = re.compile(r"\bthe plan (?:says|requires|puts|asks|bans|sets|calls for|wants|states|mentions|plans to|"
                             r"forbids|prohibits|orders|demands|pushes|aims|targets|promotes|encourages|proposes)\b([^.?;]{6,200})",
                             re.IGNORECASE)
# the question asks what a figure it quotes is ("这个数指的是啥", "what does 14.53 refer to")
ASKS_WHAT_FIGURE = re.compile(r"指的?是?(?:啥|什么)|指什么|是什么|是啥|啥意思|什么意思|说的是|哪来的|出自|怎么来的|"
                              r"\b(?:refers? to|stand for|mean)\b", re.IGNORECASE)
# a figure distinctive enough to look up verbatim: 1207.16, 14.53, 3000 (not 5 or 30)
_DISTINCT_FIGURE = re.compile(r"(?<![\d.])(?:\d+\.\d+|\d{3,})(?![\d.])")
# "是不是10吨" / "是否为95%" / "10吨吗": the clause offers the figure as a guess to check
_GUESS = re.compile(r"是不是|是否|还是|难道|大概|应该是|会不会|\bis it\b", re.IGNORECASE)


def _enumerated(figure: str, hits) -> bool:
    """"那5家单位是哪几家": a count the plan does not write as a number but lists, name by name (five names
    in a 、-separated run), is no false premise."""
    m = re.fullmatch(r"(\d+)\s*[个家项座处条类]", figure)
    if not m:
        return False
    wanted = int(m.group(1))
    runs = [run for h in hits for run in re.split(r"[，,。；;：:]", h.clause.text)]
    # "A、B…I等矿区…及各县(市)…": nine names, whatever 及 joins after them
    return any(wanted in (items_in(run), len(run.split("、"))) for run in runs)


def _rate_said_of(question: str, figure: str) -> str:
    """The rate (…率) a question's figure is said of, in the same clause of the question, else ''."""
    for part in re.split(r"[，,。；;？?]", question):
        if figure in part:
            rates = RATE_TERM.findall(part)
            return rates[-1] if rates else ""
    return ""


def _guessed(question: str, figure: str) -> bool:
    """Whether the clause holding ``figure`` offers it as a guess rather than stating it as a premise."""
    for part in re.split(r"[，,。；;！!]|(?<=[？?])", question):
        if figure in part:
            return bool(_GUESS.search(part) or re.search(r"[吗嘛]\s*[？?]?\s*$", part))
    return False


@lru_cache(maxsize=512)
def place_names(text: str) -> tuple[str, ...]:
    """Place names in a question (jieba's ns tag), to spot questions about another region (cached: every
    draft's shape check asks again)."""
    import jieba.posseg  # noqa: PLC0415 - loaded on first use; shares jieba's dictionary

    tokens = [(w.word, w.flag) for w in jieba.posseg.cut(text)]
    found = []
    for i, (word, flag) in enumerate(tokens):
        if flag != "ns":
            continue
        following = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if following in ("市", "州", "县", "区", "盟", "省", "地区"):  # jieba cuts 沙湾/市: the suffix is the place's own
            word += following
        if len(word) >= 3 and re.search(r"(市|州|县|区|地区|盟|省)$", word) and not word.startswith("各"):
            found.append(word)
    return tuple(found)


def _abbreviates(short: str, full: str) -> bool:
    """自规局 abbreviates 自然资源和规划局: same first and last character, the rest in order inside it."""
    if len(short) >= len(full) or short[0] != full[0] or short[-1] != full[-1]:
        return False
    rest = iter(full[1:-1])
    return all(ch in rest for ch in short[1:-1])


class AnswerEngine:
    """Answers questions; safe to share between threads (the app's sessions)."""

    def __init__(self, index: SearchIndex, glossary: Glossary, policy: AnswerPolicy | None = None):
        self.index, self.corpus, self.glossary = index, index.corpus, glossary
        self.policy = policy or AnswerPolicy()
        self.handlers = load_all()
        self._local = threading.local()  # per-thread memo of searches, alive for one question
        self.plan_text = squash("".join(c.text for c in self.corpus.plan()))
        # the plan without its preface, which announces parts (部署的重大工程) the scraped text may have lost
        self.plan_body = squash("".join(c.text for c in self.corpus.plan() if c.section != "前言")).lower()
        self.all_text = squash("".join(c.text for c in self.corpus.clauses if c.kind != "law"))
        self.law_text = squash("".join(c.text for c in self.corpus.clauses if c.kind == "law"))
        self.responsibility = {r.clause_id: r for r in self.corpus.facts.responsibilities}
        self.correspondences = currency.correspondences(index.settings.corpus_dir)  # old law article -> Code
        self.known_years = {int(y) for y in re.findall(r"(20\d\d)", self.plan_text)}
        # whether the plan lists places below a county (X镇、Y乡): a list of at least two such names
        self.names_towns = bool(re.search(r"[\u4e00-\u9fff]{2,4}[乡镇村]、[\u4e00-\u9fff]{2,4}[乡镇村]", self.plan_text))
        # what the plan names only to leave out of its scope: 3个国家级园区(不包括兵团)
        self.excluded = sorted({m for m in EXCLUDED.findall(self.plan_text)
                                if self.plan_text.count(m) == len(re.findall(rf"(?:不包括|不含|不涵盖){m}", self.plan_text))},
                               key=len, reverse=True)
        self.added_sources = " ".join({c.source for c in self.corpus.clauses if c.kind == "doc"})  # officials' files
        self.law_names = sorted({n for law in self.corpus.laws for n in (law.name, law.short_name)}
                                | set(ABBREVIATIONS), key=len, reverse=True)  # longest first
        directory = self.corpus.facts.directory
        # the words of the bureaux' English names (ecology, housing…): an English bureau name with none is unknown
        self.bureau_words_en = {w for b in directory.bureaux for alias in b.aliases
                                for w in re.findall(r"[a-z]{3,}", alias.lower())} - {"bureau", "commission", "and"}
        protected = [n for b in directory.bureaux for n in (b.canonical, *b.aliases)] + self.law_names
        texts = [c.text for c in self.corpus.clauses if c.kind != "law"] + \
            [c.text for c in self.corpus.clauses if c.kind == "law" and c.source.endswith("法典")]
        self.vocabulary: set[str] = set().union(*(bigrams(c.text) for c in self.corpus.clauses))
        self.normalise = Normaliser(TypoCorrector(texts, protected, is_word=common_word), glossary.abbreviations)
        if not glossary.bridge.glosses:  # English words the glossary lacks, read as the plan's words: a word only
            # the laws use (噪声污染) would make a question about something the plan lacks look answerable
            glossary.bridge = WordBridge.build(self.plan_text)

    @staticmethod
    def open(settings: Settings | None = None, notice: Callable[[str], None] | None = None,
             progress: Callable[[str, int, int], None] | None = None,
             policy: AnswerPolicy | None = None) -> "AnswerEngine":
        settings = settings or Settings.from_env()
        corpus = get_corpus(settings)
        index = open_index(settings, corpus, notice=notice, progress=progress)
        index.warm_up()
        engine = AnswerEngine(index, Glossary.load(settings.corpus_dir / "glossary_en.json"), policy)
        # load OpenCC, pypinyin and jieba's tagger now (~0.6 s), not in an official's first question
        engine.normalise("農村污水治理由哪個部門簽頭")
        place_names("昌吉州")
        return engine

    # -- services the handlers use ---------------------------------------------------------
    def search(self, intent: Intent, k: int = 5, scope: str | None = "plan") -> list[Hit]:
        """Fused search, memoised for the question being answered: every handler asks much the same.

        A search for a law's article always fuses both rankings: the laws' articles are many and alike (the
        Code's repeat the same terms), so a clear BM25 lead says less there than among the plan's paragraphs
        (measured: 法律上土壤污染是怎么定义的 went to a tailings-pond article when BM25 decided alone)."""
        weight = self.policy.dense_weight_en if intent.english else None  # None: Settings decide (by scope)
        may_decide = intent.kind not in LAW_KINDS
        key = (intent.search_text, scope, weight, may_decide)
        memo = getattr(self._local, "memo", None)
        if memo is None:
            return self.index.search(intent.search_text, k=k, scope=scope, dense_weight=weight,
                                     bm25_may_decide=may_decide)
        cached = memo.get(key)
        if cached is None or k > cached[0]:
            depth = max(k, 10)
            cached = (depth, self.index.search(intent.search_text, k=depth, scope=scope, dense_weight=weight,
                                               bm25_may_decide=may_decide))
            memo[key] = cached
        return cached[1][:k]

    def plan_hits(self, intent: Intent, k: int = 5) -> list[Hit]:
        """The plan's paragraphs, and officials' added documents when there are any (they are evidence too)."""
        return self.search(intent, k=k, scope="local" if self.corpus.documents else "plan")

    def abstain(self, intent: Intent, reason: str, absence: float = 0.3) -> Draft:
        """A refusal; ``absence`` says how sure it is that the corpus lacks the answer (see AnswerPolicy)."""
        draft = Draft(intent.kind, abstained=True, absence=absence)
        draft.text = NOT_FOUND + (reason or "")
        scope = "laws" if intent.kind in LAW_KINDS else "plan"
        draft.related = [h.clause for h in self.search(intent, k=3, scope=scope)]
        return draft

    # -- entry point ---------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        if question is None:
            return Answer("", "请输入一个问题，例如：“哪个部门牵头农村生活污水治理？”", True, notes=["empty"])
        raw = question if isinstance(question, str) else str(question)
        limit = self.index.settings.max_question_chars
        if len(raw) > limit:
            return Answer(raw[:200], f"问题太长（{len(raw)} 字）。请把问题缩短到 {limit} 字以内，一次问一件事。",
                          True, notes=["too_long"], seconds=time.perf_counter() - started)
        norm = self.normalise(raw)
        if not re.search(r"\w", norm.text):
            return Answer(raw, "请输入一个问题，例如：“哪个部门牵头农村生活污水治理？”", True, notes=norm.notes + ["empty"],
                          seconds=time.perf_counter() - started)
        primaries = understand(norm.text, self.corpus, self.glossary)
        self._local.memo = {}
        try:
            drafts = [self.answer_part(candidates(p, self.policy.fit_primary, self.policy.fit_alternative))
                      for p in primaries]
        finally:
            self._local.memo = None
        answer = self.verify(self.merge(raw, drafts, primaries), primaries[0])
        answer.absence = max((d.absence for d in drafts if d.abstained), default=0.0)
        if len(drafts) > 1:
            answer.parts = [(p.text, d.abstained, d.absence, d.text) for p, d in zip(primaries, drafts)]
        answer.notes = norm.notes + answer.notes
        if norm.changes:
            answer.reading = f"理解为：{norm.text}（{norm.reading}）"
            answer.notes.append(answer.reading)
        prefix = [*norm.notes] + ([answer.reading] if answer.reading else [])
        if prefix:
            answer.text = " ".join(prefix) + "\n" + answer.text
        answer.seconds = time.perf_counter() - started
        return answer

    # -- gather and choose, per part -------------------------------------------------------
    def answer_part(self, intents: list[Intent]) -> Draft:
        primary = intents[0]
        quoted = self.figure_source(primary)  # before absence: "What does 80.36% refer to" has no other subject
        if quoted is not None:
            return quoted
        based = self.plan_basis(primary)
        if based is not None:
            return based
        absent = self.absence(primary)
        if absent is not None:
            return absent
        proposals: list[Draft] = []
        for intent in intents:
            draft = self.handlers.get(intent.kind, self.handlers["fact"])(self, intent)
            draft.fit = intent.fit
            if not draft.abstained and draft.support is None:
                draft.support = self.support(intent, draft)
            proposals.append(draft)
        if primary.kind in ("lead_bureau", "target", "deadline", "fact", "definition", "law_article"):
            for evidence in floors(self, primary):
                evidence.fit = self.policy.fit_evidence
                evidence.support = self.support(primary, evidence) if not evidence.abstained else 0.0
                if evidence.support >= self.policy.min_floor_support:
                    proposals.append(evidence)
        first = proposals[0]
        if first.abstained and first.absence >= self.policy.min_absence:
            return first  # the handler found evidence of absence (a qualitative goal, no such row)
        answers = [d for d in proposals if not d.abstained and self.shape_ok(primary, d)]
        best = max(answers, key=lambda d: d.score, default=None)
        if best is not None and best.score >= self.policy.min_answer_score:
            return self._ruled_by_law(primary, best, answers)
        refusals = sorted((d for d in proposals if d.abstained), key=lambda d: -d.absence)
        return refusals[0] if refusals else self.abstain(primary, "")

    def _ruled_by_law(self, intent: Intent, best: Draft, answers: list[Draft]) -> Draft:
        """"保护区里能不能设排污口": whether something is allowed is the law's to say. A plan paragraph chosen for
        such a question gives way to the laws' evidence when that names more of what is asked (排污口) than the
        paragraph does; a question that points at the plan (规划里…) keeps the plan's answer."""
        if not PERMISSION_ASKED.search(intent.text) or PLAN_CUES.search(intent.text) \
                or any(clause.kind == "law" for clause, *_ in best.cited):
            return best
        nouns = subject_nouns(intent.match_text)
        said = lambda draft: sum(n in " ".join(q for _, q, *_ in draft.cited) for n in nouns)  # noqa: E731
        law = max((d for d in answers if d is not best and d.cited and all(c.kind == "law" for c, *_ in d.cited)),
                  key=said, default=None)
        return law if law is not None and said(law) > said(best) else best

    def shape_ok(self, intent: Intent, draft: Draft) -> bool:
        """An answer must have the shape asked for, whatever handler proposed it: a 十四五 question is not
        answered by 十三五 history alone, "who" names a bureau, a county's figure is that county's, "哪三个"
        enumerates, "罚多少" sets a penalty, "什么时候" gives a date, and "how many" a number in the unit
        asked (or "none were found")."""
        quoted = " ".join(q for _, q, *_ in draft.cited) + " " + draft.text
        cited = [clause for clause, *_ in draft.cited]
        if intent.kind == "lead_bureau" and not re.search(r"局|委|厅|部门|政府|单位|管委会", quoted):
            return False  # "who leads" needs someone named
        if intent.kind == "lead_bureau" and draft.list_answer and not re.search(r"局|委|厅|政府|管委会", quoted):
            return False  # 牵头的是哪两个局: a list of other things (部门间联动监管、信息共享) names no bureau
        if draft.kind == "evidence" and intent.years and draft.cited and \
                all(other_year(q, intent.years) for _, q, *_ in draft.cited):
            return False  # 到2035年…要达到什么: sentences about 2025 alone are about another year
        if draft.list_answer:  # a law's question (法律上分成哪几类) is not answered by a list of the plan's items
            return intent.kind != "law_article" or any(c.kind == "law" for c in cited)
        if asks_future(intent.text) and cited and all(period_mismatch(intent.text, c) for c in cited):
            return False  # a 十四五 question is not answered by the 十三五 record alone
        # the plan writes 吉木萨尔县 and 吉木萨尔 alike: a county counts as named by either form
        # (a county-level city, 阜康市, is a county here: 264 villages for the prefecture are not 阜康市's share)
        county = next((form for p in place_names(intent.text) if p.endswith(("县", "市")) and p != "昌吉州"
                       for form in (p, p[:-1]) if squash(form) in self.plan_text), None)
        if county and intent.kind in ("target", "fact", "deadline") and county not in quoted:
            return False  # asked about one county, the evidence must be about that county
        # "哪几个部门负责": a lead answer names the bureaux the plan names, however many that is
        count = ASKS_ITEMS.search(intent.text) if intent.kind != "lead_bureau" else None
        if count and re.match(r"分别(?:是|为)(?:多少|什么|啥)", intent.text[count.start():]) \
                and re.search(r"[和与及、]", intent.text[:count.start()]):
            count = None  # 基准值和目标值分别是多少: two values named, not a list to enumerate
        # "哪三个 / 分别是哪些": the evidence must enumerate (、-separated), as many items as a number says;
        # "哪十二个字" counts characters, not items
        if count and not re.search(r"[个]?字", intent.text[count.end():count.end() + 2]):
            said = re.search(r"(\d+)\s*[个家项条类所座]", intent.text)
            wanted = int(said.group(1)) if said else \
                {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}.get(count.group(1) or "", 2)
            # a law's 分成哪几类: the items are named as kinds (优先保护类、安全利用类和严格管控类), not any 、-list
            kind = "类" if count.group(2) == "类" and any(c.kind == "law" for c in cited) else ""
            # the answer without the labels of the evidence it quotes (规划 · 二、总体要求 > …：“…”)
            evidence = _quoted_text(draft)
            # “双源”(集中式地下水型饮用水源和地下水污染源): two things are named joined by 和 as well as by 、
            pair = re.compile(r"[\u4e00-\u9fff]{2,}(?:和|及|与)[\u4e00-\u9fff]{2,}") if wanted == 2 and not kind else None
            if not any(items_in(run) >= wanted and run.count(kind) >= min(wanted, 2) if kind else
                       items_in(run) >= wanted or pair is not None and pair.search(run)
                       for run in re.split(r"[，,。；;：:]", evidence)):
                return False
        if ASKS_COUNTY.search(intent.text) and not intent.laws and not COUNTY_NAMED.search(quoted):
            return False  # "建在哪个县" is answered by evidence that names a county
        if PENALTY.search(intent.text) and not re.search(r"罚|拘留|处分|责令|吊销|没收|赔偿", quoted):
            return False  # "罚多少" is answered by an article that sets a penalty
        # a "when" is answered by a date, or by a condition in time (…修复完成后再投入使用, 验收合格后方可)
        if ASKS_WHEN.search(intent.text) and not re.search(r"20\d\d|年底|年前|限期|月|日|期限|前完成|逐年|"
                                                          r"(?:完成|结束|验收|达标|合格|修复|建成|批准)(?:之|以)?后|后再|方可", quoted):
            return False
        if not ASKS_QUANTITY.search(intent.text):
            return True
        unit = unit_asked(intent.text)
        if (intent.kind == "lead_bureau" or unit in COUNTERS and NAMES_THEM.search(intent.text)) and \
                any(items_in(run) >= 2 for run in re.split(r"[，,。；;：:]", quoted)):
            return True  # 牵头单位有几个？都是谁 / 土壤法规定了几个原则？: the things named are counted by naming them
        # 农药使用商品量多少吨: a figure in the unit asked, read off a sentence, must be said of what is measured,
        # not of 化肥 beside it (a table row is matched already; "基准值是多少" names a column, not a subject)
        what = bigrams(measured(intent.text)) if unit and draft.kind in ("fact", "evidence") else set()
        # "how many toilets": a count of something else (达到264个 villages) is no answer; the thing counted,
        # in the glossary's Chinese, must share a character with the clause giving the count
        counted = self._english_counted(intent.text) if intent.english and unit and unit in COUNTERS else []
        written = unit_pattern(unit, intent.text)
        # the figures are read off what is quoted, not off the labels of the evidence (…> 3.农村黑臭水体整治：“…”)
        quoted = _quoted_text(draft)
        if not unit:  # "有多大" asks a figure; the year a sentence is dated (到2035年) is none
            quoted = without_years(quoted)
        for m in NUMBER.finditer(quoted):
            if not re.search(written, quoted[m.start():m.end() + 6]):
                continue
            clause = re.split(r"[，,；;。]", quoted[: m.start()])[-1] + re.split(r"[，,；;。]", quoted[m.start():], maxsplit=1)[0]
            if counted and not any(set(word) & set(clause) for word in counted):
                continue  # (a character in common: 示范区 for zones -> 分区, 示范村 for villages -> 村庄)
            if not what or len(what & bigrams(clause)) >= self.policy.min_measured_share * len(what):
                return True
        return bool(NONE_FOUND.search(quoted))

    def _english_counted(self, text: str) -> list[str]:
        """The Chinese words for what an English "how many" counts: its last noun (toilets -> 改厕) and what the
        last two words name together, less what the word before names alone (livestock farms -> 养殖场, not
        畜禽; village toilets -> 改厕, not 村庄); [] when none is known."""
        m = EN_COUNTED.search(text.lower())
        if not m:
            return []

        def chinese(phrase: list[str]) -> list[str]:
            joined = " ".join(phrase)
            return self.glossary.expand(joined)[len(joined):].split()

        words = m.group(1).split()
        head = chinese(words[-1:])
        before = set(chinese(words[-2:-1])) if len(words) >= 2 else set()
        pair = [w for w in chinese(words[-2:]) if w not in before] if len(words) >= 2 else []
        return list(dict.fromkeys(head + pair))

    def support(self, intent: Intent, draft: Draft) -> float:
        """Share of the question's subject found in the clauses the draft cites (their full text).

        Only the subject's bigrams that occur somewhere in the corpus count: colloquial words (那会儿,
        签头) can be in no evidence at all, so they must not make every draft look equally weak.
        """
        question = intent.match_text
        for name in self.law_names:  # a law's name is never in its own articles' text
            question = question.replace(name, " ")
        return self.covers(subject_of(question) or question, " ".join(clause.text for clause, *_ in draft.cited))

    def covers(self, question: str, evidence: str) -> float:
        """``coverage`` counting only the question's bigrams that the corpus has somewhere."""
        wanted = bigrams(question) & self.vocabulary
        return len(wanted & bigrams(evidence)) / len(wanted) if wanted else 0.0

    def _premise_word_not_in_plan(self, question: str) -> str | None:
        """A word of what the question says the plan says that the plan never uses, while the laws do (so a
        term of the field, not a colloquial paraphrase): 焚烧 in 规划说…建成危险废物焚烧中心. A premise that
        itself asks (规划要求送到哪里) is a question, not a premise."""
        said = PLAN_PREMISE.search(question)
        if said and not ASKS_IN_PREMISE.search(said.group(1)):
            premise, flags, least = said.group(1), ("n", "v"), 1
        elif PLAN_POINTED.search(question):
            # 规划里噪声那一章…, 规划里设立的…基金: the thing asked about, nouns only, and only a term the laws use
            # more than once (not 节点 or 适用范围, which a law happens to write once), never a law's own name
            premise, flags, least = question, ("n", "t"), 2
            for name in (*self.law_names, *ASKING_NOUNS):
                premise = premise.replace(name, " ")
            premise = ASKED_CATEGORY.sub(" ", premise)  # 是哪些对象: the kind of thing asked for, not a premise
        else:
            return None
        from assistant.lexical import _ensure_jieba  # noqa: PLC0415 - jieba loads with the lexical index
        import jieba.posseg  # noqa: PLC0415

        _ensure_jieba()
        premise = re.sub(r"\([^()]*\)", " ", premise)  # the plan's word normalising added (地膜(农用薄膜)) is no premise
        for token in jieba.posseg.cut(premise):
            word = token.word
            if len(word) >= 2 and token.flag[:1] in flags and word[0] not in "不没未无非" and not DEICTIC_TIME.match(word) \
                    and word not in self.plan_text and self.law_text.count(word) >= least:
                return word
        return None

    def absence(self, intent: Intent) -> Draft | None:
        """Evidence of absence: what the question is about is not in the corpus at all."""
        q = intent.text
        missing = self._instrument_not_held(q) if intent.kind != "clause_id" else None
        if missing:  # asked even of a cited document: the plan names it, but which article is not known here
            return self.abstain(intent, f"所收录的法律中没有《{missing}》的条文，无法指出其中的具体条款。", absence=0.85)
        if intent.kind in ("clause_id", "cited_document", "law_status", "legal_bases"):
            return None
        if CONTACT.search(q):
            return self.abstain(intent, "规划和法律中没有联系方式类信息。", absence=0.95)
        if PLAN_MAKING.search(q) and intent.kind != "law_article" and not intent.laws:
            return self.abstain(intent, "所收录的规划文本从正文开始，没有封面、编制说明或印发通知，看不出编制、印发的单位和日期。",
                                absence=0.85)
        if PLAN_REVISION.search(q):
            return self.abstain(intent, "规划文本没有写它自己是否或何时修订、评估；它只写“十四五”期间的目标、任务和分工。",
                                absence=0.85)
        if PERSON.search(q):
            return self.abstain(intent, "规划和法律只写部门和职责，不涉及具体人员或职务人选。", absence=0.9)
        if BUDGET.search(q) and intent.kind != "law_article" and not intent.laws and not self._money_said_of(intent):
            return self.abstain(intent, "规划没有给出这项工作的资金数额（预算、经费不在规划文本中）。", absence=0.8)
        spatial = SPATIAL_DATA.search(q)
        if spatial and squash(spatial.group(0)).lower() not in self.plan_text.lower():
            return self.abstain(intent, "规划文本只写地名和数量，没有点位编号、坐标、经纬度或图件。", absence=0.9)
        if BELOW_COUNTY.search(q) and intent.kind != "law_article" and not intent.laws and not self.names_towns:
            return self.abstain(intent, "规划只写到县(市)和园区一级，没有列出具体的乡镇或村。", absence=0.85)
        contractor = CONTRACTOR.search(q)
        if contractor and intent.kind != "law_article" and not intent.laws and squash(contractor.group(0)) not in self.plan_text \
                and not _ABOUT_LAW.search(q):  # "施工单位转运污染土壤，按现行法要报哪里" asks the law, which names them
            return self.abstain(intent, "规划只写各部门的职责分工，不涉及项目的承建、施工或中标单位。", absence=0.85)
        if PROGRESS.search(q) and (not RECORDED_PAST.search(q) or any(y > 2020 for y in intent.years)) \
                and not self._recorded_in_review(intent):
            return self.abstain(intent, "规划只写要求、目标和时限，不记录规划印发后的执行进度；进展情况请向牵头部门了解。",
                                absence=0.85)
        plan_only = intent.kind != "law_article" and not intent.laws
        if PER_UNIT.search(q) and plan_only and not re.search(r"每|平均|人均|户均", self.plan_text):
            money = "资金（以元计）" if re.search(r"补助|补贴|资金|钱|经费|费用|元|funding|money|subsid", q, re.I) else ""
            return self.abstain(intent, f"规划只写{money or '数量'}总数和比例，没有按每个村、每户或人均分摊的数字。",
                                absence=0.85)
        if ASKS_LIFETIME.search(q) and plan_only and not re.search(r"年限|寿命|库容", self.plan_text):
            return self.abstain(intent, "规划只写设施的数量和达标情况，没有写使用年限、剩余寿命或库容。", absence=0.8)
        if ASKS_MONTH.search(q) and plan_only and not re.search(r"\d\s*月|[一二三四五六七八九十]月", self.plan_text):
            return self.abstain(intent, "规划的时限只写到年份（如“2023年底前”“到2025年”），没有具体月份。", absence=0.8)
        if ASKS_FREQUENCY.search(q) and not MENTION_COUNT.search(q) and not self._frequency_said_of(intent):
            return self.abstain(intent, "规划和法律只要求定期开展，没有规定具体的次数或频次。", absence=0.8)
        if ASKS_RANKING.search(q) and plan_only and not any("最" in h.clause.text for h in self.plan_hits(intent, k=5)):
            return self.abstain(intent, "规划没有对各县(市)、河段或企业做比较排名，只写了范围和要求。", absence=0.8)
        measure = MEASURE_ASKED.search(q) if plan_only and not intent.english else None
        if measure and squash(measure.group(1)[-3:]) not in self.plan_text:
            return self.abstain(intent, f"规划中没有“{re.split('的', measure.group(1))[-1]}”这项数据。", absence=0.8)
        foreign = self._premise_word_not_in_plan(q) if not intent.english else None
        if foreign:
            return self.abstain(intent, f"规划中没有“{foreign}”的提法，问题的前提与规划不符。", absence=0.8)
        if WHY_CHOSEN.search(q) and intent.kind != "law_article" and not intent.laws:
            return self.abstain(intent, "规划只写要求、目标和范围，没有说明为何这样确定（目标值、范围的理由不在规划文本中）。",
                                absence=0.8)
        part = next((m for m in PLAN_PART.finditer(q) if squash(m.group(0)).lower() not in self.plan_body),
                    None) if not intent.laws else None
        if part:
            last = self.corpus.plan()[-1].section.split(" > ")[-1]
            return self.abstain(intent, f"所收录的规划文本没有“{part.group(0)}”这一部分：抓取的网页在“{last}”一节中途截断，"
                                        "其后的内容不在文本中。", absence=0.85)
        for year in intent.years:
            if year not in self.known_years and intent.kind in ("target", "deadline", "fact", "lead_bureau", "definition",
                                                                "list_by_bureau"):
                return self.abstain(intent, f"规划没有提出 {year} 年的目标或时限（规划期为“十四五”，远景到 2035 年）。",
                                    absence=0.9)
        if intent.kind not in ("law_article",):
            for place in place_names(q):
                stem = re.sub(r"(市|州|县|地区|盟|省)$", "", place)
                if squash(place) not in self.plan_text and squash(stem) not in self.plan_text:
                    return self.abstain(intent, f"规划只覆盖昌吉州，没有关于“{place}”的内容。", absence=0.9)
            other = OTHER_UNIT.search(q)
            if other and squash(other.group(0)) not in self.plan_text:
                return self.abstain(intent, f"规划只涉及昌吉州及其县市，没有关于“{other.group(0)}”的内容。", absence=0.9)
            excluded = next((e for e in self.excluded if e in q), None)
            if excluded and not ASKS_SCOPE.search(q):  # "(不包括兵团)": the plan names it only to leave it out
                return self.abstain(intent, f"规划范围不包括{excluded}，规划中没有关于{excluded}的目标或任务。", absence=0.9)
            for name in self._unknown_bureaux(q):
                return self.abstain(intent, f"规划中没有出现“{name}”，它不在任何任务的责任单位之列。", absence=0.85)
            if intent.english and not intent.bureaux:
                for name in self._unknown_english_bureaux(q):
                    return self.abstain(intent, f"规划中没有出现“{name}”这一部门，它不在任何任务的责任单位之列。",
                                        absence=0.85)
        figures = STATED_FIGURE.findall(q) if intent.kind != "law_article" else []
        hits = self.plan_hits(intent, k=5) if figures else []
        nearby = squash(" ".join(h.clause.text for h in hits))
        for figure in figures:  # "从4个增加到10个": a figure the plan never states about this is a false premise
            if _guessed(q, figure):
                continue  # "门槛是多少？是不是10吨？": a guess to be checked, not a premise; the answer corrects it
            if squash(figure) not in nearby and not _enumerated(figure, hits):
                return self.abstain(intent, f"规划中没有“{figure}”这一数字，问题的前提与规划不符。", absence=0.8)
            rate = _rate_said_of(q, figure)
            if rate and not any(figure in sentence and rate[-3:] in sentence for h in hits
                                for sentence in re.split(r"[。；;]", h.clause.text)):
                # "农村生活污水治理率达到50%": the plan's 50% is of 分类减量行政村占比, not of this rate
                return self.abstain(intent, f"规划没有给“{rate}”定“{figure}”，问题的前提与规划不符。", absence=0.8)
            holders = [h.clause for h in hits if squash(figure) in squash(h.clause.text)]
            if "十四五" in q and holders and all(period_mismatch(q, c) for c in holders):
                # "规划给十四五安排了1.6亿元": the plan states the figure, but as a 十三五 result
                return self.abstain(intent, f"规划中的“{figure}”是“十三五”期间的数字，不是“十四五”的安排，问题的前提与规划不符。",
                                    absence=0.8)
        # an acronym in brackets right after Chinese words glosses them (环评（EIA）): when the plan has those words,
        # they are what is asked, not the acronym (全氟化合物（PFAS） glosses words the plan lacks as well)
        glosses = {acronym for words, acronym in re.findall(r"([\u4e00-\u9fff]{2,6})\)?\s*[（(]\s*([A-Z]{2,6})\s*[)）]", q)
                   if coverage(words, self.plan_text) >= 0.75}
        codes = [c for c in _MEASURE_CODE.findall(q) + ([] if intent.english else _ACRONYM.findall(q))
                 if c.lower() not in self.plan_text.lower() and not _STANDARD_PREFIX.match(c) and c not in glosses]
        if codes and intent.kind in ("target", "deadline", "lead_bureau", "fact") and not intent.laws:
            return self.abstain(intent, f"规划中没有出现“{codes[0]}”，没有关于它的目标或任务。", absence=0.85)
        unit = unit_asked(q) if not (intent.kind == "definition" and intent.scope) else ""  # 基本原则有多少条: its items
        # the plan as a whole in the very unit asked (哪几所学校: the plan counts nothing in 所, so it lists no schools)
        # (a law question counts in the laws' units too: 法典规定了多少种…)
        if unit and not states_figure_in(self.plan_text, unit, alike=False) \
                and (plan_only or not states_figure_in(self.law_text, unit, alike=False)) \
                and unit not in squash(q.replace(unit, "", 1)):
            return self.abstain(intent, f"规划{'' if plan_only else '和所收录的法律'}中没有任何以“{unit}”计的数字。",
                                absence=0.85)
        if intent.kind in _NEEDS_SUBJECT and not (intent.bureaux or intent.laws or intent.years or intent.scope
                                                  or intent.wants & {"table", "baseline", "kind", "source"}):
            if not has_subject(intent.match_text):
                words = english_subject(q) if intent.english else []
                if words:  # "the sludge": a subject is there, only the glossary has no Chinese words for it
                    return self.abstain(intent, f"英文词“{'、'.join(words[:4])}”没有对应的规划用语（术语表中没有），"
                                                "请用中文说出这项任务或指标，例如“农村生活污水治理率”。", absence=0.6)
                return self.abstain(intent, "请说明是哪项任务、哪个指标或哪部法律，例如“农村生活污水治理由哪个部门牵头？”",
                                    absence=0.9)
        return None

    def _stated_near(self, intent: Intent, hits, says: Callable[[str], bool], least: float) -> bool:
        """Whether a sentence of ``hits`` says what ``says`` looks for (a frequency, an amount in 元) about what the
        question names (covering ``least`` of its subject). An article's list items count apart from the line
        introducing them: （一）…按年度…报告排放情况 is about reporting, not about the monitoring its intro names."""
        subject = subject_of(intent.match_text) or intent.match_text
        return any(says(said) and self.covers(subject, said) >= least
                   for hit in hits for said in re.split(r"[。；;：:\n]", hit.clause.text))

    def _frequency_said_of(self, intent: Intent) -> bool:
        """A frequency (每季度, 按年度) stated of the act asked: 按年度…报告 answers 多久报一次, not 周边监测多久做一次;
        in the plan, officials' documents or the laws."""
        action = asked_action(intent.text)
        hits = [*self.plan_hits(intent, k=5), *self.search(intent, k=5, scope="laws")]
        return self._stated_near(intent, hits, lambda said: bool(FREQUENCY.search(said)) and (
            not action or any(word in said for word in action)), self.policy.min_frequency_coverage)

    def _money_said_of(self, intent: Intent) -> bool:
        """An amount in 元 stated of what is asked: 投入4000万元完成…大丰工业园区…修复工程 answers what that project cost;
        1.6亿元 for 人居环境整治 in the 十三五 record is no budget of a 十四五 task, nor of a task it does not name."""
        hits = [h for h in self.plan_hits(intent, k=5)
                if not (asks_future(intent.text) and h.clause.section.startswith("一、"))]  # 十三五 spending
        owners = subject_nouns(intent.match_text, "元")  # the amount's own clause names what is asked, if the sentence does
        return self._stated_near(intent, hits,
                                 lambda said: states_figure_in(said, "元") and said_of(said, "元", intent.text, owners),
                                 self.policy.min_money_coverage)

    def figure_source(self, intent: Intent) -> Draft | None:
        """"1207.16千克指的是啥": a figure quoted from the plan and asked about is answered by the sentences that
        state it, found verbatim; no reading of the words around it can do better. Only distinctive figures
        (a decimal or three digits and more) stated in at most three paragraphs count."""
        if intent.kind in ("law_article", "clause_id", "law_status"):
            return None
        draft = Draft("fact")
        # the ask must follow the figure closely ("1207.16千克，这个指的是啥"), not be the question's own ask
        # about something else ("2035年呢" read as "到2035年…的目标是什么")
        asked = [m.group(0) for m in _DISTINCT_FIGURE.finditer(intent.text)
                 if not re.fullmatch(r"(?:19|20)\d\d", m.group(0))
                 and ASKS_WHAT_FIGURE.search(intent.text[m.end():m.end() + (30 if intent.english else 15)])]
        for figure in dict.fromkeys(asked):
            holders = [c for c in self.corpus.plan() if figure in c.text]
            if not 1 <= len(holders) <= 3:
                continue
            for clause in holders:
                sentence = next((clause.text[a:b] for a, b in sentences(clause.text) if figure in clause.text[a:b]), "")
                n = draft.cite(clause, sentence)
                draft.text += ("\n" if draft.text else "") + f"规划中“{figure}”出自：“{sentence.strip()}”[{n}]"
        if not draft.cited:
            return None
        draft.fit, draft.support = self.policy.fit_primary, 1.0
        return draft

    def _recorded_in_review(self, intent: Intent) -> bool:
        """"专项排查查出多少个问题，整改了没": a result the plan's review of 十三五 records, asked without a date;
        not progress since the plan (no 现在 / 今年 / a year after 2020), so the review paragraph answers it."""
        if PRESENT_TIME.search(intent.text):
            return False
        hits = self.plan_hits(intent, k=1)
        if not hits or not hits[0].clause.section.startswith(REVIEW_SECTION):
            return False
        # the result must be recorded where what is asked is: the review's best sentences, not anywhere in a long
        # paragraph, and of the action asked about (新亚皮革 is named there, but 修复 is said of another site)
        span = best_span(hits[0].clause, intent.match_text, n=2)
        progress = PROGRESS.search(intent.text)
        action = _PROGRESS_ACTION.search(progress.group(0)) if progress else None
        return (action is None or action.group(0) in span) \
            and self.covers(content_of(intent.text), span) >= self.policy.min_review_support

    def plan_basis(self, intent: Intent) -> Draft | None:
        """"这是依据哪几部法律提出的": the documents a plan paragraph names as its basis (依据《…》《…》), read off
        the paragraph about the subject, rather than a law's article on the same topic. Only a paragraph among
        the first three hits that holds most of the subject's words and such a span counts."""
        asked = BASIS_ASKED.search(intent.text)
        if asked is None or intent.laws or intent.kind in ("clause_id", "law_status", "legal_bases"):
            return None
        subject = (intent.text[:asked.start()] + intent.text[asked.end():]).strip(" ，,？?。")
        topic = replace(intent, text=subject, search_text=self.glossary.expand(subject) if intent.english else subject)
        if len(bigrams(subject) & self.vocabulary) < 2:
            return None
        laws_asked = re.search(r"法律|法规|\blaws?\b|\bacts?\b", asked.group(0), re.IGNORECASE)
        for hit in self.plan_hits(topic, k=3):
            text = hit.clause.text
            spans = [m for m in BASIS_SPAN.finditer(text) if not laws_asked or "法》" in m.group(1) or "条例》" in m.group(1)]
            if not spans or self.covers(subject, text) < self.policy.min_related_support:
                continue
            # of several (执行《…标准》 … 依据《…法》…), the one whose sentence says most of what is asked
            span = max(spans, key=lambda m: coverage(subject, text[m.start():m.end() + 80]))
            names = re.findall(r"《[^》]+》", span.group(1))
            quote = span.group(0).rstrip("、和及与,，")
            draft = Draft("fact")
            n = draft.cite(hit.clause, quote)
            count = f"共 {len(names)} 部：" if len(names) > 1 else ""
            draft.text = f"{count}{'、'.join(names)}[{n}]（规划原文：“{quote}”）。"
            draft.fit, draft.support = self.policy.fit_primary, 1.0
            return draft
        return None

    def _instrument_not_held(self, text: str) -> str | None:
        """An article asked of a regulation or document whose text the corpus does not hold (the plan names
        《地下水管理条例》, the law file has no articles of it): citing another law's article would mislead."""
        if not (_ASKS_ARTICLE.search(text) or PENALTY.search(text) or _ASKS_CONTENT.search(text)):
            return None
        for m in _INSTRUMENT.finditer(text):
            name = (m.group(1) or m.group(2)).strip()
            if not m.group(1) and _NO_TITLE.search(name):
                continue  # "第四百五十六条的具体管理办法": rules an article calls for, not a named instrument
            if self.corpus.law(name) is None and name not in self.added_sources \
                    and not any(name in law for law in self.law_names):
                return name
        return None

    def _unknown_bureaux(self, text: str) -> list[str]:
        """Bureau-like names the directory cannot resolve and the corpus never mentions."""
        directory = self.corpus.facts.directory
        unknown = []
        for m in _BUREAU_LIKE.finditer(text):
            name = m.group(0)
            names = [name[i:] for i in range(len(name) - 2, -1, -1)]  # 草局 excluded: 3 characters at least
            names = [n for n in names if len(n) >= 3 and not _NOT_A_NAME.search(n)]
            if not names:
                continue
            if any(directory.find_in(n) or squash(n) in self.all_text for n in names):
                continue
            if any(_abbreviates(n, alias) for n in names for b in directory.bureaux for alias in (b.canonical, *b.aliases)):
                continue  # 自规局 = 自然资源和规划局: a short form of a bureau the plan names
            unknown.append(names[0])
        return unknown

    def _unknown_english_bureaux(self, text: str) -> list[str]:
        """"public security bureau": an English bureau name none of whose words a bureau the plan lists uses."""
        unknown = []
        for m in _EN_BUREAU.finditer(text.lower()):
            words = [w for w in re.findall(r"[a-z-]+", m.group(1)) if w not in _EN_NOT_A_NAME]
            if words and not any(w in self.bureau_words_en or w.rstrip("s") in self.bureau_words_en for w in words):
                unknown.append(" ".join(words) + " " + m.group(0).split()[-1])
        return unknown

    # -- compose, merge, verify ------------------------------------------------------------
    def merge(self, question: str, drafts: list[Draft], intents: list[Intent]) -> Answer:
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
        answer = Answer(question, "\n".join(texts), all_abstained, citations, related if all_abstained else [],
                        [d.kind for d in drafts])
        if len(drafts) == 1 and not all_abstained and not drafts[0].list_answer:
            self._see_also(answer, intents[0])
        elif len(drafts) > 1 and not any(d.list_answer for d in drafts):
            # "…完成了几个？保护区里能不能设排污口？": a part answered from the plan without naming it still
            # shows the law in force on its point, one article per part
            for draft, intent in zip(drafts, intents):
                if not draft.abstained and all(clause.kind != "law" for clause, *_ in draft.cited):
                    self._see_also(answer, intent, room=1, law_only=True)
        return answer

    def _see_also(self, answer: Answer, intent: Intent, room: int | None = None, law_only: bool = False) -> None:
        """另见: retrieval's best other clauses, when they cover the question well; never more than the limit.

        A plan answer to a question that does not say it is about the plan also shows the law in force
        (the Code's closest article): officials ask "what must be done" meaning both. ``law_only``: only that
        (one part of a several-part question, answered from the plan).
        """
        room = min(self.policy.related_citations if room is None else room,
                   self.index.settings.max_citations - len(answer.citations))
        if room <= 0 or intent.kind in ("clause_id", "cited_document", "law_status", "standing_rule"):
            return
        from_plan = law_only or all(c.clause.kind != "law" for c in answer.citations)
        code = self.corpus.law("生态环境法典")
        if law_only and (code is None or PLAN_CUES.search(intent.text)):
            return
        scopes = [] if law_only else ["plan" if from_plan else "laws"]
        code = self.corpus.law("生态环境法典")
        if from_plan and code is not None and not PLAN_CUES.search(intent.text):
            scopes.insert(0, code.name)
        if not from_plan and _SAYS_PLAN.search(intent.text):  # "规划要求X，法典怎么罚": cite the plan's X too
            scopes.insert(0, "plan")
        if self.corpus.documents and not law_only and all(c.clause.kind != "doc" for c in answer.citations):
            scopes.insert(0, "docs")  # an official's own document on the same point is shown beside, labelled
        cited = {c.clause.clause_id for c in answer.citations}
        if intent.english and intent.laws and not from_plan:
            # an English question on a named law: its article was chosen by the glossary's Chinese words, which
            # may miss the point (what are farm producers forbidden to use -> 农场 田间 用途); the law's articles
            # closest to the question as typed are shown first, so the answer never cites less than retrieval
            room = self._read_as_typed(answer, intent, cited, room)
        question = intent.match_text
        for name in self.law_names:
            question = question.replace(name, " ")
        subject = subject_of(question) or question
        # "规划说重点单位没落实隐患排查的要依法查处，那法典罚多少": the plan's clause is found by what the
        # question says the plan says, not by the whole question (its law half would pull other paragraphs)
        premise = (PLAN_PREMISE_EN if intent.english else PLAN_PREMISE).search(intent.text) if not from_plan else None
        said = premise.group(1).strip() if premise else ""
        marks = []
        for scope in scopes:
            asked = replace(intent, text=said, search_text=self.glossary.expand(said) if intent.english else said) \
                if premise and scope in ("plan", "local") else intent
            hits = self.search(asked, k=4, scope=scope)
            if asked is not intent:  # the paragraph whose sentence says it, not the one most about the topic
                hits = rerank(hits, asked.match_text, self.policy.rank_bonus)
            for hit in hits:
                if room <= 0:
                    break
                if hit.clause.clause_id in cited:
                    continue
                quote = best_span(hit.clause, asked.match_text, n=1)
                # what the plan is said to say is the subject of its clause (the law half asks something else)
                wanted = asked.match_text if asked is not intent else subject
                if self.covers(wanted, hit.clause.text) < self.policy.min_related_support or quote not in hit.clause.text:
                    continue
                role = "法律依据" if hit.clause.kind == "law" and from_plan else \
                    "规划原文" if hit.clause.kind == "plan" and not from_plan else \
                    "添加的文件" if hit.clause.kind == "doc" else "相关原文"
                answer.citations.append(Citation(len(answer.citations) + 1, hit.clause, quote, role))
                cited.add(hit.clause.clause_id)
                label = f"《{hit.clause.source}》{hit.clause.article or ''}" if hit.clause.kind in ("law", "doc") else ""
                marks.append(f"{label}“{quote}”[{len(answer.citations)}]" + self._carried(answer, hit.clause, cited))
                room -= 1
                if scope != scopes[-1]:
                    break  # one clause of the other source is enough
        if marks:
            answer.text += "\n另见：" + "；".join(marks)

    def _carried(self, answer: Answer, clause, cited: set[str]) -> str:
        """A Code article shown beside an answer also shows the repealed article it carries, when the
        correspondence is certain and a citation is free: the plan and older rulings cite the old law's number."""
        if len(answer.citations) >= self.index.settings.max_citations:
            return ""
        for c, old in carried_articles(self, clause):
            if old is None or old.clause_id in cited:
                continue
            said = best_span(old, answer.question, n=1)
            answer.citations.append(Citation(len(answer.citations) + 1, old, said, "原条文"))
            cited.add(old.clause_id)
            return f"（承接原《{c.law}》{c.article}[{len(answer.citations)}]）"
        return ""

    def _read_as_typed(self, answer: Answer, intent: Intent, cited: set[str], room: int) -> int:
        """The named law's articles the dense ranking puts first for the English question as typed, as 另见;
        returns the room left for other evidence."""
        marks = []
        for clause_id, _ in self.index.dense_ranking(intent.text, intent.laws[0].name)[:room + 1]:
            if room <= 0:
                break
            if clause_id in cited:
                continue
            clause = self.corpus.by_id[clause_id]
            quote = readable_quote(self, clause, intent.match_text, n=2)
            answer.citations.append(Citation(len(answer.citations) + 1, clause, quote, "相关原文"))
            cited.add(clause_id)
            marks.append(f"《{clause.source}》{clause.article}“{quote}”[{len(answer.citations)}]")
            room -= 1
        if marks:
            answer.text += "\n另见：" + "；".join(marks)
        return room

    def verify(self, answer: Answer, intent: Intent) -> Answer:
        """Every [n] resolves and every quote is verbatim; a draft that fails is replaced by an abstention."""
        numbers = {c.n for c in answer.citations}
        marks = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
        if marks - numbers or any(c.quote not in c.clause.text for c in answer.citations):
            fallback = self.abstain(intent, "（答案未通过引文核对，已改为不作回答。）")
            return Answer(answer.question, fallback.text, True, [], fallback.related, answer.intents, ["verify_failed"])
        return answer
