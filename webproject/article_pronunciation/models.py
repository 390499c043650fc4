"""An Article: a text as the user typed it, the options chosen, and the readings picked."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .options import DEFAULTS, DIALECTS, OPTION_NAMES, SANDHI, SYSTEMS, TONES, annotator_options


class Article(models.Model):
    # A random UUID: the permalink is not guessable and ids cannot be enumerated.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    text = models.TextField(_("text"))
    system = models.CharField(_("system"), max_length=16, choices=SYSTEMS, default=DEFAULTS["system"])
    tones = models.CharField(_("tones"), max_length=16, choices=TONES, default=DEFAULTS["tones"])
    sandhi = models.CharField(_("tone sandhi"), max_length=16, choices=SANDHI, default=DEFAULTS["sandhi"])
    dialect = models.CharField(_("accent"), max_length=16, choices=DIALECTS, default=DEFAULTS["dialect"])
    # Readings picked on the result page: {"<token start offset>": reading number},
    # the numbers fastpron's `picks` option takes (0 is the default reading).
    picks = models.JSONField(_("picked readings"), default=dict, blank=True)
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
        """The picks as fastpron takes them: int offsets to int reading numbers."""
        picks = {}
        for start, choice in (self.picks or {}).items():
            try:
                picks[int(start)] = int(choice)
            except (TypeError, ValueError):
                continue
        return picks

    def set_picks(self, changes: dict[int, int]) -> None:
        """Merge picked readings; 0 (the default reading) removes a pick."""
        picks = dict(self.picks or {})
        for start, choice in changes.items():
            if choice:
                picks[str(start)] = choice
            else:
                picks.pop(str(start), None)
        self.picks = picks

    def annotator_options(self, overrides: dict | None = None) -> dict:
        return annotator_options({**self.options, **(overrides or {})})
