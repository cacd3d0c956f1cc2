"""The feedback inbox and a feedback page run the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.models import Feedback
from tests.factories import FeedbackFactory, InnovationFactory, LearningEntryFactory

F = "/programmes/virtual-wards/feedback/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    # The inbox: the programme's innovations (for the filter), the count of new feedback, the
    # count for the pages and the page of feedback with its innovations.
    "feedback_inbox": (F, 7),
    "feedback_inbox_filtered": (F + "?status=all&innovation={innovation}", 7),
    "feedback_inbox_page_2": (F + "?status=all&page=2", 7),
    # One feedback with its innovation, who answered it and the entry it was published as.
    "feedback_detail": (F + "{feedback}/", 4),
}
# The programme, the feedback and the update; the htmx block needs nothing more.
ACKNOWLEDGE_BUDGET = 5
KINDS = [kind for kind, _ in Feedback.Kind.choices]
STATUSES = [status for status, _ in Feedback.Status.choices]


def _grow(programme, lead, size: int) -> None:
    """Feedback of every kind and status across several innovations, some answered by the lead
    and published as learning."""
    innovations = [InnovationFactory(programme=programme) for _ in range(3)]
    for n in range(size):
        status = STATUSES[n % len(STATUSES)]
        answered = status == Feedback.Status.ANSWERED
        FeedbackFactory(
            innovation=innovations[n % 3],
            kind=KINDS[n % len(KINDS)],
            status=status,
            name="" if n % 2 else f"Person {n}",
            site=f"Site {n}",
            body=f"Feedback {size}-{n}\nwith a second line",
            response="An answer" if answered else "",
            responded_by=lead if answered else None,
            answer_entry=LearningEntryFactory(programme=programme) if n % 6 == 2 else None,
        )


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_feedback_pages_run_the_same_queries_at_two_sizes(as_user, programme, lead, page):
    innovation = InnovationFactory(programme=programme)
    entry = LearningEntryFactory(programme=programme, status="published")
    feedback = FeedbackFactory(
        innovation=innovation,
        status="answered",
        response="Yes",
        responded_by=lead,
        answer_entry=entry,
    )
    url, pinned = BUDGET[page]
    url = url.format(feedback=feedback.pk, innovation=innovation.pk)
    client = as_user(lead)
    _grow(programme, lead, 3)
    small = _count(client, url)
    _grow(programme, lead, 60)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 4 items, {large} with 64"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    assert Feedback.objects.count() == 64


@pytest.mark.parametrize("htmx", [False, True])
def test_acknowledging_runs_the_same_queries_at_two_sizes(as_user, programme, lead, htmx):
    client = as_user(lead)
    headers = {"HX-Request": "true"} if htmx else {}
    counts = []
    client.get(F)
    for size in (3, 40):
        _grow(programme, lead, size)
        feedback = FeedbackFactory(innovation=InnovationFactory(programme=programme))
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                f"{F}{feedback.pk}/status/", {"status": "acknowledged"}, headers=headers
            )
        assert response.status_code == (200 if htmx else 302)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] == ACKNOWLEDGE_BUDGET, f"acknowledge: {counts[1]} queries"
