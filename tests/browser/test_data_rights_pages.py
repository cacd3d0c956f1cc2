"""The data rights pages in a real browser: a data protection officer finds a person, reads
what erasure will change and erases them; a member reads "Data we hold". Every page passes
axe-core's WCAG 2.2 A and AA rules."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from convening.models import Participant

from ..factories import AttendanceFactory, MeetingFactory, ParticipantFactory, UserFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS


@pytest.fixture
def officer(transactional_db):
    user = UserFactory(email="dpo@example.org", name="Dee Pio", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="data_protection"))
    return user


def test_an_officer_finds_and_erases_a_person(
    programme, officer, context, page, visitor, sign_in_by_cookie
):
    person = ParticipantFactory(programme=programme, name="Tomasz Nowak", email="tn@example.org")
    AttendanceFactory(meeting=MeetingFactory(space__programme=programme), participant=person)
    sign_in_by_cookie(context, officer)

    visitor.visit("/data-protection/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection requests")
    page.get_by_role("button", name="Find").click()
    visitor.after_navigation("no email given")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the email address")

    page.get_by_label("Email address").fill("TN@example.org")
    page.get_by_role("button", name="Find").click()
    visitor.after_navigation("found")
    expect(page.get_by_role("table")).to_contain_text("Attendance at meetings")

    page.get_by_role("button", name="Erase this person").click()
    visitor.after_navigation("confirmation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase TN@example.org?")
    page.get_by_role("button", name="Erase this person").click()
    visitor.after_navigation("erased")
    expect(page.get_by_text(f"Former participant {person.pk}")).to_be_visible()
    assert Participant.objects.get(pk=person.pk).email == ""
    visitor.assert_every_page_passed()


def test_data_we_hold_passes_axe_for_a_member(
    programme, member, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, member)

    visitor.visit("/programmes/virtual-wards/data-we-hold/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Data we hold")
    expect(page.get_by_text("no activity for more than 6 years")).to_be_visible()
    visitor.assert_every_page_passed()
