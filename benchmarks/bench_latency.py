"""Warm answer latency (run by hand): p50 / p95 of ``engine.ask`` over a question file, and how much of it is
the query embedding, which BM25 settles without for a clear lead (``SearchIndex.lexically_decided``).

    python benchmarks/bench_latency.py [QUESTIONS.jsonl]      # default: benchmarks/questions/bank.jsonl

Run it alone on the machine: the embedding's two OpenMP threads share the 2 cores with anything else running.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer import AnswerEngine  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "benchmarks/questions/bank.jsonl"
    questions = [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = AnswerEngine.open()
    embeddings = engine.index.embeddings
    embed = embeddings.embed_query
    spent: list[float] = []

    def timed_embed(text: str) -> list[float]:
        started = time.perf_counter()
        try:
            return embed(text)
        finally:
            spent.append(time.perf_counter() - started)

    embeddings.embed_query = timed_embed  # this process only
    for question in questions[:10]:  # warm
        engine.ask(question)
    total, embedding, none_embedded = [], [], 0
    for question in questions:
        spent.clear()
        started = time.perf_counter()
        engine.ask(question)
        total.append((time.perf_counter() - started) * 1000)
        embedding.append(sum(spent) * 1000)
        none_embedded += not spent
    rest = [t - e for t, e in zip(total, embedding)]
    print(f"{path.name}: {len(questions)} questions, load {os.getloadavg()[0]:.1f}")
    print(f"answer      p50 {percentile(total, .5):6.1f} ms   p95 {percentile(total, .95):6.1f} ms")
    print(f"embedding   p50 {percentile(embedding, .5):6.1f} ms   p95 {percentile(embedding, .95):6.1f} ms")
    print(f"the rest    p50 {percentile(rest, .5):6.1f} ms   p95 {percentile(rest, .95):6.1f} ms")
    print(f"answered without embedding the query: {none_embedded} of {len(questions)} "
          f"({none_embedded / len(questions):.0%})")


if __name__ == "__main__":
    main()
