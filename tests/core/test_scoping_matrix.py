"""Role × model × action: who may list, read, export, create, edit and delete what.

The expectations are written out by hand from DESIGN §1, not derived from the code's
scope declarations, so a wrong declaration fails here. A user scoped to side A must see
A's rows, get 404 for B's (their existence never leaks), and get 403 where their role
may see a row but not change it. Each case GETs every page and POSTs every write
(tests/crud.py): a write the role may make answers 302 and leaves exactly one history
entry; one it may not leaves the row as it was and none.

The two sides are built once per module (each case runs in a savepoint of the module's
transaction, rolled back after it).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from cunqi.core import wordtemplates
from cunqi.core.models import ResourceKind
from cunqi.core.roles import Role
from cunqi.pairing.models import MatchingRun, Recommendation
from tests import crud, factories
from tests.scoping_world import REFERENCE, build_side, build_users, policy

T, L, D = Role.TASKFORCE, Role.LEADER, Role.DEPARTMENT
TOWN, VILLAGE, ENT, ADV, EXP = Role.TOWN, Role.VILLAGE, Role.ENTERPRISE, Role.ADVISOR, Role.EXPERT
ROLES = (T, L, D, TOWN, VILLAGE, ENT, ADV, EXP)
SCOPED = (TOWN, VILLAGE, ENT, ADV, EXP)
EVERYONE = frozenset(ROLES)

# Rows a department writes only when they hang on its own fund source (side A's is the
# matrix department user's, side B's another department's).
DEPARTMENT_OWNED = frozenset({"fund_source", "fund_budget", "allocation", "disbursement"})
# Rows a leader writes only when they are the leader's own (side A's).
LEADER_OWNED = frozenset({"instruction"})

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
    # A leader changes only their own instructions (side A's leader is the matrix leader's).
    "instruction": (lambda s: s.instruction, {TOWN}, {L}, {L}, set()),
    "villager_weight": (
        lambda s: s.villager_weight,
        {TOWN, VILLAGE, ADV, EXP},
        {TOWN},
        {TOWN},
        {TOWN},
    ),
    "approval": (lambda s: s.approval, set(SCOPED), {TOWN}, set(), set()),
    "application": (
        lambda s: s.application,
        set(SCOPED),
        {VILLAGE, ENT},
        {VILLAGE, ENT},
        {VILLAGE, ENT},
    ),
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


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(side=None) -> SimpleUploadedFile:
    return SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")


def another_project(side) -> int:
    """A second project of the side's village and enterprise (one handover or approval each)."""
    return factories.ProjectFactory(villages=[side.village], enterprises=[side.enterprise]).pk


# What a create posts besides the side-A row's own form data so that it is a new row
# (a callable gets the side). None where a create is not one plain form, with the tests
# that cover it.
CREATE = {
    "zone": {"name": "新片区"},
    "calendar_day": {"day": "2099-05-01"},
    "document_template": {
        "language": "zh-hans",
        "file": lambda side: SimpleUploadedFile("模板.docx", wordtemplates.builtin("bulletin")),
    },
    "town": {"name": "新镇"},
    "village": {"name": "新村", "code": "970000000001"},
    "village_income": {"year": "2019"},
    "village_group": {"name": "新组"},
    "household": {"number": "9999"},
    "enterprise": {"uscc": lambda side: factories.valid_uscc(999_999)},
    "pairing": {"status": "ended", "end_date": "2099-12-31"},  # one proposed or active
    "project": {"code": "XM-NEW", "status": "planned"},
    "investment": {"month": "2019-01"},
    "equity_structure": None,  # with its stakes: tests/benefits/test_equity.py
    "distribution": {"year": lambda side: str(side.distribution.year + 1)},
    "handover": {"project": lambda side: another_project(side)},
    "land_transfer": {"start_date": "2070-01-01", "end_date": "2079-12-31"},
    "monthly_report": {"month": "2019-01"},
    "report_attachment": {"file": upload},
    "villager_weight": {
        "household": lambda side: factories.HouseholdFactory(village=side.village).pk
    },
    "approval": {"project": lambda side: another_project(side)},
    "fund_source": {"name": "新资金来源"},
    "fund_budget": {"year": "2019"},
    "rule_setting": None,  # one per rule the platform knows
    "evaluation_scheme": None,  # with its indicators: tests/supervision/test_evaluation.py
    "bulletin": {"month": "2019-01"},
    "instruction": {"deadline": "2099-01-01"},  # a new one is answered from today on
    "delivery": {"household": ""},  # an enterprise sees no households to pick
    "village_resource": {"kind": lambda side: ResourceKind.objects.get(code="labour").pk},
    "enterprise_resource": {"kind": lambda side: ResourceKind.objects.get(code="labour").pk},
    **{
        key: {"code": "new_code"}
        for key in REFERENCE
        if key
        in {
            "industry",
            "cooperation_model",
            "dimension",
            "department",
            "resource_kind",
            "approval_stage",
            "document_kind",
        }
    },
}
# An edit's change where the form has no free text to change.
CHANGE = {
    "approval_document": {"file": upload},
    "investment": {"planned_amount": "1.00"},
    "rent_payment": {"amount": "1.00"},
    "village_income": {"amount": "1.00"},
    "distribution": {"profit": "1.00"},
    "villager_weight": {"weight": "3.50"},
    # Edited with their stakes or indicators on a page of their own:
    # tests/benefits/test_equity.py, tests/supervision/test_evaluation.py.
    "equity_structure": None,
    "evaluation_scheme": None,
    "land_transfer": {"rent_per_mu": "301.00"},
    "delivery": {"amount_paid": "1.00"},
    "rule_setting": {"enabled": ""},
    "demonstration_criteria": {"min_projects": "3"},
    "fund_budget": {"amount": "99999999.00"},
}


# Village and enterprise resources share one model and one add page: a role that may add
# resources adds only its own kind; the other kind lies outside its write scope (400).
# An employment names a household, which an enterprise cannot see: its contact may edit
# the rows of its projects but not add one (a gap, see issue 18's phone-first forms).
CREATE_WITHIN = {
    "village_resource": {TOWN, VILLAGE},
    "enterprise_resource": {ENT},
    "employment": {TOWN},
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        a, b = build_side("A"), build_side("B")
        yield a, b, build_users(a)
        transaction.set_rollback(True)


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


def change(data: dict, row, model_key: str, user) -> dict:
    """The form data with one change: the declared one, else the first free text."""
    if model_key in CHANGE:
        return {**data, **resolved(CHANGE[model_key], row)}
    form = crud.REGISTRY[type(row)].form(instance=row, user=user)
    texts = [
        name
        for name, field in form.fields.items()
        if type(field).__name__ == "CharField"
        and not field.disabled
        and name not in {"code", "uscc", "number", "username"}
    ]
    for name in sorted(texts, key=lambda name: not data.get(name)):  # filled ones first
        field = form.fields[name]
        return {**data, name: data.get(name, "")[: (field.max_length or 99) - 1] + "改"}
    raise AssertionError(f"{model_key}: declare its change in CHANGE")


def resolved(values: dict, side) -> dict:
    return {name: value(side) if callable(value) else value for name, value in values.items()}


def test_every_model_declares_its_create(db, world):
    a, _b, _users = world
    undeclared = [
        key
        for key, entry in MATRIX.items()
        if has_page(type(entry[0](a)), "add") and key not in CREATE and not created_as_is(key)
    ]
    assert undeclared == []


def created_as_is(model_key: str) -> bool:
    """Rows with no unique field: the side-A row's data makes a new one as it is."""
    return model_key in AS_IS


AS_IS = {
    "application",
    "person",
    "employment",
    "handover_asset",
    "order",
    "delivery",
    "rent_payment",
    "meeting",
    "nomination",
    "quarterly_review",
    "action_item",
    "instruction",
    "allocation",
    "disbursement",
    "advisor",
    "service",
    "training",
    "matching_run",
    "policy",
    "expert",
    "award",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model_key", MATRIX)
def test_role_matrix(db, world, model_key, role):
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
    expected_writes = {}
    for side, row in (("A", row_a), ("B", row_b)):
        readable = expected_read(role, sees_a, side)
        if (row.get_absolute_url() in listed) != readable:
            problems.append(f"list shows {side}'s row: {not readable}, expected {readable}")
        check(f"detail {side}", client.get(row.get_absolute_url()), 200 if readable else 404)
        # Writing is limited to the narrower write scope: a scoped user writes side A only,
        # and an enterprise writes only its own resources, not its partner village's.
        in_write_scope = side == "A" and not (role == ENT and model_key == "village_resource")
        city_wide = (
            (T, L)
            if model_key in DEPARTMENT_OWNED
            else (T, D)
            if model_key in LEADER_OWNED
            else (T, L, D)
        )
        for action, allowed in (("edit", can_edit), ("delete", can_delete)):
            expected = expected_write_status(
                role, allowed, readable, in_write_scope or role in city_wide
            )
            if role in (L, D) and expected == 200 and role not in allowed:
                expected = 403
            if has_page(model, action):
                expected_writes[action, side] = expected
                check(
                    f"{action} {side}",
                    client.get(reverse(model.url_name(action), args=[row.pk])),
                    expected,
                )

    may_create = role == T or role in can_create
    if has_page(model, "add"):
        check("add", client.get(reverse(model.url_name("add"))), 200 if may_create else 403)

    export = client.get(reverse(model.url_name("export")))
    check("export", export, 200)
    if export.status_code == 200:
        exported = export.content
        sheet = load_workbook(io.BytesIO(exported), read_only=True).active
        # The header, then the rows (an exchange layout leaves row 2 empty).
        exported_rows = sum(any(row) for row in sheet.iter_rows(values_only=True)) - 1
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

    def check_write(label, written: crud.Written, expected: int, kind: str):
        if expected != 200:
            if written.status != expected:
                problems.append(f"{label}: {written.status}, expected {expected}")
            if written.entries or written.exists != (kind != "add"):
                problems.append(f"{label}: refused, yet wrote (entries: {written.entries})")
        elif written.status != 302:
            problems.append(f"{label}: {written.status}, expected 302 {written.errors}")
        elif kind == "add" and not written.exists:
            problems.append(f"{label}: answered 302 but added no row")
        # A delete the rows that depend on the row refuse writes nothing.
        elif written.entries != (0 if kind == "delete" and written.exists else 1):
            problems.append(f"{label}: {written.entries} history entries, expected one")

    taskforce = users[T]
    # Rows both sides share (reference data) are written once, as side A's.
    sides = (("A", row_a), ("B", row_b)) if row_b.pk != row_a.pk else (("A", row_a),)
    for side, row in sides:
        if ("edit", side) in expected_writes and CHANGE.get(model_key, {}) is not None:
            data = change(crud.form_data(row, taskforce), row, model_key, taskforce)
            written = crud.post_edit(client, row, data)
            check_write(f"POST edit {side}", written, expected_writes["edit", side], "edit")
    if has_page(model, "add") and CREATE.get(model_key, {}) is not None:
        data = {**crud.form_data(row_a, taskforce), **resolved(CREATE.get(model_key, {}), a)}
        written = crud.post_create(client, model, data)
        outside = role != T and role not in CREATE_WITHIN.get(model_key, {role})
        check_write("POST add", written, 403 if not may_create else 400 if outside else 200, "add")
    for side, row in reversed(sides):
        if ("delete", side) in expected_writes:
            check_write(
                f"POST delete {side}",
                crud.post_delete(client, row),
                expected_writes["delete", side],
                "delete",
            )

    assert not problems, f"{model_key} as {role}: " + "; ".join(problems)


@pytest.mark.parametrize("model_key", MATRIX)
def test_anonymous_is_sent_to_login(db, world, model_key):
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
