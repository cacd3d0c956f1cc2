"""Jobs are queued by the names their apps declare (`app.tasks[NAME]`), so a web process that has
only started Django, and imported no tasks module itself, must still know every one of them."""

import subprocess
import sys

CHECK = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convening.settings")
django.setup()
from convening import export_jobs
from convening.celery import app
from learning import contact, delivery, subscriptions
names = [
    subscriptions.SEND_CONFIRMATION_TASK,
    contact.SEND_MESSAGE_TASK,
    delivery.SEND_DIGESTS_TASK,
    export_jobs.RUN_EXPORT_TASK,
]
missing = [name for name in names if name not in app.tasks]
print(",".join(missing))
"""


def test_a_process_that_only_started_django_knows_every_job_queued_by_name():
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        check=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.stdout.strip() == ""
