"""Stage 1 of answering: turn what an official typed into the plan's own writing system and words.

Officials type traditional characters, full-width digits, one-character typos (监侧 for 监测) and
colloquial short forms (危废, 国考). Matching is by characters, so each of these would otherwise
break it. Every change is reported, so the answer can say how the question was read.

- NFKC and control/markup removal: ``clean_question``.
- Traditional -> simplified: OpenCC (``t2s``), a maintained converter, not a hand table.
- One-character typos: a character whose every surrounding trigram is absent from the corpus is
  replaced when a substitute that sounds the same (pypinyin; most typos come from pinyin input:
  监侧/监测, 利用律/利用率, 签头/牵头) restores trigrams and a four-character run that the corpus has.
  Conservative by design, because a wrong "correction" invents a question nobody asked.
- Short forms: ``corpus/abbreviations_zh.json`` (editorial data, not code).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

from assistant.clauses import squash
from assistant.zh import CJK, is_english

INJECTION = re.compile(r"(忽略|无视|忘记|不要理会).{0,12}(指令|指示|提示|规则|要求|以上|之前)|你现在是|扮演|system prompt|"
                       r"ignore (all |the )?(previous|above|prior)|disregard .{0,20}instructions|you are now|pretend to be",
                       re.IGNORECASE)
# question words that a typo most often hits; a bigram one character away from one of these is read as it
FUNCTION_CHARS = set("谁哪怎么什啥吗呢个几多少是否还的了吧呀啊嘛和与及或把被给对从向为要会能该这那其它他们里中上下请问由归管抓有")
ENTITY_SUFFIX = set("局委厅办署")
# 有那些 / 那个部门 typed for 有哪些 / 哪个部门 (the same pinyin): read as the ask when the question has no other
_ASK_WORD = re.compile(r"[哪谁吗么啥几咋呢吧]|多少|如何|是否")
_THAT_AS_WHICH = re.compile(r"那(?=些|个|几|种|条|项|家|类|年|里|儿)")
KEY_TERMS = ("牵头", "参与", "负责", "单位", "废止", "施行", "有效", "目标", "指标", "监测", "治理", "利用率", "处理率", "基数", "来源", "约束性", "预期性")


@dataclass
class Normalised:
    text: str  # what the later stages read
    original: str
    notes: list[str] = field(default_factory=list)  # said to the official (markup removed, instructions ignored…)
    changes: list[tuple[str, str]] = field(default_factory=list)  # (typed, read as)

    @property
    def reading(self) -> str:
        """理解为：… when the question was read differently from how it was typed."""
        return "、".join(f"“{a}”→“{b}”" for a, b in self.changes)


def clean_question(raw: str) -> tuple[str, list[str]]:
    """Remove control characters and markup; report what was done so the answer can say so."""
    notes = []
    text = unicodedata.normalize("NFKC", raw)
    stripped = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    if stripped != text:
        notes.append("已去除问题中的控制字符。")
    text = stripped
    no_markup = re.sub(r"<[^>]{0,200}>", " ", text)
    no_markup = re.sub(r"```.*?```", " ", no_markup, flags=re.S)
    no_markup = re.sub(r"[*_>`\[\]]+", " ", no_markup)
    no_markup = re.sub(r"^\s*#+", " ", no_markup, flags=re.M)  # '#' only as a heading: 土壤污染防治法#59 is an id
    if no_markup != text:
        notes.append("问题中的 Markdown/HTML 标记按纯文本处理。")
    text = re.sub(r"\s+", " ", no_markup).strip()
    if INJECTION.search(text):
        notes.append("问题中包含试图改变助手行为的指令，已忽略；助手只依据规划和法律原文作答。")
        text = INJECTION.sub(" ", text)
    return text, notes


@lru_cache(maxsize=4096)
def _sounds(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin  # noqa: PLC0415 - loaded with the first typo candidate

    return frozenset(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


@lru_cache(maxsize=4096)
def _usual_sound(ch: str) -> str:
    from pypinyin import Style, pinyin  # noqa: PLC0415

    return pinyin(ch, style=Style.NORMAL)[0][0]


def sounds_alike(a: str, b: str) -> bool:
    """Same syllable, tones ignored: the confusions of pinyin input."""
    return bool(_sounds(a) & _sounds(b))


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # noqa: PLC0415 - loaded once, on the first question

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


class TypoCorrector:
    """Corrects one-character typos against the corpus's own character trigrams and 4-grams."""

    def __init__(self, texts: Iterable[str], protected: Iterable[str] = (), is_word: Callable[[str], bool] | None = None):
        """``is_word`` says whether two characters make a common word of the language (至少, 是否): a character
        that does so with a neighbour is no typo, though the corpus never writes that word."""
        self.is_word = is_word
        self.trigrams: Counter[str] = Counter()
        self.fourgrams: set[str] = set()
        self.bigrams: set[str] = set()
        texts_list = list(texts)
        for text in texts_list:
            for run in re.findall(rf"[{CJK}]+", squash(text)):
                for i in range(len(run) - 1):
                    self.bigrams.add(run[i:i + 2])
                for i in range(len(run) - 2):
                    self.trigrams[run[i:i + 3]] += 1
                for i in range(len(run) - 3):
                    self.fourgrams.add(run[i:i + 4])
        # the plan's quoted catchwords (双源, 一住两公): a slip inside one is corrected wherever it is typed
        self.catchwords: dict[int, set[str]] = {}
        for text in texts_list:
            for term in re.findall(rf"“([{CJK}]{{2,8}})”", squash(text)):
                self.catchwords.setdefault(len(term), set()).add(term)
        self._wild: dict[str, set[str]] = {}
        for gram in self.trigrams:
            for pos in range(3):
                self._wild.setdefault(gram[:pos] + "?" + gram[pos + 1:], set()).add(gram[pos])
        self.protected = [p for p in protected if len(p) >= 2]
        self._protected_patterns = [(name, re.compile(re.escape(name))) for name in self.protected]  # compiled once
        self._by_last: dict[str, list[str]] = {}
        self._by_first: dict[str, list[str]] = {}  # a slip in a name's last character (固废发 for 固废法)
        for name in self.protected:
            if len(name) >= 3 and not name.isascii():
                self._by_last.setdefault(name[-1], []).append(name)
                self._by_first.setdefault(name[0], []).append(name)

    def _shielded(self, text: str) -> set[int]:
        """Positions inside names the corpus knows (bureaux, laws): never "corrected"."""
        shielded: set[int] = set()
        for name, pattern in self._protected_patterns:
            if name not in text:  # most names are absent: skip the regex (and its compile-cache look-up)
                continue
            for m in pattern.finditer(text):
                shielded.update(range(m.start(), m.end()))
        return shielded

    def correct_names(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """卫键委 -> 卫健委: a known name typed with one same-sound character wrong."""
        changes = []
        for end, ch in enumerate(text, start=1):
            for name in self._by_last.get(ch, ()):
                start = end - len(name)
                typed = text[start:end] if start >= 0 else ""
                if len(typed) != len(name) or typed == name:
                    continue
                diff = [k for k in range(len(name)) if typed[k] != name[k]]
                if len(diff) == 1 and sounds_alike(typed[diff[0]], name[diff[0]]):
                    text = text[:start] + name + text[end:]
                    changes.append((typed, name))
        known = set(self.protected)
        for start, ch in enumerate(text):
            for name in self._by_first.get(ch, ()):
                typed = text[start:start + len(name)]
                after = text[start + len(name):start + len(name) + 1]
                if after and (typed[-1] + after in self.bigrams or self.is_word and self.is_word(typed[-1] + after)):
                    continue  # 土壤污染罚款: the last character begins a word of its own (罚款), no slip
                if len(typed) == len(name) and typed != name and typed not in known and typed[:-1] == name[:-1] \
                        and sounds_alike(typed[-1], name[-1]):
                    text = text[:start] + name + text[start + len(name):]
                    changes.append((typed, name))
        return text, changes

    def correct_catchwords(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """“双原” -> 双源: a quoted term the corpus never writes, one same-sound character off one it quotes."""
        changes = []
        for typed in dict.fromkeys(re.findall(rf"[“\"「『]([{CJK}]{{2,8}})[”\"」』]", text)):
            quoted = self.catchwords.get(len(typed), set())
            if typed in quoted or any(typed in t for t in self.catchwords.get(len(typed) + 1, ())):
                continue  # quoted as typed, or part of a longer quoted term
            near = [t for t in quoted
                    if sum(a != b for a, b in zip(t, typed)) == 1
                    and all(a == b or sounds_alike(a, b) for a, b in zip(t, typed))]
            written = {2: self.bigrams, 3: self.trigrams}.get(len(typed), self.fourgrams)
            if len(near) == 1 and typed[:4] not in written:  # a term the corpus writes is no slip
                text = text.replace(typed, near[0])
                changes.append((typed, near[0]))
        return text, changes

    def correct(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        text, changes = self.correct_catchwords(text)
        text, named = self.correct_names(text)
        changes += named
        chars = list(text)
        shielded = self._shielded(text)
        skip_until = -1
        for j, ch in enumerate(chars):
            if j <= skip_until:  # one correction per neighbourhood: never correct a correction
                continue
            if j in shielded or not re.match(rf"[{CJK}]", ch):
                continue
            if set(chars[j + 1:j + 3]) & ENTITY_SUFFIX:  # inside a name (林草局): absence is the answer, not a typo
                continue
            fixed = self._key_term(chars, j)  # 处里率 -> 处理率: a key term may hold a common character
            if fixed:
                changes.append(fixed)
                continue
            if ch in FUNCTION_CHARS:
                continue
            if self.is_word and any(self.is_word(pair) for pair in ("".join(chars[j - 1:j + 1]) if j else "",
                                                                    "".join(chars[j:j + 2])) if len(pair) == 2):
                continue  # 至少 / 是否: a word in its own right
            windows = [(s, j - s) for s in (j - 2, j - 1, j) if s >= 0 and s + 3 <= len(chars)
                       and all(re.match(rf"[{CJK}]", c) and c not in FUNCTION_CHARS for c in chars[s:s + 3])]
            if not windows or any("".join(chars[s:s + 3]) in self.trigrams for s, _ in windows):
                continue
            best, best_key = None, (0, 0)
            for c in {c for s, pos in windows
                      for c in self._wild.get("".join(chars[s:j]) + "?" + "".join(chars[j + 1:s + 3]), ())}:
                if c in FUNCTION_CHARS or not sounds_alike(c, ch):
                    continue
                grams = ["".join(chars[s:j]) + c + "".join(chars[j + 1:s + 3]) for s, _ in windows]
                restored = [g for g in grams if g in self.trigrams]
                four = any("".join(chars[s:j]) + c + "".join(chars[j + 1:s + 4]) in self.fourgrams
                           for s in range(j - 3, j + 1) if s >= 0 and s + 4 <= len(chars))
                key = (len(restored), sum(self.trigrams[g] for g in restored))
                content = [k for k in (j - 1, j + 1) if 0 <= k < len(chars) and re.match(rf"[{CJK}]", chars[k])
                           and chars[k] not in FUNCTION_CHARS]
                # both neighbours, where they are content, must agree: a restored trigram centred on j
                centred = any(pos == 1 and g in self.trigrams for (_, pos), g in zip(windows, grams))
                if four and key > best_key and (centred or len(content) < 2):
                    best, best_key = c, key
            if best:
                start, end = max(0, j - 1), min(len(chars), j + 2)
                before = "".join(chars[start:end])
                chars[j] = best
                changes.append((before, "".join(chars[start:end])))
                skip_until = j + 2
        return "".join(chars), changes

    def _key_term(self, chars: list[str], j: int) -> tuple[str, str] | None:
        """签头 -> 牵头, 利用律 -> 利用率: a key asking word one character off, absent from the corpus as typed."""
        near = set(chars[max(0, j - 2):j]) | set(chars[j + 1:j + 3])
        for term in KEY_TERMS:
            if near.isdisjoint(term):  # one character off: every other character of the term is a neighbour
                continue
            n = len(term)
            for s in range(max(0, j - n + 1), j + 1):
                typed = "".join(chars[s:s + n])
                if len(typed) != n or typed == term or term[j - s] == chars[j]:
                    continue
                known = self.bigrams if n == 2 else self.trigrams
                # 清单里 is not 清单位: a particle (里) after a word the kept character ends (清单) is no slip
                if chars[j] in FUNCTION_CHARS and j > s > 0 and chars[s - 1] not in FUNCTION_CHARS \
                        and chars[s - 1] + chars[s] in self.bigrams and is_common_word(chars[s - 1] + chars[s]):
                    continue
                # the typed character as it is usually read (有 is you, not its rare wei) must sound like the term's
                if sum(a != b for a, b in zip(typed, term)) == 1 and typed not in known \
                        and _usual_sound(chars[j]) in _sounds(term[j - s]) and not is_common_word(typed):
                    chars[j] = term[j - s]
                    return typed, term
        return None


# a string jieba's dictionary counts at least this often is a word in its own right (一行, 签到), not a slip
COMMON_WORD_FREQUENCY = 20


def is_common_word(text: str) -> bool:
    from assistant.lexical import _ensure_jieba  # noqa: PLC0415 - jieba's dictionary, loaded once
    import jieba  # noqa: PLC0415

    _ensure_jieba()
    return jieba.dt.FREQ.get(text, 0) >= COMMON_WORD_FREQUENCY


class Normaliser:
    """NFKC + markup removal, traditional -> simplified, typos, short forms; one call per question."""

    def __init__(self, corrector: TypoCorrector | None, abbreviations: Iterable[tuple[re.Pattern, str]] = ()):
        self.corrector = corrector
        self.abbreviations = list(abbreviations)

    def __call__(self, raw: str, expand: bool = True) -> Normalised:
        """``expand=False`` leaves short forms as typed (a follow-up is read against the conversation first)."""
        text, notes = clean_question(raw)
        result = Normalised(text, raw, notes)
        simplified = to_simplified(text)
        if simplified != text:
            result.notes.append("问题中的繁体字已按简体理解。")
            text = simplified
        if self.corrector is not None and not is_english(text):
            text, typos = self.corrector.correct(text)
            result.changes += typos
        if not is_english(text) and not _ASK_WORD.search(text) and re.search(r"[？?]\s*$", text):
            asked = _THAT_AS_WHICH.search(text)
            if asked:  # "参与单位有那些？": a question mark and no ask word but 那些
                result.changes.append((text[asked.start():asked.start() + 2], "哪" + text[asked.start() + 1]))
                text = text[:asked.start()] + "哪" + text[asked.end():]
        for pattern, full in self.abbreviations if expand else ():
            text = pattern.sub(lambda m: f"{m.group(0)}({full})", text)
        result.text = text
        return result
