"""Recognition stages as data: one YAML file per period in data/stages/, no Django import.

Why files and not a StageDefinition table: the stages follow a national decision, like the
criteria sets (ntm/core/criteria_sets), so they are versioned and reviewed with the code and
cannot drift between servers. A dossier keeps the codes of its own plan (Dossier.stages) when
it is opened, so a file edited later never strands a dossier in flight; stage codes are
therefore never reused or dropped.

A stage has a code, a Vietnamese name, the role that acts on it (commune, district,
department, province) and a kind:
- ``step``: the role moves the dossier on (or back, with a reason);
- ``appraisal``: each criterion is appraised by the department owning it; the stage ends by
  itself when every criterion of the set has a current "đạt" appraisal;
- ``decision``: the dossier moves on only by recording the recognition decision.
Flags: ``edits_values`` (indicator values stay editable at this stage: self-assessment),
``requires_district`` (skipped for communes with no district above them, i.e. the 2025
structure). A file may say ``provisional: true`` (a known procedure applied until the text of
its period is issued) or ``confirmed: false`` (the legal text behind the order of the stages
is not confirmed: its ``sources`` say what is known and what is not); pages show both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ntm.core.registry import national_sets

STAGES_DIR = Path(__file__).parent / "data" / "stages"
ROLES = ("commune", "district", "department", "province")
KINDS = ("step", "appraisal", "decision")
ROLE_NAMES = {
    "commune": "Ban quản lý xã",
    "district": "Cấp huyện",
    "department": "Sở, ngành phụ trách tiêu chí",
    "province": "Văn phòng điều phối tỉnh",
}


class StageFileError(ValueError):
    """A stage file that does not describe a valid procedure; the message names file and field."""


class NoProcedureError(LookupError):
    """No stage file covers a criteria set."""


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    role: str
    kind: str = "step"
    edits_values: bool = False
    requires_district: bool = False
    advance_label: str = "Chuyển bước tiếp theo"
    note: str = ""

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    criteria_sets: tuple[str, ...]
    sources: dict[str, str]
    stages: tuple[Stage, ...]
    provisional: bool = False
    confirmed: bool = True

    def stage(self, code: str) -> Stage | None:
        return next((s for s in self.stages if s.code == code), None)

    def plan(self, *, has_district: bool) -> tuple[str, ...]:
        """The stage codes a dossier goes through, in order."""
        return tuple(s.code for s in self.stages if has_district or not s.requires_district)


def _field(file: str, where: str, data: Mapping[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise StageFileError(f"Tệp {file}, {where}: trường '{key}' thiếu hoặc sai kiểu")
    return value


def _stage(file: str, n: int, data: Any) -> Stage:
    where = f"bước thứ {n}"
    if not isinstance(data, dict):
        raise StageFileError(f"Tệp {file}, {where}: phải là một bảng khóa-giá trị")
    unknown = set(data) - set(Stage.__dataclass_fields__)
    if unknown:
        raise StageFileError(f"Tệp {file}, {where}: trường lạ {', '.join(sorted(unknown))}")
    code = _field(file, where, data, "code", str)
    where = f"bước '{code}'"
    stage = Stage(
        code=code,
        name=_field(file, where, data, "name", str),
        role=_field(file, where, data, "role", str),
        kind=data.get("kind", "step"),
        edits_values=bool(data.get("edits_values", False)),
        requires_district=bool(data.get("requires_district", False)),
        advance_label=data.get("advance_label", Stage.advance_label),
        note=" ".join(str(data.get("note", "")).split()),
    )
    if stage.role not in ROLES:
        raise StageFileError(f"Tệp {file}, {where}: vai trò '{stage.role}' không hợp lệ")
    if stage.kind not in KINDS:
        raise StageFileError(f"Tệp {file}, {where}: loại bước '{stage.kind}' không hợp lệ")
    return stage


def load_file(path: Path) -> Procedure:
    file = path.name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise StageFileError(f"Tệp {file}: phải là một bảng khóa-giá trị")
    where = "phần đầu"
    raw_stages = _field(file, where, data, "stages", list)
    stages = tuple(_stage(file, n, s) for n, s in enumerate(raw_stages, start=1))
    procedure = Procedure(
        id=str(_field(file, where, data, "id", str)),
        title=_field(file, where, data, "title", str),
        criteria_sets=tuple(_field(file, where, data, "criteria_sets", list)),
        sources=dict(data.get("sources") or {}),
        stages=stages,
        provisional=bool(data.get("provisional", False)),
        confirmed=bool(data.get("confirmed", True)),
    )
    _check(file, procedure)
    return procedure


def _check(file: str, procedure: Procedure) -> None:
    codes = [s.code for s in procedure.stages]
    if len(set(codes)) != len(codes):
        raise StageFileError(f"Tệp {file}: mã bước bị trùng")
    if procedure.stages[0].role != "commune" or not procedure.stages[0].edits_values:
        raise StageFileError(f"Tệp {file}: bước đầu tiên phải là bước tự đánh giá của xã")
    kinds = [s.kind for s in procedure.stages]
    if kinds.count("decision") != 1 or kinds.count("appraisal") > 1:
        raise StageFileError(
            f"Tệp {file}: phải có đúng một bước quyết định, tối đa một bước thẩm định"
        )
    known = national_sets()
    for set_id in procedure.criteria_sets:
        if set_id not in known:
            raise StageFileError(f"Tệp {file}: không có bộ tiêu chí '{set_id}'")
        if set_id not in procedure.sources:
            raise StageFileError(f"Tệp {file}: thiếu căn cứ pháp lý cho bộ '{set_id}'")


@cache
def procedures() -> dict[str, Procedure]:
    """Every procedure, by criteria set id; a set covered by two files is an error."""
    by_set: dict[str, Procedure] = {}
    for path in sorted(STAGES_DIR.glob("*.yaml")):
        procedure = load_file(path)
        for set_id in procedure.criteria_sets:
            if set_id in by_set:
                raise StageFileError(f"Tệp {path.name}: bộ '{set_id}' đã có trong tệp khác")
            by_set[set_id] = procedure
    return by_set


def procedure_for_set(set_id: str) -> Procedure:
    try:
        return procedures()[set_id]
    except KeyError:
        raise NoProcedureError(
            f"Chưa có quy trình xét, công nhận cho bộ tiêu chí {set_id}"
        ) from None


def stage_of(set_id: str, code: str) -> Stage | None:
    procedure = procedures().get(set_id)
    return procedure.stage(code) if procedure else None


def codes_for_role(role: str) -> set[str]:
    """Codes of stages (in any procedure) that this role acts on."""
    return {s.code for p in procedures().values() for s in p.stages if s.role == role}
