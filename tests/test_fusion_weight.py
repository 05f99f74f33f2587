"""The dense ranking's RRF weight (issue 10: law searches on the all-laws index) and when BM25 alone decides,
isolated from the stores."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from assistant.config import Settings
from assistant.retrieve import SearchIndex


def weight(settings: Settings, scope: str | None) -> float:
    return SearchIndex.dense_weight(SimpleNamespace(settings=settings), scope)


def test_all_laws_law_searches_use_their_own_weight():
    base = Settings()
    special = replace(base, all_laws=True)
    assert weight(special, "laws") == special.dense_weight_all_laws != base.dense_weight
    assert weight(special, "plan") == base.dense_weight  # plan searches keep the plan-tuned weight


def test_default_corpus_keeps_the_plan_tuned_weight():
    base = Settings()
    assert weight(base, "laws") == weight(base, None) == base.dense_weight
    assert weight(replace(base, all_laws=True, dense_weight_all_laws=None), "laws") == base.dense_weight


def decided(lexical: list[tuple[str, float]], weight: float = 0.2, **changes) -> bool:
    settings = replace(Settings(), **({"dense_skip_ratio": 1.2, "dense_skip_rank": 3} | changes))
    return SearchIndex.lexically_decided(SimpleNamespace(settings=settings), lexical, weight)


def test_a_clear_bm25_lead_needs_no_dense_ranking():
    assert decided([("a", 12.0), ("b", 11.0), ("c", 10.0)])  # 12 >= 1.2 x 10
    assert not decided([("a", 11.0), ("b", 10.5), ("c", 10.0)])  # a close call: dense may reorder it


def test_dense_is_kept_where_it_weighs_as_much_as_bm25_or_when_switched_off():
    clear = [("a", 30.0), ("b", 5.0), ("c", 4.0)]
    assert not decided(clear, weight=1.0)  # English questions, all-laws law searches
    assert not decided(clear, dense_skip_ratio=None)
    assert not decided(clear[:2])  # fewer candidates than the rank compared
    assert decided(clear[:2], dense_skip_rank=2)
