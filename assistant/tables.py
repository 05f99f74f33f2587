"""The browse tables (责任分工, 指标目标, 时限) as rows of plain dicts, with their column order.

One definition shared by the page (shown, downloaded as CSV/.xlsx/.docx) and the tests, so a
table is never built twice in two slightly different ways.
"""

from __future__ import annotations

RESPONSIBILITY_COLUMNS = ["条款", "任务", "牵头/负责", "参与", "关系", "责任注释原文", "注释所在条款", "标记"]
TARGET_COLUMNS = ["类别", "指标", "基期（2020年）", "目标年份", "目标", "属性", "来源", "条款"]
TEXT_TARGET_COLUMNS = ["条款", "年份", "指标", "目标", "原文"]
DEADLINE_COLUMNS = ["条款", "时间", "内容"]


def _joined(items) -> str:
    return "、".join(items or [])


def responsibility_rows(facts, bureau: str | None = None) -> list[dict]:
    """One row per task paragraph; ``bureau`` keeps the tasks it leads, joins or implements."""
    rows = [r for r in facts.responsibilities
            if bureau is None or bureau in r.leads or bureau in r.participants or bureau in (r.implementers or [])]
    return [{"条款": r.clause_id, "任务": r.title, "牵头/负责": _joined(r.leads), "参与": _joined(r.participants),
             "关系": r.relation, "责任注释原文": r.note, "注释所在条款": r.inherited_from or "", "标记": "；".join(r.flags)}
            for r in rows]


def target_rows(facts) -> list[dict]:
    """The indicator table (2025)."""
    return [{"类别": t.category or "", "指标": t.indicator, "基期（2020年）": t.baseline or "", "目标年份": t.year or 2025,
             "目标": t.target, "属性": t.kind or "", "来源": t.source_doc or "", "条款": t.clause_id}
            for t in facts.targets if t.origin == "table"]


def text_target_rows(facts) -> list[dict]:
    return [{"条款": t.clause_id, "年份": t.year, "指标": t.indicator, "目标": t.target, "原文": t.sentence}
            for t in facts.targets if t.origin != "table"]


def deadline_rows(facts) -> list[dict]:
    return [{"条款": d.clause_id, "时间": d.when, "内容": d.what} for d in facts.deadlines]
