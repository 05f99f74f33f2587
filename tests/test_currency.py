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


@pytest.mark.parametrize("question, first_cite, says", [
    ("土壤污染防治法现在还有效吗？", "生态环境法典#1242", "已废止"),
    ("《土壤法》被什么取代了", "生态环境法典#1242", "中华人民共和国生态环境法典"),
    ("水污染防治法还能作为依据吗", "生态环境法典#1242", "不能再作为现行依据"),
    ("乡村振兴促进法还有效吗", "乡村振兴促进法#74", "现行有效"),
    ("乡村振兴促进法哪天施行", "乡村振兴促进法#74", "2021-06-01"),
    ("生态环境法典什么时候施行？", "生态环境法典#1242", "2026-08-15"),
])
def test_currency_questions_cite_the_repealing_or_effective_article(corpus, table, question, first_cite, says):
    reply = currency.reply_for(question, corpus, table)
    assert reply is not None and reply.kind == "currency"
    assert reply.cite[0] == first_cite and says in reply.text


def test_correspondence_question_certain_and_possible(corpus, table):
    reply = currency.reply_for("土壤污染防治法第三十六条现在对应法典哪一条？", corpus, table)
    assert reply.kind == "correspondence" and reply.certain
    assert reply.cite[0] == "生态环境法典#431" and "第四百三十一条" in reply.text
    low = next(c for c in table if c.law == SOIL and not c.certain)
    number = int(low.clause_id.split("#")[1])
    reply = currency.reply_for(f"土壤污染防治法第{number}条对应法典第几条", corpus, table)
    assert not reply.certain and "可能对应" in reply.text
    assert corpus.by_id[low.clause_id].text[:20] in reply.text  # both texts shown


def test_plan_repealed_laws_question(corpus, table):
    reply = currency.reply_for("规划引用的法律哪些已经废止了", corpus, table)
    assert reply.kind == "legal_bases" and reply.cite[0] == "生态环境法典#1242"
    assert "土壤污染防治法" in reply.text and "plan-003" in reply.cite


def test_other_questions_are_left_to_the_answer_layer(corpus, table):
    assert currency.reply_for("哪个部门牵头农村生活污水治理？", corpus, table) is None
    assert currency.reply_for("土壤污染防治法关于农用地分类管理是怎么规定的", corpus, table) is None


def test_penalty_questions_go_to_liability_articles_in_force(corpus, table):
    today = currency.current_liability_articles("土壤污染防治法", corpus, table)
    assert today and all(1052 <= int(cid.split("#")[1]) <= 1238 for cid in today)
    assert "生态环境法典#1163" in today  # old 第八十九条 (土地复垦 fines) now
    water = currency.current_liability_articles("水法", corpus, table)  # in force: its own 法律责任 chapter
    assert water == currency.liability_articles("水法", corpus) and water[0] == "水法#64"
    assert currency.liability_articles("乡村振兴促进法", corpus) == []  # it has no 法律责任 chapter


@pytest.fixture(scope="module")
def all_laws_corpus():
    from assistant.corpus import load_corpus

    return load_corpus(Settings.from_env(all_laws=True))


def test_every_law_of_the_law_file_gets_a_status(all_laws_corpus):
    table = currency.currency_table(all_laws_corpus)
    assert len(table) == len(all_laws_corpus.laws) > 300
    repealed = {s.law for s in table if s.repealed_by == "中华人民共和国生态环境法典"}
    assert len(repealed) == 10 and all(not s.in_force for s in table if s.law in repealed)
    assert currency.status_of("刑法", all_laws_corpus).in_force  # 已被修改: in force as amended
    with_clause = [s for s in table if s.effective_clause_id]
    assert len(with_clause) > 0.8 * len(table)
    assert all("施行" in all_laws_corpus.by_id[s.effective_clause_id].text for s in with_clause)
    no_clause = next(s for s in table if not s.effective_clause_id)
    reply = currency.status_reply(no_clause, all_laws_corpus)
    assert "未载明施行条文" in reply.text or not no_clause.effective_date
