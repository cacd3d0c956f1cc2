"""The network page and the installation view in a real browser: axe-core's WCAG 2.2 A and AA
rules pass (with the map, the charts and an error summary for an unknown window), a map circle
is reached with the keyboard and has a name and a visible focus ring, and both pages fit a 390 px
phone with chart and map text drawn at 12 px or more."""

import pytest
from playwright.sync_api import expect

from convening.models import Participant
from network.snapshots import build_snapshots

from ..factories import AdaptiveSpaceFactory, AttendanceFactory, MeetingFactory, ParticipantFactory
from ..network.story import HIDDEN, NAMED_BRIDGE, tell
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

P = "/programmes/virtual-wards/network/"
PHONE = 390
NHS_FOCUS_YELLOW = "rgb(255, 235, 59)"

# The document's and the window's width, and the smallest text of a chart or map as drawn.
MEASURE = """() => {
  const texts = [...document.querySelectorAll("svg.convening-chart text")];
  const drawn = texts.map(
    (text) => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a
  );
  return {
    documentWidth: document.documentElement.scrollWidth,
    windowWidth: window.innerWidth,
    maps: document.querySelectorAll("svg.convening-map").length,
    smallestText: drawn.length ? Math.min(...drawn) : null,
  };
}"""


@pytest.fixture
def story(space, member, other_programme):
    member_record = Participant.objects.get(programme=space.programme, user=member)
    story = tell(space, member_record)
    other_space = AdaptiveSpaceFactory(programme=other_programme)
    meeting = MeetingFactory(space=other_space, status="held")
    for key in ("bea", "cal"):
        record = story["people"][key]
        AttendanceFactory(
            meeting=meeting,
            participant=ParticipantFactory(
                programme=other_programme,
                name=record.name,
                email=record.email,
                organisation=record.organisation,
                consent_recorded=True,
            ),
        )
    build_snapshots(None)
    return story


def _tab_to_a_map_circle(page) -> None:
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.convening-map__node')"):
            return
    raise AssertionError("No circle of the map takes the keyboard focus")


def _fits_a_phone(page) -> dict:
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.wait_for_timeout(50)
    sizes = page.evaluate(MEASURE)
    assert sizes["maps"] == 1
    assert sizes["documentWidth"] <= sizes["windowWidth"], sizes
    assert sizes["smallestText"] >= 12, sizes
    return sizes


def test_a_lead_reaches_an_organisation_on_the_map_with_the_keyboard(
    story, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)

    visitor.visit(P)
    expect(page.get_by_role("heading", level=1)).to_have_text("Network")
    expect(page.locator("main")).to_contain_text(NAMED_BRIDGE)
    expect(page.locator("main")).not_to_contain_text(HIDDEN)

    _tab_to_a_map_circle(page)
    focused = page.locator("a.convening-map__node:focus")
    expect(focused).to_be_focused()
    expect(focused).to_have_accessible_name("Aire Valley Hospitals, Acute trust, 3 people")
    ring = focused.locator("circle.convening-map__focus")
    assert ring.evaluate("circle => getComputedStyle(circle).fill") == NHS_FOCUS_YELLOW

    _fits_a_phone(page)
    visitor.visit(P + "?window=forever&boundary=sector", state="unknown window, 390 px")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("There is no time window")
    _fits_a_phone(page)
    visitor.assert_every_page_passed()


def test_a_member_sees_the_network_without_people(
    story, member, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, member)

    visitor.visit(P)
    expect(page.locator("main")).to_contain_text("Your contacts")
    expect(page.locator("main")).not_to_contain_text(NAMED_BRIDGE)
    _fits_a_phone(page)
    visitor.assert_every_page_passed()


def test_staff_open_the_installation_view_from_the_programme_list(
    story, lead, context, page, visitor, sign_in_by_cookie
):
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    sign_in_by_cookie(context, lead)

    visitor.visit("/programmes/")
    page.get_by_role("link", name="Network across all programmes").click()
    visitor.after_navigation()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network across all programmes")
    expect(page.locator("#bridges-caption")).to_be_visible()
    expect(page.locator("main")).to_contain_text(NAMED_BRIDGE)

    _tab_to_a_map_circle(page)
    expect(page.locator("a.convening-map__node:focus")).to_have_accessible_name(
        "Aire Valley Hospitals, Acute trust, 3 people"
    )
    _fits_a_phone(page)
    visitor.visit("/network/?boundary=programme&window=all", state="by programme")
    _fits_a_phone(page)
    visitor.assert_every_page_passed()
