"""Chinese patterns the documents package reads documents and titles with (to be folded into zh.py).

Kept as data in one place so extract, parse and titles agree on what an article, a
heading, a standard code or a document-type word looks like.
"""

from __future__ import annotations

import re

NUM = r"(?:[零〇一二两三四五六七八九十百千]+|\d+)"
# 條/編/節: traditional-character (Big5) regulations use the same structure
ARTICLE = re.compile(rf"^第\s*({NUM})\s*[条條](之[一二三四五六七八九十]+)?[\s:：]*")
ARTICLE_ANYWHERE = re.compile(rf"第\s*({NUM}|[０-９]+)\s*[条條]")
DIVISION = re.compile(rf"^(第\s*{NUM}\s*([编章节編節]))[\s:：]*(.*)$")
TRADITIONAL_LEVEL = {"編": "编", "節": "节"}
HEADINGS = [  # rank, marker; a lower rank is an outer heading
    (0, re.compile(r"^[一二三四五六七八九十]+[、.．]")),
    (1, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (2, re.compile(r"^\d{1,3}[、.．](?!\d)")),
    (3, re.compile(r"^[（(]\d{1,3}[）)]")),
]
CODE = re.compile(r"(?<![A-Za-z])((?:GB|HJ|DB\d{2}|CJJ|CJ|NY|SL|HG|GBZ)(?:/[TZ])?)\s*(\d{1,6}(?:\.\d+)?)\s*[-—–－]\s*(\d{4})")
SENTENCE_END = "。！？；;!?"
PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*\d+\s*页|\d{1,4})(?:\s*/\s*\d+)?[-—–\s]*$")
LEAD_NOTE = re.compile(r"[（(][^()（）]*(牵头|负责|参与)[^()（）]*[)）]$")
BRACKETED_TITLE = re.compile(r"《([^《》]{1,120})》")

# The kind of document a title names; the words before it are what distinguishes the title.
DOC_TYPE_WORDS = ("实施细则", "实施办法", "实施方案", "工作方案", "管理办法", "管理规定", "暂行办法", "暂行规定",
                  "办法", "条例", "规定", "细则", "规则", "方案", "规划", "计划", "通知", "意见", "决定", "标准",
                  "规范", "指南", "纲要", "制度", "守则", "公告", "通告")
# Trailing qualifiers that do not identify a document: （试行）, （暂行）, （2023年修订）.
TITLE_QUALIFIER = re.compile(r"[（(][^（）()]{0,12}[)）]$")
# Leading words shared by many titles: the issuing place or 关于.
PLACE_PREFIX = re.compile(r"^(?:关于)?(?:[\u4e00-\u9fff]{1,6}?(?:省|自治区|自治州|市|州|县))?(?:人民政府)?(?:关于)?")
