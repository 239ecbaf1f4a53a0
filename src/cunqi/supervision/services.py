"""Monthly reports' workflow and the cards' evaluation."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core import history
from cunqi.core.doors import Door, authorize, door, register
from cunqi.core.roles import Role
from cunqi.pairing.models import Pairing
from cunqi.projects import lifecycle
from cunqi.projects.models import ApprovalDocument, Investment, Project
from cunqi.supervision import evaluation, rules
from cunqi.supervision.models import (
    ActionItem,
    Bulletin,
    Card,
    EvaluationIndicator,
    EvaluationScheme,
    MonthlyReport,
    Nomination,
    ReportAttachment,
    RuleSetting,
)

# Projects that report monthly and whose investment is watched.
SUPERVISED = (lifecycle.BUILDING, lifecycle.OPERATING)


WRITING = (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED)


@register
class MonthlyReportDoor(Door):
    """A report is written while it is a draft or returned; submitted or accepted, its
    figures are fixed (only a return opens it again)."""

    model = MonthlyReport
    managed_fields = frozenset(
        {"status", "submitted_at", "submitted_by", "reviewed_by", "review_comment"}
    )

    def frozen(self, row) -> str | None:
        if row.status not in WRITING:
            return _("A submitted or accepted report can no longer be changed.")
        return None


@register
class ReportAttachmentDoor(Door):
    """Files are attached to, or removed from, a report only while it is being written."""

    model = ReportAttachment

    def frozen(self, row) -> str | None:
        return door(MonthlyReport).frozen(row.report)


@register
class CardDoor(Door):
    """A card is issued by the rules; its rectification is written until it is cleared."""

    model = Card

    def frozen(self, row) -> str | None:
        if row.status == Card.Status.CLEARED:
            return _("A cleared card can no longer be changed.")
        return None


@register
class NominationDoor(Door):
    model = Nomination
    managed_fields = frozenset({"status", "decision_note"})

    def frozen(self, row) -> str | None:
        if row.status != Nomination.Status.NOMINATED:
            return _("This nomination has already been decided.")
        return None


@register
class BulletinDoor(Door):
    """A month's bulletin is requested, and requested again, never edited by hand: each
    request queues the task that writes its files."""

    model = Bulletin
    managed_fields = frozenset({"status", "message", "generated_at", "docx", "xlsx", "pdf"})

    def save(self, user, obj, values):
        if obj is None and values.get("month"):
            obj = Bulletin.objects.filter(month=values["month"]).first()
        return super().save(user, obj, values)

    def prepare(self, row, user, *, previous) -> None:
        row.status, row.message = Bulletin.Status.QUEUED, ""

    def write(self, row, related, user, *, previous):
        from cunqi.supervision.tasks import generate_bulletin

        row.save()
        transaction.on_commit(lambda: generate_bulletin.enqueue(row.pk))
        return row


@register
class EvaluationSchemeDoor(Door):
    """A scheme is saved with exactly its indicators (``values["indicators"]``, unsaved),
    whose weights sum to 100%; without them a change keeps the ones it had."""

    model = EvaluationScheme
    extra_inputs = frozenset({"indicators"})

    def check(self, row, related, user, *, previous) -> None:
        if "indicators" not in related:
            if previous is None:
                raise ValidationError(_("A scheme needs its indicators."))
            related["indicators"] = [
                EvaluationIndicator(code=i.code, weight=i.weight)
                for i in EvaluationIndicator.objects.filter(scheme=row.pk)
            ]
        indicators = related["indicators"]
        try:
            evaluation.check_weights(
                [evaluation.Indicator(i.code, "rate", i.weight) for i in indicators]
            )
        except evaluation.WeightsDoNotSum as error:
            raise ValidationError(
                _("The weights must sum to exactly 100%% (now %(total)s%%).")
                % {"total": f"{error.total:.2f}"}
            ) from None

    def write(self, row, related, user, *, previous):
        row.save()
        row.indicators.all().delete()
        EvaluationIndicator.objects.bulk_create(
            EvaluationIndicator(scheme=row, code=i.code, weight=i.weight)
            for i in related["indicators"]
        )
        return row


@transaction.atomic
def submit_report(report: MonthlyReport, user) -> MonthlyReport:
    authorize(user, "submit", report)
    locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED):
        raise ValidationError(_("Only a draft or returned report can be submitted."))
    locked.status = MonthlyReport.Status.SUBMITTED
    # The first submission counts for timeliness; a returned report keeps its date.
    locked.submitted_at = locked.submitted_at or timezone.now()
    locked.submitted_by = user
    locked.save()
    return locked


@transaction.atomic
def review_report(report: MonthlyReport, user, *, accept: bool, comment: str = "") -> MonthlyReport:
    authorize(user, "review", report)
    locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != MonthlyReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what must change before returning a report.")})
    locked.status = MonthlyReport.Status.ACCEPTED if accept else MonthlyReport.Status.RETURNED
    locked.reviewed_by, locked.review_comment = user, comment.strip()
    locked.save()
    return locked


def months_back(month: date, count: int) -> list[date]:
    """``month`` and the ``count - 1`` months before it, newest first."""
    months = []
    for _step in range(count):
        months.append(month)
        month = (
            date(month.year - 1, 12, 1)
            if month.month == 1
            else date(month.year, month.month - 1, 1)
        )
    return months


def last_due_month(today: date, due_day: int) -> date:
    """The latest month whose report was due before ``today``."""
    month = today.replace(day=1)
    while rules.report_due_on(month, due_day) >= today:
        month = months_back(month, 2)[1]
    return month


@dataclass(frozen=True)
class Subject:
    key: str
    town_id: int | None
    project_id: int | None = None
    pairing_id: int | None = None
    action_item_id: int | None = None


def project_towns(project_ids) -> dict[int, int]:
    """A project's town for the board: its first village's."""
    towns: dict[int, int] = {}
    for project, town in (
        Project.villages.through.objects.filter(project__in=project_ids)
        .order_by("project", "village")
        .values_list("project", "village__town")
    ):
        towns.setdefault(project, town)
    return towns


def findings(today: date) -> dict[tuple[str, str], tuple[rules.Finding, Subject]]:
    """Every enabled rule that fires today, by (rule, subject)."""
    config = {setting.rule: setting for setting in RuleSetting.objects.filter(enabled=True)}
    found: dict[tuple[str, str], tuple[rules.Finding, Subject]] = {}
    supervised = Project.objects.filter(status__in=SUPERVISED)
    project_ids = list(supervised.values_list("pk", flat=True))
    towns = project_towns(project_ids)

    def add(rule: str, finding: rules.Finding | None, subject: Subject) -> None:
        if finding is not None:
            found[(rule, subject.key)] = (finding, subject)

    def project_subject(project: int) -> Subject | None:
        town = towns.get(project)
        return Subject(f"project:{project}", town, project_id=project) if town else None

    if setting := config.get(RuleSetting.Rule.INVESTMENT):
        this_month = today.replace(day=1)
        figures = (
            Investment.objects.filter(project__in=project_ids)
            .values("project")
            .annotate(
                planned=Sum("planned_amount", filter=Q(month__lte=this_month)),
                completed=Sum("completed_amount"),
            )
            .order_by()
        )
        for row in figures:
            if subject := project_subject(row["project"]):
                add(
                    setting.rule,
                    rules.investment_progress(
                        row["completed"] or 0,
                        row["planned"] or 0,
                        setting.yellow_below,
                        setting.red_below,
                    ),
                    subject,
                )

    if setting := config.get(RuleSetting.Rule.REPORTS):
        months = months_back(last_due_month(today, setting.due_day), setting.red_after_missing)
        submitted = defaultdict(dict)
        for project, month, at in MonthlyReport.objects.filter(
            project__in=project_ids, month__in=months, submitted_at__isnull=False
        ).values_list("project", "month", "submitted_at"):
            submitted[project][month] = timezone.localdate(at)
        for project, start in supervised.values_list("pk", "start_date"):
            subject = project_subject(project)
            first = start.replace(day=1) if start else None
            window = [m for m in months if first is None or m >= first]
            if subject and window:
                add(
                    setting.rule,
                    rules.report_timeliness(
                        [
                            rules.ReportMonth(
                                m,
                                rules.report_due_on(m, setting.due_day),
                                submitted[project].get(m),
                            )
                            for m in window
                        ],
                        today,
                        setting.red_after_missing,
                    ),
                    subject,
                )

    if setting := config.get(RuleSetting.Rule.LEADER):
        for pairing, town in Pairing.objects.filter(
            status=Pairing.Status.ACTIVE, leader__isnull=True
        ).values_list("pk", "village__town"):
            add(
                setting.rule,
                rules.pairing_leader(False),
                Subject(f"pairing:{pairing}", town, pairing_id=pairing),
            )

    if setting := config.get(RuleSetting.Rule.DOCUMENTS):
        promised = defaultdict(list)
        for project, name_zh, name_en, on in ApprovalDocument.objects.filter(
            status=ApprovalDocument.Status.PROMISED, promised_on__lt=today
        ).values_list("approval__project", "kind__name_zh", "kind__name_en", "promised_on"):
            promised[project].append(([name_zh, name_en], on))
        # Cases are mostly of projects not yet building, which the other rules skip.
        towns.update(project_towns(set(promised) - set(towns)))
        for project, documents in promised.items():
            if subject := project_subject(project):
                add(setting.rule, rules.approval_documents_overdue(documents, today), subject)

    if setting := config.get(RuleSetting.Rule.ACTIONS):
        for item, town, deadline in ActionItem.objects.filter(
            status=ActionItem.Status.OPEN, deadline__lt=today
        ).values_list("pk", "owner_town", "deadline"):
            add(
                setting.rule,
                rules.action_item_overdue(deadline, False, today),
                Subject(f"action:{item}", town, action_item_id=item),
            )
    return found


@dataclass(frozen=True)
class Evaluation:
    issued: int
    updated: int
    resolved: int


@transaction.atomic
def evaluate_cards(today: date | None = None) -> Evaluation:
    """Issue, update and resolve cards by today's findings: a new card where a rule fires
    first, the colour and figures kept current while it fires, and "to confirm" once it no
    longer does (the task force then clears it). Cards are never deleted."""
    today = today or timezone.localdate()
    fired = findings(today)
    open_cards = {
        (card.rule, card.subject_key): card
        for card in Card.objects.exclude(status=Card.Status.CLEARED).select_for_update()
    }
    new, changed = [], {}
    for key, (finding, subject) in fired.items():
        card = open_cards.pop(key, None)
        if card is None:
            new.append(
                Card(
                    rule=key[0],
                    colour=finding.colour,
                    subject_key=subject.key,
                    project_id=subject.project_id,
                    pairing_id=subject.pairing_id,
                    action_item_id=subject.action_item_id,
                    town_id=subject.town_id,
                    reason=finding.reason,
                    figures=finding.figures,
                    issued_on=today,
                    evaluated_on=today,
                )
            )
            continue
        state = (finding.colour, finding.reason, finding.figures, Card.Status.OPEN)
        if (card.colour, card.reason, card.figures, card.status) == state:
            continue  # unchanged: only its evaluation date moves, below
        if card.colour != finding.colour:
            card.colour_changed_on = today
        before = (card.colour, card.reason, card.status)
        card.colour, card.reason, card.figures, card.status = state
        changed[card] = {
            name: (old, new)
            for name, old, new in zip(
                ("colour", "reason", "status"), before, state[:2] + state[3:], strict=True
            )
            if old != new
        }
    updated = len(changed)
    resolved = 0
    for card in open_cards.values():
        if card.status == Card.Status.OPEN:
            card.status = Card.Status.RESOLVED
            changed[card] = {"status": (Card.Status.OPEN, Card.Status.RESOLVED)}
            resolved += 1
    with history.recorded():
        Card.objects.bulk_create(new, batch_size=2000)
        # Only cards whose colour, figures or status changed are rewritten row by row.
        Card.objects.bulk_update(
            list(changed),
            ["colour", "reason", "figures", "status", "colour_changed_on"],
            batch_size=500,
        )
    history.record_creates(new, ("rule", "colour", "reason", "status"), None)
    history.record_changes(changed, None)
    _notify_new_cards(new)
    # The evaluation date is left out of a card's history (settings): it moves daily.
    Card.objects.exclude(status=Card.Status.CLEARED).exclude(evaluated_on=today).update(
        evaluated_on=today
    )
    return Evaluation(issued=len(new), updated=updated, resolved=resolved)


@transaction.atomic
def clear_card(card: Card, user) -> Card:
    """The task force confirms that a card whose rule no longer fires is cleared."""
    authorize(user, "clear", card)
    locked = Card.objects.select_for_update().get(pk=card.pk)
    if locked.status != Card.Status.RESOLVED:
        raise ValidationError(
            _("The rule still fires for this card: it can be cleared once it no longer does.")
        )
    locked.status = Card.Status.CLEARED
    locked.cleared_on, locked.cleared_by = timezone.localdate(), user
    locked.save()
    return locked


def request_bulletin(month: date, language: str, user) -> Bulletin:
    """Queue (re)generating ``month``'s bulletin; the task writes its files."""
    return door(Bulletin).create(user, {"month": month, "language": language})


def generate_bulletin(bulletin: Bulletin) -> Bulletin:
    """Write the bulletin's three files; a failure is recorded on it, not raised."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from cunqi.supervision import bulletin as documents

    bulletin.status = Bulletin.Status.RUNNING
    bulletin.save(update_fields=["status"])
    try:
        with translation.override(bulletin.language):
            written = documents.files(bulletin.month)
    except Exception as error:  # the reason is kept on the bulletin for the task force
        bulletin.status, bulletin.message = Bulletin.Status.FAILED, str(error)[:300]
        bulletin.save(update_fields=["status", "message"])
        raise
    with transaction.atomic():
        for extension, content in written.items():
            field = getattr(bulletin, extension)
            if field:
                field.delete(save=False)
            field.save(
                documents.file_name(bulletin.month, extension), ContentFile(content), save=False
            )
        bulletin.status, bulletin.message = Bulletin.Status.DONE, ""
        bulletin.generated_at = timezone.now()
        bulletin.save()
    return bulletin


@dataclass(frozen=True)
class TownQualification:
    town: object
    verdict: object  # demonstration.Verdict


def demonstration_towns(towns) -> list[TownQualification]:
    """Each of ``towns`` judged by the current criteria, from its villages' rows."""
    from cunqi.registry.models import Village
    from cunqi.supervision import demonstration
    from cunqi.supervision.models import DemonstrationCriteria

    criteria = DemonstrationCriteria.current()
    statuses = [lifecycle.OPERATING]
    if criteria.count_projects_being_built:
        statuses.append(lifecycle.BUILDING)
    villages = (
        Village.objects.filter(town__in=towns)
        .annotate(
            paired=Count(
                "pairings", filter=Q(pairings__status=Pairing.Status.ACTIVE), distinct=True
            ),
            counted=Count("projects", filter=Q(projects__status__in=statuses), distinct=True),
        )
        .order_by("town", "name")
        .values_list("town", "name", "paired", "counted")
    )
    facts = defaultdict(list)
    for town, name, paired, counted in villages:
        facts[town].append(demonstration.VillageFacts(name, paired > 0, counted))
    return [
        TownQualification(
            town,
            demonstration.town_verdict(
                facts[town.pk], criteria.every_village_paired, criteria.min_projects
            ),
        )
        for town in towns
    ]


@transaction.atomic
def name_demonstration_towns(towns) -> int:
    """Make the towns' demonstration flag what the criteria say; returns how many changed."""
    changed = 0
    for item in demonstration_towns(towns):
        if item.town.is_demonstration != item.verdict.qualifies:
            item.town.is_demonstration = item.verdict.qualifies
            item.town.save(update_fields=["is_demonstration", "updated_at"])  # with history
            changed += 1
    return changed


DEFAULT_WEIGHTS = {
    "investment_rate": 25,
    "pairing_coverage": 10,
    "leader_coverage": 5,
    "projects_per_village": 15,
    "collective_income": 15,
    "jobs_per_village": 10,
    "reports_on_time": 10,
    "cards": 10,
}


def save_scheme(scheme: EvaluationScheme, indicators, user) -> EvaluationScheme:
    """Save a scheme with exactly ``indicators`` (unsaved), through its door."""
    return door(EvaluationScheme).save_instance(user, scheme, indicators=list(indicators))


# What the annual evaluation ranks: towns, pairings and enterprises.
EVALUATION_LEVELS = ("town", "pairing", "enterprise")


def _evaluation_subjects(level: str):
    """The subjects of ``level`` and how villages, projects and pairings map onto them.

    Returns (subjects by pk, village → subject pks, project → subject pks,
    pairing → subject pks, card's own subject field or None).
    """
    from cunqi.registry.models import Enterprise, Town, Village

    active = list(
        Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list(
            "pk", "village", "enterprise", "village__town"
        )
    )
    village_projects = defaultdict(set)
    for project, village in Project.villages.through.objects.values_list("project", "village"):
        village_projects[village].add(project)
    project_enterprises = defaultdict(set)
    for project, enterprise in Project.enterprises.through.objects.values_list(
        "project", "enterprise"
    ):
        project_enterprises[project].add(enterprise)
    village_subjects, project_subjects, pairing_subjects = (
        defaultdict(set),
        defaultdict(set),
        defaultdict(set),
    )
    if level == "town":
        subjects = Town.objects.select_related("zone").order_by("zone__name", "name").in_bulk()
        for village, town in Village.objects.values_list("pk", "town"):
            village_subjects[village].add(town)
        for project, town in project_towns(Project.objects.values("pk")).items():
            project_subjects[project].add(town)
        for pairing, _village, _enterprise, town in active:
            pairing_subjects[pairing].add(town)
        return subjects, village_subjects, project_subjects, pairing_subjects, "town_id"
    for pairing, village, enterprise, _town in active:
        subject = pairing if level == "pairing" else enterprise
        village_subjects[village].add(subject)
        pairing_subjects[pairing].add(subject)
        for project in village_projects[village]:
            if enterprise in project_enterprises[project]:
                project_subjects[project].add(subject)
    if level == "pairing":
        subjects = Pairing.objects.select_related("village__town__zone", "enterprise").in_bulk(
            pairing_subjects
        )
    else:
        subjects = Enterprise.objects.in_bulk({e for _p, _v, e, _t in active})
    return subjects, village_subjects, project_subjects, pairing_subjects, None


def evaluation_figures(year: int, level: str = "town") -> dict:
    """Each subject's raw indicator values for ``year``, from the rows: a town, a pairing
    or an enterprise gets what its villages, projects and pairings did."""
    from cunqi.benefits.models import Employment
    from cunqi.benefits.selectors import collective_incomes
    from cunqi.registry.models import Village

    start, end = date(year, 1, 1), date(year, 12, 31)
    subjects, village_subjects, project_subjects, pairing_subjects, card_field = (
        _evaluation_subjects(level)
    )

    def spread(totals: dict, keys: set, amount) -> None:
        for key in keys:
            totals[key] += amount

    villages = defaultdict(int)
    for village_set in village_subjects.values():
        spread(villages, village_set, 1)
    investment = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for project, planned, completed in (
        Investment.objects.filter(month__gte=start, month__lte=end)
        .values("project")
        .annotate(p=Sum("planned_amount"), c=Sum("completed_amount"))
        .values_list("project", "p", "c")
    ):
        for subject in project_subjects.get(project, ()):
            investment[subject][0] += planned or 0
            investment[subject][1] += completed or 0
    paired_villages = set(
        Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list("village", flat=True)
    )
    paired = defaultdict(int)
    for village in paired_villages:
        spread(paired, village_subjects.get(village, ()), 1)
    pairings = defaultdict(lambda: [0, 0])
    for pairing, leader in Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list(
        "pk", "leader"
    ):
        for subject in pairing_subjects.get(pairing, ()):
            pairings[subject][0] += 1
            pairings[subject][1] += leader is not None
    projects = defaultdict(int)
    for project in Project.objects.filter(status__in=SUPERVISED).values_list("pk", flat=True):
        spread(projects, project_subjects.get(project, ()), 1)
    incomes = defaultdict(Decimal)
    for village, amount in collective_incomes(Village.objects.values("pk"), year).items():
        spread(incomes, village_subjects.get(village, ()), amount)
    jobs = defaultdict(int)
    for village in Employment.objects.filter(
        Q(end_month__isnull=True) | Q(end_month__gte=start), start_month__lte=end
    ).values_list("household__village", flat=True):
        spread(jobs, village_subjects.get(village, ()), 1)
    due_day = RuleSetting.objects.get(rule=RuleSetting.Rule.REPORTS).due_day or 10
    reports = defaultdict(lambda: [0, 0])
    for project, month, at in MonthlyReport.objects.filter(
        month__gte=start, month__lte=end, submitted_at__isnull=False
    ).values_list("project", "month", "submitted_at"):
        on_time = timezone.localdate(at) <= rules.report_due_on(month, due_day)
        for subject in project_subjects.get(project, ()):
            reports[subject][0] += 1
            reports[subject][1] += on_time
    cards = defaultdict(Decimal)
    for town, project, pairing, colour in Card.objects.filter(
        issued_on__gte=start, issued_on__lte=end
    ).values_list("town", "project", "pairing", "colour"):
        weight = Decimal(1) if colour == Card.Colour.RED else Decimal("0.25")
        if card_field:
            cards[town] += weight
        else:
            owners = project_subjects.get(project, set()) | pairing_subjects.get(pairing, set())
            spread(cards, owners, weight)

    def percent(part, whole) -> Decimal:
        return (Decimal(100) * part / whole) if whole else Decimal(0)

    figures = {}
    for pk, subject in subjects.items():
        count = villages[pk]
        figures[subject] = {
            "investment_rate": percent(investment[pk][1], investment[pk][0]),
            "pairing_coverage": percent(paired[pk], count),
            "leader_coverage": percent(pairings[pk][1], pairings[pk][0]),
            "projects_per_village": Decimal(projects[pk]) / count if count else Decimal(0),
            "collective_income": incomes[pk] / count if count else Decimal(0),
            "jobs_per_village": Decimal(jobs[pk]) / count if count else Decimal(0),
            "reports_on_time": percent(reports[pk][1], reports[pk][0]),
            "cards": cards[pk],
        }
    return figures


def evaluate(scheme, level: str = "town") -> list:
    """The scheme's towns, pairings or enterprises, ranked and graded, each score
    explainable by indicator."""
    indicators = [
        evaluation.Indicator(i.code, EvaluationIndicator.KINDS[i.code], i.weight)
        for i in scheme.indicators.all()
    ]
    return evaluation.evaluate(
        evaluation_figures(scheme.year, level), indicators, scheme.thresholds()
    )


def _notify_new_cards(cards: list[Card]) -> None:
    """Tell each town's officers about the cards just issued in their town."""
    from cunqi.accounts.models import User
    from cunqi.core import notifications
    from cunqi.core.models import Notification

    officers = defaultdict(list)
    for user, town in User.objects.filter(
        role=Role.TOWN, is_active=True, town__in={card.town_id for card in cards}
    ).values_list("pk", "town"):
        officers[town].append(user)
    notifications.send(
        notifications.Message(
            user,
            Notification.Kind.CARD_ISSUED,
            f"card:{card.pk}",
            {"colour": card.get_colour_display(), "subject": str(card.subject)},
            card.get_absolute_url(),
        )
        for card in cards
        for user in officers[card.town_id]
    )


def notify_due(today: date | None = None, days_ahead: int = 3) -> int:
    """Remind whoever must act: reports due within ``days_ahead`` days and not submitted
    (the project's village and enterprise users), and action items due as soon (the
    owning town's officers). Run daily; each reminder goes once."""
    from datetime import timedelta

    from cunqi.accounts.models import User
    from cunqi.core import notifications
    from cunqi.core.models import Notification

    today = today or timezone.localdate()
    horizon = today + timedelta(days=days_ahead)
    messages = []
    setting = RuleSetting.objects.filter(rule=RuleSetting.Rule.REPORTS, enabled=True).first()
    if setting:
        month = last_due_month(horizon + timedelta(days=1), setting.due_day)
        due = rules.report_due_on(month, setting.due_day)
        if today <= due <= horizon:
            submitted = MonthlyReport.objects.filter(
                project__isnull=False, month=month, submitted_at__isnull=False
            )
            waiting = Project.objects.filter(status__in=SUPERVISED).exclude(
                pk__in=submitted.values("project")
            )
            links = Project.villages.through.objects.filter(project__in=waiting)
            village_projects = defaultdict(set)
            for project, village in links.values_list("project", "village"):
                village_projects[village].add(project)
            enterprise_projects = defaultdict(set)
            for project, enterprise in Project.enterprises.through.objects.filter(
                project__in=waiting
            ).values_list("project", "enterprise"):
                enterprise_projects[enterprise].add(project)
            names = dict(waiting.values_list("pk", "name"))
            for user, village, enterprise in User.objects.filter(
                is_active=True, role__in=(Role.VILLAGE, Role.ENTERPRISE)
            ).values_list("pk", "village", "enterprise"):
                for project in village_projects.get(village, set()) | enterprise_projects.get(
                    enterprise, set()
                ):
                    messages.append(
                        notifications.Message(
                            user,
                            Notification.Kind.REPORT_DUE,
                            f"report:{project}:{month:%Y-%m}",
                            {
                                "subject": names[project],
                                "month": f"{month:%Y-%m}",
                                "due": due.isoformat(),
                            },
                            reverse("supervision:monthlyreport_add") + f"?project={project}",
                        )
                    )
    officers = defaultdict(list)
    for user, town in User.objects.filter(role=Role.TOWN, is_active=True).values_list("pk", "town"):
        officers[town].append(user)
    for item in ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, deadline__gte=today, deadline__lte=horizon
    ):
        messages.extend(
            notifications.Message(
                user,
                Notification.Kind.ACTION_DUE,
                f"action:{item.pk}",
                {"subject": item.title, "due": item.deadline.isoformat()},
                item.get_absolute_url(),
            )
            for user in officers.get(item.owner_town_id, [])
        )
    return notifications.send(messages)


@transaction.atomic
def decide_nomination(nomination: Nomination, user, *, approve: bool, note: str = "") -> Nomination:
    """Approve or decline a nomination; an approved project becomes a demonstration
    project (saved with its history)."""
    authorize(user, "decide", nomination)
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if locked.status != Nomination.Status.NOMINATED:
        raise ValidationError(_("This nomination has already been decided."))
    locked.status = Nomination.Status.APPROVED if approve else Nomination.Status.DECLINED
    locked.decision_note = note.strip()[:300]
    locked.save()
    if approve and locked.project_id and not locked.project.is_demonstration:
        locked.project.is_demonstration = True
        locked.project.save(update_fields=["is_demonstration", "updated_at"])
    return locked
