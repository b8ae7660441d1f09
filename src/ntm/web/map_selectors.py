"""Reads for the map of a unit's communes: each commune's colour in each mode, its position
(an imported outline, else the registry's centre point) and its row of the data table.

The communes are those in force in the shown year (docs/periods.md): the 2026 map has the
communes of the 2025 structure, directly under the province. A commune's bucket is read from
its stored verdict with the same bounds as the unit page's counts, so the map and the counts
agree. A department sees no verdict (ntm.web.list_selectors.may_see_verdicts), so its map has
only the criteria-met mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from ntm.accounts import access
from ntm.core.summary import bucket_bounds, bucket_labels
from ntm.core.values import format_number
from ntm.indicators.models import Evaluation
from ntm.indicators.selectors import evaluations_under
from ntm.units.models import Unit, UnitBoundary
from ntm.units.selectors import communes_in_year, unit_sort_key, with_year_names
from ntm.web.list_selectors import may_see_verdicts

# From the most criteria met (green) to the fewest (red); grey is "no verdict". The five
# steps of ColorBrewer's RdYlGn, which stay apart for the common colour-vision deficiencies.
BUCKET_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
GREY = "#bdbdbd"
GREEN, ORANGE = BUCKET_COLOURS[0], BUCKET_COLOURS[3]
NONE = "none"  # the category of a commune without a verdict


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    color: str


@dataclass(frozen=True)
class MapMode:
    key: str
    label: str
    categories: list[Category]


@dataclass(frozen=True)
class MapRow:
    unit: Unit
    url: str  # "" when the viewer may not follow it (the public page)
    shown: dict[str, str]  # mode key -> category key
    cells: list[str]  # the data table's columns after the commune's name


@dataclass(frozen=True)
class CommuneMap:
    year: int
    modes: list[MapMode]
    headers: list[str]  # the data table's columns after "Xã"
    rows: list[MapRow]
    shapes: dict[int, Any] = field(default_factory=dict)  # unit id -> GeoJSON geometry

    @property
    def unplaced(self) -> list[MapRow]:
        """Communes the map cannot draw: no outline and no centre point."""
        return [
            r
            for r in self.rows
            if r.unit.pk not in self.shapes and (r.unit.lat is None or r.unit.lon is None)
        ]

    def data(self) -> dict[str, Any]:
        """What map.js draws (the page carries it in a json_script block)."""
        features = [
            {"type": "Feature", "properties": {"name": str(pk)}, "geometry": geometry}
            for pk, geometry in self.shapes.items()
        ]
        return {
            "modes": [
                {"key": m.key, "label": m.label, "categories": [vars(c) for c in m.categories]}
                for m in self.modes
            ],
            "communes": [
                {
                    "id": r.unit.pk,
                    "name": r.unit.name,
                    "url": r.url,
                    "lon": r.unit.lon,
                    "lat": r.unit.lat,
                    "shown": r.shown,
                }
                for r in self.rows
            ],
            "shapes": {"type": "FeatureCollection", "features": features} if features else None,
        }


def bucket_of(*, met: int, total: int) -> str:
    """The bucket label of a commune meeting ``met`` of ``total`` criteria (as the unit page
    counts it: ntm.core.summary)."""
    labels = bucket_labels(total)
    bounds = bucket_bounds(total)
    return labels[next((k for k, lo in enumerate(bounds) if met >= lo), len(bounds))]


def commune_shapes(*, unit_ids: list[int]) -> dict[int, Any]:
    """Imported outlines of these units (one query)."""
    rows = UnitBoundary.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "geometry")
    return dict(rows)


def map_communes(*, unit: Unit, year: int, user: Any | None) -> list[Unit]:
    """Programme communes under ``unit`` in force in ``year`` (those the user may see, when
    there is a user), named as in that year, in Vietnamese order."""
    communes = communes_in_year(unit=unit, year=year)
    if user is not None:
        communes = communes.filter(access.scope_filter(user))
    return sorted(with_year_names(list(communes), year), key=unit_sort_key)


def _bucket_mode(labels: list[str]) -> MapMode:
    colours = dict(zip(labels, BUCKET_COLOURS, strict=False))
    categories = [
        Category(label, gettext("%(label)s tiêu chí") % {"label": label}, colours.get(label, GREY))
        for label in labels
    ]
    categories.append(Category(NONE, gettext("Chưa đánh giá"), GREY))
    return MapMode("tieu-chi", gettext("Số tiêu chí đạt"), categories)


def _verdict_mode() -> MapMode:
    return MapMode(
        "ket-luan",
        gettext("Kết luận"),
        [
            Category("dat", gettext("Đạt chuẩn"), GREEN),
            Category("chua-dat", gettext("Chưa đạt"), ORANGE),
            Category(NONE, gettext("Chưa đánh giá"), GREY),
        ],
    )


def _unit_row(commune: Unit, evaluation: Evaluation | None, year: int, verdicts: bool) -> MapRow:
    url = reverse("commune", args=[commune.pk, year])
    if evaluation is None:
        shown = {"tieu-chi": NONE, "ket-luan": NONE}
        cells = ["–", gettext("Chưa đánh giá")]
    else:
        met, total = evaluation.criteria_met, evaluation.criteria_total
        meets = evaluation.meets_standard
        shown = {
            "tieu-chi": bucket_of(met=met, total=total),
            "ket-luan": "dat" if meets else "chua-dat",
        }
        cells = [
            f"{format_number(met)}/{format_number(total)}",
            gettext("Đạt chuẩn") if meets else gettext("Chưa đạt"),
        ]
    if not verdicts:
        shown.pop("ket-luan")
        cells = cells[:1]
    return MapRow(commune, url, shown, cells)


def unit_map(*, unit: Unit, year: int, user: Any) -> CommuneMap:
    """The map of the communes under a province or district in ``year``, coloured by criteria
    met (buckets as on the unit page) or by verdict. A bounded number of queries, whatever the
    number of communes."""
    communes = map_communes(unit=unit, year=year, user=user)
    ids = [c.pk for c in communes]
    evaluations = {
        e.unit_id: e
        for e in evaluations_under(unit=unit, year=year)
        .filter(unit_id__in=ids)
        .only("unit_id", "criteria_met", "criteria_total", "meets_standard")
    }
    verdicts = may_see_verdicts(user)
    total = next((e.criteria_total for e in evaluations.values()), 19)
    labels = bucket_labels(total)
    rows = [_unit_row(c, evaluations.get(c.pk), year, verdicts) for c in communes]
    # A set with another number of criteria in the same year (never in the demo) adds its labels.
    labels += sorted({r.shown["tieu-chi"] for r in rows} - {*labels, NONE})
    modes = [_bucket_mode(labels)] + ([_verdict_mode()] if verdicts else [])
    headers = [gettext("Tiêu chí đạt")] + ([gettext("Kết luận")] if verdicts else [])
    return CommuneMap(year, modes, headers, rows, commune_shapes(unit_ids=ids))
