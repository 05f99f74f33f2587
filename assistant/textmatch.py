"""Sentence-level matching by character bigrams: how the answer sentence is chosen and checked.

Chinese questions and the plan share characters far more reliably than whole words (运维 / 运行维护),
so overlap is counted in character bigrams after NFKC and whitespace removal.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Sequence, TypeVar

from assistant.clauses import Clause, squash

H = TypeVar("H")  # anything with a .clause (retrieve.Hit)


@lru_cache(maxsize=16384)
def bigrams(text: str) -> frozenset[str]:
    """Memoised: an answer compares the same clauses and sentences with the question many times over."""
    s = re.sub(r"[^\w%≥≤]", "", squash(text).lower())
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


def coverage(needle: str, haystack: str) -> float:
    """Share of ``needle``'s character bigrams found in ``haystack``."""
    n = bigrams(needle)
    return len(n & bigrams(haystack)) / len(n) if n else 0.0


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence, split after 。 ； ;."""
    spans = tuple((m.start(), m.end()) for m in re.finditer(r"[^。；;]*[。；;]?", text) if m.group(0).strip())
    return spans or ((0, len(text)),)


def sentence_coverage(query: str, clause: Clause) -> float:
    """How well the clause's best pair of adjacent sentences covers the query."""
    spans = sentences(clause.text)
    windows = [clause.text[spans[i][0]:spans[min(i + 1, len(spans) - 1)][1]] for i in range(len(spans))]
    return max((coverage(query, w) for w in windows), default=0.0)


def best_span(clause: Clause, query: str, n: int = 1, max_gap: int = 3) -> str:
    """The clause's sentences most like the query, as one verbatim contiguous span."""
    spans = sentences(clause.text)
    q = bigrams(query)
    overlap = [len(q & bigrams(clause.text[a:b])) for a, b in spans]
    order = sorted(range(len(spans)), key=lambda i: -overlap[i])
    chosen = sorted(order[:1] + [i for i in order[1:n] if abs(i - order[0]) <= max_gap and overlap[i] >= 2])
    return clause.text[spans[chosen[0]][0]:spans[chosen[-1]][1]].strip()


def rerank(hits: Sequence[H], query: str, rank_bonus: float = 0.15,
           bonus: Callable[[H], float] | None = None) -> list[H]:
    """Order hits by their best sentence's coverage of the query, plus ``rank_bonus / rank``.

    The retriever ranks whole clauses; an answer must rest on one sentence, so the clause whose
    sentence best covers the question wins among the top few.
    """
    scored = [(sentence_coverage(query, h.clause) + rank_bonus / rank + (bonus(h) if bonus else 0.0), rank, h)
              for rank, h in enumerate(hits, start=1)]
    return [h for _, _, h in sorted(scored, key=lambda x: (-x[0], x[1]))]
