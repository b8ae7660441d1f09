"""`ntm restore`: an archive of `ntm backup` back into a database and the data folder.

Order, so that a refusal or a failure changes nothing that held data:
1. check the archive (an ntm backup, every sha256, migrations this code knows) and the target
   (empty, or --force; no migration the archive lacks unless its database is empty; real
   folders, not symlinks), before any write;
2. migrate the target to the archive's migration state: a new database needs no separate
   `ntm migrate` (an empty database is all it has, so nothing is lost if a later step fails).
   Migrations run outside the load's transaction, which is why a target holding data must
   not be ahead of the archive: unapplying its migrations could destroy data before a load
   that then fails;
3. unpack the files into temporary folders beside their final place;
4. in one transaction: empty every table, insert every row with its primary key, reset the
   PostgreSQL sequences;
5. swap the temporary folders in (renames), then migrate forward if the archive is older
   than this code.

Sessions and failed-login rows are not in an archive (archive.LEFT_OUT): the load empties
them, so everyone logs in again.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, cast

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from ntm.operations.archive import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    LEFT_OUT,
    MANIFEST,
    MIGRATE_FILLS,
    Progress,
    applied_nodes,
    columns_of,
    db_value,
    file_roots,
    progress_none,
    state_apps,
    stored_models,
)
from ntm.operations.backup import Summary, ntm_version

BATCH = 1000


class RestoreRefused(Exception):
    """The archive or the target is not fit for a restore; nothing was changed."""


@dataclass(frozen=True)
class Checked:
    """An archive that passed every check, with the models of its migration state."""

    manifest: dict[str, Any]
    nodes: list[tuple[str, str]]
    apps: Apps
    behind: bool  # this code has migrations the archive's database had not run


def restore_run(*, path: Path, force: bool = False, progress: Progress = progress_none) -> Summary:
    with _open(path) as archive:
        checked = _check(archive, path, progress)
        _refuse_symlinked_folders()
        tables, folders = _holding_data()
        if not force:
            _refuse_if_holding_data(tables, folders)
        if tables:
            _refuse_if_ahead(checked, path)
        _migrate_to(checked.nodes)
        staged = _stage_files(archive, checked.manifest, progress)
        try:
            rows = _load(archive, checked, progress)
        except DatabaseError as exc:
            _discard(staged)
            raise RestoreRefused(
                f"Không ghi được bản sao lưu {path} vào cơ sở dữ liệu ({exc}); đã hoàn tác, "
                "không phục hồi gì."
            ) from exc
        except BaseException:
            _discard(staged)
            raise
    _swap_in(staged)
    if checked.behind:
        call_command("migrate", interactive=False, verbosity=0)
    return Summary(
        tables=len(checked.manifest["tables"]),
        rows=rows,
        files=len(checked.manifest["files"]),
        size=path.stat().st_size,
    )


@contextmanager
def _open(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise RestoreRefused(f"Không có tệp {path}.") from None
    except (OSError, zipfile.BadZipFile):
        raise RestoreRefused(
            f"Tệp {path} không phải là bản sao lưu của ntm (không đọc được như một tệp zip); "
            "không phục hồi gì."
        ) from None
    with archive:
        yield archive


def _damaged(path: Path, detail: str) -> RestoreRefused:
    return RestoreRefused(
        f"Bản sao lưu {path} bị hỏng ({detail}); không phục hồi gì. Hãy dùng một bản sao lưu khác."
    )


def _check(archive: zipfile.ZipFile, path: Path, progress: Progress) -> Checked:
    manifest = _manifest(archive, path)
    _check_members(archive, manifest, path, progress)
    loader, _ = applied_nodes(connection)
    nodes = sorted((app, name) for app, names in manifest["migrations"].items() for name in names)
    unknown = [f"{app}.{name}" for app, name in nodes if (app, name) not in loader.graph.nodes]
    if unknown:
        raise RestoreRefused(
            f"Bản sao lưu {path} được tạo bởi ntm {manifest.get('ntm_version', '?')} với cấu "
            f"trúc cơ sở dữ liệu mới hơn phiên bản đang cài (chưa có: {', '.join(unknown[:5])}"
            f"{' …' if len(unknown) > 5 else ''}). Hãy cài phiên bản ntm mới hơn rồi phục hồi; "
            "không phục hồi gì."
        )
    apps = state_apps(loader, nodes)
    _check_columns(apps, manifest, path)
    return Checked(manifest, nodes, apps, behind=len(nodes) < len(loader.graph.nodes))


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise RestoreRefused(
            f"Tệp {path} không phải là bản sao lưu của ntm (không có {MANIFEST}); "
            "không phục hồi gì."
        ) from None
    except (ValueError, zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise _damaged(path, f"không đọc được {MANIFEST}: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(
            f"Tệp {path} không phải là bản sao lưu của ntm ({MANIFEST} không ghi định dạng "
            f"{FORMAT}); không phục hồi gì."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreRefused(
            f"Bản sao lưu {path} có định dạng số {manifest.get('format_version')!r}; phiên bản "
            f"ntm này chỉ đọc định dạng số {FORMAT_VERSION}. Không phục hồi gì."
        )
    for key, kind in (("migrations", dict), ("tables", list), ("files", list)):
        if not isinstance(manifest.get(key), kind):
            raise _damaged(path, f"{MANIFEST} thiếu mục {key}")
    return manifest


def _check_members(
    archive: zipfile.ZipFile, manifest: dict[str, Any], path: Path, progress: Progress
) -> None:
    """Every member listed, nothing else, each with its recorded sha256, before any write."""
    expected = {t["member"]: t["sha256"] for t in manifest["tables"]}
    expected |= {f["path"]: f["sha256"] for f in manifest["files"]}
    present = set(archive.namelist()) - {MANIFEST}
    if missing := sorted(set(expected) - present):
        raise _damaged(path, f"thiếu {len(missing)} mục, ví dụ {missing[0]}")
    if extra := sorted(present - set(expected)):
        raise _damaged(path, f"có {len(extra)} mục không ghi trong {MANIFEST}, ví dụ {extra[0]}")
    for member in manifest["files"]:
        _file_target(member["path"], path)  # refuses a path that would leave its folder
    total = sum(archive.getinfo(name).file_size for name in expected)
    done = 0
    progress("check", 0, total)
    for name, sha256 in expected.items():
        digest = hashlib.sha256()
        try:
            with archive.open(name) as stream:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    done += len(chunk)
                    progress("check", done, total)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _damaged(path, f"không đọc được {name}: {exc}") from None
        if digest.hexdigest() != sha256:
            raise _damaged(path, f"mã SHA-256 của {name} không khớp với {MANIFEST}")


def _file_target(member: str, path: Path) -> tuple[str, PurePosixPath]:
    """files/<root>/<relative path> → (root, relative path); refuses anything else."""
    parts = PurePosixPath(member).parts
    relative = PurePosixPath(*parts[2:]) if len(parts) > 2 else PurePosixPath()
    if (
        len(parts) < 3
        or parts[0] != "files"
        or parts[1] not in file_roots()
        or relative.is_absolute()
        or ".." in relative.parts
    ):
        raise _damaged(path, f"đường dẫn tệp không hợp lệ: {member}")
    return parts[1], relative


def _check_columns(apps: Apps, manifest: dict[str, Any], path: Path) -> None:
    for table in manifest["tables"]:
        try:
            model = apps.get_model(table["model"])
        except (LookupError, ValueError):
            raise _damaged(path, f"bảng {table['model']} không có trong cấu trúc đã ghi") from None
        if table["columns"] != [field.attname for field in columns_of(model)]:
            raise _damaged(path, f"các cột của bảng {table['table']} không khớp cấu trúc đã ghi")


def _holding_data() -> tuple[list[str], list[str]]:
    """The target's tables holding rows (beyond what `migrate` writes) and non-empty folders."""
    skip = {installed_apps.get_model(label)._meta.db_table for label in MIGRATE_FILLS}
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - skip)
    quote = connection.ops.quote_name
    holding = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone():
                holding.append(table)
    folders = [str(root) for root in file_roots().values() if root.is_dir() and any(root.iterdir())]
    return holding, folders


def _refuse_if_holding_data(holding: list[str], folders: list[str]) -> None:
    """A restore replaces everything: without --force it only goes into an empty target."""
    if holding or folders:
        where = ", ".join([*holding[:5], *folders])
        raise RestoreRefused(
            f"Nơi phục hồi đã có dữ liệu ({where}); phục hồi sẽ thay toàn bộ dữ liệu này. "
            "Hãy phục hồi vào một cơ sở dữ liệu và thư mục dữ liệu mới, hoặc thêm --force nếu "
            "thật sự muốn thay. Không phục hồi gì."
        )


def _refuse_if_ahead(checked: Checked, path: Path) -> None:
    """A database holding data must not have migrations the archive lacks: reaching the
    archive's state would unapply them, outside the load's transaction."""
    _, applied = applied_nodes(connection)
    ahead = sorted(set(applied) - set(checked.nodes))
    if not ahead:
        return
    names = ", ".join(f"{app}.{name}" for app, name in ahead[:5]) + (" …" if len(ahead) > 5 else "")
    raise RestoreRefused(
        f"Cơ sở dữ liệu đích đang có dữ liệu và cấu trúc mới hơn bản sao lưu {path} (đã chạy "
        f"{names}); phục hồi phải chạy ngược các migration này và có thể làm mất dữ liệu trước "
        "khi ghi bản sao lưu. Hãy phục hồi vào một cơ sở dữ liệu trống đã migrate bằng phiên "
        f"bản ntm này hoặc cũ hơn, hoặc dùng đúng phiên bản ntm đã tạo bản sao lưu "
        f"({checked.manifest.get('ntm_version', '?')}; đang cài {ntm_version()}). "
        "Không phục hồi gì."
    )


def _refuse_symlinked_folders() -> None:
    """The restored folders are renamed into place: a symlink would be replaced by a folder
    beside it, leaving the files off the disk it pointed to."""
    linked = [str(root) for root in file_roots().values() if root.is_symlink()]
    if linked:
        raise RestoreRefused(
            f"Thư mục dữ liệu {', '.join(linked)} là liên kết tượng trưng (symlink); phục hồi "
            "thay thư mục bằng cách đổi tên nên sẽ bỏ liên kết và ghi tệp ra ngoài nơi nó trỏ "
            "tới. Hãy đặt NTM_DATA_DIR vào chính ổ đĩa đó (thư mục thật) rồi phục hồi. "
            "Không phục hồi gì."
        )


def _migrate_to(nodes: list[tuple[str, str]]) -> None:
    """Bring the target's schema to the archive's migration state (forward on a new database)."""
    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    targets = [_app_target(executor.loader, app, nodes) for app in executor.loader.migrated_apps]
    plan = executor.migration_plan(targets)
    if plan:
        connection.prepare_database()
        executor.migrate(targets, plan=plan)


def _app_target(
    loader: MigrationLoader, app: str, nodes: list[tuple[str, str]]
) -> tuple[str, str | None]:
    """The archive's last migration of ``app``, or (app, None) when it had none."""
    mine = {node for node in nodes if node[0] == app}
    last = [node for node in mine if not loader.graph.node_map[node].children & mine]
    return (app, max(last)[1]) if last else (app, None)


def _stage_files(
    archive: zipfile.ZipFile, manifest: dict[str, Any], progress: Progress
) -> dict[str, Path]:
    """Unpack into hidden folders beside each final folder (same file system: a rename)."""
    token = uuid.uuid4().hex[:8]
    staged = {}
    for name, root in file_roots().items():
        staged[name] = root.parent / f".{root.name}.restore-{token}"
        staged[name].mkdir(parents=True)
    total = sum(entry["size"] for entry in manifest["files"])
    done = 0
    progress("files", 0, total)
    try:
        for entry in manifest["files"]:
            folder, relative = _file_target(entry["path"], Path(archive.filename or ""))
            target = staged[folder].joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(entry["path"]) as source, target.open("xb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            done += entry["size"]
            progress("files", done, total)
    except BaseException:
        _discard(staged)
        raise
    return staged


def _discard(staged: dict[str, Path]) -> None:
    for folder in staged.values():
        shutil.rmtree(folder, ignore_errors=True)


def _load(archive: zipfile.ZipFile, checked: Checked, progress: Progress) -> int:
    """Replace every row, in one transaction: all of the archive or nothing."""
    tables = stored_models(checked.apps)  # LEFT_OUT included: they are emptied
    loaded = [t for t in checked.manifest["tables"] if t["model"] not in LEFT_OUT]
    total = sum(table["rows"] for table in loaded)
    done = 0
    progress("rows", 0, total)
    with transaction.atomic(), connection.cursor() as cursor:
        flush = [model._meta.db_table for model in tables]
        postgresql = connection.vendor == "postgresql"
        if postgresql:  # TRUNCATE refuses while earlier writes of the transaction await checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in connection.ops.sql_flush(no_style(), flush, allow_cascade=True):
            cursor.execute(sql)
        if postgresql:  # foreign keys are checked at commit: rows go in table by table
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in loaded:  # an older archive's sessions are not let back in
            model = checked.apps.get_model(table["model"])
            count = 0
            for batch in _batches(archive, table["member"], model):
                cursor.executemany(_insert_sql(model), batch)
                count += len(batch)
                done += len(batch)
                progress("rows", done, total)
            if count != table["rows"]:
                raise RestoreRefused(
                    f"Bảng {table['table']}: bản sao lưu ghi {table['rows']} dòng nhưng đọc được "
                    f"{count}; không phục hồi gì."
                )
        # Rows keep their primary keys; PostgreSQL's sequences must then start after them.
        for sql in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(sql)
    return done


def _insert_sql(model: type[models.Model]) -> str:
    quote = connection.ops.quote_name
    fields = columns_of(model)
    # Concrete fields are those with a column; the stubs type every field's column as optional.
    columns = ", ".join(quote(cast(str, field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"


def _batches(
    archive: zipfile.ZipFile, member: str, model: type[models.Model]
) -> Iterator[list[list[Any]]]:
    fields = columns_of(model)
    batch: list[list[Any]] = []
    with archive.open(member) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            values = json.loads(line)
            batch.append([db_value(f, v, connection) for f, v in zip(fields, values, strict=True)])
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _swap_in(staged: dict[str, Path]) -> None:
    """Each restored folder takes the place of the old one; the old one is removed after."""
    for name, root in file_roots().items():
        old = root.parent / f".{root.name}.old-{uuid.uuid4().hex[:8]}"
        if root.exists():
            root.rename(old)
        staged[name].rename(root)
        shutil.rmtree(old, ignore_errors=True)
