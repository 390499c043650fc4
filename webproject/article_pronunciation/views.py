"""Views: the input form, the result page (session and permalink), reading picks, downloads."""

from __future__ import annotations

import functools
import json
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ..dictionary.annotator import shared_annotator
from . import ownership
from .forms import ArticleForm, DisplayForm, parse_picks
from .models import Article
from .picks import apply_to_all, carry_over, from_numbers, usual_choices
from .options import OPTION_NAMES, SYSTEM_LABELS
from .pages import ArticlePage, article_page
from .rendering import (ambiguous_tokens, choices_json, json_with_tokens, paragraphs, reading_rows, ruby_text,
                        shift_offsets, with_second_readings)

SESSION_KEY = "article_pronunciation.latest"
DOWNLOADS = {
    # format: (file suffix, content type)
    "text": ("txt", "text/plain; charset=utf-8"),
    "romanized": ("romanized.txt", "text/plain; charset=utf-8"),
    "html": ("html", "text/html; charset=utf-8"),
    "json": ("json", "application/json"),
}


def latest_article(request) -> Article | None:
    article_id = request.session.get(SESSION_KEY)
    if not article_id:
        return None
    try:
        return Article.objects.filter(pk=uuid.UUID(str(article_id))).first()
    except ValueError:
        return None


@require_http_methods(["GET", "HEAD", "POST"])
def input_view(request):
    """GET: the form.  POST: validate, save the article, 302 to the result page."""
    if request.method == "POST":
        if request.content_type == "application/x-www-form-urlencoded" and not _is_utf8(request.body):
            # Django would read the whole form as Latin-1 and save mojibake: refuse it (the 400 page).
            raise BadRequest("form data that is not UTF-8")
        form = ArticleForm(request.POST)
        if form.is_valid():
            article = Article.objects.create(**form.cleaned_data, **_edit_fields(request, form.cleaned_data["text"]))
            request.session[SESSION_KEY] = str(article.id)
            return redirect(article)      # the permalink, so the address bar shows it
        # The text comes back in the form, with the errors beside it.
        return render(request, "article_pronunciation/input.html", {"form": form}, status=400)
    initial = {}
    source = _article_from_query(request.GET.get("from")) or latest_article(request)
    if source is not None:
        initial.update(source.options)
        if request.GET.get("from"):
            initial["text"] = source.text
    return render(request, "article_pronunciation/input.html",
                  {"form": ArticleForm(initial=initial), "source_id": request.GET.get("from") and source and source.id})


def _edit_fields(request, text: str) -> dict:
    """A new article's owner (this session), and the picks it keeps from the article it edits."""
    fields = {"owner": ownership.owner_of(request, create=True)}
    source = _article_from_query(request.POST.get("from"))
    if source is not None:
        fields["picks"] = carry_over(source.text, text, source.picks)
        fields["copied_from"] = source.id
    return fields


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _article_from_query(value) -> Article | None:
    try:
        return Article.objects.filter(pk=uuid.UUID(value)).first() if value else None
    except ValueError:
        return None


@require_safe
def latest_view(request):
    """The session's latest article; without one, back to the form with a message."""
    article = latest_article(request)
    if article is None:
        messages.info(request, _("There is no article to show yet. Type or paste a text first."))
        return redirect("article_pronunciation:input")
    return _result_page(request, article, is_latest=True)


@require_safe
def detail_view(request, article_id):
    """The permalink of an article."""
    return _result_page(request, get_object_or_404(Article, pk=article_id), is_latest=False)


def _display(request, article: Article):
    form = DisplayForm(request.GET, article)
    display = form.display_options()
    annotator_options = article.annotator_options({name: display[name] for name in OPTION_NAMES})
    return form, display, annotator_options


def _page(request, article: Article) -> ArticlePage:
    """The page of the article that `?page=` asks for (pages.py)."""
    return article_page(article.text, settings.ARTICLE_PAGE_LENGTH, request.GET.get("page"))


def _rendered(article: Article, display: dict, annotator_options: dict, page: ArticlePage | None = None) -> dict:
    """The page's article HTML, running text and reading choices, from one segmentation of its
    text: of `page` only (offsets stay the article's), or without one of the whole article."""
    annotator = shared_annotator()
    start, end = (page.start, page.end) if page else (0, len(article.text))
    text = article.text[start:end]
    # Romanised words are converted in the HTML and the running text only: the
    # tokens (choices, offsets) are the text as typed.
    formats = ["html", ("tokens", {"romanized": "keep"}), "text"]
    if display.get("second"):
        formats.append(("html", {"system": display["second"]}))
    picks = {at - start: number for at, number in article.core_picks.items() if start <= at < end}
    html, tokens, romanized, *second = annotator.render(
        text, *formats, picks=picks,
        **annotator_options, romanized=display.get("romanized") or "keep")
    if second:
        html = with_second_readings(html, second[0])
    # The picked tokens' usual readings (without the pick), which the picker marks: a
    # second look at the text, only when it has picks.
    usual = usual_choices(text, annotator) if picks else {}
    choices, choice_count = choices_json(tokens, annotator, usual, offset=start)
    query = urlencode(_query(display))
    return {
        "paragraphs": paragraphs(shift_offsets(html, start), keep_punctuation_with_words=True),
        "romanized": romanized,
        "choices_json": choices,
        "choice_count": choice_count,
        "nothing_to_annotate": not any(token.kind != "other" for token in tokens),
        "query": query,
        "page_query": f"{query}&page={page.number}" if page and page.number > 1 else query,
    }


def _article_classes(display: dict) -> str:
    classes = [f"fp-article fp-system-{display['system']}"]
    if display.get("second"):
        classes.append(f"fp-two-systems fp-second-{display['second']}")
    elif display["system"] == "tps" and display["layout"] == "right":
        classes.append("fp-ruby-right")
    return " ".join(classes)


def _result_page(request, article: Article, is_latest: bool):
    form, display, annotator_options = _display(request, article)
    page = _page(request, article)
    rendered = _rendered(article, display, annotator_options, page)
    context = {
        "article": article,
        "article_page": page,
        "form": form,
        "display": display,
        "system_label": SYSTEM_LABELS[display["system"]],
        "article_classes": _article_classes(display),
        "permalink": _permalink(request, article, rendered["page_query"]),
        "is_latest": is_latest,
        "is_owner": ownership.is_owner(request, article),
        "can_undo": ownership.can_undo(request, article),
        **rendered,
    }
    return render(request, "article_pronunciation/pronunciation.html", context, status=400 if form.errors else 200)


def _fragment_response(request, article: Article, status: int | None = None, extra=None) -> HttpResponse:
    """JSON for the page's scripts: the article's HTML, running text and choices in the
    options asked for, of the page `?page=` asks for, and the fields `extra(rendered)` gives.
    The choices, already JSON, are put in as they are."""
    form, display, annotator_options = _display(request, article)
    rendered = _rendered(article, display, annotator_options, _page(request, article))
    html = render_to_string("article_pronunciation/_article.html",
                            {"paragraphs": rendered["paragraphs"], "article_classes": _article_classes(display)})
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    head = json.dumps({"html": html, "romanized": rendered["romanized"], "query": rendered["query"],
                       "page_query": rendered["page_query"],
                       "system_label": str(SYSTEM_LABELS[display["system"]]), "errors": errors,
                       **(extra(rendered) if extra else {})})
    return HttpResponse(f'{head[:-1]}, "choices": {rendered["choices_json"]}}}', content_type="application/json",
                        status=status or (400 if errors else 200))


@require_safe
def render_view(request, article_id):
    """JSON for the page's scripts: the article in other options, without a reload."""
    return _fragment_response(request, get_object_or_404(Article, pk=article_id))


@require_http_methods(["GET", "HEAD", "POST"])
def readings_view(request, article_id):
    """Pick readings.  GET: the words with several readings, a page at a time, as radio buttons
    (no script needed); `?page=` chooses the page.

    POST: `pick-<start>=<reading number>` fields, saved with the article;
    scripts send one at a time and get the re-rendered article back as JSON.
    A page shows at most READINGS_PER_PAGE words, so its work and size are
    bounded by what it shows, however long the article.
    """
    article = get_object_or_404(Article, pk=article_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form, display, annotator_options = _display(request, article)
    # Without the picks: each token's choice is then its usual reading (not always the
    # first: a sentence that reads as news takes its news readings); the picks are laid over.
    tokens = ambiguous_tokens(shared_annotator().annotate(article.text, **annotator_options))
    errors = []
    if request.method == "POST":
        picks, errors = parse_picks(request.POST, {token.start: len(token.alternatives) + 1 for token in tokens})
        if not errors:
            article = save_picks(request, article, picks, tokens)
            if wants_json:
                return _picks_response(request, article)
            messages.success(request, _("Your readings are saved with the article."))
            return redirect(f"{article.get_absolute_url()}?{urlencode(_query(display))}")
        if wants_json:
            return JsonResponse({"error": " ".join(str(e) for e in errors)}, status=400)
    page = Paginator(tokens, settings.READINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(_query(display))
    context = {"article": article,
               "rows": reading_rows(article.text, page.object_list, shared_annotator(), article.core_picks),
               "page": page,
               "errors": errors, "display": display, "form": form, "query": query,
               "page_query": f"{query}&page={page.number}" if page.number > 1 else query}
    return render(request, "article_pronunciation/readings.html", context, status=400 if errors else 200)


def _query(display: dict) -> dict:
    query = {name: display[name] for name in (*OPTION_NAMES, "layout")}
    if display.get("second"):
        query["second"] = display["second"]
    if display.get("romanized") == "convert":
        query["romanized"] = "convert"
    return query


@require_safe
def download_view(request, article_id, fmt):
    if fmt not in DOWNLOADS:
        raise Http404(_("Downloads come as text, romanized, html or json."))
    article = get_object_or_404(Article, pk=article_id)
    form, display, annotator_options = _display(request, article)
    annotator = shared_annotator()
    picks = article.core_picks
    suffix, content_type = DOWNLOADS[fmt]
    if fmt == "text":
        body = ruby_text(annotator.to_html(article.text, picks=picks, **annotator_options))
    elif fmt == "romanized":
        body = annotator.romanize(article.text, picks=picks, **annotator_options)
    elif fmt == "html":
        body = render_to_string("article_pronunciation/standalone.html", {
            "article": article,
            "paragraphs": paragraphs(annotator.to_html(article.text, picks=picks, **annotator_options)),
            "article_classes": _article_classes(display),
            "system_label": SYSTEM_LABELS[display["system"]],
            "stylesheet": standalone_css(),
        }, request=request)
    else:
        head = {"id": str(article.id), "created": article.created.isoformat(), "text": article.text,
                "options": {name: display[name] for name in OPTION_NAMES}, "picks": article.picks}
        body = json_with_tokens(annotator, head, article.text, picks, annotator_options)
    if fmt != "json" and not body.endswith("\n"):
        body += "\n"
    response = HttpResponse(body, content_type=content_type)
    filename = f"fastpron-{str(article.id)[:8]}-{display['system']}.{suffix}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if fmt == "html":
        # The saved page carries its own style sheet and no script at all.
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@functools.cache
def standalone_css() -> str:
    """The page's ruby and print style sheet, to embed in the downloaded HTML."""
    with open(finders.find("article_pronunciation/ruby.css"), encoding="utf-8") as f:
        return f.read()


def save_picks(request, article: Article, picks: dict[int, int], tokens) -> Article:
    """Save picks (by number) for this session: on its own article, else on a copy it then owns.

    With `apply_to_all` in the form, each pick goes to every token of the same word.
    """
    article = ownership.writable(request, article)
    annotator = shared_annotator()
    usual = {token.start: token.choice for token in tokens}     # tokens annotated without the picks
    stored = from_numbers(article.text, picks, annotator, tokens, usual)
    if request.POST.get("apply_to_all"):
        for start, value in list(stored.items()):
            word = value["word"] if value else next((t.text for t in tokens if t.start == start), None)
            if word:
                stored.update(apply_to_all(article.text, word, value and value["reading"], annotator, tokens, usual))
    ownership.remember_for_undo(request, article)
    article.merge_picks(stored)
    article.save(update_fields=["picks", "updated"])
    return article


def _permalink(request, article: Article, query: str) -> str:
    """The article's address with the options it is shown in: what the Copy button copies."""
    return f"{request.build_absolute_uri(article.get_absolute_url())}?{query}"


def _picks_response(request, article: Article) -> HttpResponse:
    """The re-rendered article after a pick, with where it now lives (a copy has its own permalink)."""
    return _fragment_response(request, article, status=200, extra=lambda rendered: {
        "article_id": str(article.id),
        "permalink": _permalink(request, article, rendered["page_query"]),
        "can_undo": ownership.can_undo(request, article)})


@require_http_methods(["POST"])
def undo_view(request, article_id):
    """Put back the picks before this session's last change to its own article."""
    article = get_object_or_404(Article, pk=article_id)
    done = ownership.undo(request, article)
    if "application/json" in request.headers.get("Accept", ""):
        if not done:
            return JsonResponse({"error": _("There is no pick to undo.")}, status=400)
        return _picks_response(request, article)
    if done:
        messages.success(request, _("The last change to the readings was undone."))
    else:
        messages.info(request, _("There is no pick to undo."))
    form, display, annotator_options = _display(request, article)
    page = _page(request, article)
    return redirect(f"{article.get_absolute_url()}?{urlencode(_query(display))}"
                    + (f"&page={page.number}" if page.number > 1 else ""))
