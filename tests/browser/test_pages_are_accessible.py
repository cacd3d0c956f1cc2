"""Every page of ours, as a lead with some data in the programme, passes axe-core's WCAG 2.2 A
and AA rules, and raises no Content-Security-Policy violation."""

import re

import pytest
from playwright.sync_api import expect

from convening.models import Invitation, Membership

from ..factories import (
    InnovationFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS


@pytest.fixture
def programme_with_data(programme, lead):
    """A programme with people, an innovation, a second member and a pending invitation."""
    lead.is_staff = True  # staff may create programmes
    lead.save(update_fields=["is_staff"])
    calder = OrganisationFactory(name="Calder Community Health", short_name="CCH")
    people = [
        ParticipantFactory(programme=programme, organisation=calder if number % 2 else None)
        for number in range(6)
    ]
    InnovationFactory(programme=programme, name="Remote monitoring", innovator_organisation=calder)
    colleague = MembershipFactory(
        programme=programme,
        user=UserFactory(name="Fola Facilitator", email="fola@example.org"),
        role=Membership.Role.FACILITATOR,
    )
    Invitation.issue(
        programme=programme, email="waiting@example.org", role=Membership.Role.MEMBER, by=lead
    )
    return {"programme": programme, "person": people[0], "membership": colleague}


# Path templates; {person} and {membership} are filled from the data above.
SIGNED_IN_PAGES = {
    "programmes": "/programmes/",
    "create programme": "/programmes/new/",
    "overview": "/programmes/virtual-wards/",
    "edit programme": "/programmes/virtual-wards/edit/",
    "members": "/programmes/virtual-wards/members/",
    "remove member": "/programmes/virtual-wards/members/{membership}/remove/",
    "people": "/programmes/virtual-wards/people/",
    "add a person": "/programmes/virtual-wards/people/new/",
    "edit person": "/programmes/virtual-wards/people/{person}/edit/",
    "person's history": "/programmes/virtual-wards/people/{person}/history/",
    "programme's history": "/programmes/virtual-wards/history/",
    "add organisation": "/programmes/virtual-wards/organisations/new/",
    "activity areas": "/activity-areas/",
    "accessibility statement": "/accessibility/",
    "privacy notice": "/privacy/",
}


@pytest.mark.parametrize("path", SIGNED_IN_PAGES.values(), ids=SIGNED_IN_PAGES.keys())
def test_page_passes_axe_for_a_lead(
    path, programme_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    path = path.format(
        person=programme_with_data["person"].pk, membership=programme_with_data["membership"].pk
    )

    response = visitor.visit(path)

    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    visitor.assert_every_page_passed()


def test_the_programme_sections_fit_one_line_on_a_desktop(
    programme_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    page.set_viewport_size({"width": 1280, "height": 800})
    visitor.visit("/programmes/virtual-wards/coverage/")
    sections = page.locator(
        ".convening-programme-nav__list:not(.convening-programme-nav__list--pages) > li"
    )
    tops = {round(box["y"]) for box in (item.bounding_box() for item in sections.all())}
    assert sections.count() == 5
    assert len(tops) == 1
    # The section this page is in shows its pages, this one marked as the current page.
    pages = page.get_by_role("list", name="Plan").get_by_role("link")
    expect(pages).to_have_text(["Plan", "Coverage", "Complexity", "Local knowledge"])
    expect(page.locator('[aria-current="page"]')).to_have_text("Coverage")
    visitor.assert_every_page_passed()


# Forms whose error state is checked too: the page, and the field the first error links to.
FORMS_SUBMITTED_EMPTY = {
    "add a person": ("/programmes/virtual-wards/people/new/", "Save person", "id_name"),
    "add organisation": (
        "/programmes/virtual-wards/organisations/new/",
        "Add organisation",
        "id_name",
    ),
    "edit programme": ("/programmes/virtual-wards/edit/", "Save programme", "id_name"),
}


@pytest.mark.parametrize(
    ("path", "button", "first_field"),
    FORMS_SUBMITTED_EMPTY.values(),
    ids=FORMS_SUBMITTED_EMPTY.keys(),
)
def test_form_error_state_passes_axe(
    path, button, first_field, programme_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(path)
    page.locator(f"#{first_field}").fill("")

    page.get_by_role("button", name=button).click()
    visitor.after_navigation("submitted empty")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator(f"a[href='#{first_field}']")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    visitor.assert_every_page_passed()


def test_invite_error_after_htmx_swap_passes_axe(
    programme_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit("/programmes/virtual-wards/members/")

    page.get_by_role("button", name="Send invitation").click()

    summary = page.locator("#invitations .nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter an email address")).to_have_attribute(
        "href", "#id_email"
    )
    visitor.after_navigation("invitation sent with no email address, htmx swap")
    visitor.assert_every_page_passed()


def test_page_not_found_passes_axe(
    programme_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)

    response = visitor.visit("/programmes/no-such-programme/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    visitor.assert_every_page_passed()


SIGNED_OUT_PAGES = {
    "sign in": "/accounts/login/",
    "accessibility statement": "/accessibility/",
    "privacy notice": "/privacy/",
}


@pytest.mark.parametrize("path", SIGNED_OUT_PAGES.values(), ids=SIGNED_OUT_PAGES.keys())
def test_signed_out_page_passes_axe(path, page, visitor):
    response = visitor.visit(path)

    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    visitor.assert_every_page_passed()


def test_sign_in_error_state_passes_axe(page, visitor):
    visitor.visit("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name='password']"))

    form.locator("button[type='submit']").click()
    visitor.after_navigation("signed out, submitted empty")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#id_login']")).to_be_visible()
    visitor.assert_every_page_passed()


def test_the_activity_areas_are_there_in_every_browser_test(db):
    from activities.models import ActivityArea, Practice

    assert ActivityArea.objects.count() == 10
    assert Practice.objects.count() == 23
