"""Import a criteria workbook: plan (the dry run, per cell), then commit all of it or nothing.

``workbook_plan`` reads the file and the database and says what would change; it writes
nothing. ``workbook_import`` plans again inside one transaction (the database may have changed
since a preview) and stores the set (``criteria_set_record_save``) or the province's
specification (``spec_save``), each of which writes its audit row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core import registry
from ntm.core.model import CriteriaSet, Op, Threshold
from ntm.core.specs import SpecError, apply_spec
from ntm.core.values import format_measure
from ntm.criteria.models import CommuneClass, ProvincialSpec
from ntm.criteria.selectors import all_sets, spec_data, spec_province
from ntm.criteria.services import criteria_set_record_save, spec_save
from ntm.criteria.workbook_layout import SHEET_META
from ntm.criteria.workbook_parse import ParsedSet, parse_set, workbook_kind
from ntm.criteria.workbook_read import Problem, RawWorkbook, WorkbookError, read_workbook
from ntm.criteria.workbook_spec import ParsedSpec, parse_spec, spec_meta
from ntm.units.models import Unit

STATUS_LABELS = {"added": "thêm", "changed": "đổi", "unchanged": "giữ nguyên", "removed": "bỏ"}


@dataclass(frozen=True)
class CellChange:
    status: str  # a STATUS_LABELS key
    indicator: str
    tier: str
    class_code: str
    old: str  # as pages write it ("≥ 80", "đạt"), "" when unconfirmed
    new: str
    note: str = ""

    def text(self) -> str:
        moved = self.status in ("changed", "removed")
        shown = f"{self.old} → {self.new}" if moved else self.new
        line = f"{STATUS_LABELS[self.status]:<10} {self.indicator:<6} [{self.tier}] {self.class_code}: {shown}"
        return line + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class ImportPlan:
    kind: str  # "set" or "spec"
    target: str  # the set id or the specification id
    filename: str
    sha256: str
    summary: list[str]
    changes: list[CellChange]
    parsed_set: ParsedSet | None = None
    parsed_spec: ParsedSpec | None = None
    counts: dict[str, int] = field(default_factory=dict)


def workbook_plan(*, content: bytes, filename: str, user: Any = None) -> ImportPlan:
    """What importing the workbook would do; WorkbookError (nothing to do) when refused.

    ``user`` is the person uploading on the page (None on the command line): a province office
    may import only its own province's specification.
    """
    sha = hashlib.sha256(content).hexdigest()
    raw = read_workbook(content)
    if workbook_kind(raw) == "spec":
        return _spec_plan(raw, filename, sha, user)
    if user is not None and access.role_of(user) != Role.ADMIN:
        # A criteria set judges every province: a province changes thresholds only through
        # its own specification, with its legal source.
        raise _refuse(
            "chỉ quản trị hệ thống được nhập hoặc thay bộ tiêu chí (áp dụng cho cả nước); văn "
            "phòng điều phối tỉnh nhập quy định cụ thể của tỉnh mình (bảng tính kind = spec)",
            raw.meta_row("kind"),
        )
    return _set_plan(raw, parse_set(raw, file=filename), filename, sha)


@transaction.atomic
def workbook_import(
    *,
    content: bytes,
    filename: str,
    actor: Any = None,
    user: Any = None,
    origin: str = "cli",
    dry_run: bool = False,
    background: bool = False,
) -> ImportPlan:
    """Plan, and unless ``dry_run`` store the set or specification: all of it or nothing.

    ``background``: a set's national re-evaluation runs on the task worker after the commit
    (criteria_set_record_save); a province's specification is re-evaluated here either way.
    """
    plan = workbook_plan(content=content, filename=filename, user=user)
    if dry_run:
        return plan
    detail = f"{filename} (sha256 {plan.sha256})"
    try:
        if plan.parsed_spec is not None:
            spec_save(data=plan.parsed_spec.spec, actor=actor, origin=origin, origin_detail=detail)
        elif plan.parsed_set is not None:
            criteria_set_record_save(
                mapping=plan.parsed_set.mapping,
                source_name=filename,
                source_sha256=plan.sha256,
                replaces_national=plan.parsed_set.replaces_national,
                actor=actor,
                origin=origin,
                origin_detail=detail,
                background=background,
            )
    except SpecError as exc:
        raise WorkbookError([Problem("", None, "", str(exc))]) from None
    return plan


def _refuse(reason: str, row: int | None = None) -> WorkbookError:
    return WorkbookError([Problem(SHEET_META, row, "B" if row else "", reason)])


def _set_plan(raw: RawWorkbook, parsed: ParsedSet, filename: str, sha: str) -> ImportPlan:
    cset = parsed.cset
    shipped = registry.national_sets()
    if cset.id in shipped and not parsed.replaces_national:
        raise _refuse(
            f"bộ tiêu chí '{cset.id}' đã có trong các bộ quốc gia; để thay bộ này bằng bảng tính "
            "(ví dụ khi có đủ phụ lục), ghi replaces_national = có; nếu là bộ khác, đổi id",
            raw.meta_row("id"),
        )
    if cset.id not in shipped and parsed.replaces_national:
        reason = f"không có bộ quốc gia '{cset.id}' để thay (replaces_national = có)"
        raise _refuse(reason, raw.meta_row("replaces_national"))
    current = all_sets()
    _check_no_tie(cset, current, raw.meta_row("effective"))
    _check_dependants(cset)
    before = current.get(cset.id)
    changes = _diff(before, cset, _cells(before) | _cells(cset))
    if before is None:
        head = f"Bộ tiêu chí mới {cset.id} ({cset.decision})"
    elif cset.id in shipped and current[cset.id] is shipped[cset.id]:
        head = f"Bộ {cset.id} từ bảng tính sẽ thay bộ quốc gia cùng mã (tệp dữ liệu của ntm)"
    else:
        head = f"Bộ {cset.id} đã nhập trước đây sẽ được thay"
    summary = [
        head,
        f"{len(cset.criteria)} tiêu chí, {len(cset.indicators)} chỉ tiêu, "
        f"{len(cset.unconfirmed_cells())} ô ngưỡng chưa xác nhận; hiệu lực {cset.effective:%d/%m/%Y}",
        *_indicator_changes(before, cset),
    ]
    return ImportPlan(
        "set", cset.id, filename, sha, summary, changes, parsed_set=parsed, counts=_counts(changes)
    )


def _check_no_tie(cset: CriteriaSet, current: dict[str, CriteriaSet], row: int | None) -> None:
    """Two sets of a level in force from the same day would make the year's set ambiguous."""
    for other in current.values():
        if other.id != cset.id and other.level is cset.level and other.effective == cset.effective:
            raise _refuse(
                f"bộ {other.id} cùng cấp {cset.level.value} đã có hiệu lực từ "
                f"{cset.effective:%d/%m/%Y}; nếu bảng tính là bản đầy đủ của bộ đó, dùng id "
                f"'{other.id}' (và replaces_national = có)",
                row,
            )


def _check_dependants(cset: CriteriaSet) -> None:
    """Specifications and commune groups recorded under the set must still fit it."""
    specs = ProvincialSpec.objects.filter(criteria_set=cset.id).prefetch_related(
        "thresholds", "province"
    )
    for spec in specs:
        try:
            apply_spec(cset, spec_data(spec=spec))
        except SpecError as exc:
            raise _refuse(f"bộ mới không còn khớp quy định của tỉnh đã lưu: {exc}") from None
    used = CommuneClass.objects.filter(criteria_set=cset.id).values_list("class_code", flat=True)
    for code in sorted(set(used) - set(cset.classes)):
        raise _refuse(
            f"đã có xã được xếp vùng/nhóm '{code}' theo bộ {cset.id}, nhưng bảng tính không còn "
            "vùng/nhóm này"
        )


def _indicator_changes(before: CriteriaSet | None, after: CriteriaSet) -> list[str]:
    if before is None:
        return []
    old = {i.code for i in before.indicators}
    new = {i.code for i in after.indicators}
    lines = []
    if added := sorted(new - old):
        lines.append("Chỉ tiêu mới: " + ", ".join(added))
    if removed := sorted(old - new):
        lines.append(
            "Chỉ tiêu bỏ (giá trị đã nhập theo mã này không còn được đánh giá): "
            + ", ".join(removed)
        )
    return lines


def _spec_plan(raw: RawWorkbook, filename: str, sha: str, user: Any) -> ImportPlan:
    spec_id, base_id = spec_meta(raw)
    try:
        base = all_sets()[base_id]
    except KeyError:
        reason = f"không có bộ tiêu chí '{base_id}'"
        raise _refuse(reason, raw.meta_row("criteria_set")) from None
    parsed = parse_spec(raw, base)
    data = parsed.spec
    province = spec_province(data=data)
    if province is None:
        reason = f"không có tỉnh mã {data.province_code}"
        raise _refuse(reason, raw.meta_row("province_code"))
    if user is not None and not _may_specify(user, data.province_code):
        reason = f"tài khoản không được nhập quy định cho {province.name}"
        raise _refuse(reason, raw.meta_row("province_code"))
    existing = ProvincialSpec.objects.filter(spec_id=spec_id).select_related("province").first()
    if existing and existing.province.code != data.province_code:
        reason = f"mã quy định {spec_id} đã dùng cho {existing.province.name}"
        raise _refuse(reason, raw.meta_row("spec_id"))
    if existing and existing.criteria_set != base.id:
        reason = f"mã quy định {spec_id} đã dùng cho bộ {existing.criteria_set}"
        raise _refuse(reason, raw.meta_row("spec_id"))
    try:
        after = apply_spec(base, data)
        before = apply_spec(base, spec_data(spec=existing)) if existing else base
    except SpecError as exc:
        raise _refuse(str(exc)) from None
    keys = {(code, tier, cls) for code, tier, cls in parsed.given}
    keys |= {k for k, t in _cells(before).items() if t.origin == spec_id}
    changes = _diff(before, after, keys, national=base)
    summary = [
        f"Quy định {spec_id} của {province.name} trên bộ {base.id} "
        + ("(thay bản đã lưu)" if existing else "(mới)"),
        f"Căn cứ: {data.legal_source}",
        f"{len(data.cells)} ô khác mức quốc gia sẽ được lưu",
    ]
    return ImportPlan(
        "spec",
        spec_id,
        filename,
        sha,
        summary,
        changes,
        parsed_spec=parsed,
        counts=_counts(changes),
    )


def _may_specify(user: Any, province_code: str) -> bool:
    """The office of the province, whichever row (2019 or 2025 structure) its account hangs on:
    a specification's first year picks the row, the office is the same across the change."""
    if not access.can_manage_criteria(user):
        return False
    rows = Unit.objects.filter(level="province", code=province_code)
    return any(access.unit_in_scope(user, row) for row in rows)


def _cells(cset: CriteriaSet | None) -> dict[tuple[str, str, str], Threshold]:
    if cset is None:
        return {}
    return {
        (ind.code, tier, cls): cell
        for ind in cset.indicators
        for tier, cells in ind.thresholds.items()
        for cls, cell in cells.items()
    }


def _diff(
    before: CriteriaSet | None,
    after: CriteriaSet,
    keys: Iterable[tuple[str, str, str]],
    national: CriteriaSet | None = None,
) -> list[CellChange]:
    old_cells, new_cells = _cells(before), _cells(after)
    out = []
    order = {ind.code: i for i, ind in enumerate(after.indicators)}
    tiers = {t.code: i for i, t in enumerate(after.tiers)}
    classes = {code: i for i, code in enumerate(after.classes)}

    def position(key: tuple[str, str, str]) -> tuple[int, int, int, str]:
        code, tier, cls = key
        return (order.get(code, len(order)), tiers.get(tier, 99), classes.get(cls, 99), code)

    for key in sorted(keys, key=position):
        old, new = old_cells.get(key), new_cells.get(key)
        op = _op(after, before, key[0])
        old_text, new_text = _shown(op, old), _shown(op, new)
        if old is None and new is None:
            continue
        status = (
            "added"
            if old is None
            else "removed"
            if new is None
            else "unchanged"
            if old.value == new.value
            else "changed"
        )
        note = ""
        if national is not None and new is not None and new.origin == "national":
            note = "bằng mức quốc gia, không lưu"
        if status == "removed":
            new_text = "chưa xác nhận"
        out.append(CellChange(status, *key, old=old_text, new=new_text, note=note))
    return out


def _op(after: CriteriaSet, before: CriteriaSet | None, code: str) -> Op:
    ind = after.indicator(code) or (before.indicator(code) if before else None)
    assert ind is not None
    return ind.op


def _shown(op: Op, cell: Threshold | None) -> str:
    if cell is None:
        return ""
    if op.is_boolean:
        return op.symbol
    return f"{op.symbol} {format_measure(cell.value)}"


def _counts(changes: list[CellChange]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for change in changes:
        counts[change.status] += 1
    return counts


def plan_lines(plan: ImportPlan) -> list[str]:
    """The dry run as the command line prints it."""
    counts = ", ".join(f"{STATUS_LABELS[k]} {v}" for k, v in plan.counts.items())
    return [*plan.summary, f"Ô ngưỡng: {counts}", *(c.text() for c in plan.changes)]
