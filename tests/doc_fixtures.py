"""Real input files for the added-document tests, built from scratch in a temp folder.

The texts are written for these tests (not real regulations). The PDF is assembled by
hand: one standard Type1 font (Helvetica) needs no embedding, so the text is ASCII;
Chinese would need a CID font with a CMap, which this generator does not attempt.
"""

from __future__ import annotations

from pathlib import Path

import docx

REGULATION_TITLE = "示范地下水保护条例"
REGULATION = f"""{REGULATION_TITLE}
（2030年1月1日示范州人民政府令第1号公布）
目录
第一章　总则
第二章　调查与监测
第一章　总则
第一条　为了测试地下水保护条款的拆分，制定本条例。
第二条　本条例适用于示范州行政区域内的地下水保护。
示范州所属各县市按照本条例执行。
第二章　调查与监测
第一节　调查
第十二条　州生态环境局每五年组织一次地下水污染状况调查。
第13条　调查结果向社会公开。
第二节　监测
第十四条　监测井的建设标准执行GB/T 14848-2017。
"""

PLAN_TITLE = "示范州地下水污染防治工作方案"
PLAN_LINES = [
    PLAN_TITLE,
    "为落实地下水污染防治要求，制定本方案。",
    "一、总体要求",
    "到2025年，地下水质量极差比例控制在10%以内。",
    "二、重点任务",
    "（一）加强污染源头预防",
    "开展化工园区地下水环境状况调查，建立风险清单。(州生态环境局牵头,州水利局等参与)",
    "2025年底前完成加油站防渗改造。(州应急管理局负责)",
    "1.严格防控化工园区污染。全面排查园区企业防渗设施，建立问题清单并限期整改。(州工信局牵头,州生态环境局参与)",
    "（二）强化监测能力",
    "完善地下水环境监测网络。(州水利局牵头,州自然资源局、州生态环境局等参与)",
    "三、保障措施",
    "各部门按职责分工抓好落实。",
]
PLAN_TABLE = [["指标", "2020年", "2025年"], ["监测点位数", "12", "20"]]

PDF_TITLE = "Groundwater Pilot Notice"
PDF_LINES = [
    PDF_TITLE,
    "All county offices shall report well data by June.",
    "The monitoring network covers twelve sites and is",
    "extended to twenty sites by the end of the pilot.",
    "- 1 -",
]


def write_gbk_regulation(folder: Path, name: str = "regulation.txt") -> Path:
    path = folder / name
    path.write_bytes(REGULATION.encode("gbk"))
    return path


def write_plan_docx(folder: Path, name: str = "plan.docx", lines=PLAN_LINES, table=PLAN_TABLE) -> Path:
    document = docx.Document()
    for i, line in enumerate(lines):
        document.add_paragraph(line)
        if table and line.startswith("（二）"):  # a table in the middle, to check reading order
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    grid.cell(r, c).text = value
    path = folder / name
    document.save(path)
    return path


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A valid PDF 1.4 file; each page shows its lines in Helvetica (an empty list = no text)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [3 + 2 * i for i in range(n_pages)]
    font_id = 3 + 2 * n_pages
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        content_id = page_ids[i] + 1
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>".encode())
        ops = ["BT", "/F1 12 Tf", "16 TL", "72 720 Td"]
        for line in lines:
            ops += [f"{_pdf_string(line)} Tj", "T*"]
        ops.append("ET")
        stream = ("\n".join(ops) + "\n").encode("latin-1") if lines else b""
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_pdf(folder: Path, name: str, pages: list[list[str]]) -> Path:
    path = folder / name
    path.write_bytes(pdf_bytes(pages))
    return path


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file under ``folder`` with its bytes (None when the folder does not exist)."""
    if not folder.exists():
        return None
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
