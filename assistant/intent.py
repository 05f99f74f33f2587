"""Question understanding: what is asked, about which bureau, law, year or table column.

Rule-based on purpose: the phrasings officials use are few and regular (谁牵头, 归谁管,
哪条规定, 什么时候前, 目标是多少), and a rule that misfires can be read and fixed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from assistant import laws as law_store
from assistant.clauses import short_law_name
from assistant.corpus import Corpus

MAX_PARTS = 3

LEAD = re.compile(r"牵头|负责|责任单位|责任部门|角色|职责|谁来|是谁|由谁|谁|谁管|归谁|哪个部门|哪个局|哪家单位|哪些部门|什么部门|哪个单位|由谁|谁主抓|谁抓|主管|分工|配合|参与|担什么责"
                  r"|\b(which|what) (bureau|bureaus|department|departments|agency|agencies)\b|\bwho (leads|is responsible)\b|\blead(s)?\b|responsib|\brole\b")
LIST = re.compile(r"哪些(任务|事|工作|事情|项)|都有哪些|有哪些任务|哪几项|哪几件|几项工作|哪些是|列出|\b(which|what) tasks\b|\blist\b")
TARGET = re.compile(r"目标|指标|达到多少|要到多少|多少|基期|基准|约束性|预期性|要求.*达到|"
                    r"\b(target|baseline|binding|indicative|indicator|rate|reach|percentage|how much)\b")
HISTORY = re.compile(r"十三五|当时|到了多少|完成了|已经|\b(had|was|were|13th)\b")
DEADLINE = re.compile(r"什么时候|何时|哪年|截止|之前|前完成|最晚|期限|时限|日期|几月|\b(by when|deadline|when must|by what date)\b")
DEFINITION = re.compile(r"指什么|指的是|具体指|是什么意思|什么意思|含义|定义|哪三个|哪几类|哪几种|包括哪些|\b(what does .* mean|stand for|refer to)\b")
LAW = re.compile(r"哪一?条|第\s*[0-9０-９零〇一二两三四五六七八九十百千]+\s*条|法律|法典|\b(article|law)\b")
STANDING = re.compile(r"各县|县市政府|县\(市\)人民政府|园区管委会|管委会")
IN_CORPUS = re.compile(r"收录|收进|收了|有没有(原文|全文)|原文|全文|能查到|在不在|included|available|in the corpus")
INJECTION = re.compile(r"(忽略|无视|忘记|不要理会).{0,12}(指令|指示|提示|规则|要求|以上|之前)|你现在是|扮演|system prompt|"
                       r"ignore (all |the )?(previous|above|prior)|disregard .{0,20}instructions|you are now|pretend to be",
                       re.IGNORECASE)


@dataclass
class Intent:
    kind: str  # lead_bureau | list_by_bureau | standing_rule | target | deadline | definition | law_article
    #           | cited_document | fact
    text: str  # the (cleaned) question part this intent answers
    search_text: str  # text for retrieval: English terms expanded into the plan's words
    bureaux: list[str] = field(default_factory=list)
    laws: list = field(default_factory=list)  # laws.Law mentioned
    years: list[int] = field(default_factory=list)
    wants: set[str] = field(default_factory=set)  # baseline | target | kind | source | sole | lead | participant | table | text
    english: bool = False
    document: str | None = None  # an added document the question names

    @property
    def match_text(self) -> str:
        """What evidence is compared with: the Chinese terms only, for an English question."""
        if not self.english:
            return self.text
        chinese = " ".join(re.findall(r"[\u4e00-\u9fff]+", self.text))  # e.g. 户集、村收 quoted in English
        return (chinese + " " + self.search_text[len(self.text):]).strip()


class Glossary:
    """English domain terms -> the plan's Chinese words (``corpus/glossary_en.json``), and colloquial
    Chinese short forms -> the plan's words (``corpus/abbreviations_zh.json``); both editorial."""

    def __init__(self, terms: dict[str, str], abbreviations: dict[str, str] | None = None):
        self.terms = sorted(terms.items(), key=lambda kv: -len(kv[0]))
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
        for english, chinese in self.terms:
            if english in lowered:
                added.append(chinese)
                lowered = lowered.replace(english, " ")
        return text + (" " + " ".join(dict.fromkeys(added)) if added else "")


def clean_question(raw: str) -> tuple[str, list[str]]:
    """Remove control characters and markup; report what was done so the answer can say so."""
    notes = []
    text = unicodedata.normalize("NFKC", raw)
    stripped = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    if stripped != text:
        notes.append("已去除问题中的控制字符。")
    text = stripped
    no_markup = re.sub(r"<[^>]{0,200}>", " ", text)
    no_markup = re.sub(r"```.*?```", " ", no_markup, flags=re.S)
    no_markup = re.sub(r"[*_#>`\[\]]+", " ", no_markup)
    if no_markup != text:
        notes.append("问题中的 Markdown/HTML 标记按纯文本处理。")
    text = re.sub(r"\s+", " ", no_markup).strip()
    if INJECTION.search(text):
        notes.append("问题中包含试图改变助手行为的指令，已忽略；助手只依据规划和法律原文作答。")
        text = INJECTION.sub(" ", text)
    return text, notes


ASKS = re.compile(r"吗|什么|多少|哪|谁|几|怎么|怎样|如何|是否|有没有|啥|\b(how|what|which|who|when|where|is|are|does|do)\b",
                  re.IGNORECASE)


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
    parts: list[str] = []
    for piece in pieces:
        if parts and (len(piece) < 4 or not ASKS.search(piece)):
            parts[-1] += "，" + piece
        else:
            parts.append(piece)
    return parts[:MAX_PARTS] or [question]


def _years(text: str) -> list[int]:
    years = [int(y) for y in re.findall(r"(20\d\d)\s*年?", text)]
    if "十四五" in text and not years and re.search(r"末|目标|到", text):
        years.append(2025)
    return years


def classify(text: str, corpus: Corpus, glossary: Glossary) -> Intent:
    english = sum(ch.isascii() and ch.isalpha() for ch in text) > len(text) * 0.4
    search_text = glossary.expand(text) if english else text
    directory = corpus.facts.directory
    bureaux = directory.find_in(text)
    laws = law_store.find_law_mentions(text, corpus.laws)
    intent = Intent("fact", text, search_text, bureaux, laws, _years(text), english=english)
    lowered = text.lower()
    if re.search(r"指标表|表格|表中|表里|这一行|那一行|那栏|这栏|一栏|\btable\b|\brow\b", lowered):
        intent.wants.add("table")
    if re.search(r"正文|文中|\bin the text\b", lowered):
        intent.wants.add("text")
    for word, want in (("基期", "baseline"), ("基准", "baseline"), ("基数", "baseline"), ("baseline", "baseline"), ("来源", "source"),
                       ("约束性", "kind"), ("预期性", "kind"), ("binding", "kind"), ("indicative", "kind"),
                       ("单独负责", "sole"), ("没有列", "sole"), ("参与单位", "participant"), ("参与的", "participant"),
                       ("参与", "participant"), ("牵头", "lead"), ("lead", "lead"), ("participat", "participant")):
        if word in lowered:
            intent.wants.add(want)
    if IN_CORPUS.search(lowered) and cited_document(text, corpus) is not None:
        intent.kind = "cited_document"
        return intent
    document = corpus.document_in(text)
    if document is not None:
        intent.document = document.title
    if laws or document is not None or (LAW.search(lowered) and not bureaux):
        intent.kind = "law_article"
    elif STANDING.search(text) and LEAD.search(lowered):
        intent.kind = "standing_rule"
    elif (bureaux and (LIST.search(lowered) or re.search(r"哪些|哪几", text))) or (
            re.search(r"联合牵头|共同负责|未写明牵头", text) and LIST.search(lowered)):
        intent.kind = "list_by_bureau"
    elif DEFINITION.search(lowered):
        intent.kind = "definition"
    elif LEAD.search(lowered) and not TARGET.search(lowered.replace("多少", "")):
        intent.kind = "lead_bureau"
    elif DEADLINE.search(lowered):
        intent.kind = "deadline"
    elif re.search(r"基期|基准|基数|baseline (value|figure)|indicator table", lowered) and not laws:
        intent.kind = "target"  # the 2020 baseline is a column of the indicator table
    elif (TARGET.search(lowered) and all(y >= 2021 for y in intent.years) and not HISTORY.search(lowered)
          and (intent.years or re.search(r"目标|指标|基期|约束性|预期性|target|baseline|indicator|binding", lowered))):
        intent.kind = "target"
    return intent


def cited_document(text: str, corpus: Corpus):
    """The cited document a question names (《…》 or the bare title), from the plan's registry."""
    squashed = re.sub(r"[《》\s]", "", text)
    named = [d for d in corpus.facts.cited_docs
             if any(name and re.sub(r"\s", "", name) in squashed for name in (short_law_name(d.title), d.code))]
    return max(named, key=lambda d: len(d.title)) if named else None


def understand(question: str, corpus: Corpus, glossary: Glossary) -> list[Intent]:
    """One intent per part; a law or standing-rule question stays whole (its parts share a subject)."""
    question = glossary.spell_out(question)
    whole = classify(question, corpus, glossary)
    if whole.kind in ("law_article", "standing_rule", "list_by_bureau", "cited_document"):
        return [whole]
    parts = split_parts(question)
    if len(parts) == 1:
        return [whole]
    intents = [classify(p, corpus, glossary) for p in parts]
    for i, intent in enumerate(intents[1:], start=1):
        # a later part that barely names its subject ("卫健委在里面是什么角色", "正文里十四五末要求到多少")
        # is about the first part's subject: search with both
        if len(_SUBJECTLESS.sub("", intent.match_text)) < SHORT_PART_CHARS:
            combined = parts[0] + "，" + parts[i]
            again = classify(combined, corpus, glossary)
            again.kind = intent.kind if intent.kind != "fact" else again.kind
            again.wants |= intent.wants
            again.years = intent.years or again.years
            intents[i] = again
    return intents


SHORT_PART_CHARS = 10
_SUBJECTLESS = re.compile(r"它们|它|其中|其|里面|这个|那个|这些|该|他们|20\d\d年?|十四五|十三五|正文里|正文|末|要求|多少|什么|哪个|哪些|"
                          r"是|的|在|要|到|了|吗|呢|谁|角色|啥|[\s,，?？]|they|them|their|those|it")
