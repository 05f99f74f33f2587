"""Is a document the plan cites in the corpus? The registry says, citing where the plan names it."""

from __future__ import annotations

from assistant.answer.handlers import handler
from assistant.answer.model import Draft
from assistant.answer.understand import cited_document as find_cited


@handler("cited_document")
def cited_document(engine, intent) -> Draft:
    doc = find_cited(intent.text, engine.corpus)
    if doc is None:
        return engine.abstain(intent, "规划没有引用这份文件。")
    draft = Draft(intent.kind)
    by_id = engine.corpus.by_id
    marks = "".join(f"[{draft.cite(by_id[cid], '《' + doc.title + '》' if '《' + doc.title + '》' in by_id[cid].text else doc.title)}]"
                    for cid in doc.cited_in[: engine.index.settings.max_citations])
    where = "、".join(doc.cited_in)
    if doc.in_corpus:
        status = f"其文本已在语料中（{doc.corpus_source}），可以按条引用。" + (f"注意：{doc.note}。" if doc.note else "")
    else:
        status = f"其文本不在语料中（{doc.note or '未收录'}）；有原文的可用 `python -m assistant add 文件 --title 《{doc.title}》` 或应用侧栏添加。"
    draft.text = f"规划在 {where} 引用了《{doc.title}》{marks}；{status}"
    draft.support = 1.0
    return draft
