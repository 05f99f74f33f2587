"""Retrieval benchmark (run by hand): Recall@1/@5 and MRR of the expected clause on golden questions,
for the fused retriever and, in the same run, BM25 alone, dense alone, and the common LangChain-tutorial
pipeline (the plan cut into 500-character chunks with 50 overlap, dense only, top 4); plus warm latency,
build time (cold and no-op), index size and peak memory.

    python benchmarks/bench_retrieval.py [GOLD.jsonl ...] [--index-dir DIR] [--skip-cold]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import laws as law_store  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.corpus import load_corpus  # noqa: E402
from assistant.evaluate import load_gold  # noqa: E402
from assistant.index import build_index, folder_size, live_generation  # noqa: E402
from assistant.retrieve import open_index  # noqa: E402


def expected_ids(gold, corpus) -> set[str]:
    """The first cited clause: a plan substring's paragraph, or the law article."""
    cite = gold.cite[0]
    if isinstance(cite, str):
        return {c.clause_id for c in corpus.plan() if c.contains(cite)}
    law = law_store.find_law(cite["law"], corpus.laws)
    clause = law_store.lookup_article(law, law_store.parse_article_number(cite["article"]), corpus.by_id)
    return {clause.clause_id}


def tutorial_chunks(corpus, size=500, overlap=50):
    text = "\n".join(c.text for c in corpus.plan())
    chunks, start = [], 0
    while start < len(text):
        chunks.append((start, text[start:start + size]))
        start += size - overlap
    return text, chunks


def metrics(ranked: list[list[str]], expected: list[set[str]]) -> dict:
    r1 = statistics.mean(bool(r[:1]) and r[0] in e for r, e in zip(ranked, expected))
    r5 = statistics.mean(any(x in e for x in r[:5]) for r, e in zip(ranked, expected))
    mrr = statistics.mean(next((1 / i for i, x in enumerate(r, 1) if x in e), 0.0) for r, e in zip(ranked, expected))
    return {"R@1": round(r1, 3), "R@5": round(r5, 3), "MRR": round(mrr, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", nargs="*", default=[str(ROOT / "tests/regression/gold_dev.jsonl")])
    parser.add_argument("--index-dir", default=None)
    parser.add_argument("--skip-cold", action="store_true")
    args = parser.parse_args()
    settings = Settings.from_env()
    corpus = load_corpus(settings)
    report = {}
    if not args.skip_cold:
        cold_dir = Path(tempfile.mkdtemp(prefix="bench-index-"))
        cold = replace(settings, index_dir=cold_dir)
        t = time.perf_counter()
        build_index(cold, corpus)
        report["build_cold_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        build_index(cold, load_corpus(settings))
        report["build_noop_s (incl. corpus load)"] = round(time.perf_counter() - t, 2)
        report["index_size_MB"] = round(folder_size(live_generation(cold_dir)) / 1e6, 1)
        settings = cold
    elif args.index_dir:
        settings = replace(settings, index_dir=Path(args.index_dir))
    index = open_index(settings, corpus)
    index.warm_up()

    gold = [g for path in args.gold for g in load_gold(Path(path)) if g.cite]
    from assistant.answer.understand import Glossary, classify

    glossary = Glossary.load(settings.corpus_dir / "glossary_en.json")
    for g in gold:  # the query as the assistant sends it: English terms expanded into the plan's words
        intent = classify(g.question, corpus, glossary)
        g.question, g.match_text = intent.search_text, intent.match_text
    groups = {"plan": [g for g in gold if isinstance(g.cite[0], str)],
              # lists and two-part questions cite several clauses found through facts or by splitting;
              # one ranking cannot put "the" clause first for them
              "plan, single-paragraph kinds": [g for g in gold if isinstance(g.cite[0], str)
                                               and g.type not in ("list_by_bureau", "cross", "standing_rule")],
              "law": [g for g in gold if not isinstance(g.cite[0], str)]}
    text, chunks = tutorial_chunks(corpus)
    chunk_vectors = None
    import numpy as np

    chunk_vectors = np.array(index.embeddings.embed_documents([c for _, c in chunks]))
    offsets = []
    pos = 0
    for c in corpus.plan():
        offsets.append((pos, pos + len(c.text), c.clause_id))
        pos += len(c.text) + 1

    def tutorial(question: str) -> list[str]:
        q = np.array(index.embeddings.embed_query(question))
        top = np.argsort(-(chunk_vectors @ q))[:4]
        ranked = []
        for i in top:  # a chunk "cites" every paragraph it overlaps
            start, end = chunks[i][0], chunks[i][0] + len(chunks[i][1])
            ranked += [cid for s, e, cid in offsets if s < end and e > start and cid not in ranked]
        return ranked

    latencies = []
    for name, items in groups.items():
        if not items:
            continue
        expected = [expected_ids(g, corpus) for g in items]
        scope = "laws" if name == "law" else "plan"
        fused = []
        for g in items:
            t = time.perf_counter()
            hits = index.search(g.question, k=10, scope=scope)
            latencies.append(time.perf_counter() - t)
            fused.append([h.clause.clause_id for h in hits])
        reranked = [[h.clause.clause_id for h in index.search(g.question, k=10, scope=scope,
                                                              rerank_with=g.match_text)] for g in items]
        rows = {
            "fused (RRF) + sentence rerank (as answers use it)": reranked,
            "fused (RRF)": fused,
            "BM25 alone": [[c for c, _ in index.bm25_ranking(g.question, scope)] for g in items],
            "dense alone": [[c for c, _ in index.dense_ranking(g.question, scope)] for g in items],
        }
        if name != "law":
            rows["LangChain tutorial (500-char chunks, dense, top 4)"] = [tutorial(g.question) for g in items]
        print(f"\n{name} questions: {len(items)}")
        print(f"{'pipeline':55s} R@1    R@5    MRR")
        for label, ranked in rows.items():
            m = metrics(ranked, expected)
            print(f"{label:55s} {m['R@1']:<6} {m['R@5']:<6} {m['MRR']}")
    latencies.sort()
    report["warm_search_p50_ms"] = round(latencies[len(latencies) // 2] * 1000, 1)
    report["warm_search_p95_ms"] = round(latencies[int(len(latencies) * 0.95)] * 1000, 1)
    report["peak_RSS_MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    print()
    for k, v in report.items():
        print(f"{k}: {v}")
    if not args.skip_cold:
        shutil.rmtree(settings.index_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
