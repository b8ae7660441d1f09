"""A small cast for imports and exports in Lai Châu (2019 structure, year 2018, QĐ 1980/2016,
region TDMNPB): the province office, San Thàng's board, the education department (criterion
14), a leader; and helpers that run the commands the way a shell would."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.accounts.models import Membership, Role
from ntm.units.models import Unit

YEAR = 2018
SAN_THANG, NAM_LOONG, BINH_LU = "03409", "03403", "03412"


def since_ever(level: str, code: str) -> Unit:
    return Unit.objects.get(level=level, code=code, valid_from__isnull=True)


def member(django_user_model: Any, username: str, role: str, unit: Unit | None, criteria=()):
    user = django_user_model.objects.create_user(username=username, password="mat-khau-thu")
    Membership.objects.create(user=user, role=role, unit=unit, criteria=list(criteria))
    return user


@pytest.fixture
def office(laichau, django_user_model):
    return member(django_user_model, "vp.laichau", Role.PROVINCE, since_ever("province", "12"))


@pytest.fixture
def board(commune, django_user_model):
    return member(django_user_model, "bql.santhang", Role.COMMUNE, commune)


@pytest.fixture
def education(laichau, django_user_model):
    province = since_ever("province", "12")
    return member(django_user_model, "so.giaoduc", Role.DEPARTMENT, province, ["14"])


@pytest.fixture
def leader(laichau, django_user_model):
    return member(django_user_model, "lanhdao", Role.LEADER, since_ever("province", "12"))


def long_csv(*rows: tuple[Any, ...], header: str = "unit_code,year,indicator,value") -> bytes:
    lines = [header, *(",".join(str(c) for c in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run(command: str, *args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `ntm <command> ...`, as the shell would see them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()
