"""Assemble the whole corpus once: plan clauses, law articles, added documents, and their facts.

Everything downstream (index, retriever, answerer, app) reads one ``Corpus``.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from assistant import documents as added_store
from assistant import laws as law_store
from assistant.clauses import PLAN_SOURCE, Clause, CorpusError, content_hash, short_law_name
from assistant.config import Settings
from assistant.facts import BureauDirectory, CitedDoc, Facts, extract_facts
from assistant.plan import Outline, paragraph_role, parse_plan


@dataclass
class Corpus:
    clauses: list[Clause]
    laws: list[law_store.Law]
    facts: Facts
    missing_laws: list[str] = field(default_factory=list)  # wanted but not in the law file
    documents: list = field(default_factory=list)  # added documents (documents.AddedDocument)

    @cached_property
    def by_id(self) -> dict[str, Clause]:
        return {c.clause_id: c for c in self.clauses}

    @cached_property
    def fingerprint(self) -> str:
        """Hash of every clause's content: a changed corpus means the index is stale."""
        return content_hash("".join(c.digest for c in self.clauses))

    def plan(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "plan"]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.clauses:
            out[c.source] = out.get(c.source, 0) + 1
        return out

    def document_in(self, text: str):
        """The added document a question really names (《title》, its distinctive words, or the article
        form 管理办法第二条), never a short title found as a substring; None when none is named."""
        return added_store.document_named_in(text, self.documents)

    def law(self, name: str) -> law_store.Law | None:
        return law_store.find_law(name, self.laws)


def _wanted_laws(settings: Settings, plan_text: str, cited: list[str]) -> list[str]:
    try:
        related = json.loads(settings.related_laws_path.read_text(encoding="utf-8"))["laws"]
    except FileNotFoundError as exc:
        raise CorpusError(f"{settings.related_laws_path} is missing: restore corpus/related_laws.json.") from exc
    except (ValueError, KeyError) as exc:
        raise CorpusError(f"{settings.related_laws_path} is not valid ({exc}).") from exc
    return list(dict.fromkeys([*cited, *(item["name"] for item in related)]))


def link_cited_documents(docs: list[CitedDoc], laws: list[law_store.Law], documents: list) -> None:
    """Mark each cited document found in the corpus (a loaded law or an added document)."""
    for doc in docs:
        law = law_store.find_law(doc.title, laws) if doc.kind == "law" else None
        if law:
            doc.in_corpus, doc.corpus_source = True, law.name
            doc.note = f"已被《{law.repealed_by}》废止（自{law.repealed_from}起）" if law.repealed_by else ""
            continue
        for added in documents:
            if added.matches(doc.title) or (doc.code and added.matches(doc.code)):
                doc.in_corpus, doc.corpus_source = True, added.title
                break
        else:
            doc.in_corpus, doc.corpus_source = False, None
            doc.note = "法律数据库未收录" if doc.kind in ("law", "regulation") else "文本未收集（未提供）"


def load_corpus(settings: Settings | None = None) -> Corpus:
    settings = settings or Settings.from_env()
    plan_clauses = parse_plan(settings.plan_path, settings.outline_path)
    outline = Outline.load(settings.outline_path)
    directory = BureauDirectory.load(settings.bureaux_path)
    plan_text = "\n".join(c.text for c in plan_clauses)
    # the plan's citations mark Law.cited_by_plan in every mode (issue 10: it was never set before)
    cited = law_store.cited_law_names(plan_text, settings.law_db)
    wanted = None if settings.all_laws else _wanted_laws(settings, plan_text, cited)
    laws, law_clauses = law_store.load_laws(settings.law_db, wanted, cited=cited)
    loaded = {law.name for law in laws}
    missing = [name for name in (wanted or []) if name not in loaded]

    documents, doc_clauses, doc_roles = added_store.load_added(settings)
    roles = [(c, paragraph_role(c, outline)) for c in plan_clauses]
    facts = extract_facts(roles, directory)
    if doc_roles:
        extra = extract_facts(doc_roles, directory)
        facts.responsibilities += extra.responsibilities
        facts.targets += extra.targets
        facts.deadlines += extra.deadlines
    link_cited_documents(facts.cited_docs, laws, documents)
    return Corpus(plan_clauses + law_clauses + doc_clauses, laws, facts, missing, documents)


_PLAN_ID = re.compile(r"plan[-_ ]?(\d{1,4})", re.IGNORECASE)
_ARTICLE_ID = re.compile(r"(.+?)#(\d+(?:之[一二三四五六七八九十]+)?(?:-\d+)?|题注)")
_DOC_PARAGRAPH_ID = re.compile(r"(.+?)-p(\d{1,4})", re.IGNORECASE)


def find_clause_by_id(text: str, corpus: Corpus) -> Clause | None:
    """The clause whose id the whole question is (plan-055, plan-55, 土壤污染防治法#59, 《…》#3, <doc>-p003).

    Officials copy the ids the app shows; a question that is just an id should open that
    clause. Anything else (an id inside a longer sentence) returns None.
    """
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).strip("\"'“”‘’「」。？?!！")
    if not key:
        return None
    if key in corpus.by_id:
        return corpus.by_id[key]
    m = _PLAN_ID.fullmatch(key)
    if m:
        return corpus.by_id.get(f"plan-{int(m.group(1)):03d}")
    m = _ARTICLE_ID.fullmatch(key) or _DOC_PARAGRAPH_ID.fullmatch(key)
    if m is None:
        return None
    source = short_law_name(m.group(1).strip("《》"))
    suffix = f"#{m.group(2)}" if "#" in key else f"-p{int(m.group(2)):03d}"
    return corpus.by_id.get(f"{source}{suffix}")


_cache: dict[tuple, Corpus] = {}
_lock = threading.Lock()


def get_corpus(settings: Settings | None = None) -> Corpus:
    """The process-wide corpus for these settings (loaded once; ``reset`` after adding documents)."""
    settings = settings or Settings.from_env()
    key = (settings.plan_path, settings.law_db, settings.added_dir, settings.all_laws)
    with _lock:
        if key not in _cache:
            _cache[key] = load_corpus(settings)
        return _cache[key]


def reset_cache() -> None:
    with _lock:
        _cache.clear()


__all__ = ["Corpus", "load_corpus", "get_corpus", "reset_cache", "find_clause_by_id", "PLAN_SOURCE"]
