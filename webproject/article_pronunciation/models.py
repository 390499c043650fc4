"""An Article: a text as the user typed it, the options chosen, and the readings picked."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import picks as picks_module
from .options import DEFAULTS, DIALECTS, OPTION_NAMES, ROMANIZED, SANDHI, SYSTEMS, TONES, annotator_options


class Article(models.Model):
    # A random UUID: the permalink is not guessable and ids cannot be enumerated.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    text = models.TextField(_("text"))
    system = models.CharField(_("system"), max_length=16, choices=SYSTEMS, default=DEFAULTS["system"])
    tones = models.CharField(_("tones"), max_length=16, choices=TONES, default=DEFAULTS["tones"])
    sandhi = models.CharField(_("tone sandhi"), max_length=16, choices=SANDHI, default=DEFAULTS["sandhi"])
    dialect = models.CharField(_("accent"), max_length=16, choices=DIALECTS, default=DEFAULTS["dialect"])
    # Readings picked on the result page: {"<token start offset>": {"word": "講", "reading": "kang2"}},
    # the reading itself in numbered Tâi-lô (picks.py), never its place in the lexicon's order.
    picks = models.JSONField(_("picked readings"), default=dict, blank=True)
    # romanized: "convert" rewrites Tâi-lô/POJ words typed in the text in the chosen system.
    romanized = models.CharField(_("romanised words"), max_length=8, choices=ROMANIZED, default="keep")
    # The browser session that created the article (a hash of a key kept in that session,
    # ownership.py); picks from any other session go to a copy.  Empty: nobody's.
    owner = models.CharField(_("owner"), max_length=64, blank=True, default="", editable=False)
    # The article this one was copied from, when someone else's picks or edits made it.
    copied_from = models.UUIDField(_("copied from"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first_line[:40]

    def get_absolute_url(self):
        return reverse("article_pronunciation:detail", args=[self.id])

    @property
    def options(self) -> dict:
        """The options saved with the article, as form values."""
        return {name: getattr(self, name) for name in OPTION_NAMES}

    @property
    def core_picks(self) -> dict[int, int]:
        """The picks as fastpron takes them: int offsets to reading numbers, in today's lexicon order."""
        from ..dictionary.annotator import shared_annotator
        return picks_module.to_numbers(self.text, self.picks, shared_annotator())

    def set_picks(self, changes: dict[int, int], tokens=None) -> None:
        """Merge picked readings given by number (a form's); a token's usual reading removes its pick."""
        from ..dictionary.annotator import shared_annotator
        self.merge_picks(picks_module.from_numbers(self.text, changes, shared_annotator(), tokens))

    def merge_picks(self, changes: dict[int, dict | None]) -> None:
        """Merge stored picks ({start: {"word", "reading"}}); None removes the pick at that start."""
        picks = dict(self.picks or {})
        for start, value in changes.items():
            if value:
                picks[str(start)] = value
            else:
                picks.pop(str(start), None)
        self.picks = picks

    def annotator_options(self, overrides: dict | None = None) -> dict:
        return annotator_options({**self.options, **(overrides or {})})
