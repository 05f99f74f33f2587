"""Stages 2-3 of answering: decompose a question into parts and list the intents each part may carry.

Rule-based on purpose: the phrasings officials use are few and regular (谁牵头, 归谁管, 哪条规定,
什么时候前, 目标是多少), and a rule that misfires can be read and fixed. But no rule is trusted
alone: ``understand`` returns every plausible intent with a confidence (``fit``), and the engine
lets each handler propose an answer and keeps the best-supported one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from assistant import laws as law_store
from assistant.clauses import short_law_name
from assistant.corpus import Corpus
from assistant.textmatch import bigrams
from assistant.currency import PLAN_REPEALED_Q
from assistant.bilingual import WordBridge
from assistant.zh import DEFINED_TERM, MENTION_COUNT, PENALTY, is_english

MAX_PARTS = 3

LEAD = re.compile(r"归[^，,。？?]{1,8}管|牵头|负责|责任单位|责任部门|角色|职责|谁来|是谁|由谁|谁|谁管|归谁|哪个部门|哪个局|哪家单位|哪些部门|什么部门|哪个单位|由谁|谁主抓|谁抓|主管|分工|配合|参与|担什么责"
                  r"|\b(which|what) (bureau|bureaus|department|departments|agency|agencies)\b|\bwho (leads|is responsible)\b|\blead(s)?\b|responsib|\brole\b|\bin charge\b|"
                  r"\bwho (handles|oversees|manages|runs|coordinates|is accountable|takes the lead)\b")
# who receives something (报给谁, 交到哪个部门, 向谁备案): a fact of the text, not who leads
RECIPIENT = re.compile(r"(?:报|报送|上报|送|送交|交|提交|备案|通报|抄送)(?:给|到|至)?(?:谁|哪里|哪儿|哪个部门|哪些部门|哪一级)|"
                       r"向(?:谁|哪个部门|哪些部门)(?:报|报告|备案|提交)")
LIST = re.compile(r"哪些(任务|事|工作|事情|项)|都有哪些|有哪些任务|哪几项|哪几件|几项工作|哪些是|列出|有那些|"
                  r"\b(which|what) tasks?\b|\bwhich task\(s\)|\btasks? (does|do|is|are|in which)\b|\blist\b|\bany tasks?\b")
# a named bureau as the one doing, asked what it does (工信局负责什么 / what does the bureau lead); not a bureau's
# part in a task named before (州自然资源局在“…”中负责什么)
BUREAU_DOES_WHAT = re.compile(r"(?:局|委|政府|管委会)(?:都|主要|一共)?(?:牵头|负责|参与|主抓|管)(?:了|的)?(?:什么|啥|哪些)(?:事|工作|任务|活)?[？?]?$|"
                              r"(?:局|委|政府|管委会)(?:有没有|有)(?:牵头|负责|参与)的(?:活|事|任务|工作)|"
                              r"\bwhat (?:does|do|did|will|is|are) (?:the )?.{0,80}?\b(?:leads?|leading|head|handle|oversee|"
                              r"take the lead (?:on|in)|participate in|take part in|responsible for|in charge of)\b")
TARGET = re.compile(r"目标|指标|达到多少|要到多少|多少|基期|基准|约束性|预期性|要求.*达到|什么程度|什么水平|什么状态|啥状态|治到|做到什么|达到什么|"
                    r"\b(target|baseline|binding|indicative|indicator|rate|reach|percentage|how much)\b")
HISTORY = re.compile(r"十三五|当时|到了多少|完成了|已经|\b(had|was|were|13th)\b")
DEADLINE = re.compile(r"什么时候|啥时候?|几时|何时|哪年|截止|之前|前完成|最晚|期限|时限|日期|几月|\b(by when|deadline|when must|by what date)\b")
# "牵头的是哪两个局": bureaux counted and named, a lead question, not an enumeration of the plan's items
ASKS_BUREAUX_COUNTED = re.compile(r"(?:牵头|负责|参与)[^，,。？?]{0,6}哪[两三四五六七八九十几]个(?:局|部门|单位|委)|"
                                  r"哪[两三四五六七八九十几]个(?:局|部门|单位|委)(?:来|一起|共同|联合|去)?(?:牵头|负责|参与|配合|主管|管)")
DEFINITION = re.compile(r"指什么|指的是|具体指|是什么意思|什么意思|含义|(?<!法)定义|哪三个|哪几类|哪几种|包括哪些|怎么算|如何计算|怎么计算|计算方法|统计口径|口径|"
                        r"哪[两三四五六七八九十几]个|哪几条|哪几方面|哪几点|分别是什么|分别是哪|包括什么|哪[“\"][两三四五六七八九十][\u4e00-\u9fff][”\"]|"
                        r"\b(what does .* mean|stand for|refer to|how is .* (calculated|computed|measured|defined)|which (three|four|two|five) )|"
                        r"\bdefin(e|es|ed|ition)\b|\bwhat counts as\b|\bmeaning of\b")
LAW = re.compile(r"哪一?条|第\s*[0-9０-９零〇一二两三四五六七八九十百千]+\s*条|法律|法典|依法|违法|法定|\b(article|law|statute|legal)\b")
STANDING = re.compile(r"各县|县市政府|县\(市\)人民政府|园区管委会|管委会")
LAW_STATUS = re.compile(r"还有效|有效吗|是否有效|现行有效吗|失效|废止了|被废止|废止没|废除|(什么时候|何时|哪天|哪一天|几号|哪年)(开始)?(施行|生效|实施)|施行日期|生效日期|"
                        r"被.{0,12}(取代|替代|替了|替掉|替换|顶替)|取代了|还能.{0,4}适用|能否.{0,4}适用|是否.{0,4}适用|还能.{0,6}依据|还适用|还管用|还算数|还能用|还用吗|还在用|废掉|废了|作废|还能(?:引用|援引)|"
                        r"\b(in force|repealed|still valid|still apply|replaced by|superseded|take effect|took effect)\b")
CLAUSE_ID = re.compile(r"^\s*(plan-\d{3}|[^\s#]{2,40}#\d{1,4})\s*$")
ONLY_PARTICIPANT = re.compile(r"不是牵头|非牵头|没有牵头|不牵头|只是参与|仅参与|只参与|仅仅是参与|只是配合|\bmerely\b|\bonly as a? ?particip|not (as )?(the )?lead")
COLUMN_LIST = re.compile(r"(哪几项|哪些|哪几个|which)")
YEAR_SCAN = re.compile(r"时间节点|节点|卡在|哪些.{0,10}(完成|到期|执行|开始|启动)|(完成|到期|执行|开始|启动).{0,10}哪些|要完成的|"
                       r"(跟|和|与|同)\s*\d{4}\s*年?.{0,3}(有关|相关|挂钩|沾边)|都有哪些|都有啥|都说了些?(啥|什么)|捋一下|梳理一下|"
                       r"汇总一下|列一下|\bdue\b|\bdated?\b|\bdeadlines\b")
# what a question may say besides its year when it asks for everything due that year ("2023年底前必须完成什么",
# "what must be done by 2023"): with nothing else left, it is a scan of the year's deadlines
_YEAR_ONLY_WORDS = re.compile(r"20\d\d\s*年?|年底|年末|年内|底前|底|末|之前|以前|前|到|截至|截止|在|必须|需要|需|得|要|应当|应该|应|"
                              r"完成|干完|做完|办完|搞定|落实|做|干|办|什么|啥|哪些|哪几件|哪几项|哪|件|项|事情|事儿|事|工作|任务|"
                              r"规划里?|有|都|还|呢|吗|了|的|呀|啊|吧|\b(what|which|must|should|needs?|to|be|is|are|has|have|"
                              r"done|completed?|finished|due|by|before|end|of|the|in|tasks?|things?|plan|year)\b|[\s,，?？。!！]")


def asks_year_only(text: str) -> bool:
    """A year and asking words only: every requirement dated that year is asked for."""
    return bool(re.search(r"20\d\d", text)) and bool(re.search(r"什么|啥|哪|\b(what|which)\b", text.lower())) \
        and not _YEAR_ONLY_WORDS.sub("", text.lower())


# how many items a chapter has, or what they are called (基本原则一共几条？分别叫什么)
# "几个/多少个" counts the chapter's items only when no other noun follows ("有几个地下水国考点位" counts points)
CHAPTER_ITEMS = re.compile(r"几(条|项|点|方面)|多少(条|项|点)|(?:几|多少)个(?:任务|原则|方面|措施|目标|重点|部分|内容|要求)?(?=$|[^\u4e00-\u9fff]|[呢吗啊呀啦了吧是])|分别(叫|是|为)|都(叫|是)(什么|啥|哪)|叫什么|都有哪些|包括哪些|"
                           r"\bhow many\b|\bwhat are (they|the)\b|\bname them\b|\blist (them|the)\b")
LEGAL_WHO = re.compile(r"哪一级|哪级|哪个层级|哪一层级|什么级别|哪级政府|按规定|按照规定|依照规定|根据规定|\bwhich level\b")
PLAN_ROLE = re.compile(r"规划|州|牵头|参与|配合|任务|昌吉|县市|县\(市\)|局|委|管委会")
IN_CORPUS = re.compile(r"收录|收进|收了|有没有(原文|全文)|原文|全文|能查到|在不在|included|available|in the corpus")



# what a question asks of a law itself: its article, penalty, wording or currency
ASKS_LAW_ITSELF = re.compile(r"哪一?条|第几条|第\s*\S{1,6}\s*条|怎么罚|罚多少|处罚|罚款|法典|有效|废止|法律|法条|条文|"
                             r"怎么规定|如何规定|规定了?(什么|哪些)|有什么规定|对应|怎么说|咋说|如何说|"
                             r"法典?(?:里|中|上)?对[^，,。？?]{1,20}(?:有什么|有哪些|什么|啥)(?:要求|规定)|\b(article|penalt)|"
                             # 土壤法怎么分类的 / 条例又是咋规定的: the law named is what is asked (not 方法, 做法)
                             r"(?<![方做想看说写用算办])(?:法|条例)(?:里|中|上)?(?:又|是|对此|对这[个些]?)?(?:怎么|如何|咋|怎样)",
                             re.IGNORECASE)


ASKS_PENALTY = re.compile(r"罚多少|怎么罚|怎么处罚|如何处罚|会被罚|罚款(是)?多少|受什么处罚|什么处罚")


# words that put a question in the plan: its name, its periods, its roles, its region
PLAN_ASKED = re.compile(r"规划|十三五|十四五|牵头|昌吉|州里|全州")


def asks_plan_about_law(text: str) -> bool:
    """"重点单位落实土壤法义务的情况，规划要纳入什么检查范围": the plan is asked about, and the law it names is
    part of the subject (the plan's own words: 落实《土壤法》相关义务), not the source asked for."""
    return bool(PLAN_ASKED.search(text)) and not ASKS_LAW_ITSELF.search(text)


class IntentKind(str, Enum):
    """What a question part asks for; the values are the golden files' ``type`` where they overlap."""

    LEAD_BUREAU = "lead_bureau"
    LIST_BY_BUREAU = "list_by_bureau"
    STANDING_RULE = "standing_rule"
    TARGET = "target"
    DEADLINE = "deadline"
    DEFINITION = "definition"
    LAW_ARTICLE = "law_article"
    LAW_STATUS = "law_status"
    LEGAL_BASES = "legal_bases"
    CITED_DOCUMENT = "cited_document"
    CLAUSE_ID = "clause_id"
    FACT = "fact"


# plan chapters a question can scope itself to (土壤那一章, 基本原则里): words -> the outline's section prefix
SCOPES = [
    (re.compile(r"基本原则|第[一二三四五六七八九十\d]{1,2}条原则"), "二、总体要求 > （二）基本原则"),
    (re.compile(r"指导思想"), "二、总体要求 > （一）指导思想"),
    (re.compile(r"保障措施"), "四、保障措施"),
    (re.compile(r"规划背景|十三五.{0,4}(成效|工作)"), "一、规划背景"),
    (re.compile(r"(农业农村|农村|农业)[^，,。？?；;]{0,10}?(章|部分|块|节|篇)"), "三、主要任务 > （三）农业农村生态环境保护"),
    (re.compile(r"地下水[^，,。？?；;]{0,8}?(章|部分|块|节|篇)"), "三、主要任务 > （二）地下水污染防治"),
    (re.compile(r"土壤[^，,。？?；;]{0,8}?(章|部分|块|节|篇)"), "三、主要任务 > （一）土壤污染防治"),
    # "the agriculture pollution chapter": a few words may stand between the topic and the word for a chapter
    (re.compile(r"\bsoil(?: [a-z-]+){0,3} (chapter|section|part)\b", re.I), "三、主要任务 > （一）土壤污染防治"),
    (re.compile(r"\bgroundwater(?: [a-z-]+){0,3} (chapter|section|part)\b", re.I), "三、主要任务 > （二）地下水污染防治"),
    (re.compile(r"\b(agri\S*|rural)(?: [a-z-]+){0,3} (chapter|section|part)\b", re.I), "三、主要任务 > （三）农业农村生态环境保护"),
    (re.compile(r"basic principles|guiding principles", re.I), "二、总体要求 > （二）基本原则"),
    (re.compile(r"主要任务"), "三、主要任务"),
    (re.compile(r"编制依据|规划依据"), "二、总体要求 > （三）编制依据"),
]


def section_scope(text: str) -> str | None:
    return next((prefix for pattern, prefix in SCOPES if pattern.search(text)), None)


@dataclass
class Intent:
    kind: str  # an IntentKind value
    text: str  # the (cleaned) question part this intent answers
    search_text: str  # text for retrieval: English terms expanded into the plan's words
    bureaux: list[str] = field(default_factory=list)
    laws: list = field(default_factory=list)  # laws.Law mentioned
    years: list[int] = field(default_factory=list)
    wants: set[str] = field(default_factory=set)  # baseline | target | kind | source | sole | lead | participant | table | text
    english: bool = False
    document: str | None = None  # an added document the question names
    fit: float = 0.9  # how sure understanding is that this kind of answer is wanted
    scope: str | None = None  # a plan section prefix the question limits itself to
    implied: str = ""  # what the plan's own shorthand in the question stands for (一住两公 -> 住宅、公共管理…)

    @property
    def match_text(self) -> str:
        """What evidence is compared with: the Chinese terms only, for an English question."""
        if not self.english:
            return self.text
        chinese = " ".join(re.findall(r"[\u4e00-\u9fff]+", self.text))  # e.g. 户集、村收 quoted in English
        return (chinese + " " + self.search_text[len(self.text):]).strip()


def _loose(english: str) -> str:
    """A glossary term as a pattern that allows the ways people join its words: "black and odorous water" also
    matches "black, odorous water" and "black-and-odorous water"; "soil-related" matches "soil related"; in a
    law's name "pollution prevention and control" may be shortened (the Water Pollution Prevention Law, the Soil
    Pollution Law, the Solid Waste Law)."""
    pattern = re.escape(english)
    # the same words as people vary them: "Eco-Environment Code" for the ecological environment code
    pattern = pattern.replace("environmental", "environment").replace("environment", "environment(?:al)?")
    pattern = pattern.replace("ecological", "eco(?:logical)?")
    if english.endswith(" pollution prevention and control law"):
        # a law's 防治 is rendered "prevention and control", either word alone, or left out (the Soil Pollution
        # Law); the solid waste law is also "the Solid Waste Law"
        polluted = r"(?:\ pollution)?" if english.startswith("solid waste") else r"\ pollution"  # the water law is 水法
        pattern = pattern.replace(r"\ pollution\ prevention\ and\ control\ law",
                                  polluted + r"(?:\ prevention(?:\ and\ control)?|\ control)?\ law")
    pattern = pattern.replace(r"\ and\ ", r"(?:,?\ and\ |,\ |\ &\ |/|-and-|-)")
    return re.sub(r"(?:\\ |\\-)", r"[\\s-]", pattern)


class Glossary:
    """English domain terms -> the plan's Chinese words (``corpus/glossary_en.json``), and colloquial
    Chinese short forms -> the plan's words (``corpus/abbreviations_zh.json``); both editorial."""

    def __init__(self, terms: dict[str, str], abbreviations: dict[str, str] | None = None,
                 bridge: WordBridge | None = None):
        self.terms = sorted(terms.items(), key=lambda kv: -len(kv[0]))
        self.bridge = bridge or WordBridge()  # English words the glossary lacks (set by the engine: corpus words)
        # a term starts a word ("rate" is not in "concentrated"); it may end inside one (rates, leading)
        self._term_patterns = [(re.compile(r"(?<![a-z])" + _loose(english)), chinese) for english, chinese in self.terms]
        self.abbreviations = [(re.compile(pattern), full) for pattern, full in (abbreviations or {}).items()]

    @staticmethod
    def load(path: Path) -> "Glossary":
        def read(file: Path, key: str) -> dict[str, str]:
            try:
                return json.loads(file.read_text(encoding="utf-8"))[key]
            except (OSError, ValueError, KeyError):
                return {}

        return Glossary(read(path, "terms"), read(path.with_name("abbreviations_zh.json"), "abbreviations"))

    def spell_out(self, text: str) -> str:
        """国考点位 -> 国考(国家考核)点位: the plan uses both forms, so the full one is added, not swapped in."""
        for pattern, full in self.abbreviations:
            text = pattern.sub(lambda m: f"{m.group(0)}({full})", text)
        return text

    def expand(self, text: str) -> str:
        lowered = text.lower()
        added = []
        for pattern, chinese in self._term_patterns:
            if pattern.search(lowered):
                added.append(chinese)
                lowered = pattern.sub(" ", lowered)
        added += self.bridge.chinese_for(lowered)  # what the glossary left: the dictionary's words, if any
        return text + (" " + " ".join(dict.fromkeys(added)) if added else "")


ASKS = re.compile(r"吗|什么|多少|哪|谁|几|怎么|怎样|如何|是否|有没有|啥|咋|能不能|可不可以|能否|可否|允不允许|准不准|"
                  r"是不是|要不要|需不需要|用不用|会不会|算不算|对不对|"
                  r"\b(how|what|which|who|when|where|is|are|does|do|can|may)\b",
                  re.IGNORECASE)


# a short piece that is a question of its own ("…什么时候完成？谁牵头？"): who leads, without a subject
_SHORT_WHO = re.compile(r"(?:谁|哪个?(?:局|部门|单位))来?(?:牵头|负责|主管|管|配合|参与)|(?:牵头|负责)的?是谁")
STRONG_ASK = re.compile(r"吗|什么|多少|哪|谁|怎么|怎样|如何|是否|有没有|啥|咋|能不能|可不可以|能否|可否|(?<![这那])几[个项家条年成]|"
                        r"是不是|要不要|需不需要|用不用|会不会|算不算|"
                        r"\b(how|what|which|who|when|where)\b", re.IGNORECASE)


def split_parts(question: str) -> list[str]:
    """Two questions joined in one: split at question marks, or at ", and what/how…" in English.

    A piece that asks nothing (Give the names in Chinese…) stays with the question before it.
    """
    pieces = [p.strip(" ,，;；.") for p in re.split(r"[?？]+", question) if p.strip(" ,，;；.")]
    if len(pieces) == 1 and sum(ch.isascii() for ch in question) > len(question) * 0.6:
        pieces = [p.strip(" ,;") for p in re.split(r",? and (?=(?:what|how|which|who|when|is|are)\b)", question)
                  if p.strip(" ,;")]
        halves = question.split(", and ", 1)
        if len(pieces) == 1 and len(halves) == 2 and all(ASKS.search(h) for h in halves):
            pieces = halves  # "How many …, and according to …, how many …"
    if len(pieces) == 1:  # "X谁牵头，目标是多少": two asks joined by a comma, each with its own asking word
        halves = [h.strip(" ,，;；") for h in re.split(r"[,，;；]|另外|还有|以及|同时", question) if h.strip(" ,，;；")]
        asking = [h for h in halves if STRONG_ASK.search(h)]
        if len(asking) >= 2 and all(len(h) >= 4 for h in asking):
            pieces, prefix = [], ""
            for half in halves:  # what precedes an ask is its subject: "X这件事，谁牵头"
                if STRONG_ASK.search(half):
                    pieces.append(f"{prefix}，{half}" if prefix else half)
                    prefix = ""
                else:
                    prefix = f"{prefix}，{half}" if prefix else half
            if prefix:
                pieces[-1] += "，" + prefix
    if len(pieces) == 1 and "分别" in question:  # "秸秆综合利用率和农田残膜回收率2025年分别要到多少": one ask of each
        pair = _TWO_MEASURES.search(pieces[0])
        if pair:
            before, after = pieces[0][:pair.start()], pieces[0][pair.end():].replace("分别", "")
            pieces = [before + pair.group(1) + after, before + pair.group(2) + after]
    parts: list[str] = []
    for piece in pieces:
        other = _WHAT_ABOUT_PIECE.fullmatch(piece)
        if parts and other and len(other.group(1)) >= 3 and _ASK_TAIL.search(parts[0]):
            # "秸秆综合利用率目标多少？农田残膜回收率呢？": the first part's ask, of another subject
            parts.append(other.group(1) + parts[0][_ASK_TAIL.search(parts[0]).start():])
        elif parts and ((len(piece) < 4 and not _SHORT_WHO.search(piece)) or not ASKS.search(piece)):
            parts[-1] += "，" + piece
        else:
            parts.append(piece)
    return _carry_heads(parts[:MAX_PARTS]) or [question]


def _carry_heads(parts: list[str]) -> list[str]:
    """"…完成了几个饮用水源地保护区的划立治？保护区里能不能设排污口？": a later part that names only the head
    noun of the first part's compound (保护区) means that compound; it is spelled out, so the part searches for
    what the official means and not any 保护区."""
    if len(parts) < 2:
        return parts
    from assistant.lexical import _ensure_jieba  # noqa: PLC0415 - jieba loads with the lexical index
    import jieba.posseg  # noqa: PLC0415

    _ensure_jieba()
    tokens = list(jieba.posseg.cut(parts[0]))
    noun = lambda t: t.flag[:1] == "n" and len(t.word) >= 2  # noqa: E731
    heads = []  # (head, its compound) for each run of nouns in the first part
    for i, token in enumerate(tokens):
        if noun(token) and not (i + 1 < len(tokens) and noun(tokens[i + 1])):
            start = i
            while start > 0 and noun(tokens[start - 1]) and i - start < 3:
                start -= 1
            if start < i:
                heads.append((token.word, "".join(t.word for t in tokens[start:i + 1])))
    carried = [parts[0]]
    for part in parts[1:]:
        for head, compound in heads:
            if head in part and compound not in part:
                part = part.replace(head, compound, 1)
        carried.append(part)
    return carried


# two indicators joined (A率和B率): asked 分别, each is a question of its own
_TWO_MEASURES = re.compile(r"([\u4e00-\u9fff]{2,14}?(?:率|量|比例|面积))(?:和|与|及|以及|、)([\u4e00-\u9fff]{2,14}?(?:率|量|比例|面积))")
# "X呢" after a question: the same ask of X
_WHAT_ABOUT_PIECE = re.compile(r"(?:那|还有|另外)?\s*([\u4e00-\u9fff“”]+?)(?:的)?呢")
# where a question's ask begins (目标多少, 由哪个部门牵头, 什么时候完成): what "X呢" borrows
_ASK_TAIL = re.compile(r"(?:的)?(?:目标|由谁|由哪|谁|哪|什么时候|何时|啥时候|多少|是否|怎么|如何|有没有)")


# "十四五" names the plan's own period: nearly every paragraph is about it, but BM25 rewards the few that
# spell it out (the indicator table's source column, the preamble) over the one about the subject asked.
# The period still counts where it matters: the 十三五/十四五 shape check reads the question's text.
_OWN_PERIOD = re.compile(r"[“\"]?十四五[”\"]?(时期|期间|期末|末)?(的)?")


_per_corpus_cache: dict[str, tuple[Corpus, object]] = {}


def _per_corpus(name: str, corpus: Corpus, build):
    """``build(corpus)`` computed once per corpus object (a rebuilt corpus gets its own)."""
    held = _per_corpus_cache.get(name)
    if held is None or held[0] is not corpus:
        held = (corpus, build(corpus))
        _per_corpus_cache[name] = held
    return held[1]


def plan_terms(corpus: Corpus) -> dict[str, str]:
    """The plan's own shorthand and what it stands for: “一住两公”(住宅、公共管理与公共服务用地).

    The laws never use the plan's shorthand, so a law search for it finds nothing unless the
    explanation is searched too.
    """
    def build(corpus: Corpus) -> dict[str, str]:
        terms: dict[str, str] = {}
        for clause in corpus.plan():
            for m in DEFINED_TERM.finditer(clause.text):
                explanation = re.search(r"[(（]([^()（）]+)[)）]", m.group(0)).group(1)
                for term in re.findall(r"“([^”]{2,12})”", m.group(0)):
                    terms.setdefault(term, re.sub(r"^(即|指|是指)", "", explanation).strip())
        return terms

    return _per_corpus("plan_terms", corpus, build)


def pinyin_terms(corpus: Corpus) -> dict[str, str]:
    """The plan's quoted terms (“一住两公”, “三线一单”) by their toneless pinyin (yizhulianggong): an English
    question names them in romanisation, which no glossary lists."""
    def build(corpus: Corpus) -> dict[str, str]:
        from pypinyin import lazy_pinyin  # noqa: PLC0415 - the normaliser loads it too

        quoted = {t for c in corpus.plan() for t in re.findall(r"“([\u4e00-\u9fff]{2,8})”", c.text)}
        return {"".join(lazy_pinyin(t)): t for t in quoted | set(plan_terms(corpus))
                if re.fullmatch(r"[\u4e00-\u9fff]{2,8}", t)}

    return _per_corpus("pinyin_terms", corpus, build)


def _romanised_terms(text: str, corpus: Corpus) -> list[str]:
    """Plan terms an English question spells in pinyin ("yizhu lianggong", "Yizhu-Lianggong")."""
    letters = re.sub(r"[^a-z]", "", text.lower())
    return [term for romanised, term in pinyin_terms(corpus).items() if len(romanised) >= 6 and romanised in letters]


def _without_period(text: str) -> str:
    rest = _OWN_PERIOD.sub(" ", text)
    return text if len(re.sub(r"\W", "", rest)) < 4 else re.sub(r"\s+", " ", rest).strip()


def _years(text: str) -> list[int]:
    years = [int(y) for y in re.findall(r"(20\d\d)\s*年?", text)]
    if "十四五" in text and not years and re.search(r"末|目标|到", text):
        years.append(2025)
    return years


def classify(text: str, corpus: Corpus, glossary: Glossary) -> Intent:
    english = is_english(text)
    romanised = _romanised_terms(text, corpus) if english else []
    implied = " ".join(v for k, v in plan_terms(corpus).items() if k in text or k in romanised)
    search_text = (glossary.expand(text) + "".join(f" {t}" for t in romanised)) if english \
        else f"{_without_period(text)} {implied}".strip()
    directory = corpus.facts.directory
    bureaux = directory.find_in(text)
    laws = law_store.find_law_mentions(search_text if english else text, corpus.laws)
    intent = Intent("fact", text, search_text, bureaux, laws, _years(text), english=english, scope=section_scope(text),
                    implied=implied)
    lowered = text.lower()
    if re.search(r"指标表|表格|表中|表里|这一行|那一行|那栏|这栏|一栏|\btable\b|\brow\b", lowered):
        intent.wants.add("table")
    if re.search(r"正文|文中|\bin the text\b", lowered):
        intent.wants.add("text")
    for word, want in (("基期", "baseline"), ("基准", "baseline"), ("基数", "baseline"), ("baseline", "baseline"), ("来源", "source"), ("出自", "source"), ("出处", "source"),
                       ("约束性", "kind"), ("预期性", "kind"), ("binding", "kind"), ("indicative", "kind"),
                       ("单独负责", "sole"), ("没有列", "sole"), ("独自牵头", "sole_lead"), ("单独牵头", "sole_lead"),
                       ("sole lead", "sole_lead"), ("solely responsible", "sole"), ("sole responsib", "sole"), ("on its own", "sole_lead"), ("alone", "sole_lead"), ("参与单位", "participant"), ("参与的", "participant"),
                       ("参与", "participant"), ("牵头", "lead"), ("lead", "lead"), ("participat", "participant")):
        if word in lowered:
            intent.wants.add(want)
    if re.search(r"alone or jointly|jointly or alone|alone or together|单独或联合|单独或共同|含联合|包括联合|包括共同", lowered):
        intent.wants -= {"sole", "sole_lead"}  # "led (alone or jointly)": both kinds of lead, not only the sole one
    if CLAUSE_ID.match(text):
        intent.kind = "clause_id"
        return intent
    # the Code named as what repealed it ("土壤污染防治法…是不是被生态环境法典废止了") is not a second law asked about
    asked_laws = [law for law in laws if not (law.name.endswith("法典") and re.search(r"被.{0,12}" + re.escape(
        short_law_name(law.name)), text))] if len(laws) > 1 else laws
    if PLAN_REPEALED_Q.search(text) and len(asked_laws) != 1:  # 规划引用的法律哪些已经废止了 (one law named: its status)
        intent.kind = "legal_bases"
        return intent
    if ONLY_PARTICIPANT.search(lowered):  # 只是参与、不是牵头 / merely a participant, not leading
        intent.wants = (intent.wants - {"lead"}) | {"participant"}
    if IN_CORPUS.search(lowered) and cited_document(text, corpus) is not None:
        intent.kind = "cited_document"
        return intent
    document = corpus.document_in(text)
    if document is not None:
        intent.document = document.title
    if intent.scope and not laws and (re.search(r"第(?:[一二三四五六七八九十]{1,3}|\d{1,2})(?:条|个|项|点)", text)
                                      or (CHAPTER_ITEMS.search(lowered) and not bureaux)):
        intent.kind = "definition"  # "基本原则第一条是啥 / 一共几条，分别叫什么": the chapter's items, not a law's
        return intent
    asks_list = bool(bureaux) and bool(LIST.search(lowered) or BUREAU_DOES_WHAT.search(lowered) or
                                       re.search(r"哪些|哪几|哪项|几项|多少项|哪[两三四五六七八九十]项|逐条|逐项|都有啥|都有什么|有啥|列一下|列出|"
                                                 r"(?:跟|和|与|同|涉及).{1,12}?(?:有关|相关)的(?:任务|工作|事)|"
                                                 r"(?:牵头|负责|参与)的?(?:任务|工作|事)(?:是|有)(?:哪|什么|啥)|"
                                                 r"(?:牵头|负责|参与)了?(?:什么|啥)(?:任务|工作|事)", text)
                                       or MENTION_COUNT.search(text))  # 财政局出现了几次: its tasks, counted
    if laws and LAW_STATUS.search(lowered) and not re.search(r"第\s*\S{1,6}\s*条", text) and not PENALTY.search(text):
        intent.kind = "law_status"
    elif (laws and not asks_plan_about_law(text)) or document is not None or (
            LAW.search(_unquoted(lowered)) and not bureaux and not asks_plan_about_law(text)):  # 法定义务那条规划里谁牵头
        intent.kind = "law_article"
    elif STANDING.search(text) and LEAD.search(lowered):
        intent.kind = "standing_rule"
    elif PENALTY.search(text) and (not bureaux or ASKS_PENALTY.search(text)):
        # 罚多少 / 怎么处罚: a penalty is in a legal-liability article, whoever the question also names
        # ("没报给生态环境部门的，罚多少": the bureau is part of the act, not the one asked about)
        intent.kind = "law_article"
    elif (asks_list and (intent.scope is not None or not _names_a_task(text, corpus)
                         or _lists_a_topic(text, corpus))) or (
            re.search(r"联合牵头|共同负责|未写明牵头", text) and LIST.search(lowered)):
        intent.kind = "list_by_bureau"
    elif DEFINITION.search(lowered) and not ASKS_BUREAUX_COUNTED.search(text):
        intent.kind = "definition"
    elif LEAD.search(lowered) and not TARGET.search(lowered.replace("多少", "")) and not (
            RECIPIENT.search(text) and not bureaux and not re.search(r"牵头|负责", text)):
        # "调整结果要报给谁": to whom a result is sent is in the paragraph's words, not a bureau's role
        # "由哪一级政府划定 / 按规定由谁来划定": a level of government or a rule is asked for, which the
        # law assigns; the plan's tasks name only the prefecture's bureaux (谁牵头, 哪个局)
        legal = LEGAL_WHO.search(lowered) and not PLAN_ROLE.search(text)
        intent.kind = "law_article" if legal else "lead_bureau"
    elif DEADLINE.search(lowered) or (intent.years and (YEAR_SCAN.search(lowered) or asks_year_only(text))):
        intent.kind = "deadline"
    elif (re.search(r"基期|基准|基数|来源|属性|baseline (value|figure)|indicator table", lowered)
          or re.search(r"出自|出处", lowered) and re.search(r"指标|率|量", lowered)) and not laws:
        intent.kind = "target"  # the 2020 baseline is a column of the indicator table
    elif (TARGET.search(lowered) and all(y >= 2021 for y in intent.years) and not HISTORY.search(lowered)
          and (intent.years or re.search(r"目标|指标|基期|约束性|预期性|target|baseline|indicator|binding", lowered))):
        intent.kind = "target"
    return intent


def _unquoted(text: str) -> str:
    """The question without its quoted phrases: “强化监管,依法治污” names a plan principle, not a law."""
    return re.sub(r"“[^”]{1,30}”", "“”", text)


CUES: list[tuple[str, re.Pattern]] = [
    ("lead_bureau", LEAD), ("target", TARGET), ("deadline", DEADLINE), ("definition", DEFINITION), ("law_article", LAW),
]


def candidates(primary: Intent, fit_primary: float, fit_alternative: float) -> list[Intent]:
    """The primary reading first, then every other kind whose cue words occur in the part."""
    primary.fit = fit_primary
    out = [primary]
    lowered = primary.text.lower()
    for kind, cue in CUES:
        if primary.kind == "law_article" and (primary.laws or primary.document):
            break  # a question that names a law is answered from that law, not from the plan's tasks
        if kind != primary.kind and cue.search(lowered) and primary.kind not in ("clause_id", "cited_document",
                                                                                 "standing_rule", "law_status",
                                                                                 "legal_bases"):
            if kind == "law_article" and not (primary.laws or re.search(r"法|条例|article|law", lowered)):
                continue
            out.append(replace(primary, kind=kind, fit=fit_alternative, wants=set(primary.wants)))
    return out


TASK_WORDS_SHARE = 0.6  # of the leftover's bigrams a task's paragraph must contain for the leftover to name it


def _names_a_task(text: str, corpus: Corpus) -> bool:
    """"化肥农药减量增效这事归农业局管吧？还有哪些局配合": a task is named, so it is a lead question,
    not a list of one bureau's tasks. What is left without bureau names, asking words and filler is the
    task, if a task's paragraph says most of it (写的是…而不是…来着 names none)."""
    rest = _LIST_FILLER.sub("", _leftover(text, corpus.facts.directory))
    wanted = bigrams(rest)
    if len(rest) < 6 or len(wanted) < 3:
        return False
    return any(len(wanted & grams) >= TASK_WORDS_SHARE * len(wanted) for grams in _task_bigrams(corpus))


def _task_bigrams(corpus: Corpus) -> list[set[str]]:
    """Each task's paragraphs (the clauses one responsibility note covers) as one set of bigrams."""
    def build(corpus: Corpus) -> list[set[str]]:
        texts: dict[str, str] = {}
        for r in corpus.facts.responsibilities:
            texts[r.note_clause_id] = texts.get(r.note_clause_id, "") + corpus.by_id[r.clause_id].match_text
        return [bigrams(t) for t in texts.values()]
    return _per_corpus("task_bigrams", corpus, build)


def _leftover(text: str, directory) -> str:
    rest = text
    for bureau in directory.bureaux:
        for name in sorted((bureau.canonical, *bureau.aliases), key=len, reverse=True):
            rest = rest.replace(name, " ")
    return re.sub(r"牵头|负责|参与|配合|协助|单独|独自|没有列|没列|任何|一起|共同|联合|只当|只有|仅|任务|工作|事情|事儿|这事|哪些|"
                  r"这个|规划|里头|里|都|了|活儿|活|被|列为|列|逐条|一下|一共|总共|共|几项|多少项|分别|什么|包括|含|在|"
                  r"哪几项|哪几件|哪项|哪几|都有|有哪些|是哪|的|了|吗|吧|呢|还有|"
                  r"管|归|局|部门|单位|分别|作为|只是|不是|[\s,，、?？。!！]|[a-zA-Z]+", "", rest)


# what a list question may say besides its bureau, role and topic: never a topic itself
_LIST_FILLER = re.compile(r"那些|这些|那几|这几|只看|光看|单看|只说|帮我|给我|帮忙|列个|列出来?|方面|相关|有关|那一?部分|这一?部分|部分|那一?块|这一?块|"
                          r"那一?章|这一?章|章节?|写明|注明|明确|由|条|件|整个|全部|所有|其中|一条条|出来|啊|呀|哦|涉及|出现过?|有份|分到|挂名|掺和|注释|原文|而非|并非|而不是|非|写的是|写是|写作|写成|写着|^有|有$|"
                          r"[“”\"'‘’「」『』（）()：:；;]")
# a list question asking for bureaux (还有哪些局配合) asks who, not which tasks
_ASKS_WHO = re.compile(r"哪些(局|部门|单位)|哪个(局|部门|单位)|哪家|谁")


def _lists_a_topic(text: str, corpus: Corpus) -> bool:
    """"农业局牵头的农业面源污染治理任务都有哪些": a task list limited to a topic, or one whose leftover
    is filler only (写明由…“负责”的任务有哪几条), not a task named for its lead."""
    if _ASKS_WHO.search(text):
        return False
    topic = list_topic(text, corpus.facts.directory)
    return not topic or _topic_names_tasks(topic, corpus)


def list_topic(text: str, directory) -> str:
    """What a list question is left with once bureaux, roles, asking words and filler are gone: the
    topic its list is limited to (农业面源污染治理), or "" when it names none."""
    rest = _leftover(text, directory)
    said = re.search(r"(?:跟|和|与|同|关于|涉及)([\u4e00-\u9fff]{1,12}?)(?:有关|相关|沾边|挂钩)", rest)
    if said and len(said.group(1)) == 1:  # "跟水有关的": one character, said as the topic, is one
        return said.group(1)
    rest = re.sub(r"(?:跟|和|与|同|关于|涉及)(.+?)(?:有关|相关|沾边|挂钩)", r"\1", rest)
    rest = re.sub(r"^(?:事|中|当中|之中)+", "", rest)  # what is left of 牵头的事里 / 牵头的任务中
    topic = _LIST_FILLER.sub("", rest)
    return topic if len(topic) >= 2 else ""  # one character left (有) names nothing


def _topic_names_tasks(topic: str, corpus: Corpus) -> bool:
    """The topic is a heading of the plan's outline, or is spoken of by two tasks or more: a list is
    asked for; one task only means the question names that task (a lead question)."""
    from assistant.answer.handlers.lists import covers, names_tasks, topic_sections  # noqa: PLC0415 - handlers load after understanding

    facts = corpus.facts
    if topic_sections(topic, [corpus.by_id[r.clause_id].section for r in facts.responsibilities]):
        return True
    texts: dict[str, str] = {}
    for r in facts.responsibilities:
        if r.note:
            texts[r.note_clause_id] = texts.get(r.note_clause_id, "") + corpus.by_id[r.clause_id].text
    return names_tasks(topic, facts.responsibilities) and sum(covers(topic, t) for t in texts.values()) >= 2


def cited_document(text: str, corpus: Corpus):
    """The cited document a question names (《…》 or the bare title), from the plan's registry."""
    squashed = re.sub(r"[《》\s]", "", text)
    named = [d for d in corpus.facts.cited_docs
             if any(name and re.sub(r"\s", "", name) in squashed for name in (short_law_name(d.title), d.code))]
    return max(named, key=lambda d: len(d.title)) if named else None


# kinds answered from the plan's own facts: beside a law part, a part of one of these is a question of its own
_PLAN_KINDS = {"lead_bureau", "target", "deadline", "fact"}
# "当时写的是哪个部门" asks the law, "这项谁牵头 / which bureau leads that task" the plan
_PLAN_ASK = re.compile(r"规划|牵头|任务|州|指标|目标|\bplan\b|\bbureau|\bleads?\b|\btask|\btarget", re.I)


def understand(question: str, corpus: Corpus, glossary: Glossary) -> list[Intent]:
    """One primary intent per part (decompose); a law or standing-rule question stays whole (its parts
    share a subject). The question is already normalised (short forms spelled out)."""
    whole = classify(question, corpus, glossary)
    if whole.kind in ("law_status", "legal_bases", "standing_rule", "list_by_bureau", "cited_document", "clause_id"):
        return [whole]
    parts = split_parts(question)
    if len(parts) == 1:
        return [whole]
    intents = [classify(p, corpus, glossary) for p in parts]
    if whole.kind == "law_article" and not (any(i.kind in _PLAN_KINDS and _PLAN_ASK.search(i.text) for i in intents)
                                            and any(i.kind == "law_article" for i in intents)):
        return [whole]  # a law question's parts share its law; only "这项谁牵头？法典里由哪个部门监督？" is two questions
    if len({i.kind for i in intents}) == 1 and all(len(_ASKING_ONLY.sub("", i.match_text)) < 2 for i in intents[1:]):
        return [whole]  # "X哪个部门牵头，谁配合": one ask said twice, not two questions
    for i, intent in enumerate(intents[1:], start=1):
        # a later part that names no subject of its own ("卫健委在里面是什么角色", "正文里十四五末要求到多少")
        # is about the first part's subject: search with both
        # "十三五末普及率是多少，十四五对改厕有什么要求": a later part about the other period is a question of its
        # own as soon as it names anything (改厕); only a bare one ("十四五呢") borrows the first part's subject,
        # and then not its period (nor its year, nor its ask)
        other_period = bool(_period(parts[i])) and _period(parts[i]) != _period(parts[0])
        if _leans_on_earlier(intent, corpus, least=1 if other_period else 2):
            first = _PERIOD_WORDS.sub("", parts[0]) if other_period else parts[0]
            combined = first + "，" + parts[i]
            again = classify(combined, corpus, glossary)
            again.kind = intent.kind if intent.kind != "fact" else again.kind
            again.wants |= intent.wants
            again.years = intent.years or again.years
            intents[i] = again
    return intents


_PERIOD_WORDS = re.compile(r"[“\"]?十[三四]五[”\"]?(?:期间|时期|末|期末|时)?|20\d\d年?(?:底|末)?|当时|那会儿?|已经|是多少|有多少|多少|几个")


def _period(text: str) -> str:
    """Which plan period a part asks about: 十三五 (the record, 2020 and before) or 十四五 (the targets)."""
    years = [int(y) for y in re.findall(r"(20\d\d)", text)]
    if "十三五" in text or (years and max(years) <= 2020):
        return "十三五"
    if "十四五" in text or (years and min(years) >= 2021):
        return "十四五"
    return ""


# spoken fillers, role words and the table's column words around an ask ("还有谁一起干", "另外由哪个单位负责",
# "目标又是多少"): never a subject
_FILLER = re.compile(r"负责|牵头|参与|配合|单位|部门|还有|还要|一起|一块|一同|别的|其他|其它|另外|有没有|有无|有份|份|干|活儿?|事儿?|事情|一下|也|都|又|吧|啊|呀|么|"
                     r"怎么|如何|怎样|几|哪|指标表|指标|目标|基数|基期|来源|属性|约束性|预期性|定|完成|时候|之前|前")
# a bigram found in more than this share of the plan's paragraphs says nothing about a subject (要求, 工作)
_COMMON_SHARE = 0.2


def _subject_bigrams(text: str, corpus: Corpus) -> set[str]:
    """The bigrams of ``text`` that can name a subject: in the plan, and not in most of its paragraphs."""
    def build(corpus: Corpus) -> tuple[dict[str, int], int]:
        df: dict[str, int] = {}
        plan = [c for c in corpus.clauses if c.kind == "plan"]
        for clause in plan:
            for gram in bigrams(clause.text):
                df[gram] = df.get(gram, 0) + 1
        return df, max(len(plan), 1)

    df, size = _per_corpus("plan_bigram_df", corpus, build)
    return {g for g in bigrams(text) if 0 < df.get(g, 0) <= _COMMON_SHARE * size}


def _leans_on_earlier(intent: "Intent", corpus: Corpus, least: int = 2) -> bool:
    """A later part whose words name no subject once bureaux, asking words and the indicator table's
    column words are gone ("还有谁一起干", "市监局有没有份", "指标表定的目标又是多少") needs the first
    part's subject; one with a subject of its own ("“十四五”对农村改厕提了什么要求", "其中具备水质监测井
    的有几家") must not be searched with the first part's words, even when it points back."""
    text = intent.match_text
    for start, end, _ in reversed(corpus.facts.directory.spans_in(text)):
        text = text[:start] + " " + text[end:]
    for law in intent.laws:  # "按生态环境法典这事由哪个部门监督": the law named is where to look, not what about
        for name in sorted({law.name, law.name.replace("中华人民共和国", ""), short_law_name(law.name)}, key=len, reverse=True):
            text = text.replace(name, " ")
    rest = _FILLER.sub("", _SUBJECTLESS.sub("", text))
    if intent.english:
        return len(rest.split()) < 3
    if _POINTS_BACK.search(text):  # "这事由哪个部门监督": pointing back, two words (部门, 监督) do not make a subject
        least = max(least, 3)
    return len(_subject_bigrams(rest, corpus)) < least


_POINTS_BACK = re.compile(r"这事|这件事|此事|这项|该项|这条|这一要求|这个要求|这一规定")


# a part made of asking words only ("谁配合", "哪些局参与"): the same ask again, not a second question
_ASKING_ONLY = re.compile(r"谁|哪个|哪些|哪家|什么|部门|单位|局|委|配合|参与|牵头|负责|还有|呢|吗|的|是|[\s,，?？]")
_SUBJECTLESS = re.compile(r"它们|它|其中|其|里面|这个|那个|这些|该|他们|20\d\d年?|十四五|十三五|正文里|正文|末|要求|多少|什么|哪个|哪些|"
                          r"是|的|在|要|到|了|吗|呢|谁|角色|啥|[\s,，?？]|they|them|their|those|it")
