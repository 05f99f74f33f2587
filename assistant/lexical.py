"""Lexical search: jieba tokens scored with BM25 (bm25s, sparse matrices, persisted to disk).

BM25 carries most of the precision on this corpus: officials reuse the plan's nouns
(污染地块, 重点监管单位) even when they paraphrase the rest. Question words and particles
(谁, 哪个, 什么, 的) are stop words; English words are lower-cased and kept.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

import bm25s
import jieba
import numpy as np

jieba.setLogLevel(logging.WARNING)

STOP_WORDS = frozenset("""
的 了 和 与 及 或 是 在 对 将 把 被 为 由 于 以 等 中 上 下 其 之 这 那 这个 那个 这些 那些 个 些 也 都 就 还 又 要 会 能 可以
吗 呢 吧 啊 呀 么 嘛 哪 哪个 哪些 哪里 哪儿 哪一 哪一条 哪条 什么 啥 谁 多少 几 几个 怎么 怎样 如何 为什么 是否 有没有 有 没有 请问 请 一下
问 说 讲 规定 规划 里 里面 中的 当时 一共 具体 要求 什么样 情况 方面 进行 我 我们 你 你们 他们 它 给 让 得 地 着 过 吗？
the a an of in on for to and or is are was were be by with what which who whom how when where does do did that this it its as at from
""".split())
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_lock = threading.Lock()
_initialised = False


def _ensure_jieba(extra_words: Iterable[str] = ()) -> None:
    global _initialised
    with _lock:
        if not _initialised:
            jieba.initialize()
            _initialised = True
        for word in extra_words:
            jieba.add_word(word, freq=50000)


# how often jieba's dictionary must have seen a word for it to count as common (至少 5775, 是否 9996; typed slips
# such as 监侧 or 牵投 are not in it at all)
COMMON_WORD_FREQ = 1000


def common_word(word: str) -> bool:
    """A word of the language in everyday use (jieba's dictionary), whether or not the corpus writes it."""
    _ensure_jieba()
    return jieba.dt.FREQ.get(word, 0) >= COMMON_WORD_FREQ


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens, minus stop words and punctuation, plus Chinese character bigrams.

    Bigrams catch what word segmentation splits differently in a paraphrase (运维 / 运行维护,
    残膜 / 农膜); measured on the golden questions they lift BM25's Recall@1 on plan paragraphs
    from 0.85 to 0.97 (benchmarks/bench_retrieval.py).
    """
    _ensure_jieba()
    text = unicodedata.normalize("NFKC", text).lower()
    tokens = []
    for token in jieba.cut_for_search(text):
        token = token.strip()
        if not token or token in STOP_WORDS or _PUNCT.match(token):
            continue
        tokens.append(token)
    for run in _HAN_RUN.findall(text):
        tokens += [run[i:i + 2] for i in range(len(run) - 1)]
    return tokens


class LexicalIndex:
    """BM25 over clause texts; ``scores`` returns one score per clause, in ``ids`` order."""

    def __init__(self, retriever: bm25s.BM25, ids: list[str]):
        self.retriever = retriever
        self.ids = ids
        self.position = {cid: i for i, cid in enumerate(ids)}

    @staticmethod
    def build(ids: Sequence[str], texts: Sequence[str], vocabulary: Iterable[str] = ()) -> "LexicalIndex":
        _ensure_jieba(vocabulary)
        retriever = bm25s.BM25()
        retriever.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
        return LexicalIndex(retriever, list(ids))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")

    @staticmethod
    def load(folder: Path, vocabulary: Iterable[str] = ()) -> "LexicalIndex":
        _ensure_jieba(vocabulary)
        retriever = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        if len(ids) != retriever.scores["num_docs"]:
            raise ValueError(f"BM25 index in {folder} holds {retriever.scores['num_docs']} documents but {len(ids)} ids")
        return LexicalIndex(retriever, ids)

    def scores(self, query: str, mask: np.ndarray | None = None) -> np.ndarray:
        scores = self.unmasked_scores(query)
        return scores * mask if mask is not None else scores

    def unmasked_scores(self, query: str) -> np.ndarray:
        """One BM25 score per clause over the whole index (read-only: callers may keep it for other scopes)."""
        tokens = [t for t in tokenize(query) if t in self.retriever.vocab_dict]
        scores = self.retriever.get_scores(tokens) if tokens else np.zeros(len(self.ids), dtype=np.float32)
        scores.flags.writeable = False
        return scores
