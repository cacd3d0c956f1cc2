"""Browser tests: Debian's Chromium driven by Playwright, with axe-core on every page visited.

Each module here sets `pytestmark = BROWSER_TEST_MARKS`: marked `browser`, and run against
pytest-django's live server in a transactional database. `serialized_rollback` restores the rows
the data migrations made (the activity areas) after each test, so later tests still see them.
"""

import importlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in the test's thread, and Django refuses database
# access from a thread with a running loop unless told this is safe. It is: the loop only
# drives the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Web-first assertions wait up to this long; the live server answers in milliseconds.
EXPECT_TIMEOUT_MS = 5_000

# WCAG 2.2 A and AA, as DESIGN section 9 asks; axe's best-practice rules are not included.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}

_axe = Axe()

BROWSER_TEST_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# Browser ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance():
    manager = sync_playwright()
    playwright = manager.start()
    yield playwright
    manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        browser = playwright_instance.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception as error:
        skip_or_fail(f"Playwright could not launch {CHROMIUM}: {error}")
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _the_ten_areas(transactional_db):
    """The activity areas and practices that the data migration makes.

    `serialized_rollback` does not bring them back after the first browser test of a session:
    once Playwright's event loop runs in this thread, Django hands out a new connection for it,
    which has no serialized copy of the database to restore. So recreate them when missing.
    """
    from django.apps import apps

    from activities.models import Practice

    if not Practice.objects.exists():
        migration = importlib.import_module("activities.migrations.0002_the_ten_areas")
        migration.create_areas(apps, None)


@pytest.fixture(autouse=True)
def _expect_timeout():
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


# Checks on every page ---------------------------------------------------------------------------


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            targets = ", ".join(
                " ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            lines.append(f"    at {targets}")
            lines.append(f"       {node['html'][:300]}")
    return "\n".join(lines)


def axe_violations(page) -> list[dict]:
    """The WCAG 2.2 A and AA violations axe-core finds on the page as it is now."""
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def assert_accessible(page, state: str = "") -> None:
    """Fail with a readable list if axe-core finds WCAG 2.2 A or AA violations."""
    _assert_no_violations(axe_violations(page), f"{page.url}{f' ({state})' if state else ''}")


def _assert_no_violations(violations: list[dict], where: str) -> None:
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) on {where}:\n"
        + _describe(violations)
    )


@dataclass
class PageProblems:
    """What the browser reported while a page was open that a user never sees directly."""

    csp_violations: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))

    def _on_console(self, message) -> None:
        text = message.text
        if message.type == "error" and "Content Security Policy" in text:
            self.csp_violations.append(f"{message.location.get('url', '')}: {text}")

    def assert_none(self, where: str) -> None:
        csp, errors = self.csp_violations[:], self.script_errors[:]
        self.csp_violations.clear()
        self.script_errors.clear()
        assert not csp, f"Content-Security-Policy violations on {where}:\n" + "\n".join(csp)
        assert not errors, f"Uncaught script errors on {where}:\n" + "\n".join(errors)


def _axe_violations_without_scripts(page) -> list[dict]:
    """axe-core for a page open with JavaScript off.

    axe never finishes in a context with JavaScript disabled (its timers do not run), so the
    same address is opened in a scripting context whose document responses have their
    <script> elements removed: the page the no-JavaScript visitor sees, which axe can check.
    """
    context = page.context.browser.new_context(
        storage_state=page.context.storage_state(), locale="en-GB"
    )
    try:

        def strip_scripts(route):
            if route.request.resource_type != "document":
                route.continue_()
                return
            response = route.fetch()
            html = re.sub(r"<script\b[^>]*>.*?</script>", "", response.text(), flags=re.S)
            route.fulfill(response=response, body=html)

        context.route("**/*", strip_scripts)
        checker = context.new_page()
        checker.goto(page.url)
        return axe_violations(checker)
    finally:
        context.close()


class Visitor:
    """Opens pages and checks each one: axe-core, the CSP, and uncaught script errors.

    Call `visit(path)` to open a page by address, and `after_navigation()` after any click
    or submit that loads a new page (or after an htmx swap, to check the new state).

    Problems are collected rather than raised at once, so one run of a journey reports every
    page that fails, and the journey's own steps are still exercised. The test ends with
    `assert_every_page_passed()`; if it does not get there, the `visitor` fixture fails the
    test at teardown instead, so a problem is never lost.
    """

    def __init__(self, page, base_url: str, javascript: bool = True):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.javascript = javascript
        self.watcher = PageProblems()
        self.watcher.watch(page)
        self.checked: list[str] = []
        self.problems: list[str] = []

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def visit(self, path: str, state: str = ""):
        response = self.page.goto(self.url(path))
        self.after_navigation(state)
        return response

    def after_navigation(self, state: str = "") -> None:
        self.page.wait_for_load_state("load")
        where = f"{self.page.url}{f' ({state})' if state else ''}"
        self.checked.append(where)
        for check in (self.watcher.assert_none, self._assert_accessible, self.watcher.assert_none):
            try:
                check(where)
            except AssertionError as problem:
                self.problems.append(str(problem).split("\nassert ")[0])

    def _assert_accessible(self, where: str) -> None:
        if self.javascript:
            violations = axe_violations(self.page)
        else:
            violations = _axe_violations_without_scripts(self.page)
        _assert_no_violations(violations, where)

    def assert_every_page_passed(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, (
            f"{len(problems)} of the {len(self.checked)} page states visited failed:\n\n"
            + "\n\n".join(problems)
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
        visitor = getattr(item, "browser_visitor", None)
        if report.failed and visitor is not None and visitor.problems:
            # The test stopped on something else; still show what the pages before it had.
            report.sections.append(
                ("axe-core and CSP problems before the failure", "\n\n".join(visitor.problems))
            )
    return report


@pytest.fixture
def visitor(request, page, live_server):
    visitor = Visitor(page, live_server.url)
    request.node.browser_visitor = visitor
    yield visitor
    if visitor.problems and not getattr(request.node, "browser_call_failed", False):
        visitor.assert_every_page_passed()


# Data and signing in ----------------------------------------------------------------------------


@pytest.fixture
def sign_in_through_form():
    """Sign in on the real sign-in page; the caller checks where it lands."""

    def sign_in(visitor: Visitor, email: str, password: str) -> None:
        page = visitor.page
        response = visitor.visit("/accounts/login/", state="signed out")
        assert response.status == 200, f"The sign-in page answered {response.status}"
        form = page.locator("main form").filter(has=page.locator("input[name='password']"))
        email_field = form.locator("input[name='login']")
        expect(email_field).to_be_visible()
        email_field.fill(email)
        form.locator("input[name='password']").fill(password)
        form.locator("button[type='submit'], input[type='submit']").first.click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        visitor.after_navigation()

    return sign_in


@pytest.fixture
def sign_in_by_cookie(client, live_server):
    """Sign a user in without the form: the test client's session cookie, in the browser."""

    def sign_in(context, user) -> None:
        from django.conf import settings

        client.force_login(user)
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return sign_in


def sign_out(visitor: Visitor) -> None:
    """Press "Sign out" in the header (a POST form) and check the page it lands on."""
    page = visitor.page
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    visitor.after_navigation("after signing out")
