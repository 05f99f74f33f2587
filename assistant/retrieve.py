"""Hybrid retrieval: BM25 and dense rankings fused by reciprocal rank, plus direct article look-up.

Fusion (Cormack et al., 2009): each ranking contributes ``weight / (k + rank)`` for every clause
it returns, rank counted from 1, and clauses are ordered by the sum. It needs no score
calibration between BM25 (unbounded) and cosine similarity (−1…1), which is why it is used
here; ``k`` (``Settings.rrf_k``, default 20) damps the influence of the very top ranks, and the
dense ranking weighs ``Settings.dense_weight`` (0.2): measured, BM25 is the stronger of the two here,
and dense mostly rescues English and loosely worded questions. So a Chinese question is embedded only
when BM25 leaves the top open (``SearchIndex.lexically_decided``): the embedding is most of an answer's time.
The raw scores are kept on every hit so the answerer can set abstention thresholds.

``HybridRetriever`` exposes the same search as a LangChain ``BaseRetriever``.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant import laws as law_store
from assistant.clauses import Clause, squash
from assistant.documents.parse import short_name
from assistant.config import Settings
from assistant.corpus import Corpus, get_corpus
from assistant.embeddings import EmbeddingUnavailable, make_embeddings
from assistant.dense import ChromaStore, DenseStore, VectorMatrix, open_private_copy
from assistant.index import (IndexUnavailable, Manifest, build_index, check_index, clause_metadata, damaged_files,
                             live_generation, tidy_if_idle, vocabulary)
from assistant.lexical import LexicalIndex
from assistant.textmatch import rerank
from assistant.zh import ARTICLE_REF


@dataclass
class Hit:
    clause: Clause
    score: float  # fused RRF score (1.0 for a direct article look-up)
    bm25: float = 0.0
    dense: float = 0.0  # cosine similarity
    bm25_rank: int | None = None
    dense_rank: int | None = None
    via: str = "search"  # search | lookup

    def to_document(self) -> Document:
        meta = clause_metadata(self.clause) | {"score": self.score, "bm25": self.bm25, "dense": self.dense,
                                               "bm25_rank": self.bm25_rank, "dense_rank": self.dense_rank,
                                               "via": self.via}
        return Document(page_content=self.clause.text, metadata={k: v for k, v in meta.items() if v is not None},
                        id=self.clause.clause_id)


class _Memo:
    """A small thread-safe LRU: the value is computed outside the lock (two threads may both compute it once)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, compute: Callable[[], object]):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def rrf(rankings: list[list[str]], k: int, weights: list[float] | None = None) -> dict[str, float]:
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        for rank, cid in enumerate(ranking, start=1):
            fused[cid] = fused.get(cid, 0.0) + weight / (k + rank)
    return fused




class SearchIndex:
    """The loaded corpus and both stores; thread-safe for concurrent questions."""

    def __init__(self, settings: Settings, corpus: Corpus, lexical: LexicalIndex, dense: DenseStore | None,
                 embeddings, manifest: Manifest):
        self.settings, self.corpus, self.lexical = settings, corpus, lexical
        self.dense, self.embeddings, self.manifest = dense, embeddings, manifest
        self.collection = dense.collection if dense is not None else None  # the raw Chroma collection
        self._dense_lock = threading.Lock()
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()  # recent query vectors
        kinds = np.array([corpus.by_id[cid].kind for cid in lexical.ids])
        sources = np.array([corpus.by_id[cid].source for cid in lexical.ids])
        self._kinds, self._sources = kinds, sources
        self.matrix = VectorMatrix.from_store(dense, lexical.ids) \
            if dense is not None and settings.dense_exact_scan else None
        # one question searches the same text in 2-3 scopes and the scope is only a mask applied after
        # scoring: keep the whole-index BM25 and cosine scores (read-only arrays) of the last few texts
        self._bm25_scores, self._cosines = _Memo(32), _Memo(32)
        self._masks = _Memo(64)  # scopes are few: "plan", "laws", "docs", "local" and the sources' names

    # -- scope ---------------------------------------------------------------------------
    def _mask(self, scope: str | None) -> np.ndarray | None:
        return None if scope is None else self._masks.get(scope, lambda: self._new_mask(scope))

    def _new_mask(self, scope: str) -> np.ndarray:
        mask = self._scope_mask(scope)
        mask.flags.writeable = False
        return mask

    def _scope_mask(self, scope: str) -> np.ndarray:
        if scope == "plan":
            return (self._kinds == "plan").astype(np.float32)
        if scope == "laws":
            return (self._kinds == "law").astype(np.float32)
        if scope == "docs":
            return (self._kinds == "doc").astype(np.float32)
        if scope == "local":  # the plan and officials' added documents: what "the plan says" may rest on
            return np.isin(self._kinds, ["plan", "doc"]).astype(np.float32)
        return (self._sources == scope).astype(np.float32)

    @staticmethod
    def _where(scope: str | None) -> dict | None:
        if scope is None:
            return None
        if scope in ("plan", "laws", "docs"):
            return {"kind": {"plan": "plan", "laws": "law", "docs": "doc"}[scope]}
        if scope == "local":
            return {"kind": {"$in": ["plan", "doc"]}}
        return {"source": scope}

    # -- the two rankings ----------------------------------------------------------------
    def bm25_ranking(self, query: str, scope: str | None = None, n: int | None = None) -> list[tuple[str, float]]:
        scores = self._bm25_scores.get(query, lambda: self.lexical.unmasked_scores(query))
        mask = self._mask(scope)
        if mask is not None:
            scores = scores * mask
        n = n or self.settings.bm25_candidates
        top = np.argsort(-scores, kind="stable")[:n]
        return [(self.lexical.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def _remember(self, query: str, vector: list[float]) -> None:
        self._vectors[query] = vector
        while len(self._vectors) > 256:
            self._vectors.popitem(last=False)

    def query_vector(self, query: str) -> list[float]:
        """The query's embedding, computed once: one question is searched in several scopes."""
        with self._dense_lock:
            known = self._vectors.get(query)
        if known is None:
            known = self.embeddings.embed_query(query)
            with self._dense_lock:
                self._remember(query, known)
        return known

    def dense_ranking(self, query: str, scope: str | None = None, n: int | None = None) -> list[tuple[str, float]]:
        if self.dense is None:
            return []
        n = n or self.settings.dense_candidates
        if self.matrix is not None:  # a read-only matrix: no lock needed
            matrix = self.matrix
            cosines = self._cosines.get(query, lambda: matrix.similarities(self.query_vector(query)))
            found = matrix.best(cosines, n, self._mask(scope))
        else:
            vector = self.query_vector(query)
            with self._dense_lock:
                found = self.dense.query(vector, n, self._where(scope))
        return [(cid, similarity) for cid, similarity in found if cid in self.corpus.by_id]

    # -- fused search --------------------------------------------------------------------
    def search(self, query: str, k: int = 5, scope: str | None = None, rerank_with: str | None = None,
               rerank_depth: int = 10, dense_weight: float | None = None, bm25_may_decide: bool = True) -> list[Hit]:
        """Fused top-k; with ``rerank_with``, the top ``rerank_depth`` are reordered by their best sentence.

        ``dense_weight`` overrides ``Settings.dense_weight`` for one query (English questions lean on it);
        ``bm25_may_decide=False`` always fuses both rankings (see ``lexically_decided``).
        """
        if rerank_with is not None:
            return rerank(self.search(query, max(k, rerank_depth), scope, dense_weight=dense_weight,
                                      bm25_may_decide=bm25_may_decide), rerank_with)[:k]
        lexical = self.bm25_ranking(query, scope)
        weight = self.dense_weight(scope) if dense_weight is None else dense_weight
        decided = bm25_may_decide and self.lexically_decided(lexical, weight)
        dense = [] if decided else self.dense_ranking(query, scope)
        fused = rrf([[cid for cid, _ in lexical], [cid for cid, _ in dense]], self.settings.rrf_k, [1.0, weight])
        bm25 = {cid: (rank, s) for rank, (cid, s) in enumerate(lexical, start=1)}
        cos = {cid: (rank, s) for rank, (cid, s) in enumerate(dense, start=1)}
        hits = []
        for cid, score in sorted(fused.items(), key=lambda kv: -kv[1])[:k]:
            b, d = bm25.get(cid), cos.get(cid)
            hits.append(Hit(self.corpus.by_id[cid], score, b[1] if b else 0.0, d[1] if d else 0.0,
                            b[0] if b else None, d[0] if d else None))
        return hits

    def lexically_decided(self, lexical: list[tuple[str, float]], weight: float) -> bool:
        """True when BM25 alone settles the ranking, so the query is not embedded (~3/4 of an answer's time).

        Only where the dense ranking weighs less than BM25 (at the plan's 0.2 it can only reorder BM25's
        candidates: 0.2/(k+1) is less than BM25's 1/(k+50)), and only when BM25's best score is at least
        ``Settings.dense_skip_ratio`` times its ``dense_skip_rank``-th: a clear lead, not a close call. English
        questions (weight 1.0) are always embedded.
        """
        ratio, rank = self.settings.dense_skip_ratio, self.settings.dense_skip_rank
        return (ratio is not None and weight < 1.0 and len(lexical) >= rank
                and lexical[0][1] >= ratio * lexical[rank - 1][1])

    def dense_weight(self, scope: str | None) -> float:
        """The dense ranking's RRF weight: its own measured value for law searches over all laws."""
        special = self.settings.dense_weight_all_laws
        if special is not None and self.settings.all_laws and scope == "laws":
            return special
        return self.settings.dense_weight

    def lookup_article(self, query: str) -> Hit | None:
        """土壤污染防治法第59条 / 第五十九条 -> that article, bypassing search."""
        m = ARTICLE_REF.search(query)
        if not m:
            return None
        number = law_store.parse_article_number(m.group(0))
        if number is None:
            return None
        doc = self.corpus.document_in(query)  # an added document really named (never a one-word substring)
        if doc is not None and doc.kind == "regulation":
            evidence = doc.mentioned_in(query) or ""
            named_here = squash(query[: m.start()]).endswith(re.sub(r"第.*条$", "", evidence)) or "《" in evidence
            clause = self.corpus.by_id.get(f"{short_name(doc.title)}#{number}")
            if clause is not None and named_here:
                return Hit(clause, 1.0, via="lookup")
        mentioned = law_store.find_law_mentions(query[: m.start()] or query, self.corpus.laws) or \
            law_store.find_law_mentions(query, self.corpus.laws)
        clause = None
        if mentioned:
            clause = law_store.lookup_article(mentioned[0], number, self.corpus.by_id)
        elif doc is not None:
            clause = self.corpus.by_id.get(f"{short_name(doc.title)}#{number}")
        return Hit(clause, 1.0, via="lookup") if clause else None

    def warm_up(self) -> None:
        """Load BM25, the vectors and the embedding model now, not in an official's first question (a search that
        BM25 decides alone would not embed)."""
        self.search("土壤污染重点监管单位", k=1)
        self.dense_ranking("土壤污染重点监管单位", n=1)


def open_index(settings: Settings | None = None, corpus: Corpus | None = None, *, build_if_missing: bool = True,
               progress: Callable[[str, int, int], None] | None = None,
               notice: Callable[[str], None] | None = None) -> SearchIndex:
    """Load the live index, building or rebuilding it first when missing, stale or corrupt."""
    settings = settings or Settings.from_env()
    corpus = corpus or get_corpus(settings)
    try:
        embeddings = make_embeddings(settings)
    except EmbeddingUnavailable as exc:
        embeddings = None
        if notice:
            notice(str(exc))
    model_id = embeddings.model_id if embeddings is not None else None
    health = check_index(settings, corpus, model_id)
    if not health.fresh:
        if not build_if_missing:
            raise IndexUnavailable(f"The index in {settings.index_dir} is {health.state} ({health.reason}); "
                                   "run `python -m assistant build`.")
        if notice:
            if health.state == "missing":
                notice(f"Index in {settings.index_dir} is missing; building it now (a few minutes the first time).")
            else:
                notice(f"Index in {settings.index_dir} is {health.state} ({health.reason}); rebuilding it now.")
        build_index(settings, corpus, progress=progress, embeddings=embeddings)
    else:
        tidy_if_idle(settings.index_dir)
    try:
        return _load(settings, corpus, embeddings)
    except Exception as exc:  # noqa: BLE001 - any unreadable or inconsistent part means rebuild from scratch
        if not build_if_missing:
            raise IndexUnavailable(f"The index in {settings.index_dir} cannot be read ({exc}); "
                                   "run `python -m assistant build --force`.") from exc
        if notice:
            notice(f"Index in {settings.index_dir} could not be read ({exc}); rebuilding it from scratch.")
        build_index(settings, corpus, progress=progress, embeddings=embeddings, force=True)
        return _load(settings, corpus, embeddings)


def _load(settings: Settings, corpus: Corpus, embeddings) -> SearchIndex:
    """Open the verified generation and check that BM25, Chroma and the corpus hold the same ids.

    Chroma opens a private copy whose files were checked against the manifest first: a
    damaged HNSW file must be caught here, since Chroma's native code would crash on it.
    """
    folder = live_generation(settings.index_dir)
    if folder is None:
        raise IndexUnavailable(f"No index in {settings.index_dir}")
    manifest = Manifest.read(folder)
    bad = damaged_files(folder, manifest, only="bm25/")
    if bad:
        raise IndexUnavailable("damaged BM25 files: " + "; ".join(bad))
    lexical = LexicalIndex.load(folder / "bm25", vocabulary(corpus))
    expected = [c.clause_id for c in corpus.clauses]
    if lexical.ids != expected:
        unknown = sum(1 for cid in lexical.ids if cid not in corpus.by_id)
        raise IndexUnavailable(f"BM25 ids do not match the corpus ({len(lexical.ids)} ids for {len(expected)} clauses, "
                               f"{unknown} unknown{', same ids in another order' if sorted(lexical.ids) == sorted(expected) else ''})")
    dense = None
    if embeddings is not None:
        if settings.chroma_host:
            dense = ChromaStore.open(settings, None, embeddings.model_id)
        else:
            copy = open_private_copy(folder)
            bad = damaged_files(folder, manifest, only="chroma/", root=copy)
            if bad:
                raise IndexUnavailable("damaged Chroma files: " + "; ".join(bad))
            dense = ChromaStore.open(settings, copy, embeddings.model_id)
        ids = dense.ids()
        if ids != set(corpus.by_id):
            missing, unknown = len(set(corpus.by_id) - ids), len(ids - set(corpus.by_id))
            raise IndexUnavailable(f"Chroma ids do not match the corpus ({missing} clauses without a vector, "
                                   f"{unknown} vectors of unknown clauses)")
    return SearchIndex(settings, corpus, lexical, dense, embeddings, manifest)


class HybridRetriever(BaseRetriever):
    """LangChain retriever over ``SearchIndex``: Documents carry clause id, metadata and scores.

    ``scope``: None (everything), "plan", "laws", "docs", or one source's full name.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    index: SearchIndex
    k: int = 5
    scope: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        direct = self.index.lookup_article(query)
        if direct and (self.scope in (None, "laws", direct.clause.source)):
            return [direct.to_document()]
        return [hit.to_document() for hit in self.index.search(query, k=self.k, scope=self.scope)]
