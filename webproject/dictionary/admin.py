"""The user dictionary in Django's admin (staff only): add, change and remove entries."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import UserEntry, split_readings

admin.site.site_header = _("fastpron administration")
admin.site.site_title = _("fastpron")
admin.site.index_title = _("User dictionary and site")


class UserEntryForm(forms.ModelForm):
    class Meta:
        model = UserEntry
        fields = ["key", "readings", "hidden", "note"]
        widgets = {"readings": forms.Textarea(attrs={"rows": 3, "cols": 60, "lang": "nan-Latn-TW"}),
                   "key": forms.TextInput(attrs={"lang": "nan-Hant-TW", "autocomplete": "off"})}


@admin.register(UserEntry)
class UserEntryAdmin(admin.ModelAdmin):
    form = UserEntryForm
    list_display = ["key", "reading_preview", "hidden", "note", "updated"]
    list_filter = ["hidden"]
    search_fields = ["key", "readings", "note"]
    readonly_fields = ["updated"]
    ordering = ["key"]

    @admin.display(description=_("readings"))
    def reading_preview(self, entry):
        if entry.hidden:
            return _("(hidden from the lexicon)")
        # Escaped piece by piece: an entry is user input like any other.
        return format_html_join(", ", "<span lang=\"nan-Latn-TW\">{}</span>",
                                ((reading,) for reading in split_readings(entry.readings)))
