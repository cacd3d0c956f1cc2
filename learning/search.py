"""The learning log's full-text search on PostgreSQL, from the stored search vector.

Migration 0005 adds `search_vector` to the entries' table as a generated column (title weighted
A, body B, English stemming) with a GIN index, so a search reads the index instead of computing
every entry's vector again. Django's model does not declare the column (SQLite has none), so
this module names it in SQL. Imported only on PostgreSQL: it needs django.contrib.postgres.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db.models import Expression, QuerySet

COLUMN = "search_vector"


class StoredSearchVector(Expression):
    """The entry's stored search vector, in whatever alias the query gives its table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        table = compiler.quote_name_unless_alias(alias)
        return f"{table}.{connection.ops.quote_name(COLUMN)}", []


def ranked_search(entries: QuerySet, text: str) -> QuerySet:
    """Entries matching the words in web-search syntax (quotes, OR and - are safe), best
    first."""
    query = SearchQuery(text, search_type="websearch", config="english")
    # Match on the document itself (so "-word" excludes it); the rank only orders.
    return (
        entries.annotate(
            document=StoredSearchVector(), rank=SearchRank(StoredSearchVector(), query)
        )
        .filter(document=query)
        .order_by("-rank", "-created_at")
    )
