"""Embedding throughput on a fixed random sample of all-laws articles (run by hand).

Compares the batching the index used before issue 10 (batches of 64 in corpus order) with the
length-sorted batching of ``vector_cache.CachedEmbeddings``, then times a warm cache read of the
same sample. Cold build time for all laws is extrapolated from the measured rate.

    python benchmarks/bench_embed_throughput.py [--n 320]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.embeddings import make_embeddings  # noqa: E402
from assistant.index import indexed_text  # noqa: E402
from assistant.laws import load_laws  # noqa: E402
from assistant.vector_cache import CachedEmbeddings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=320)
    args = parser.parse_args()
    settings = Settings.from_env()
    _, clauses = load_laws(settings.law_db, None)
    texts = [indexed_text(c) for c in clauses]
    sample = random.Random(10).sample(texts, args.n)
    inner = make_embeddings(settings)
    inner.embed_documents(sample[:8])  # load the model outside the timings
    t = time.perf_counter()
    inner.embed_documents(sample)  # BATCH_SIZE 64, corpus order
    plain = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        cache = CachedEmbeddings(inner, Path(tmp))
        t = time.perf_counter()
        for start in range(0, len(sample), 256):  # as index._sync_dense calls it
            cache.embed_documents(sample[start:start + 256])
        sorted_s = time.perf_counter() - t
        t = time.perf_counter()
        cache.embed_documents(sample)
        hit_s = time.perf_counter() - t
    total = len(texts)
    chars = sum(len(s) for s in sample) / len(sample)
    print(f"all-laws articles: {total}; sample {len(sample)} (mean {chars:.0f} chars)")
    print(f"corpus order, batch 64:        {len(sample) / plain:6.1f} articles/s -> all laws ~{total / (len(sample) / plain) / 60:.0f} min")
    print(f"length-sorted (vector cache):  {len(sample) / sorted_s:6.1f} articles/s -> all laws ~{total / (len(sample) / sorted_s) / 60:.0f} min")
    print(f"cache hit:                     {len(sample) / hit_s:6.0f} articles/s -> all laws ~{total / (len(sample) / hit_s):.1f} s")


if __name__ == "__main__":
    main()
