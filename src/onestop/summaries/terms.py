"""Frequent terms in what dissatisfied users wrote (WX 8.1.3: analyse the
reasons of dissatisfaction).

The text is segmented with the search's jieba (the platform's own words
from onestop.search's user dictionary stay whole); function words, generic
words every comment has ("服务", "问题"), single characters and numbers are
left out. A term counts once per comment or complaint that mentions it, so
one long complaint repeating a word does not outweigh many short ones.

Personal data stays out (PIPL): words the segmenter tags as a person's
name (王小明, 李师傅) and anything with a digit (phone numbers, ID numbers)
are never terms.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from onestop.search import text as search_text

# Besides the search's stop words: words that say nothing about what went wrong.
STOP_WORDS = search_text.STOP_WORDS | frozenset(
    {
        "一个",
        "一些",
        "一下",
        "一直",
        "一点",
        "不是",
        "也是",
        "之后",
        "也",
        "事情",
        "他们",
        "你们",
        "但是",
        "但",
        "服务",
        "问题",
        "希望",
        "建议",
        "感觉",
        "觉得",
        "时候",
        "现在",
        "还有",
        "以及",
        "进行",
        "这次",
        "本次",
        "这个",
        "那个",
        "这样",
        "那么",
        "什么",
        "已经",
        "还是",
        "就是",
        "因为",
        "所以",
        "可以",
        "没有",
        "自己",
        "非常",
        "比较",
        "而且",
        "然后",
        "如果",
        "需要",
        "我司",
        "公司",
        "我们公司",
        "工作",
        "情况",
        "表示",
        "要求",
    }
)
MIN_LENGTH = 2


@dataclasses.dataclass(frozen=True)
class Term:
    word: str
    count: int


def _names(chunk: str) -> set[str]:
    """The person names in ``chunk`` (part-of-speech tags nr, nrfg, nrt)."""
    from jieba import posseg

    return {
        pair.word.lower()
        for pair in posseg.cut(chunk)
        if pair.flag.startswith("nr") and len(pair.word) >= MIN_LENGTH
    }


def _is_term(word: str, names: set[str]) -> bool:
    return (
        len(word) >= MIN_LENGTH
        and bool(search_text.WORD.fullmatch(word))
        and not any(ch.isdigit() for ch in word)
        and word not in STOP_WORDS
        and not any(name in word for name in names)
    )


def words_of(text: str) -> set[str]:
    """The distinct meaningful words of one text."""
    jieba = search_text.segmenter()  # with the platform's dictionary
    found: set[str] = set()
    for chunk in search_text.WORD.findall(text):
        names = _names(chunk)
        for token in jieba.cut(chunk):
            word = token.strip().lower()
            if _is_term(word, names):
                found.add(word)
    return found


def frequent_terms(texts: Iterable[str], *, top: int) -> list[Term]:
    """The ``top`` words mentioned by the most texts, most mentioned first
    (ties in the words' order, so the list is the same every time)."""
    counts: Counter[str] = Counter()
    for text in texts:
        if text:
            counts.update(words_of(text))
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [Term(word, count) for word, count in ranked[:top]]
