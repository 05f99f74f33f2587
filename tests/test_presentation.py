"""Editorial repairs, the page's formatting helpers and the .xlsx/.docx exports (read back)."""

from __future__ import annotations

import io
import re

import pytest

from assistant.config import Settings
from assistant.editorial import CLI_LEGEND, Repairs, repairs_for
from assistant.pageformat import (answer_as_text, elapsed_ms, highlighted, law_status_text, markdown_answer,
                                  repeal_notice)


@pytest.fixture(scope="module")
def repairs() -> Repairs:
    return repairs_for(Settings())


# ----------------------------------------------------------------------------- editorial repairs


def test_every_repair_lands_in_its_clause_and_all_lone_xi_are_repaired(corpus, repairs):
    assert not repairs.unmatched(corpus)
    lone = [c.clause_id for c in corpus.plan() if re.search(r"习(?=生态文明思想|新时代)", c.text)]
    assert sorted(set(lone)) == ["plan-006", "plan-026", "plan-035"]  # the scrape's three paragraphs
    for cid in lone:
        text = corpus.by_id[cid].text
        shown = repairs.for_cli(text)
        assert "习〔近平〕" in shown and not re.search(r"习(?!〔近平〕)(?=生态文明思想|新时代)", shown)
        assert shown.replace("〔近平〕", "") == text  # removing the marks gives the source back


def test_repairs_never_change_the_source_text(corpus, repairs):
    clause = corpus.by_id["plan-035"]
    assert "习近平" not in clause.text  # Clause.text stays the scraped source; quotes are checked against it
    assert repairs.segments("习惯") == [repairs.segments("习惯")[0]] and not repairs.repaired("生活习惯")


def test_highlight_marks_the_quote_and_the_repair_separately(corpus, repairs):
    clause = corpus.by_id["plan-006"]
    quote = "深入贯彻习生态文明思想"
    assert quote in clause.text
    html = highlighted(clause.text, quote, repairs)
    assert re.search(r'<mark>深入贯彻习<span class="editorial" title="编者补正：[^"]+">近平</span>生态文明思想</mark>', html)
    import html as htmllib

    without_repair = re.sub(r'<span class="editorial"[^>]*>[^<]*</span>', "", html)
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", without_repair)) == clause.text  # the rest is the source, verbatim


def test_answer_text_download_marks_repairs_with_a_legend(corpus, repairs):
    clause = corpus.by_id["plan-026"]
    data = {"question": "q", "answer": "a", "citations": [{"n": 1, "clause_id": clause.clause_id, "label": clause.label(),
                                                           "quote": clause.text[:20], "text": clause.text}]}
    text = answer_as_text(data, repairs)
    assert "习〔近平〕生态文明思想" in text and CLI_LEGEND in text
    assert f"引文：“{clause.text[:20]}”" in text  # the quote itself stays verbatim


def test_cli_marks_repairs(corpus, capsys):
    from assistant.cli import _marked

    out = _marked("[1] plan-006 “深入贯彻习生态文明思想”", Settings())
    assert "习〔近平〕" in out and CLI_LEGEND in out
    assert _marked("没有补正", Settings()) == "没有补正"


# ----------------------------------------------------------------------------- wording


def test_repeal_wording_keeps_fei_zhi_and_shi_xing_apart(corpus):
    law = corpus.law("中华人民共和国土壤污染防治法")
    notice = repeal_notice(law)
    assert notice == "《土壤污染防治法》已被《生态环境法典》废止；《生态环境法典》自2026-08-15起施行。"
    assert "废止，自" not in notice
    assert law_status_text(law) == "已废止（被《生态环境法典》废止，自2026-08-15起失效）"
    assert repeal_notice(corpus.law("中华人民共和国水法")) == ""


def test_times_are_in_milliseconds():
    assert elapsed_ms(0.0123) == "用时 12 毫秒"
    assert elapsed_ms(0.0002) == "用时不到 1 毫秒"
    assert elapsed_ms(None) == ""
    assert "秒" in elapsed_ms(12.5) and "0.00" not in elapsed_ms(0.004)


def test_markdown_answer_escapes_and_bolds_markers():
    out = markdown_answer("由**州**局牵头[1]\n第二行[2]")
    assert "\\*\\*州\\*\\*" in out and "**\\[1\\]**" in out and "  \n" in out


# ----------------------------------------------------------------------------- exports, read back


def _answer(engine, question: str) -> dict:
    return engine.ask(question).to_json()


def test_answer_exports_read_back(engine, repairs):
    from docx import Document
    from openpyxl import load_workbook

    from assistant.exports import answer_docx, answer_xlsx

    data = _answer(engine, "土壤污染防治法第二十一条规定了什么？")
    book = load_workbook(io.BytesIO(answer_xlsx(data, repairs)))
    assert book.sheetnames == ["回答", "引文"]
    assert book["回答"]["B1"].value == data["question"] and book["回答"]["B2"].value == data["answer"]
    rows = list(book["引文"].iter_rows(values_only=True))
    assert rows[0] == ("序号", "条款编号", "出处", "角色", "引文", "注意", "条款全文")
    assert rows[1][1] == "土壤污染防治法#21" and rows[1][4] == data["citations"][0]["quote"]
    assert any(r[3] == "法典对应条款" for r in rows[1:])
    doc = Document(io.BytesIO(answer_docx(data, repairs)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert data["question"] in text and "[1] 土壤污染防治法#21" in text
    assert f"引文：“{data['citations'][0]['quote']}”" in text


def test_table_exports_read_back(corpus):
    from docx import Document
    from openpyxl import load_workbook

    from assistant import tables
    from assistant.exports import table_docx, table_xlsx

    for rows, columns, title in ((tables.responsibility_rows(corpus.facts), tables.RESPONSIBILITY_COLUMNS, "责任分工"),
                                 (tables.target_rows(corpus.facts), tables.TARGET_COLUMNS, "指标目标"),
                                 (tables.deadline_rows(corpus.facts), tables.DEADLINE_COLUMNS, "时限")):
        assert rows
        sheet = load_workbook(io.BytesIO(table_xlsx(rows, title, columns)))[title]
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == columns and len(values) == len(rows) + 1
        assert [str(v) if v is not None else "" for v in values[1]] == [str(rows[0][c]) for c in columns]
        table = Document(io.BytesIO(table_docx(rows, title, columns))).tables[0]
        assert [c.text for c in table.rows[0].cells] == columns and len(table.rows) == len(rows) + 1
        assert table.rows[-1].cells[0].text == str(rows[-1][columns[0]])
    row = next(r for r in tables.target_rows(corpus.facts) if r["指标"] == "畜禽粪污综合利用率")
    assert row["目标"] == "≥80%" and row["条款"] == "plan-051"
    assert len(tables.responsibility_rows(corpus.facts, "州工信局")) < len(tables.responsibility_rows(corpus.facts))
