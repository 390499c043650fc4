"""The result page shows an article a page at a time: ARTICLE_PAGE_LENGTH characters at most.

A page's work and size follow the page, not the article (the whole of 100,000
× 行 was 39 MB of HTML and a worker's memory 250 MiB above its resting size).

Pages end where fastpron's reading starts afresh, so that a page reads exactly
as the same stretch of the whole article: after the page's last line break,
where the register model's paragraph ends too.  No lexicon word and no number
spans one, the word before it ends a phrase, and tone sandhi looks no further.
A paragraph longer than a page is cut after a sentence end (。！？!?, with the
closing punctuation after it): there the register model weighs each part of
the paragraph apart.  A stretch longer than a page with neither is cut at the
page length: there the last word of a page may read as if the text ended
after it.
"""

from __future__ import annotations

from dataclasses import dataclass

SENTENCE_ENDS = "。！？!?"
CLOSING = "」』）》〉】〕”’)"


def page_ends(text: str, length: int) -> list[int]:
    """The offset where each page of `text` ends, the last one len(text): each page as long
    as it can be, up to `length` characters, ended after its last line break, else after its
    last sentence end (or at `length` without either)."""
    ends, start, n = [], 0, len(text)
    while n - start > length:
        limit = start + length
        end = text.rfind("\n", start, limit) + 1
        if end <= start:                        # no line break: the last sentence end, and its 」
            end = max(text.rfind(mark, start, limit) for mark in SENTENCE_ENDS) + 1
            while start < end < limit and text[end] in CLOSING:
                end += 1
        if end <= start:
            end = limit
        ends.append(end)
        start = end
    ends.append(n)
    return ends


@dataclass(frozen=True)
class ArticlePage:
    """Page `number` (from 1) of `count`: the article's characters start:end."""

    number: int
    count: int
    start: int
    end: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def article_page(text: str, length: int, number) -> ArticlePage:
    """The page asked for (`?page=`); as Django's Paginator.get_page does, the first page for
    a number that is not one and the last for one past the end."""
    ends = page_ends(text, length)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), len(ends))
    return ArticlePage(number, len(ends), ends[number - 2] if number > 1 else 0, ends[number - 1])
