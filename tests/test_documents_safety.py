"""Issue 12: added documents that are safe to add: limits before work, encodings, file modes,
transactions that survive crashes, concurrent adds, and titles that must really be named.

Files are built here from scratch (a real zip bomb, a real 1,500-page PDF, real Big5 and
Shift-JIS bytes). Adds that re-index use the real corpus with BM25 alone (the embedding
setting points at a folder that does not exist), so each takes seconds, not minutes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.documents import (JOURNAL, AddedDocument, DocumentError, add_and_reindex, add_file, document_named_in,
                                 extract_text, load_added, parse_document, read_manifest, title_evidence)
from assistant.documents.extract import decode_text
from assistant.index import check_index

from doc_fixtures import REGULATION, pdf_bytes, snapshot, write_gbk_regulation, write_plan_docx

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return replace(Settings(), added_dir=tmp_path / "added", index_dir=tmp_path / "index",
                   embedding=str(tmp_path / "no-model"), chroma_host=None)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def untouched(settings: Settings):
    return snapshot(settings.added_dir), snapshot(settings.index_dir)


def docx_with_body(body_xml: bytes, extra_entries: int = 0) -> bytes:
    """A real python-docx file whose word/document.xml is replaced (and optional extra parts)."""
    base = io.BytesIO()
    docx.Document().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, body_xml if item.filename == "word/document.xml" else src.read(item))
        for i in range(extra_entries):
            dst.writestr(f"customXml/extra{i}.xml", b"<x/>")
    return out.getvalue()


def body(paragraphs: list[str]) -> bytes:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    runs = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{runs}</w:body></w:document>'.encode()


# ------------------------------------------------------------------------------ limits


def test_zip_bomb_docx_is_refused_before_parsing(settings, files):
    paragraph = "<w:p><w:r><w:t>" + "污" * 200 + "</w:t></w:r></w:p>"
    bomb = body([]).replace(b"<w:body>", b"<w:body>" + paragraph.encode() * 120_000)  # ~72 MB of XML
    data = docx_with_body(bomb)
    assert len(data) < 1_000_000  # a small upload
    path = files / "bomb.docx"
    path.write_bytes(data)
    before = untouched(settings)
    with pytest.raises(DocumentError, match="max_unzipped_bytes"):
        add_and_reindex([path], settings)
    assert untouched(settings) == before


def test_a_lying_zip_header_is_still_stopped(files):
    """Declared sizes can be forged; the inflater's running budget is what stops a bomb."""
    data = bytearray(docx_with_body(body(["正文。"] * 10) + b" " * 3_000_000))
    # forge the central directory's uncompressed size of document.xml to 1 KB
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    central = data.rfind(b"PK\x01\x02", 0, data.find(b"word/document.xml", data.find(b"PK\x01\x02")) + 1)
    data[central + 24:central + 28] = (1024).to_bytes(4, "little")
    from assistant.documents.extract import Limits, check_zip

    limits = Limits(10**8, 2_000_000, 100, 1000, 10)
    with pytest.raises(DocumentError):  # refused (size limit or a damaged archive), never inflated past 2 MB
        check_zip(bytes(data), "forged.docx", limits)
    assert info.file_size > 2_000_000


def test_many_entries_and_many_paragraphs_are_refused(settings, files):
    entries = files / "entries.docx"
    entries.write_bytes(docx_with_body(body(["第一段。"]), extra_entries=2100))
    paragraphs = files / "paragraphs.docx"
    paragraphs.write_bytes(docx_with_body(body(["短段。"] * 25_000)))
    text = files / "lines.txt"
    text.write_text("\n".join(f"第{i}行。" for i in range(25_000)), encoding="utf-8")
    before = untouched(settings)
    with pytest.raises(DocumentError, match="max_zip_entries"):
        add_and_reindex([entries], settings)
    with pytest.raises(DocumentError, match="max_paragraphs"):
        add_and_reindex([paragraphs], settings)
    with pytest.raises(DocumentError, match="max_paragraphs"):
        add_and_reindex([text], settings)
    assert untouched(settings) == before


def test_huge_pdf_page_count_is_refused(settings, files):
    path = files / "pages.pdf"
    path.write_bytes(pdf_bytes([["Page text."]] * 1500))
    before = untouched(settings)
    with pytest.raises(DocumentError, match="max_pdf_pages") as refused:
        add_and_reindex([path], settings)
    assert "1,500" in str(refused.value)
    assert untouched(settings) == before
    small = replace(settings, max_pdf_pages=2000)  # the limit is the setting, not a constant
    assert add_and_reindex([path], small, reindex=False).results[0].status == "added"


def test_title_length_limit(settings, files):
    path = write_gbk_regulation(files)
    before = untouched(settings)
    with pytest.raises(DocumentError, match="max_title_chars"):
        add_and_reindex([path], settings, title="长" * (settings.max_title_chars + 1))
    assert untouched(settings) == before
    assert add_file(path, settings, title="长" * settings.max_title_chars).document.title == "长" * settings.max_title_chars


def test_added_files_are_readable_by_other_users(settings, files):
    old = os.umask(0o077)  # even under a strict umask: the app may run as another user
    try:
        add_file(write_gbk_regulation(files), settings)
    finally:
        os.umask(old)
    stored = [p for p in settings.added_dir.iterdir() if p.is_file()]
    assert {p.name for p in stored} >= {"manifest.json"} and len(stored) == 2
    assert {oct(p.stat().st_mode & 0o777) for p in stored} == {"0o644"}


# -------------------------------------------------------------------------- plan shapes


def test_plan_with_short_numbered_items_is_accepted(settings, files):
    lines = ["示范州秸秆综合利用工作方案", "一、工作目标", "1.秸秆综合利用率", "2.农膜回收率",
             "二、重点工作", "（一）完善收储体系", "（二）培育利用主体"]
    path = write_plan_docx(files, "items.docx", lines=lines, table=None)
    result = add_file(path, settings)
    assert result.document.kind == "plan"
    _, clauses, roles = load_added(settings)
    texts = [c.text for c in clauses]
    assert texts == ["1.秸秆综合利用率", "2.农膜回收率", "（一）完善收储体系", "（二）培育利用主体"]
    assert clauses[0].section == "一、工作目标" and clauses[2].section == "二、重点工作"


# ------------------------------------------------------------------------------ encodings


BIG5_TEXT = """臺灣示範水源保護辦法
第一條　為了保護飲用水水源，維護環境衛生，制定本辦法。
第二條　本辦法適用於集中式飲用水水源保護區，由環境保護機關負責監督。
第三條　禁止在一級保護區內新建排污口，違者依法處罰。"""
JAPANESE_TEXT = "地下水保全規則\n第一条　この規則は、地下水の汚染を防止するために定める。\n第二条　事業者は、毎年一回以上、水質を測定しなければならない。"


def test_big5_is_read_as_big5_not_gb18030(settings, files):
    data = BIG5_TEXT.encode("big5")
    text, warnings = decode_text(data, "x.txt")
    assert text == BIG5_TEXT and any("Big5" in w for w in warnings)
    path = files / "big5.txt"
    path.write_bytes(data)
    result = add_file(path, settings)
    assert result.document.title == "臺灣示範水源保護辦法" and result.document.kind == "regulation"
    stored = (settings.added_dir / result.document.stored_as).read_text(encoding="utf-8")
    assert stored == BIG5_TEXT  # exactly the official's text, no mojibake


def test_shift_jis_japanese_is_refused_with_its_encoding(settings, files):
    path = files / "sjis.txt"
    path.write_bytes(JAPANESE_TEXT.encode("shift_jis"))
    before = untouched(settings)
    with pytest.raises(DocumentError, match="Shift-JIS"):
        add_file(path, settings)
    assert untouched(settings) == before


def test_gbk_still_read_and_low_confidence_warns():
    text, warnings = decode_text(REGULATION.encode("gbk"), "r.txt")
    assert text == REGULATION and warnings == []
    short, warnings = decode_text("运维台账".encode("gbk"), "s.txt")
    assert short == "运维台账" and any("not certain" in w for w in warnings)


def test_undecidable_bytes_are_refused_not_stored(settings, files):
    path = files / "mixed.txt"  # half Big5, half Shift-JIS: no single encoding reads it
    path.write_bytes(BIG5_TEXT.encode("big5") + JAPANESE_TEXT.encode("shift_jis"))
    before = untouched(settings)
    with pytest.raises(DocumentError):
        add_file(path, settings)
    assert untouched(settings) == before


# ---------------------------------------------------------------------------------- titles


def doc(title: str, aliases=()) -> AddedDocument:
    return AddedDocument(title, "f.txt", "h", "2026-01-01", "regulation", "h.txt", list(aliases), [])


def test_a_one_word_title_is_not_a_substring_match():
    sewage = doc("污水")
    question = "农村生活污水治理由哪个部门牵头？"
    assert sewage.mentioned_in(question) is None
    assert document_named_in(question, [sewage]) is None
    assert sewage.mentioned_in("《污水》第三条怎么规定？") == "《污水》"


def test_real_title_matches():
    rules = doc("昌吉州农村生活污水处理设施运行维护管理办法（试行）")
    assert title_evidence("运行维护管理办法第二条是怎么规定的？", rules.title) == "运行维护管理办法第二条"
    assert rules.mentioned_in("《昌吉州农村生活污水处理设施运行维护管理办法（试行）》的巡查要求") is not None
    assert rules.mentioned_in("农村生活污水处理设施运行维护管理办法对台账有什么要求") == "农村生活污水处理设施运行维护管理办法"
    assert rules.mentioned_in("运维台账保存期限是多少年？") is None
    assert rules.mentioned_in("管理办法第二条") is None  # the document type alone names nothing


def test_title_hijack_through_the_loaded_corpus(settings, files):
    """A document titled 污水 is in the corpus; a plan question about sewage does not name it."""
    path = files / "sewage.txt"
    path.write_text("污水\n本文说的是另外一件事：城市排水管网的年度检修安排。\n检修由各县市自行安排。", encoding="utf-8")
    add_file(path, settings, title="污水")
    corpus = load_corpus(settings)
    assert [d.title for d in corpus.documents] == ["污水"]
    assert corpus.document_in("农村生活污水治理由哪个部门牵头？") is None
    assert corpus.document_in("《污水》说了什么？").title == "污水"


# --------------------------------------------------------------------------- transactions


def test_failed_reindex_rolls_the_add_back(settings, files, monkeypatch):
    add_file(write_plan_docx(files), settings)
    before = snapshot(settings.added_dir)
    from assistant.documents import store

    def interrupted(settings, progress):
        raise KeyboardInterrupt("killed mid-index")

    monkeypatch.setattr(store, "_reindex", interrupted)
    with pytest.raises(KeyboardInterrupt):
        add_and_reindex([write_gbk_regulation(files)], settings)
    assert snapshot(settings.added_dir) == before


def test_a_crash_mid_add_is_rolled_back_at_the_next_load(settings, files):
    add_file(write_plan_docx(files), settings)
    before = snapshot(settings.added_dir)
    script = ("import os, sys; from pathlib import Path; from dataclasses import replace\n"
              "from assistant.config import Settings; from assistant.documents import store\n"
              "store._reindex = lambda s, p: os._exit(9)  # the process dies after the manifest was written\n"
              f"s = replace(Settings(), added_dir=Path({str(settings.added_dir)!r}), index_dir=Path({str(settings.index_dir)!r}))\n"
              f"store.add_and_reindex([Path({str(write_gbk_regulation(files))!r})], s)\n")
    child = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert child.returncode == 9, child.stderr
    assert (settings.added_dir / JOURNAL).exists() and len(read_manifest(settings)) == 2  # half-done on disk
    documents, _, _ = load_added(settings)  # the next start
    assert [d.kind for d in documents] == ["plan"]
    assert snapshot(settings.added_dir) == before


# ----------------------------------------------------------------------------- concurrency


def _three_regulations(files: Path) -> list[Path]:
    paths = []
    for n in range(3):
        text = REGULATION.replace("示范地下水保护条例", f"示范{'甲乙丙'[n]}县地下水保护条例").replace("每五年", f"每{n + 2}年")
        path = files / f"reg{n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _assert_all_present_and_indexed(settings: Settings, expected: int) -> None:
    titles = {d.title for d in read_manifest(settings)}
    assert titles == {f"示范{c}县地下水保护条例" for c in "甲乙丙"[:expected]}
    corpus = load_corpus(settings)
    assert check_index(settings, corpus, None).fresh  # the index holds every added document


@pytest.mark.slow
def test_concurrent_adds_from_processes_lose_nothing(settings, files):
    env = os.environ | {"ASSISTANT_ADDED_DIR": str(settings.added_dir), "ASSISTANT_INDEX_DIR": str(settings.index_dir),
                        "ASSISTANT_EMBEDDING": settings.embedding, "PYTHONPATH": str(REPO)}
    env.pop("ASSISTANT_CHROMA_HOST", None)
    children = [subprocess.Popen([sys.executable, "-m", "assistant", "add", str(p)], cwd=REPO, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for p in _three_regulations(files)]
    outputs = [c.communicate(timeout=900) for c in children]
    assert [c.returncode for c in children] == [0, 0, 0], [e[-500:] for _, e in outputs]
    assert all("已添加" in out for out, _ in outputs)
    _assert_all_present_and_indexed(settings, 3)


@pytest.mark.slow
def test_concurrent_adds_from_app_sessions_lose_nothing(settings, files):
    """Two or more Streamlit sessions are threads of one process calling add_and_reindex, as app.py does."""
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def session(path: Path) -> None:
        try:
            start.wait()
            add_and_reindex([path], settings)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(p,)) for p in _three_regulations(files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=900)
    assert not errors, errors
    _assert_all_present_and_indexed(settings, 3)


# ----------------------------------------------------------- through the real index (BM25)


OPERATION_TITLE = "昌吉州农村生活污水处理设施运行维护管理办法（试行）"
OPERATION = f"""{OPERATION_TITLE}
第一条　为加强农村生活污水处理设施运行维护管理，制定本办法。
第二条　本办法适用于本州行政区域内已建成的农村生活污水处理设施。
第三条　运维单位应当每月至少巡查一次，建立运行维护台账，台账保存期限不少于三年。
第四条　本办法自印发之日起施行。
"""


@pytest.mark.slow
def test_added_regulation_is_found_by_article_form_and_search(settings, files):
    from assistant.retrieve import open_index

    path = files / "operation.txt"
    path.write_text(OPERATION, encoding="utf-8")
    sewage = files / "sewage.txt"
    sewage.write_text("污水\n第一条　本文说的是城市排水管网的年度检修。\n第二条　检修由各县市自行安排。", encoding="utf-8")
    add_and_reindex([path], settings)
    outcome = add_and_reindex([sewage], settings, title="污水")
    assert outcome.report is not None and not outcome.report.skipped
    index = open_index(settings, build_if_missing=False)
    hit = index.lookup_article("运行维护管理办法第二条是怎么规定的？")
    assert hit.clause.source == OPERATION_TITLE and hit.clause.article == "第二条"
    assert index.lookup_article("土壤污染防治法第59条").clause.clause_id == "土壤污染防治法#59"
    top = index.search("运维台账保存期限是多少年", k=3)
    assert top[0].clause.source == OPERATION_TITLE and "三年" in top[0].clause.text
    assert index.corpus.document_in("农村生活污水处理设施由谁负责运维？") is None  # neither 污水 nor a generic phrase


@pytest.mark.slow
def test_added_regulation_answers_what_only_it_says(settings, files):
    """Through the answer engine: what only the added document says is cited to its article, by number or
    by topic, while the plan's own questions stay with the plan."""
    from assistant.answer import AnswerEngine
    from assistant.corpus import reset_cache

    path = files / "operation.txt"
    path.write_text(OPERATION, encoding="utf-8")
    add_and_reindex([path], settings)
    reset_cache()
    engine = AnswerEngine.open(settings)
    kept = engine.ask("运维台账保存期限是多少年？")
    assert not kept.abstained and "三年" in kept.text
    assert kept.citations[0].clause.source == OPERATION_TITLE and kept.citations[0].clause.article == "第三条"
    patrol = engine.ask("运维单位多久巡查一次？")
    assert patrol.citations[0].clause.source == OPERATION_TITLE and "每月至少巡查一次" in patrol.text
    by_number = engine.ask("运行维护管理办法第二条是怎么规定的？")
    assert by_number.citations[0].clause.source == OPERATION_TITLE and by_number.citations[0].clause.article == "第二条"
    plan = engine.ask("农村生活污水治理由哪个部门牵头？")
    assert plan.citations[0].clause.kind == "plan" and "牵头" in plan.text
    reset_cache()
