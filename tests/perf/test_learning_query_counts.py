"""The learning log and a learning entry run the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import ActivityArea
from learning.models import LearningEntry
from tests.factories import (
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

L = "/programmes/virtual-wards/learning/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    # The session, the user, the programme, the filters' areas, innovations and sites, the
    # count, the entries (with innovation, site, author and meeting) and their areas.
    "learning_log": (L, 9),
    "learning_log_searched_and_filtered": (
        L + "?q=ward&kind=adaptation&area=4&innovation=app&site={site}&status=published",
        9,
    ),
    "learning_log_page_2": (L + "?page=2", 9),
    "learning_detail": (L + "{entry}/", 5),
    "learning_detail_from_space": (L + "{from_space}/", 5),
    "learning_edit": (L + "{entry}/edit/", 9),
}
# Publishing by htmx also draws the status block again (the entry's areas). Publishing raises
# the entry's version (an UPDATE, and reading it back) and its history keeps its areas (one
# read), so an edit form opened before it is not saved over it unseen.
PUBLISH_BUDGET = {False: 9, True: 10}
KINDS = [kind for kind, _ in LearningEntry.Kind.choices]


def _grow(programme, space, size: int) -> None:
    """Entries of every kind, with authors (some consenting), sites, areas, innovations,
    meetings of a space and history."""
    areas = list(ActivityArea.objects.all())
    innovation = InnovationFactory(programme=programme)
    for n in range(size):
        organisation = OrganisationFactory()
        author = UserFactory()
        ParticipantFactory(
            programme=programme, organisation=organisation, user=author, consent_named=n % 2 == 0
        )
        entry = LearningEntryFactory(
            programme=programme,
            title=f"Ward learning {size}-{n}",
            body="**Markdown** about the ward",
            kind=KINDS[n % len(KINDS)],
            site=organisation if n % 3 else None,
            innovation=innovation if n % 2 else None,
            author=author,
            source_meeting=MeetingFactory(space=space) if n % 4 == 0 else None,
            visibility="space" if n % 5 == 0 else "programme",
        )
        entry.areas.add(areas[n % 10], areas[(n + 3) % 10])
        if n % 2:
            entry.publish()


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["lead", "member"])
@pytest.mark.parametrize("page", list(BUDGET))
def test_learning_pages_run_the_same_queries_at_two_sizes(
    as_user, programme, lead, member, space, page, role
):
    site = OrganisationFactory(name="Measured site")
    ParticipantFactory(programme=programme, organisation=site)
    innovation = InnovationFactory(programme=programme, slug="app")
    entry = LearningEntryFactory(
        programme=programme,
        title="Ward adaptation",
        kind="adaptation",
        site=site,
        innovation=innovation,
        author=member,
    )
    entry.areas.add(ActivityArea.objects.get(number=4))
    entry.publish()
    from_space = LearningEntryFactory(
        programme=programme, source_meeting=MeetingFactory(space=space), author=member
    )
    url, pinned = BUDGET[page]
    url = url.format(entry=entry.pk, site=site.pk, from_space=from_space.pk)
    client = as_user(lead if role == "lead" else member)
    _grow(programme, space, 3)
    small = _count(client, url)
    _grow(programme, space, 60)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 5 entries, {large} with 65"
    assert large == pinned, f"{page} as {role}: {large} queries, pinned at {pinned}"
    assert LearningEntry.objects.count() == 65


@pytest.mark.parametrize("htmx", [False, True])
def test_publishing_runs_the_same_queries_at_two_sizes(as_user, programme, lead, space, htmx):
    client = as_user(lead)
    headers = {"HX-Request": "true"} if htmx else {}
    counts = []
    client.get(L)
    for size in (3, 40):
        _grow(programme, space, size)
        entry = LearningEntryFactory(
            programme=programme, source_meeting=MeetingFactory(space=space)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.post(f"{L}{entry.pk}/publish/", headers=headers)
        assert response.status_code == (200 if htmx else 302)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] == PUBLISH_BUDGET[htmx], (
        f"publish: {counts[1]} queries, pinned at {PUBLISH_BUDGET[htmx]}"
    )
