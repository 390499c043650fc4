"""Forms: the article input, the display options of the result page, and picked readings."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext

from .models import Article
from .options import DEFAULTS, DIALECTS, ROMANIZED, SANDHI, SYSTEMS, TONES

SAMPLE_TEXT = "台灣是一个美麗的島嶼，山懸水媠，四季攏有花開。\n阮阿公較早逐工透早就去田裡做穡。"

LAYOUTS = [
    ("right", _("vertical, right of each character")),
    ("over", _("over the characters")),
]


# The result page's options beyond the article's own, with their defaults.
DISPLAY_DEFAULTS = {"layout": "right", "second": "", "romanized": "keep"}
DISPLAY_EXTRAS = tuple(DISPLAY_DEFAULTS)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class OptionsForm(forms.Form):
    """system, tones, sandhi and dialect; every field falls back to its default."""

    system = forms.ChoiceField(label=_("System"), choices=SYSTEMS, initial=DEFAULTS["system"])
    tones = forms.ChoiceField(label=_("Tones"), choices=TONES, initial=DEFAULTS["tones"])
    sandhi = forms.ChoiceField(label=_("Tone sandhi"), choices=SANDHI, initial=DEFAULTS["sandhi"])
    dialect = forms.ChoiceField(label=_("Accent"), choices=DIALECTS, initial=DEFAULTS["dialect"])


class ArticleForm(OptionsForm):
    text = forms.CharField(
        label=_("Text"),
        strip=False,
        widget=forms.Textarea(attrs={
            "rows": 14, "placeholder": SAMPLE_TEXT, "spellcheck": "false",
            "autocomplete": "off", "lang": "nan-Hant-TW",
        }),
    )

    romanized = forms.ChoiceField(label=_("Tâi-lô or POJ words in the text"), choices=ROMANIZED, initial="keep",
                                  required=False)

    field_order = ["text", "system", "tones", "sandhi", "dialect", "romanized"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = settings.MAX_TEXT_LENGTH
        self.fields["text"].widget.attrs["data-max-length"] = str(self.max_length)
        self.fields["text"].help_text = _("Up to %(limit)s characters. Paragraphs and line breaks are kept.") % {
            "limit": f"{self.max_length:,}"}

    def clean_romanized(self):
        return self.cleaned_data.get("romanized") or "keep"

    def clean_text(self):
        text = normalize_newlines(self.cleaned_data["text"])
        if not text.strip():
            raise forms.ValidationError(_("Enter a text to annotate."), code="required")
        if len(text) > self.max_length:
            raise forms.ValidationError(
                gettext("The text has %(length)s characters; the limit is %(limit)s. Shorten it or split "
                        "it into several articles; your text is still here.")
                % {"length": f"{len(text):,}", "limit": f"{self.max_length:,}"},
                code="max_length")
        return text


class DisplayForm(OptionsForm):
    """The result page's switches (GET): any option left out keeps the article's own."""

    layout = forms.ChoiceField(label=_("方音符號 position"), choices=LAYOUTS, initial="right", required=False)
    # A second system over each character, above the first (the original tool's two-line ruby).
    second = forms.ChoiceField(label=_("Also show"), choices=[("", _("no second system")), *SYSTEMS],
                               initial="", required=False)
    romanized = forms.ChoiceField(label=_("Tâi-lô or POJ words in the text"), choices=ROMANIZED, required=False)

    def __init__(self, data, article: Article):
        self.article = article
        given = {name: data.get(name) for name in (*article.options, *DISPLAY_EXTRAS) if data.get(name)}
        super().__init__({**self.article_defaults(), **given})

    def article_defaults(self) -> dict:
        return {**self.article.options, **DISPLAY_DEFAULTS, "romanized": self.article.romanized or "keep"}

    def display_options(self) -> dict:
        """The valid options, the article's own where a value was not valid."""
        values = self.article_defaults()
        self.is_valid()
        for name in values:
            if name not in self.errors and self.cleaned_data.get(name):
                values[name] = self.cleaned_data[name]
        if values["second"] == values["system"]:
            values["second"] = ""
        return values


PICK_FIELD = re.compile(r"pick-(\d{1,9})\Z")


def parse_picks(data, choices: dict[int, int]) -> tuple[dict[int, int], list[str]]:
    """`pick-<start>=<reading number>` fields -> ({start: number}, errors).

    `choices` gives the number of readings of each token that has several.
    """
    picks, errors = {}, []
    for name in data:
        match = PICK_FIELD.match(name)
        if not match:
            continue
        start, value = int(match.group(1)), data.get(name, "")
        if start not in choices:
            errors.append(_("No word with several readings starts at position %(start)s.") % {"start": start})
            continue
        if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) >= choices[start]:     # not "²", nor 5,000 digits
            errors.append(_("Reading %(value)s does not exist for the word at position %(start)s.")
                          % {"value": value[:20], "start": start})
            continue
        picks[start] = int(value)
    return picks, errors
