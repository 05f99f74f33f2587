"""The old law -> 生态环境法典 correspondence table, built from the real law file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from assistant import mapping
from assistant.cli import main
from assistant.clauses import CorpusError
from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from score_mapping import CITED, near_verbatim_pairs  # noqa: E402

DB = Settings().law_db
TABLE = ROOT / "corpus" / mapping.MAPPING_FILE


@pytest.fixture(scope="module")
def built() -> list[mapping.Correspondence]:
    return mapping.build_mapping(DB)


def pairs_of(pairs, clause_id):
    return sorted((p for p in pairs if p.clause_id == clause_id), key=lambda p: -p.confidence)


def test_committed_table_is_what_the_command_generates(built):
    """corpus/code_mapping.json must not go stale: regenerate with `python -m assistant mapping --write`."""
    assert [p.to_json() for p in mapping.load_mapping(TABLE)] == [p.to_json() for p in built]


def test_every_law_the_code_repeals_is_aligned(built):
    laws = {p.law for p in built}
    assert set(mapping.repealed_by_code(DB)) == laws
    assert len(laws) == 10  # 生态环境法典 第一千二百四十二条 lists ten laws


def test_issue_example_soil_36_is_code_431_and_certain(built):
    top = pairs_of(built, "土壤污染防治法#36")[0]
    assert (top.article, top.code_article, top.code_clause_id) == ("第三十六条", "第四百三十一条", "生态环境法典#431")
    assert top.certain and top.method == "verbatim"


def test_every_near_verbatim_pair_is_in_the_table(built):
    """The independent difflib check: old text ≥90% in exactly one Code article."""
    found = near_verbatim_pairs(DB, CITED)
    assert len(found) > 150
    have = {(p.clause_id, p.code_clause_id) for p in built}
    assert [f for f in found if (f[1], f[2]) not in have] == []


def test_hand_verified_sample_scores_and_nothing_wrong_is_stated_certain(built):
    sample = [json.loads(line) for line in (ROOT / "benchmarks" / "code_mapping_sample.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    assert len(sample) >= 60 and {s["law"] for s in sample} == set(CITED)
    right = wrong_but_certain = 0
    for item in sample:
        mine = pairs_of(built, f"{item['law'].removeprefix('中华人民共和国')}#{item['article_no']}")
        gold = set(item["code"])
        right += (mine[0].code_clause_id in gold) if mine and gold else not any(p.certain for p in mine)
        wrong_but_certain += sum(1 for p in mine if p.certain and gold and p.code_clause_id not in gold)
    assert right / len(sample) >= 0.9
    assert wrong_but_certain == 0


def test_liability_articles_map_only_to_liability_articles(built):
    _, clauses = mapping.law_store.load_laws(DB, [mapping.CODE_NAME, *CITED])
    by_id = {c.clause_id: c for c in clauses}
    for p in built:
        if p.law in CITED and p.code_clause_id in by_id:
            assert mapping.is_liability(by_id[p.clause_id]) == mapping.is_liability(by_id[p.code_clause_id]), p


def test_source_defect_points_at_the_lost_article_number(built):
    """The law file stores Code 第一千一百二十条 at the end of 第一千一百一十九条."""
    voc = pairs_of(built, "大气污染防治法#108")[0]  # 挥发性有机物 penalties: the text stored under 1119
    assert (voc.code_clause_id, voc.method) == ("生态环境法典#1120", "source-defect")
    boilers = pairs_of(built, "大气污染防治法#107")[0]  # 高污染燃料 penalties: the head of 1119
    assert boilers.code_clause_id == "生态环境法典#1119"


def test_merge_two_old_articles_into_one_code_article(built):
    """水污染防治法 第三十三条 and 第三十四条 are both in 第二百七十九条."""
    assert pairs_of(built, "水污染防治法#33")[0].code_clause_id == "生态环境法典#279"
    assert pairs_of(built, "水污染防治法#34")[0].code_clause_id == "生态环境法典#279"


def test_split_one_old_article_over_two(built):
    """水污染防治法 第五十九条: ship discharges -> 312, ballast water -> 313."""
    assert {p.code_clause_id for p in pairs_of(built, "水污染防治法#59")} == {"生态环境法典#312", "生态环境法典#313"}


def test_a_missing_or_damaged_table_says_how_to_regenerate(tmp_path):
    with pytest.raises(CorpusError, match="mapping --write"):
        mapping.load_mapping(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "mappings": [{"law": 1}]}', encoding="utf-8")
    with pytest.raises(CorpusError, match="mapping --write"):
        mapping.load_mapping(bad)


def test_cli_mapping_json_schema_and_summary(capsys):
    assert main(["mapping", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = data["mappings"]
    assert rows and all(set(r) == {"law", "article", "code_article", "confidence", "method"} for r in rows)
    assert {"law": "中华人民共和国土壤污染防治法", "article": "第三十六条", "code_article": "第四百三十一条"}.items() \
        <= next(r for r in rows if r["law"].endswith("土壤污染防治法") and r["article"] == "第三十六条").items()
    assert all(r["law"].startswith("中华人民共和国") for r in rows)
    assert main(["mapping"]) == 0
    out = capsys.readouterr().out
    assert "土壤污染防治法" in out and "≥0.9" in out and "海洋环境保护法" not in out  # not in the default corpus
