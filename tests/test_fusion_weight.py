"""The dense RRF weight for law searches on the all-laws index (issue 10), isolated from the stores."""

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
