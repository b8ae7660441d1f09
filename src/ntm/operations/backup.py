"""`ntm backup`: the whole database and the data files in one zip archive (see archive.py)."""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import django
from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from ntm.operations.archive import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    Progress,
    applied_nodes,
    backed_up_models,
    columns_of,
    file_roots,
    migrations_by_app,
    plain,
    progress_none,
    state_apps,
    table_member,
)


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    files: int
    size: int  # of the archive, in bytes


def ntm_version() -> str:
    try:
        return version("ntm")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


@contextmanager
def snapshot(db: BaseDatabaseWrapper) -> Iterator[None]:
    """Every read inside sees the database at one moment, while users keep writing."""
    if db.in_atomic_block:  # already one transaction (a caller's block, a test)
        yield
        return
    if db.vendor == "postgresql":
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite: the settings begin atomic blocks IMMEDIATE, which would hold the write lock for
    # the whole backup; a deferred transaction reads one snapshot (WAL) and lets writers on.
    db.ensure_connection()
    with db.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute("ROLLBACK")


def backup_write(*, path: Path, progress: Progress = progress_none) -> Summary:
    """Write the archive to a temporary name beside ``path``, then rename it into place, so
    a backup that fails half-way never leaves a file that looks like a backup."""
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        partial.touch(mode=0o600)  # password hashes: for the operator's eyes only
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            with snapshot(connection):
                manifest = _write_database(archive, progress)
                manifest["files"] = _write_files(archive, progress)
            text = json.dumps(manifest, ensure_ascii=False, indent=1)
            archive.writestr(MANIFEST, text)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(
        tables=len(manifest["tables"]),
        rows=sum(table["rows"] for table in manifest["tables"]),
        files=len(manifest["files"]),
        size=path.stat().st_size,
    )


def _write_database(archive: zipfile.ZipFile, progress: Progress) -> dict[str, Any]:
    loader, nodes = applied_nodes(connection)
    tables = backed_up_models(state_apps(loader, nodes))
    counts = [model._base_manager.using(connection.alias).count() for model in tables]
    total, done = sum(counts), 0
    progress("rows", 0, total)
    written = []
    for model in tables:
        entry = _write_table(archive, model, _rows_after(progress, done, total))
        done += entry["rows"]
        written.append(entry)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "ntm_version": ntm_version(),
        "django_version": django.get_version(),
        "created_at": timezone.now().isoformat(),
        "database_engine": connection.vendor,
        "migrations": migrations_by_app(nodes),
        "tables": written,
    }


def _rows_after(progress: Progress, start: int, total: int) -> Callable[[int], None]:
    return lambda rows: progress("rows", start + rows, total)


def _write_table(
    archive: zipfile.ZipFile, model: type[models.Model], progress: Callable[[int], None]
) -> dict[str, Any]:
    """One JSON list per row, in primary-key order; streamed, never the whole table in memory."""
    names = [field.attname for field in columns_of(model)]
    member = table_member(model)
    digest, rows = hashlib.sha256(), 0
    query = model._base_manager.using(connection.alias).order_by("pk").values_list(*names)
    with archive.open(member, "w", force_zip64=True) as out:
        for row in query.iterator(chunk_size=2000):
            line = json.dumps(row, ensure_ascii=False, default=plain, separators=(",", ":"))
            data = (line + "\n").encode("utf-8")
            digest.update(data)
            out.write(data)
            rows += 1
            if rows % 2000 == 0:
                progress(rows)
    progress(rows)
    return {
        "model": model._meta.label_lower,
        "table": model._meta.db_table,
        "columns": names,
        "rows": rows,
        "member": member,
        "sha256": digest.hexdigest(),
    }


def _write_files(archive: zipfile.ZipFile, progress: Progress) -> list[dict[str, Any]]:
    found = [
        (name, root, path)
        for name, root in file_roots().items()
        if root.is_dir()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    ]
    total, done = sum(path.stat().st_size for _, _, path in found), 0
    progress("files", 0, total)
    entries = []
    for name, root, path in found:
        member = f"files/{name}/{path.relative_to(root).as_posix()}"
        try:
            source = path.open("rb")
        except FileNotFoundError:  # removed since the listing, with its row (evidence_delete)
            continue
        digest, size = hashlib.sha256(), 0
        with source, archive.open(member, "w", force_zip64=True) as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
                done += len(chunk)
                progress("files", done, total)
        entries.append({"path": member, "size": size, "sha256": digest.hexdigest()})
    return entries
