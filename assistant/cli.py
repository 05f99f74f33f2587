"""Command line: ``python -m assistant corpus|facts|build|ask|eval|add|remove``.

Every command calls the same functions as the Streamlit app; errors in the sources or the
index end with a one-line message and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from assistant.clauses import CorpusError
from assistant.config import Settings


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1))


def cmd_corpus(args, settings: Settings) -> int:
    from assistant.corpus import load_corpus

    corpus = load_corpus(settings)
    if args.json:
        _print_json([{k: c.to_json()[k] for k in ("clause_id", "source", "article", "section", "title", "text")}
                     for c in corpus.clauses])
        return 0
    print(f"{len(corpus.clauses)} clauses")
    for source, n in corpus.counts().items():
        law = corpus.law(source)
        status = ""
        if law:
            status = f" [已被《{law.repealed_by}》废止，自{law.repealed_from}起]" if law.repealed_by else f" [{law.status}]"
        print(f"  {n:5d}  {source}{status}")
    if corpus.missing_laws:
        print("Not in the law file: " + "、".join(corpus.missing_laws))
    return 0


def cmd_facts(args, settings: Settings) -> int:
    from assistant.corpus import load_corpus

    facts = load_corpus(settings).facts
    if args.json:
        _print_json(facts.to_json())
        return 0
    relations = Counter(r.relation for r in facts.responsibilities)
    print(f"Responsibilities: {len(facts.responsibilities)} task paragraphs "
          f"({', '.join(f'{k} {v}' for k, v in relations.items())}); "
          f"{sum(1 for r in facts.responsibilities if r.inherited_from)} inherit the note of a later paragraph; "
          f"{sum(1 for r in facts.responsibilities if r.flags and not r.inherited_from)} flagged")
    for rule in facts.standing_rules:
        print(f"  standing rule ({rule.clause_id}): {'、'.join(rule.implementers)} 负责落实 all tasks that follow")
    table = [t for t in facts.targets if t.origin == "table"]
    print(f"Targets: {len(table)} indicator-table rows, {len(facts.targets) - len(table)} stated in the text; "
          f"{len(facts.footnotes)} footnotes")
    print(f"Deadlines: {len(facts.deadlines)}")
    docs = facts.cited_docs
    print(f"Cited documents: {len(docs)}, {sum(d.in_corpus for d in docs)} with their text in the corpus")
    for d in docs:
        print(f"  {'✓' if d.in_corpus else '–'} {d.title}  ({d.kind}; {', '.join(d.cited_in)}) {d.note}")
    return 0


def _progress_bar():
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="clause", file=sys.stderr, leave=False)
        bar.n = done
        bar.refresh()

    return update


def cmd_build(args, settings: Settings) -> int:
    from assistant.corpus import load_corpus
    from assistant.index import build_index

    corpus = load_corpus(settings)
    report = build_index(settings, corpus, force=args.force, progress=_progress_bar())
    print(report.summary())
    if report.model_id is None:  # issue 13: say why there are no dense vectors
        from assistant.embeddings import EmbeddingUnavailable, make_embeddings

        try:
            make_embeddings(settings)
        except EmbeddingUnavailable as exc:
            print(f"Notice: {exc}", file=sys.stderr)
    return 0


def _answer_engine(settings: Settings):
    from assistant.answer import AnswerEngine

    return AnswerEngine.open(settings, notice=lambda m: print(m, file=sys.stderr), progress=_progress_bar())


def cmd_ask(args, settings: Settings) -> int:
    engine = _answer_engine(settings)
    if args.batch:
        if not args.out:
            print("--batch needs --out OUT.jsonl", file=sys.stderr)
            return 2
        return _ask_batch(engine, Path(args.batch), Path(args.out))
    question = " ".join(args.question)
    answer = engine.ask(question)
    if args.json:
        _print_json(answer.to_json())
    else:
        print(_marked(answer.render_text(), settings))
    return 0


def _ask_batch(engine, src: Path, out: Path) -> int:
    try:
        lines = src.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"Cannot read {src}: {exc}", file=sys.stderr)
        return 2
    tmp = out.with_suffix(out.suffix + ".tmp")
    conversations: dict[str, object] = {}  # issue 11: lines sharing a "conversation" id are one conversation
    with tmp.open("w", encoding="utf-8") as handle:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                question, qid = item["question"], item.get("id")
            except (ValueError, KeyError, TypeError):
                print(f"{src}:{number}: not a JSON object with a \"question\"; skipped", file=sys.stderr)
                continue
            if not isinstance(question, str) or not question.strip():
                error = f"\"question\" must be a non-empty string, not {json.dumps(question, ensure_ascii=False)}"
                print(f"{src}:{number}: {error}; recorded as an error", file=sys.stderr)
                handle.write(json.dumps({"id": qid, "question": question, "answer": "", "abstained": True,
                                         "citations": [], "error": error}, ensure_ascii=False) + "\n")
                continue
            try:
                record = {"id": qid} | _ask_in_conversation(engine, conversations, item, question)
            except Exception as exc:  # noqa: BLE001 - one bad question must not lose the rest of the batch
                print(f"{src}:{number}: could not answer ({exc})", file=sys.stderr)
                record = {"id": qid, "question": question, "answer": f"无法回答：{exc}", "abstained": True,
                          "citations": [], "error": str(exc)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(out)
    print(f"Wrote {out}", file=sys.stderr)
    return 0


def _ask_in_conversation(engine, conversations: dict, item: dict, question) -> dict:
    """issue 11: a line with "conversation" is read against the earlier lines of that conversation."""
    conversation_id = item.get("conversation")
    if conversation_id is None:
        return engine.ask(question).to_json()
    from assistant.conversation import Conversation

    conversation = conversations.setdefault(str(conversation_id), Conversation(engine))
    answer, reading = conversation.ask(question if isinstance(question, str) else str(question))
    return {"conversation": conversation_id, "turn": len(conversation.turns)} | answer.to_json() | {
        "standalone": reading.standalone, "understood": reading.understood}


def cmd_eval(args, settings: Settings) -> int:
    from assistant.evaluate import evaluate_file

    from assistant.conversation_eval import is_conversation_file

    if is_conversation_file(Path(args.file)):  # issue 11: multi-turn golden conversations
        return _eval_conversations(args, settings)
    engine = _answer_engine(settings)
    report = evaluate_file(Path(args.file), engine)
    if args.json:
        _print_json(report.to_json())
    else:
        print(report.render())
    return 0


def _eval_conversations(args, settings: Settings) -> int:
    from assistant.conversation_eval import evaluate_conversations, load_conversations

    groups = load_conversations(Path(args.file))
    report = evaluate_conversations(groups, _answer_engine(settings))
    if args.json:
        _print_json(report.to_json())
    else:
        print(report.render())
    return 0


def cmd_add(args, settings: Settings) -> int:
    from assistant.documents import DocumentError, add_and_reindex

    try:
        outcome = add_and_reindex([Path(p) for p in args.files], settings, title=args.title, progress=_progress_bar())
    except DocumentError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for result in outcome.results:
        print(result.message)
        for warning in result.warnings:
            print(f"  warning: {warning}", file=sys.stderr)
    if outcome.report is not None:
        print(outcome.report.summary())
    return 0


def cmd_remove(args, settings: Settings) -> int:
    from assistant.documents import DocumentError, remove_and_reindex

    try:
        removed, report = remove_and_reindex(args.title, settings, progress=_progress_bar())
    except DocumentError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"Removed 《{removed.title}》")
    if report is not None:
        print(report.summary())
    return 0


def cmd_show(args, settings: Settings) -> int:
    """Issue 12: the ids the app shows (plan-055, 土壤污染防治法#59) open their clause."""
    from assistant.corpus import find_clause_by_id, load_corpus

    clause = find_clause_by_id(args.clause_id, load_corpus(settings))
    if clause is None:
        print(f"No clause with id {args.clause_id!r} (ids look like plan-055 or 土壤污染防治法#59)", file=sys.stderr)
        return 2
    if args.json:
        _print_json(clause.to_json())
    else:
        print(f"{clause.clause_id}  {clause.label()}\n{clause.text}")
    return 0


# -- issue 10: the laws as they stand today --------------------------------------------------------

def cmd_mapping(args, settings: Settings) -> int:
    """Old law article -> 生态环境法典 article table: print it, summarise it, or regenerate it (--write)."""
    from assistant import mapping
    from assistant.corpus import load_corpus
    from assistant.currency import mapping_path

    path = mapping_path(settings.corpus_dir)
    if args.write:
        pairs = mapping.build_mapping(settings.law_db)
        mapping.write_mapping(pairs, path, db_path=settings.law_db)
        print(f"Wrote {len(pairs)} correspondences to {path}", file=sys.stderr)
    else:
        pairs = mapping.load_mapping(path)
    held = {law.name for law in load_corpus(settings).laws}
    pairs = [p for p in pairs if p.law in held]  # the repealed laws this corpus holds
    if args.json:
        _print_json({"certain_confidence": mapping.CERTAIN_CONFIDENCE,
                     "mappings": [p.public() for p in pairs]})
        return 0
    bands = [label for _, label in mapping.BANDS]
    print(f"{len(pairs)} correspondences, {len({p.clause_id for p in pairs})} old articles, "
          f"{len({p.law for p in pairs})} repealed laws; stated as certain at confidence ≥ {mapping.CERTAIN_CONFIDENCE}")
    print(f"  {'law':<22}" + "".join(f"{b:>11}" for b in bands) + f"{'total':>8}")
    for law, counts in mapping.summary(pairs).items():
        print(f"  {law.removeprefix('中华人民共和国'):<22}" + "".join(f"{counts.get(b, 0):>11}" for b in bands)
              + f"{sum(counts.values()):>8}")
    methods = Counter(p.method for p in pairs)
    print("  methods: " + ", ".join(f"{m} {n}" for m, n in methods.most_common()))
    return 0


def cmd_legal_bases(args, settings: Settings) -> int:
    """Plan paragraphs that cite or rely on a repealed law, with the Code articles governing them now."""
    from assistant.corpus import load_corpus
    from assistant.currency import correspondences, currency_table, legal_bases

    corpus = load_corpus(settings)
    bases = legal_bases(corpus, correspondences(settings.corpus_dir))
    if args.json:
        _print_json({"laws": [s.to_json() for s in currency_table(corpus)],
                     "legal_bases": [b.to_json() for b in bases]})
        return 0
    print(f"{len(bases)} plan citations of repealed laws, in {len({b.clause_id for b in bases})} paragraphs")
    for b in bases:
        print(f"{b.clause_id}  《{b.law}》 ({'书名号引用' if b.how == 'cites' else '简称'}) — 已被《{b.repealed_by}》"
              f"废止，自{b.repealed_from}起（{b.repeal_clause_id}）")
        if b.sentence:
            print(f"    “{b.sentence[:80]}{'…' if len(b.sentence) > 80 else ''}”")
        for old in b.old_articles:
            now = [c for c in b.now if c.clause_id == old]
            targets = "、".join(f"{c.code_article}{'' if c.certain else '（可能对应）'}" for c in now) or "法典中未找到对应条文"
            print(f"    {'引用' if b.explicit else '相关'} {old} → 生态环境法典 {targets}")
    return 0


def _marked(text: str, settings: Settings) -> str:
    """issue 11: editorial repairs (习〔近平〕) marked in the output, with what the brackets mean."""
    from assistant.editorial import CLI_LEGEND, repairs_for

    repairs = repairs_for(settings)
    marked = repairs.for_cli(text)
    return marked + ("\n" + CLI_LEGEND if marked != text else "")


def cmd_feedback(args, settings: Settings) -> int:
    """issue 11: officials' feedback: list it, or export the corrections as golden questions."""
    from assistant.history import HistoryStore

    store = HistoryStore.open(settings)
    if args.action == "list":
        for record in store.feedback(limit=args.limit):
            mark = "👍" if record.verdict == "up" else "👎"
            print(f"#{record.id} {record.created_at:%Y-%m-%d %H:%M} {mark} {record.asked}"
                  + (f"  → {record.clause_id}" if record.clause_id else "") + (f"  [{record.reason}]" if record.reason else ""))
        return 0
    if not args.out:
        print("feedback export needs --out FILE.jsonl", file=sys.stderr)
        return 2
    from assistant.corpus import load_corpus
    from assistant.feedback import export_feedback

    report = export_feedback(store, load_corpus(settings), Path(args.out), include_approved=args.include_approved)
    print(report.summary(), file=sys.stderr)
    print(f"Wrote {args.out}", file=sys.stderr)
    return 0


def _add_feedback_parser(sub) -> None:
    p = sub.add_parser("feedback", help="officials' feedback: list, or export corrections as golden questions")
    p.add_argument("action", choices=["export", "list"])
    p.add_argument("--out", help="export: the golden JSONL file to write (tests/regression format)")
    p.add_argument("--include-approved", action="store_true", help="export: also 👍 answers, citing their first clause")
    p.add_argument("--limit", type=int, default=50, help="list: how many, newest first")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__.splitlines()[0])
    parser.add_argument("--all-laws", action="store_true", help="include every law of the law file (378 rows, 367 distinct laws), not only the cited ones")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("corpus", help="list every clause")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("facts", help="responsibilities, targets, deadlines, cited documents")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("build", help="build or update the search index under index/")
    p.add_argument("--force", action="store_true", help="rebuild from scratch")
    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--batch", help="JSONL file of {\"id\", \"question\"[, \"conversation\"]}; lines sharing a conversation id are one conversation, asked in file order")
    p.add_argument("--out", help="where --batch writes its answers")
    p = sub.add_parser("eval", help="score answers against golden questions")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    from assistant.documents.extract import suffixes

    p = sub.add_parser("add", help=f"add {'/'.join(suffixes())} documents to the corpus")
    p.add_argument("files", nargs="+")
    p.add_argument("--title", help="the document's title, e.g. 《地下水管理条例》")
    p = sub.add_parser("remove", help="remove an added document by title")
    p.add_argument("title")
    p = sub.add_parser("show", help="show one clause by its id (plan-055, 土壤污染防治法#59)")
    p.add_argument("clause_id")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("mapping", help="old law article -> 生态环境法典 article correspondence table")
    p.add_argument("--json", action="store_true")
    p.add_argument("--write", action="store_true", help="regenerate corpus/code_mapping.json from the law file")
    p = sub.add_parser("legal-bases", help="plan paragraphs citing repealed laws and the Code articles now governing")
    p.add_argument("--json", action="store_true")
    _add_feedback_parser(sub)  # issue 11
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(**({"all_laws": True} if args.all_laws else {}))
    if args.command == "ask" and not args.batch and not " ".join(args.question).strip():
        print("Please give a question, e.g. python -m assistant ask \"哪个部门牵头农村生活污水治理？\"", file=sys.stderr)
        return 2
    commands = {"corpus": cmd_corpus, "facts": cmd_facts, "build": cmd_build, "ask": cmd_ask, "eval": cmd_eval,
                "add": cmd_add, "remove": cmd_remove, "show": cmd_show, "mapping": cmd_mapping,
                "legal-bases": cmd_legal_bases, "feedback": cmd_feedback}
    try:
        return commands[args.command](args, settings)
    except (CorpusError, RuntimeError, OSError, ValueError) as exc:  # IndexUnavailable, DocumentError, disk errors
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; the previous index (if any) is still in place.", file=sys.stderr)
        return 130
