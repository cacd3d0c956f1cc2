"""The learning log's search on PostgreSQL reads a stored, indexed search vector (step 6's
speed). SQLite keeps the plain contains search, which tests/learning/test_entries.py covers."""

import pytest
from django.db import connection

from learning.models import LearningEntry
from tests.factories import LearningEntryFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the stored search vector exists only on PostgreSQL (set DATABASE_URL to one)",
)


def _found(programme, text: str) -> list[str]:
    return list(
        LearningEntry.objects.for_programme(programme).search(text).values_list("title", flat=True)
    )


def test_the_search_reads_the_stored_vector_instead_of_computing_it(programme):
    sql = str(LearningEntry.objects.search("carers").query)
    assert '"search_vector"' in sql
    assert "to_tsvector" not in sql


def test_the_stored_vector_follows_a_save(programme):
    entry = LearningEntryFactory(programme=programme, title="Weekend cover", body="Rota gaps.")
    assert _found(programme, "pharmacists") == []
    entry.body = "The pharmacists rota."
    entry.save(update_fields=["body"])
    assert _found(programme, "pharmacist") == ["Weekend cover"]


def test_the_stored_vector_follows_bulk_writes(programme):
    LearningEntry.objects.bulk_create(
        [LearningEntry(programme=programme, title=f"Discharge lounge {n}") for n in range(3)]
    )
    assert len(_found(programme, "discharge")) == 3
    LearningEntry.objects.filter(programme=programme).update(title="Ward rounds")
    assert _found(programme, "discharge") == []
    assert len(_found(programme, "rounds")) == 3


def test_a_title_match_ranks_above_a_body_match(programme):
    LearningEntryFactory(programme=programme, title="Weekend cover", body="Frailty in the rota.")
    LearningEntryFactory(programme=programme, title="Frailty scores", body="Scored at the door.")
    assert _found(programme, "frailty") == ["Frailty scores", "Weekend cover"]


def test_web_search_syntax_still_applies(programme):
    LearningEntryFactory(programme=programme, title="Pharmacists on ward rounds")
    LearningEntryFactory(programme=programme, title="Pharmacists by phone")
    assert _found(programme, "pharmacists -phone") == ["Pharmacists on ward rounds"]
    assert _found(programme, '"ward rounds" OR phone') != []


def test_a_search_can_use_the_gin_index(programme):
    LearningEntryFactory(programme=programme, title="Carers' evenings")
    query = LearningEntry.objects.search("carers")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "learning_entry_search_vector" in plan
