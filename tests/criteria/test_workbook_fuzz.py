"""Whatever an office types into a cell, the import answers with a plan or with problems."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from ntm.criteria.workbook_import import workbook_plan
from ntm.criteria.workbook_read import WorkbookError
from tests.criteria.workbook_files import qd51_annex, to_bytes

pytestmark = pytest.mark.django_db

ANY_CELL = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.sampled_from(["≥80%", "đạt", "Không", "1.234,5", "=1+1", ">=", "nhóm 4", "2.1"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.tuples(st.integers(1, 8), st.integers(1, 13), ANY_CELL), min_size=1, max_size=6
    ),
    meta=st.lists(st.tuples(st.integers(1, 16), st.integers(1, 3), ANY_CELL), max_size=2),
)
def test_random_cells_never_crash_the_import(laichau, cells, meta):
    book = qd51_annex()
    for sheet, changes in (("Chi tiêu", cells), ("Bộ tiêu chí", meta)):
        for row, col, value in changes:
            cell = book[sheet].cell(row, col)
            if not isinstance(cell, MergedCell):
                cell.value = value
    try:
        workbook_plan(content=to_bytes(book), filename="fuzz.xlsx")
    except WorkbookError as exc:
        assert exc.problems and all(p.text() for p in exc.problems)


@settings(max_examples=30, deadline=None)
@given(content=st.binary(max_size=2000))
def test_random_bytes_are_refused_with_a_message(content):
    with pytest.raises(WorkbookError, match="Tệp"):
        workbook_plan(content=content, filename="fuzz.xlsx")
