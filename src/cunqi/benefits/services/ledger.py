"""Approved distributions posted to the double-entry journal, and postings reversed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.benefits.models import (
    Distribution,
    JournalEntry,
)
from cunqi.core import bulk, history
from cunqi.core.doors import authorize

if TYPE_CHECKING:
    from cunqi.accounts.models import User
from cunqi.benefits.services.distributions import refuse_outside_scope, refuse_problems

# The project's line pays the profit out; each payout's line credits its payee's account:
# the household, else the stake's village group, enterprise or village collective.
PROJECT_ACCOUNT = "'project:' || CAST(d.project_id AS TEXT)"


PAYEE_ACCOUNT = """
       CASE WHEN p.household_id IS NOT NULL THEN 'household:' || CAST(p.household_id AS TEXT)
            WHEN s.village_group_id IS NOT NULL THEN 'village_group:' || CAST(s.village_group_id AS TEXT)
            WHEN s.enterprise_id IS NOT NULL THEN 'enterprise:' || CAST(s.enterprise_id AS TEXT)
            ELSE 'village:' || CAST(s.village_id AS TEXT) END"""


_POSTING_LINES = f"""
INSERT INTO benefits_journalline (entry_id, payout_id, account, amount)
SELECT e.id, NULL, {PROJECT_ACCOUNT}, -d.profit
  FROM benefits_journalentry e JOIN benefits_distribution d ON d.id = e.distribution_id
 WHERE e.id IN ({{entries}})
UNION ALL
SELECT e.id, p.id, {PAYEE_ACCOUNT}, p.amount
  FROM benefits_journalentry e
  JOIN benefits_payout p ON p.distribution_id = e.distribution_id
  JOIN benefits_stake s ON s.id = p.stake_id
 WHERE e.id IN ({{entries}})
"""


def _post_locked(approved: Sequence[tuple[int, int]], user: User) -> list[JournalEntry]:
    """Post (distribution id, year) pairs already locked and approved: one entry each, its
    lines written by the database from the payouts (no row comes back through Python)."""
    entries = JournalEntry.objects.bulk_create(
        JournalEntry(
            distribution_id=pk,
            kind=JournalEntry.Kind.POSTING,
            created_by=user,
            memo=_("Dividends %(year)s") % {"year": year},
        )
        for pk, year in approved
    )
    if entries:
        with connection.cursor() as cursor:
            ids = [entry.pk for entry in entries]
            cursor.execute(_POSTING_LINES.format(entries=", ".join(["%s"] * len(ids))), ids * 2)
        now = timezone.now()
        posted = Distribution.objects.filter(pk__in=[pk for pk, _year in approved])
        with history.recorded():
            posted.update(status=Distribution.Status.POSTED, posted_at=now, updated_at=now)
        history.record_updates(
            posted.select_related("project"),
            {
                "status": (Distribution.Status.APPROVED, Distribution.Status.POSTED),
                "posted_at": (None, now),
            },
            user,
            at=now,
        )
    return entries


def post_distribution(distribution: Distribution, user: User) -> JournalEntry:
    """Post an approved distribution to the journal, exactly once.

    Posting again, or from two requests at the same moment, returns the one entry: the
    row lock serialises the requests and the unique (distribution, kind) constraint
    stops a second entry whatever happens.
    """
    authorize(user, "post", distribution)
    try:
        with transaction.atomic():
            locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
            if locked.status == Distribution.Status.POSTED:
                return locked.journal_entries.get(kind=JournalEntry.Kind.POSTING)
            if locked.status != Distribution.Status.APPROVED:
                raise ValidationError(_("Only an approved distribution can be posted."))
            [entry] = _post_locked([(locked.pk, locked.year)], user)
            return entry
    except IntegrityError:
        # Another request posted it between our lock and insert (no lock on SQLite).
        return JournalEntry.objects.get(distribution=distribution, kind=JournalEntry.Kind.POSTING)


def post_distributions(ids: Sequence[int], user: User, chunk_size: int = 500) -> int:
    """Post many approved distributions, a chunk per transaction. Posted ones are skipped,
    so a run that stopped halfway is finished by running it again; any other status is
    refused before anything is posted. Returns how many this run posted."""
    ids = list(ids)
    authorize(user, "post", model=Distribution)
    refuse_outside_scope(Distribution, user, ids)
    problems = {}
    for chunk in bulk.chunks(ids, chunk_size):
        problems.update(
            (project, (None, _("Only an approved distribution can be posted.")))
            for project in Distribution.objects.filter(pk__in=chunk)
            .exclude(status__in=(Distribution.Status.APPROVED, Distribution.Status.POSTED))
            .values_list("project", flat=True)
        )
    if problems:
        refuse_problems(problems)
    posted = 0
    for chunk in bulk.chunks(ids, chunk_size):
        with transaction.atomic():
            approved = list(
                Distribution.objects.select_for_update()
                .filter(pk__in=chunk, status=Distribution.Status.APPROVED)
                .values_list("pk", "year")
            )
            posted += len(_post_locked(approved, user))
    return posted


@transaction.atomic
def reverse_distribution(distribution: Distribution, user: User, memo: str = "") -> JournalEntry:
    """Cancel a posted distribution with an opposite entry; a new one may then be prepared."""
    authorize(user, "reverse", distribution)
    locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if locked.status != Distribution.Status.POSTED:
        raise ValidationError(_("Only a posted distribution can be reversed."))
    posting = locked.journal_entries.get(kind=JournalEntry.Kind.POSTING)
    entry = JournalEntry.objects.create(
        distribution=locked, kind=JournalEntry.Kind.REVERSAL, created_by=user, memo=memo
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO benefits_journalline (entry_id, payout_id, account, amount) "
            "SELECT %s, payout_id, account, -amount FROM benefits_journalline WHERE entry_id = %s",
            [entry.pk, posting.pk],
        )
    locked.status = Distribution.Status.REVERSED
    locked.save(update_fields=["status", "updated_at"])
    return entry
