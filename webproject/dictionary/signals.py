"""Every saved or deleted user entry changes the dictionary revision, in the same transaction."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import DictionaryState, UserEntry


@receiver(post_save, sender=UserEntry, dispatch_uid="dictionary-bump-on-save")
@receiver(post_delete, sender=UserEntry, dispatch_uid="dictionary-bump-on-delete")
def bump_revision(sender, **kwargs):
    DictionaryState.bump()
