"""Give the saves made before versioned editing their versions.

The version columns start at 1 on every row and history record. Left so, every earlier save of
an object would look like one save (`convening.history.changes()` groups the records of one
version), and a form opened now could not be compared with the save it started from. So each
object's records are numbered in order: a record is a new save unless it is a change of people
written straight after the save it belongs to (same `updated_at`, as the old history pages
grouped them), and the object takes the version of its latest record.
"""

from django.db import migrations

from convening.history import number_earlier_saves

# (app, model, whether its many-to-many records follow a save with the same `updated_at`)
MODELS = [
    ("learning", "LearningEntry", False),
    ("learning", "Narrative", True),
    ("convening", "Innovation", True),
]


class Migration(migrations.Migration):
    dependencies = [
        ("convening", "0005_versioned_innovations"),
        ("learning", "0007_versioned_editing"),
    ]

    operations = [migrations.RunPython(number_earlier_saves(*MODELS), migrations.RunPython.noop)]
