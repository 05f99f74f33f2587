"""Added documents, end to end on real files: GBK text, a python-docx plan, hand-built PDFs."""

from __future__ import annotations

import io
import json
import os
import random
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import documents as docs
from assistant.clauses import Clause, CorpusError, content_hash
from assistant.config import Settings
from assistant.documents import AddedDocument, DocumentError, add_file, add_files, load_added, parse_document, remove_document
from assistant.facts import BureauDirectory, extract_facts
from assistant.laws import parse_article_number

from doc_fixtures import (
    PDF_LINES,
    PDF_TITLE,
    PLAN_TITLE,
    REGULATION,
    REGULATION_TITLE,
    pdf_bytes,
    snapshot,
    write_gbk_regulation,
    write_pdf,
    write_plan_docx,
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return replace(Settings(), added_dir=tmp_path / "added", index_dir=tmp_path / "index")


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def by_id(clauses: list[Clause]) -> dict[str, Clause]:
    return {c.clause_id: c for c in clauses}


# ------------------------------------------------------------------------- regulations


def test_gbk_regulation_is_split_by_article(settings, files):
    path = write_gbk_regulation(files)
    result = add_file(path, settings)
    assert result.status == "added" and result.document.kind == "regulation"
    assert result.document.title == REGULATION_TITLE
    documents, clauses, roles = load_added(settings)
    assert [d.title for d in documents] == [REGULATION_TITLE]
    assert roles == []  # regulations give no plan-style roles
    clauses = by_id(clauses)
    assert list(clauses) == [f"{REGULATION_TITLE}#{k}" for k in ("题注", 1, 2, 12, 13, 14)]
    assert result.clauses == len(clauses)

    twelve = clauses[f"{REGULATION_TITLE}#12"]
    assert (twelve.article, twelve.article_no, twelve.title) == ("第十二条", 12, "第十二条")
    assert twelve.section == "第二章 调查与监测 第一节 调查"
    assert twelve.kind == "doc" and twelve.source == REGULATION_TITLE
    assert twelve.text == "州生态环境局每五年组织一次地下水污染状况调查。"
    assert twelve.label() == f"《{REGULATION_TITLE}》第十二条"

    thirteen = clauses[f"{REGULATION_TITLE}#13"]  # written 第13条 in the file
    assert (thirteen.article, thirteen.article_no) == ("第十三条", 13)
    assert parse_article_number("第13条") == parse_article_number(thirteen.article) == 13

    two = clauses[f"{REGULATION_TITLE}#2"]  # an article's second paragraph stays with it
    assert two.text == "本条例适用于示范州行政区域内的地下水保护。\n示范州所属各县市按照本条例执行。"
    assert two.section == "第一章 总则"
    assert clauses[f"{REGULATION_TITLE}#14"].section == "第二章 调查与监测 第二节 监测"
    assert clauses[f"{REGULATION_TITLE}#题注"].text == "（2030年1月1日示范州人民政府令第1号公布）"
    assert [c.position for c in clauses.values()] == list(range(6))


def test_regulation_short_title_and_repeated_numbers():
    text = "中华人民共和国示范条例\n第一条 甲。\n第二条 乙。\n第二条 丙。\n第三条之一 丁。"
    kind, pairs = parse_document("中华人民共和国示范条例", text)
    assert kind == "regulation"
    assert [c.clause_id for c, _ in pairs] == ["示范条例#1", "示范条例#2", "示范条例#2-2", "示范条例#3之一"]
    assert pairs[-1][0].article == "第三条之一" and pairs[-1][0].article_no == 3
    assert {c.source for c, _ in pairs} == {"中华人民共和国示范条例"}


# ------------------------------------------------------------------------------- plans


def test_docx_plan_paragraphs_sections_and_roles(settings, files):
    result = add_file(write_plan_docx(files), settings)
    assert result.document.kind == "plan" and result.document.title == PLAN_TITLE
    documents, clauses, roles = load_added(settings)
    clauses = by_id(clauses)
    assert len(roles) == len(clauses) == result.clauses
    role = {c.clause_id: r for c, r in roles}
    ids = list(clauses)
    assert ids == [f"{PLAN_TITLE}-p{i:03d}" for i in range(1, len(ids) + 1)]
    assert not any(c.text.startswith(("一、", "二、", "（一）", "（二）", "三、")) for c in clauses.values())

    first = clauses[f"{PLAN_TITLE}-p001"]
    assert (first.section, role[first.clause_id]) == ("", "text")
    lead = next(c for c in clauses.values() if c.text.startswith("开展化工园区"))
    assert lead.section == "二、重点任务 > （一）加强污染源头预防"
    assert lead.text == "开展化工园区地下水环境状况调查，建立风险清单。(州生态环境局牵头,州水利局等参与)"
    assert lead.title == "开展化工园区地下水环境状况调查，建立风险清单"
    assert role[lead.clause_id] == "task"
    numbered = next(c for c in clauses.values() if c.text.startswith("1.严格防控"))  # a numbered paragraph, not a heading
    assert numbered.section == lead.section and role[numbered.clause_id] == "task"
    row = next(c for c in clauses.values() if c.text.startswith("监测点位数"))  # docx table cells, row by row
    assert row.text == "监测点位数\t12\t20" and role[row.clause_id] == "text"
    assert row.section == "二、重点任务 > （二）强化监测能力"
    network = next(c for c in clauses.values() if c.text.startswith("完善地下水环境监测网络"))
    assert clauses[ids[ids.index(network.clause_id) - 1]] is row  # table sits where it is in the document

    facts = extract_facts(roles, BureauDirectory.load(Settings().bureaux_path))
    duty = {r.clause_id: r for r in facts.responsibilities}
    assert duty[lead.clause_id].leads == ["州生态环境局"]
    assert duty[lead.clause_id].participants == ["州水利局"]
    assert duty[numbered.clause_id].leads == ["州工信局"]
    assert duty[network.clause_id].leads == ["州水利局"]
    assert "州自然资源局" in duty[network.clause_id].participants
    assert any(d.year == 2025 and "加油站" in d.what for d in facts.deadlines)


def test_plain_paragraphs():
    text = "关于开展示范工作的通知\n各县市：\n请于月底前报送材料。\n联系人：张三"
    kind, pairs = parse_document("关于开展示范工作的通知", text)
    assert kind == "paragraphs"
    assert [(c.clause_id, c.text, r) for c, r in pairs] == [
        ("关于开展示范工作的通知-p001", "各县市：", "text"),
        ("关于开展示范工作的通知-p002", "请于月底前报送材料。", "text"),
        ("关于开展示范工作的通知-p003", "联系人：张三", "text"),
    ]


# -------------------------------------------------------------------------------- PDFs


def test_text_layer_pdf(settings, files):
    path = write_pdf(files, "notice.pdf", [PDF_LINES, ["Second page closes the notice."]])
    result = add_file(path, settings)
    assert result.document.kind == "paragraphs" and result.document.title == PDF_TITLE
    _, clauses, roles = load_added(settings)
    assert roles == []
    short = PDF_TITLE.replace(" ", "")
    assert [(c.clause_id, c.text) for c in clauses] == [
        (f"{short}-p001", "All county offices shall report well data by June."),
        # the layout wrap is rejoined, the page number line dropped
        (f"{short}-p002", "The monitoring network covers twelve sites and is extended to twenty sites by the end "
                          "of the pilot."),
        (f"{short}-p003", "Second page closes the notice."),
    ]
    assert {c.source for c in clauses} == {PDF_TITLE}


def test_pdf_with_some_blank_pages_warns(settings, files):
    result = add_file(write_pdf(files, "mixed.pdf", [PDF_LINES, []]), settings)
    assert result.status == "added" and any("2" in w for w in result.warnings)


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings(encoding):
    text = REGULATION.strip() + ("\n第十五条\u3000㐀字的条文。" if encoding in ("gb18030", "utf-8", "utf-16") else "")
    decoded, warnings = docs.extract_text(text.encode(encoding), "条例.TXT")
    assert decoded == text and warnings == []


def test_markdown_is_text():
    decoded, _ = docs.extract_text("# 标题\r\n\r\n正文。\r\n".encode("gbk"), "a.md")
    assert decoded == "# 标题\n正文。"


# ---------------------------------------------------------------- storage and manifest


def test_manifest_and_stored_texts(settings, files):
    results = add_files([write_gbk_regulation(files), write_plan_docx(files)], settings)
    assert [r.status for r in results] == ["added", "added"]
    folder = settings.added_dir
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["documents"]
    assert [e["title"] for e in entries] == [REGULATION_TITLE, PLAN_TITLE]
    assert [e["kind"] for e in entries] == ["regulation", "plan"]
    assert [e["file_name"] for e in entries] == ["regulation.txt", "plan.docx"]
    for entry in entries:
        stored = folder / entry["stored_as"]
        assert entry["stored_as"] == entry["content_hash"] + ".txt"
        assert content_hash(stored.read_text(encoding="utf-8")) == entry["content_hash"]
        assert len(entry["added_on"]) == 10 and entry["added_on"][4] == "-"
        assert set(entry) >= {"aliases", "codes"}
    assert sorted(p.name for p in folder.iterdir()) == sorted(["manifest.json", *(e["stored_as"] for e in entries)])
    # the stored text is the extracted text in UTF-8: the GBK file reads back as the original
    assert (folder / entries[0]["stored_as"]).read_text(encoding="utf-8") == REGULATION.strip()


def test_same_content_again_changes_nothing(settings, files):
    path = write_gbk_regulation(files)
    first = add_file(path, settings)
    before = snapshot(settings.added_dir)
    again = add_file(path, settings)
    utf8 = files / "copy.txt"
    utf8.write_text(REGULATION, encoding="utf-8")  # same text, other encoding and name
    copy = add_file(utf8, settings, title="另一个标题")
    assert again.status == copy.status == "already present"
    assert again.document == copy.document == first.document
    assert "already present" in again.message
    assert snapshot(settings.added_dir) == before


def test_title_clash_needs_another_title(settings, files):
    add_file(write_gbk_regulation(files), settings)
    before = snapshot(settings.added_dir)
    changed = files / "changed.txt"
    changed.write_text(REGULATION.replace("每五年", "每三年"), encoding="utf-8")
    with pytest.raises(DocumentError, match="--title"):
        add_file(changed, settings)
    with pytest.raises(DocumentError, match="--title"):  # the same title written another way
        add_file(changed, settings, title=f"《{REGULATION_TITLE}》")
    assert snapshot(settings.added_dir) == before
    result = add_file(changed, settings, title=f"《{REGULATION_TITLE}（2031年修订）》")
    assert result.document.title == f"{REGULATION_TITLE}（2031年修订）"
    _, clauses, _ = load_added(settings)
    assert f"{REGULATION_TITLE}（2031年修订）#12" in by_id(clauses)


def test_plan_and_law_titles_are_refused(settings, files):
    path = write_gbk_regulation(files)
    with pytest.raises(DocumentError, match="规划"):
        add_file(path, settings, title="《规划》")
    if not Settings().law_db.is_file():
        pytest.skip("law database not installed")
    for name in ("中华人民共和国土壤污染防治法", "土壤污染防治法", "《土壤法》"):
        with pytest.raises(DocumentError, match="law"):
            add_file(path, settings, title=name)
    assert snapshot(settings.added_dir) is None


def test_default_titles(settings, files):
    untitled = files / "会议纪要.txt"
    untitled.write_text("会议认为，应加快推进监测井建设。\n请各单位抓好落实。", encoding="utf-8")
    assert add_file(untitled, settings).document.title == "会议纪要"
    quoted = files / "x.txt"
    quoted.write_text("《示范通知》\n正文第一段。", encoding="utf-8")
    assert add_file(quoted, settings).document.title == "示范通知"


def test_matches_titles_aliases_and_codes(settings, files):
    path = files / "standard.txt"
    path.write_text("建设用地土壤污染风险管控标准（试行）（GB 36600-2018）\n本标准规定了筛选值。\n本标准自发布之日起实施。",
                    encoding="utf-8")
    doc = add_file(path, settings).document
    assert doc.codes == ["GB36600-2018"]
    for name in ("建设用地土壤污染风险管控标准（试行）（GB 36600-2018）", "《建设用地土壤污染风险管控标准(试行)》",
                 "建设用地土壤污染风险管控标准 (试行)", "GB36600-2018", "GB 36600-2018", "ＧＢ３６６００－２０１８"):
        assert doc.matches(name), name
    assert not doc.matches("GB15618-2018") and not doc.matches("风险管控标准") and not doc.matches("")
    law_like = AddedDocument("中华人民共和国示范条例", "a.txt", "0", "2030-01-01", "regulation", "0.txt")
    assert law_like.matches("示范条例") and law_like.matches("《中华人民共和国示范条例》")
    assert AddedDocument("示范条例", "a.txt", "0", "2030-01-01", "regulation", "0.txt").matches("中华人民共和国示范条例")


def test_remove(settings, files):
    add_files([write_gbk_regulation(files), write_plan_docx(files)], settings)
    plan_doc = load_added(settings)[0][1]
    removed = remove_document(f"《{PLAN_TITLE}》", settings)
    assert removed == plan_doc
    documents, clauses, roles = load_added(settings)
    assert [d.title for d in documents] == [REGULATION_TITLE] and roles == []
    assert all(c.source == REGULATION_TITLE for c in clauses)
    assert not (settings.added_dir / plan_doc.stored_as).exists()
    before = snapshot(settings.added_dir)
    with pytest.raises(DocumentError, match=REGULATION_TITLE):  # lists what exists
        remove_document("没有这个文件", settings)
    assert snapshot(settings.added_dir) == before


# ------------------------------------------------------------------------- bad inputs


def _bad_inputs(folder: Path) -> list[tuple[str, Path, dict, str]]:
    xlsx = folder / "table.xlsx"
    xlsx.write_bytes(b"PK\x03\x04 not really a workbook")
    doc = folder / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0 old word")
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    blank = folder / "blank.txt"
    blank.write_bytes("\r\n  \u3000\n".encode("utf-8"))
    noise = random.Random(0).randbytes(2048)
    corrupt = folder / "corrupt.docx"
    corrupt.write_bytes(noise)
    binary = folder / "binary.txt"
    binary.write_bytes(noise)
    broken_pdf = folder / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\n" + noise[:512])
    scan = write_pdf(folder, "scan.pdf", [[], []])
    big = write_gbk_regulation(folder, "big.txt")
    return [
        ("unsupported", xlsx, {}, ".docx"),
        ("old word", doc, {}, "save it as .docx"),
        ("empty", empty, {}, "empty"),
        ("blank", blank, {}, "No text"),
        ("corrupt docx", corrupt, {}, "damaged"),
        ("corrupt pdf", broken_pdf, {}, "damaged"),
        ("binary text", binary, {}, "not a text file"),
        ("no text layer", scan, {}, "OCR"),
        ("oversize", big, {"max_upload_bytes": 100}, "limit"),
        ("missing", folder / "nope.txt", {}, "not found"),
    ]


@pytest.mark.parametrize("prepopulated", [True, False])
def test_bad_inputs_leave_added_dir_unchanged(settings, files, prepopulated):
    if prepopulated:
        add_file(write_plan_docx(files), settings)
    for name, path, overrides, message in _bad_inputs(files):
        before = snapshot(settings.added_dir)
        with pytest.raises(DocumentError, match=message):
            add_file(path, replace(settings, **overrides))
        assert snapshot(settings.added_dir) == before, name


def test_batch_is_all_or_nothing(settings, files):
    empty = files / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty"):
        add_files([write_gbk_regulation(files), empty], settings)
    assert snapshot(settings.added_dir) is None
    with pytest.raises(DocumentError, match="single file"):
        add_files([write_gbk_regulation(files), write_plan_docx(files)], settings, title="x")


def test_failed_manifest_write_rolls_back(settings, files, monkeypatch):
    add_file(write_plan_docx(files), settings)
    before = snapshot(settings.added_dir)
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst).name == "manifest.json":
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(docs.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        add_file(write_gbk_regulation(files), settings)
    assert snapshot(settings.added_dir) == before  # new text removed, no temp files left


# --------------------------------------------------------------------------- loading


def test_missing_folder_or_manifest_means_no_documents(settings):
    assert load_added(settings) == ([], [], [])
    settings.added_dir.mkdir()
    (settings.added_dir / "stray.txt").write_text("x", encoding="utf-8")
    assert load_added(settings) == ([], [], [])


@pytest.mark.parametrize("content", ["{not json", '{"documents": [{"title": "x"}]}', "[]"])
def test_corrupt_manifest_names_the_file(settings, content):
    settings.added_dir.mkdir()
    (settings.added_dir / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match="manifest.json"):
        load_added(settings)


def test_edited_or_missing_text_is_reported(settings, files):
    doc = add_file(write_gbk_regulation(files), settings).document
    stored = settings.added_dir / doc.stored_as
    stored.write_text("改过的文本", encoding="utf-8")
    with pytest.raises(CorpusError, match="changed"):
        load_added(settings)
    stored.unlink()
    with pytest.raises(CorpusError, match=doc.stored_as):
        load_added(settings)


def test_pdf_generator_is_valid():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes([["Hello (world)"], []])))
    assert len(reader.pages) == 2 and "Hello (world)" in reader.pages[0].extract_text()


def test_chinese_text_layer_pdf_regulation(settings, tmp_path):
    """A Chinese PDF as officials have them (CID font, text layer), built with reportlab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "条例.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    lines = ["测试地下水保护条例", "第一章 总则", "第一条 为了加强地下水管理，制定本条例。",
             "第二章 污染防治", "第十二条 禁止利用渗井、渗坑、裂隙排放水污染物。"]
    for i, line in enumerate(lines):
        page.drawString(50, 800 - 20 * i, line)
    page.save()
    result = add_file(path, settings)
    assert result.status == "added" and result.document.title == "测试地下水保护条例"
    assert result.document.kind == "regulation"
    _, clauses, _ = load_added(settings)
    article = by_id(clauses)["测试地下水保护条例#12"]
    assert article.article == "第十二条" and "渗井、渗坑" in article.text
    assert article.section.startswith("第二章")
