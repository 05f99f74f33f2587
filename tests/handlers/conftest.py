"""A small engine for handler tests: the real plan and two real laws, BM25 in memory and a
deterministic fake embedding (hashed character bigrams) in place of the model and Chroma.

It builds in a few seconds and needs no index on disk, so the handlers' logic is tested fast;
the real pipeline is tested end to end in tests/test_answer.py.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import numpy as np
import pytest

from assistant.answer import AnswerEngine, Glossary
from assistant.config import Settings
from assistant.corpus import Corpus, load_corpus
from assistant.index import Manifest, indexed_text, vocabulary
from assistant.lexical import LexicalIndex
from assistant.retrieve import SearchIndex

DIM = 256
KEPT_LAWS = ("中华人民共和国土壤污染防治法", "中华人民共和国乡村振兴促进法", "中华人民共和国生态环境法典")


def fake_vector(text: str) -> list[float]:
    """Hashed character bigrams, L2-normalised: similar texts get similar vectors, deterministically."""
    vector = np.zeros(DIM, dtype=np.float32)
    s = re.sub(r"\s+", "", text.lower())
    for i in range(len(s) - 1):
        vector[int(hashlib.md5(s[i:i + 2].encode()).hexdigest()[:6], 16) % DIM] += 1.0
    norm = float(np.linalg.norm(vector)) or 1.0
    return (vector / norm).tolist()


class FakeEmbeddings:
    model_id = "fake-bigram-256"

    def embed_query(self, text: str) -> list[float]:
        return fake_vector(text)


class FakeDenseStore:
    """The DenseStore interface (assistant/dense.py) over vectors kept in memory."""

    collection = None

    def __init__(self, clauses):
        self.clauses = clauses
        self.matrix = np.array([fake_vector(indexed_text(c)) for c in clauses], dtype=np.float32)

    def sync(self, clauses, embeddings, progress=None) -> int:
        return 0

    def query(self, vector, n, where=None):
        sims = self.matrix @ np.array(vector, dtype=np.float32)
        def wanted(c) -> bool:
            return all(getattr(c, key) in value["$in"] if isinstance(value, dict) else getattr(c, key) == value
                       for key, value in (where or {}).items())

        keep = [i for i, c in enumerate(self.clauses) if wanted(c)]
        order = sorted(keep, key=lambda i: -sims[i])[:n]
        return [(self.clauses[i].clause_id, float(sims[i])) for i in order]

    def count(self) -> int:
        return len(self.clauses)

    def vectors(self, ids):
        row = {c.clause_id: i for i, c in enumerate(self.clauses)}
        return self.matrix[[row[cid] for cid in ids]]

    def ids(self) -> set[str]:
        return {c.clause_id for c in self.clauses}


@pytest.fixture(scope="session")
def small_corpus() -> Corpus:
    full = load_corpus(Settings.from_env())
    clauses = [c for c in full.clauses if c.kind == "plan" or c.source in KEPT_LAWS
               or c.clause_id == (full.law("中华人民共和国土壤污染防治法").repeal_clause_id or "")]
    return replace(full, clauses=clauses)


@pytest.fixture(scope="session")
def small_engine(small_corpus) -> AnswerEngine:
    settings = Settings.from_env()
    clauses = small_corpus.clauses
    lexical = LexicalIndex.build([c.clause_id for c in clauses], [indexed_text(c) for c in clauses],
                                 vocabulary(small_corpus))
    manifest = Manifest(format=0, model_id=FakeEmbeddings.model_id, corpus_fingerprint=small_corpus.fingerprint,
                        clause_count=len(clauses), versions={}, built_at="", build_seconds=0.0, chroma_host=None)
    index = SearchIndex(settings, small_corpus, lexical, FakeDenseStore(clauses), FakeEmbeddings(), manifest)
    return AnswerEngine(index, Glossary.load(settings.corpus_dir / "glossary_en.json"))
