"""The stamp of every page: status, date from the inputs, version, print furniture."""

from __future__ import annotations

from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from reviewlib.brief.blocks import meta
from reviewlib.brief.export import to_html
from reviewlib.brief.stamp import Stamp, css_string, dated


def test_the_date_comes_from_the_input_never_the_clock():
    assert dated("2017-08-14") == "Dated 14 August 2017"
    assert dated("") == "" and dated("unknown") == ""


def test_css_strings_cannot_break_out_of_the_style_element():
    text = 'Draft "A" \\ </style><script>alert(1)</script>\nnext'
    literal = css_string(text)
    assert literal.startswith('"') and literal.endswith('"')
    inner = literal[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner and "\n" not in inner
    assert "\\22 A\\22 " in inner and "\\5c " in inner and "\\a next" in inner


def test_print_furniture_names_title_status_date_version_and_page_numbers():
    css = Stamp(
        "GPA review 2017", "Advance unedited draft", "2017-08-14", "0123456789abcdef"
    ).page_css()
    assert '@top-left { content: "GPA review 2017"; }' in css
    assert '@top-right { content: "Advance unedited draft"; }' in css
    assert "Dated 14 August 2017 · Version " in css and "inputs 0123456789ab" in css
    assert 'counter(page) " of " counter(pages)' in css


def _page(status: str) -> BeautifulSoup:
    bundle = meta(
        title="Belarus",
        review_title="High-level review 2017",
        short_title="GPA review 2017",
        parameters={"country": "BLR"},
        digest="0123456789abcdef",
        latest_input="2017-08-14",
        illustrative=True,
        illustrative_note="Sample data only.",
        word_budget=800,
        status=status,
    )
    cell = new_code_cell(
        "header",
        outputs=[new_output("display_data", data=bundle._repr_mimebundle_())],
    )
    nb = new_notebook(cells=[cell, new_markdown_cell("## Findings")])
    return BeautifulSoup(to_html(nb), "lxml")


def test_every_brief_is_stamped_and_links_back_to_the_index():
    soup = _page("Advance unedited draft — for information")
    stamp = soup.select_one("header .stamp")
    text = " ".join(stamp.get_text().split())
    assert text.startswith("Advance unedited draft — for information · Dated 14 August 2017")
    assert "Version " in text and "inputs 0123456789ab" in text
    assert stamp.select_one('a[href="../index.html"]').get_text() == "All briefs"
    assert soup.select_one("header .banner")  # banners inside the page's banner landmark
    assert "@bottom-right" in soup.style.get_text()


def test_a_hostile_status_is_text_in_the_page_and_a_string_in_the_css():
    soup = _page("</style><script>alert(1)</script>")
    assert soup.find("script") is None
    assert "</style><script>alert(1)</script>" in soup.select_one(".stamp").get_text()
