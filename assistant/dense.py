"""The vector store behind a small interface: sync / query / count (and ids, for the consistency check).

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
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Protocol

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

    def ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def close(self) -> None:
        """Flush and release the embedded files (a no-op for the HTTP client's state)."""
        close = getattr(self.client, "close", None)
        if close is not None:
            close()


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
