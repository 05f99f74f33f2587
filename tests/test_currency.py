"""Currency of the laws, old -> Code look-ups, liability chapters and the plan's legal bases (real files)."""

from __future__ import annotations

import json

import pytest

from assistant import currency
from assistant.cli import main
from assistant.clauses import CorpusError
from assistant.config import Settings

SOIL = "中华人民共和国土壤污染防治法"


@pytest.fixture(scope="module")
def table():
    return currency.correspondences(Settings().corpus_dir)


def test_repealed_law_status_cites_the_repealing_article(corpus):
    st = currency.status_of("土壤法", corpus)
    assert (st.law, st.status, st.in_force) == (SOIL, "已废止", False)
    assert (st.repealed_by, st.repealed_from, st.repeal_clause_id) == \
        ("中华人民共和国生态环境法典", "2026-08-15", "生态环境法典#1242")
    assert "土壤污染防治法" in corpus.by_id[st.repeal_clause_id].text  # the article really names the law
    assert (st.effective_date, st.effective_clause_id) == ("2019-01-01", "土壤污染防治法#99")


def test_law_in_force_has_its_own_effective_article(corpus):
    st = currency.status_of("乡村振兴促进法", corpus)
    assert (st.status, st.in_force, st.repealed_by) == ("现行有效", True, None)
    assert st.effective_date == "2021-06-01"
    assert "2021年6月1日起施行" in corpus.by_id[st.effective_clause_id].text


def test_every_law_in_the_corpus_has_a_status_and_a_citable_effective_article(corpus):
    for st in currency.currency_table(corpus):
        assert st.status in ("现行有效", "已废止"), st
        assert st.effective_clause_id in corpus.by_id, st
        assert st.effective_date and st.effective_date[:4] in corpus.by_id[st.effective_clause_id].text
        if not st.in_force:
            assert st.repeal_clause_id in corpus.by_id


def test_unknown_law_is_a_clear_error(corpus):
    with pytest.raises(CorpusError, match="not in the corpus"):
        currency.status_of("不存在法", corpus)


def test_cited_by_plan_is_set_when_the_corpus_loads(corpus):
    cited = {law.short_name for law in corpus.laws if law.cited_by_plan}
    assert cited == {"土壤污染防治法", "水污染防治法", "大气污染防治法", "固体废物污染环境防治法"}


def test_code_article_for_and_back(corpus, table):
    now = currency.code_article_for("土壤法", "第三十六条", table, corpus.laws)
    assert now[0].code_article == "第四百三十一条" and now[0].certain
    back = currency.replaced_articles(431, table)
    assert [c.clause_id for c in back] == ["土壤污染防治法#36"]
    with pytest.raises(ValueError):
        currency.code_article_for(SOIL, "第某条", table)


def test_liability_articles_are_the_legal_liability_chapter(corpus):
    ids = currency.liability_articles("土壤污染防治法", corpus)
    assert ids == [f"土壤污染防治法#{n}" for n in range(85, 99)]  # 第六章 法律责任; 第99条 is 附则
    code = currency.liability_articles("生态环境法典", corpus)
    assert code[0] == "生态环境法典#1052" and code[-1] == "生态环境法典#1238"  # 附则 excluded


def test_legal_bases_list_the_plan_paragraphs_citing_repealed_laws(corpus, table):
    bases = currency.legal_bases(corpus, table)
    by_para = {(b.clause_id, b.law) for b in bases}
    assert ("plan-003", SOIL) in by_para
    assert ("plan-055", "中华人民共和国大气污染防治法") in by_para
    assert ("plan-110", SOIL) in by_para  # written 《土壤法》
    assert not any(b.law.endswith("环境保护法") for b in bases)  # 环保法律意识 is not a citation
    assert all(b.repeal_clause_id == "生态环境法典#1242" for b in bases)
    for b in bases:  # every Code article offered comes from the table for an old article of that law
        assert all(c.law == b.law and c.clause_id in b.old_articles for c in b.now)


def test_cli_legal_bases_json(capsys):
    assert main(["legal-bases", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {b["clause_id"] for b in data["legal_bases"]} >= {"plan-003", "plan-055", "plan-110"}
    assert any(s["law"] == SOIL and s["status"] == "已废止" for s in data["laws"])
