"""The double-entry journal every posted distribution and rent payment writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cunqi.benefits.models.distributions import Distribution, Payout
from cunqi.core.fields import MoneyField


class JournalEntry(models.Model):
    """A posting or its reversal: append-only (the database refuses updates and deletes)."""

    class Kind(models.TextChoices):
        POSTING = "posting", _("posting")
        REVERSAL = "reversal", _("reversal")

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        related_name="journal_entries",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", on_delete=models.PROTECT
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["created_at", "pk"]
        constraints = [
            # At most one posting and one reversal per distribution: posting twice, even
            # from two concurrent requests, cannot add a second entry.
            models.UniqueConstraint(
                fields=["distribution", "kind"], name="journal_entry_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.distribution}"


class JournalLine(models.Model):
    """One side of an entry: the project's profit paid out (negative) or a payee credited."""

    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entry"), related_name="lines", on_delete=models.PROTECT
    )
    payout = models.ForeignKey(
        Payout, verbose_name=_("payout"), null=True, blank=True, on_delete=models.PROTECT
    )
    account = models.CharField(_("account"), max_length=40)
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "pk"]
        # The balance trigger finds an entry's last line by this index.
        indexes = [models.Index(fields=["entry", "id"], name="journalline_entry_last")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"
