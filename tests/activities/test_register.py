"""The local knowledge and disruption register: the list and its filters, adding, editing,
closing and reopening entries, the downloads, and the overview's high-impact list."""

import csv
import io
import re

import pytest
from django.template import engines
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import LocalKnowledge
from tests.factories import (
    LocalKnowledgeFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)

K = "/programmes/virtual-wards/local-knowledge/"
VALID = {
    "title": "Night handover is by phone only",
    "kind": "routines",
    "impact": "high",
    "description": "Nurses phone the ward at 8pm.",
    "mitigation": "Add the virtual ward to the handover sheet.",
}
SCRIPT = "Fine <script>alert('x')</script> **bold** <img src=x onerror=alert(1)>"
FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(1+1)"]


@pytest.fixture
def leeds(programme):
    """An organisation of the programme: one of its participants works there."""
    organisation = OrganisationFactory(name="Leeds Teaching Hospitals")
    ParticipantFactory(programme=programme, organisation=organisation, name="Ade Okafor")
    return organisation


@pytest.fixture
def owner(programme, leeds):
    return ParticipantFactory(programme=programme, organisation=leeds, name="Priya Ramanathan")


@pytest.fixture
def register(programme, leeds, owner):
    """Three open entries of each impact, given out of order, and one closed."""
    return {
        "low": LocalKnowledgeFactory(
            programme=programme, title="A low one", impact="low", kind="customs"
        ),
        "high": LocalKnowledgeFactory(
            programme=programme,
            title="Z high one",
            impact="high",
            kind="it_data",
            site=leeds,
            owner=owner,
        ),
        "medium": LocalKnowledgeFactory(
            programme=programme, title="M medium one", impact="medium", kind="workforce"
        ),
        "closed": LocalKnowledgeFactory(
            programme=programme, title="Closed one", impact="high", status="closed"
        ),
    }


def _titles(response) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong>\s*(?:<details|</td>)", response.content.decode())


# The list ---------------------------------------------------------------------------------------


def test_open_entries_show_high_impact_first_then_medium_then_low(as_user, register, member):
    response = as_user(member).get(K)
    assert response.status_code == 200
    assert _titles(response) == ["Z high one", "M medium one", "A low one"]
    body = response.content.decode()
    assert "3 open entries." in body
    assert "<caption" in body
    assert "Leeds Teaching Hospitals" in body
    assert "Priya Ramanathan" in body
    assert "Whole programme" in body


def test_the_intro_says_what_belongs_in_the_register(as_user, register, member):
    body = as_user(member).get(K).content.decode()
    for words in ("routines and workflows", "local history", "values and beliefs", "customs"):
        assert words in body


def test_a_member_sees_no_controls(as_user, register, member, facilitator):
    for user in (member, facilitator):
        body = as_user(user).get(K).content.decode()
        assert "Add an entry" not in body
        assert "/edit/" not in body
        assert "/close/" not in body


def test_a_lead_sees_add_edit_and_close_controls(as_user, register, lead):
    body = as_user(lead).get(K).content.decode()
    entry = register["high"]
    assert f'href="{K}new/"' in body
    assert f'href="{K}{entry.pk}/edit/"' in body
    assert f'action="{K}{entry.pk}/close/"' in body
    assert f'hx-post="{K}{entry.pk}/close/"' in body
    assert f'<input type="hidden" name="next" value="{K}?status=open">' in body


def test_closed_entries_show_on_asking_and_can_be_reopened(as_user, register, lead):
    response = as_user(lead).get(K + "?status=closed")
    assert _titles(response) == ["Closed one"]
    assert f'action="{K}{register["closed"].pk}/reopen/"' in response.content.decode()
    everything = as_user(lead).get(K + "?status=all")
    assert _titles(everything) == ["Z high one", "M medium one", "A low one", "Closed one"]


def test_filters_by_kind_site_and_impact(as_user, register, member, leeds):
    client = as_user(member)
    assert _titles(client.get(K + "?kind=workforce")) == ["M medium one"]
    assert _titles(client.get(K + f"?site={leeds.pk}")) == ["Z high one"]
    assert _titles(client.get(K + "?site=whole")) == ["M medium one", "A low one"]
    assert _titles(client.get(K + "?impact=low")) == ["A low one"]
    assert _titles(client.get(K + "?impact=high&status=all")) == ["Z high one", "Closed one"]
    body = client.get(K + "?impact=medium&kind=customs").content.decode()
    assert "No entry matches these filters" in body


def test_the_site_filter_offers_only_the_programmes_organisations(as_user, register, member):
    OrganisationFactory(name="Somewhere Else Trust")
    body = as_user(member).get(K).content.decode()
    assert "Leeds Teaching Hospitals</option>" in body
    assert "Somewhere Else Trust" not in body
    assert '<option value="whole">Whole programme</option>' in body


@pytest.mark.parametrize(
    "query",
    [
        "?kind=gossip",
        "?impact=catastrophic",
        "?status=deleted",
        "?site=abc",
        "?site=999999",
        "?kind=&impact=&site=",
        "?kind=%00",
    ],
)
def test_unknown_filter_values_are_ignored(as_user, register, member, query):
    response = as_user(member).get(K + query)
    assert response.status_code == 200
    assert _titles(response) == ["Z high one", "M medium one", "A low one"]
    assert "There is a problem" not in response.content.decode()


def test_a_site_of_another_programme_filters_to_nothing_shown_from_it(as_user, register, member):
    elsewhere = LocalKnowledgeFactory(site=OrganisationFactory(), title="Not ours")
    response = as_user(member).get(K + f"?site={elsewhere.site_id}&status=all")
    assert "Not ours" not in response.content.decode()
    assert len(_titles(response)) == 4  # the unknown site is ignored


def test_another_programmes_entries_never_show(as_user, register, member):
    LocalKnowledgeFactory(programme=ProgrammeFactory(), title="Theirs", impact="high")
    assert "Theirs" not in as_user(member).get(K + "?status=all").content.decode()


def test_downloads_carry_the_filters(as_user, register, member):
    body = as_user(member).get(K + "?impact=high&kind=gossip").content.decode()
    assert f'href="{K}export.csv?impact=high&amp;status=open"' in body
    assert f'href="{K}export.xlsx?impact=high&amp;status=open"' in body


def test_markdown_is_rendered_without_script_in_the_list(as_user, programme, member):
    LocalKnowledgeFactory(programme=programme, description=SCRIPT, mitigation=SCRIPT)
    body = as_user(member).get(K).content.decode()
    assert "<strong>bold</strong>" in body
    assert "<script>alert" not in body
    assert "onerror" not in body


def test_an_empty_register_says_so(as_user, programme, lead):
    body = as_user(lead).get(K).content.decode()
    assert "The register has no open entries." in body
    assert "<table" not in body


# Adding -----------------------------------------------------------------------------------------


def test_a_lead_adds_an_entry(as_user, programme, lead, leeds, owner):
    data = {**VALID, "site": str(leeds.pk), "owner": str(owner.pk)}
    response = as_user(lead).post(K + "new/", data)
    assert response.status_code == 302
    assert response.headers["Location"] == K
    entry = LocalKnowledge.objects.get()
    assert (entry.programme, entry.site, entry.owner) == (programme, leeds, owner)
    assert entry.created_by == lead
    assert entry.status == "open"
    assert entry.history.count() == 1
    page = as_user(lead).get(K).content.decode()
    assert "“Night handover is by phone only” added to the register." in page


def test_an_entry_for_the_whole_programme_has_no_site(as_user, programme, lead):
    as_user(lead).post(K + "new/", {**VALID, "site": "", "owner": ""})
    entry = LocalKnowledge.objects.get()
    assert entry.site is None
    assert entry.owner is None


def test_the_add_form_offers_the_programmes_sites_and_people(as_user, lead, leeds, owner):
    OrganisationFactory(name="Somewhere Else Trust")
    ParticipantFactory(programme=ProgrammeFactory(), name="Someone Elsewhere")
    body = as_user(lead).get(K + "new/").content.decode()
    assert "<h1>Add an entry</h1>" in body
    assert '<option value="">Whole programme</option>' in body
    assert f'<option value="{leeds.pk}">Leeds Teaching Hospitals</option>' in body
    assert f'<option value="{owner.pk}">Priya Ramanathan</option>' in body
    assert "Somewhere Else Trust" not in body
    assert "Someone Elsewhere" not in body


def test_an_empty_entry_is_explained(as_user, programme, lead):
    response = as_user(lead).post(K + "new/", {})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert 'href="#id_title"' in body
    assert 'id="id_kind"' in body
    assert "Choose what kind of local knowledge this is" in body
    assert "Choose how much impact this is likely to have" in body
    assert "<title>Error: Add an entry" in body
    assert not LocalKnowledge.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "T" * 201}, "Title must be 200 characters or fewer"),
        ({"description": "d" * 10_001}, "Keep this to 10,000 characters or fewer"),
        ({"mitigation": "m" * 10_001}, "Keep this to 10,000 characters or fewer"),
        ({"kind": "gossip"}, "Choose a kind from the list"),
        ({"impact": "catastrophic"}, "Choose low, medium or high"),
        ({"site": "abc"}, "That site was not found in this programme"),
        ({"owner": "abc"}, "That person was not found in this programme"),
    ],
)
def test_bad_input_is_explained_and_kept(as_user, lead, change, message):
    data = {**VALID, **change}
    response = as_user(lead).post(K + "new/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    for typed in ("title", "description", "mitigation"):
        assert data[typed] in body
    assert not LocalKnowledge.objects.exists()


def test_a_site_or_owner_from_elsewhere_is_not_found(as_user, programme, lead):
    stranger = ParticipantFactory(programme=ProgrammeFactory())
    data = {**VALID, "site": str(stranger.organisation_id), "owner": str(stranger.pk)}
    body = as_user(lead).post(K + "new/", data).content.decode()
    assert "That site was not found in this programme" in body
    assert "That person was not found in this programme" in body
    assert 'value="Night handover is by phone only"' in body
    assert not LocalKnowledge.objects.exists()


def test_markdown_with_script_is_kept_as_typed_and_shown_safely(as_user, programme, lead, member):
    as_user(lead).post(K + "new/", {**VALID, "description": SCRIPT})
    entry = LocalKnowledge.objects.get()
    assert entry.description == SCRIPT
    body = as_user(member).get(K).content.decode()
    assert "<script>alert" not in body
    assert "<strong>bold</strong>" in body


# Editing ----------------------------------------------------------------------------------------


@pytest.fixture
def entry(programme, lead):
    return LocalKnowledgeFactory(
        programme=programme, title="Estates work on ward 5", kind="estates", created_by=lead
    )


def _edit_data(entry, **change):
    """The edit form as opened now, at the entry's current version."""
    return {
        "title": entry.title,
        "kind": entry.kind,
        "impact": entry.impact,
        "description": entry.description,
        "mitigation": entry.mitigation,
        "site": "",
        "owner": "",
        "status": entry.status,
        "version": str(entry.version),
        **change,
    }


def test_the_edit_page_says_who_changed_it_last(as_user, entry, lead):
    entry.title = "Estates work on wards 5 and 6"
    entry._history_user = lead
    entry.save()
    body = as_user(lead).get(f"{K}{entry.pk}/edit/").content.decode()
    assert "<h1>Edit an entry</h1>" in body
    assert "Raised by Lead Person on" in body
    assert "Last changed by Lead Person on" in body
    assert 'value="Estates work on wards 5 and 6"' in body
    assert 'name="status"' in body


def test_a_lead_edits_an_entry(as_user, entry, lead, leeds, owner):
    before = entry.updated_at
    data = _edit_data(entry, title="Ward 5 closes in May", site=str(leeds.pk), owner=str(owner.pk))
    response = as_user(lead).post(f"{K}{entry.pk}/edit/", data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.site, entry.owner) == ("Ward 5 closes in May", leeds, owner)
    assert entry.updated_at > before
    latest = entry.history.order_by("-history_id").first()
    assert latest.history_user == lead
    assert entry.history.count() == 2


def test_an_entrys_site_stays_choosable_after_its_people_leave(as_user, entry, lead):
    former = OrganisationFactory(name="Former Site Trust")
    entry.site = former
    entry.save()
    body = as_user(lead).get(f"{K}{entry.pk}/edit/").content.decode()
    assert f'<option value="{former.pk}" selected>Former Site Trust</option>' in body
    response = as_user(lead).post(f"{K}{entry.pk}/edit/", _edit_data(entry, site=str(former.pk)))
    assert response.status_code == 302


def test_closing_on_the_edit_form_records_when(as_user, entry, lead):
    as_user(lead).post(f"{K}{entry.pk}/edit/", _edit_data(entry, status="closed"))
    entry.refresh_from_db()
    assert entry.status == "closed"
    assert entry.closed_at is not None
    as_user(lead).post(f"{K}{entry.pk}/edit/", _edit_data(entry, status="open"))
    entry.refresh_from_db()
    assert entry.status == "open"
    assert entry.closed_at is None


def test_an_unknown_status_is_explained(as_user, entry, lead):
    response = as_user(lead).post(f"{K}{entry.pk}/edit/", _edit_data(entry, status="binned"))
    assert response.status_code == 400
    assert "Choose open or closed" in response.content.decode()


def test_bad_edits_are_explained_and_kept(as_user, entry, lead):
    data = _edit_data(entry, title="", mitigation="Keep my words", owner="999999")
    response = as_user(lead).post(f"{K}{entry.pk}/edit/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a title" in body
    assert "That person was not found in this programme" in body
    assert "Keep my words" in body
    entry.refresh_from_db()
    assert entry.title == "Estates work on ward 5"


def test_a_save_after_someone_elses_is_a_conflict_that_keeps_the_text(as_user, entry, lead):
    stale = _edit_data(entry, mitigation="My careful plan")
    first = as_user(lead).post(f"{K}{entry.pk}/edit/", _edit_data(entry, mitigation="Theirs"))
    assert first.status_code == 302
    # A second lead, with the form opened at the same version.
    other = UserFactory(name="Second Lead")
    MembershipFactory(programme=entry.programme, user=other, role="lead")
    response = as_user(other).post(f"{K}{entry.pk}/edit/", stale)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this entry while you were editing it" in body
    assert "Lead Person saved it" in body
    assert '<div class="convening-conflict">Theirs</div>' in body  # what they saved
    assert ">My careful plan</textarea>" in body  # what this lead typed, still in the form
    entry.refresh_from_db()
    assert entry.mitigation == "Theirs"
    # Saving again, having seen the conflict, replaces the other version.
    assert f'name="version" value="{entry.version}"' in body
    again = as_user(other).post(f"{K}{entry.pk}/edit/", {**stale, "version": str(entry.version)})
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.mitigation == "My careful plan"


def test_a_close_counts_as_a_change_for_the_editor(as_user, entry, lead):
    stale = _edit_data(entry)
    entry.close()
    response = as_user(lead).post(f"{K}{entry.pk}/edit/", stale)
    assert response.status_code == 409
    body = re.sub(r"\s+", " ", response.content.decode())
    assert (
        '<h3 class="nhsuk-heading-s">Status</h3> <div class="convening-conflict">Closed</div>'
        in body
    )
    entry.refresh_from_db()
    assert entry.status == "closed"


def test_a_form_without_its_version_is_treated_as_out_of_date(as_user, entry, lead):
    data = _edit_data(entry, title="Unseen")
    del data["version"]
    assert as_user(lead).post(f"{K}{entry.pk}/edit/", data).status_code == 409
    entry.refresh_from_db()
    assert entry.title == "Estates work on ward 5"


# Closing and reopening --------------------------------------------------------------------------


def test_a_plain_close_goes_back_to_the_filtered_register(as_user, register, lead):
    entry = register["high"]
    back = K + "?impact=high&status=open"
    response = as_user(lead).post(f"{K}{entry.pk}/close/", {"next": back})
    assert response.status_code == 302
    assert response.headers["Location"] == back
    entry.refresh_from_db()
    assert entry.status == "closed"
    assert entry.closed_at is not None
    page = as_user(lead).get(back).content.decode()
    assert "“Z high one” closed." in page


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/programmes/virtual-wards/local-knowledge/",
        "//evil.example/programmes/virtual-wards/local-knowledge/",
        "/programmes/virtual-wards/spaces/",
        "/programmes/another/local-knowledge/",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_close_never_sends_anywhere_but_the_register(as_user, register, lead, next_url):
    response = as_user(lead).post(f"{K}{register['low'].pk}/close/", {"next": next_url})
    assert response.headers["Location"] == K


def test_a_plain_reopen(as_user, register, lead):
    entry = register["closed"]
    response = as_user(lead).post(f"{K}{entry.pk}/reopen/", {"next": K + "?status=closed"})
    assert response.headers["Location"] == K + "?status=closed"
    entry.refresh_from_db()
    assert entry.status == "open"
    assert entry.closed_at is None


def test_an_htmx_close_swaps_the_table_and_announces_it(as_user, register, lead):
    entry = register["medium"]
    response = as_user(lead).post(
        f"{K}{entry.pk}/close/",
        {"next": K + "?status=open"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="register"' in body
    assert (
        '<p id="register-notice" hx-swap-oob="innerHTML">“M medium one” closed. 2 open entries.</p>'
        in body
    )
    assert _titles(response) == ["Z high one", "A low one"]
    assert "#register-heading" in response.headers["HX-Trigger-After-Settle"]
    # The table's forms still send people back to the register with its filters.
    assert f'<input type="hidden" name="next" value="{K}?status=open">' in body


def test_an_htmx_reopen_keeps_the_filters_of_the_page(as_user, register, lead):
    entry = register["closed"]
    response = as_user(lead).post(
        f"{K}{entry.pk}/reopen/",
        {"next": K + "?status=all&impact=high"},
        headers={"HX-Request": "true"},
    )
    assert _titles(response) == ["Closed one", "Z high one"]
    assert "“Closed one” reopened. 2 entries match the filters." in response.content.decode()


# Downloads --------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))


def test_the_csv_download_has_every_column(as_user, register, member):
    response = as_user(member).get(K + "export.csv?status=all")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="virtual-wards-local-knowledge.csv"' in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == [
        "Title",
        "Site",
        "Kind",
        "Likely impact",
        "Description",
        "Mitigation",
        "Owner",
        "Status",
        "Raised",
        "Last updated",
    ]
    assert [row[0] for row in rows[1:]] == ["Z high one", "M medium one", "A low one", "Closed one"]
    high = rows[1]
    assert high[1:4] == ["Leeds Teaching Hospitals", "IT and data", "High"]
    assert high[6:8] == ["Priya Ramanathan", "Open"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", high[8])
    assert rows[2][1] == "Whole programme"


def test_the_download_honours_the_filters(as_user, register, member):
    rows = _csv_rows(as_user(member).get(K + "export.csv?impact=high"))
    assert [row[0] for row in rows[1:]] == ["Z high one"]
    rows = _csv_rows(as_user(member).get(K + "export.csv?kind=gossip"))
    assert [row[0] for row in rows[1:]] == ["Z high one", "M medium one", "A low one"]


def test_the_csv_download_neutralises_formulas(as_user, programme, member):
    LocalKnowledgeFactory(
        programme=programme, title=FORMULAS[0], description=FORMULAS[1], mitigation="-1+1"
    )
    row = _csv_rows(as_user(member).get(K + "export.csv"))[1]
    assert row[0] == "'" + FORMULAS[0]
    assert row[4] == "'" + FORMULAS[1]
    assert row[5] == "'-1+1"


def test_the_xlsx_download_writes_formulas_as_text(as_user, programme, member, leeds):
    LocalKnowledgeFactory(
        programme=programme, title=FORMULAS[0], description=FORMULAS[1], site=leeds
    )
    response = as_user(member).get(K + "export.xlsx")
    assert 'filename="virtual-wards-local-knowledge.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Local knowledge"
    assert [cell.value for cell in sheet[1]][:3] == ["Title", "Site", "Kind"]
    title, site, description = sheet.cell(2, 1), sheet.cell(2, 2), sheet.cell(2, 5)
    assert (title.value, title.data_type) == (FORMULAS[0], "s")
    assert (description.value, description.data_type) == (FORMULAS[1], "s")
    assert site.value == "Leeds Teaching Hospitals"
    assert sheet.cell(2, 9).value.date() == timezone.localdate()


# The overview's list of high-impact entries -------------------------------------------------------


def _render_high_impact(programme, entries) -> str:
    template = engines["jinja2"].env.from_string(
        '{% from "activities/knowledge_macros.jinja" import high_impact_list %}'
        "{{ high_impact_list(programme, entries) }}"
    )
    return template.render(programme=programme, entries=entries)


def test_the_high_impact_list_links_a_lead_to_the_edit_page(register, programme):
    programme.my_role = "lead"
    entries = list(LocalKnowledge.objects.for_programme(programme).open().high_impact())
    html = _render_high_impact(programme, entries)
    entry = register["high"]
    assert f'<a href="{K}{entry.pk}/edit/">Z high one</a>' in html
    assert "Leeds Teaching Hospitals · IT and data · Owner: Priya Ramanathan" in html


def test_the_high_impact_list_links_others_to_the_row_in_the_register(register, programme):
    programme.my_role = "member"
    html = _render_high_impact(programme, [register["high"], register["medium"]])
    assert f'<a href="{K}#entry-{register["high"].pk}">Z high one</a>' in html
    assert "Whole programme · Workforce · No owner yet" in html


def test_the_register_shows_50_entries_a_page_and_pages_keep_the_filters(as_user, programme, lead):
    for number in range(55):
        LocalKnowledgeFactory(programme=programme, title=f"Entry {number:02}", impact="high")
    client = as_user(lead)
    first = client.get(K + "?impact=high")
    assert len(_titles(first)) == 50
    body = first.content.decode()
    assert "Showing 1 to 50 of 55." in body
    assert re.search(r'href="[^"]*\?[^"]*impact=high[^"]*&amp;page=2"', body)
    second = client.get(K + "?impact=high&page=2")
    assert _titles(second) == [f"Entry {number:02}" for number in range(50, 55)]
    # Closing from page 2 comes back to page 2, filters kept.
    entry = LocalKnowledge.objects.get(title="Entry 52")
    here = re.search(r'name="next" value="([^"]+)"', second.content.decode()).group(1)
    assert "page=2" in here
    assert "impact=high" in here
    response = client.post(f"{K}{entry.pk}/close/", {"next": here.replace("&amp;", "&")})
    assert response.status_code == 302
    assert "page=2" in response.headers["Location"]


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1"])
def test_a_bad_page_number_shows_a_page_not_an_error(as_user, programme, lead, page):
    LocalKnowledgeFactory(programme=programme, title="Only entry")
    response = as_user(lead).get(K + f"?page={page}")
    assert response.status_code == 200
    assert _titles(response) == ["Only entry"]
