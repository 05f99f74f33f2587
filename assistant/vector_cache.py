"""Content-hash cache of passage vectors, so no text is embedded twice by the same model.

An index generation is rebuilt from scratch by ``build --force``, a changed model version, a
new INDEX_FORMAT or a lost Chroma folder; with ~25,000 articles (``--all-laws``) that is most of
an hour on two cores. Vectors depend only on (model, exact text), so they are kept outside the
generations in ``index/vector-cache/<model>.sqlite`` and reused by every later build.

Texts not in the cache are embedded sorted by length: a batch of similar lengths pads less, which
is most of the cost for a transformer on CPU.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .embeddings import collection_name

CACHE_DIR = "vector-cache"
Progress = Callable[[int], None] | None


def text_key(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x1f{text}".encode("utf-8")).hexdigest()


class CachedEmbeddings(Embeddings):
    """Wraps an embedding backend; passage vectors are looked up by content hash before computing."""

    def __init__(self, inner: Embeddings, folder: Path, batch_size: int = 64) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.batch_size = batch_size
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{collection_name(self.model_id)}.sqlite"
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _lookup(self, keys: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        with self._connect() as conn:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = conn.execute(f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def _store(self, items: list[tuple[str, list[float]]]) -> None:
        with self._connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                             [(k, len(v), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items])

    def embed_documents(self, texts: list[str], *, progress: Progress = None) -> list[list[float]]:
        texts = list(texts)
        keys = [text_key(self.model_id, t) for t in texts]
        with self._lock:
            cached = self._lookup(list(dict.fromkeys(keys)))
            todo = sorted({k: t for k, t in zip(keys, texts) if k not in cached}.items(), key=lambda kv: len(kv[1]))
            self.hits += len(texts) - len(todo)
            self.misses += len(todo)
            done = len(texts) - len(todo)
            if progress is not None:
                progress(done)
            for start in range(0, len(todo), self.batch_size):
                batch = todo[start:start + self.batch_size]
                vectors = self.inner.embed_documents([t for _, t in batch])
                self._store([(k, v) for (k, _), v in zip(batch, vectors)])  # stored at once: an interrupted build keeps them
                cached.update((k, v) for (k, _), v in zip(batch, vectors))
                done += len(batch)
                if progress is not None:
                    progress(done)
        return [cached[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def cached(embeddings, index_dir: Path):
    """The backend wrapped in the shared cache under ``index_dir`` (idempotent; None stays None)."""
    if embeddings is None or isinstance(embeddings, CachedEmbeddings):
        return embeddings
    return CachedEmbeddings(embeddings, Path(index_dir) / CACHE_DIR)
