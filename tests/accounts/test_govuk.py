"""The GOV.UK markup written in Python (tellonce/govuk.py): labels, hints, errors and the
aria links between them, the values a user typed, and paging and sorting links."""

from __future__ import annotations

from html.parser import HTMLParser

from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict

from tellonce import dates, govuk
from tellonce.listing import Listing, SortOption
from tellonce.people.forms import DateInput


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of a piece of HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> dict[str, str | None]:
        (found,) = [a for _, a in self.tags if a.get("id") == element_id]
        return found


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the birth certificate")
    born = DateInput(kind=dates.DATE_OF_BIRTH, label="Date of birth", required=False)
    need = forms.ChoiceField(
        label="Need", choices=[("", "Any"), ("asd", "Autism"), ("sl", "Speech")]
    )
    story = forms.CharField(label="Story", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    secret = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)


def test_text_input_is_labelled_and_described_by_its_hint_and_error() -> None:
    form = SampleForm({"name": ""})
    form.is_valid()
    page = Elements(
        govuk.field(form["name"], input_class="govuk-input--width-10", spellcheck_off=True)
    )
    (label,) = page.find("label")
    field = page.by_id(label["for"] or "")
    assert "govuk-input--error" in (field["class"] or "")
    assert "govuk-input--width-10" in (field["class"] or "")
    assert field["spellcheck"] == "false"
    described = (field["aria-describedby"] or "").split()
    assert len(described) == 2
    assert all(page.by_id(i) for i in described)
    assert "This field is required." in "".join(page.text)
    assert page.find("div", **{"class": "govuk-form-group govuk-form-group--error"})


def test_values_typed_are_shown_again_escaped() -> None:
    form = SampleForm({"name": '<b>"Kofi"</b>', "story": "I like <trains>"})
    name_html = govuk.field(form["name"])
    assert "<b>" not in name_html
    assert Elements(name_html).find("input")[0]["value"] == '<b>"Kofi"</b>'
    story = Elements(govuk.field(form["story"]))
    assert story.find("textarea", rows="4")
    assert "I like <trains>" in "".join(story.text)


def test_password_is_never_written_back() -> None:
    form = SampleForm({"name": "x", "secret": "hunter2"})
    html = govuk.field(form["secret"])
    assert "hunter2" not in html
    assert Elements(html).find("input", type="password")


def test_select_marks_the_chosen_option_only() -> None:
    form = SampleForm({"name": "x", "need": "sl"})
    page = Elements(govuk.field(form["need"]))
    options = page.find("option")
    assert [o["value"] for o in options] == ["", "asd", "sl"]
    assert [o["value"] for o in options if "selected" in o] == ["sl"]
    unchosen = Elements(govuk.field(SampleForm()["need"]))
    assert not [o for o in unchosen.find("option") if "selected" in o]


def test_date_input_keeps_what_was_typed_and_points_errors_at_the_day() -> None:
    form = SampleForm({"name": "x", "born_0": "31", "born_1": "2", "born_2": "2015"})
    assert not form.is_valid()
    page = Elements(govuk.field(form["born"]))
    values = [page.by_id(f"id_born_{i}")["value"] for i in range(3)]
    assert values == ["31", "2", "2015"]
    fieldset = page.find("fieldset")[0]
    described = (fieldset["aria-describedby"] or "").split()
    assert {"id_born-hint", "id_born-error"} == set(described)
    summary = Elements(govuk.error_summary(form))
    assert "#id_born_0" in [a["href"] for a in summary.find("a")]


def test_error_summary_is_empty_without_errors() -> None:
    form = SampleForm({"name": "Kofi", "need": "asd"})
    assert form.is_valid(), form.errors
    assert govuk.error_summary(form) == ""


def _listing(count: int, number: str, query: str = "") -> Listing:
    request_query = QueryDict(query)
    page = Paginator(list(range(count)), 10).get_page(number)
    options = [
        SortOption("name", "Name (A to Z)", ("name",)),
        SortOption("new", "Newest", ("-at",)),
    ]
    return Listing(page=page, sort="name", sort_options=options, query=request_query)


def test_sort_links_keep_the_search_and_drop_the_page() -> None:
    page = Elements(govuk.sort_links(_listing(95, "3", "q=autism&page=3")))
    (link,) = page.find("a")
    assert link["href"] == "?q=autism&sort=new"
    text = " ".join("".join(page.text).split())
    assert "Showing 21 to 30 of 95" in text
    thousands = " ".join("".join(Elements(govuk.sort_links(_listing(1480, "101"))).text).split())
    assert "Showing 1,001 to 1,010 of 1,480" in thousands


def test_pagination_marks_current_page_and_elides_the_middle() -> None:
    page = Elements(govuk.pagination(_listing(200, "10", "q=x")))
    current = page.find("a", **{"aria-current": "page"})
    assert [c["aria-label"] for c in current] == ["Page 10"]
    labels = [a.get("aria-label") for a in page.find("a") if a.get("aria-label")]
    assert labels == ["Page 1", "Page 9", "Page 10", "Page 11", "Page 20"]
    assert (
        len(page.find("li", **{"class": "govuk-pagination__item govuk-pagination__item--ellipses"}))
        == 2
    )
    assert page.find("a", rel="prev")[0]["href"] == "?q=x&page=9"
    assert page.find("a", rel="next")[0]["href"] == "?q=x&page=11"


def test_no_pagination_for_a_single_page() -> None:
    assert govuk.pagination(_listing(7, "1")) == ""
