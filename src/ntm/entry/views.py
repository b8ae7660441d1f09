"""Thin views for data entry. Each one asks ntm.accounts.access before anything else:
404 when the unit or indicator is outside the user's scope, 403 when visible but not theirs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ntm.accounts import access
from ntm.audit.services import audit_request
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import NoClassError, get_any_set
from ntm.entry.forms import EntryInput, entry_parse, posted_codes
from ntm.entry.selectors import (
    Scope,
    cell_history,
    cell_row,
    entry_scope,
    entry_sheet,
    sheet_of_codes,
    sheet_unsettled,
)
from ntm.indicators.evidence import (
    CommentError,
    EvidenceError,
    comment_add,
    evidence_add,
    evidence_delete,
    evidence_path,
)
from ntm.indicators.models import EvidenceFile
from ntm.indicators.services import Conflict, ConflictError, IndicatorInputError, values_set
from ntm.ui.periods import not_in_year
from ntm.units.models import Unit
from ntm.units.selectors import unit_valid_in

FIRST_YEAR, LAST_YEAR = 2000, 2100


# The form's filter "only what is not met or missing", a GET parameter so that it works with
# no script; the narrowed form posts it back to stay narrowed after a save.
LOC, ONLY_UNSETTLED = "loc", "chua-dat"


@login_required
@require_http_methods(["GET", "POST"])
def commune_entry(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = Unit.objects.filter(pk=unit_id, level="commune").first()
    if (
        unit is not None
        and FIRST_YEAR <= year <= LAST_YEAR
        and access.can_view_unit(request.user, unit)
        and not unit_valid_in(unit=unit, year=year)
    ):
        return not_in_year(request, unit, year)  # e.g. a commune merged on 1/7/2025, for 2025
    unit = _unit_or_404(request, unit_id, year, levels=("commune",))
    return _entry(request, unit, year)


@login_required
@require_http_methods(["GET", "POST"])
def village_entry(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id, year, levels=("village",))
    return _entry(request, unit, year)


@login_required
@require_POST
def entry_check(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    """The verdicts of the values as typed, evaluated by the engine and never saved."""
    unit = _unit_or_404(request, unit_id, year, levels=("commune", "village"))
    scope = _editable_scope(request, unit, year)
    _refuse_foreign_fields(request, scope)
    posted = entry_parse(cset=scope.cset, data=request.POST, codes=scope.editable_codes())
    sheet = entry_sheet(unit=unit, year=year, scope=scope, posted=posted, extras=False)
    if _only_unsettled(request):
        sheet = sheet_of_codes(sheet, posted.raw)  # a narrowed form has no other row to update
    return render(request, "entry/_live.html", {"sheet": sheet})


@login_required
@require_GET
def value_cell(request: HttpRequest, unit_id: int, year: int, code: str) -> HttpResponse:
    """One value: threshold, verdict, evidence, comments and every change made to it."""
    unit, scope = _cell_or_404(request, unit_id, year, code)
    context = {
        "unit": unit,
        "year": year,
        "scope": scope,
        "row": cell_row(unit=unit, year=year, scope=scope, code=code),
        "history": cell_history(unit=unit, year=year, scope=scope, code=code),
        "form_url": _form_url(unit, year),
        "max_mb": _max_mb(),
    }
    return render(request, "entry/cell.html", context)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, unit_id: int, year: int, code: str) -> HttpResponse:
    unit, scope = _cell_or_404(request, unit_id, year, code)
    _require_edit(request, unit, scope, code)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise EvidenceError(
                gettext("Chỉ tiêu %(code)s: chưa chọn tệp để tải lên") % {"code": code}
            )
        evidence_add(unit=unit, year=year, indicator=code, upload=upload, author=request.user)
    except EvidenceError as exc:
        return _extras_response(request, unit, year, scope, code, error=str(exc))
    return _extras_response(request, unit, year, scope, code)


@login_required
@require_POST
def comment_create(request: HttpRequest, unit_id: int, year: int, code: str) -> HttpResponse:
    unit, scope = _cell_or_404(request, unit_id, year, code)
    criterion = scope.criterion_of(code) or ""
    if not access.can_comment(request.user, unit, criterion, set_id=scope.cset.id):
        raise PermissionDenied(f"Bạn không có quyền ghi ý kiến về chỉ tiêu {code}")
    try:
        comment_add(
            unit=unit,
            year=year,
            indicator=code,
            text=request.POST.get("text", ""),
            author=request.user,
        )
    except CommentError as exc:
        return _extras_response(request, unit, year, scope, code, error=str(exc))
    return _extras_response(request, unit, year, scope, code)


@login_required
@require_GET
def evidence_download(request: HttpRequest, file_id: int) -> FileResponse:
    evidence, _ = _evidence_or_404(request, file_id)
    path = evidence_path(evidence=evidence)
    if not path.is_file():
        raise Http404(f"Tệp '{evidence.original_name}' không còn trên máy chủ")
    audit_request(
        request,
        action="evidence.download",
        object_type="evidence",
        object_id=evidence.pk,
        unit=evidence.unit,
        year=evidence.year,
        after={
            "file": evidence.original_name,
            "indicator": evidence.indicator,
            "sha256": evidence.sha256,
        },
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, file_id: int) -> HttpResponse:
    evidence, criterion = _evidence_or_404(request, file_id)
    unit, year, code = evidence.unit, evidence.year, evidence.indicator
    if not access.can_edit_value(request.user, unit, criterion, set_id=evidence.criteria_set):
        raise PermissionDenied(f"Bạn không có quyền xóa minh chứng của chỉ tiêu {code}")
    scope = _scope_or_404(request, unit, year)
    try:
        evidence_delete(evidence=evidence, author=request.user)
    except EvidenceError as exc:  # the commune-year is locked by its dossier
        return _extras_response(request, unit, year, scope, code, error=str(exc))
    return _extras_response(request, unit, year, scope, code)


# The form ---------------------------------------------------------------------------------


def _entry(request: HttpRequest, unit: Unit, year: int) -> HttpResponse:
    if not access.can_enter_values(request.user, unit):  # before any page, even "no set yet"
        raise PermissionDenied(f"Bạn không có quyền nhập số liệu của {unit.name}")
    try:
        scope = entry_scope(user=request.user, unit=unit, year=year)
    except (NoClassError, UnknownCriteriaSetError) as exc:
        return _unavailable(request, unit, year, exc)
    if not scope.editable:
        raise PermissionDenied(f"Bạn không có quyền nhập số liệu của {unit.name}")
    if request.method == "POST":
        return _save(request, unit, year, scope)
    return _form(request, unit, year, scope)


def _save(request: HttpRequest, unit: Unit, year: int, scope: Scope) -> HttpResponse:
    """All or nothing: one bad field, a refused value or a conflict saves nothing."""
    _refuse_foreign_fields(request, scope)
    posted = entry_parse(cset=scope.cset, data=request.POST, codes=scope.editable_codes())
    if posted.errors:
        count = len(posted.errors)
        notice = ngettext(
            "Chưa lưu: %(count)d ô nhập chưa đúng, hãy sửa các ô được đánh dấu.",
            "Chưa lưu: %(count)d ô nhập chưa đúng, hãy sửa các ô được đánh dấu.",
            count,
        ) % {"count": count}
        return _form(request, unit, year, scope, posted=posted, notice=notice, status=400)
    if posted.changed:
        try:
            values_set(
                unit=unit,
                year=year,
                values=posted.changed,
                author=request.user,
                origin="page",
                origin_detail=request.path,
                expected_versions={code: posted.versions[code] for code in posted.changed},
            )
        except ConflictError as exc:
            conflicts = {c.indicator: c for c in exc.conflicts}
            return _form(
                request,
                unit,
                year,
                scope,
                posted=posted,
                notice=str(exc),
                conflicts=conflicts,
                status=409,
            )
        except IndicatorInputError as exc:
            return _form(request, unit, year, scope, posted=posted, notice=str(exc), status=400)
    count = len(posted.changed)
    if count:
        text = ngettext(
            "Đã lưu %(count)d thay đổi (%(unit)s, năm %(year)s).",
            "Đã lưu %(count)d thay đổi (%(unit)s, năm %(year)s).",
            count,
        )
    else:
        text = gettext("Không có thay đổi nào cần lưu (%(unit)s, năm %(year)s).")
    done = text % {"count": count, "unit": unit.name, "year": year}
    messages.success(request, done, extra_tags="saved")
    narrowed = f"?{LOC}={ONLY_UNSETTLED}" if _only_unsettled(request) else ""
    return redirect(_form_url(unit, year) + narrowed)


def _only_unsettled(request: HttpRequest) -> bool:
    return ONLY_UNSETTLED in (request.GET.get(LOC), request.POST.get(LOC))


def _form(
    request: HttpRequest,
    unit: Unit,
    year: int,
    scope: Scope,
    *,
    posted: EntryInput | None = None,
    notice: str = "",
    conflicts: dict[str, Conflict] | None = None,
    status: int = 200,
) -> HttpResponse:
    sheet = entry_sheet(unit=unit, year=year, scope=scope, posted=posted, conflicts=conflicts)
    narrowed = _only_unsettled(request)
    context = {
        "sheet": sheet_unsettled(sheet) if narrowed else sheet,
        "narrowed": narrowed,
        "loc": ONLY_UNSETTLED,
        "unit": unit,
        "year": year,
        "notice": notice,
        "conflict": bool(conflicts),
        "state": "posted" if posted is not None else "",
        "draft_key": f"ntm-nhap:{request.user.pk}:{unit.pk}:{year}",
        "form_url": _form_url(unit, year),
        "saved": any("saved" in m.tags for m in messages.get_messages(request)),
        "max_mb": _max_mb(),
    }
    return render(request, "entry/form.html", context, status=status)


def _unavailable(request: HttpRequest, unit: Unit, year: int, exc: Exception) -> HttpResponse:
    if unit.level == "village" and isinstance(exc, UnknownCriteriaSetError):
        reason = gettext(
            "Chưa có bộ tiêu chí cấp thôn, bản nào có hiệu lực trong năm %(year)s: "
            "%(unit)s không có chỉ tiêu riêng để nhập. Số liệu của thôn, bản được tổng hợp "
            "vào chỉ tiêu của xã."
        ) % {"unit": unit.name, "year": year}
    else:
        reason = gettext("Chưa nhập được số liệu của %(unit)s năm %(year)s: %(reason)s.") % {
            "unit": unit.name,
            "year": year,
            "reason": exc,
        }
    return render(request, "entry/unavailable.html", {"unit": unit, "year": year, "reason": reason})


def _refuse_foreign_fields(request: HttpRequest, scope: Scope) -> None:
    """A posted indicator the user may not edit refuses the whole request; it is never skipped."""
    editable = set(scope.editable_codes())
    for code in posted_codes(data=request.POST):
        if code in editable:
            continue
        if scope.cset.indicator(code) is None:
            raise Http404(f"Chỉ tiêu '{code}' không có trong bộ tiêu chí {scope.cset.id}")
        raise PermissionDenied(f"Bạn không có quyền nhập chỉ tiêu {code}")


# Lookups with their access checks --------------------------------------------------------


def _unit_or_404(request: HttpRequest, unit_id: int, year: int, *, levels: tuple[str, ...]) -> Unit:
    unit = (
        Unit.objects.select_related("parent__parent__parent")
        .filter(pk=unit_id, level__in=levels)
        .first()
    )
    if unit is None or not access.can_view_unit(request.user, unit) or not _in_force(unit, year):
        raise Http404("Không tìm thấy đơn vị này trong phạm vi của bạn")
    return unit


def _in_force(unit: Unit, year: int) -> bool:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return False
    return unit_valid_in(unit=unit, year=year)


def _scope_or_404(request: HttpRequest, unit: Unit, year: int) -> Scope:
    try:
        return entry_scope(user=request.user, unit=unit, year=year)
    except (NoClassError, UnknownCriteriaSetError) as exc:
        raise Http404(str(exc)) from None


def _editable_scope(request: HttpRequest, unit: Unit, year: int) -> Scope:
    scope = _scope_or_404(request, unit, year)
    if not scope.editable:
        raise PermissionDenied(f"Bạn không có quyền nhập số liệu của {unit.name}")
    return scope


def _cell_or_404(request: HttpRequest, unit_id: int, year: int, code: str) -> tuple[Unit, Scope]:
    unit = _unit_or_404(request, unit_id, year, levels=("commune", "village"))
    scope = _scope_or_404(request, unit, year)
    if scope.criterion_of(code) not in scope.visible:
        raise Http404(f"Không tìm thấy chỉ tiêu {code} trong phạm vi của bạn")
    return unit, scope


def _require_edit(request: HttpRequest, unit: Unit, scope: Scope, code: str) -> None:
    criterion = scope.criterion_of(code) or ""
    if not access.can_edit_value(request.user, unit, criterion, set_id=scope.cset.id):
        raise PermissionDenied(f"Bạn không có quyền sửa minh chứng của chỉ tiêu {code}")


def _evidence_or_404(request: HttpRequest, file_id: int) -> tuple[EvidenceFile, str]:
    """The file and its criterion, when the user may see that criterion of that unit."""
    evidence = (
        EvidenceFile.objects.select_related("unit__parent__parent__parent")
        .filter(pk=file_id)
        .first()
    )
    indicator = None
    if evidence is not None:
        try:
            indicator = get_any_set(evidence.criteria_set).indicator(evidence.indicator)
        except UnknownCriteriaSetError:
            indicator = None
    if evidence is None or indicator is None:
        raise Http404("Không tìm thấy tệp minh chứng")
    set_id = evidence.criteria_set
    if not access.can_view_criterion(
        request.user, evidence.unit, indicator.criterion, set_id=set_id
    ):
        raise Http404("Không tìm thấy tệp minh chứng")
    return evidence, indicator.criterion


# Responses --------------------------------------------------------------------------------


def _max_mb() -> int:
    return int(settings.EVIDENCE_MAX_BYTES // (1024 * 1024))


def _form_url(unit: Unit, year: int) -> str:
    name = "entry_village" if unit.level == "village" else "entry_commune"
    return reverse(name, args=[unit.pk, year])


def _extras_response(
    request: HttpRequest, unit: Unit, year: int, scope: Scope, code: str, *, error: str = ""
) -> HttpResponse:
    """HTMX gets the indicator's evidence and comments again; a plain form post a page."""
    row = cell_row(unit=unit, year=year, scope=scope, code=code)
    if request.headers.get("HX-Request") == "true":
        context: dict[str, Any] = {"row": row, "unit": unit, "year": year, "error": error}
        context |= {"count_oob": True, "max_mb": _max_mb(), "back": request.POST.get("back")}
        return render(request, "entry/_extras.html", context)
    if error:
        back = _back_url(request, unit, year, code, row.dom)
        return render(request, "entry/problem.html", {"message": error, "back": back}, status=400)
    return redirect(_back_url(request, unit, year, code, row.dom))


def _back_url(request: HttpRequest, unit: Unit, year: int, code: str, dom: str) -> str:
    """Back to the cell page when the post came from it, else to the form at the indicator."""
    if request.POST.get("back") == "cell":
        return reverse("value_cell", args=[unit.pk, year, code])
    return _form_url(unit, year) + f"#row-{dom}"
