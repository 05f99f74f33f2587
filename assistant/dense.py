"""The vector store behind a small interface: sync / query / count (and ids, for the consistency check).

``VectorMatrix`` is the answer-time companion: the same vectors, read once from the store into one
matrix, searched exactly in process (see ``Settings.dense_exact_scan`` for why).

One implementation, ``ChromaStore``, serves both of Chroma's modes: embedded (files under an
index generation) and server (``ASSISTANT_CHROMA_HOST``). Only the client differs, so the
build, the load-time checks and the queries run the same tested code in both.

An embedded generation is never opened in place: Chroma rewrites ``chroma.sqlite3`` and
``length.bin`` whenever a client opens them, which would make the generation's checksums
meaningless, and two processes writing one SQLite file is what Chroma warns against.
Readers get a private working copy (``open_private_copy``), made after the generation's
checksums were verified; it is deleted when the process ends.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from assistant.clauses import Clause
from assistant.config import Settings
from assistant.embeddings import collection_name

Progress = Callable[[str, int, int], None]
UPSERT_BATCH = 256
COPY_PREFIX = "assistant-chroma-"


class DenseStore(Protocol):
    def sync(self, clauses: list[Clause], embeddings, progress: Progress | None = None) -> int: ...
    def query(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[str, float]]: ...
    def count(self) -> int: ...
    def ids(self) -> set[str]: ...
    def vectors(self, ids: list[str]) -> np.ndarray: ...


def chroma_client(settings: Settings, folder: Path | None):
    """An HTTP client for a server, else a persistent client on ``folder`` (the ``chroma`` dir's parent)."""
    import chromadb  # noqa: PLC0415 - heavy import, only when the dense store is used
    from chromadb.config import Settings as ChromaSettings  # noqa: PLC0415

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        host, _, port = settings.chroma_host.rpartition(":")
        return chromadb.HttpClient(host=host or "localhost", port=int(port or 8000), settings=chroma_settings)
    return chromadb.PersistentClient(path=str(folder / "chroma"), settings=chroma_settings)


class ChromaStore:
    """A Chroma collection of clause vectors (cosine), one per embedding model."""

    def __init__(self, client, model_id: str):
        self.client = client
        # embedding_function=None: Chroma must never fall back to its default (it would download a model)
        self.collection = client.get_or_create_collection(name=collection_name(model_id), embedding_function=None,
                                                          metadata={"hnsw:space": "cosine"})

    @classmethod
    def open(cls, settings: Settings, folder: Path | None, model_id: str) -> "ChromaStore":
        return cls(chroma_client(settings, folder), model_id)

    def sync(self, clauses: list[Clause], embeddings, progress: Progress | None = None) -> int:
        """Bring the collection to exactly these clauses; embed only new or changed ones."""
        from assistant.index import clause_metadata, indexed_text  # noqa: PLC0415 - index imports this module

        wanted = {c.clause_id: c for c in clauses}
        stored = self.collection.get(include=["metadatas"])
        have = {cid: (meta or {}).get("digest") for cid, meta in zip(stored["ids"], stored["metadatas"])}
        stale = [cid for cid in have if cid not in wanted]
        for i in range(0, len(stale), UPSERT_BATCH):
            self.collection.delete(ids=stale[i:i + UPSERT_BATCH])
        todo = [c for c in clauses if have.get(c.clause_id) != c.digest]
        if progress and todo:
            progress("embed", 0, len(todo))
        for start in range(0, len(todo), UPSERT_BATCH):
            batch = todo[start:start + UPSERT_BATCH]
            vectors = embeddings.embed_documents([indexed_text(c) for c in batch])
            self.collection.upsert(ids=[c.clause_id for c in batch], embeddings=vectors,
                                   documents=[c.text for c in batch], metadatas=[clause_metadata(c) for c in batch])
            if progress:
                progress("embed", start + len(batch), len(todo))
        return len(todo)

    def query(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(clause_id, cosine similarity), best first."""
        result = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]

    def count(self) -> int:
        return self.collection.count()

    def vectors(self, ids: list[str]) -> np.ndarray:
        """Every stored vector, one row per id in ``ids`` order (KeyError names an id without one)."""
        got = self.collection.get(include=["embeddings"])
        row = {cid: i for i, cid in enumerate(got["ids"])}
        missing = [cid for cid in ids if cid not in row]
        if missing:
            raise KeyError(f"{len(missing)} ids without a vector, e.g. {missing[0]}")
        return np.asarray(got["embeddings"], dtype=np.float32)[[row[cid] for cid in ids]]

    def ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def close(self) -> None:
        """Flush and release the embedded files (a no-op for the HTTP client's state)."""
        close = getattr(self.client, "close", None)
        if close is not None:
            close()


_blas = None


def _single_blas_thread():
    """One BLAS thread for the scan: a matrix-vector product this small gains nothing from more, and on
    a loaded 2-core machine BLAS threads waiting for each other made it 20x slower (2 ms instead of 0.1)."""
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController  # noqa: PLC0415

            _blas = ThreadpoolController().select(user_api="blas")
        except Exception:  # noqa: BLE001 - without it the scan is only slower
            _blas = False
    return _blas.limit(limits=1) if _blas else contextlib.nullcontext()


class VectorMatrix:
    """Every clause vector of a store as rows of one float32 matrix, in a given id order.

    The rows follow the BM25 index's ids, so the scope masks that filter BM25 filter this search too.
    Cosine similarity is a dot product: the embeddings return unit vectors (re-normalised here anyway).
    """

    def __init__(self, ids: list[str], matrix: np.ndarray):
        if matrix.shape[0] != len(ids):
            raise ValueError(f"{matrix.shape[0]} vectors for {len(ids)} ids")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.ids = list(ids)
        self.matrix = (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)

    @classmethod
    def from_store(cls, store: DenseStore, ids: list[str]) -> "VectorMatrix":
        return cls(ids, store.vectors(ids))

    def query(self, vector: list[float], n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(clause_id, cosine similarity), best first, over the rows where ``mask`` is non-zero."""
        return self.best(self.similarities(vector), n, mask)

    def similarities(self, vector: list[float]) -> np.ndarray:
        """Cosine similarity of every row to ``vector`` (read-only: callers may keep it for other scopes)."""
        with _single_blas_thread():
            scores = self.matrix @ np.asarray(vector, dtype=np.float32)
        scores.flags.writeable = False
        return scores

    def best(self, scores: np.ndarray, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The ``n`` best of ``similarities``' scores, over the rows where ``mask`` is non-zero."""
        if mask is not None:
            scores = np.where(mask > 0, scores, -np.inf)
        n = min(n, len(scores))
        if n <= 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[np.isfinite(scores[top])]
        return list(zip([self.ids[i] for i in top.tolist()], scores[top].tolist()))


_copies: list[Path] = []


def _remove_copies() -> None:
    for folder in _copies:
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(_remove_copies)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_copies() -> None:
    """Working copies left by killed processes (their pid is in the folder name)."""
    for folder in Path(tempfile.gettempdir()).glob(COPY_PREFIX + "*"):
        try:
            pid = int(folder.name[len(COPY_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def open_private_copy(generation: Path) -> Path:
    """A copy of ``generation/chroma`` this process alone opens; returns the folder holding ``chroma/``."""
    remove_stale_copies()
    folder = Path(tempfile.mkdtemp(prefix=f"{COPY_PREFIX}{os.getpid()}-"))
    _copies.append(folder)
    shutil.copytree(generation / "chroma", folder / "chroma")
    return folder
