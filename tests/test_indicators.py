import math
import os
import time
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from reviewlib.errors import InputError
from reviewlib.gather.glotip import (
    INDICATOR_COLUMNS,
    SOURCE_PREFIX,
    format_summary,
    read_glotip,
    write_indicators,
)
from reviewlib.gather.indicators import (
    FILE_COLUMNS,
    SUMMARY_COLUMNS,
    country_summary,
    load_indicators,
)
from reviewlib.gather.ledger import LEDGER_COLUMNS
from reviewlib.paths import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "data" / "glotip"
REAL_FILE = PROJECT_ROOT / ".." / "shared" / "data" / "glotip" / "data_glotip.xlsx"
MEMBER_STATES_FILE = PROJECT_ROOT / "inputs" / "reference" / "member_states.csv"

# Spreadsheet row of the first data row: header on row 1 in the workbook, row 3 in the CSV.
FORMATS = {"xlsx": 2, "csv": 4}
# Position of each problem row among the fixture's data rows (see tests/data/glotip/make_fixtures.py).
FRA_ROW, DEU_ROW, SARK_ROW, SAM_ROW = 11, 12, 13, 14


@pytest.fixture
def member_states() -> pd.DataFrame:
    codes = {
        "BLR": "Belarus",
        "NGA": "Nigeria",
        "CIV": "Côte d'Ivoire",
        "FRA": "France",
        "DEU": "Germany",
        "GBR": "United Kingdom",
        "ERI": "Eritrea",
    }
    return pd.DataFrame(
        {"iso3": list(codes), "name": list(codes.values()), "regional_group": "", "aliases": ""}
    )


@pytest.fixture(params=list(FORMATS))
def fixture_format(request) -> str:
    return request.param


@pytest.fixture
def imported(fixture_format, member_states):
    return read_glotip(FIXTURES / f"glotip_small.{fixture_format}", member_states)


def first_row(fixture_format: str) -> int:
    return FORMATS[fixture_format]


def test_counts(imported):
    s = imported.summary
    assert (s.rows_read, s.rows_imported, s.rows_suppressed, s.rows_rejected) == (16, 13, 5, 3)
    assert s.member_states == 4
    assert (s.first_year, s.last_year) == (2018, 2021)
    assert s.member_states_without_rows == ("DEU", "ERI", "FRA")
    assert dict(s.indicators) == {
        "Detected trafficking victims": 9,
        "Persons convicted": 3,
        "Persons prosecuted": 1,
    }


def test_columns_and_types(imported):
    ind = imported.indicators
    assert tuple(ind.columns) == INDICATOR_COLUMNS
    assert ind["year"].dtype == "int64"
    assert ind["value"].dtype == "float64"
    assert ind["suppressed"].dtype == bool
    assert ind["member_state"].dtype == bool
    assert tuple(imported.ledger.columns) == LEDGER_COLUMNS


def test_suppressed_is_never_zero_nor_missing(imported):
    ind = imported.indicators
    suppressed = ind[ind["suppressed"]]
    assert len(suppressed) == 5
    assert suppressed["value"].isna().all()
    assert ind.loc[~ind["suppressed"], "value"].notna().all()
    assert not (ind["value"] == 0).any()


def test_numbers_with_separators_and_decimals(imported):
    totals = imported.indicators[imported.indicators["dimension"] == "Total"]
    value = totals.set_index(["iso3", "year", "indicator"])["value"]
    assert value[("BLR", 2020, "Detected trafficking victims")] == 1234.0
    assert value[("NGA", 2018, "Persons convicted")] == 12.0
    assert value[("SAM", 2020, "Detected trafficking victims")] == 1020.0


def test_territories_kept_but_not_member_states(imported):
    ind = imported.indicators.drop_duplicates("iso3").set_index("iso3")
    assert not ind.loc[["HKG", "PRI", "XKX", "SAM"], "member_state"].any()
    assert ind.loc[["BLR", "NGA", "CIV", "GBR"], "member_state"].all()
    assert ind.loc["XKX", "country"] == "Kosovo under UNSCR 1244"
    assert imported.summary.non_member_areas == ("HKG", "PRI", "XKX")
    assert imported.summary.unnamed_codes == ("SAM",)


def test_source_names_the_unodc_export(imported):
    assert (imported.indicators["source"] == f"{SOURCE_PREFIX}: GLOTIP").all()


def test_ledger_names_row_column_and_problem(imported, fixture_format):
    start = first_row(fixture_format)
    ledger = imported.ledger.set_index("row")
    assert list(ledger.index) == [start + i for i in (FRA_ROW, DEU_ROW, SARK_ROW, SAM_ROW)]
    assert (ledger["statement_id"] == "").all()
    fra, deu, sark, sam = (ledger.loc[start + i] for i in (FRA_ROW, DEU_ROW, SARK_ROW, SAM_ROW))
    assert fra["message"] == (
        f"row {start + FRA_ROW}, column txtVALUE: 'n/a' is not a number or '<5'; "
        "the row was not imported"
    )
    assert (fra["status"], fra["column"]) == ("rejected", "txtVALUE")
    assert (deu["column"], deu["status"]) == ("Year", "rejected")
    assert "'20l9' is not a year" in deu["message"]
    assert sark["column"] == "Iso3_code"
    assert "country code is empty (country 'Sark')" in sark["message"]
    assert sam["status"] == "accepted_with_warning"
    assert "'SAM' has no country name" in sam["message"]


def test_same_result_from_either_format(member_states, tmp_path):
    paths = []
    for suffix in FORMATS:
        imp = read_glotip(FIXTURES / f"glotip_small.{suffix}", member_states)
        paths.append(tmp_path / f"from_{suffix}.csv")
        write_indicators(imp, paths[-1])
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_rewrite_is_byte_identical(imported, member_states, tmp_path, fixture_format):
    target = tmp_path / "reference" / "indicators.csv"
    write_indicators(imported, target)
    first = target.read_bytes()
    again = read_glotip(FIXTURES / f"glotip_small.{fixture_format}", member_states)
    write_indicators(again, target)
    assert target.read_bytes() == first
    assert [p.name for p in target.parent.iterdir()] == ["indicators.csv"]
    assert target.stat().st_mode & 0o044 == 0o044


def test_written_file_is_sorted_with_plain_values(imported, tmp_path):
    target = tmp_path / "indicators.csv"
    write_indicators(imported, target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(FILE_COLUMNS)
    assert lines[1].startswith("BLR,Detected trafficking victims,Total,Total,Total,Total,2019,152,")
    assert "BLR,Detected trafficking victims,Total,Total,Total,Total,2021,,true," in lines[3]
    assert [line[:3] for line in lines[1:]] == sorted(line[:3] for line in lines[1:])


def test_load_round_trip(imported, tmp_path):
    target = tmp_path / "indicators.csv"
    write_indicators(imported, target)
    loaded = load_indicators(target)
    assert tuple(loaded.columns) == FILE_COLUMNS
    assert (loaded["year"].dtype, loaded["value"].dtype) == ("int64", "float64")
    assert loaded["suppressed"].dtype == bool and loaded["member_state"].dtype == bool
    assert loaded["suppressed"].sum() == 5
    assert loaded["value"].sum() == imported.indicators["value"].sum()
    assert set(loaded.loc[loaded["member_state"], "iso3"]) == {"BLR", "NGA", "CIV", "GBR"}


def test_load_missing_file_is_empty(tmp_path):
    empty = load_indicators(tmp_path / "absent.csv")
    assert empty.empty
    assert tuple(empty.columns) == FILE_COLUMNS
    assert empty["value"].dtype == "float64" and empty["suppressed"].dtype == bool


def test_country_summary(imported):
    summary = country_summary(imported.indicators).set_index(["iso3", "indicator"])
    assert tuple(summary.reset_index().columns) == SUMMARY_COLUMNS
    blr = summary.loc[("BLR", "Detected trafficking victims")]
    assert (blr["years_reported"], blr["first_year"], blr["latest_year"]) == (3, 2019, 2021)
    assert blr["first_value"] == 152.0 and not blr["first_suppressed"]
    assert math.isnan(blr["latest_value"]) and blr["latest_suppressed"]
    nga = summary.loc[("NGA", "Persons convicted")]
    assert (nga["first_value"], nga["latest_value"]) == (12.0, 45.0)
    assert ("GBR", "Detected trafficking victims") not in summary.index


def test_country_summary_of_nothing():
    empty = country_summary(load_indicators(Path("no-such-file.csv")))
    assert empty.empty and tuple(empty.columns) == SUMMARY_COLUMNS


def test_format_summary(imported, fixture_format):
    text = format_summary(imported.summary)
    assert text.startswith(
        f"Read 16 rows from glotip_small.{fixture_format}: 13 imported (5 suppressed '<5'), "
        "3 rejected."
    )
    assert "4 Member States and 3 other countries or territories" in text
    assert "Years 2018–2021" in text
    assert "SAM" in text


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def fixture_text() -> str:
    return (FIXTURES / "glotip_small.csv").read_bytes().decode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_csv_encodings(tmp_path, member_states, encoding):
    path = write_csv(tmp_path / "export.csv", fixture_text(), encoding)
    imp = read_glotip(path, member_states)
    assert imp.summary.rows_imported == 13
    assert "Côte d’Ivoire" in set(imp.indicators["country"])


@pytest.mark.parametrize("preamble_lines", [0, 1, 5])
def test_csv_header_found_after_any_preamble(tmp_path, member_states, preamble_lines):
    body = fixture_text().split("\r\n", 2)[2]
    text = "".join(f"note {i}\r\n" for i in range(preamble_lines)) + body
    imp = read_glotip(write_csv(tmp_path / "export.csv", text), member_states)
    assert imp.summary.rows_imported == 13
    assert imp.ledger["row"].iloc[0] == preamble_lines + 2 + FRA_ROW


def test_blank_lines_keep_row_numbers(tmp_path, member_states):
    lines = fixture_text().split("\r\n")
    lines.insert(4, "")
    imp = read_glotip(write_csv(tmp_path / "export.csv", "\r\n".join(lines)), member_states)
    assert imp.summary.rows_read == 16
    assert imp.ledger["row"].iloc[0] == 4 + FRA_ROW + 1


def test_semicolon_csv_and_forgiving_headers(tmp_path, member_states):
    lines = fixture_text().split("\r\n")
    header = "ISO3 CODE;country;REGION;Sub region;indicator;dimension;category;sex;age;YEAR;unit;TXT_VALUE;source"
    rows = [line.replace(",", ";") for line in lines[3:] if "," in line and '"' not in line]
    imp = read_glotip(write_csv(tmp_path / "export.csv", "\n".join([header, *rows])), member_states)
    assert imp.summary.rows_read == len(rows)
    assert imp.summary.rows_imported == len(rows) - 3


def test_xlsx_with_title_row_blank_row_and_numeric_cells(tmp_path, member_states):
    source = load_workbook(FIXTURES / "glotip_small.xlsx", read_only=True)
    rows = [list(r) for r in source.worksheets[0].iter_rows(values_only=True)]
    source.close()
    rows[1][11] = 152
    book = Workbook()
    for row in [["GLOTIP country data"], *rows[:3], [], *rows[3:]]:
        book.active.append(row)
    book.save(tmp_path / "export.xlsx")
    imp = read_glotip(tmp_path / "export.xlsx", member_states)
    assert imp.summary.rows_imported == 13
    assert imp.indicators["value"].iloc[0] == 152.0
    assert imp.ledger["row"].iloc[0] == 2 + 1 + FRA_ROW + 1


def test_header_only_file(tmp_path, member_states):
    header = fixture_text().split("\r\n")[2]
    imp = read_glotip(write_csv(tmp_path / "export.csv", header + "\r\n"), member_states)
    assert (imp.summary.rows_read, imp.summary.rows_imported) == (0, 0)
    assert imp.indicators.empty and imp.ledger.empty
    assert "Years none" in format_summary(imp.summary)


def test_missing_column_is_an_input_error(tmp_path, member_states):
    text = fixture_text().replace("txtVALUE", "Remarks").replace(",Year,", ",Period,")
    with pytest.raises(InputError, match=r"export\.csv.*Year, txtVALUE"):
        read_glotip(write_csv(tmp_path / "export.csv", text), member_states)


def test_no_header_is_an_input_error(tmp_path, member_states):
    with pytest.raises(InputError, match="Iso3_code"):
        read_glotip(write_csv(tmp_path / "export.csv", "a,b\n1,2\n"), member_states)


@pytest.mark.parametrize("name", ["export.txt", "export.xls"])
def test_unsupported_file_is_an_input_error(tmp_path, member_states, name):
    path = write_csv(tmp_path / name, "x")
    with pytest.raises(InputError, match=name.replace(".", r"\.")):
        read_glotip(path, member_states)


def test_broken_workbook_is_an_input_error(tmp_path, member_states):
    with pytest.raises(InputError, match="cannot be opened"):
        read_glotip(write_csv(tmp_path / "export.xlsx", "not a workbook"), member_states)


@pytest.fixture(scope="module")
def real_import():
    if not REAL_FILE.is_file():
        reason = f"the UNODC GLOTIP export is not at {REAL_FILE.resolve()}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI=true requires it")
        pytest.skip(reason)
    member_states = pd.read_csv(MEMBER_STATES_FILE, dtype=str, keep_default_na=False)
    started = time.perf_counter()
    imp = read_glotip(REAL_FILE, member_states)
    print(f"\nimported {REAL_FILE.name} in {time.perf_counter() - started:.1f} s")
    print(format_summary(imp.summary))
    return imp, member_states


def test_real_export_counts(real_import):
    imp, _ = real_import
    s = imp.summary
    assert s.rows_read == 46_556
    assert s.rows_imported + s.rows_rejected == s.rows_read
    assert 0.4 < s.rows_suppressed / s.rows_imported < 0.6
    assert (s.first_year, s.last_year) == (2003, 2021)
    assert len(s.indicators) == 5
    assert s.rows_rejected == len(imp.ledger[imp.ledger["status"] == "rejected"])


def test_real_export_every_member_state_resolves(real_import):
    imp, member_states = real_import
    ind = imp.indicators
    names = {
        alias: row.iso3
        for row in member_states.itertuples()
        for alias in [row.name, *row.aliases.split(";")]
        if alias
    }
    named = ind[ind["country"].isin(names)].drop_duplicates("iso3")
    assert (named["iso3"] == named["country"].map(names)).all()
    assert named["member_state"].all()
    assert imp.summary.non_member_areas == (
        "ABW",
        "COK",
        "CUW",
        "HKG",
        "MAC",
        "NIU",
        "PRI",
        "PYF",
        "VAT",
    )
    assert imp.summary.member_states > 185


def test_real_export_known_facts(real_import):
    imp, _ = real_import
    ind = imp.indicators
    assert {"BLR", "NGA"} <= set(ind["iso3"])
    summary = country_summary(ind).set_index(["iso3", "indicator"])
    nga = summary.loc[("NGA", "Detected trafficking victims")]
    assert (nga["latest_year"], nga["latest_value"]) == (2021, 1470.0)
    assert not ind.loc[ind["suppressed"], "value"].notna().any()


@pytest.mark.parametrize("ref", ["A1:B2", "A1:XFD1048576"])
def test_xlsx_rows_are_counted_whatever_the_sheets_size_tag_says(tmp_path, member_states, ref):
    import re
    import zipfile

    source = FIXTURES / "glotip_small.xlsx"
    with zipfile.ZipFile(source) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = next(n for n in parts if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n))
    xml = parts[sheet].decode("utf-8")
    xml = re.sub(r"<dimension ref=\"[^\"]*\"/>", "", xml)
    parts[sheet] = xml.replace("<sheetData>", f'<dimension ref="{ref}"/><sheetData>', 1).encode()
    patched = tmp_path / "glotip_small.xlsx"
    with zipfile.ZipFile(patched, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    imp = read_glotip(patched, member_states)
    assert imp.summary.rows_read == read_glotip(source, member_states).summary.rows_read == 16


def test_formula_like_values_are_protected_in_indicators_csv_and_read_back(tmp_path, member_states):
    hostile = "=cmd|' /C calc'!A0"
    text = (
        fixture_text()
        .replace("by form of exploitation,Forced labour", f'by form of exploitation,"{hostile}"', 1)
        .replace("Total,Total,Total,2019", "Total,@SUM(A1),Total,2019", 1)
    )
    imp = read_glotip(write_csv(tmp_path / "export.csv", text), member_states)
    target = tmp_path / "indicators.csv"
    write_indicators(imp, target)
    written = target.read_text(encoding="utf-8")
    assert "'=cmd|" in written and "'@SUM(A1)" in written
    assert ",=" not in written and ",@" not in written
    loaded = load_indicators(target)
    assert hostile in set(loaded["category"]) and "@SUM(A1)" in set(loaded["sex"])
    write_indicators(imp, target)
    assert target.read_text(encoding="utf-8") == written
