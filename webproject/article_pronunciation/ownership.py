"""Who may change an article: the browser session that created it.

Each session gets a random key (kept in the session, never in the
database); an article stores a hash of its creator's key.  Picks from any
other session go to a copy, a new article with its own permalink, so a
shared permalink never changes under its owner.  The owner can undo picks:
the session keeps the last few states of each of its articles' picks.
"""

from __future__ import annotations

import hashlib
import secrets

from .models import Article

OWNER_KEY = "article_pronunciation.owner"
UNDO_KEY = "article_pronunciation.undo"
COPIES_KEY = "article_pronunciation.copies"
LATEST_KEY = "article_pronunciation.latest"     # the same key as views.SESSION_KEY
UNDO_DEPTH = 20
UNDO_ARTICLES = 20


def owner_of(request, create: bool = False) -> str:
    """The hash that marks this session's articles ("" for a session without one, unless `create`)."""
    key = request.session.get(OWNER_KEY)
    if not key:
        if not create:
            return ""
        key = secrets.token_urlsafe(32)
        request.session[OWNER_KEY] = key
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def is_owner(request, article: Article) -> bool:
    return bool(article.owner) and article.owner == owner_of(request)


def writable(request, article: Article) -> Article:
    """`article` if this session owns it, else its copy for this session (made on the first pick).

    The session remembers its copies, so picks sent to the original's
    address again (a second tab, a form without script) go to the same copy.
    """
    if is_owner(request, article):
        return article
    copies = dict(request.session.get(COPIES_KEY) or {})
    known = copies.get(str(article.id))
    if known:
        copy = Article.objects.filter(pk=known, owner=owner_of(request)).first()
        if copy is not None and copy.text == article.text:
            return copy
    copy = Article.objects.create(text=article.text, picks=dict(article.picks or {}), owner=owner_of(request, True),
                                  copied_from=article.id, **article.options)
    copies[str(article.id)] = str(copy.id)
    while len(copies) > UNDO_ARTICLES:
        copies.pop(next(iter(copies)))
    request.session[COPIES_KEY] = copies
    request.session[LATEST_KEY] = str(copy.id)
    return copy


def remember_for_undo(request, article: Article) -> None:
    """Keep the article's picks as they are now, for `undo`."""
    stacks = dict(request.session.get(UNDO_KEY) or {})
    key = str(article.id)
    stack = list(stacks.pop(key, []))[-(UNDO_DEPTH - 1):] + [dict(article.picks or {})]
    stacks[key] = stack
    while len(stacks) > UNDO_ARTICLES:
        stacks.pop(next(iter(stacks)))
    request.session[UNDO_KEY] = stacks


def can_undo(request, article: Article) -> bool:
    return is_owner(request, article) and bool((request.session.get(UNDO_KEY) or {}).get(str(article.id)))


def undo(request, article: Article) -> bool:
    """Put back the picks before the last change; False if there is nothing to undo."""
    if not is_owner(request, article):
        return False
    stacks = dict(request.session.get(UNDO_KEY) or {})
    stack = list(stacks.get(str(article.id)) or [])
    if not stack:
        return False
    article.picks = stack.pop()
    stacks[str(article.id)] = stack
    request.session[UNDO_KEY] = stacks
    article.save(update_fields=["picks", "updated"])
    return True
