"""The laws as they stand today: in force or repealed, since when, by which article, and where old articles went.

Officials ask "is the soil law still in force?", "from when?", "where is old article N now?",
"what is the fine today?" and "which of our plan's tasks still cite repealed laws?". Every
answer here rests on an article the assistant can cite: the law's own 施行 article for its
effective date, the repealing article (生态环境法典 第一千二百四十二条) for a repeal, and the
generated correspondence table (``assistant.mapping``) for old article -> Code article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant import laws as law_store
from assistant import mapping
from assistant.clauses import Clause, CorpusError, squash
from assistant.corpus import Corpus
from assistant.zh import DATE_CN, EFFECTIVE

IN_FORCE = "现行有效"
REPEALED = "已废止"
AMENDED = "已被修改"
_ARTICLE_REF = re.compile(r"第([一二三四五六七八九十百千零两\d]+)条")
_TITLED = re.compile(r"《[^《》]{1,80}》")
_SENTENCE = re.compile(r"[^。；;!?！？]+[。；;!?！？]?")
RELIANCE_MIN = 0.18
_NOT_WORD_TAIL = r"(?![律规])"  # 环保法律 / 环保法规 are words, not the nickname 环保法  # below this a plan sentence shares only boilerplate with the law's articles
RELIANCE_TOP = 3


@dataclass(frozen=True)
class LawStatus:
    """Where one law stands, with the clauses that say so."""

    law: str
    short_name: str
    status: str  # 现行有效 | 已废止 | the law file's own word (历史版本 …)
    in_force: bool
    effective_date: str | None  # YYYY-MM-DD, from the 施行 article when it states one
    effective_clause_id: str | None  # the law's own 施行 article (usually its last)
    repealed_by: str | None = None
    repealed_from: str | None = None
    repeal_clause_id: str | None = None  # e.g. 生态环境法典#1242
    cited_by_plan: bool = False

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class LegalBasis:
    """A plan paragraph that cites or relies on a repealed law, and what governs it now."""

    clause_id: str  # plan-055
    law: str  # repealed law's full name
    how: str  # "cites" (《》 title) | "names" (written without 《》, e.g. 土壤法)
    old_articles: tuple[str, ...]  # old clause ids cited by number or closest to the sentence
    explicit: bool  # True when the paragraph cites the articles by number
    repealed_by: str
    repealed_from: str | None
    repeal_clause_id: str | None
    now: tuple[mapping.Correspondence, ...] = field(default_factory=tuple)  # Code articles that govern now
    sentence: str = ""  # the plan sentence that names the law

    def to_json(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "now"}
        data["old_articles"] = list(self.old_articles)
        data["now"] = [c.to_json() | {"certain": c.certain} for c in self.now]
        return data


def effective_clause(law_name: str, clauses: Sequence[Clause]) -> Clause | None:
    """The law's own 施行 article: the last article saying 自…起施行 (a 之一 amendment clause never wins)."""
    own = [c for c in clauses if c.source == law_name and c.kind == "law"]
    for clause in reversed(own):
        if EFFECTIVE.search(squash(clause.text)):
            return clause
    return None


def _date_in(clause: Clause | None) -> str | None:
    if clause is None:
        return None
    found = EFFECTIVE.search(squash(clause.text))
    date = DATE_CN.search(found.group(1)) if found else None
    return f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else None


def law_status(law: law_store.Law, clauses: Sequence[Clause]) -> LawStatus:
    clause = effective_clause(law.name, clauses)
    if law.repealed_by:
        status, in_force = REPEALED, False
    else:  # 已被修改 = in force as amended (the law file's word for 刑法)
        status, in_force = law.status, law.status in (IN_FORCE, AMENDED)
    return LawStatus(law.name, law.short_name, status, in_force, _date_in(clause) or law.effective_date,
                     clause.clause_id if clause else None, law.repealed_by, law.repealed_from,
                     law.repeal_clause_id, law.cited_by_plan)


def status_of(name: str, corpus: Corpus) -> LawStatus:
    """Status of a law named by full name, short name or nickname; CorpusError if it is not loaded."""
    law = corpus.law(name)
    if law is None:
        raise CorpusError(f"《{name}》 is not in the corpus (try --all-laws, or check the name)")
    return law_status(law, _law_clauses(corpus, law.name))


def currency_table(corpus: Corpus) -> list[LawStatus]:
    """Every loaded law's status, in corpus order."""
    by_law: dict[str, list[Clause]] = {}
    for c in corpus.clauses:
        if c.kind == "law":
            by_law.setdefault(c.source, []).append(c)
    return [law_status(law, by_law.get(law.name, [])) for law in corpus.laws]


def _law_clauses(corpus: Corpus, name: str) -> list[Clause]:
    return [c for c in corpus.clauses if c.kind == "law" and c.source == name]


# -- correspondence table -------------------------------------------------------------------------

def mapping_path(corpus_dir: Path) -> Path:
    return corpus_dir / mapping.MAPPING_FILE


@lru_cache(maxsize=4)
def _table(path: Path, mtime: float) -> tuple[mapping.Correspondence, ...]:
    return tuple(mapping.load_mapping(path))


def correspondences(corpus_dir: Path) -> tuple[mapping.Correspondence, ...]:
    """The generated table, read once per file version."""
    path = mapping_path(corpus_dir)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return _table(path, mtime)


def code_article_for(law_name: str, article_number: int | str, table: Sequence[mapping.Correspondence],
                     laws: Sequence[law_store.Law] = ()) -> list[mapping.Correspondence]:
    """Code articles now holding old article N of a repealed law, most confident first."""
    number = article_number if isinstance(article_number, int) else law_store.parse_article_number(article_number)
    if number is None:
        raise ValueError(f"not an article number: {article_number!r}")
    law = law_store.find_law(law_name, laws) if laws else None
    full = law.name if law else law_name
    wanted = f"{law_store.short_law_name(full)}#{number}"
    return sorted((c for c in table if c.clause_id == wanted), key=lambda c: -c.confidence)


def replaced_articles(code_article_number: int | str,
                      table: Sequence[mapping.Correspondence]) -> list[mapping.Correspondence]:
    """Old articles (of any repealed law) that Code article N replaces, most confident first."""
    number = code_article_number if isinstance(code_article_number, int) else \
        law_store.parse_article_number(code_article_number)
    if number is None:
        raise ValueError(f"not an article number: {code_article_number!r}")
    wanted = f"{law_store.short_law_name(mapping.CODE_NAME)}#{number}"
    return sorted((c for c in table if c.code_clause_id == wanted), key=lambda c: -c.confidence)


def liability_articles(law_name: str, corpus: Corpus) -> list[str]:
    """Clause ids of the law's 法律责任 articles (chapter headings as the law file stores them)."""
    law = corpus.law(law_name)
    if law is None:
        raise CorpusError(f"《{law_name}》 is not in the corpus")
    return [c.clause_id for c in _law_clauses(corpus, law.name) if mapping.is_liability(c)]


def current_liability_articles(law_name: str, corpus: Corpus, table: Sequence[mapping.Correspondence]) -> list[str]:
    """Where a penalty question about this law is answered today: its own 法律责任 articles when in force;
    for a repealed law, the Code articles its liability articles map to (most confident first, no repeats)."""
    law = corpus.law(law_name)
    if law is None:
        raise CorpusError(f"《{law_name}》 is not in the corpus")
    own = liability_articles(law.name, corpus)
    if not law.repealed_by:
        return own
    mapped = sorted((c for c in table if c.clause_id in set(own)), key=lambda c: -c.confidence)
    return list(dict.fromkeys(c.code_clause_id for c in mapped if c.code_clause_id in corpus.by_id))


# -- the plan's legal bases ------------------------------------------------------------------------

def _grams(text: str) -> set[str]:
    return mapping._bigrams(text)


def _closest_articles(sentence: str, articles: Sequence[Clause]) -> list[str]:
    """Old articles a plan sentence relies on: the most shared wording, beyond boilerplate."""
    mine = _grams(_TITLED.sub("", sentence))  # the cited titles themselves say nothing about the content
    scored = []
    for a in articles:
        theirs = _grams(a.text)
        if mine and theirs:
            scored.append((len(mine & theirs) / (len(mine) * len(theirs)) ** 0.5, a.clause_id))
    scored.sort(reverse=True)
    return [cid for score, cid in scored[:RELIANCE_TOP] if score >= RELIANCE_MIN]


def _sentences_naming(text: str, names: Sequence[str]) -> list[str]:
    flat = squash(text)
    return [s for s in _SENTENCE.findall(flat) if any(n in s for n in names)]


def legal_bases(corpus: Corpus, table: Sequence[mapping.Correspondence]) -> list[LegalBasis]:
    """Every plan paragraph that cites or names a repealed law, with the Code articles that govern it now.

    Articles cited by number are mapped directly; otherwise the old articles closest to the
    sentence naming the law are, and a paragraph with none keeps the law-level repeal only.
    """
    repealed = [law for law in corpus.laws if law.repealed_by]
    out: list[LegalBasis] = []
    by_old: dict[str, list[mapping.Correspondence]] = {}
    for c in table:
        by_old.setdefault(c.clause_id, []).append(c)
    for para in corpus.plan():
        text = squash(para.text)
        for law in law_store.find_law_mentions(text, repealed):
            aliases = [law.name, law.short_name, *(a for a, s in law_store.ABBREVIATIONS.items() if s == law.short_name)]
            titled = any(f"《{n}》" in text for n in aliases)
            if not titled and not any(re.search(re.escape(a) + _NOT_WORD_TAIL, text) for a in aliases):
                continue  # 环保法律意识 is not the 环保法
            sentences = _sentences_naming(text, aliases)
            numbers = []
            for s in sentences:
                for alias in aliases:
                    at = s.find(alias)
                    if at >= 0:
                        tail = s[at + len(alias):at + len(alias) + 12].lstrip("》")
                        ref = _ARTICLE_REF.match(tail)
                        if ref:
                            numbers.append(law_store.parse_article_number(ref.group(0)))
            if numbers:
                old_ids = [f"{law.short_name}#{n}" for n in dict.fromkeys(numbers) if n]
                explicit = True
            else:
                old_ids = _closest_articles(" ".join(sentences) or text, _law_clauses(corpus, law.name))
                explicit = False
            now = tuple(sorted((c for cid in old_ids for c in by_old.get(cid, [])),
                               key=lambda c: (-c.certain, -c.confidence)))
            out.append(LegalBasis(para.clause_id, law.name, "cites" if titled else "names", tuple(old_ids),
                                  explicit, law.repealed_by, law.repealed_from, law.repeal_clause_id, now,
                                  sentences[0] if sentences else ""))
    return out


# -- replies the answer layer can give as they are ---------------------------------------------------

# Chinese patterns of this issue (to be folded into assistant/zh.py)
CURRENCY_Q = re.compile(r"还有效|有效吗|是否有效|现行有效|废止|失效|作废|还在用|还适用|还能.{0,6}依据|"
                        r"什么时候(?:开始)?(?:施行|实施|生效)|哪天(?:开始)?(?:施行|实施|生效)|何时(?:施行|实施|生效)|"
                        r"施行日期|生效日期|被.{0,12}(?:取代|替代|代替)|取代了?吗")
CORRESPONDENCE_Q = re.compile(r"对应|现在是|现在在|变成|改为|法典.{0,6}(?:哪一?条|第几条)|哪一?条.{0,6}法典|挪到|移到")
PLAN_REPEALED_Q = re.compile(r"(?:规划|我们).{0,12}(?:引用|依据|援引).{0,12}(?:法律|法).{0,12}(?:废止|失效|作废|还有效)")


@dataclass(frozen=True)
class Reply:
    """What an answer should say, and the clauses it must cite (first = the one that states it)."""

    kind: str  # currency | correspondence | legal_bases
    text: str
    cite: tuple[str, ...]
    certain: bool = True

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "cite": list(self.cite), "certain": self.certain}


def _label(clause_id: str | None, corpus: Corpus) -> str:
    clause = corpus.by_id.get(clause_id or "")
    return clause.label() if clause else (clause_id or "")


def status_reply(st: LawStatus, corpus: Corpus) -> Reply:
    """还有效吗 / 什么时候施行 / 被什么取代 / 还能作为依据吗, answered from the citing articles."""
    where = _label(st.effective_clause_id, corpus) if st.effective_clause_id else "法律数据库记载；该法未载明施行条文"
    since = f"该法自{st.effective_date}起施行（{where}）" if st.effective_date else ""
    if not st.in_force and st.repealed_by:
        text = (f"《{st.law}》已废止：{_label(st.repeal_clause_id, corpus)}规定，自{st.repealed_from}起"
                f"《{st.repealed_by}》施行，该法同时废止，不能再作为现行依据，应适用《{st.repealed_by}》的相应条文。"
                + (f"（{since}。）" if since else ""))
        cite = (st.repeal_clause_id, st.effective_clause_id)
    elif not st.in_force:
        text = f"《{st.law}》在法律数据库中的状态为“{st.status}”。" + (f"{since}。" if since else "")
        cite = (st.effective_clause_id,)
    else:
        amended = "（法律数据库标注为“已被修改”，即修改后继续有效）" if st.status == AMENDED else ""
        text = f"《{st.law}》现行有效{amended}。" + (f"{since}。" if since else "")
        cite = (st.effective_clause_id,)
    return Reply("currency", text, tuple(c for c in cite if c))


def correspondence_reply(law: law_store.Law, number: int, corpus: Corpus,
                         table: Sequence[mapping.Correspondence]) -> Reply:
    """Old article N of a repealed law -> the Code article(s); "可能对应" with both texts below the threshold."""
    old = law_store.lookup_article(law, number, corpus.by_id)
    old_label = f"《{law.name}》{law_store.article_label(number)}"
    if old is None:
        return Reply("correspondence", f"{old_label}不存在（该法共{law.article_count}条）。", (), False)
    found = code_article_for(law.name, number, table)
    if not found:
        return Reply("correspondence", f"{old_label}在《{mapping.CODE_NAME}》中未找到对应条文"
                     f"（该法已由{_label(law.repeal_clause_id, corpus)}废止）。", (old.clause_id,), False)
    certain = [c for c in found if c.certain]
    if certain:
        targets = "、".join(c.code_article for c in certain)
        text = f"{old_label}现为《{mapping.CODE_NAME}》{targets}。"
        return Reply("correspondence", text, tuple(c.code_clause_id for c in certain) + (old.clause_id,))
    top = found[0]
    code_text = corpus.by_id.get(top.code_clause_id)
    text = (f"{old_label}可能对应《{mapping.CODE_NAME}》{top.code_article}（文本相似度较低，请对照原文）。"
            f"\n原条文：{old.text}\n法典条文：{code_text.text if code_text else '（未载入）'}")
    return Reply("correspondence", text, (top.code_clause_id, old.clause_id), False)


def legal_bases_reply(corpus: Corpus, table: Sequence[mapping.Correspondence]) -> Reply:
    """规划引用的法律哪些已经废止了: the repealed laws the plan cites, where, and the repealing article."""
    bases = legal_bases(corpus, table)
    if not bases:
        return Reply("legal_bases", "规划引用的法律均未废止。", ())
    by_law: dict[str, list[LegalBasis]] = {}
    for b in bases:
        by_law.setdefault(b.law, []).append(b)
    lines = []
    for law, items in by_law.items():
        first = items[0]
        paras = "、".join(dict.fromkeys(b.clause_id for b in items))
        lines.append(f"《{law}》：自{first.repealed_from}起被《{first.repealed_by}》废止"
                     f"（{_label(first.repeal_clause_id, corpus)}）；规划中引用或依据它的段落：{paras}。")
    cite = tuple(dict.fromkeys([bases[0].repeal_clause_id, *(b.clause_id for b in bases)]))
    return Reply("legal_bases", f"规划引用的法律中有{len(by_law)}部已废止：\n" + "\n".join(lines),
                 tuple(c for c in cite if c))


def reply_for(question: str, corpus: Corpus, table: Sequence[mapping.Correspondence]) -> Reply | None:
    """The currency-type reply for a question, or None when it is not one (the caller answers as usual)."""
    text = squash(question)
    if PLAN_REPEALED_Q.search(text):
        return legal_bases_reply(corpus, table)
    named = law_store.find_law_mentions(text, corpus.laws)
    if not named:
        return None
    law = named[0]
    ref = _ARTICLE_REF.search(text)
    if ref and law.repealed_by and (CORRESPONDENCE_Q.search(text) or "法典" in text):
        number = law_store.parse_article_number(ref.group(0))
        if number:
            return correspondence_reply(law, number, corpus, table)
    if CURRENCY_Q.search(text):
        return status_reply(law_status(law, _law_clauses(corpus, law.name)), corpus)
    return None
