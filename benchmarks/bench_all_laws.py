"""All laws at scale (run by hand): corpus load, BM25 over every article, and a real hybrid index on a
scoped subset, scored on the blind citizens' law questions (Recall@5/@10: fused, BM25 alone, dense alone).

The full cold dense build of ~26,000 articles is not run here (see bench_embed_throughput.py for the
measured rate and the extrapolation); the dense figures come from a real index over the laws the
question set cites plus the default corpus's laws.

    python benchmarks/bench_all_laws.py [--questions benchmarks/questions/citizens_law.jsonl]
                                        [--index-dir DIR] [--weights 0.2,0.5,1,2]
"""

from __future__ import annotations

import argparse
import json
import resource
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
from assistant.corpus import Corpus, load_corpus  # noqa: E402
from assistant.index import build_index, indexed_text, vocabulary  # noqa: E402
from assistant.lexical import LexicalIndex  # noqa: E402
from assistant.retrieve import open_index, rrf  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def gold_ids(questions: list[dict], corpus: Corpus) -> list[set[str]]:
    out = []
    for q in questions:
        ids = set()
        for cite in q["cite"]:
            law = law_store.find_law(cite["law"], corpus.laws)
            number = law_store.parse_article_number(cite["article"])
            clause = law_store.lookup_article(law, number, corpus.by_id) if law and number else None
            if clause:
                ids.add(clause.clause_id)
        out.append(ids)
    return out


def recall(ranked: list[list[str]], gold: list[set[str]], k: int) -> float:
    return round(statistics.mean(any(c in g for c in r[:k]) for r, g in zip(ranked, gold)), 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default=str(ROOT / "benchmarks/questions/citizens_law.jsonl"))
    parser.add_argument("--index-dir", default=None, help="reuse a scoped index (and its vector cache)")
    parser.add_argument("--weights", default="0.2,0.5,1,2")
    args = parser.parse_args()
    questions = [json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line.strip()]
    settings = Settings.from_env(all_laws=True)

    t = time.perf_counter()
    full = load_corpus(settings)
    print(f"all-laws corpus: {len(full.clauses)} clauses, {len(full.laws)} laws, loaded in {time.perf_counter() - t:.1f}s "
          f"(peak RSS {rss_mb():.0f} MB)")
    t = time.perf_counter()
    _ = full.fingerprint
    print(f"fingerprint (the no-op rebuild's check): {time.perf_counter() - t:.2f}s")
    law_clauses = [c for c in full.clauses if c.kind == "law"]
    t = time.perf_counter()
    lexical = LexicalIndex.build([c.clause_id for c in full.clauses], [indexed_text(c) for c in full.clauses],
                                 vocabulary=vocabulary(full))
    print(f"BM25 over all {len(full.clauses)} clauses: built in {time.perf_counter() - t:.1f}s (peak RSS {rss_mb():.0f} MB)")
    import numpy as np

    mask = np.array([c.kind == "law" for c in full.clauses], dtype=np.float32)
    gold_full = gold_ids(questions, full)
    ranked, lat = [], []
    for q in questions:
        t = time.perf_counter()
        scores = lexical.scores(q["question"], mask)
        top = np.argsort(-scores, kind="stable")[:10]
        lat.append(time.perf_counter() - t)
        ranked.append([lexical.ids[i] for i in top if scores[i] > 0])
    print(f"BM25 alone, all {len(law_clauses)} articles: R@5 {recall(ranked, gold_full, 5)}  R@10 {recall(ranked, gold_full, 10)}; "
          f"p50 {pct(lat, .5) * 1000:.1f} ms p95 {pct(lat, .95) * 1000:.1f} ms")

    # the scoped subset: every law the questions cite, in full (the answer is in one of them; the others
    # are the distractors), because embedding all 26,000 articles takes hours on this shared machine
    wanted = {c["law"] for q in questions for c in q["cite"]}
    laws = [law for law in full.laws if law.name in wanted]
    clauses = [c for c in full.clauses if c.source in wanted]
    scoped = Corpus(clauses, laws, full.facts)
    index_dir = Path(args.index_dir) if args.index_dir else Path(tempfile.mkdtemp(prefix="bench-scoped-"))
    s = replace(settings, index_dir=index_dir)
    t = time.perf_counter()
    report = build_index(s, scoped)
    print(f"scoped index: {len(clauses)} clauses ({len(laws)} laws); build {time.perf_counter() - t:.1f}s, "
          f"embedded {report.embedded}, size {report.size_bytes / 1e6:.1f} MB "
          f"({report.size_bytes / len(clauses) / 1e3:.1f} kB/clause -> all laws ~{report.size_bytes / len(clauses) * len(full.clauses) / 1e6:.0f} MB)")
    t = time.perf_counter()
    again = build_index(s, scoped)
    print(f"no-op rebuild: {time.perf_counter() - t:.2f}s (skipped={again.skipped})")
    t = time.perf_counter()
    forced = build_index(s, scoped, force=True)
    print(f"forced rebuild with the vector cache: {time.perf_counter() - t:.1f}s (embedded {forced.embedded} via cache)")
    index = open_index(s, scoped)
    index.warm_up()
    gold = gold_ids(questions, scoped)
    lex = [[c for c, _ in index.bm25_ranking(q["question"], "laws")] for q in questions]
    dense, dlat = [], []
    for q in questions:
        t = time.perf_counter()
        dense.append([c for c, _ in index.dense_ranking(q["question"], "laws")])
        dlat.append(time.perf_counter() - t)
    fused, flat = [], []
    for q in questions:
        t = time.perf_counter()
        fused.append([h.clause.clause_id for h in index.search(q["question"], k=10, scope="laws")])
        flat.append(time.perf_counter() - t)
    print(f"\ncitizens' law questions: {len(questions)} (gold found for {sum(bool(g) for g in gold)}), scoped index")
    print(f"  fused (dense_weight {settings.dense_weight}): R@5 {recall(fused, gold, 5)}  R@10 {recall(fused, gold, 10)}  "
          f"p50 {pct(flat, .5) * 1000:.0f} ms p95 {pct(flat, .95) * 1000:.0f} ms")
    print(f"  BM25 alone:  R@5 {recall(lex, gold, 5)}  R@10 {recall(lex, gold, 10)}")
    print(f"  dense alone: R@5 {recall(dense, gold, 5)}  R@10 {recall(dense, gold, 10)}  "
          f"p50 {pct(dlat, .5) * 1000:.0f} ms p95 {pct(dlat, .95) * 1000:.0f} ms")
    for w in [float(x) for x in args.weights.split(",")]:
        ranked = [[cid for cid, _ in sorted(rrf([b, d], settings.rrf_k, [1.0, w]).items(), key=lambda kv: -kv[1])][:10]
                  for b, d in zip(lex, dense)]
        print(f"  fused, dense_weight {w}: R@5 {recall(ranked, gold, 5)}  R@10 {recall(ranked, gold, 10)}")
    print(f"\npeak RSS {rss_mb():.0f} MB; index at {index_dir}")


if __name__ == "__main__":
    main()
