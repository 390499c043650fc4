"""The public dictionary pages: search the lexicon, and the 反切 tool."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..article_pronunciation.options import SYSTEMS
from .annotator import shared_annotator
from .forms import FanqieForm, SearchForm
from .lookup import fanqie_of_characters, is_romanized, readings_in_every_system, words_read_as


@require_safe
def search_view(request):
    """Every reading of a character or word in every system; for a longer text, its words."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "systems": SYSTEMS, "examples": ["行", "台灣", "銀行", "先生", "食飯"]}
    status = 200
    if form.is_bound:
        if form.is_valid():
            annotator = shared_annotator()
            key = form.cleaned_data["q"]
            context["key"] = key
            context["entries"] = [
                {**entry, "cells": [(label, entry["systems"][code]) for code, label in SYSTEMS]}
                for entry in readings_in_every_system(annotator, key)]
            context["from_user_dictionary"] = key in annotator.user_dictionary
            if not context["entries"] and is_romanized(key):
                context["matches"] = [{**match, "cells": [(label, match["systems"][code]) for code, label in SYSTEMS]}
                                      for match in words_read_as(annotator, key)]
            elif not context["entries"] and len(key) > 1:
                context["parts"] = [token for token in annotator.annotate(key) if token.kind in ("word", "char")]
        else:
            status = 400
    return render(request, "dictionary/search.html", context, status=status)


@require_safe
def fanqie_view(request):
    """反切: the upper character's initial, the lower's final; 清/濁 from the upper, 平上去入 from the lower."""
    form = FanqieForm(request.GET if request.GET else None)
    context = {"form": form, "systems": SYSTEMS}
    status = 200
    if form.is_bound:
        if form.is_valid():
            annotator = shared_annotator()
            upper, lower = form.cleaned_data["upper"], form.cleaned_data["lower"]
            missing = [char for char in (upper, lower) if not annotator.lookup(char)]
            if missing:
                context["error"] = _("Not in the dictionary: %(chars)s") % {"chars": "、".join(missing)}
                status = 404
            else:
                results = fanqie_of_characters(annotator, upper, lower)
                context.update({
                    "upper": upper, "lower": lower, "results": results,
                    "upper_readings": annotator.lookup(upper), "lower_readings": annotator.lookup(lower),
                })
                if results:
                    context["best"] = results[0]
                    context["best_systems"] = [
                        (label, annotator.render_reading(results[0].numbered, system=code))
                        for code, label in SYSTEMS]
                else:
                    context["error"] = _("These readings make no syllable (tone 9 has no 反切 class).")
        else:
            status = 400
    return render(request, "dictionary/fanqie.html", context, status=status)
