"""Role × model × action: who may list, read, export, create, edit and delete what.

The expectations are written out by hand from DESIGN §1, not derived from the code's
scope declarations, so a wrong declaration fails here. A user scoped to side A must see
A's rows, get 404 for B's (their existence never leaks), and get 403 where their role
may see a row but not change it.
"""

import io

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from cunqi.core.roles import Role
from cunqi.pairing.models import MatchingRun, Recommendation
from tests.scoping_world import REFERENCE, build_side, build_users, policy

T, L, D = Role.TASKFORCE, Role.LEADER, Role.DEPARTMENT
TOWN, VILLAGE, ENT, ADV, EXP = Role.TOWN, Role.VILLAGE, Role.ENTERPRISE, Role.ADVISOR, Role.EXPERT
ROLES = (T, L, D, TOWN, VILLAGE, ENT, ADV, EXP)
SCOPED = (TOWN, VILLAGE, ENT, ADV, EXP)
EVERYONE = frozenset(ROLES)

# Rows a department writes only when they hang on its own fund source (side A's is the
# matrix department user's, side B's another department's).
DEPARTMENT_OWNED = frozenset({"fund_source", "fund_budget", "allocation", "disbursement"})

# model → (how to pick a side's row, the scoped roles that see side A's row,
#          roles besides the task force that may create / edit / delete within their scope)
MATRIX = {
    "zone": (lambda s: s.zone, set(SCOPED), set(), set(), set()),
    "town": (lambda s: s.town, set(SCOPED), set(), set(), set()),
    "village": (lambda s: s.village, set(SCOPED), {TOWN}, {TOWN, VILLAGE}, set()),
    "village_income": (
        lambda s: s.income,
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
    ),
    "village_group": (
        lambda s: s.group,
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
    ),
    "household": (
        lambda s: s.household,
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
    ),
    "enterprise": (lambda s: s.enterprise, set(SCOPED), set(), {ENT}, set()),
    "person": (lambda s: s.leader, set(SCOPED), set(), set(), set()),
    "village_resource": (
        lambda s: s.village_resource,
        set(SCOPED),
        {TOWN, VILLAGE, ENT},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
    ),
    "enterprise_resource": (
        lambda s: s.enterprise_resource,
        set(SCOPED),
        {TOWN, VILLAGE, ENT},
        {ENT},
        {ENT},
    ),
    "pairing": (lambda s: s.pairing, set(SCOPED), {TOWN}, {TOWN}, set()),
    "project": (lambda s: s.project, set(SCOPED), {TOWN}, {TOWN}, set()),
    "investment": (lambda s: s.investment, set(SCOPED), {TOWN}, {TOWN}, {TOWN}),
    "equity_structure": (lambda s: s.equity_structure, set(SCOPED), {TOWN}, {TOWN}, {TOWN}),
    "distribution": (lambda s: s.distribution, set(SCOPED), {TOWN}, {TOWN}, {TOWN}),
    "employment": (lambda s: s.employment, set(SCOPED), {TOWN, ENT}, {TOWN, ENT}, {TOWN, ENT}),
    "handover": (lambda s: s.handover, set(SCOPED), {TOWN}, {TOWN}, {TOWN}),
    "handover_asset": (lambda s: s.handover_asset, set(SCOPED), {TOWN}, {TOWN}, {TOWN}),
    "order": (lambda s: s.order, set(SCOPED), {ENT}, {ENT}, {ENT}),
    "delivery": (
        lambda s: s.delivery,
        set(SCOPED),
        {TOWN, VILLAGE, ENT},
        {TOWN, VILLAGE, ENT},
        {TOWN, VILLAGE, ENT},
    ),
    "land_transfer": (
        lambda s: s.land_transfer,
        set(SCOPED),
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
    ),
    "rent_payment": (
        lambda s: s.rent_payment,
        set(SCOPED),
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
        {TOWN, VILLAGE},
    ),
    "monthly_report": (
        lambda s: s.monthly_report,
        set(SCOPED),
        {VILLAGE, ENT},
        {VILLAGE, ENT},
        {VILLAGE, ENT},
    ),
    "report_attachment": (
        lambda s: s.report_attachment,
        set(SCOPED),
        {VILLAGE, ENT},
        set(),
        {VILLAGE, ENT},
    ),
    "card": (lambda s: s.card, set(SCOPED), set(), {TOWN}, set()),
    "meeting": (lambda s: s.meeting, {TOWN}, set(), set(), set()),
    "nomination": (lambda s: s.nomination, {TOWN, VILLAGE, ADV, EXP}, {TOWN}, {TOWN}, {TOWN}),
    "quarterly_review": (lambda s: s.quarterly_review, set(SCOPED), {L}, {L}, {L}),
    "action_item": (lambda s: s.action_item, {TOWN}, set(), {TOWN}, set()),
    "villager_weight": (
        lambda s: s.villager_weight,
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN},
        {TOWN},
        {TOWN},
    ),
    "approval": (lambda s: s.approval, set(SCOPED), {TOWN}, set(), set()),
    "approval_document": (
        lambda s: s.approval_document,
        set(SCOPED),
        set(),
        {TOWN, VILLAGE, ENT},
        set(),
    ),
    "fund_source": (lambda s: s.fund_source, "every", set(), {D}, set()),
    "fund_budget": (lambda s: s.fund_budget, "every", {D}, {D}, {D}),
    "allocation": (lambda s: s.allocation, set(SCOPED), {D}, {D}, {D}),
    "disbursement": (lambda s: s.disbursement, set(SCOPED), {D}, {D}, {D}),
    "policy": (policy, "every", {D}, {D}, {D}),
    "advisor": (lambda s: s.advisor, set(SCOPED), {TOWN, ENT}, {TOWN, ENT}, {TOWN, ENT}),
    "service": (
        lambda s: s.service,
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN, ADV, EXP},
        {TOWN, ADV, EXP},
        {TOWN, ADV, EXP},
    ),
    "training": (
        lambda s: s.training,
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN, VILLAGE, ADV, EXP},
    ),
    # Matching ranks every village and enterprise: city-wide roles only.
    "matching_run": (lambda s: matching_run(s), set(), set(), set(), set()),
    "recommendation": (
        lambda s: Recommendation.objects.get_or_create(
            run=matching_run(s),
            village=s.village,
            enterprise=s.enterprise,
            defaults={"score": 0.5, "distance_km": 1.0},
        )[0],
        set(),
        set(),
        set(),
        set(),
    ),
    **{name: (pick, "every", set(), set(), set()) for name, pick in REFERENCE.items()},
}


def matching_run(side) -> MatchingRun:
    return MatchingRun.objects.get_or_create(zone=side.zone)[0]


def has_page(model, action: str) -> bool:
    """Rows the platform writes itself (cards, recommendations) lack some write pages."""
    try:
        reverse(model.url_name(action), args=[] if action == "add" else [1])
    except NoReverseMatch:
        return False
    return True


@pytest.fixture
def world(db):
    a, b = build_side("A"), build_side("B")
    return a, b, build_users(a)


def expected_read(role, sees_a, side: str) -> bool:
    if sees_a == "every" or role in (T, L, D):
        return True
    return side == "A" and role in sees_a


def expected_write_status(role, allowed_roles, readable: bool, in_write_scope: bool) -> int:
    if not readable:
        return 404
    if role == T or (role in allowed_roles and in_write_scope):
        return 200
    return 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model_key", MATRIX)
def test_role_matrix(world, model_key, role):
    a, b, users = world
    pick, sees_a, can_create, can_edit, can_delete = MATRIX[model_key]
    user = users[role]
    client = Client()
    client.force_login(user)
    row_a, row_b = pick(a), pick(b)
    model = type(row_a)
    problems = []

    def check(label, response, expected):
        if response.status_code != expected:
            problems.append(f"{label}: {response.status_code}, expected {expected}")

    list_response = client.get(reverse(model.url_name("list")))
    check("list", list_response, 200)
    listed = list_response.content.decode()
    for side, row in (("A", row_a), ("B", row_b)):
        readable = expected_read(role, sees_a, side)
        if (row.get_absolute_url() in listed) != readable:
            problems.append(f"list shows {side}'s row: {not readable}, expected {readable}")
        check(f"detail {side}", client.get(row.get_absolute_url()), 200 if readable else 404)
        # Writing is limited to the narrower write scope: a scoped user writes side A only,
        # and an enterprise writes only its own resources, not its partner village's.
        in_write_scope = side == "A" and not (role == ENT and model_key == "village_resource")
        city_wide = (T, L) if model_key in DEPARTMENT_OWNED else (T, L, D)
        for action, allowed in (("edit", can_edit), ("delete", can_delete)):
            expected = expected_write_status(
                role, allowed, readable, in_write_scope or role in city_wide
            )
            if role in (L, D) and expected == 200 and role not in allowed:
                expected = 403
            if has_page(model, action):
                check(
                    f"{action} {side}",
                    client.get(reverse(model.url_name(action), args=[row.pk])),
                    expected,
                )

    if has_page(model, "add"):
        check(
            "add",
            client.get(reverse(model.url_name("add"))),
            200 if role == T or role in can_create else 403,
        )

    export = client.get(reverse(model.url_name("export")))
    check("export", export, 200)
    if export.status_code == 200:
        exported = export.content
        sheet = load_workbook(io.BytesIO(exported), read_only=True).active
        exported_rows = sum(1 for _row in sheet.iter_rows()) - 1
        visible_count = model.objects.visible_to(user).count()
        if exported_rows != visible_count:
            problems.append(f"export has {exported_rows} rows, user sees {visible_count}")
        # Several matrix entries may be rows of one model (village and enterprise resources).
        readable_rows = sum(
            expected_read(role, entry[1], side)
            for entry in MATRIX.values()
            if type(entry[0](a)) is model
            for side in "AB"
        )
        if sees_a != "every" and visible_count != readable_rows:
            problems.append(f"visible_to gives {visible_count} rows, expected {readable_rows}")

    assert not problems, f"{model_key} as {role}: " + "; ".join(problems)


@pytest.mark.parametrize("model_key", MATRIX)
def test_anonymous_is_sent_to_login(world, model_key):
    a, _b, _users = world
    row = MATRIX[model_key][0](a)
    client = Client()
    model = type(row)
    for url in (
        reverse(model.url_name("list")),
        reverse(model.url_name("export")),
        *([reverse(model.url_name("add"))] if has_page(model, "add") else []),
        row.get_absolute_url(),
        *([reverse(model.url_name("edit"), args=[row.pk])] if has_page(model, "edit") else []),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:login")
        )
