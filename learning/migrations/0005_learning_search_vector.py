"""A stored search vector for the learning log's search, on PostgreSQL only.

PostgreSQL computes the column itself whenever a row is written (a generated column), so every
save, bulk write and seed command keeps it current without Django knowing it is there; the GIN
index lets a search find its entries without reading them all. ANALYZE gives the planner the
new column's statistics at once: without them it guessed 150 matches for a word in 4,000
entries. The column is not in the model's state: SQLite has no tsvector, and there the search
stays a plain contains search. The expression must match `LearningEntryQuerySet.search`'s weights and configuration (learning/search.py).
"""

from django.db import migrations

ADD = """
ALTER TABLE learning_learningentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')
    ) STORED;
CREATE INDEX learning_entry_search_vector ON learning_learningentry USING gin (search_vector);
ANALYZE learning_learningentry;
"""
DROP = "ALTER TABLE learning_learningentry DROP COLUMN search_vector;"  # drops its index too


def add_search_vector(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop_search_vector(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("learning", "0004_digests")]

    operations = [migrations.RunPython(add_search_vector, drop_search_vector, elidable=False)]
