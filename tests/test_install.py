"""Installing and running: the lock files, and what `make run` and `make test` would do.

The Makefile is read by make itself with `make -n` (print the commands, run none) in a copy of
the project's install files, with a stand-in virtualenv whose stamp files say what is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lock: Path) -> dict[str, str]:
    return {_name(name): version for name, version in PIN.findall(lock.read_text())}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _requirements(group: str) -> list[Requirement]:
    project = _project()
    if group == "runtime":
        return [Requirement(text) for text in project["dependencies"]]
    texts = project["optional-dependencies"][group]
    return [Requirement(text) for text in texts]


# The lock files


@pytest.mark.parametrize(
    ("lock", "groups"), [(RUNTIME_LOCK, ["runtime"]), (DEV_LOCK, ["runtime", "dev"])]
)
def test_the_lock_pins_every_dependency_at_a_version_pyproject_allows(lock, groups):
    pins = _pins(lock)
    for group in groups:
        for requirement in _requirements(group):
            name = _name(requirement.name)
            assert name in pins, f"{name} is not in {lock.name}: run `make lock`"
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"{lock.name} has {name}=={pins[name]}, outside {requirement}: run `make lock`"
            )


def test_the_runtime_lock_has_the_dev_locks_exact_versions():
    """So installing the test tools beside `make run` changes no package the server uses."""
    runtime, dev = _pins(RUNTIME_LOCK), _pins(DEV_LOCK)
    assert runtime
    assert {name: dev.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK, ROOT / "requirements" / "tools.txt"])
def test_every_locked_package_has_a_hash(lock):
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text().split("\n", 2)[2])
    assert len(entries) == len(PIN.findall(lock.read_text()))
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_ruff_is_pinned_to_one_version():
    (ruff,) = [r for r in _requirements("dev") if r.name == "ruff"]
    (specifier,) = ruff.specifier
    assert specifier.operator == "=="


def _allows_more_than_one_major_version(requirement: Requirement) -> bool:
    lowest = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "~=")]
    below = [Version(s.version) for s in requirement.specifier if s.operator == "<"]
    if any(s.operator == "==" for s in requirement.specifier):
        return False
    if not lowest or not below:
        return True
    low, high = lowest[0], below[0]
    # 0.x releases break compatibility at each minor version, as others do at each major one.
    next_major = Version(f"0.{low.minor + 1}") if low.major == 0 else Version(f"{low.major + 1}")
    return high > next_major


@pytest.mark.parametrize("group", ["runtime", "dev"])
def test_no_dependency_range_spans_more_than_one_major_version(group):
    wide = [str(r) for r in _requirements(group) if _allows_more_than_one_major_version(r)]
    assert not wide


def test_the_range_check_notices_a_range_over_several_major_versions():
    assert _allows_more_than_one_major_version(Requirement("redis>=5.2,<9"))
    assert _allows_more_than_one_major_version(Requirement("nh3>=0.2,<0.4"))
    assert _allows_more_than_one_major_version(Requirement("django"))
    assert not _allows_more_than_one_major_version(Requirement("redis>=8.2,<9"))
    assert not _allows_more_than_one_major_version(Requirement("nh3>=0.3.1,<0.4"))


def test_the_docker_image_installs_the_runtime_lock_with_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY requirements/runtime.txt" in dockerfile
    install = re.search(r"^RUN pip install .*requirements/runtime\.txt$", dockerfile, re.MULTILINE)
    assert install
    assert "--require-hashes" in install.group()


def test_ci_runs_lint_the_migrations_check_and_the_suite_through_make():
    ci = (ROOT / ".ci" / "run").read_text()
    for command in ("make lint", "make check-migrations", "make test"):
        assert re.search(rf"^{command}$", ci, re.MULTILINE), command


def test_ci_takes_the_database_and_redis_from_the_environment_when_set():
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'DATABASE_URL="${DATABASE_URL:-' in ci
    assert 'REDIS_URL="${REDIS_URL:-' in ci


# The Makefile, read by make


@pytest.fixture
def make():
    path = shutil.which("make")
    if path is None:
        skip_or_fail("make is not installed")
    return path


@pytest.fixture
def project_copy(tmp_path, make):
    """The Makefile and what its install rules read, in a folder of their own."""
    shutil.copy(ROOT / "Makefile", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def _installed(folder: Path, *stamps: str) -> None:
    """A stand-in virtualenv with these stamp files, newer than the lock files."""
    (folder / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    (folder / ".venv" / "bin" / "python").touch()
    newer = max(path.stat().st_mtime for path in (folder / "requirements").iterdir()) + 10
    for stamp in stamps:
        (folder / ".venv" / stamp).touch()
        os.utime(folder / ".venv" / stamp, (newer, newer))


def _make_commands(folder: Path, *arguments: str, **env: str) -> list[str]:
    make_env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SITE_URL", "PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    result = subprocess.run(
        [shutil.which("make") or "make", "--no-print-directory", "-n", *arguments],
        cwd=folder,
        env={**make_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line and not line.startswith("echo")]


def _runserver_line(commands: list[str]) -> str:
    (line,) = [command for command in commands if "manage.py runserver" in command]
    return line


def _settings_seen_by(command: str, *names: str) -> list[str]:
    """The settings Django reads given the NAME=value words in front of a make command."""
    assignments = dict(word.split("=", 1) for word in command.split(" .venv/bin/python")[0].split())
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SITE_URL", "CSRF_TRUSTED_ORIGINS", "DJANGO_SETTINGS_MODULE"}
    }
    code = (
        "from django.conf import settings; "
        f"print(*[repr(getattr(settings, name)) for name in {list(names)!r}], sep='\\n')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, **assignments, "DJANGO_SETTINGS_MODULE": "convening.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def test_make_run_on_another_port_sends_links_with_that_port(project_copy):
    _installed(project_copy, ".runtime-installed")

    line = _runserver_line(_make_commands(project_copy, "run", "PORT=8010"))

    assert line.endswith("runserver 127.0.0.1:8010")
    assert _settings_seen_by(line, "SITE_URL", "CSRF_TRUSTED_ORIGINS") == [
        "'http://127.0.0.1:8010'",
        "['http://127.0.0.1:8010']",
    ]


def test_make_run_with_a_port_from_the_environment_sends_links_with_that_port(project_copy):
    _installed(project_copy, ".runtime-installed")

    line = _runserver_line(_make_commands(project_copy, "run", PORT="8011"))

    assert "SITE_URL=http://127.0.0.1:8011 " in line
    assert line.endswith("runserver 127.0.0.1:8011")


def test_make_run_on_the_default_port_sends_links_with_port_8000(project_copy):
    _installed(project_copy, ".runtime-installed")

    line = _runserver_line(_make_commands(project_copy, "run"))

    assert "SITE_URL=http://127.0.0.1:8000 " in line
    assert line.endswith("runserver 127.0.0.1:8000")


@pytest.mark.parametrize("how", ["environment", "command line"])
def test_a_site_url_given_to_make_run_is_kept(project_copy, how):
    _installed(project_copy, ".runtime-installed")
    given = "https://convening.example.org"
    if how == "environment":
        commands = _make_commands(project_copy, "run", "PORT=8010", SITE_URL=given)
    else:
        commands = _make_commands(project_copy, "run", "PORT=8010", f"SITE_URL={given}")

    line = _runserver_line(commands)

    assert "SITE_URL=http://" not in line
    assert line.endswith("runserver 127.0.0.1:8010")


def test_a_site_url_in_the_env_file_is_kept(project_copy):
    _installed(project_copy, ".runtime-installed")
    (project_copy / ".env").write_text("DEBUG=true\nSITE_URL=https://convening.example.org\n")

    line = _runserver_line(_make_commands(project_copy, "run", "PORT=8010"))

    assert "SITE_URL" not in line


def test_make_run_from_a_fresh_clone_installs_only_the_runtime_lock_with_hashes(project_copy):
    commands = _make_commands(project_copy, "run")

    installs = [command for command in commands if " pip install" in command]
    assert installs == [
        ".venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes "
        "--requirement requirements/runtime.txt"
    ]


def test_make_test_once_installed_only_runs_the_tests(project_copy):
    _installed(project_copy, ".runtime-installed", ".dev-installed")

    commands = _make_commands(project_copy, "test")

    assert len(commands) == 1
    assert commands[0].startswith(".venv/bin/pytest ")


def test_make_test_beside_a_running_make_run_only_adds_the_dev_lock(project_copy):
    """`make run` installed the runtime lock; the first `make test` installs the dev lock, which
    holds the same versions, and neither builds nor reinstalls the project (a reinstall
    rewrites files the running server has loaded, and its autoreloader restarts it)."""
    _installed(project_copy, ".runtime-installed")

    commands = _make_commands(project_copy, "test")

    installs = [command for command in commands if "pip" in command]
    assert installs == [
        ".venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes "
        "--requirement requirements/dev.txt"
    ]
    assert not any(re.search(r"(^|\s)(-e|--editable|--upgrade|-U)(\s|$)", c) for c in commands)
