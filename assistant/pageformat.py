"""Pure formatting helpers for the page: escaping, the highlighted quote, notices, times.

No Streamlit here, so each helper is tested on its own. Everything taken from a source file
or typed by a user is escaped before it goes into HTML; the only tags produced are the
page's own (``<mark>``, ``<span class="editorial">``, ``<br>``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from assistant.editorial import CLI_LEGEND, Repairs

RELATED_HEADING = "可能相关（不是引文）"

# One pass, character by character: HTML specials become entities, and so does every character
# Markdown (or Streamlit's extensions: :emoji:, :red[...], $math$) could give a meaning to.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ENTITIES.update({ch: f"&#{ord(ch)};" for ch in "\\`*_[]{}#|~$:!^="})
_ESCAPE = str.maketrans(_ENTITIES)
_MD_PUNCT = re.compile(r"([\\`*_\[\]{}()#+\-.!|~$:<>&^=\"'])")


def esc(text: object) -> str:
    """``text`` as inert HTML: every special character an entity, line breaks as <br>."""
    out = str(text).translate(_ESCAPE)  # one C-level pass (a clause tab page escapes 40 clauses per run)
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def md_escape(text: object) -> str:
    """``text`` for a Markdown element (st.markdown, st.warning, st.caption): punctuation backslash-escaped."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return "  \n".join(_MD_PUNCT.sub(r"\\\1", line) for line in lines)


def html_block(inner: str, cls: str = "") -> str:
    """One HTML block on one line, so Markdown never parses what is inside it."""
    return f'<div class="{cls}">{inner}</div>' if cls else f"<div>{inner}</div>"


def editorial_span(text: str, note: str) -> str:
    return f'<span class="editorial" title="{esc("编者补正：" + note + "（不是原文）")}">{esc(text)}</span>'


def highlighted(text: str, quote_text: str, repairs: Repairs | None = None) -> str:
    """The full clause text, escaped, the quoted span inside <mark>, editorial insertions marked.

    The quote is located in the source text (``Clause.text``); insertions are placed between
    source characters, so the highlighted span is still exactly the source's words.
    """
    start = text.find(quote_text) if quote_text else -1
    end = start + len(quote_text) if start >= 0 else -1
    inserts: dict[int, list[str]] = {}
    for at, repair in (repairs.insertions(text) if repairs else []):
        inserts.setdefault(at, []).append(editorial_span(repair.insert, repair.note))
    cuts = sorted({0, len(text), *inserts, *([start, end] if start >= 0 else [])})
    out = []
    for i, at in enumerate(cuts):
        if at == end:
            out.append("</mark>")
        out += inserts.get(at, [])
        if at == start:
            out.append("<mark>")
        if i + 1 < len(cuts):
            out.append(esc(text[at:cuts[i + 1]]))
    return "".join(out)


def with_markers(answer_text: str) -> str:
    """The answer text, escaped, its [n] citation markers set in bold."""
    return re.sub(r"&#91;(\d+)&#93;", r"<b>&#91;\1&#93;</b>", esc(answer_text))


def markdown_answer(answer_text: str) -> str:
    """The answer for st.markdown: escaped, [n] markers in bold, the 理解为 line as a caption-like italic."""
    lines = []
    for line in answer_text.splitlines():
        escaped = md_escape(line)
        escaped = re.sub(r"\\\[(\d+)\\\]", r"**\\[\1\\]**", escaped)
        lines.append(escaped)
    return "  \n".join(lines)


def anchor_id(clause_id: str) -> str:
    return "clause-" + re.sub(r"[^\w-]", "-", clause_id)


def clause_url(clause_id: str) -> str:
    return f"?clause={quote(clause_id, safe='')}"


def clause_link(clause_id: str, label: str = "在条款中查看 ↗") -> str:
    """A link that opens the 条款 tab on this clause (in a new browser tab, so the chat stays)."""
    return f'<a class="clause-link" href="{clause_url(clause_id)}" target="_blank">{esc(label)}</a>'


def where(item: dict) -> str:
    """Article number for a law or document article, else the section path."""
    return item.get("article") or item.get("section") or ""


def citation_heading(c: dict) -> str:
    parts = [f"[{c['n']}] {c['clause_id']}", c["source"], where(c)]
    return " · ".join(p for p in parts if p)


def repeal_notice(law) -> str:
    """The status of a repealed law in correct Chinese: 废止 for the old law, 施行 for the new one.

    《土壤污染防治法》已被《生态环境法典》废止；《生态环境法典》自2026-08-15起施行。
    """
    if law is None or not getattr(law, "repealed_by", None):
        return ""
    from assistant.clauses import short_law_name

    old, new = short_law_name(law.name), short_law_name(law.repealed_by)
    when = f"自{law.repealed_from}起施行" if law.repealed_from else "已施行"
    return f"《{old}》已被《{new}》废止；《{new}》{when}。"


def law_status_text(law) -> str:
    """For the sidebar: 已废止（被《生态环境法典》废止，自2026-08-15起失效） or 现行有效."""
    if law is None:
        return ""
    if law.repealed_by:
        from assistant.clauses import short_law_name

        since = f"，自{law.repealed_from}起失效" if law.repealed_from else ""
        return f"已废止（被《{short_law_name(law.repealed_by)}》废止{since}）"
    return law.status


def citation_notice(c: dict, corpus) -> str:
    """The notice on a citation card: for a law, from the law's data (never the engine's wording)."""
    law = corpus.law(c["source"]) if corpus is not None else None
    if law is not None and law.repealed_by:
        return repeal_notice(law)
    return c.get("notice") or ""


def elapsed_ms(seconds: float | None) -> str:
    """用时 12 毫秒 (never 用时 0.00 秒)."""
    if seconds is None:
        return ""
    ms = seconds * 1000
    if ms < 1:
        return "用时不到 1 毫秒"
    return f"用时 {ms:,.0f} 毫秒" if ms < 10_000 else f"用时 {seconds:.1f} 秒"


def answer_as_text(data: dict, repairs: Repairs | None = None, corpus=None) -> str:
    """The answer with its citations as plain text (what the .txt download gives)."""
    show = repairs.for_cli if repairs else (lambda t: t)
    lines = [f"问题：{data.get('question', '')}", "", data["answer"], ""]
    repaired = False
    for c in data.get("citations", []):
        role = f"（{c['role']}）" if c.get("role") and c["role"] != "依据" else ""
        lines.append(f"[{c['n']}] {c['clause_id']} · {c['label']}{role}")
        lines.append(f"    引文：“{c['quote']}”")
        notice = citation_notice(c, corpus) if corpus is not None else c.get("notice")
        if notice:
            lines.append(f"    注意：{notice}")
        full = show(c["text"])
        repaired = repaired or full != c["text"]
        lines.append("    条款全文：" + full.replace("\n", "\n    "))
        lines.append("")
    if data.get("related"):
        lines.append(f"{RELATED_HEADING}：")
        lines += [f"  - {r['clause_id']} · {r['label']}：{show(r['text'])[:80]}…" for r in data["related"]]
    if repaired:
        lines += ["", CLI_LEGEND]
    return "\n".join(lines).rstrip() + "\n"
