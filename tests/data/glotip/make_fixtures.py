"""Write the small GLOTIP fixtures beside this script: the same rows as .xlsx and as .csv.

Run from anywhere: `python tests/data/glotip/make_fixtures.py`. The files are committed; rerun
only when the rows below change (tests/test_indicators.py counts on them).
"""

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = [
    "Iso3_code",
    "Country",
    "Region",
    "Subregion",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "txtVALUE",
    "Source",
]
PREAMBLE = [
    ["Trafficking in persons: detected victims, persons prosecuted and convicted"],
    ["Source: UNODC Global Report on Trafficking in Persons, data portal download"],
]
VICTIMS = "Detected trafficking victims"
TOTAL = ["Total", "Total", "Total", "Total"]
UK = "United Kingdom of Great Britain and Northern Ireland"
HK = "China, Hong Kong Special Administrative Region"
ROWS = [
    ["BLR", "Belarus", "Europe", "Eastern Europe", VICTIMS, *TOTAL, 2019, "152"],
    ["BLR", "Belarus", "Europe", "Eastern Europe", VICTIMS, *TOTAL, 2020, "1,234"],
    ["BLR", "Belarus", "Europe", "Eastern Europe", VICTIMS, *TOTAL, 2021, "<5"],
    [
        "BLR",
        "Belarus",
        "Europe",
        "Eastern Europe",
        VICTIMS,
        "by form of exploitation",
        "Forced labour",
        "Female",
        "18 years or over",
        2020,
        "<5",
    ],
    ["NGA", "Nigeria", "Africa", "Sub-Saharan Africa", "Persons convicted", *TOTAL, 2018, "12.0"],
    ["NGA", "Nigeria", "Africa", "Sub-Saharan Africa", "Persons convicted", *TOTAL, 2019, "<5"],
    ["NGA", "Nigeria", "Africa", "Sub-Saharan Africa", "Persons convicted", *TOTAL, 2020, "45"],
    [
        "CIV",
        "Côte d’Ivoire",
        "Africa",
        "Sub-Saharan Africa",
        "Persons prosecuted",
        *TOTAL,
        2020,
        "7",
    ],
    ["HKG", HK, "Asia", "Eastern Asia", VICTIMS, *TOTAL, 2019, "<5"],
    [
        "PRI",
        "Puerto Rico",
        "Americas",
        "Latin America and the Caribbean",
        VICTIMS,
        *TOTAL,
        2018,
        "9",
    ],
    ["XKX", "Kosovo under UNSCR 1244", "Europe", "Southern Europe", VICTIMS, *TOTAL, 2020, "15"],
    ["FRA", "France", "Europe", "Western Europe", "Persons prosecuted", *TOTAL, 2019, "n/a"],
    ["DEU", "Germany", "Europe", "Western Europe", "Persons convicted", *TOTAL, "20l9", "30"],
    ["", "Sark", "Europe", "Northern Europe", VICTIMS, *TOTAL, 2018, "<5"],
    ["SAM", "", "", "", VICTIMS, *TOTAL, 2020, "1,020"],
    [
        "GBR",
        UK,
        "Europe",
        "Northern Europe",
        VICTIMS,
        "by citizenship",
        "Viet Nam",
        "Total",
        "Total",
        2020,
        "<5",
    ],
]


def full(row: list) -> list:
    return [*row[:10], "Counts", row[10], "GLOTIP"]


def write_xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "data_glotip_1"
    for row in [HEADER, *map(full, ROWS)]:
        sheet.append(row)
    book.save(path)


def write_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows([*PREAMBLE, HEADER, *map(full, ROWS)])


if __name__ == "__main__":
    write_xlsx(HERE / "glotip_small.xlsx")
    write_csv(HERE / "glotip_small.csv")
