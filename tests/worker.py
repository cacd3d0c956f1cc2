"""A real Celery worker for tests: a separate process, started the way a user starts one, on its
own queue in Redis, reading the pytest-django test database (PostgreSQL) and writing its emails
to files. Used by the tests of jobs that must hold with a real worker."""

from __future__ import annotations

import email
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.utils.nodenames import host_format
from django.conf import settings as django_settings
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.db import connection
from kombu import Exchange, Queue

from tests.conftest import skip_or_fail

BASE_DIR = Path(django_settings.BASE_DIR)
WAIT_SECONDS = 30

# convening.settings does not read these from the environment; a worker started by a user
# would get them from its own settings module, so the worker here gets this one.
WORKER_SETTINGS = '''"""Settings for a Celery worker that the tests start."""
import os

from convening.settings import *  # noqa: F403

EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CELERY_TASK_DEFAULT_QUEUE"]
'''


class SlowFileEmailBackend(FileEmailBackend):
    """The file backend, taking TEST_EMAIL_DELAY seconds over each batch of messages before
    writing them, as a slow mail server would: long enough to kill a worker mid-send."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("TEST_EMAIL_DELAY", "0")))
        return super().send_messages(email_messages)


def require_worker_services() -> None:
    """Skip (or fail, in CI) unless Redis and a shareable PostgreSQL database are there."""
    if not django_settings.REDIS_URL:
        skip_or_fail("REDIS_URL is not set: the Celery worker tests need Redis")
    if connection.vendor != "postgresql":
        skip_or_fail(
            "DATABASE_URL is not set to PostgreSQL: the Celery worker tests need a database that "
            "a worker process can share (the in-memory SQLite test database cannot be shared)"
        )


def _database_url(settings_dict) -> str:
    """A DATABASE_URL for the test database that pytest-django created."""
    credentials = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = quote(settings_dict["HOST"] or "localhost", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(settings_dict['NAME'], safe='')}"


@dataclass
class Worker:
    process: subprocess.Popen
    hostname: str
    queue: str
    log_file: Path
    email_dir: Path
    log_start: int = 0

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")[self.log_start :]

    def wait_for(self, condition: Callable[[], object], what: str, seconds: float = WAIT_SECONDS):
        deadline = time.monotonic() + seconds
        while not (result := condition()):
            if self.process.poll() is not None:
                pytest.fail(f"The Celery worker stopped while waiting for {what}:\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"No {what} after {seconds} s. Worker log:\n{self.log()}")
            time.sleep(0.05)
        return result

    def wait_until_answering(self) -> None:
        from convening.celery import app

        self.wait_for(
            lambda: app.control.ping(destination=[self.hostname], timeout=0.5),
            "answer to a ping from the Celery worker",
        )

    def results(self, task_name: str) -> dict[str, str]:
        """The tasks of that name (`send_log_reminder`, or in full `spaces.tasks.send_log_reminder`)
        that have finished since the test began: id -> return value."""
        name = re.escape(task_name)
        pattern = rf"Task (?:[\w.]+\.)?{name}\[([\w-]+)\] succeeded in [\d.]+s: (.*)"
        return dict(re.findall(pattern, self.log()))

    def emails(self) -> list[email.message.Message]:
        """The emails the worker has written, parsed from the file backend's files."""
        separator = b"\n" + b"-" * 79 + b"\n"
        messages = []
        for path in sorted(self.email_dir.iterdir()):
            for raw in path.read_bytes().split(separator):
                if raw.strip():
                    messages.append(email.message_from_bytes(raw))
        return messages

    def clear(self) -> None:
        """Forget the emails and log lines of earlier tests."""
        for path in self.email_dir.iterdir():
            path.unlink()
        self.log_start = len(self.log_file.read_text(errors="replace"))

    def kill(self) -> None:
        """SIGKILL the worker and its pool at once, as a crash or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def start_worker(
    directory: Path,
    *,
    site_url: str,
    queue: str | None = None,
    concurrency: int = 2,
    email_backend: str = "django.core.mail.backends.filebased.EmailBackend",
    extra_settings: str = "",
    env: dict[str, str] | None = None,
) -> Worker:
    """Start a worker on `queue` (a new one unless given) with its log and emails in
    `directory`; `extra_settings` is Python appended to its settings module."""
    directory.mkdir(parents=True, exist_ok=True)
    unique = uuid.uuid4().hex[:12]
    queue = queue or f"convening-test-{unique}"
    email_dir = directory / "emails"
    email_dir.mkdir(exist_ok=True)
    log_file = directory / "worker.log"
    (directory / "convening_test_worker_settings.py").write_text(WORKER_SETTINGS + extra_settings)
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "convening_test_worker_settings",
        "PYTHONPATH": os.pathsep.join([str(directory), str(BASE_DIR)]),
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": django_settings.REDIS_URL,
        "SECRET_KEY": django_settings.SECRET_KEY,
        "SITE_URL": site_url,
        "EMAIL_BACKEND": email_backend,
        "EMAIL_FILE_PATH": str(email_dir),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "convening", "worker", "--loglevel=INFO",
        f"--concurrency={concurrency}", "--pool=prefork", "-Q", queue, "--without-gossip",
        "--without-mingle", "--hostname", f"test-{unique}@%h",
    ]  # fmt: skip
    with log_file.open("ab") as log:
        # Its own process group, so that the pool's children can be killed with it.
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=worker_env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    return Worker(
        process=process,
        hostname=host_format(f"test-{unique}@%h"),
        queue=queue,
        log_file=log_file,
        email_dir=email_dir,
        log_start=log_file.stat().st_size,
    )


def stop_worker(worker: Worker, *, delete_queue: bool = True) -> None:
    if worker.process.poll() is None:
        worker.process.terminate()
        try:
            worker.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait(timeout=10)
    if delete_queue:
        delete_test_queue(worker.queue)


def delete_test_queue(name: str) -> None:
    from convening.celery import app

    # Declared again only so that deleting it also removes its bindings from Redis.
    queue = Queue(name, Exchange(name), routing_key=name)
    with app.connection_for_write() as broker:
        bound = queue(broker.default_channel)
        bound.declare()
        bound.delete()
