"""Each log line is printed once, with DEBUG on (as `make run` has it) and off.

Django is set up afresh in a child process, so the LOGGING setting is applied as a server applies
it, without pytest's own log capturing in the way."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOGGERS = ["django.request", "django.security.csrf", "django.db.backends", "spaces", "celery"]

LOG_ONE_LINE_EACH = f"""
import logging
import django

django.setup()
for name in {LOGGERS!r}:
    logging.getLogger(name).warning("one line from %s", name)
logging.getLogger("django.server").warning("one request line")
"""


def _log_output(**env: str) -> str:
    child_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "convening.settings",
        "SECRET_KEY": "test-only-secret-key-not-for-production-0123456789abcdef",
        "LOG_LEVEL": "INFO",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", LOG_ONE_LINE_EACH],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout + result.stderr


@pytest.mark.parametrize("debug", ["true", "false"])
def test_every_log_line_is_printed_once(debug):
    output = _log_output(DEBUG=debug)

    for name in LOGGERS:
        assert output.count(f"one line from {name}") == 1, output
    assert output.count("one request line") == 1, output


def test_log_level_quietens_djangos_own_loggers_too():
    output = _log_output(DEBUG="true", LOG_LEVEL="ERROR")

    assert "one line from" not in output, output
