"""A small cast for data entry: San Thàng's board, a neighbour's board, the education
department (criterion 14), a leader, each with a Membership like the accounts pages create."""

import pytest

from ntm.accounts.models import Membership, Role
from ntm.units.models import Unit

YEAR = 2018  # judged under QĐ 1980/QĐ-TTg, San Thàng in region TDMNPB


def _member(django_user_model, username, role, unit, criteria=()):
    user = django_user_model.objects.create_user(username=username, password="mat-khau-thu")
    Membership.objects.create(user=user, role=role, unit=unit, criteria=list(criteria))
    return user


def _province():
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


@pytest.fixture
def san_thang_board(commune, django_user_model):
    return _member(django_user_model, "bql.santhang", Role.COMMUNE, commune)


@pytest.fixture
def binh_lu_board(laichau, django_user_model):
    binh_lu = Unit.objects.get(level="commune", code="03412", valid_from__isnull=True)
    return _member(django_user_model, "bql.binhlu", Role.COMMUNE, binh_lu)


@pytest.fixture
def education_department(laichau, django_user_model):
    return _member(django_user_model, "so.giaoduc", Role.DEPARTMENT, _province(), ["14"])


@pytest.fixture
def leader(laichau, django_user_model):
    return _member(django_user_model, "lanhdao", Role.LEADER, _province())


@pytest.fixture
def board(client, san_thang_board):
    client.force_login(san_thang_board)
    return client


@pytest.fixture
def evidence_dir(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    return settings.EVIDENCE_ROOT


def form_url(unit):
    return f"/xa/{unit.id}/{YEAR}/nhap/"


def check_url(unit):
    return f"/so-lieu/{unit.id}/{YEAR}/kiem-tra/"


def cell_url(unit, code):
    return f"/so-lieu/{unit.id}/{YEAR}/{code}/"
