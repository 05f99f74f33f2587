"""Article-level correspondence: each article of a law the 生态环境法典 repealed -> the Code article(s) now saying it.

Text similarity alone picks the wrong article whenever the Code repeats a provision in
several books (every pollution book has its own 一般规定, every liability section its own
fine clause). So the alignment is structural:

1. character-bigram overlap gives, per old article, a short list of Code candidates, scored by
   how much of the old text survives in the Code article (``coverage``) and how much of the Code
   article is old text (``purity``);
2. a dynamic programme picks at most one Code article per old article so that the choices run
   in order (old article i+1 lands after old article i, ideally right after it); a jump back
   (a new region of the Code) costs a penalty;
3. a second pass adds provisions the Code rewrote as general rules (compared once domain words such
   as 土壤/大气 are dropped), merges (two old articles in one Code article), splits (one old article
   spread over two) and the law file's known defect (a Code article whose stored text also holds
   the next article's text, see ``laws._note_gaps``): the part that matches the tail goes to the
   lost number;
4. before the merges and splits, a key-concept pass re-decides every pair still below
   ``CERTAIN_CONFIDENCE`` among all Code articles (``_KeyConcepts``): terms rare across the Code and
   rare in the old law itself (信用记录, 联合执法, 排放标准…总量控制) weigh most, the longest shared phrase counts, the Code's chapter/section
   headings add evidence, and a Code part that is another pollution law's home is skipped. Its
   pairs (method ``concept``) are capped below ``CERTAIN_CONFIDENCE``: always 可能对应.

Every pair carries a confidence in [0, 1] and the method that produced it. ``CERTAIN_CONFIDENCE``
was set on the first hand-checked sample and is checked on all of them (benchmarks/score_mapping.py); below it an
answer must say "可能对应" and show both texts.

The table is generated into ``corpus/code_mapping.json`` by ``python -m assistant mapping --write``
and read back by ``load_mapping``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from pathlib import Path

from assistant import laws as law_store
from assistant.clauses import Clause, CorpusError, squash

CODE_NAME = "中华人民共和国生态环境法典"
MAPPING_FILE = "code_mapping.json"
MAPPING_FORMAT = 1
GENERATE_COMMAND = "python -m assistant mapping --write"
# Set on benchmarks/code_mapping_sample.jsonl; checked on every hand-judged pair (benchmarks/score_mapping.py):
# 113 of the 114 judged pairs at or above it are right. Below it answers say 可能对应.
CERTAIN_CONFIDENCE = 0.6

CANDIDATES = 8  # Code candidates kept per old article
MIN_SCORE = 0.30  # below this the overlap is boilerplate (本法, 主管部门, 人民政府 …)
IN_ORDER_BONUS = 0.05
ADJACENT_BONUS = 0.12  # old i -> c and old i+k -> c+k: the Code kept the run together
BACKWARD_PENALTY = 0.20
RUN_MIN_COVERAGE = 0.45
OVERRIDE_MARGIN = 0.15
GENERAL_BELOW = 0.5  # plain coverage under this looks for a generalised provision
GENERAL_MIN = 0.5  # ... which must cover this share of the old text without domain words
GENERAL_GAIN = 0.1
GENERAL_MIN_ALONE = 0.25
MERGE_MIN_COVERAGE = 0.60
SPLIT_MIN_GAIN = 0.20
SPLIT_MIN_PURITY = 0.45
LOOSE_MIN_COVERAGE = 0.50
# Key-concept pass (``_KeyConcepts``): an uncertain pair is re-decided among all Code articles by plain overlap
# + key-concept overlap + the longest shared key phrase + the Code's chapter/section structure.
CONCEPT_WEIGHT = 1.0  # share of the old article's key-concept weight found in the Code article
PHRASE_WEIGHT = 1.0  # share of that weight in the single longest shared phrase (the provision's wording)
TITLE_WEIGHT = 0.2  # chapter/section heading of the Code article like the old article's (监督管理 ~ 监督管理)
STAY_BONUS = 0.1  # the chain's choice stays unless another article is clearly better
PHRASE_MIN = 3  # characters in a shared phrase
PHRASE_CANDIDATES = 20  # Code articles whose shared phrases are measured (difflib), per uncertain old article
OWNER_MIN_PAIRS = 3  # a Code chapter belongs to one repealed law when ≥ this many certain pairs land there ...
OWNER_SHARE = 2 / 3  # ... and at least this share of them come from that law
BANDS = ((0.9, "≥0.9"), (0.75, "0.75–0.9"), (CERTAIN_CONFIDENCE, f"{CERTAIN_CONFIDENCE}–0.75"),
         (0.0, f"<{CERTAIN_CONFIDENCE}"))

_NON_WORD = re.compile(r"[^\w]")
_NUM = "零一二三四五六七八九十百千万两"
_AMOUNT = re.compile(rf"[{_NUM}]+(?:万)?元以上[{_NUM}]+(?:万)?元以下|[{_NUM}]+倍以上[{_NUM}]+倍以下")
LIABILITY_MARK = "法律责任"  # chapter headings: 第六章 法律责任 (old laws), 法律责任通则 / 法律责任分则 (the Code)
AMOUNT_BONUS = 0.08  # the same fine range is strong evidence between two liability articles


def is_liability(clause: Clause) -> bool:
    """True for an article in a 法律责任 chapter (the law file keeps chapter headings in ``section``)."""
    return LIABILITY_MARK in (clause.section or "")


def amounts(text: str) -> set[str]:
    return set(_AMOUNT.findall(squash(text)))


@dataclass(frozen=True)
class Correspondence:
    """Old law article -> Code article, with how sure we are and how it was found."""

    law: str  # full name of the repealed law
    article: str  # 第三十六条, as the law file writes it
    clause_id: str  # 土壤污染防治法#36
    code_article: str  # 第四百三十一条
    code_clause_id: str  # 生态环境法典#431
    confidence: float
    method: str  # verbatim | aligned | merge | split | source-defect | similar
    coverage: float  # share of the old article's text found in the Code article

    @property
    def certain(self) -> bool:
        return self.confidence >= CERTAIN_CONFIDENCE

    def to_json(self) -> dict:
        return asdict(self)

    def public(self) -> dict:
        """The schema of ``mapping --json``."""
        return {k: getattr(self, k) for k in ("law", "article", "code_article", "confidence", "method")}


def _norm(text: str) -> str:
    return _NON_WORD.sub("", squash(text))


# The Code generalises many provisions: 土壤污染风险管控标准 -> 生态环境领域标准. Dropping the domain words
# before comparing finds those; used only when the plain comparison finds nothing convincing.
_DOMAIN = re.compile(r"固体废物污染环境|固体废物|土壤污染|土壤环境|土壤|大气污染|大气环境|大气|水污染|水环境|水体|"
                     r"噪声污染|噪声|放射性污染|海洋环境|生态环境|环境保护|环境|污染")


def _general_bigrams(text: str) -> set[str]:
    return _bigrams(_DOMAIN.sub("", squash(text)))


def _bigrams(text: str) -> set[str]:
    t = _norm(text)
    return {t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


@dataclass
class _Candidate:
    code_index: int
    coverage: float  # |A∩C| / |A|
    purity: float  # |A∩C| / |C|
    bonus: float = 0.0  # same fine ranges
    concept: float = 0.0  # key-concept share (only for pairs chosen by the key-concept pass)

    @property
    def score(self) -> float:
        return 0.7 * self.coverage + 0.3 * self.purity + self.bonus


class _CodeIndex:
    """Bigram postings over the Code's articles, for fast overlap counts."""

    def __init__(self, code: Sequence[Clause]) -> None:
        self.clauses = list(code)
        self.grams = [_bigrams(c.text) for c in self.clauses]
        self.liability = [is_liability(c) for c in self.clauses]
        self.general = [_general_bigrams(c.text) for c in self.clauses]
        self.amounts = [amounts(c.text) for c in self.clauses]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for j, grams in enumerate(self.grams):
            for g in grams:
                self.postings[g].append(j)

    def overlaps(self, grams: set[str]) -> Counter:
        counts: Counter = Counter()
        for g in grams:
            counts.update(self.postings.get(g, ()))
        return counts

    def candidates(self, old: Clause, grams: set[str], k: int = CANDIDATES) -> list[_Candidate]:
        """Code articles sharing the most text, of the same kind (a liability article maps to one)."""
        if not grams:
            return []
        liability, fines = is_liability(old), amounts(old.text)
        found = [_Candidate(j, n / len(grams), n / max(1, len(self.grams[j])),
                            AMOUNT_BONUS if fines and fines <= self.amounts[j] else 0.0)
                 for j, n in self.overlaps(grams).items() if self.liability[j] == liability]
        found.sort(key=lambda c: c.score, reverse=True)
        return [c for c in found[:k] if c.score >= MIN_SCORE]


def _generalised(index: "_CodeIndex", old: Clause) -> _Candidate | None:
    """Best Code article once domain words are dropped on both sides (the Code's general provisions)."""
    grams = _general_bigrams(old.text)
    if len(grams) < 8:
        return None
    liability = is_liability(old)
    best = None
    for j, other in enumerate(index.general):
        if index.liability[j] != liability or not other:
            continue
        n = len(grams & other)
        cand = _Candidate(j, n / len(grams), n / len(other))
        if best is None or cand.score > best.score:
            best = cand
    return best


def _align(cands: list[list[_Candidate]]) -> list[int | None]:
    """Best in-order choice (index into each candidate list, or None) by dynamic programming."""
    n = len(cands)
    # best[i][k]: best total ending with old article i taking candidate k; back[i][k]: (i', k') before it
    best: list[list[float]] = [[0.0] * len(c) for c in cands]
    back: list[list[tuple[int, int] | None]] = [[None] * len(c) for c in cands]
    for i in range(n):
        for k, cand in enumerate(cands[i]):
            top, arg = cand.score, None
            for i2 in range(max(0, i - 12), i):  # a run of more than 12 dropped articles is a new start anyway
                for k2, prev in enumerate(cands[i2]):
                    step = cand.code_index - prev.code_index
                    if step == 0:  # two old articles merged into one Code article: allowed, in order
                        bonus = IN_ORDER_BONUS if i - i2 == 1 else -BACKWARD_PENALTY
                    elif step > 0:  # the run bonus needs real text evidence, or order alone would decide
                        adjacent = step == i - i2 and cand.coverage >= RUN_MIN_COVERAGE
                        bonus = IN_ORDER_BONUS + (ADJACENT_BONUS if adjacent else 0.0)
                    else:
                        bonus = -BACKWARD_PENALTY
                    total = best[i2][k2] + cand.score + bonus
                    if total > top:
                        top, arg = total, (i2, k2)
            best[i][k], back[i][k] = top, arg
    # the best chain may end anywhere; old articles not on it stay unaligned
    end, top = None, float("-inf")
    for i in range(n):
        for k in range(len(cands[i])):
            if best[i][k] > top:
                top, end = best[i][k], (i, k)
    chosen: list[int | None] = [None] * n
    # chains restart after a gap: follow back-pointers, then also take the best disjoint chains before it
    while end is not None:
        i, k = end
        chosen[i] = k
        end = back[i][k]
        if end is None:
            # the earlier part of the law may form its own chain
            earlier = [(best[i2][k2], (i2, k2)) for i2 in range(i) for k2 in range(len(cands[i2]))
                       if chosen[i2] is None]
            end = max(earlier)[1] if earlier else None
    return chosen


def _support(i: int, j: int, placed: dict[int, int]) -> float:
    """Neighbours placed right next door (i±1 -> j±1) make a pair more credible."""
    return sum(0.5 for d in (-1, 1) if placed.get(i + d) == j + d)


def _confidence(cand: _Candidate, runner_up: float, support: float, method: str) -> float:
    base = 0.75 * cand.coverage + 0.25 * cand.purity if method != "merge" else cand.coverage
    margin = cand.score - runner_up
    value = base + 0.15 * support + (0.0 if margin >= 0.1 else -0.15 * (0.1 - margin) / 0.1)
    return round(max(0.0, min(1.0, value)), 3)


def _tail_share(old_grams: set[str], code_text: str) -> float:
    """Where in the Code text the old article's material sits: 0 = start, 1 = end."""
    t = _norm(code_text)
    hits = [i for i in range(len(t) - 1) if t[i:i + 2] in old_grams]
    return (sum(hits) / len(hits) / max(1, len(t) - 2)) if hits else 0.0


def _defect_next(clause: Clause) -> int | None:
    """The article number whose text the law file stored at the end of this one (see laws._note_gaps)."""
    if clause.article_no and any("两条合并" in note for note in clause.notes):
        return clause.article_no + 1
    return None


_HEADING_NUMBER = re.compile(r"第[一二三四五六七八九十百零]+[编章节]")
# A law named after one pollution domain; its home chapters in the Code are not another law's general rules.
_SPECIFIC_LAW = re.compile(r"土壤|水污染|大气|固体废物|噪声|放射性|海洋")


def _heading_bigrams(section: str) -> set[str]:
    """Bigrams of a chapter/section heading without numbering, domain words and 防治 (监督管理, 标准和监测 …)."""
    return _bigrams(_DOMAIN.sub("", _HEADING_NUMBER.sub("", section or "")).replace("防治", ""))


def _concept_text(text: str) -> str:
    return _norm(_DOMAIN.sub("", squash(text)))


def _plain_bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


class _KeyConcepts:
    """Key-concept alignment for provisions the Code rewrote in other words.

    A provision the Code generalised keeps little of the old wording, but it keeps the
    provision's key concept: 信用记录, 联合执法, 税收优惠, 排放标准…总量控制. A bigram is a key
    concept of an old article when it is rare across the Code's articles *and* rare among the
    other articles of the same old law (收集、贮存、运输、利用、处置 is everywhere in the solid-waste
    law, so it says nothing about which of its articles this is); its weight is the product of
    the two inverse document frequencies. Structure adds two signals: the Code's chapter and
    section headings (an old 监督管理 article goes to a 监督管理 chapter), and the ownership of
    the Code's chapters, learnt from the certain pairs of all repealed laws (a chapter where
    another pollution law's certain pairs land, and none of this law's, is that law's special
    rules — a solid-waste provision does not go to the radioactive-waste chapter).
    """

    def __init__(self, index: "_CodeIndex", laws: dict[str, Sequence[Clause]]) -> None:
        self.index = index
        self.texts = [_concept_text(c.text) for c in index.clauses]
        self.grams = [_plain_bigrams(t) for t in self.texts]
        self.df = Counter(g for grams in self.grams for g in grams)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for j, grams in enumerate(self.grams):
            for g in grams:
                self.postings[g].append(j)
        self.headings = [_heading_bigrams(c.section) for c in index.clauses]
        self.chapter: list[int] = []
        current, chapter = None, -1
        for c in index.clauses:  # a part = a run of articles under the same chapter (and section) heading
            heading = c.section
            if heading != current:
                chapter, current = chapter + 1, heading
            self.chapter.append(chapter)
        self.law_df: dict[str, Counter] = {}
        self.law_size: dict[str, int] = {}
        for name, arts in laws.items():
            arts = [a for a in arts if a.article_no is not None]
            self.law_df[name] = Counter(g for a in arts for g in _plain_bigrams(_concept_text(a.text)))
            self.law_size[name] = len(arts)
        self.owners: dict[int, Counter] = defaultdict(Counter)

    def learn_owners(self, law: str, code_indexes: Iterable[int]) -> None:
        """Record where a law's certain pairs land."""
        for j in code_indexes:
            self.owners[self.chapter[j]][law] += 1

    def foreign(self, law: str, j: int) -> bool:
        """Code article j sits in a part that is another pollution law's home and not this law's.

        Only for a law about one pollution domain: a cross-cutting law (环境保护法, 清洁生产促进法 …)
        legitimately lands in every domain's chapters."""
        if not _SPECIFIC_LAW.search(law):
            return False
        owners = self.owners.get(self.chapter[j])
        if not owners or owners[law] or sum(owners.values()) < OWNER_MIN_PAIRS:
            return False
        top, n = owners.most_common(1)[0]
        return bool(_SPECIFIC_LAW.search(top)) and n >= OWNER_SHARE * sum(owners.values())

    def weights(self, old: Clause) -> dict[str, float]:
        df, size, n = self.law_df.get(old.source), self.law_size.get(old.source, 0), len(self.texts)
        if not df or size < 2:
            return {}
        grams = _plain_bigrams(_concept_text(old.text))
        return {g: math.log(n / self.df[g]) * math.log(size / max(1, df[g])) for g in grams if self.df.get(g)}

    def choose(self, old: Clause, old_grams: set[str], current: int | None) -> tuple[int, float] | None:
        """The best Code article for an uncertain old article and the share of its key concepts found there.

        Score: plain bigram overlap + key-concept share + the key-concept weight of the single
        longest shared phrase (the provision's own wording, e.g. 联合执法、跨区域执法、交叉执法) + heading
        likeness + a small bonus for the chain's current choice. Articles in another law's home part
        are not considered. None when nothing beats the current choice on key concepts."""
        weights = self.weights(old)
        total = sum(weights.values())
        if total <= 0:
            return None
        liability, heading = is_liability(old), _heading_bigrams(old.section)
        concept: Counter = Counter()
        for g, w in weights.items():
            for j in self.postings.get(g, ()):
                concept[j] += w
        scored = []
        for j, grams in enumerate(self.index.grams):
            if self.index.liability[j] != liability or self.foreign(old.source, j):
                continue
            n = len(old_grams & grams)
            plain = 0.7 * n / max(1, len(old_grams)) + 0.3 * n / max(1, len(grams))
            title = len(heading & self.headings[j]) / len(heading) if heading else 0.0
            stay = STAY_BONUS if j == current else 0.0
            scored.append([plain + CONCEPT_WEIGHT * concept[j] / total + TITLE_WEIGHT * title + stay, j])
        share = {j: concept[j] / total for _, j in scored}
        if not scored:
            return None
        scored.sort(reverse=True)
        shortlist = scored[:PHRASE_CANDIDATES]
        if current is not None and all(j != current for _, j in shortlist):
            shortlist += [s for s in scored if s[1] == current]
        text = _concept_text(old.text)
        for item in shortlist:
            item[0] += PHRASE_WEIGHT * self.phrase_share(text, self.texts[item[1]], weights, total)
        shortlist.sort(reverse=True)
        best = shortlist[0][1]
        # headings and phrases rank the articles, but a new pair needs at least the current one's key concepts
        if current is not None and best != current and share[best] < share.get(current, 0.0):
            return None
        return best, round(share[best], 3)

    @staticmethod
    def phrase_share(old: str, code: str, weights: dict[str, float], total: float) -> float:
        """Key-concept weight of the longest-weighing phrase the two texts share, as a share of the article's."""
        best = 0.0
        for block in SequenceMatcher(None, old, code, autojunk=False).get_matching_blocks():
            if block.size >= PHRASE_MIN:
                phrase = old[block.a:block.a + block.size]
                best = max(best, sum(weights.get(g, 0.0) for g in _plain_bigrams(phrase)))
        return best / total


@dataclass
class _LawAlignment:
    """One repealed law mid-way: its articles, their bigrams and candidates, and the pairs chosen so far."""

    old: list[Clause]
    grams: list[set[str]]
    cands: list[list[_Candidate]]
    pairs: list[tuple[int, _Candidate, str]]
    placed: dict[int, int]

    def confidence(self, index: "_CodeIndex", i: int, cand: _Candidate, method: str) -> float:
        if method == "concept":  # the share of the old article's key concepts found in the Code article
            return round(min(cand.concept, _CAPS[method]), 3)
        rivals = [c.score for c in self.cands[i] if c.code_index != cand.code_index]
        conf = _confidence(cand, max(rivals, default=0.0), _support(i, cand.code_index, self.placed), method)
        if method in _CAPS:
            conf = round(min(conf, _CAPS[method]), 3)
        return conf


_CAPS = {"split": 0.95, "merge": 0.95, "similar": 0.7, "generalised": 0.55, "concept": 0.55}


def _chain(old: Sequence[Clause], index: _CodeIndex) -> _LawAlignment:
    """The in-order chain and the generalised provisions (domain words dropped)."""
    old = [c for c in old if c.article_no is not None]
    grams = [_bigrams(c.text) for c in old]
    cands = [index.candidates(o, g) for o, g in zip(old, grams)]
    chosen = _align(cands)
    pairs: list[tuple[int, _Candidate, str]] = []
    placed: dict[int, int] = {}
    for i, k in enumerate(chosen):
        if k is not None:
            cand, method = cands[i][k], "aligned"
            if cands[i][0].score - cand.score >= OVERRIDE_MARGIN:  # order breaks ties, never clear text evidence
                cand, method = cands[i][0], "similar"
            method = "verbatim" if cand.coverage >= 0.9 else method
            pairs.append((i, cand, method))
            placed[i] = cand.code_index
    # generalised provisions: where the plain text finds nothing convincing, compare without domain words
    for i, o in enumerate(old):
        current = next((c for j, c, _ in pairs if j == i), None)
        if current is not None and current.coverage >= GENERAL_BELOW:
            continue
        general = _generalised(index, o)
        floor = GENERAL_MIN if current is not None else GENERAL_MIN_ALONE  # nothing else found: show the best guess
        if general is None or general.coverage < floor or \
                (current is not None and general.coverage < current.coverage + GENERAL_GAIN):
            continue
        pairs = [p for p in pairs if p[0] != i] + [(i, general, "generalised")]
        placed[i] = general.code_index
    return _LawAlignment(old, grams, cands, pairs, placed)


def _key_concepts(law: _LawAlignment, index: _CodeIndex, concepts: _KeyConcepts) -> None:
    """Re-decide every uncertain pair among all Code articles (``_KeyConcepts.choose``); never stated as certain."""
    for n, (i, cand, method) in enumerate(list(law.pairs)):
        if law.confidence(index, i, cand, method) >= CERTAIN_CONFIDENCE:
            continue
        current = cand.code_index if not concepts.foreign(law.old[i].source, cand.code_index) else None
        choice = concepts.choose(law.old[i], law.grams[i], current)
        if choice is None or choice[0] == cand.code_index:
            continue
        j = choice[0]
        hits = len(law.grams[i] & index.grams[j])
        new = _Candidate(j, hits / max(1, len(law.grams[i])), hits / max(1, len(index.grams[j])), concept=choice[1])
        law.pairs[n] = (i, new, "concept")
        law.placed[i] = j


def _finish(law: _LawAlignment, index: _CodeIndex) -> list[Correspondence]:
    """Merges, loose matches and splits; confidences; the law file's defect."""
    old, grams, cands, pairs, placed = law.old, law.grams, law.cands, law.pairs, law.placed
    taken = Counter(placed.values())
    for i, options in enumerate(cands):
        if not options:
            continue
        if i not in placed:
            top = options[0]
            if top.coverage >= MERGE_MIN_COVERAGE and taken[top.code_index]:
                pairs.append((i, top, "merge"))
                placed[i] = top.code_index
            elif top.coverage >= LOOSE_MIN_COVERAGE:
                pairs.append((i, top, "similar"))
                placed[i] = top.code_index
            taken[top.code_index] += i in placed
            continue
        main = next((c for c in options if c.code_index == placed[i]), None)
        if main is None or main.coverage >= 0.85:  # (a key-concept choice has no split partner)
            continue
        covered = index.grams[main.code_index] & grams[i]
        for other in options:
            if other.code_index == main.code_index or abs(other.code_index - main.code_index) > 3:
                continue
            gain = len((index.grams[other.code_index] & grams[i]) - covered) / max(1, len(grams[i]))
            if gain >= SPLIT_MIN_GAIN and other.purity >= SPLIT_MIN_PURITY:
                pairs.append((i, other, "split"))
                break
    out: list[Correspondence] = []
    for i, cand, method in pairs:
        code_clause = index.clauses[cand.code_index]
        conf = law.confidence(index, i, cand, method)
        article, code_id, label = old[i].article or "", code_clause.clause_id, code_clause.article or ""
        nxt = _defect_next(code_clause)
        if nxt is not None and _tail_share(grams[i], code_clause.text) > 0.55:
            # the stored text of this Code article ends with the next one's: point at the lost number
            code_id = f"{code_clause.clause_id.split('#')[0]}#{nxt}"
            label, method = law_store.article_label(nxt), "source-defect"
        out.append(Correspondence(old[i].source, article, old[i].clause_id, label, code_id, conf, method,
                                  round(cand.coverage, 3)))
    position = {o.clause_id: o.position for o in old}
    out.sort(key=lambda c: (position[c.clause_id], -c.confidence))
    return out


def align_laws(laws: dict[str, Sequence[Clause]], code: Sequence[Clause],
               index: _CodeIndex | None = None) -> dict[str, list[Correspondence]]:
    """Every correspondence from each repealed law's articles to the Code's.

    All laws are chained first, so that the key-concept pass knows which Code chapters are which
    law's home (from every law's certain pairs) before it re-decides the uncertain ones.
    """
    index = index or _CodeIndex(code)
    chains = {name: _chain(arts, index) for name, arts in laws.items()}
    concepts = _KeyConcepts(index, laws)
    for name, law in chains.items():
        concepts.learn_owners(name, [c.code_index for i, c, m in law.pairs
                                     if law.confidence(index, i, c, m) >= CERTAIN_CONFIDENCE])
    for law in chains.values():
        _key_concepts(law, index, concepts)
    return {name: _finish(law, index) for name, law in chains.items()}


def align_law(old: Sequence[Clause], code: Sequence[Clause], index: _CodeIndex | None = None) -> list[Correspondence]:
    """One repealed law alone (chapter ownership then comes from this law's pairs only)."""
    name = old[0].source if old else ""
    return align_laws({name: old}, code, index)[name]


def repealed_by_code(db_path: Path) -> list[str]:
    """Full names of every law the Code repeals, in the order the law file lists them."""
    return [name for name, (by, _, _) in law_store.repealed_laws(db_path).items() if by == CODE_NAME]


def build_mapping(db_path: Path, names: Iterable[str] | None = None) -> list[Correspondence]:
    """Align every law the Code repealed (or just ``names``) against the Code, from the law file.

    Every repealed law is aligned whatever ``names`` asks for: the key-concept pass learns the Code's
    chapters from all of them, so a law's pairs do not depend on which others were asked for.
    """
    repealed = repealed_by_code(db_path)
    wanted = list(names) if names is not None else repealed
    _, clauses = law_store.load_laws(db_path, [CODE_NAME, *dict.fromkeys([*repealed, *wanted])])
    code = [c for c in clauses if c.source == CODE_NAME]
    if not code:
        raise CorpusError(f"the law file {db_path} has no {CODE_NAME}; the correspondence table needs it")
    by_law: dict[str, list[Clause]] = {name: [] for name in dict.fromkeys([*repealed, *wanted])}
    for c in clauses:
        if c.source != CODE_NAME and c.source in by_law:
            by_law[c.source].append(c)
    aligned = align_laws(by_law, code, _CodeIndex(code))
    return [p for name in wanted for p in aligned[name]]


def write_mapping(pairs: Sequence[Correspondence], path: Path, *, db_path: Path) -> None:
    """The reviewable data file: a header saying it is generated and how, then one pair per line."""
    laws = list(dict.fromkeys(p.law for p in pairs))
    header = {
        "_generated": f"由 `{GENERATE_COMMAND}` 生成，请勿手工编辑；依据 {db_path.name} 中的法律文本自动对齐。",
        "format": MAPPING_FORMAT,
        "code": CODE_NAME,
        "certain_confidence": CERTAIN_CONFIDENCE,
        "laws": laws,
        "methods": {
            "verbatim": "原条文≥90%的文字见于该法典条文",
            "aligned": "文本相似 + 章内顺序对齐（动态规划）",
            "merge": "两条旧条文并入同一法典条文",
            "split": "一条旧条文分入两条法典条文（此为第二条）",
            "similar": "文本相似但不在顺序链上",
            "generalised": "法典以一般规定取代（去掉土壤、大气等领域词后相似）",
            "concept": "法典改写为一般规定：按关键概念（在法典和原法中都少见的词）、共同短语和章节标题重新选定，仅作可能对应",
            "source-defect": "法律数据库把该法典条文并入上一条存储，按其所在位置还原条号",
        },
    }
    lines = [json.dumps(p.to_json(), ensure_ascii=False) for p in pairs]
    body = json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "mappings": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"
    json.loads(body)  # never write a file we cannot read back
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(path)


def load_mapping(path: Path) -> list[Correspondence]:
    """Read the generated table; a missing or damaged file says how to regenerate it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != MAPPING_FORMAT:
            raise ValueError(f"format {data.get('format')} is not {MAPPING_FORMAT}")
        return [Correspondence(**item) for item in data["mappings"]]
    except FileNotFoundError as exc:
        raise CorpusError(f"{path} is missing: regenerate it with `{GENERATE_COMMAND}`.") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path} is not a valid correspondence table ({exc}); "
                          f"regenerate it with `{GENERATE_COMMAND}`.") from exc


def band(confidence: float) -> str:
    return next(label for floor, label in BANDS if confidence >= floor)


def summary(pairs: Sequence[Correspondence]) -> dict:
    """Counts per law and per confidence band (the non-JSON output of ``mapping``)."""
    per_law: dict[str, Counter] = {}
    for p in pairs:
        per_law.setdefault(p.law, Counter())[band(p.confidence)] += 1
    return {law: dict(counts) for law, counts in per_law.items()}
