"""Writes: loading the official units and their history, and adding villages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction

from ntm.core.values import fold
from ntm.units import registry
from ntm.units.codes import region_of_province
from ntm.units.models import Kind, Level, Unit, UnitEvent, UnitEventLink, UnitName, bare_name

PRE_2025_LAST_DAY = dt.date(2025, 6, 30)
NEW_STRUCTURE_START = dt.date(2025, 7, 1)
# The 2020 changes in Lai Châu took effect on a day of 2020 that the reference list (GSO
# 2020-02-25) does not give; 1/1/2020 is a stand-in, to be replaced with the resolution's date.
LAICHAU_2020 = dt.date(2020, 1, 1)
LAICHAU_2025_BASIS = "Nghị quyết 1670/NQ-UBTVQH15 ngày 16/6/2025"
# Thị xã Lai Châu became Thành phố Lai Châu on 28/12/2013 (shared/reference/laichau_ntm_facts.md,
# A1: vneconomy.vn "Thị xã Lai Châu lên thành phố"); the province then had the 8 districts and
# 108 commune-level units of our 2019 list, so its structure is recorded from that day.
LAICHAU_CITY_FROM = dt.date(2013, 12, 28)
LAICHAU_CITY_CODE = "105"
LAICHAU_CITY_BASIS = "Thành lập thành phố Lai Châu từ thị xã Lai Châu (28/12/2013)"
# Said explicitly rather than left empty, so nobody mistakes a gap for a lookup we forgot.
# The 2025 province merger, the end of the district level and each province's commune
# resolution are published, but their numbers are not in shared/reference: add them from the
# texts when checked, never from memory.
LEGAL_BASIS_UNKNOWN = "chưa có căn cứ pháp lý trong dữ liệu tham chiếu"
SUCCESSOR_UNKNOWN = "đơn vị kế thừa chưa xác định"

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) while loading, e.g. to drive a tqdm bar."""

Key = tuple[str, str, dt.date | None]
"""(level, code, valid_from): what identifies a unit, since codes are reused across periods."""

_DISTRICT_KINDS = {
    "huyện": Kind.HUYEN,
    "quận": Kind.QUAN,
    "thị xã": Kind.THI_XA,
    "thành phố": Kind.THANH_PHO,
}
_COMMUNE_KINDS = {
    "xã": Kind.XA,
    "phường": Kind.PHUONG,
    "thị trấn": Kind.THI_TRAN,
    "đặc khu": Kind.DAC_KHU,
}
VILLAGE_KINDS = (Kind.THON, Kind.BAN, Kind.TO_DAN_PHO)


@dataclass
class _UnitSpec:
    level: str
    code: str
    name: str
    kind: str
    parent: Key | None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    ntm_eligible: bool = False
    region: str = ""
    lat: float | None = None
    lon: float | None = None

    @property
    def key(self) -> Key:
        return (self.level, self.code, self.valid_from)


@dataclass
class _EventSpec:
    kind: str
    effective: dt.date
    legal_basis: str
    note: str
    predecessors: list[tuple[Key, bool]] = field(default_factory=list)  # (unit, partial)
    successors: list[Key] = field(default_factory=list)


@dataclass(frozen=True)
class LoadResult:
    units_created: int
    events_created: int
    # Units an event of this load touched (as predecessor or successor): their verdicts may
    # change (a 2025 commune's region comes from its predecessors), so the caller, which may
    # depend on the indicators app, re-evaluates them.
    touched_unit_ids: tuple[int, ...] = ()


def _province_kind(name: str) -> str:
    return Kind.THANH_PHO_TW if name.startswith("Thành phố") else Kind.TINH


def _province(
    code: str, name: str, lat: float | None, lon: float | None, *, new: bool
) -> _UnitSpec:
    return _UnitSpec(
        level=Level.PROVINCE,
        code=code,
        name=name,
        kind=_province_kind(name),
        parent=None,
        valid_from=NEW_STRUCTURE_START if new else None,
        valid_to=None if new else PRE_2025_LAST_DAY,
        # Regions belong to the 2016-2025 criteria sets; QĐ 51/2025 groups communes instead.
        region="" if new else (region_of_province(code) or ""),
        lat=lat,
        lon=lon,
    )


def _legacy_specs(provinces: Collection[str] | None) -> list[_UnitSpec]:
    """Pre-2025 units of the registry, except Lai Châu (which comes from our 2019 list)."""
    specs: dict[Key, _UnitSpec] = {}
    for row in registry.legacy_rows():
        if row.province_code == registry.LAICHAU or (
            provinces and row.province_code not in provinces
        ):
            continue
        province = _province(
            row.province_code, row.province, row.province_lat, row.province_lon, new=False
        )
        specs.setdefault(province.key, province)
        district = _UnitSpec(
            level=Level.DISTRICT,
            code=row.district_code,
            name=row.district,
            kind=_DISTRICT_KINDS[row.district_type.lower()],
            parent=province.key,
            valid_to=PRE_2025_LAST_DAY,
            lat=row.district_lat,
            lon=row.district_lon,
        )
        specs.setdefault(district.key, district)
        if row.ward_code:
            kind = _COMMUNE_KINDS[row.ward_type.lower()]
            commune = _UnitSpec(
                level=Level.COMMUNE,
                code=row.ward_code,
                name=row.ward,
                kind=kind,
                parent=district.key,
                valid_to=PRE_2025_LAST_DAY,
                ntm_eligible=kind == Kind.XA,
                lat=row.ward_lat,
                lon=row.ward_lon,
            )
            specs[commune.key] = commune
    return list(specs.values())


def _new_specs(provinces: Collection[str] | None) -> list[_UnitSpec]:
    """Units of the structure in force from 1/7/2025: provinces and communes, no district."""
    specs: dict[Key, _UnitSpec] = {}
    for row in registry.new_rows():
        if provinces and row.province_code not in provinces:
            continue
        province = _province(
            row.province_code, row.province, row.province_lat, row.province_lon, new=True
        )
        specs.setdefault(province.key, province)
        kind = _COMMUNE_KINDS[row.ward_type.lower()]
        commune = _UnitSpec(
            level=Level.COMMUNE,
            code=row.ward_code,
            name=row.ward,
            kind=kind,
            parent=province.key,
            valid_from=NEW_STRUCTURE_START,
            ntm_eligible=kind == Kind.XA,
            lat=row.ward_lat,
            lon=row.ward_lon,
        )
        specs[commune.key] = commune
    return list(specs.values())


_LAICHAU_RETIRED_2020 = {"03397", "03556", "03403"}  # 03403 lives on as the new Xã Sùng Phài
_SUNG_PHAI = "03403"


def _laichau_specs() -> list[_UnitSpec]:
    """Lai Châu before 2025: the 2019 list, plus the Xã Sùng Phài formed in 2020."""
    located = {
        row.ward_code: row
        for row in registry.legacy_rows()
        if row.province_code == registry.LAICHAU
    }
    any_row = next(iter(located.values()))
    province = _province(
        registry.LAICHAU, "Tỉnh Lai Châu", any_row.province_lat, any_row.province_lon, new=False
    )
    specs: dict[Key, _UnitSpec] = {province.key: province}
    districts = {row.district_code: row for row in located.values()}
    for lc in registry.laichau_2019_rows():
        place = districts.get(lc.district_code)
        district = _UnitSpec(
            level=Level.DISTRICT,
            code=lc.district_code,
            name=lc.district_name,
            kind=_DISTRICT_KINDS[lc.district_type],
            parent=province.key,
            valid_to=PRE_2025_LAST_DAY,
            lat=place.district_lat if place else None,
            lon=place.district_lon if place else None,
        )
        specs.setdefault(district.key, district)
        point = located.get(lc.commune_code)
        commune = _UnitSpec(
            level=Level.COMMUNE,
            code=lc.commune_code,
            name=lc.commune_name,
            kind=_COMMUNE_KINDS[lc.commune_type],
            parent=district.key,
            valid_to=LAICHAU_2020 - dt.timedelta(days=1)
            if lc.commune_code in _LAICHAU_RETIRED_2020
            else PRE_2025_LAST_DAY,
            ntm_eligible=lc.ntm_eligible,
            # The registry's point for 03403 is the post-2020 Sùng Phài's; still the best we have.
            lat=point.ward_lat if point else None,
            lon=point.ward_lon if point else None,
        )
        specs[commune.key] = commune
    old = specs[(Level.COMMUNE, _SUNG_PHAI, None)]
    new = replace(old, name="Xã Sùng Phài", valid_from=LAICHAU_2020, valid_to=PRE_2025_LAST_DAY)
    specs[new.key] = new
    return list(specs.values())


def _kind_of_change(names: dict[Key, str], event: _EventSpec) -> str:
    if len(event.predecessors) > 1:
        return UnitEvent.Kind.MERGE
    (before, partial), after = event.predecessors[0], event.successors[0]
    if partial:
        return UnitEvent.Kind.SPLIT
    if fold(bare_name(names[before])) != fold(bare_name(names[after])):
        return UnitEvent.Kind.RENAME
    return UnitEvent.Kind.MOVE


def _laichau_events() -> list[_EventSpec]:
    """2020: Sùng Phài + Nậm Loỏng -> Sùng Phài, Ma Li Chải abolished; 2025: 108 -> 38 units."""
    rows = registry.laichau_2019_rows()
    date_note = "Ngày hiệu lực chính xác trong năm 2020 chưa có trong dữ liệu tham chiếu."
    sung_phai_2020: Key = (Level.COMMUNE, _SUNG_PHAI, LAICHAU_2020)
    events = [
        _EventSpec(
            kind=UnitEvent.Kind.MERGE,
            effective=LAICHAU_2020,
            legal_basis=LEGAL_BASIS_UNKNOWN,
            note=(
                "Xã Sùng Phài (03397, huyện Tam Đường) và xã Nậm Loỏng (03403) hợp thành xã Sùng"
                " Phài mới thuộc thành phố Lai Châu, giữ mã 03403; mã 03397 không còn dùng. "
                + date_note
            ),
            predecessors=[
                ((Level.COMMUNE, "03397", None), False),
                ((Level.COMMUNE, _SUNG_PHAI, None), False),
            ],
            successors=[sung_phai_2020],
        ),
        _EventSpec(
            kind=UnitEvent.Kind.ABOLISH,
            effective=LAICHAU_2020,
            legal_basis=LEGAL_BASIS_UNKNOWN,
            # The reference suggests Vàng Ma Chải but has not verified it: no successor link.
            note=f"Giải thể; {SUCCESSOR_UNKNOWN}. {date_note}",
            predecessors=[((Level.COMMUNE, "03556", None), False)],
        ),
    ]
    formed: dict[str, list[tuple[Key, bool]]] = defaultdict(list)
    for row in rows:
        if row.commune_code == _SUNG_PHAI:
            formed[row.ward_2025_code].append((sung_phai_2020, False))
        elif row.commune_code not in _LAICHAU_RETIRED_2020:
            formed[row.ward_2025_code].append(((Level.COMMUNE, row.commune_code, None), False))
    for code, predecessors in formed.items():
        events.append(
            _EventSpec(
                kind="",
                effective=NEW_STRUCTURE_START,
                legal_basis=LAICHAU_2025_BASIS,
                note="Sắp xếp đơn vị hành chính cấp xã năm 2025 (tỉnh Lai Châu).",
                predecessors=predecessors,
                successors=[(Level.COMMUNE, code, NEW_STRUCTURE_START)],
            )
        )
    return events


def _events_2025() -> list[_EventSpec]:
    """Province mergers, commune arrangements and the end of districts on 1/7/2025."""
    mapping = registry.mapping_2025()
    events: list[_EventSpec] = []
    for new_code, old_codes in mapping.provinces.items():
        events.append(
            _EventSpec(
                kind="",
                effective=NEW_STRUCTURE_START,
                legal_basis=LEGAL_BASIS_UNKNOWN,
                note="Sắp xếp đơn vị hành chính cấp tỉnh năm 2025.",
                predecessors=[((Level.PROVINCE, code, None), False) for code in old_codes],
                successors=[(Level.PROVINCE, new_code, NEW_STRUCTURE_START)],
            )
        )
    continued_districts: set[Key] = set()
    for (province_code, ward_code), olds in mapping.communes.items():
        if province_code == registry.LAICHAU:
            continue  # from our 2019 list instead, with its own legal basis
        predecessors: list[tuple[Key, bool]] = []
        for _province_code, district_code, old_ward, partial in olds:
            if old_ward:
                predecessors.append(((Level.COMMUNE, old_ward, None), partial))
            else:  # an island district that became a special zone (đặc khu)
                continued_districts.add((Level.DISTRICT, district_code, None))
                predecessors.append(((Level.DISTRICT, district_code, None), partial))
        events.append(
            _EventSpec(
                kind="",
                effective=NEW_STRUCTURE_START,
                legal_basis=LEGAL_BASIS_UNKNOWN,
                note="Sắp xếp đơn vị hành chính cấp xã năm 2025 (theo dữ liệu vietnamadminunits).",
                predecessors=predecessors,
                successors=[(Level.COMMUNE, ward_code, NEW_STRUCTURE_START)],
            )
        )
    districts = {(Level.DISTRICT, row.district_code, None) for row in registry.legacy_rows()}
    districts |= {(Level.DISTRICT, row.district_code, None) for row in registry.laichau_2019_rows()}
    for district in sorted(districts - continued_districts, key=lambda key: key[1]):
        events.append(
            _EventSpec(
                kind=UnitEvent.Kind.ABOLISH,
                effective=NEW_STRUCTURE_START,
                legal_basis=LEGAL_BASIS_UNKNOWN,
                note="Kết thúc hoạt động của đơn vị hành chính cấp huyện từ 01/7/2025.",
                predecessors=[(district, False)],
            )
        )
    return events


def _write_units(specs: list[_UnitSpec], progress: Progress | None) -> tuple[dict[Key, int], int]:
    """Create the units not yet in the database; parents first, so their ids are known."""
    created = done = 0
    ids: dict[Key, int] = {}
    by_level: dict[str, list[_UnitSpec]] = defaultdict(list)
    for spec in specs:
        by_level[spec.level].append(spec)
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        existing: dict[Key, int] = {
            (level, code, valid_from): pk
            for pk, code, valid_from in Unit.objects.filter(level=level).values_list(
                "pk", "code", "valid_from"
            )
        }
        missing = [spec for spec in by_level[level] if spec.key not in existing]
        Unit.objects.bulk_create(
            (
                Unit(
                    code=spec.code,
                    name=spec.name,
                    name_folded=fold(spec.name),
                    kind=spec.kind,
                    level=spec.level,
                    parent_id=ids[spec.parent] if spec.parent else None,
                    valid_from=spec.valid_from,
                    valid_to=spec.valid_to,
                    ntm_eligible=spec.ntm_eligible,
                    region=spec.region,
                    lat=spec.lat,
                    lon=spec.lon,
                )
                for spec in missing
            ),
            batch_size=2000,
        )
        created += len(missing)
        done += len(by_level[level])
        ids.update(existing)
        ids.update(
            ((level, code, valid_from), pk)
            for pk, code, valid_from in Unit.objects.filter(level=level).values_list(
                "pk", "code", "valid_from"
            )
        )
        if progress:
            progress("Đơn vị hành chính", done, len(specs))
    return ids, created


def _write_events(
    events: list[_EventSpec], ids: dict[Key, int], names: dict[Key, str], progress: Progress | None
) -> tuple[int, tuple[int, ...]]:
    """Create the events not yet recorded, recognised by their date and linked units."""
    links_of: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for event_id, unit_id, role in UnitEventLink.objects.values_list("event_id", "unit_id", "role"):
        links_of[event_id].add((unit_id, role))
    recorded = {
        (effective, frozenset(links_of[pk]))
        for pk, effective in UnitEvent.objects.values_list("pk", "effective")
    }
    # Events reaching a province outside this run's selection wait for the full load.
    ready = [
        spec
        for spec in events
        if all(key in ids for key, _ in spec.predecessors)
        and all(k in ids for k in spec.successors)
    ]
    new: list[tuple[UnitEvent, _EventSpec]] = []
    for done, spec in enumerate(ready, start=1):
        links = {(ids[key], UnitEventLink.Role.PREDECESSOR) for key, _ in spec.predecessors}
        links |= {(ids[key], UnitEventLink.Role.SUCCESSOR) for key in spec.successors}
        if (spec.effective, frozenset(links)) not in recorded:
            event = UnitEvent(
                kind=spec.kind or _kind_of_change(names, spec),
                effective=spec.effective,
                legal_basis=spec.legal_basis,
                note=spec.note,
            )
            new.append((event, spec))
        if progress and (done % 500 == 0 or done == len(ready)):
            progress("Biến động", done, len(ready))
    UnitEvent.objects.bulk_create([event for event, _ in new], batch_size=2000)
    link_rows = [
        UnitEventLink(
            event=event, unit_id=ids[key], role=UnitEventLink.Role.PREDECESSOR, partial=partial
        )
        for event, spec in new
        for key, partial in spec.predecessors
    ] + [
        UnitEventLink(event=event, unit_id=ids[key], role=UnitEventLink.Role.SUCCESSOR)
        for event, spec in new
        for key in spec.successors
    ]
    UnitEventLink.objects.bulk_create(link_rows, batch_size=2000)
    return len(new), tuple(sorted({link.unit_id for link in link_rows}))


@transaction.atomic
def units_load_registry(
    *,
    include_new: bool = True,
    provinces: Collection[str] | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Load provinces, districts and communes of both structures, and their 2020/2025 events.

    Re-running adds only what is missing (by level, code and start date); it never rewrites
    a unit. `provinces` limits the run to some province codes (in each structure); events that
    reach outside the selection wait for a later run that loads both sides.
    """
    if progress:
        progress("Đọc dữ liệu", 0, 1)
    specs = _legacy_specs(provinces)
    if not provinces or registry.LAICHAU in provinces:
        specs += _laichau_specs()
    if include_new:
        specs += _new_specs(provinces)
    events = _laichau_events() if not provinces or registry.LAICHAU in provinces else []
    if include_new:
        events += _events_2025()
    if progress:
        progress("Đọc dữ liệu", 1, 1)
    ids, units_created = _write_units(specs, progress)
    by_id = dict(Unit.objects.values_list("pk", "name"))
    names = {key: by_id[pk] for key, pk in ids.items()}
    events_created, touched = _write_events(events, ids, names, progress)
    if (Level.PROVINCE, registry.LAICHAU, None) in ids:
        _laichau_history(ids)
    return LoadResult(
        units_created=units_created, events_created=events_created, touched_unit_ids=touched
    )


def _laichau_history(ids: dict[Key, int]) -> None:
    """What Lai Châu's 2019 list does not say: since when it holds, and the city's old name."""
    Unit.objects.filter(pk=ids[(Level.PROVINCE, registry.LAICHAU, None)]).update(
        recorded_from=LAICHAU_CITY_FROM
    )
    city = ids.get((Level.DISTRICT, LAICHAU_CITY_CODE, None))
    if city is not None:
        UnitName.objects.get_or_create(
            unit_id=city,
            valid_to=LAICHAU_CITY_FROM - dt.timedelta(days=1),
            defaults={
                "name": "Thị xã Lai Châu",
                "kind": Kind.THI_XA,
                "legal_basis": LAICHAU_CITY_BASIS,
            },
        )


def units_load_laichau() -> LoadResult:
    """Lai Châu only (2019 and 2025 structures, 2020 and 2025 events): fast, for demo and tests."""
    return units_load_registry(provinces={registry.LAICHAU})


@transaction.atomic
def village_create(
    *,
    commune: Unit,
    name: str,
    code: str | None = None,
    kind: str = Kind.THON,
    valid_from: dt.date | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> Unit:
    """Add a village (thôn, bản, tổ dân phố) under a commune; villages have no official code.

    Without a code the village gets "<commune code>.<n>", numbered within the commune. The
    village lives as long as its commune unless told otherwise.
    """
    clean = " ".join(name.split())
    if commune.level != Level.COMMUNE:
        raise ValidationError(
            f"Chỉ thêm được thôn, bản dưới đơn vị cấp xã; {commune.name} là {commune.get_level_display().lower()}."
        )
    if not clean:
        raise ValidationError(f"Tên thôn, bản thuộc {commune.name} không được để trống.")
    if kind not in VILLAGE_KINDS:
        raise ValidationError(f"Loại đơn vị {kind!r} không phải thôn, bản hay tổ dân phố.")
    siblings = Unit.objects.select_for_update().filter(parent=commune, level=Level.VILLAGE)
    if siblings.filter(name_folded=fold(clean)).exists():
        raise ValidationError(f"{commune.name} đã có {clean}.")
    start = valid_from if valid_from is not None else commune.valid_from
    if code is None:
        taken = set(
            Unit.objects.filter(level=Level.VILLAGE, valid_from=start).values_list(
                "code", flat=True
            )
        )
        number = siblings.count() + 1
        while f"{commune.code}.{number:02d}" in taken:
            number += 1
        code = f"{commune.code}.{number:02d}"
    elif Unit.objects.filter(level=Level.VILLAGE, code=code, valid_from=start).exists():
        raise ValidationError(f"Mã thôn, bản {code} đã được dùng; chọn mã khác cho {clean}.")
    return Unit.objects.create(
        code=code,
        name=clean,
        kind=kind,
        level=Level.VILLAGE,
        parent=commune,
        valid_from=start,
        valid_to=commune.valid_to,
        lat=lat,
        lon=lon,
    )
