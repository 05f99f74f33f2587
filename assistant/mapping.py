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
   lost number.

Every pair carries a confidence in [0, 1] and the method that produced it. ``CERTAIN_CONFIDENCE``
was calibrated on the hand-verified sample (benchmarks/code_mapping_sample.jsonl); below it an
answer must say "可能对应" and show both texts.

The table is generated into ``corpus/code_mapping.json`` by ``python -m assistant mapping --write``
and read back by ``load_mapping``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant import laws as law_store
from assistant.clauses import Clause, CorpusError, squash

CODE_NAME = "中华人民共和国生态环境法典"
MAPPING_FILE = "code_mapping.json"
MAPPING_FORMAT = 1
GENERATE_COMMAND = "python -m assistant mapping --write"
# Calibrated on benchmarks/code_mapping_sample.jsonl (see benchmarks/score_mapping.py): every sampled
# pair at or above it is right; below it answers say 可能对应.
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


def align_law(old: Sequence[Clause], code: Sequence[Clause], index: _CodeIndex | None = None) -> list[Correspondence]:
    """Every correspondence from one repealed law's articles to the Code's."""
    index = index or _CodeIndex(code)
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
    taken = Counter(placed.values())
    # second pass: merges, loose matches, splits
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
        main = next(c for c in options if c.code_index == placed[i])
        if main.coverage >= 0.85:
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
        rivals = [c.score for c in cands[i] if c.code_index != cand.code_index]
        conf = _confidence(cand, max(rivals, default=0.0), _support(i, cand.code_index, placed), method)
        if method in ("split", "merge", "similar", "generalised"):
            cap = {"split": 0.95, "merge": 0.95, "similar": 0.7, "generalised": 0.55}[method]
            conf = round(min(conf, cap), 3)
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


def repealed_by_code(db_path: Path) -> list[str]:
    """Full names of every law the Code repeals, in the order the law file lists them."""
    return [name for name, (by, _, _) in law_store.repealed_laws(db_path).items() if by == CODE_NAME]


def build_mapping(db_path: Path, names: Iterable[str] | None = None) -> list[Correspondence]:
    """Align every law the Code repealed (or just ``names``) against the Code, from the law file."""
    wanted = list(names) if names is not None else repealed_by_code(db_path)
    _, clauses = law_store.load_laws(db_path, [CODE_NAME, *wanted])
    code = [c for c in clauses if c.source == CODE_NAME]
    if not code:
        raise CorpusError(f"the law file {db_path} has no {CODE_NAME}; the correspondence table needs it")
    index = _CodeIndex(code)
    by_law: dict[str, list[Clause]] = defaultdict(list)
    for c in clauses:
        if c.source != CODE_NAME:
            by_law[c.source].append(c)
    out: list[Correspondence] = []
    for name in wanted:
        out += align_law(by_law.get(name, []), code, index)
    return out


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
