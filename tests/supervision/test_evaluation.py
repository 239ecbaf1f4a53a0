"""Annual evaluation: scores from the rows, weights summing to 100%, ranks and grades that
explain themselves."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from cunqi.core.roles import Role
from cunqi.supervision import evaluation, services
from cunqi.supervision.evaluation import Indicator
from cunqi.supervision.models import EvaluationIndicator, EvaluationScheme
from cunqi.supervision.selectors import evaluation as evaluation_selectors
from tests import factories
from tests.i18n import language_client

THRESHOLDS = [(Decimal(90), "A"), (Decimal(60), "B"), (Decimal(0), "C")]
D = Decimal


def test_scores_ranks_and_grades_explain_the_total():
    indicators = [
        Indicator("rate", "rate", D(50)),
        Indicator("amount", "relative", D(30)),
        Indicator("cards", "penalty", D(20)),
    ]
    raw = {
        "甲镇": {"rate": D(120), "amount": D(400), "cards": D(0)},
        "乙镇": {"rate": D(80), "amount": D(200), "cards": D("2.5")},
        "丙镇": {"rate": D(80), "amount": D(200), "cards": D("2.5")},
    }
    first, second, third = evaluation.evaluate(raw, indicators, THRESHOLDS)
    assert (first.subject, first.total, first.grade, first.rank) == ("甲镇", D(100), "A", 1)
    # 80% → 80 × 50% = 40; half the best amount → 50 × 30% = 15; 2.5 cards → 75 × 20% = 15.
    assert [p.weighted for p in second.parts.values()] == [D(40), D(15), D(15)]
    assert (second.total, second.grade, second.rank, third.rank) == (D(70), "B", 2, 2)
    assert sum(p.weighted for p in first.parts.values()) == first.total


def test_weights_must_sum_to_100():
    with pytest.raises(evaluation.WeightsDoNotSum):
        evaluation.evaluate({}, [Indicator("rate", "rate", D(99))], THRESHOLDS)


@pytest.mark.django_db
def test_the_task_force_sets_a_scheme_and_reads_the_ranking():
    town = factories.TownFactory()
    village = factories.VillageFactory(town=town)
    factories.PairingFactory(village=village)
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    data = {
        "year": "2026",
        "name": "2026年度综合评价",
        "excellent_from": "90",
        "good_from": "75",
        "pass_from": "60",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-code": "pairing_coverage",
        "indicators-0-weight": "60",
        "indicators-1-code": "leader_coverage",
        "indicators-1-weight": "30",
    }
    response = client.post(reverse("supervision:evaluationscheme_add"), data)
    assert response.status_code == 400
    assert "must sum to exactly 100% (now 90.00%)" in response.content.decode()
    assert not EvaluationScheme.objects.exists()
    response = client.post(
        reverse("supervision:evaluationscheme_add"), {**data, "indicators-1-weight": "40"}
    )
    assert response.status_code == 302
    scheme = EvaluationScheme.objects.get()
    assert scheme.indicators.count() == 2
    page = client.get(scheme.get_absolute_url()).content.decode()
    assert town.name in page and "excellent" in page
    workbook = client.get(reverse("supervision:evaluationscheme_file", args=[scheme.pk, "xlsx"]))
    assert workbook.status_code == 200
    document = client.get(reverse("supervision:evaluationscheme_file", args=[scheme.pk, "docx"]))
    word = Document(io.BytesIO(document.content))
    text = "".join(cell.text for cell in word.tables[0]._cells)
    assert town.name in text and "excellent" in text
    # A 公文 on a turned page: landscape A4, page numbers, the total standing right.
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert "PAGE" in section.footer._element.xml
    total = word.tables[0].rows[1].cells[3].paragraphs[0]
    assert total.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert (
        client.get(
            reverse("supervision:evaluationscheme_file", args=[scheme.pk, "exe"])
        ).status_code
        == 404
    )
    # A village cadre may read it, not change it.
    village_user = language_client("en")
    village_user.force_login(factories.UserFactory(role=Role.VILLAGE, village=village))
    assert village_user.get(scheme.get_absolute_url()).status_code == 200
    assert (
        village_user.get(reverse("supervision:evaluationscheme_edit", args=[scheme.pk])).status_code
        == 403
    )


@pytest.mark.django_db
def test_thresholds_must_rise():
    scheme = EvaluationScheme(year=2026, name="x", excellent_from=D(70), good_from=D(80))
    with translation.override("en"), pytest.raises(ValidationError, match="rise"):
        services.save_scheme(
            scheme, [EvaluationIndicator(code="cards", weight=D(100))], factories.task_force()
        )
    assert not EvaluationScheme.objects.exists()


@pytest.mark.django_db
def test_pairings_and_enterprises_are_ranked_from_their_own_rows():
    enterprise, other = factories.EnterpriseFactory(), factories.EnterpriseFactory()
    led = factories.PairingFactory(enterprise=enterprise)
    unled = factories.PairingFactory(enterprise=enterprise, leader=None)
    alone = factories.PairingFactory(enterprise=other)
    scheme = services.save_scheme(
        EvaluationScheme(year=2026, name="2026"),
        [EvaluationIndicator(code="leader_coverage", weight=D(100))],
        factories.task_force(),
    )
    pairings = {r.subject: r.total for r in evaluation_selectors.evaluate(scheme, "pairing")}
    assert pairings == {led: D("100.00"), alone: D("100.00"), unled: D("0.00")}
    enterprises = [
        (r.subject, r.total, r.rank) for r in evaluation_selectors.evaluate(scheme, "enterprise")
    ]
    assert enterprises == [(other, D("100.00"), 1), (enterprise, D("50.00"), 2)]

    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    page = client.get(f"{scheme.get_absolute_url()}?level=enterprise").content.decode()
    assert enterprise.name in page and "Zones ranked" not in page
    document = client.get(
        reverse("supervision:evaluationscheme_file", args=[scheme.pk, "docx"]) + "?level=pairing"
    )
    text = "".join(cell.text for cell in Document(io.BytesIO(document.content)).tables[0]._cells)
    assert str(unled) in text


@pytest.mark.django_db
def test_a_long_ranking_pages_on_the_page_and_is_whole_in_the_export(monkeypatch):
    from cunqi.supervision.views import evaluation as evaluation_views

    monkeypatch.setattr(evaluation_views, "RESULTS_PER_PAGE", 2)
    enterprises = [factories.EnterpriseFactory(name=f"企业{i}") for i in range(3)]
    for enterprise in enterprises:
        factories.PairingFactory(enterprise=enterprise)
    scheme = services.save_scheme(
        EvaluationScheme(year=2026, name="2026"),
        [EvaluationIndicator(code="leader_coverage", weight=D(100))],
        factories.task_force(),
    )
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    url = f"{scheme.get_absolute_url()}?level=enterprise"

    def shown(page: str) -> list[str]:
        content = client.get(f"{url}&page={page}").content.decode()
        return [e.name for e in enterprises if f">{e.name}<" in content]

    assert len(shown("1")) == 2 and shown("2") == sorted(
        set(map(str, enterprises)) - set(shown("1"))
    )
    assert "level=enterprise&amp;page=2" in client.get(url).content.decode()
    document = client.get(
        reverse("supervision:evaluationscheme_file", args=[scheme.pk, "docx"]) + "?level=enterprise"
    )
    text = "".join(cell.text for cell in Document(io.BytesIO(document.content)).tables[0]._cells)
    assert all(enterprise.name in text for enterprise in enterprises)


@pytest.mark.django_db
def test_investment_counts_each_project_against_its_own_plan_over_its_life():
    from datetime import date

    from cunqi.projects.models import Investment

    def project(town, *months):
        made = factories.ProjectFactory(villages=[factories.VillageFactory(town=town)])
        Investment.objects.filter(project=made).delete()
        for month, planned, completed in months:
            Investment.objects.create(
                project=made,
                month=month,
                source="enterprise",
                planned_amount=D(planned),
                completed_amount=D(completed),
            )

    finished, mixed = factories.TownFactory(), factories.TownFactory()
    project(finished, (date(2025, 6, 1), "100.00", "100.00"))  # all invested the year before
    project(mixed, (date(2026, 3, 1), "100.00", "150.00"))  # more than planned…
    project(mixed, (date(2026, 3, 1), "100.00", "50.00"))  # …does not make up for less
    figures = evaluation_selectors.evaluation_figures(2026)
    assert figures[finished]["investment_rate"] == 100
    assert figures[mixed]["investment_rate"] == 75
