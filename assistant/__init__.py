"""Planning assistant for the Changji soil, groundwater and rural environment 14th-FYP plan.

Data flows one way:
    corpus (plan.py, laws.py, documents/) -> clauses.Clause
    -> facts.py (responsibilities, targets, deadlines, cited documents)
    -> index.py / embeddings.py / dense.py (BM25 + Chroma, self-checking) -> retrieve.py (hybrid RRF retriever)
    -> intent.py + answer.py (extractive, cited answers) -> cli.py / app.py
"""

__version__ = "0.1.0"
