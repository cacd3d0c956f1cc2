"""The local knowledge register runs the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import LocalKnowledge
from tests.factories import LocalKnowledgeFactory, OrganisationFactory, ParticipantFactory

K = "/programmes/virtual-wards/local-knowledge/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    # The list counts its entries for its pages.
    "knowledge_list": (K, 6),
    "knowledge_list_filtered": (K + "?kind=workforce&impact=high&site={site}&status=all", 6),
    "knowledge_list_page_2": (K + "?status=all&page=2", 6),
    "knowledge_create": (K + "new/", 5),
    "knowledge_edit": (K + "{entry}/edit/", 8),
    "knowledge_export_csv": (K + "export.csv?status=all", 5),
    # ... and for XLSX one COUNT, to choose between writing it at once and a job
    "knowledge_export_xlsx": (K + "export.xlsx?impact=high", 6),
}
# Closing by htmx also draws the register's table again (the sites and the entries). Closing
# raises the entry's version (one UPDATE, and reading it back), so an open edit form sees it.
CLOSE_BUDGET = {False: 8, True: 11}
KINDS = [kind for kind, _ in LocalKnowledge.Kind.choices]
IMPACTS = [impact for impact, _ in LocalKnowledge.Impact.choices]


def _grow(programme, size: int) -> None:
    """Entries of every kind and impact, with sites, owners, history and some closed."""
    for n in range(size):
        organisation = OrganisationFactory()
        person = ParticipantFactory(programme=programme, organisation=organisation)
        entry = LocalKnowledgeFactory(
            programme=programme,
            title=f"Entry {size}-{n}",
            kind=KINDS[n % len(KINDS)],
            impact=IMPACTS[n % len(IMPACTS)],
            site=organisation if n % 3 else None,
            owner=person if n % 2 else None,
            description="**Markdown** and\n\n- a list",
            mitigation="A plan",
        )
        entry.title += " (edited)"
        entry.save()
        if n % 4 == 0:
            entry.close()


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        response.getvalue()  # a streamed download runs its queries as it is read
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_register_pages_run_the_same_queries_at_two_sizes(as_user, programme, lead, page):
    site = OrganisationFactory(name="Measured site")
    ParticipantFactory(programme=programme, organisation=site)
    entry = LocalKnowledgeFactory(
        programme=programme, site=site, kind="workforce", impact="high", created_by=lead
    )
    url, pinned = BUDGET[page]
    url = url.format(entry=entry.pk, site=site.pk)
    client = as_user(lead)
    _grow(programme, 3)
    small = _count(client, url)
    _grow(programme, 40)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 4 entries, {large} with 44"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    assert LocalKnowledge.objects.count() == 44


@pytest.mark.parametrize("htmx", [False, True])
def test_closing_an_entry_runs_the_same_queries_at_two_sizes(as_user, programme, lead, htmx):
    client = as_user(lead)
    headers = {"HX-Request": "true"} if htmx else {}
    counts = []
    client.get(K)
    for size in (3, 40):
        _grow(programme, size)
        entry = LocalKnowledgeFactory(programme=programme)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                f"{K}{entry.pk}/close/", {"next": K + "?impact=high"}, headers=headers
            )
        assert response.status_code == (200 if htmx else 302)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] == CLOSE_BUDGET[htmx], (
        f"close: {counts[1]} queries, pinned at {CLOSE_BUDGET[htmx]}"
    )
