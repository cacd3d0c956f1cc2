"""Leads agree the shared understanding; everyone in the programme reads the same words."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

P = "/programmes/virtual-wards"
EDIT = P + "/understanding/edit/"
HISTORY = P + "/understanding/history/"
WORDS = {
    "problem": "Too many frail people are **admitted** because nobody can see them at home.",
    "priority": "Winter is coming.",
    "value": "Fewer admissions, more time at home.",
    "shared_purpose": "Care at home when home is the right place.",
    "agreed_on_day": "3",
    "agreed_on_month": "11",
    "agreed_on_year": "2026",
    "understanding_agreed_by": "The programme board",
}


def _hidden_version(html: str) -> str:
    found = re.search(r'name="version" value="(\d*)"', html)
    return found.group(1) if found else ""


def _version(client) -> str:
    return _hidden_version(client.get(EDIT).content.decode())


def test_a_lead_saves_the_shared_understanding_and_everyone_reads_it(
    as_user, programme, lead, member
):
    client = as_user(lead)
    response = client.post(EDIT, {**WORDS, "version": _version(client)})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.shared_purpose == WORDS["shared_purpose"]
    assert str(programme.understanding_agreed_on) == "2026-11-03"
    assert programme.understanding_agreed_by == "The programme board"

    page = as_user(member).get(P + "/").content.decode()
    assert "Care at home when home is the right place." in page
    assert "<strong>admitted</strong>" in page
    assert "3 November 2026" in page
    assert "The programme board" in page


def test_the_edit_form_is_prefilled_with_the_current_words(as_user, programme, lead):
    programme.problem = "Long waits"
    programme.save()
    response = as_user(lead).get(EDIT)
    assert "Long waits" in response.content.decode()


def test_script_in_the_markdown_never_reaches_the_page(as_user, programme, lead, member):
    client = as_user(lead)
    evil = {**WORDS, "problem": "Hello <script>alert(1)</script><img src=x onerror=alert(2)>"}
    client.post(EDIT, {**evil, "version": _version(client)})
    for page in (as_user(member).get(P + "/"), as_user(member).get(HISTORY)):
        html = page.content.decode()
        assert "<script>alert(1)" not in html
        assert "onerror" not in html


def test_text_over_the_limit_is_refused_and_nothing_typed_is_lost(as_user, programme, lead):
    client = as_user(lead)
    response = client.post(EDIT, {**WORDS, "problem": "x" * 10_001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep this to 10000 characters or fewer" in html
    assert WORDS["shared_purpose"] in html
    programme.refresh_from_db()
    assert programme.shared_purpose == ""


def test_a_date_that_does_not_exist_is_refused_with_a_clear_message(as_user, programme, lead):
    response = as_user(lead).post(EDIT, {**WORDS, "agreed_on_day": "31", "agreed_on_month": "2"})
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()


def test_a_second_lead_saving_meanwhile_gets_a_conflict_and_keeps_their_text(
    client, programme, lead
):
    other = UserFactory(name="Other Lead")
    MembershipFactory(programme=programme, user=other, role="lead")
    client.force_login(lead)
    stale = _version(client)
    assert stale == str(programme.version)
    client.force_login(other)
    client.post(EDIT, {**WORDS, "shared_purpose": "Theirs", "version": _version(client)})
    client.force_login(lead)
    response = client.post(EDIT, {**WORDS, "shared_purpose": "Mine", "version": stale})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this shared understanding while you were editing it" in html
    assert "Other Lead saved it" in html
    assert '<div class="convening-conflict">Theirs</div>' in html  # what they saved
    assert ">Mine</textarea>" in html  # what this lead typed, still in the form
    programme.refresh_from_db()
    assert programme.shared_purpose == "Theirs"
    # Saving again from the conflict page keeps the lead's version, on purpose.
    again = _hidden_version(html)
    assert again == str(programme.version)
    assert (
        client.post(EDIT, {**WORDS, "shared_purpose": "Mine", "version": again}).status_code == 302
    )
    programme.refresh_from_db()
    assert programme.shared_purpose == "Mine"


def test_a_form_without_its_version_is_treated_as_out_of_date(as_user, programme, lead):
    response = as_user(lead).post(EDIT, WORDS)
    assert response.status_code == 409
    programme.refresh_from_db()
    assert programme.shared_purpose == ""


def _details(programme, version: str, **changes) -> dict:
    return {
        "name": programme.name,
        "summary": programme.summary,
        "status": programme.status,
        "hub_visibility": programme.hub_visibility,
        "version": version,
        **changes,
    }


def test_a_save_of_the_programme_details_meanwhile_is_not_a_conflict(as_user, programme, lead):
    client = as_user(lead)
    opened_at = _version(client)
    details = client.post(P + "/edit/", _details(programme, opened_at, name="Virtual wards 2"))
    assert details.status_code == 302

    response = client.post(EDIT, {**WORDS, "version": opened_at})

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Virtual wards 2"
    assert programme.shared_purpose == WORDS["shared_purpose"]
    assert programme.version == int(opened_at) + 2


def test_a_save_of_the_understanding_meanwhile_does_not_stop_the_details_form(
    as_user, programme, lead
):
    client = as_user(lead)
    opened_at = str(programme.version)
    assert client.post(EDIT, {**WORDS, "version": opened_at}).status_code == 302

    response = client.post(P + "/edit/", _details(programme, opened_at, status="sustaining"))

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.status == "sustaining"
    assert programme.shared_purpose == WORDS["shared_purpose"]


def test_the_history_shows_each_change_with_who_and_the_words(as_user, programme, lead):
    client = as_user(lead)
    client.post(EDIT, {**WORDS, "shared_purpose": "First words", "version": _version(client)})
    client.post(EDIT, {**WORDS, "shared_purpose": "Second words", "version": _version(client)})
    programme.name = "Renamed"  # a change to other fields is not part of this history
    programme.save()
    html = client.get(HISTORY).content.decode()
    assert html.index("Second words") < html.index("First words")
    assert html.count("by Lead Person") == 2


def test_the_history_shows_words_a_programme_was_created_with(as_user, member):
    written = ProgrammeFactory(slug="written", shared_purpose="Home first, from the start.")
    MembershipFactory(programme=written, user=member, role="member")
    written.name = "Written, renamed"  # not a change to the shared understanding
    written.save()

    html = as_user(member).get("/programmes/written/understanding/history/").content.decode()

    assert "Home first, from the start." in html
    assert html.count('class="convening-history-entry"') == 1


@pytest.mark.parametrize("url", [EDIT, HISTORY])
def test_the_pages_run_the_same_queries_however_long_the_history(as_user, programme, lead, url):
    client = as_user(lead)

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for number in range(3):
        programme.shared_purpose = f"Purpose {number}"
        programme.save()
    small = count()
    for number in range(60):
        programme.shared_purpose = f"Purpose {number}"
        programme.save()
    assert count() == small
