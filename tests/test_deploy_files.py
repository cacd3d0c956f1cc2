"""The container files: docker-compose.yml, Dockerfile, .dockerignore and .env.example.

No Docker engine is needed: the files are parsed and checked for what the stack relies on.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ["migrate", "web", "worker", "beat"]
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE")
# `${NAME:?message}`: docker compose refuses to start unless NAME is set (in .env).
REQUIRED_REFERENCE = re.compile(r"\$\{[A-Z][A-Z0-9_]*:\?[^}]*\}")


def _compose() -> dict:
    # safe_load resolves the YAML merge keys (`<<: *app`), so each service is seen in full.
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _services() -> dict:
    return _compose()["services"]


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    logical, current = [], ""
    for line in lines:
        if line.lstrip().startswith("#") and not current:
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip():
            logical.append(current.strip())
        current = ""
    pairs = []
    for instruction in logical:
        keyword, _, arguments = instruction.partition(" ")
        pairs.append((keyword.upper(), arguments.strip()))
    return pairs


def _settings_env_names() -> list[str]:
    text = (ROOT / "convening" / "settings.py").read_text()
    return sorted(set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", text)))


def _env_example_assignments() -> dict[str, str]:
    """NAME -> value for every `NAME=value` or `# NAME=value` line of .env.example."""
    text = (ROOT / ".env.example").read_text()
    pattern = re.compile(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)
    return {name: value.strip() for name, value in pattern.findall(text)}


def _env_example_active() -> dict[str, str]:
    """NAME -> value for the lines of .env.example that are not commented out."""
    text = (ROOT / ".env.example").read_text()
    pattern = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)
    return {name: value.strip() for name, value in pattern.findall(text)}


# docker-compose.yml


def test_compose_defines_the_seven_services():
    assert set(_services()) == {
        "postgres",
        "redis",
        "migrate",
        "web",
        "worker",
        "beat",
        "mailpit",
    }


def test_postgres_has_a_pg_isready_healthcheck():
    postgres = _services()["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_postgres_keeps_its_data_in_a_named_volume():
    compose = _compose()
    volume_names = [mount.split(":")[0] for mount in compose["services"]["postgres"]["volumes"]]
    assert any(name in compose.get("volumes", {}) for name in volume_names)


def test_redis_has_a_redis_cli_ping_healthcheck():
    redis = _services()["redis"]
    assert redis["image"].startswith("redis:7")
    assert "redis-cli ping" in " ".join(redis["healthcheck"]["test"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_use_the_same_image_build_and_environment_as_web(service):
    services = _services()
    web = services["web"]
    assert web["image"] == "convening:local"
    assert web["build"] == "."
    assert services[service]["image"] == web["image"]
    assert services[service]["build"] == web["build"]
    assert services[service]["environment"] == web["environment"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_run_as_the_images_non_root_user(service):
    assert _services()[service].get("user") is None


def test_web_waits_for_migrations_to_finish_and_for_postgres_and_redis_to_be_healthy():
    depends_on = _services()["web"]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_web_publishes_port_8000():
    assert "8000:8000" in _services()["web"]["ports"]


def test_migrate_runs_the_migrations_once_after_postgres_is_healthy():
    migrate = _services()["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_worker_and_beat_run_celery_for_the_convening_app():
    services = _services()
    assert services["worker"]["command"][:4] == ["celery", "-A", "convening", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "convening", "beat"]
    # Outside /app, which the app user cannot write to.
    assert beat[beat.index("--schedule") + 1] == "/tmp/celerybeat-schedule"  # noqa: S108


def test_app_environment_points_at_the_stacks_postgres_redis_and_mailpit():
    environment = _services()["web"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379")
    assert environment["EMAIL_HOST"] == "mailpit"
    assert str(environment["EMAIL_PORT"]) == "1025"


def test_local_stack_turns_off_https_only_redirects_and_cookies():
    environment = _services()["web"]["environment"]
    assert environment["SECURE_SSL_REDIRECT"] == "false"
    assert environment["SECURE_COOKIES"] == "false"


def test_secret_key_must_come_from_the_environment():
    secret_key = _services()["web"]["environment"]["SECRET_KEY"]
    assert REQUIRED_REFERENCE.fullmatch(secret_key)
    assert secret_key.startswith("${SECRET_KEY:?")


@pytest.mark.parametrize("service", ["postgres", "redis", "mailpit", *APP_SERVICES])
def test_no_service_environment_holds_a_literal_secret(service):
    environment = _services()[service].get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    for name, value in environment.items():
        if SECRET_NAME.search(name):
            assert REQUIRED_REFERENCE.fullmatch(str(value)), name
        # A password inside a URL (postgres://user:password@host) must be a required reference.
        masked = REQUIRED_REFERENCE.sub("<required>", str(value))
        masked = re.sub(r"\$\{[^}]*\}", "<optional>", masked)
        for password in re.findall(r"://[^:/@]+:([^@]+)@", masked):
            assert password == "<required>", name


# Dockerfile and .dockerignore


def test_dockerfile_builds_on_python_3_11_slim():
    instructions = _dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")


def test_dockerfile_switches_to_a_non_root_user():
    users = [arguments for keyword, arguments in _dockerfile_instructions() if keyword == "USER"]
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_collects_static_files_at_build_time_with_a_throwaway_secret():
    runs = [arguments for keyword, arguments in _dockerfile_instructions() if keyword == "RUN"]
    collectstatic = [run for run in runs if "collectstatic --noinput" in run]
    assert collectstatic
    assert "DEBUG=0" in collectstatic[0]
    assert "SECRET_KEY=" in collectstatic[0]
    assert not any(
        keyword in {"ENV", "ARG"} and "SECRET_KEY" in arguments
        for keyword, arguments in _dockerfile_instructions()
    )


def test_dockerfile_installs_no_dev_extras():
    text = (ROOT / "Dockerfile").read_text()
    assert "[dev]" not in text
    assert "optional-dependencies" not in text


def test_dockerfile_has_a_healthcheck_on_healthz():
    healthchecks = [
        arguments for keyword, arguments in _dockerfile_instructions() if keyword == "HEALTHCHECK"
    ]
    assert len(healthchecks) == 1
    assert "/healthz" in healthchecks[0]
    assert "curl" not in healthchecks[0]


def test_dockerfile_serves_gunicorn_on_port_8000_by_default():
    instructions = _dockerfile_instructions()
    assert ("EXPOSE", "8000") in instructions
    command = [arguments for keyword, arguments in instructions if keyword == "CMD"][-1]
    assert "gunicorn convening.wsgi:application" in command
    assert "--bind 0.0.0.0:8000" in command


def test_dockerfile_exec_form_commands_are_valid_json():
    # Docker silently runs a malformed JSON array as a shell string instead.
    for keyword, arguments in _dockerfile_instructions():
        if keyword == "HEALTHCHECK":
            arguments = arguments.partition(" CMD ")[2]
        if keyword in {"CMD", "ENTRYPOINT", "HEALTHCHECK"} and arguments.startswith("["):
            assert all(isinstance(part, str) for part in json.loads(arguments)), keyword


@pytest.mark.parametrize("pattern", [".env", ".venv", "var", ".git", "**/__pycache__"])
def test_dockerignore_keeps_local_files_and_secrets_out_of_the_image(pattern):
    patterns = (ROOT / ".dockerignore").read_text().splitlines()
    assert pattern in patterns


# .env.example


def test_settings_read_environment_variables_the_pattern_can_find():
    # Guards the regex below: if it stopped matching, every documentation test would pass.
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL"} <= set(_settings_env_names())


@pytest.mark.parametrize("name", _settings_env_names())
def test_every_environment_variable_settings_read_is_in_env_example(name):
    assert name in _env_example_assignments()


@pytest.mark.parametrize("name", ["CONVENING_REQUIRE_SERVICES", "PORT", "POSTGRES_PASSWORD"])
def test_env_example_also_lists_the_test_run_and_compose_variables(name):
    assert name in _env_example_assignments()


def test_every_env_example_variable_has_a_comment_above_it():
    lines = (ROOT / ".env.example").read_text().splitlines()
    assignment = re.compile(r"^(?:#\s*)?[A-Z][A-Z0-9_]*=")
    for number, line in enumerate(lines):
        if assignment.match(line):
            above = lines[number - 1]
            assert above.startswith("#"), line
            assert not assignment.match(above), line


def test_env_example_values_are_safe_to_copy():
    active = _env_example_active()
    assert active["DEBUG"] == "false"
    assert active["SECRET_KEY"].startswith("change-me")
    assert active["POSTGRES_PASSWORD"].startswith("change-me")
    # Left at their secure defaults unless someone opts out on purpose.
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "REQUIRE_MFA_FOR_LEADS"):
        assert name not in active
