"""Every threshold of the answer layer in one object, so calibration is one diff and one report.

Values were set by measuring on the team's question bank (``benchmarks/questions/bank.jsonl``),
never on the blind slices; ``to_dict`` is printed by the benchmarks next to their figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class AnswerPolicy:
    # understanding: how much a handler's kind of answer fits the question
    fit_primary: float = 0.9  # the kind the question's wording asks for
    fit_alternative: float = 0.6  # another kind whose cue words also occur
    fit_evidence: float = 0.5  # the retrieval floor: best evidence sentences, cited
    # choosing
    min_answer_score: float = 0.16  # below this (fit * support) nothing is said as an answer
    min_floor_support: float = 0.45  # the floor answers only when its sentence covers this much of the question
    min_absence: float = 0.5  # evidence of absence at least this sure wins over a weak answer
    # evidence matching
    min_fact_coverage: float = 0.30  # share of the question's bigrams the best clause must contain
    min_deadline_coverage: float = 0.25
    min_target_score: float = 0.55  # 0.3 * indicator->question + 0.7 * question->target coverage
    min_year_target_score: float = 0.3  # "what does the plan say for 2035 about X": a looser match will do
    min_term_coverage: float = 0.75  # share of a defined term's bigrams the question must contain
    min_measured_share: float = 0.5  # "农药用了多少吨": share of what is measured said beside the figure
    min_money_coverage: float = 0.3  # a sentence with an amount in 元 answers a budget ask when it covers this much
    min_frequency_coverage: float = 0.25  # the same for a sentence stating a frequency (每季度) and "how often"
    rank_bonus: float = 0.15  # weight of the retriever's rank when reranking by sentence
    # a result asked without a date (查出多少个问题) is the 十三五 review's when its paragraph covers this much
    min_review_support: float = 0.5
    history_bonus: float = 0.2  # a question about 十三五 results prefers the background chapter
    title_bonus: float = 0.1  # weight of a task title's coverage of the question, when choosing the task asked
    # extra evidence appended after the answer (相关原文), so citations never trail plain retrieval
    related_citations: int = 2
    min_related_support: float = 0.5
    max_list: int = 30
    # a law article up to this long is quoted whole: its later sentences (已经建成的，应当限期关闭拆除; the list of
    # duties) are part of what it rules, and officials read the article, not one sentence of it
    article_whole_chars: int = 400
    # dense retrieval weight for English questions (Chinese ones use Settings.dense_weight, by scope):
    # BM25 cannot match English words against Chinese text, so the dense ranking carries them
    dense_weight_en: float = 1.0

    def to_dict(self) -> dict:
        return asdict(self)
