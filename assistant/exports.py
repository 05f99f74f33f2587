"""Officials' formats: an answer with its citations, and the browse tables, as .xlsx and .docx.

Pure functions from plain data (``Answer.to_json()``, lists of row dicts) to bytes, so the
page, the command line and the tests share them. Editorial repairs are shown marked (〔〕)
with a legend, the same as on the command line; quotes stay the source text.
"""

from __future__ import annotations

import io
from typing import Sequence

from assistant.editorial import CLI_LEGEND, Repairs

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CITATION_COLUMNS = ["序号", "条款编号", "出处", "角色", "引文", "注意", "条款全文"]


def citation_rows(answer: dict, repairs: Repairs | None = None) -> list[dict]:
    show = repairs.for_cli if repairs else (lambda t: t)
    return [{"序号": c["n"], "条款编号": c["clause_id"], "出处": c["label"], "角色": c.get("role") or "依据",
             "引文": c["quote"], "注意": c.get("notice") or "", "条款全文": show(c["text"])}
            for c in answer.get("citations", [])]


def _any_repaired(answer: dict, repairs: Repairs | None) -> bool:
    return bool(repairs) and any(repairs.repaired(c["text"]) for c in answer.get("citations", []))


def answer_xlsx(answer: dict, repairs: Repairs | None = None) -> bytes:
    """Sheet 回答 (question, answer, status) and sheet 引文 (one row per citation)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "回答"
    sheet.append(["问题", answer.get("question", "")])
    sheet.append(["回答", answer.get("answer", "")])
    sheet.append(["状态", "未找到答案" if answer.get("abstained") else "已回答（见“引文”表）"])
    if _any_repaired(answer, repairs):
        sheet.append(["说明", CLI_LEGEND])
    for row in sheet.iter_rows():
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 100
    _table_sheet(book.create_sheet("引文"), citation_rows(answer, repairs), CITATION_COLUMNS)
    return _save(book)


def table_xlsx(rows: Sequence[dict], sheet_name: str, columns: Sequence[str] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    _table_sheet(book.active, rows, columns or (list(rows[0]) if rows else []), title=sheet_name)
    return _save(book)


def _table_sheet(sheet, rows: Sequence[dict], columns: Sequence[str], title: str | None = None) -> None:
    from openpyxl.styles import Alignment, Font

    if title:
        sheet.title = title[:31]  # Excel's limit
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row.get(c)) for c in columns])
    for i, column in enumerate(columns, start=1):
        longest = max([len(str(column))] + [len(str(r.get(column) or "")) for r in rows])
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, max(8, longest * 1.6))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    return value


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def answer_docx(answer: dict, repairs: Repairs | None = None) -> bytes:
    """A Word document: the question, the answer, then each citation with its quote and full text."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading("问答助手回答", level=1)
    doc.add_paragraph().add_run("问题：").bold = True
    doc.paragraphs[-1].add_run(answer.get("question", ""))
    doc.add_paragraph().add_run("回答：").bold = True
    for line in (answer.get("answer") or "").splitlines():
        doc.add_paragraph(line)
    if answer.get("citations"):
        doc.add_heading("引文", level=2)
    for row in citation_rows(answer, repairs):
        head = doc.add_paragraph()
        head.add_run(f"[{row['序号']}] {row['条款编号']} · {row['出处']}").bold = True
        if row["角色"] != "依据":
            head.add_run(f"（{row['角色']}）")
        doc.add_paragraph(f"引文：“{row['引文']}”")
        if row["注意"]:
            doc.add_paragraph(f"注意：{row['注意']}")
        full = doc.add_paragraph(f"条款全文：{row['条款全文']}")
        for run in full.runs:
            run.font.size = Pt(9)
    if _any_repaired(answer, repairs):
        doc.add_paragraph(CLI_LEGEND)
    return _save_docx(doc)


def table_docx(rows: Sequence[dict], title: str, columns: Sequence[str] | None = None) -> bytes:
    from docx import Document

    columns = list(columns or (list(rows[0]) if rows else []))
    doc = Document()
    doc.add_heading(title, level=1)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, columns):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, name in zip(cells, columns):
            cell.text = str(_cell(row.get(name)))
    return _save_docx(doc)


def _save_docx(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
