"""The objects the authorization matrix points its URLs at, on top of the Lai Châu demo.

Units by key: ``own`` Xã San Thàng (03409, Thành phố Lai Châu), ``sibling`` Xã Nậm Loỏng (03403,
same district), ``far`` Xã Dào San (03571, Huyện Phong Thổ), ``foreign`` a commune of a province
created here (no demo account reaches it). Each has a village, dossiers at four stages, evidence
of indicator 2.1 in OPEN_YEAR; San Thàng also has evidence of 15.1 (criterion 15, not the
transport department's) and of 2.1 in LOCKED_YEAR, whose dossier is under review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm.accounts.demo import DEMO_ACCOUNTS
from ntm.criteria.classes import class_set, classes_year, commune_class_rows
from ntm.exchange import jobs
from ntm.finance.models import CapitalSource
from ntm.indicators.evidence import evidence_add
from ntm.indicators.models import IndicatorValue
from ntm.reports.jobs import job_file as report_file
from ntm.reports.models import ReportJob
from ntm.units.models import Unit
from ntm.units.selectors import unit_in_year
from ntm.workflow.models import Dossier, Status
from ntm.workflow.services import dossier_advance, dossier_open

OPEN_YEAR = 2020  # no dossier: values, evidence and comments are open
LOCKED_YEAR = 2019  # San Thàng's dossier is at the district's review: the commune-year is locked
SET_ID = "qd1980-2016"  # judges 2016-2020
CLASS_SET = "qd51-2025"  # commune groups per province, from 2026
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNIT_KEYS = ("own", "sibling", "far", "foreign")
CODES = {"own": "03409", "sibling": "03403", "far": "03571"}
# Stage of each dossier (2016-2025 procedure) and its year: one live dossier per commune-year.
STAGES = {
    "review": ("huyen_tham_tra", Status.IN_REVIEW, LOCKED_YEAR),  # the district acts
    "appraisal": ("so_nganh_tham_dinh", Status.IN_REVIEW, 2018),  # departments appraise
    "decision": ("quyet_dinh", Status.IN_REVIEW, 2017),  # the province records the decision
    "recognised": ("cong_bo", Status.RECOGNISED, 2016),  # the province may revoke it
}
PASSWORDS = {a.username: a.password for a in DEMO_ACCOUNTS}


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    villages: dict[str, Unit] = field(default_factory=dict)
    provinces: dict[str, Unit] = field(default_factory=dict)  # "own"/"foreign", rows of 2026
    dossiers: dict[tuple[str, str], int] = field(default_factory=dict)  # (unit key, stage)
    evidence: dict[tuple[str, int, str], int] = field(default_factory=dict)  # (key, year, code)
    jobs: dict[tuple[str, str], Any] = field(default_factory=dict)  # (username, good/bad)
    reports: dict[str, Any] = field(default_factory=dict)  # username -> a finished report job
    users: dict[str, Any] = field(default_factory=dict)
    values: dict[tuple[str, int, str], IndicatorValue | None] = field(default_factory=dict)
    class_commune: dict[str, int] = field(default_factory=dict)  # province key -> commune id
    capital_source: int = 0

    def value(self, key: str, year: int, code: str) -> IndicatorValue | None:
        if (key, year, code) not in self.values:
            self.values[key, year, code] = IndicatorValue.objects.filter(
                unit=self.units[key], year=year, criteria_set=SET_ID, indicator=code
            ).first()
        return self.values[key, year, code]


def _commune(code: str) -> Unit:
    return Unit.objects.get(level="commune", code=code, valid_from__isnull=True)


def _foreign_commune() -> Unit:
    """A province no demo account belongs to (code 98 is unused), with one commune."""
    province = Unit.objects.create(
        code="98", name="Tỉnh Ngoài Phạm Vi", kind="tinh", level="province", region="TDMNPB"
    )
    district = Unit.objects.create(
        code="998", name="Huyện Ngoài", kind="huyen", level="district", parent=province
    )
    commune = Unit.objects.create(
        code="99998",
        name="Xã Ngoài",
        kind="xa",
        level="commune",
        parent=district,
        ntm_eligible=True,
    )
    return commune


def _dossiers(world: World, board: Any, admin: Any) -> None:
    """San Thàng's dossier under review goes through the services, as the board would submit
    it; the other dossiers copy its plan at their stage."""
    code, _, year = STAGES["review"]
    review = dossier_open(actor=board, unit=world.units["own"], year=year)
    review = dossier_advance(actor=board, dossier=review)  # self-assessment done
    review = dossier_advance(actor=board, dossier=review)  # public comment: the district's turn
    assert review.current_stage == code
    world.dossiers["own", "review"] = review.pk
    for key in UNIT_KEYS:
        for stage, (code, status, year) in STAGES.items():
            if (key, stage) == ("own", "review"):
                continue
            dossier = Dossier.objects.create(
                unit=world.units[key],
                year=year,
                criteria_set=review.criteria_set,
                stages=review.stages,
                current_stage=code,
                status=status,
                created_by=admin,
            )
            world.dossiers[key, stage] = dossier.pk


def _evidence(world: World, key: str, year: int, code: str, admin: Any) -> None:
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    evidence = evidence_add(
        unit=world.units[key], year=year, indicator=code, upload=upload, author=admin
    )
    world.evidence[key, year, code] = evidence.pk


def flipped(value: IndicatorValue | None) -> str:
    """The other answer of a yes/no indicator, as the form and the CSV write it."""
    return "0" if value is not None and value.value == 1 else "1"


def _jobs(world: World) -> None:
    """A job that checked clean and one refused with an error, for each user who may import."""
    current = flipped(world.value("own", OPEN_YEAR, "2.1"))
    good = f"unit_code,year,indicator,value\n03409,{OPEN_YEAR},2.1,{current}\n".encode()
    bad = f"unit_code,year,indicator,value\n03409,{OPEN_YEAR},2.1,nhiều\n".encode()
    for username in ("quantri", "vanphong.laichau", "xa.santhang", "so.giaothong"):
        for kind, data in (("good", good), ("bad", bad)):
            job = jobs.job_create(user=world.users[username], name=f"{kind}.csv", data=data)
            jobs.job_check(job.pk)
            job.refresh_from_db()
            world.jobs[username, kind] = job.pk


def _reports(world: World) -> None:
    """A finished report (its file written) for each user who may make one."""
    for username in (
        "quantri",
        "vanphong.laichau",
        "huyen.tplaichau",
        "xa.santhang",
        "lanhdao.laichau",
    ):
        job = ReportJob.objects.create(
            user=world.users[username],
            unit=world.units["own"],
            year=OPEN_YEAR,
            period="annual",
            format="pdf",
            status=ReportJob.Status.DONE,
            file_name="bao-cao.pdf",
        )
        path = report_file(job)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF)
        world.reports[username] = job.pk


def _classes(world: World) -> None:
    cset = class_set(CLASS_SET)
    year = classes_year(cset)
    laichau = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    world.provinces["own"] = unit_in_year(unit=laichau, year=year)
    world.provinces["foreign"] = world.units["foreign"].parent.parent
    for key, province in world.provinces.items():
        rows = commune_class_rows(cset=cset, unit=province, year=year)
        world.class_commune[key] = rows[0].unit.pk


def world_build() -> World:
    world = World()
    users = get_user_model().objects
    world.users = {a.username: users.get(username=a.username) for a in DEMO_ACCOUNTS}
    admin = world.users["quantri"]
    world.units = {key: _commune(code) for key, code in CODES.items()}
    world.units["foreign"] = _foreign_commune()
    for key, unit in world.units.items():  # the demo has no villages
        world.villages[key] = Unit.objects.create(
            code=f"{unit.code}01", name="Thôn Một", kind="thon", level="village", parent=unit
        )
    for key in UNIT_KEYS:
        _evidence(world, key, OPEN_YEAR, "2.1", admin)
    _evidence(world, "own", OPEN_YEAR, "15.1", admin)
    _evidence(world, "own", LOCKED_YEAR, "2.1", admin)  # before its dossier locks the year
    _dossiers(world, world.users["xa.santhang"], admin)
    _jobs(world)
    _reports(world)
    _classes(world)
    world.capital_source = CapitalSource.objects.exclude(code="total").order_by("pk")[0].pk
    return world


def dossier_day() -> str:
    return (dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
