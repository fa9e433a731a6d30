"""Chinese text for search: word segmentation (jieba), query parsing with
synonyms, and highlighting. Pure functions apart from jieba's dictionary,
which is loaded once per process (about half a second) with the platform's
own words (data/userdict.txt) added.

A query becomes a list of *groups*, one per word the visitor typed; a
document matches when it has every group. A group is satisfied by any of its
*alternatives* (the word or a synonym), and an alternative by the whole word
or by all of its finer parts (so 认证咨询 also finds 认证 … 咨询).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A search word: letters and digits of any script, no punctuation, no "_".
WORD = re.compile(r"[^\W_]+")
MAX_QUERY_CHARS = 50
MAX_GROUPS = 8
# Words that carry no meaning in a search for a service.
STOP_WORDS = frozenset(
    {
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "我",
        "要",
        "想",
        "请",
        "把",
        "对",
        "为",
        "有",
        "吗",
        "呢",
        "啊",
        "我们",
        "怎么",
        "如何",
        "哪里",
    }
)

_lock = threading.Lock()
_ready = False
_added: set[str] = set()


def _jieba() -> Any:
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(60)  # its start-up chatter is not for our logs
                jieba.initialize()
                words = resources.files("onestop.search").joinpath("data/userdict.txt")
                for line in words.read_text("utf-8").splitlines():
                    word = line.split("#", 1)[0].strip()
                    if word:
                        _add(jieba, word)
                _ready = True
    return jieba


def segmenter() -> Any:
    """The jieba module, initialised with the platform's dictionary and the
    staff's synonyms: for other modules that segment Chinese text (the
    annual summary's frequent terms)."""
    return _jieba()


def _add(jieba: Any, word: str) -> None:
    # add_word raises the dictionary's total each time, so add each word once.
    if word not in _added:
        jieba.add_word(word)
        _added.add(word)


def learn(words: Iterable[str]) -> None:
    """Make the segmenter keep these words whole (synonyms entered by staff)."""
    jieba = _jieba()
    with _lock:
        for word in words:
            if WORD.fullmatch(word):
                _add(jieba, word)


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def index_tokens(*texts: str) -> str:
    """The space-separated tokens stored for a document: every word in both
    jieba's precise and its search (finer) segmentation, each once."""
    jieba = _jieba()
    seen: dict[str, None] = {}
    for text in texts:
        for chunk in WORD.findall(text):
            for token in jieba.cut_for_search(chunk):
                token = token.lower()
                if WORD.fullmatch(token):
                    seen.setdefault(token, None)
            for token in jieba.cut(chunk):
                token = token.lower()
                if WORD.fullmatch(token):
                    seen.setdefault(token, None)
    return " ".join(seen)


@dataclass(frozen=True)
class Alternative:
    word: str
    parts: tuple[str, ...]  # finer words that together also satisfy it; may be empty


@dataclass(frozen=True)
class Group:
    word: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the query as typed, trimmed and with inner whitespace collapsed
    phrase: str  # the query without spaces, for exact-phrase ranking
    groups: tuple[Group, ...]

    @property
    def empty(self) -> bool:
        return not self.groups

    def highlight_words(self) -> list[str]:
        words: set[str] = set()
        for group in self.groups:
            for alternative in group.alternatives:
                words.add(alternative.word)
                words.update(p for p in alternative.parts if len(p) > 1)
        return sorted(words, key=lambda w: (-len(w), w))


def _alternative(word: str) -> Alternative:
    """The word, and the shortest run of finer words that spells it exactly."""
    jieba = _jieba()
    finer = {t.lower() for t in jieba.cut_for_search(word)} - {word}
    # Fewest finer words covering word[i:], for each i (right to left).
    best: list[tuple[str, ...] | None] = [None] * len(word) + [()]
    for i in range(len(word) - 1, -1, -1):
        for piece in finer:
            rest = best[i + len(piece)] if word.startswith(piece, i) else None
            if rest is not None and (best[i] is None or len(rest) + 1 < len(best[i] or ())):
                best[i] = (piece, *rest)
    parts = best[0] or ()
    return Alternative(word=word, parts=parts if len(parts) > 1 else ())


def parse_query(text: str, synonyms: Mapping[str, Iterable[str]] | None = None) -> ParsedQuery:
    """Split a visitor's query into groups. The caller checks the length first."""
    jieba = _jieba()
    collapsed = " ".join(text.split())
    groups: list[Group] = []
    seen: set[str] = set()
    for chunk in WORD.findall(collapsed):
        for token in jieba.cut(chunk):
            word = token.lower()
            if not WORD.fullmatch(word) or word in STOP_WORDS or word in seen:
                continue
            seen.add(word)
            alternatives = [word, *sorted(set((synonyms or {}).get(word, ())) - {word})]
            groups.append(
                Group(word=word, alternatives=tuple(_alternative(a) for a in alternatives))
            )
    return ParsedQuery(
        text=collapsed,
        phrase="".join(_words(collapsed)),
        groups=tuple(groups[:MAX_GROUPS]),
    )


def highlight(text: str, words: list[str]) -> SafeString:
    """``text`` HTML-escaped, with every occurrence of ``words`` in <mark>."""
    escaped = str(escape(text))
    if not words:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile("|".join(re.escape(str(escape(w))) for w in words), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308


def snippet(text: str, words: list[str], width: int = 90) -> str:
    """About ``width`` characters of ``text`` around the first matching word."""
    if len(text) <= width:
        return text
    lowered = text.lower()
    hits = [i for i in (lowered.find(w) for w in words) if i >= 0]
    start = max(0, min(hits) - width // 4) if hits else 0
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
