"""Forms of the dictionary pages: the search box and the 反切 tool."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fastpron.annotator import MAX_KEY_LENGTH

from .lookup import is_romanized


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Character, word or romanisation"), max_length=MAX_KEY_LENGTH,
                        widget=forms.TextInput(attrs={"placeholder": "行", "lang": "nan-Hant-TW",
                                                      "autocomplete": "off", "type": "search"}))

    def clean_q(self):
        words = self.cleaned_data["q"].split()
        # Han text loses its spaces; romanisation keeps one between syllables (tâi uân).
        value = " ".join(words) if is_romanized(" ".join(words)) else "".join(words)
        if not value:
            raise forms.ValidationError(_("Enter a character or a word."), code="required")
        return value


class OneCharacterField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=8, **kwargs)
        self.widget.attrs.update({"size": 2, "autocomplete": "off", "lang": "nan-Hant-TW", "class": "fp-one-char"})

    def clean(self, value):
        value = super().clean(value).strip()
        if len(value) != 1:
            raise forms.ValidationError(_("Enter exactly one character."), code="one_character")
        return value


class FanqieForm(forms.Form):
    upper = OneCharacterField(label=_("Upper character (gives the initial)"),
                              widget=forms.TextInput(attrs={"placeholder": "德"}))
    lower = OneCharacterField(label=_("Lower character (gives the final and the tone category)"),
                              widget=forms.TextInput(attrs={"placeholder": "紅"}))
