"""`ntm evaluate VALUES.csv --criteria-set ID [--region CODE | --group CODE]`: no database.

Bad input: exit status 2 and one Vietnamese message on stderr naming line, column and
reason; nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from ntm.core.batch import UnitYear, evaluate_table
from ntm.core.csv_values import ValueRow, ValuesFileError, read_values
from ntm.core.model import CriteriaSet
from ntm.core.registry import UnknownCriteriaSetError, get_set
from ntm.core.specs import SpecError, apply_spec, load_spec_file
from ntm.core.values import format_number

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"Lỗi cú pháp lệnh: {message}\n{self.format_usage()}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="ntm evaluate", description="Đánh giá tiêu chí NTM từ tệp CSV giá trị chỉ tiêu."
    )
    p.add_argument("values", help="tệp CSV: unit_code,year,indicator,value")
    p.add_argument("--criteria-set", required=True, help="mã bộ tiêu chí, ví dụ qd1980-2016")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--region", help="vùng (TDMNPB, DBSH, BTB, DHNTB, TN, DNB, DBSCL)")
    which.add_argument("--group", help="nhóm xã theo QĐ 51/2025 (1, 2, 3)")
    p.add_argument("--spec", help="tệp quy định cụ thể của tỉnh (YAML) áp lên bộ tiêu chí")
    p.add_argument("--format", choices=["json", "table"], default="json")
    return p


class InputError(Exception):
    pass


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        cset = _criteria_set(args)
        text = _read_text(Path(args.values))
        rows = read_values(text, cset)
        keys, matrix = _matrix(cset, rows, args)
    except (InputError, ValuesFileError, UnknownCriteriaSetError, SpecError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return USAGE_ERROR
    results = evaluate_table(cset, keys, matrix)
    if args.format == "json":
        json.dump(
            {"criteria_set": cset.id, "results": results}, sys.stdout, ensure_ascii=False, indent=2
        )
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_table(cset, results))
    return 0


def _criteria_set(args: argparse.Namespace) -> CriteriaSet:
    cset = get_set(args.criteria_set)
    if args.region and cset.classification != "region":
        raise InputError(
            f"bộ tiêu chí {cset.id} phân theo nhóm xã, hãy dùng --group thay cho --region"
        )
    if args.group and cset.classification != "group":
        raise InputError(
            f"bộ tiêu chí {cset.id} phân theo vùng, hãy dùng --region thay cho --group"
        )
    flag = args.region or args.group
    if flag and flag not in cset.classes:
        allowed = ", ".join(cset.classes)
        raise InputError(f"'{flag}' không phải vùng/nhóm của bộ tiêu chí {cset.id} (có: {allowed})")
    if args.spec:
        try:
            cset = apply_spec(cset, load_spec_file(Path(args.spec)))
        except OSError as exc:
            raise InputError(f"không đọc được tệp quy định {args.spec} ({exc.strerror})") from None
    return cset


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"không đọc được tệp {path} ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(
            f"Dòng {line}: tệp không phải UTF-8 (byte không hợp lệ ở vị trí {exc.start})"
        ) from None


def _matrix(
    cset: CriteriaSet, rows: list[ValueRow], args: argparse.Namespace
) -> tuple[list[UnitYear], Any]:
    order: dict[tuple[str, int], int] = {}
    first_line: dict[str, int] = {}
    for row in rows:
        order.setdefault((row.unit_code, row.year), len(order))
        first_line.setdefault(row.unit_code, row.line)
    columns = {ind.code: j for j, ind in enumerate(cset.indicators)}
    matrix = np.full((len(order), len(columns)), np.nan)
    for row in rows:
        matrix[order[(row.unit_code, row.year)], columns[row.indicator]] = row.value
    keys = [
        UnitYear(unit, year, _class_of(cset, unit, first_line[unit], args))
        for (unit, year) in order
    ]
    return keys, matrix


def _class_of(cset: CriteriaSet, unit: str, line: int, args: argparse.Namespace) -> str:
    if args.region or args.group:
        return str(args.region or args.group)
    if cset.classification == "group":
        raise InputError(
            f"Dòng {line}, cột 'unit_code': xã {unit} chưa được phân nhóm theo {cset.decision}; "
            "hãy chỉ định --group (1, 2 hoặc 3)"
        )
    from ntm.units.codes import province_of_commune_code, region_of_province

    province = province_of_commune_code(unit)
    region = region_of_province(province) if province else None
    if region is None:
        raise InputError(
            f"Dòng {line}, cột 'unit_code': không xác định được vùng của đơn vị {unit}; hãy chỉ định --region"
        )
    return region


def _table(cset: CriteriaSet, results: list[dict[str, Any]]) -> str:
    lines = [f"Bộ tiêu chí: {cset.id} ({cset.decision})"]
    lines.append(f"{'Mã xã':<7} {'Năm':<5} {'Vùng/nhóm':<10} {'Tiêu chí đạt':>13}  Đạt chuẩn")
    for r in results:
        cls = r["region"] or r["group"] or ""
        met = f"{format_number(r['criteria_met'])}/{r['criteria_total']}"
        lines.append(
            f"{r['unit_code']:<7} {r['year']:<5} {cls:<10} {met:>13}  {'có' if r['meets_standard'] else 'không'}"
        )
    return "\n".join(lines) + "\n"
