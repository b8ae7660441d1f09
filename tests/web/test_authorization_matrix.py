"""Who may see and change what, for every URL pattern: the authorization matrix.

Every named pattern of the URL configuration has a row in TABLE: the methods it is meant for,
the objects it is tried on (its `targets`), how to fill its URL (and, for a write, its form) for
one target, and the expected outcome for each role on each target. A pattern without a row
fails test_every_url_pattern_has_a_row; a row whose pattern is gone fails too.

Roles are the demo's accounts (ROLE_USERS) and the anonymous visitor. Targets:
- ``in``: an object inside the role's scope, ``out``: one outside it (SCOPE says which
  commune each is: a commune board's neighbour, a district's commune of another district,
  a province account's commune of another province; the administrator sees both);
- ``locked``: San Thàng in LOCKED_YEAR, whose dossier is under review;
- ``other``: San Thàng's indicator 15.1, a criterion the transport department does not own;
- a row may name its own targets (``any`` when the URL takes no object).
Outcomes, one letter per target: A allowed (2xx/3xx, not the login page; a write row's POST
changes the database), D denied (403 or 404), L sent to the login page, R refused by a state
rule such as the dossier lock (400, 403 or 409), "-" no such object for that role. Whatever
is not A must leave every table of the project as it was, and no cell may answer 500.

To add a URL: add `"<url name>": Row(...)` to TABLE with `kwargs` (and `data` for a POST),
`writes=True` when an allowed POST must write, and one `policy(...)` per method saying, for
each role, the letter of each target in the order of `targets`. Derive each letter from
ntm.accounts.access, never from what the page answers today. Objects it needs go in
tests/web/matrix_world.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.web.matrix_world import (
    CLASS_SET,
    LOCKED_YEAR,
    OPEN_YEAR,
    PASSWORDS,
    PDF,
    SET_ID,
    World,
    dossier_day,
    flipped,
    world_build,
)

ROLE_USERS = {
    "anonymous": None,
    "admin": "quantri",
    "office": "vanphong.laichau",
    "district": "huyen.tplaichau",
    "commune": "xa.santhang",
    "department": "so.giaothong",  # criterion 2 (Giao thông)
    "leader": "lanhdao.laichau",
}
ROLES = tuple(ROLE_USERS)
# The commune each role's "in" and "out" targets are about (keys of matrix_world.UNIT_KEYS).
SCOPE = {
    "anonymous": ("own", "foreign"),
    "admin": ("own", "foreign"),
    "office": ("own", "foreign"),
    "district": ("own", "far"),
    "commune": ("own", "sibling"),
    "department": ("own", "foreign"),
    "leader": ("own", "foreign"),
}


@dataclass(frozen=True)
class Target:
    role: str
    name: str

    @property
    def key(self) -> str:
        """The commune the target is about."""
        if self.name == "out":
            return SCOPE[self.role][1]
        return SCOPE[self.role][0]

    @property
    def year(self) -> int:
        return LOCKED_YEAR if self.name == "locked" else OPEN_YEAR

    @property
    def code(self) -> str:
        return "15.1" if self.name == "other" else "2.1"

    @property
    def username(self) -> str | None:
        return ROLE_USERS[self.role]


Kwargs = Callable[[World, Target], dict[str, Any]]
Data = Callable[[World, Target], dict[str, Any]]


def policy(**letters: str) -> dict[str, str]:
    assert set(letters) == set(ROLES), f"a policy names every role: {sorted(letters)}"
    return letters


@dataclass(frozen=True)
class Row:
    methods: dict[str, dict[str, str]]  # method -> role -> one letter per target
    targets: tuple[str, ...] = ("in", "out")
    kwargs: Kwargs = lambda w, t: {}
    data: Data = lambda w, t: {}
    writes: bool = False
    query: str | Callable[[World, Target], str] = ""
    json: bool = False  # the API: a JSON body, not a form


# --- policies ----------------------------------------------------------------------------------

EVERYONE = policy(
    anonymous="A", admin="A", office="A", district="A", commune="A", department="A", leader="A"
)
LOGGED_IN = policy(
    anonymous="L", admin="A", office="A", district="A", commune="A", department="A", leader="A"
)
ADMIN_ONLY = policy(
    anonymous="L", admin="A", office="D", district="D", commune="D", department="D", leader="D"
)
# Anyone whose scope holds the object reads it (access.unit_in_scope).
IN_SCOPE = policy(
    anonymous="LL",
    admin="AA",
    office="AD",
    district="AD",
    commune="AD",
    department="AD",
    leader="AD",
)
# Finance records: the office and a commune board in scope (access.can_edit_resources).
RESOURCES = policy(
    anonymous="LL",
    admin="AA",
    office="AD",
    district="DD",
    commune="AD",
    department="DD",
    leader="DD",
)
# Programme records: the office only (access.can_manage_programs).
PROGRAMS = policy(
    anonymous="LL",
    admin="AA",
    office="AD",
    district="DD",
    commune="DD",
    department="DD",
    leader="DD",
)


# --- URL and form builders ---------------------------------------------------------------------


def commune(w: World, t: Target) -> dict[str, Any]:
    return {"unit_id": w.units[t.key].pk}


def commune_year(w: World, t: Target) -> dict[str, Any]:
    return {"unit_id": w.units[t.key].pk, "year": t.year}


def cell(w: World, t: Target) -> dict[str, Any]:
    return {"unit_id": w.units[t.key].pk, "year": t.year, "code": t.code}


def evidence(w: World, t: Target) -> dict[str, Any]:
    return {"file_id": w.evidence[t.key, t.year, t.code]}


def dossier(stage: str) -> Kwargs:
    return lambda w, t: {"dossier_id": w.dossiers[t.key, stage]}


def report(w: World, t: Target) -> dict[str, Any]:
    """The role's own finished report ("in"), or one of another user ("out")."""
    owner = t.username if t.name == "in" and t.username in w.reports else "quantri"
    if t.name == "out" and t.username == "quantri":
        owner = "vanphong.laichau"
    return {"job_id": w.reports[owner]}


def code_only(w: World, t: Target) -> dict[str, Any]:
    return {"code": w.units[t.key].code}


def unit_query(w: World, t: Target) -> str:
    return f"unit={w.units[t.key].code}&year={t.year}"


def period_query(w: World, t: Target) -> str:
    return f"unit={w.units[t.key].code}&year_from={t.year}&year_to={t.year}"


def api_open(w: World, t: Target) -> dict[str, Any]:
    """Confirmed, as the page's dossier_open row: asking first writes nothing."""
    return {"unit": w.units[t.key].code, "year": t.year, "confirm": True}


def api_values(w: World, t: Target) -> dict[str, Any]:
    """One value changed, from the version read (JSON)."""
    current = w.value(t.key, t.year, t.code)
    value = 1.0 if current is None or current.value != 1 else 0.0
    return {
        "unit": w.units[t.key].code,
        "year": t.year,
        "values": [
            {"indicator": t.code, "value": value, "version": current.version if current else None}
        ],
    }


def dhis2_query(w: World, t: Target) -> str:
    return f"orgUnit={w.units[t.key].code}&period={t.year}"


def dhis2_body(w: World, t: Target) -> dict[str, Any]:
    """A DHIS2 dataValueSets body changing the target's one value (JSON)."""
    current = w.value(t.key, t.year, t.code)
    value = "1" if current is None or current.value != 1 else "0"
    cell = {"dataElement": t.code, "period": str(t.year), "orgUnit": w.units[t.key].code}
    return {"dataValues": [cell | {"value": value}]}


def job(kind: str) -> Kwargs:
    """The role's own job ("in"), or one of another user ("out")."""

    def kwargs(w: World, t: Target) -> dict[str, Any]:
        owner = t.username if t.name == "in" and t.username else "quantri"
        if t.name == "out" and t.username == "quantri":
            owner = "vanphong.laichau"
        return {"job_id": w.jobs[owner, kind]}

    return kwargs


def value_form(w: World, t: Target) -> dict[str, Any]:
    """The form as opened, with the one yes/no answer changed."""
    current = w.value(t.key, t.year, t.code)
    shown = "" if current is None else ("1" if current.value == 1 else "0")
    return {
        f"val-{t.code}": flipped(current),
        f"orig-{t.code}": shown,
        f"ver-{t.code}": "" if current is None else str(current.version),
    }


def upload(name: str, content: bytes, field_name: str) -> Data:
    return lambda w, t: {field_name: SimpleUploadedFile(name, content)}


def capital_form(w: World, t: Target) -> dict[str, Any]:
    return {"source": w.capital_source, "stage": "allocated", "year_from": "2019", "amount": "12"}


def contribution_form(w: World, t: Target) -> dict[str, Any]:
    return {"month_from": "01/2019", "month_to": "12/2019", "labour_days": "30"}


def movement_form(w: World, t: Target) -> dict[str, Any]:
    return {"name": "Chung sức xây dựng NTM", "unit": w.units[t.key].pk, "launched_by": "UBND"}


def classes_form(w: World, t: Target) -> dict[str, Any]:
    key = "own" if t.name == "in" else "foreign"
    return {
        "action": "set",
        "commune": w.class_commune[key],
        "class_code": "1",
        "legal_basis": "QĐ 113/QĐ-UBND",
    }


def province_2026(w: World, t: Target) -> dict[str, Any]:
    key = "own" if t.name == "in" else "foreign"
    return {"set_id": CLASS_SET, "unit_id": w.provinces[key].pk}


def target_user(w: World, t: Target) -> dict[str, Any]:
    return {"user_id": w.users["xa.daosan"].pk}


def district_year(w: World, t: Target) -> dict[str, Any]:
    return {"unit_id": w.units[t.key].parent_id, "year": OPEN_YEAR}


def village_year(w: World, t: Target) -> dict[str, Any]:
    return {"unit_id": w.villages[t.key].pk, "year": OPEN_YEAR}


def decision(w: World, t: Target) -> dict[str, Any]:
    return {"number": "12/QĐ-UBND", "date": dossier_day(), "signer": "Nguyễn Văn A"}


def export_id(w: World, t: Target) -> dict[str, Any]:
    return {"export_id": SET_ID if t.name == "set" else "laichau-demo-qd1980"}


# --- the table -------------------------------------------------------------------------------

CELL_TARGETS = ("in", "out", "locked", "other")
# A value of an indicator (access.can_view_criterion): the department sees only its criteria.
CELL_VIEW = policy(
    anonymous="LLLL",
    admin="AAAA",
    office="ADAA",
    district="ADAA",
    commune="ADAA",
    department="ADAD",
    leader="ADAA",
)
# Evidence of a value (access.can_edit_value), refused while the dossier locks the year.
CELL_EDIT = policy(
    anonymous="LLLL",
    admin="AARA",
    office="ADRA",
    district="DDDD",
    commune="ADRA",
    department="ADRD",
    leader="DDDD",
)
# Remarks (access.can_comment): the district too, the leader never.
CELL_COMMENT = policy(
    anonymous="LLLL",
    admin="AARA",
    office="ADRA",
    district="ADRA",
    commune="ADRA",
    department="ADRD",
    leader="DDDD",
)
# The entry form of a commune-year (access.can_enter_values). The lock refuses a save, not
# the form (shown read-only) nor the check of typed values, which saves nothing.
ENTRY_FORM = policy(
    anonymous="LLLL",
    admin="AAAA",
    office="ADAA",
    district="DDDD",
    commune="ADAA",
    department="ADAA",
    leader="DDDD",
)
# Saving the form; "other" posts 15.1, a field the department may not send (refuses it all).
ENTRY = policy(
    anonymous="LLLL",
    admin="AARA",
    office="ADRA",
    district="DDDD",
    commune="ADRA",
    department="ADRD",
    leader="DDDD",
)
ENTRY_CHECK = policy(
    anonymous="LLLL",
    admin="AAAA",
    office="ADAA",
    district="DDDD",
    commune="ADAA",
    department="ADAD",
    leader="DDDD",
)
# The workflow: the current stage's role, within its scope (access.can_act_on_stage ...).
ONLY_DISTRICT = policy(
    anonymous="LL",
    admin="DD",
    office="DD",
    district="AD",
    commune="DD",
    department="DD",
    leader="DD",
)
ONLY_OFFICE = policy(
    anonymous="LL",
    admin="DD",
    office="AD",
    district="DD",
    commune="DD",
    department="DD",
    leader="DD",
)
# An import job is its uploader's (district and leader may not import: they have none).
OWN_JOB = policy(
    anonymous="LL",
    admin="AD",
    office="AD",
    district="-D",
    commune="AD",
    department="AD",
    leader="-D",
)
# A report is made by anyone who reads the unit's verdicts (not a department: access via
# list_selectors.may_see_verdicts); a report job is its maker's.
REPORTERS = policy(
    anonymous="LL",
    admin="AA",
    office="AD",
    district="AD",
    commune="AD",
    department="DD",
    leader="AD",
)
OWN_REPORT = policy(
    anonymous="LL",
    admin="AD",
    office="AD",
    district="AD",
    commune="AD",
    department="-D",
    leader="AD",
)
# The API. Results of a unit (summary, gap, forecast): anyone in scope but a department.
API_RESULTS = policy(
    anonymous="LL",
    admin="AA",
    office="AD",
    district="AD",
    commune="AD",
    department="DD",
    leader="AD",
)
# The forecast as API_RESULTS; the foreign commune has no verdict to forecast from (404).
API_FORECAST = policy(
    anonymous="LL",
    admin="AD",
    office="AD",
    district="AD",
    commune="AD",
    department="DD",
    leader="AD",
)
# The values of a commune-year (a department gets those of its criteria).
API_VALUES = policy(
    anonymous="LLLL",
    admin="AAAA",
    office="ADAA",
    district="ADAA",
    commune="ADAA",
    department="ADAA",
    leader="ADAA",
)
# A DHIS2 dataValueSets body goes through the file import: a cell outside the scope, locked,
# or of a criterion not owned refuses the whole body (409); who may not import at all: 403.
API_IMPORT = policy(
    anonymous="LLLL",
    admin="AARA",
    office="ARRA",
    district="DDDD",
    commune="ARRA",
    department="ARRR",
    leader="DDDD",
)
IMPORTERS = policy(
    anonymous="L", admin="A", office="A", district="D", commune="A", department="A", leader="D"
)
CRITERIA_MANAGERS = policy(
    anonymous="L", admin="A", office="A", district="D", commune="D", department="D", leader="D"
)
# A village's form, like its commune's (the page saying no village set is in force included).
ENTRY_VILLAGE = policy(
    anonymous="LL",
    admin="AA",
    office="AD",
    district="DD",
    commune="AD",
    department="AD",
    leader="DD",
)
# A department appraises its own criteria (access.can_appraise): "other" is criterion 15.
APPRAISE = policy(
    anonymous="LLL",
    admin="DDD",
    office="DDD",
    district="DDD",
    commune="DDD",
    department="ADD",
    leader="DDD",
)
# Only the commune's own board opens its dossier (access.can_open_dossier).
OPEN_DOSSIER = policy(
    anonymous="LL",
    admin="DD",
    office="DD",
    district="DD",
    commune="AD",
    department="DD",
    leader="DD",
)
# A national set for anyone; a province's specification for those who see the province.
SPEC_READERS = policy(
    anonymous="LL",
    admin="AA",
    office="AA",
    district="AD",
    commune="AD",
    department="AA",
    leader="AA",
)
# The classes of a province: read by those who see it, changed by the office.
CLASSES_INDEX = policy(
    anonymous="L", admin="A", office="A", district="D", commune="D", department="A", leader="A"
)
PROVINCE_READERS = policy(
    anonymous="LL",
    admin="AA",
    office="AD",
    district="DD",
    commune="DD",
    department="AD",
    leader="AD",
)
CLASSES_EDIT = PROGRAMS
# The page of the district above the target commune: a commune board never sees its district.
DISTRICT_PAGE = policy(
    anonymous="LL",
    admin="AA",
    office="AD",
    district="AD",
    commune="DD",
    department="AD",
    leader="AD",
)
# One criterion across a district's communes (the criterion page): the district page's
# readers, a department only for a criterion it owns ("other" is criterion 15).
CRITERION_PAGE = policy(
    anonymous="LLL",
    admin="AAA",
    office="ADA",
    district="ADA",
    commune="DDD",
    department="ADD",
    leader="ADA",
)
CSV_GOOD = b"unit_code,year,indicator,value\n03409,2020,2.3,1\n"

TABLE: dict[str, Row] = {
    # accounts -------------------------------------------------------------------------------
    "login": Row(
        {"GET": EVERYONE, "POST": EVERYONE},
        targets=("any",),
        data=lambda w, t: {"username": "khong-co-ai", "password": "sai-mat-khau"},
    ),
    "logout": Row({"POST": EVERYONE}, targets=("any",)),
    "set_language": Row(
        {"POST": EVERYONE}, targets=("any",), data=lambda w, t: {"language": "en", "next": "/"}
    ),
    "password_change": Row(
        {"GET": LOGGED_IN, "POST": LOGGED_IN},
        targets=("any",),
        data=lambda w, t: {
            "old_password": PASSWORDS.get(t.username or "", ""),
            "new_password1": "Mat-khau-moi-2026!",
            "new_password2": "Mat-khau-moi-2026!",
        },
        writes=True,
    ),
    "password_change_done": Row({"GET": LOGGED_IN}, targets=("any",)),
    "users": Row({"GET": ADMIN_ONLY}, targets=("any",)),
    "user_new": Row(
        {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
        targets=("any",),
        data=lambda w, t: {
            "username": "xa.moi",
            "password1": "Mat-khau-moi-2026!",
            "password2": "Mat-khau-moi-2026!",
            "role": "commune",
            "unit": "03403",
            "unit_id": str(w.units["sibling"].pk),
        },
        writes=True,
    ),
    "user_edit": Row(
        {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
        targets=("any",),
        kwargs=target_user,
        data=lambda w, t: {
            "role": "commune",
            "unit": "03403",
            "unit_id": str(w.units["sibling"].pk),
            "name": "Ban quản lý mới",
        },
        writes=True,
    ),
    "user_password": Row(
        {"POST": ADMIN_ONLY},
        targets=("any",),
        kwargs=target_user,
        data=lambda w, t: {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!"},
        writes=True,
    ),
    "user_active": Row(
        {"POST": ADMIN_ONLY},
        targets=("any",),
        kwargs=target_user,
        data=lambda w, t: {"active": "0"},
        writes=True,
    ),
    "user_unlock": Row({"POST": ADMIN_ONLY}, targets=("any",), kwargs=target_user),
    "user_successor": Row(
        {"POST": ADMIN_ONLY},
        targets=("any",),
        kwargs=target_user,
        data=lambda w, t: {"unit_id": str(w.units["far"].pk)},
    ),
    # audit ----------------------------------------------------------------------------------
    "audit_list": Row({"GET": CRITERIA_MANAGERS}, targets=("any",)),
    # entry ----------------------------------------------------------------------------------
    "entry_commune": Row(
        {"GET": ENTRY_FORM, "POST": ENTRY},
        targets=CELL_TARGETS,
        kwargs=commune_year,
        data=value_form,
        writes=True,
    ),
    "entry_village": Row({"GET": ENTRY_VILLAGE, "POST": ENTRY_VILLAGE}, kwargs=village_year),
    "entry_check": Row({"POST": ENTRY_CHECK}, CELL_TARGETS, commune_year, value_form),
    "value_cell": Row({"GET": CELL_VIEW}, CELL_TARGETS, cell),
    "evidence_upload": Row(
        {"POST": CELL_EDIT},
        CELL_TARGETS,
        cell,
        upload("bien-ban.pdf", PDF, "file"),
        writes=True,
    ),
    "comment_create": Row(
        {"POST": CELL_COMMENT},
        CELL_TARGETS,
        cell,
        lambda w, t: {"text": "Đề nghị bổ sung biên bản nghiệm thu"},
        writes=True,
    ),
    "evidence_download": Row({"GET": CELL_VIEW}, CELL_TARGETS, evidence),
    "evidence_remove": Row({"POST": CELL_EDIT}, CELL_TARGETS, evidence, writes=True),
    # workflow -------------------------------------------------------------------------------
    "todo": Row({"GET": LOGGED_IN}, targets=("any",)),
    "dossier": Row({"GET": IN_SCOPE}, kwargs=dossier("review")),
    "dossier_advance": Row({"POST": ONLY_DISTRICT}, kwargs=dossier("review"), writes=True),
    "dossier_return": Row(
        {"POST": ONLY_DISTRICT},
        kwargs=dossier("review"),
        data=lambda w, t: {"to_stage": "lay_y_kien", "reason": "Thiếu biên bản lấy ý kiến"},
        writes=True,
    ),
    "dossier_appraise": Row(
        {"POST": APPRAISE},
        targets=("in", "out", "other"),
        kwargs=dossier("appraisal"),
        data=lambda w, t: {"criterion": t.code.split(".")[0], "verdict": "dat"},
        writes=True,
    ),
    "dossier_recognise": Row(
        {"POST": ONLY_OFFICE}, kwargs=dossier("decision"), data=decision, writes=True
    ),
    "dossier_revoke": Row(
        {"POST": ONLY_OFFICE},
        kwargs=dossier("recognised"),
        data=lambda w, t: {**decision(w, t), "reason": "Tiêu chí 2 không còn đạt"},
        writes=True,
    ),
    "unit_dossiers": Row({"GET": IN_SCOPE}, kwargs=commune),
    "dossier_open": Row(
        {"POST": OPEN_DOSSIER},
        kwargs=commune_year,
        # Confirmed: a commune short of the standard is asked first, and that step writes nothing.
        data=lambda w, t: {"xac_nhan": "1"},
        writes=True,
    ),
    # exchange -------------------------------------------------------------------------------
    "exchange_template": Row({"GET": IN_SCOPE}, kwargs=commune_year),
    "exchange_export": Row({"GET": IN_SCOPE}, kwargs=commune),
    "exchange_import": Row(
        {"GET": IMPORTERS, "POST": IMPORTERS},
        targets=("any",),
        data=upload("so-lieu.csv", CSV_GOOD, "tep"),
        writes=True,
    ),
    "exchange_job": Row({"GET": OWN_JOB}, kwargs=job("good")),
    "exchange_job_status": Row({"GET": OWN_JOB}, kwargs=job("good")),
    "exchange_job_commit": Row({"POST": OWN_JOB}, kwargs=job("good"), writes=True),
    "exchange_job_recheck": Row({"POST": OWN_JOB}, kwargs=job("bad")),
    "exchange_job_errors": Row({"GET": OWN_JOB}, kwargs=job("bad")),
    "exchange_job_diff": Row({"GET": OWN_JOB}, kwargs=job("good")),
    # API ------------------------------------------------------------------------------------
    "api_schema": Row({"GET": EVERYONE}, targets=("any",)),
    "api_docs": Row({"GET": EVERYONE}, targets=("any",)),
    "api_units": Row({"GET": LOGGED_IN}, targets=("any",), query=f"year={OPEN_YEAR}"),
    "api_unit": Row({"GET": IN_SCOPE}, kwargs=code_only, query=f"year={OPEN_YEAR}"),
    "api_unit_summary": Row({"GET": API_RESULTS}, kwargs=code_only, query=f"year={OPEN_YEAR}"),
    "api_unit_gap": Row({"GET": API_RESULTS}, kwargs=code_only, query=f"year={OPEN_YEAR}"),
    "api_unit_forecast": Row(
        {"GET": API_FORECAST},
        kwargs=code_only,
        query=f"target_year={OPEN_YEAR + 1}&base_year={OPEN_YEAR}",
    ),
    "api_criteria_sets": Row({"GET": LOGGED_IN}, targets=("any",)),
    "api_criteria_set": Row(
        {"GET": LOGGED_IN}, targets=("any",), kwargs=lambda w, t: {"set_id": SET_ID}
    ),
    "api_values": Row(
        {"GET": API_VALUES, "POST": ENTRY},
        targets=CELL_TARGETS,
        query=unit_query,
        data=api_values,
        writes=True,
        json=True,
    ),
    "api_evaluations": Row({"GET": IN_SCOPE}, query=unit_query),
    "api_classes": Row({"GET": IN_SCOPE}, query=unit_query),
    "api_dossiers": Row(
        {"GET": IN_SCOPE, "POST": OPEN_DOSSIER},
        query=unit_query,
        data=api_open,
        writes=True,
        json=True,
    ),
    "api_dossier": Row({"GET": IN_SCOPE}, kwargs=dossier("review")),
    "api_dossier_advance": Row(
        {"POST": ONLY_DISTRICT}, kwargs=dossier("review"), writes=True, json=True
    ),
    "api_dossier_return": Row(
        {"POST": ONLY_DISTRICT},
        kwargs=dossier("review"),
        data=lambda w, t: {"to_stage": "lay_y_kien", "reason": "Thiếu biên bản lấy ý kiến"},
        writes=True,
        json=True,
    ),
    "api_dossier_appraise": Row(
        {"POST": APPRAISE},
        targets=("in", "out", "other"),
        kwargs=dossier("appraisal"),
        data=lambda w, t: {"criterion": t.code.split(".")[0], "verdict": "dat"},
        writes=True,
        json=True,
    ),
    "api_dossier_recognise": Row(
        {"POST": ONLY_OFFICE}, kwargs=dossier("decision"), data=decision, writes=True, json=True
    ),
    "api_dossier_revoke": Row(
        {"POST": ONLY_OFFICE},
        kwargs=dossier("recognised"),
        data=lambda w, t: {**decision(w, t), "reason": "Tiêu chí 2 không còn đạt"},
        writes=True,
        json=True,
    ),
    "api_capital": Row({"GET": IN_SCOPE}, query=period_query),
    "api_contributions": Row({"GET": IN_SCOPE}, query=period_query),
    "api_courses": Row({"GET": IN_SCOPE}, query=period_query),
    "api_communications": Row({"GET": IN_SCOPE}, query=period_query),
    "api_ocop": Row({"GET": IN_SCOPE}, query=period_query),
    "api_production_models": Row({"GET": IN_SCOPE}, query=period_query),
    "api_targets": Row({"GET": IN_SCOPE}, query=period_query),
    "api_data_value_sets": Row(
        {"GET": API_VALUES, "POST": API_IMPORT},
        targets=CELL_TARGETS,
        query=dhis2_query,
        data=dhis2_body,
        writes=True,
        json=True,
    ),
    # reports --------------------------------------------------------------------------------
    "report_new": Row(
        {"GET": REPORTERS, "POST": REPORTERS},
        kwargs=commune_year,
        data=lambda w, t: {"format": "pdf", "period": "annual"},
        writes=True,
    ),
    "report_job": Row({"GET": OWN_REPORT}, kwargs=report),
    "report_download": Row({"GET": OWN_REPORT}, kwargs=report),
    # criteria -------------------------------------------------------------------------------
    "criteria_import": Row({"GET": CRITERIA_MANAGERS, "POST": CRITERIA_MANAGERS}, targets=("any",)),
    "criteria_export": Row({"GET": SPEC_READERS}, targets=("set", "spec"), kwargs=export_id),
    "criteria_classes_index": Row(
        {"GET": CLASSES_INDEX}, targets=("any",), kwargs=lambda w, t: {"set_id": CLASS_SET}
    ),
    "criteria_classes": Row(
        {"GET": PROVINCE_READERS, "POST": CLASSES_EDIT},
        kwargs=province_2026,
        data=classes_form,
        writes=True,
    ),
    # finance --------------------------------------------------------------------------------
    "finance_capital": Row({"GET": IN_SCOPE}, kwargs=commune),
    "finance_capital_add": Row(
        {"GET": RESOURCES, "POST": RESOURCES}, kwargs=commune, data=capital_form, writes=True
    ),
    "finance_contributions": Row({"GET": IN_SCOPE}, kwargs=commune),
    "finance_contribution_add": Row(
        {"GET": RESOURCES, "POST": RESOURCES},
        kwargs=commune,
        data=contribution_form,
        writes=True,
    ),
    "finance_upload": Row(
        {"GET": RESOURCES, "POST": RESOURCES},
        kwargs=lambda w, t: {**commune(w, t), "kind": "capital"},
    ),
    "finance_unit_money_csv": Row(
        {"GET": IN_SCOPE},
        kwargs=lambda w, t: {**commune(w, t), "year": OPEN_YEAR, "chart": "von-nguon"},
    ),
    "finance_money_results": Row(
        {"GET": IN_SCOPE}, kwargs=lambda w, t: {**commune(w, t), "year": OPEN_YEAR}
    ),
    # programs -------------------------------------------------------------------------------
    "programs_training": Row({"GET": IN_SCOPE}, kwargs=commune),
    "programs_production": Row({"GET": IN_SCOPE}, kwargs=commune),
    "programs_organisation": Row({"GET": IN_SCOPE}, kwargs=commune),
    "programs_targets": Row({"GET": IN_SCOPE}, kwargs=commune),
    "programs_create": Row(
        {"GET": PROGRAMS, "POST": PROGRAMS},
        kwargs=lambda w, t: {**commune(w, t), "kind": "movement"},
        data=movement_form,
        writes=True,
    ),
    "programs_upload": Row(
        {"GET": PROGRAMS, "POST": PROGRAMS},
        kwargs=lambda w, t: {**commune(w, t), "kind": "courses"},
    ),
    # web ------------------------------------------------------------------------------------
    "home": Row({"GET": LOGGED_IN}, targets=("any",)),
    "unit": Row({"GET": DISTRICT_PAGE}, kwargs=district_year),
    "unit_communes": Row({"GET": DISTRICT_PAGE}, kwargs=district_year),
    "unit_criterion": Row(
        {"GET": CRITERION_PAGE},
        targets=("in", "out", "other"),
        kwargs=lambda w, t: {**district_year(w, t), "code": t.code.split(".")[0]},
    ),
    "department_criteria": Row({"GET": LOGGED_IN}, targets=("any",)),
    "national_latest": Row({"GET": ADMIN_ONLY}, targets=("any",)),
    "national": Row({"GET": ADMIN_ONLY}, targets=("any",), kwargs=lambda w, t: {"year": OPEN_YEAR}),
    "commune": Row({"GET": IN_SCOPE}, kwargs=commune_year),
    "unit_search": Row({"GET": LOGGED_IN}, targets=("any",), query="q=San"),
    "criteria_sets": Row({"GET": LOGGED_IN}, targets=("any",)),
    "criteria_set": Row(
        {"GET": LOGGED_IN}, targets=("any",), kwargs=lambda w, t: {"set_id": SET_ID}
    ),
    # public pages: anyone, any province, no login (only public facts: ntm.web.public_selectors)
    "public_index": Row({"GET": EVERYONE}, targets=("any",)),
    "service_worker": Row({"GET": EVERYONE}, targets=("any",)),
    "web_manifest": Row({"GET": EVERYONE}, targets=("any",)),
    "public_province": Row(
        {"GET": {role: "AA" for role in ROLES}},
        kwargs=lambda w, t: {
            "unit_id": w.provinces["own" if t.name == "in" else "foreign"].pk,
            "year": OPEN_YEAR,
        },
    ),
}


# --- the tests -------------------------------------------------------------------------------


def url_patterns(
    patterns: list[Any] | None = None, prefix: str = ""
) -> Iterator[tuple[str | None, str]]:
    """(name, route) of every pattern of the URL configuration, included ones too."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, route


def test_every_url_pattern_has_a_row():
    unnamed = [route for name, route in url_patterns() if name is None]
    missing = sorted(f"{name} ({route})" for name, route in url_patterns() if name not in TABLE)
    assert not unnamed, f"URL patterns without a name cannot have a row: {unnamed}"
    assert not missing, f"URL patterns without a row in TABLE (see the docstring): {missing}"


def test_every_row_names_a_url_pattern():
    names = {name for name, _ in url_patterns()}
    assert not sorted(TABLE.keys() - names), "rows of URL patterns that no longer exist"


def test_every_policy_has_one_letter_per_target():
    for name, row in TABLE.items():
        for method, letters in row.methods.items():
            for role, outcome in letters.items():
                assert len(outcome) == len(row.targets), (name, method, role)
                assert set(outcome) <= set("ADLR-"), (name, method, role)


# Pages about the visitor's own session, open to all; the account's own password.
PUBLIC = {"login", "logout", "set_language"}
# Read-only pages anyone may open without an account (ntm.web.public_views; the API's document).
PUBLIC_PAGES = {
    "public_index",
    "public_province",
    "api_schema",
    "api_docs",
    "service_worker",
    "web_manifest",
}
OWN_ACCOUNT = PUBLIC | {"password_change"}


def test_the_anonymous_visitor_is_sent_to_log_in_everywhere_but_the_public_pages():
    open_to_anonymous = {
        name
        for name, row in TABLE.items()
        for letters in row.methods.values()
        if set(letters["anonymous"]) != {"L"}
    }
    assert open_to_anonymous == PUBLIC | PUBLIC_PAGES


# Posts that make a file from the data (a report job row, its file) and change no data.
OWN_OUTPUTS = {"report_new"}


def test_the_leader_changes_nothing_but_its_own_session_password_and_reports():
    writes = {
        name for name, row in TABLE.items() if "A" in row.methods.get("POST", {}).get("leader", "")
    }
    assert writes == OWN_ACCOUNT | OWN_OUTPUTS


def test_a_department_posts_nothing_about_a_criterion_it_does_not_own():
    for name, row in TABLE.items():
        if "other" in row.targets and "POST" in row.methods:
            letter = row.methods["POST"]["department"][row.targets.index("other")]
            assert letter in ("D", "R"), name  # refused: by access (403) or by the import (409)


GROUPS = [
    pytest.param(name, method, role, id=f"{name}-{method}-{role}")
    for name, row in TABLE.items()
    for method in row.methods
    for role in ROLES
]


@pytest.fixture(scope="module")
def world(demo, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """The matrix's objects, built once in a transaction rolled back after the module."""
    root = tmp_path_factory.mktemp("matrix")
    files = override_settings(EVIDENCE_ROOT=root / "evidence", NTM_IMPORT_ROOT=root / "imports")
    with django_db_blocker.unblock(), files:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def row_counts() -> dict[str, int]:
    """Rows of every table of the project (and of the users): what a denied request must keep.
    One query, for the matrix runs it twice per cell."""
    models = [
        m for c in apps.get_app_configs() if c.name.startswith("ntm.") for m in c.get_models()
    ]
    tables = [*(m._meta.db_table for m in models), apps.get_model("auth", "User")._meta.db_table]
    sql = "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def outcome(response: Any) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and location.startswith(f"{settings.LOGIN_URL}?next="):
        return "L"
    if status == 401:  # the API's way of asking to log in (a token or a session)
        return "L"
    if 200 <= status < 400:
        return "A"
    if status in (403, 404):
        return "D"
    if status in (400, 409):
        return "R"
    return str(status)


def cell_problem(client: Any, world: World, name: str, method: str, where: Target) -> str:
    """What is wrong with one cell of the matrix ("" when nothing)."""
    row = TABLE[name]
    expected = row.methods[method][where.role][row.targets.index(where.name)]
    url = reverse(name, kwargs=row.kwargs(world, where))
    query = row.query(world, where) if callable(row.query) else row.query
    if query:
        url += f"?{query}"
    client.logout()
    if where.username is not None:
        client.force_login(world.users[where.username])
    before = row_counts()
    data = row.data(world, where)
    if method == "GET":
        response = client.get(url)
    elif row.json:
        response = client.post(url, data, content_type="application/json")
    else:
        response = client.post(url, data)
    got, status = outcome(response), response.status_code
    cell = f"{method} {url} as {where.role} ({where.name}): {status}"
    if status == 500:
        return f"{cell}, a server error"
    # A refusal by a state rule may come from the service as a 403 (PermissionDenied).
    if got != expected and not (expected == "R" and status == 403):
        return f"{cell}, not {expected}\n{response.content.decode(errors='replace')[:1500]}"
    after = row_counts()
    if got != "A" and after != before:
        changed = sorted(t for t in after if after[t] != before[t])
        return f"{cell}: refused, yet it wrote in {changed}"
    if got == "A" and method == "POST" and row.writes and after == before:
        return f"{cell}: allowed, yet it wrote nothing"
    return ""


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "role"), GROUPS)
def test_the_matrix(client, world, name, method, role):
    """One URL, one method, one role: each target in a savepoint rolled back after it."""
    client.raise_request_exception = False  # a crash is a 500 cell, not an exception
    row, problems = TABLE[name], []
    for target, letter in zip(row.targets, row.methods[method][role], strict=True):
        if letter == "-":
            continue
        with transaction.atomic():
            problems.append(cell_problem(client, world, name, method, Target(role, target)))
            transaction.set_rollback(True)
    assert not any(problems), "\n".join(p for p in problems if p)


OTHER_METHODS = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name, row in TABLE.items()
    for method in ("GET", "POST")
    if method not in row.methods
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), OTHER_METHODS)
def test_a_method_a_url_is_not_meant_for_writes_nothing_and_never_crashes(
    client, world, name, method
):
    """A GET of an action, a POST to a page: as the administrator, who passes every check.
    A download audits itself whatever the method: only the audit trail may grow."""
    row = TABLE[name]
    where = Target("admin", row.targets[0])
    url = reverse(name, kwargs=row.kwargs(world, where))
    client.raise_request_exception = False
    client.force_login(world.users["quantri"])
    before = row_counts()
    response = client.get(url) if method == "GET" else client.post(url, row.data(world, where))
    assert response.status_code != 500, f"{method} {url}: a server error"
    after = row_counts()
    changed = sorted(t for t in after if after[t] != before[t] and t != "audit_auditevent")
    assert not changed, f"{method} {url} wrote in {changed}"
