"""Downloads in a real browser: the downloads page, "Download everything" for a lead, and a
job's progress page, which htmx polls until the file is ready and which tells a screen reader
when it is. Each page passes axe-core's WCAG 2.2 A and AA rules."""

import pytest
from playwright.sync_api import expect

from convening.models import ExportJob

from ..conftest import celery_configured
from ..exports import keep_export_files_in
from ..factories import LearningEntryFactory, MeetingFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

D = "/programmes/virtual-wards/downloads/"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    keep_export_files_in(settings, tmp_path)


def test_a_lead_downloads_everything_from_the_downloads_page(
    programme, space, lead, context, page, visitor, sign_in_by_cookie
):
    MeetingFactory(space=space, title="Weekly huddle", notes="We agreed a rota.")
    LearningEntryFactory(programme=programme, title="Weekend cover")
    sign_in_by_cookie(context, lead)
    visitor.visit(D)
    expect(page.get_by_role("heading", level=1)).to_have_text("Downloads")
    expect(page.get_by_text("You have not asked for any large downloads")).to_be_visible()

    with celery_configured(task_always_eager=True):
        page.get_by_role("button", name="Download everything").click()
        page.wait_for_url("**/downloads/*/")
    visitor.after_navigation("the archive's page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything in the programme")
    expect(
        page.get_by_role("link", name="Download everything in the programme (ZIP)")
    ).to_be_visible()

    visitor.visit(D)
    expect(page.locator("main tbody tr")).to_have_count(1)
    visitor.assert_every_page_passed()


def test_the_progress_page_updates_itself_and_announces_the_file(
    programme, member, context, page, visitor, sign_in_by_cookie
):
    job = ExportJob.objects.create(
        requested_by=member,
        programme=programme,
        export="meetings",
        title="Meetings",
        format="xlsx",
        status="running",
        rows_done=2000,
        rows_total=8000,
    )
    sign_in_by_cookie(context, member)
    visitor.visit(f"{D}{job.pk}/")
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "25")
    expect(page.get_by_role("link", name="Refresh this page")).to_be_visible()

    ExportJob.objects.filter(pk=job.pk).update(status="failed", error="The worker stopped.")
    expect(page.get_by_role("status")).to_have_text("Meetings could not be prepared.")
    expect(page.get_by_text("The worker stopped.")).to_be_visible()
    expect(page.get_by_role("link", name="Refresh this page")).to_have_count(0)
    visitor.after_navigation("after htmx showed the failure")
    visitor.assert_every_page_passed()


def test_a_large_spreadsheet_is_offered_then_prepared(
    settings, space, member, context, page, visitor, sign_in_by_cookie
):
    settings.EXPORT_JOB_THRESHOLD_ROWS = 1
    for title in ("Weekly huddle", "Monthly forum"):
        MeetingFactory(space=space, title=title)
    sign_in_by_cookie(context, member)
    visitor.visit("/programmes/virtual-wards/meetings/export.xlsx")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings: prepare the spreadsheet")
    expect(page.get_by_text("This list has 2 rows.", exact=False)).to_be_visible()

    with celery_configured(task_always_eager=True):
        page.get_by_role("button", name="Prepare the spreadsheet").click()
        page.wait_for_url("**/downloads/*/")
    visitor.after_navigation("the prepared spreadsheet")
    expect(page.get_by_role("link", name="Download meetings (XLSX)")).to_be_visible()
    visitor.assert_every_page_passed()
