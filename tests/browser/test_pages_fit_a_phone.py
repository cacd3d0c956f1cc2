"""Every key page fits a phone (WCAG 2.2 1.4.10 Reflow, and DESIGN section 9).

On the demo programme, with words that cannot wrap added (a long organisation name, a long
email address, a long web address), each page a lead, a facilitator, a member and a hub reader
visit is opened 390 px wide: the document is no wider than the window (a wide table scrolls
inside its own region instead), chart text is drawn at 12 px or more, and axe-core passes. The
widest pages are checked at 320 px too. One browser and one page per person, for speed.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import PlannedActivity
from convening.models import Adoption, Innovation, Programme, User
from learning.models import Feedback, LearningEntry
from spaces.models import AdaptiveSpace, Meeting

from ..factories import (
    AttendanceFactory,
    LearningEntryFactory,
    OrganisationFactory,
    ParticipantFactory,
    SpaceMemberFactory,
)
from .conftest import BROWSER_TEST_MARKS, Visitor

pytestmark = BROWSER_TEST_MARKS

PHONE = 390
NARROWEST = 320
P = "/programmes/frailty-virtual-wards/"
HUB = "/learn/frailty-virtual-wards/"

# The width of the document and of the window, and the smallest chart text as drawn on screen
# (its font size scaled by the chart's viewBox), and how many lines the programme's sections take.
MEASURE = """() => {
  const texts = [...document.querySelectorAll("svg.convening-chart text")];
  const drawn = texts.map(
    (text) => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a
  );
  const sections = [...document.querySelectorAll(
    ".convening-programme-nav__list:not(.convening-programme-nav__list--pages) > li"
  )];
  return {
    navLines: new Set(sections.map((item) => item.getBoundingClientRect().top)).size,
    documentWidth: document.documentElement.scrollWidth,
    windowWidth: window.innerWidth,
    charts: document.querySelectorAll("svg.convening-chart").length,
    smallestChartText: drawn.length ? Math.min(...drawn) : null,
  };
}"""


@pytest.fixture
def demo(settings):
    """The demo data, with words too long to wrap where a phone would show them."""
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo")
    settings.DEBUG = False
    programme = Programme.objects.get(slug="frailty-virtual-wards")
    meeting = _busiest_meeting(programme)
    organisation = OrganisationFactory(
        name="Calderbridge-and-Aire-Valley-Integrated-Community-Health-Services-Partnership"
    )
    person = ParticipantFactory(
        programme=programme,
        organisation=organisation,
        name="Oluwaseun Adebayo-Featherstonehaugh-Worthington",
        email="oluwaseun.adebayo-featherstonehaugh@calderbridge-aire-valley-partnership.nhs.uk",
    )
    SpaceMemberFactory(space=meeting.space, participant=person)
    AttendanceFactory(meeting=meeting, participant=person)
    address = "https://www.calderbridge-aire-valley-partnership.nhs.uk/virtual-wards/frailty/step-up-referral-pathway-standard-operating-procedure-2026.pdf"
    LearningEntryFactory(
        programme=programme,
        innovation=Innovation.objects.filter(programme=programme).order_by("pk").first(),
        visibility=LearningEntry.Visibility.PUBLIC,
        published_at=timezone.now(),
        title=f"The referral pathway document {address}",
        body=f"Read it at {address} before the next meeting.",
        status="published",
    )
    return {"programme": programme, "meeting": meeting}


def _busiest_meeting(programme) -> Meeting:
    return max(
        Meeting.objects.for_programme(programme).held().prefetch_related("attendances"),
        key=lambda meeting: len(meeting.attendances.all()),
    )


def _pages(programme, meeting) -> dict[str, list[str]]:
    space = meeting.space
    other_space = AdaptiveSpace.objects.for_programme(programme).exclude(pk=space.pk).first()
    innovation = Innovation.objects.filter(programme=programme).order_by("pk").first()
    entry = LearningEntry.objects.for_programme(programme).public().filter(innovation__isnull=False)
    entry = entry.order_by("-pk").first()  # the one with the long address
    entry_innovation = entry.innovation
    adoption = Adoption.objects.filter(innovation__programme=programme).order_by("pk").first()
    feedback = Feedback.objects.filter(innovation__programme=programme).order_by("pk").first()
    activity = PlannedActivity.objects.for_programme(programme).order_by("pk").first()
    newest_entry = LearningEntry.objects.for_programme(programme).order_by("-pk").first()
    meeting_path = f"{P}spaces/{space.slug}/meetings/{meeting.pk}/"
    lead = [
        "/",
        "/programmes/",
        P,
        f"{P}plan/",
        f"{P}plan/{activity.pk}/",
        f"{P}coverage/",
        f"{P}coverage/1/",
        f"{P}complexity/",
        f"{P}local-knowledge/",
        f"{P}spaces/",
        f"{P}spaces/{space.slug}/",
        f"{meeting_path}log/",
        meeting_path,
        f"{meeting_path}history/",
        f"{P}actions/",
        f"{P}innovations/",
        f"{P}innovations/{innovation.slug}/",
        f"{P}adoption/",
        f"{P}adoption/{adoption.pk}/",
        f"{P}learning/",
        f"{P}learning/{newest_entry.pk}/",
        f"{P}feedback/",
        f"{P}feedback/{feedback.pk}/",
        f"{P}digests/",
        f"{P}members/",
        f"{P}people/",
        "/activity-areas/",
        "/accounts/digests/",
    ]
    facilitator = [
        "/my-spaces/",
        f"{P}spaces/{space.slug}/",
        f"{P}spaces/{other_space.slug}/",
        f"{meeting_path}log/",
        meeting_path,
        f"{P}learning/",
    ]
    member = ["/my-spaces/", P, f"{P}plan/", f"{P}learning/", f"{P}innovations/{innovation.slug}/"]
    reader = [
        "/learn/",
        HUB,
        f"{HUB}{entry_innovation.slug}/",
        f"{HUB}{entry_innovation.slug}/learning/{entry.pk}/",
        "/accounts/login/",
        "/accessibility/",
    ]
    return {
        "lead@example.org": lead,
        "facilitator@example.org": facilitator,
        "member@example.org": member,
        "": reader,
    }


# Pages with the widest tables, the charts, and the long words.
NARROWEST_PAGES = (
    f"{P}plan/",
    f"{P}coverage/",
    f"{P}complexity/",
    f"{P}local-knowledge/",
    f"{P}people/",
    f"{P}members/",
    f"{P}learning/",
    f"{P}adoption/",
    f"{P}actions/",
    "/programmes/",
)


def test_every_key_page_fits_a_phone(demo, browser, live_server, client):
    pages = _pages(demo["programme"], demo["meeting"])
    problems: list[str] = []
    visited = 0
    for email, paths in pages.items():
        context = browser.new_context(locale="en-GB", viewport={"width": PHONE, "height": 800})
        try:
            if email:
                _sign_in(context, client, live_server, User.objects.get(email=email))
            visitor = Visitor(context.new_page(), live_server.url)
            for path in paths:
                problems += _check(visitor, path, email or "a hub reader")
                visited += 1
            visitor.assert_every_page_passed()
        finally:
            context.close()
    assert visited >= 40
    assert not problems, "\n".join(problems)


def _check(visitor: Visitor, path: str, who: str) -> list[str]:
    page = visitor.page
    page.set_viewport_size({"width": PHONE, "height": 800})
    response = visitor.visit(path, state=f"{PHONE} px wide, as {who}")
    problems = [] if response.status == 200 else [f"{path} answered {response.status}"]
    widths = [PHONE, NARROWEST] if path in NARROWEST_PAGES else [PHONE]
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        _header_settled(page)
        sizes = page.evaluate(MEASURE)
        if sizes["documentWidth"] > sizes["windowWidth"]:
            problems.append(
                f"{path} as {who} is {sizes['documentWidth']} px wide in a {width} px window"
            )
        if sizes["smallestChartText"] is not None and sizes["smallestChartText"] < 12:
            problems.append(
                f"{path} draws chart text at {sizes['smallestChartText']:.1f} px at {width} px"
            )
        if width == PHONE and sizes["navLines"] > 2:
            problems.append(f"{path}: the programme's sections take {sizes['navLines']} lines")
        if path.endswith(("/coverage/", "/adoption/")) and not sizes["charts"]:
            problems.append(f"{path} has no chart to measure")
    return problems


def _header_settled(page) -> None:
    """NHS.UK's header moves links that do not fit into its "More" menu once its script runs,
    and again when the window is resized."""
    page.wait_for_selector("[data-nhsuk-header-init]", state="attached")
    page.wait_for_timeout(50)


def _sign_in(context, client, live_server, user) -> None:
    from django.conf import settings

    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
