"""A department's criteria are named per criteria set: "2" is Giao thông up to 2025 and
Hạ tầng kinh tế - xã hội under QĐ 51/2025, so owning one says nothing of the other."""

from __future__ import annotations

import importlib
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.accounts import access
from ntm.accounts.demo import DEMO_ACCOUNTS
from ntm.accounts.models import Membership, Role
from ntm.accounts.services import AccountError, criteria_by_set, criteria_parse, user_update
from ntm.audit.models import AuditEvent
from ntm.core.registry import national_sets
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

User = get_user_model()
TO_2025 = ("qd491-2009", "qd1980-2016", "qd318-2022")
migration = importlib.import_module("ntm.accounts.migrations.0002_criteria_per_set")


def transport(world):
    return User.objects.get(pk=world.users["department"])  # given the bare ["2"]


def san_thang(world):
    return Unit.objects.get(pk=world.units["commune"])


# --- owning a criterion in one set, not in another -------------------------------------------


def test_a_department_owns_2_up_to_2025_but_not_the_qd51_2(world):
    user, commune = transport(world), san_thang(world)
    for set_id in TO_2025:
        assert access.can_view_criterion(user, commune, "2", set_id=set_id)
    assert not access.can_view_criterion(user, commune, "2", set_id="qd51-2025")
    assert not access.can_edit_value(user, commune, "2", set_id="qd51-2025")
    assert access.department_criteria(user, "qd51-2025") == set()


def test_a_department_owns_the_qd51_2_once_given(world):
    user = transport(world)
    user_update(
        actor=None,
        user=user,
        role=Role.DEPARTMENT,
        unit=Unit.objects.get(pk=world.units["province"]),
        criteria={"qd1980-2016": "2", "qd318-2022": "2", "qd51-2025": "2"},
    )
    user = transport(world)
    assert access.can_view_criterion(user, san_thang(world), "2", set_id="qd51-2025")
    assert not access.can_view_criterion(user, san_thang(world), "2", set_id="qd491-2009")
    event = AuditEvent.objects.get(action="user.update", object_id=str(user.pk))
    assert event.before["criteria"] == {s: ["2"] for s in TO_2025}
    assert event.after["criteria"]["qd51-2025"] == ["2"]


def test_appraisal_follows_the_set_of_the_dossier(world):
    user = transport(world)
    old = SimpleNamespace(unit=san_thang(world), criteria_set="qd318-2022")
    new = SimpleNamespace(unit=san_thang(world), criteria_set="qd51-2025")
    assert access.can_appraise(user, old, "2")
    assert not access.can_appraise(user, new, "2")


# --- the migration of bare lists -------------------------------------------------------------


def test_the_migration_spreads_bare_codes_over_the_sets_up_to_2025_not_qd51():
    assert migration.criteria_by_set(["2", "15"]) == {s: ["2", "15"] for s in TO_2025}
    assert "qd51-2025" not in migration.criteria_by_set(["2"])


def test_the_migration_leaves_empty_lists_empty_and_mappings_as_they_are():
    assert migration.criteria_by_set([]) == {}
    assert migration.criteria_by_set(None) == {}
    kept = {"qd318-2022": ["2"], "qd51-2025": ["2"]}
    assert migration.criteria_by_set(kept) == kept


def test_the_migration_goes_back_to_the_codes_before_2026():
    assert migration.bare_codes({"qd318-2022": ["2"], "qd51-2025": ["5"]}) == ["2"]
    assert migration.bare_codes({s: ["2", "15"] for s in TO_2025}) == ["2", "15"]


def test_the_migration_matches_what_the_model_does_with_a_bare_list(world):
    user = User.objects.create_user(username="so.cu")
    m = Membership.objects.create(user=user, role=Role.DEPARTMENT, criteria=["15", "2"])
    m.refresh_from_db()
    assert m.criteria == migration.criteria_by_set(["15", "2"])


# --- reading the criteria an administrator types ---------------------------------------------


def test_codes_without_a_set_are_for_the_sets_up_to_2025():
    assert criteria_parse("15, 2") == {s: ["2", "15"] for s in TO_2025}


def test_a_set_name_opens_a_set_and_the_codes_after_it_belong_to_it():
    assert criteria_parse("qd1980-2016:2,15,qd318-2022:2 qd51-2025:2") == {
        "qd1980-2016": ["2", "15"],
        "qd318-2022": ["2"],
        "qd51-2025": ["2"],
    }
    assert criteria_parse("2, qd51-2025:5") == {**{s: ["2"] for s in TO_2025}, "qd51-2025": ["5"]}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "qd51-2025:99, abc",
            "Bộ tiêu chí qd51-2025 (Quyết định 51/2025/QĐ-TTg) không có tiêu chí 99, abc",
        ),
        ("qd1980-2016:20", "Bộ tiêu chí qd1980-2016 (Quyết định 1980/QĐ-TTg) không có tiêu chí 20"),
        ("qd999-2030:2", "Không có bộ tiêu chí cấp xã “qd999-2030”"),
        (
            {"qd51-2025": "11"},
            "Bộ tiêu chí qd51-2025 (Quyết định 51/2025/QĐ-TTg) không có tiêu chí 11",
        ),
    ],
)
def test_unknown_codes_and_sets_are_refused_with_a_sentence_naming_them(given, message):
    with pytest.raises(AccountError, match=re.escape(message)):
        criteria_by_set(given)


# --- `ntm users create --criteria` -----------------------------------------------------------


def users(*args):
    out = StringIO()
    call_command("users", *args, stdin=StringIO("mat-khau-cli-1\n"), stdout=out)
    return out.getvalue()


def create_department(criteria: str) -> Membership:
    users(
        "create", "so.giaothong", "--role", "department", "--unit", "12", "--on", "2019-01-01",
        "--criteria", criteria,
    )  # fmt: skip
    return User.objects.get(username="so.giaothong").membership


def test_the_command_takes_criteria_per_set(world):
    m = create_department("qd1980-2016:2,qd318-2022:2,qd51-2025:2")
    assert m.criteria == {"qd1980-2016": ["2"], "qd318-2022": ["2"], "qd51-2025": ["2"]}
    listing = users("list")
    assert "qd1980-2016, qd318-2022, qd51-2025: 2" in listing


def test_the_command_refuses_an_unknown_code_naming_the_set(world):
    with pytest.raises(CommandError, match=r"qd51-2025 .* không có tiêu chí 99, abc"):
        create_department("qd51-2025:99,abc")
    assert not User.objects.filter(username="so.giaothong").exists()


# --- what the administrator is told ----------------------------------------------------------


def test_the_users_page_names_the_departments_without_criteria_for_2026(client, world):
    client.force_login(User.objects.get(pk=world.users["admin"]))
    html = client.get("/nguoi-dung/").content.decode()
    assert 'id="departments-without-newest"' in html
    assert "chưa có tiêu chí phụ trách theo bộ qd51-2025" in html
    assert "u.department" in html.split('id="departments-without-newest"')[1].split("</p>")[0]
    Membership.objects.filter(user_id=world.users["department"]).update(
        criteria={"qd318-2022": ["2"], "qd51-2025": ["2"]}
    )
    html = client.get("/nguoi-dung/").content.decode()
    assert 'id="departments-without-newest"' not in html


# --- the demo's departments ------------------------------------------------------------------


def test_every_criterion_of_every_commune_set_has_exactly_one_demo_department():
    departments = [a for a in DEMO_ACCOUNTS if a.role == Role.DEPARTMENT]
    for cset in national_sets().values():
        if cset.level.value != "commune":
            continue
        owners = {
            c.code: [a.username for a in departments if c.code in a.criteria.get(cset.id, ())]
            for c in cset.criteria
        }
        assert all(len(names) == 1 for names in owners.values()), (cset.id, owners)


def test_the_demo_transport_and_health_departments_own_the_qd51_criteria_covering_them():
    by_name = {a.username: a.criteria for a in DEMO_ACCOUNTS}
    qd51 = {c.code: c.name for c in national_sets()["qd51-2025"].criteria}
    assert [qd51[c] for c in by_name["so.giaothong"]["qd51-2025"]] == ["Hạ tầng kinh tế - xã hội"]
    assert [qd51[c] for c in by_name["so.yte"]["qd51-2025"]] == ["Văn hóa, giáo dục, y tế"]
    assert by_name["so.giaothong"]["qd1980-2016"] == ("2",)
