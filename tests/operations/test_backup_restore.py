"""`ntm backup` and `ntm restore`, through the commands, as an operator moves a server."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ntm.accounts.models import FailedLogin
from ntm.accounts.throttle import login_failure_record
from ntm.audit.models import AuditEvent
from ntm.exchange.jobs import job_file
from ntm.indicators.evidence import evidence_path
from ntm.indicators.models import EvidenceFile, IndicatorValue
from ntm.indicators.services import values_set
from tests.operations.conftest import PASSWORD, PDF, YEAR

pytestmark = pytest.mark.django_db


def backup(path: Path) -> dict[str, Any]:
    call_command("backup", "-o", str(path))
    return manifest_of(path)


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def rewrite(source: Path, target: Path, *, member: str = "", data: bytes = b"", manifest=None):
    """A copy of an archive with one member's bytes or the manifest replaced."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            body = old.read(info.filename)
            if info.filename == member:
                body = data
            if info.filename == "manifest.json" and manifest is not None:
                body = json.dumps(manifest).encode()
            new.writestr(info.filename, body)


def restore_refused(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), *args)
    assert refused.value.returncode == 1
    return str(refused.value)


def by_model(manifest: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {t["model"]: (t["rows"], t["sha256"]) for t in manifest["tables"]}


def test_the_manifest_describes_every_table_and_file(stocked, tmp_path):
    manifest = backup(tmp_path / "ntm.zip")
    assert (tmp_path / "ntm.zip").stat().st_mode & 0o777 == 0o600
    assert (manifest["format"], manifest["format_version"]) == ("ntm-backup", 1)
    assert manifest["migrations"]["indicators"][0] == "0001_initial"
    tables = by_model(manifest)
    for label in ("auth.user", "audit.auditevent", "django_tasks_database.dbtaskresult"):
        assert label in tables
    assert tables["indicators.indicatorvalue"][0] == 2
    # Every audit row but the backup's own, written once the archive is complete.
    assert tables["audit.auditevent"][0] == AuditEvent.objects.count() - 1 >= 3
    evidence = f"files/evidence/{stocked.evidence.stored_name[:2]}/{stocked.evidence.stored_name}"
    files = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert files[evidence] == hashlib.sha256(PDF).hexdigest()
    assert f"files/imports/{stocked.job.pk.hex}" in files


def test_a_new_server_gets_every_row_and_file_back(stocked, tmp_path, new_server):
    archive = tmp_path / "ntm.zip"
    manifest = backup(archive)
    assert new_server.ntm("migrate", "--no-input").returncode == 0
    restored = new_server.ntm("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Đã phục hồi" in restored.stdout
    # Backing up the restored server gives the same rows, byte for byte, and the same files.
    again = new_server.ntm("backup", "-o", str(tmp_path / "again.zip"))
    assert again.returncode == 0, again.stderr
    second = manifest_of(tmp_path / "again.zip")
    # The same rows, and in the audit trail one more: the restore's, in the restored database.
    again_rows, first_rows = by_model(second), by_model(manifest)
    audit = "audit.auditevent"
    assert again_rows.pop(audit)[0] == first_rows.pop(audit)[0] + 1
    assert again_rows == first_rows
    assert second["files"] == manifest["files"]
    assert second["migrations"] == manifest["migrations"]
    copy = new_server.data_dir / "imports" / stocked.job.pk.hex
    assert copy.read_bytes() == job_file(stocked.job).read_bytes()
    url = f"/minh-chung/{stocked.evidence.id}/"
    download = new_server.download("bql.santhang", PASSWORD, url)
    assert (download["logged_in"], download["status"]) == (True, 200)
    assert download["sha256"] == stocked.evidence.sha256
    # No clash with a restored id: the database's counter starts after the restored rows.
    assert download["new_id"] > AuditEvent.objects.latest("id").id


def test_a_restore_goes_only_into_an_empty_server_unless_forced(stocked, commune, tmp_path):
    archive = tmp_path / "ntm.zip"
    backup(archive)
    values_set(unit=commune, year=YEAR, values={"14.2": 10.0}, author=stocked.board)
    stray = Path(evidence_path(evidence=stocked.evidence)).with_name("khong-thuoc-ban-sao-luu")
    stray.write_bytes(b"x")
    assert "đã có dữ liệu" in restore_refused(archive)
    assert IndicatorValue.objects.get(indicator="14.2").value == 10.0

    call_command("restore", str(archive), "--force")
    assert IndicatorValue.objects.get(indicator="14.2").value == 92.5
    assert list(AuditEvent.objects.filter(after__value=10.0)) == []
    assert not stray.exists()
    restored = evidence_path(evidence=EvidenceFile.objects.get())
    assert restored.read_bytes() == PDF


def test_a_damaged_archive_changes_nothing(stocked, tmp_path):
    archive, damaged = tmp_path / "ntm.zip", tmp_path / "hong.zip"
    backup(archive)
    member = f"files/evidence/{stocked.evidence.stored_name[:2]}/{stocked.evidence.stored_name}"
    rewrite(archive, damaged, member=member, data=PDF.replace(b"1.4", b"1.5"))
    EvidenceFile.objects.all().delete()
    message = restore_refused(damaged, "--force")
    assert "bị hỏng" in message
    assert "SHA-256" in message
    assert not EvidenceFile.objects.exists()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[:-200])
    assert "không phải là bản sao lưu" in restore_refused(cut, "--force")


def test_an_archive_from_a_newer_ntm_is_refused(stocked, tmp_path):
    archive, newer = tmp_path / "ntm.zip", tmp_path / "moi.zip"
    manifest = backup(archive)
    manifest["migrations"]["indicators"].append("9999_from_the_future")
    rewrite(archive, newer, manifest=manifest)
    message = restore_refused(newer, "--force")
    assert "mới hơn" in message
    assert "indicators.9999_from_the_future" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [("ghi-chu.zip", None), ("ghi-chu.txt", b"khong phai zip")],
)
def test_a_file_that_is_not_an_ntm_backup_is_refused(stocked, tmp_path, name, content):
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("ghi-chu.txt", "xin chào")
    else:
        path.write_bytes(content)
    assert "không phải là bản sao lưu của ntm" in restore_refused(path, "--force")


def test_a_row_the_database_refuses_undoes_the_whole_restore(stocked, commune, tmp_path):
    archive, clash = tmp_path / "ntm.zip", tmp_path / "trung.zip"
    manifest = backup(archive)
    table = next(t for t in manifest["tables"] if t["model"] == "auth.user")
    with zipfile.ZipFile(archive) as old:
        rows = old.read(table["member"])
    doubled = rows + rows  # every user twice: the same primary keys, the same user names
    table["rows"] *= 2
    table["sha256"] = hashlib.sha256(doubled).hexdigest()
    rewrite(archive, clash, member=table["member"], data=doubled, manifest=manifest)
    values_set(unit=commune, year=YEAR, values={"14.2": 10.0}, author=stocked.board)
    stray = Path(evidence_path(evidence=stocked.evidence)).with_name("khong-thuoc-ban-sao-luu")
    stray.write_bytes(b"x")

    assert "đã hoàn tác" in restore_refused(clash, "--force")
    assert IndicatorValue.objects.get(indicator="14.2").value == 10.0
    assert stray.exists()
    assert not list(stray.parent.parent.parent.glob(".evidence.restore-*"))


def test_sessions_and_failed_logins_stay_out_of_a_backup(stocked, client, tmp_path):
    client.force_login(stocked.board)
    login_failure_record(username="bql.santhang", address="203.0.113.66")
    archive = tmp_path / "ntm.zip"
    tables = by_model(backup(archive))
    assert "sessions.session" not in tables and "accounts.failedlogin" not in tables
    assert "auth.user" in tables

    call_command("restore", str(archive), "--force")
    assert not Session.objects.exists() and not FailedLogin.objects.exists()
    assert client.get("/").status_code == 302  # logged out: everyone logs in again


def test_backup_and_restore_each_write_an_audit_row(stocked, tmp_path):
    archive = tmp_path / "ntm.zip"
    backup(archive)
    made = AuditEvent.objects.get(action="backup.create")
    assert (made.origin, made.object_id, made.actor) == ("cli", "ntm.zip", None)
    assert "ntm backup -o" in made.origin_detail

    call_command("restore", str(archive), "--force")
    # The restored database is the archive's, taken before the backup's own row.
    assert not AuditEvent.objects.filter(action="backup.create").exists()
    restored = AuditEvent.objects.get(action="backup.restore")
    assert (restored.origin, restored.object_id) == ("cli", "ntm.zip")
    assert "--force" in restored.origin_detail
    assert restored.id == AuditEvent.objects.latest("id").id


def without_last_finance_migration(archive: Path, older: Path) -> None:
    """The archive as a server one migration behind would have written it: finance 0003 adds
    only constraints, so the tables' columns stay the same."""
    manifest = manifest_of(archive)
    assert manifest["migrations"]["finance"][-1] == "0003_figure_bounds"
    manifest["migrations"]["finance"].pop()
    rewrite(archive, older, manifest=manifest)


def test_a_target_holding_data_ahead_of_the_archive_is_refused_even_forced(
    stocked, commune, tmp_path
):
    archive, older = tmp_path / "ntm.zip", tmp_path / "cu.zip"
    backup(archive)
    without_last_finance_migration(archive, older)
    values_set(unit=commune, year=YEAR, values={"14.2": 10.0}, author=stocked.board)

    message = restore_refused(older, "--force")
    assert "cấu trúc mới hơn bản sao lưu" in message
    assert "finance.0003_figure_bounds" in message
    assert "cơ sở dữ liệu trống" in message
    assert (
        MigrationRecorder(connection)
        .migration_qs.filter(app="finance", name="0003_figure_bounds")
        .exists()
    )
    assert IndicatorValue.objects.get(indicator="14.2").value == 10.0


def test_an_empty_target_ahead_of_the_archive_is_taken_back_then_forward(
    stocked, tmp_path, new_server
):
    archive, older = tmp_path / "ntm.zip", tmp_path / "cu.zip"
    backup(archive)
    without_last_finance_migration(archive, older)
    assert new_server.ntm("migrate", "--no-input").returncode == 0
    restored = new_server.ntm("restore", str(older))
    assert restored.returncode == 0, restored.stderr
    shown = new_server.ntm("showmigrations", "finance")
    assert "[X] 0003_figure_bounds" in shown.stdout


def test_a_symlinked_data_folder_is_refused(stocked, tmp_path):
    archive = tmp_path / "ntm.zip"
    backup(archive)
    evidence = stocked.data_dir / "evidence"
    elsewhere = tmp_path / "o-dia-khac"
    evidence.rename(elsewhere)
    evidence.symlink_to(elsewhere, target_is_directory=True)

    assert "symlink" in restore_refused(archive, "--force")
    assert evidence.is_symlink()
    assert evidence_path(evidence=stocked.evidence).read_bytes() == PDF
