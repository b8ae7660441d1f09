"""What an ntm backup archive holds and how its rows are written, shared by backup and restore.

The archive is a zip file:

    manifest.json                 format, versions, migration state, per-table counts, sha256
    db/<app>.<model>.jsonl        one JSON list per row, columns in the manifest's order
    files/<root>/<path>           evidence files, import files (see file_roots)

Rows are written column by column with the models of the archive's migration state (not the
current code's models), so a backup restores into that exact schema and then migrates forward.
Values are plain JSON; each column's Django field turns it back into a Python value (dates,
decimals, uuids, bytes), then into the target database's own form: the archive does not
depend on SQLite or PostgreSQL.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import getpass
import hashlib
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils.duration import duration_iso_string

from ntm.exchange.jobs import import_root

FORMAT = "ntm-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024

# Rows `ntm migrate` writes by itself (content types, permissions, the capital sources of
# finance 0002): a freshly migrated database holding only these counts as empty.
MIGRATE_FILLS = ("contenttypes.contenttype", "auth.permission", "finance.capitalsource")
# Rows no backup holds: live logins (a copy of the archive must not hand anyone a session,
# and a restored server must not honour sessions the old one issued) and the failed-login
# throttle, which only concerns the old server's last minutes. Users log in again after a
# restore, which empties these tables.
LEFT_OUT = ("sessions.session", "accounts.failedlogin")

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total): stage "rows" counts rows, "files" counts bytes."""


def progress_none(stage: str, done: int, total: int) -> None:
    """The Progress of a caller that shows none."""
    return None


def file_roots() -> dict[str, Path]:
    """The folders under the data folder that belong to the data (not the key, not static)."""
    return {"evidence": Path(settings.EVIDENCE_ROOT), "imports": import_root()}


def table_member(model: type[models.Model]) -> str:
    return f"db/{model._meta.label_lower}.jsonl"


def applied_nodes(connection: BaseDatabaseWrapper) -> tuple[MigrationLoader, list[tuple[str, str]]]:
    """The loader and the applied migrations this code knows (squashed ones included)."""
    loader = MigrationLoader(connection)
    nodes = sorted(key for key in loader.applied_migrations if key in loader.graph.nodes)
    return loader, nodes


def migrations_by_app(nodes: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in sorted(nodes):
        state.setdefault(app, []).append(name)
    return state


def state_apps(loader: MigrationLoader, nodes: list[tuple[str, str]]) -> Apps:
    """The models as they were after ``nodes``: the tables a database at that state has."""
    return loader.project_state(nodes=nodes, at_end=True).apps


def stored_models(apps: Apps) -> list[type[models.Model]]:
    """Every model with its own table, in a fixed order (auto-created many-to-many included)."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def backed_up_models(apps: Apps) -> list[type[models.Model]]:
    """The stored models whose rows go into a backup: all but LEFT_OUT."""
    return [model for model in stored_models(apps) if model._meta.label_lower not in LEFT_OUT]


def columns_of(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def plain(value: Any) -> Any:
    """json.dumps' default=: a column value JSON cannot hold, as a string its field reads back.

    Full precision on purpose: DjangoJSONEncoder drops microseconds, which would change the
    timestamps the audit trail and the edit-conflict checks compare."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"không ghi được giá trị kiểu {type(value).__name__} vào bản sao lưu")


def db_value(field: models.Field[Any, Any], value: Any, connection: BaseDatabaseWrapper) -> Any:
    """A value read from the archive, in the form the target database takes for this column."""
    if value is None:
        if isinstance(field, models.JSONField) and not field.null:
            # Django reads JSON null as None; a NOT NULL column held JSON null, not SQL NULL.
            return connection.ops.adapt_json_value(None, field.encoder)
        return None
    return field.get_db_prep_save(field.to_python(value), connection)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def who_runs() -> str:
    """The operating-system user, for the audit row of a backup or a restore."""
    try:
        return f"người dùng hệ điều hành: {getpass.getuser()}"
    except (KeyError, OSError):  # no user name in a bare container
        return "người dùng hệ điều hành: ?"


def size_text(size: int) -> str:
    """1.234.567 bytes → "1,2 MB": the summary line is read by an operator, in Vietnamese."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".", ",")
    return f"{size} B"
