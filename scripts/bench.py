"""Server time and query counts of the key pages, at demo size and at region scale.

    make bench                                                   # SQLite: var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/convening_bench make bench

A script rather than a management command, because it must choose the settings before Django
reads them: production-like (DEBUG off, cached templates, persistent connections) with only what
an in-process client needs relaxed (no HTTPS redirect, "testserver" allowed, no MFA set-up
redirect, static files by plain name). Without DATABASE_URL it uses its own SQLite file, never
the `make run` database, because it loads 10,000 people into it.

It migrates the database, builds what is missing (seed_scale, then seed_demo), then requests each
page through Django's test Client, signed in with force_login (the learning hub's innovation page
anonymously, as adopters read it): warm-up requests first, then the measured ones. It prints the
median and 95th percentile server time, the queries per request, and whether the page meets its
targets (time, and for some pages queries); and each page's query count on the demo data beside
the region data, which should be the same. Targets are reported, not asserted: the exit status is
non-zero only when something fails (an exception or a response other than 200).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SEARCH_TARGET_MS = 50
PAGE_TARGET_MS = 150
HUB_QUERY_TARGET = 12  # the anonymous innovation page runs fewer queries than this
# A word in many learning entries, at both sizes, for the learning log's search.
LEARNING_SEARCH = "carers"


def configure_environment() -> None:
    """Production-like settings, relaxed only where the in-process client needs it."""
    if not os.environ.get("DATABASE_URL"):
        (BASE_DIR / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-never-used-to-serve-anyone-0123456789"
    )
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["REQUIRE_MFA_FOR_LEADS"] = "false"
    os.environ["STATICFILES_MANIFEST"] = "false"  # no collectstatic needed
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The API's pages are requested hundreds of times a minute here, by one user.
    os.environ["API_RATE_LIMIT"] = "100000/m"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convening.settings")
    sys.path.insert(0, str(BASE_DIR))


@dataclass
class Page:
    name: str
    url: str
    htmx: bool = False
    target_ms: int = PAGE_TARGET_MS
    anonymous: bool = False  # requested without signing in
    query_target: int | None = None  # fewer queries than this, if set

    @property
    def target(self) -> str:
        queries = f", < {self.query_target} q" if self.query_target else ""
        return f"< {self.target_ms} ms{queries}"


@dataclass
class Result:
    page: Page
    median_ms: float
    p95_ms: float
    queries: int

    @property
    def meets_target(self) -> bool:
        if self.page.query_target is not None and not (
            self.queries is not None and self.queries < self.page.query_target
        ):
            return False
        return self.p95_ms < self.page.target_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per page")
    parser.add_argument("--requests", type=int, default=50, help="measured requests per page")
    parser.add_argument("--scale", type=float, default=1.0, help="seed_scale size, if it runs")
    args = parser.parse_args()
    configure_environment()

    import warnings

    import django

    # WhiteNoise warns that STATIC_ROOT is missing: pages here need no collected files.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    from convening.wsgi import settle_heap

    print(f"Database: {database_name()}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    ensure_data(call_command, args.scale)
    print(describe_data(), flush=True)
    bench_network_snapshots()

    failures: list[str] = []
    region_pages, region_user = region_dataset()
    demo_pages, demo_user = demo_dataset()
    # As convening/wsgi.py does in a server process: objects that live for the whole process
    # are left out of the garbage collector's full sweeps.
    settle_heap()
    print(
        f"\nRegion data: {args.warmup} warm-up + {args.requests} measured requests per page, "
        f"signed in as {region_user.email} (anonymous where the page says so).\n",
        flush=True,
    )
    results = [
        measure(region_user, page, args.warmup, args.requests, failures) for page in region_pages
    ]
    print(f"Figures from {database_name()}:")
    print_results(results)
    demo_counts = [query_count(demo_user, page, failures) for page in demo_pages]
    print_query_comparison(results, demo_counts, demo_user.email)
    if failures:
        print("\nErrors:\n  " + "\n  ".join(failures))
        return 1
    return 0


# Targets for building the network snapshots (DESIGN section 11), on this 2-core machine.
SNAPSHOT_PROGRAMME_TARGET_S = 10
SNAPSHOT_INSTALLATION_TARGET_S = 60


def bench_network_snapshots() -> None:
    """Build every programme's network snapshots (the region's largest programme timed) and
    the installation's, as the build job does, and print the times against the targets."""
    import time as clock

    from django.db.models import Count

    from convening.models import Programme
    from network.snapshots import build_snapshots

    programmes = list(
        Programme.objects.annotate(people=Count("participants")).order_by("-people", "pk")
    )
    print("\nNetwork snapshots (three windows each):", flush=True)
    for index, programme in enumerate(programmes):
        started = clock.monotonic()
        build_snapshots(programme.pk)
        if index == 0:
            seconds = clock.monotonic() - started
            verdict = "meets" if seconds <= SNAPSHOT_PROGRAMME_TARGET_S else "MISSES"
            print(
                f"  largest programme ({programme.people:,} people, {programme.slug}): "
                f"{seconds:.1f} s, {verdict} the {SNAPSHOT_PROGRAMME_TARGET_S} s target",
                flush=True,
            )
    started = clock.monotonic()
    build_snapshots(None)
    seconds = clock.monotonic() - started
    verdict = "meets" if seconds <= SNAPSHOT_INSTALLATION_TARGET_S else "MISSES"
    print(
        f"  whole installation ({len(programmes)} programmes): {seconds:.1f} s, {verdict} the "
        f"{SNAPSHOT_INSTALLATION_TARGET_S} s target\n",
        flush=True,
    )


def database_name() -> str:
    """The database the figures come from, with its version: "PostgreSQL 15.4 (convening_bench)"."""
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150004 for 15.4
        product = f"PostgreSQL {version // 10000}.{version % 10000}"
    elif connection.vendor == "sqlite":
        import sqlite3

        product = f"SQLite {sqlite3.sqlite_version}"
    else:
        product = connection.display_name
    return f"{product} ({connection.settings_dict['NAME']})"


def ensure_data(call_command, scale: float) -> None:
    from django.test import override_settings

    from activities.models import PlannedActivity
    from convening.models import Programme, User
    from demo.management.commands.seed_scale import BENCH_EMAIL
    from learning.models import Narrative

    if not User.objects.filter(email=BENCH_EMAIL).exists():
        print("Building the region-scale data (seed_scale)...", flush=True)
        call_command("seed_scale", scale=scale, force=True)
    elif not PlannedActivity.objects.filter(
        programme__memberships__user__email=BENCH_EMAIL
    ).exists():
        raise SystemExit(
            "The benchmark database was built before activity plans existed: delete it "
            "(var/bench.sqlite3, or drop the DATABASE_URL database) and run again."
        )
    elif not Narrative.objects.filter(
        innovation__programme__memberships__user__email=BENCH_EMAIL
    ).exists():
        raise SystemExit(
            "The benchmark database was built before the learning hub existed (it has no "
            "narratives): delete it (var/bench.sqlite3, or drop the DATABASE_URL database) and "
            "run again."
        )
    demo = Programme.objects.filter(slug="frailty-virtual-wards")
    if not demo.exists() or not Narrative.objects.filter(innovation__programme__in=demo).exists():
        # seed_demo adds only what is missing, so this also brings older demo data up to date.
        print("Adding the demo data (seed_demo)...", flush=True)
        # seed_demo refuses to run with DEBUG off; this is a benchmark database.
        with override_settings(DEBUG=True):
            call_command("seed_demo")


def describe_data() -> str:
    from activities.models import LocalKnowledge, PlannedActivity
    from convening.models import Adoption, AdoptionEvent, Organisation, Participant, Programme
    from learning.models import Feedback, LearningEntry, Narrative
    from spaces.models import AdaptiveSpace, Attendance, Meeting

    counts = {
        "programmes": Programme,
        "organisations": Organisation,
        "participants": Participant,
        "spaces": AdaptiveSpace,
        "meetings": Meeting,
        "attendance rows": Attendance,
        "learning entries": LearningEntry,
        "planned activities": PlannedActivity,
        "local knowledge entries": LocalKnowledge,
        "adoptions": Adoption,
        "stage changes": AdoptionEvent,
        "narratives": Narrative,
        "feedback": Feedback,
    }
    described = [f"{m.objects.count():,} {name}" for name, m in counts.items()]
    described.append(f"{LearningEntry.objects.public().count():,} entries on public hubs")
    return "Data: " + ", ".join(described)


def key_pages(
    programme, space, meeting, innovation, people_query: str, attendee_query: str
) -> list[Page]:
    """Every key page of steps 1 to 5 and three lists of the JSON API, as a lead of the
    programme reads them (the hub's pages anonymously). The step 3 to 5 pages after the first
    three of step 4 take a sample object of the programme each: its first planned activity,
    newest learning entry and so on."""
    from django.urls import reverse

    log_url = f"{meeting.get_absolute_url()}log/"
    people_url = f"{programme.get_absolute_url()}people/?q={people_query}"
    slug = programme.slug
    samples = programme_samples(programme, innovation)
    return [
        Page("Programme overview", programme.get_absolute_url()),
        Page("Activity plan", reverse("plan", args=[slug])),
        Page("Planned activity", reverse("activity_detail", args=[slug, samples["activity"]])),
        Page("Coverage", reverse("coverage", args=[slug])),
        Page("Coverage of one area", reverse("coverage_area", args=[slug, 4])),
        Page("Complexity", reverse("complexity", args=[slug])),
        Page("Board report", reverse("board_report", args=[slug])),
        Page("Local knowledge register", reverse("knowledge_list", args=[slug])),
        Page("People search (plain)", people_url),
        Page("People search (htmx)", people_url, htmx=True),
        Page("Space page", space.get_absolute_url()),
        Page(f"Meeting log ({meeting.attendances.count()} attendees)", log_url),
        Page("My spaces", "/my-spaces/"),
        Page(
            "Attendee search (htmx)",
            f"{log_url}attendees/search/?q={attendee_query}",
            htmx=True,
            target_ms=SEARCH_TARGET_MS,
        ),
        Page(
            "Hub innovation page (anonymous)",
            reverse("hub_innovation", args=[slug, innovation.slug]),
            anonymous=True,
            query_target=HUB_QUERY_TARGET,
        ),
        Page(
            "Learning log (search)",
            f"{reverse('learning_log', args=[slug])}?q={LEARNING_SEARCH}",
        ),
        Page("Adoption tracker", reverse("adoption_tracker", args=[slug])),
        Page("Learning log", reverse("learning_log", args=[slug])),
        Page("Learning entry", reverse("learning_detail", args=[slug, samples["entry"]])),
        Page("Innovations", reverse("innovation_list", args=[slug])),
        Page("Innovation page", reverse("innovation_detail", args=[slug, innovation.slug])),
        Page("Adoption timeline", reverse("adoption_timeline", args=[slug, samples["adoption"]])),
        Page("Hub index (anonymous)", reverse("hub_index"), anonymous=True),
        Page(
            "Hub programme page (anonymous)", reverse("hub_programme", args=[slug]), anonymous=True
        ),
        Page(
            "Hub entry (anonymous)",
            reverse("hub_entry", args=[slug, innovation.slug, samples["public_entry"]]),
            anonymous=True,
        ),
        Page("Feedback inbox", reverse("feedback_inbox", args=[slug])),
        Page("Feedback item", reverse("feedback_detail", args=[slug, samples["feedback"]])),
        Page("Digest log", reverse("digest_log", args=[slug])),
        Page("Digest preview", reverse("digest_preview", args=[slug])),
        Page("My digests", reverse("my_digests")),
        # The JSON API's biggest lists: a first page of 50, signed in by the session.
        Page("API: meetings", f"/api/programmes/{slug}/meetings"),
        Page("API: participants", f"/api/programmes/{slug}/participants"),
        Page("API: learning", f"/api/programmes/{slug}/learning"),
        Page("Network", reverse("network", args=[slug])),
        Page("Network person page", reverse("network_person", args=[slug, samples["person"]])),
        Page(
            "Network organisation page",
            reverse("network_organisation", args=[slug, samples["organisation"]]),
        ),
        Page("Introductions", reverse("introductions", args=[slug])),
        Page("API: network people", f"/api/programmes/{slug}/network/people"),
    ]


def programme_samples(programme, innovation) -> dict[str, int]:
    """Ids of one object of each kind the step 3 to 5 pages show, the newest where it matters."""
    from activities.models import PlannedActivity
    from convening.models import Adoption
    from learning.models import Feedback, LearningEntry

    entries = LearningEntry.objects.for_programme(programme)
    samples = {
        "activity": PlannedActivity.objects.filter(programme=programme).order_by("pk").first(),
        "entry": entries.order_by("-created_at", "-pk").first(),
        "public_entry": entries.public()
        .filter(innovation=innovation)
        .order_by("-published_at", "-pk")
        .first(),
        "adoption": Adoption.objects.filter(innovation__programme=programme).order_by("pk").first(),
        "feedback": Feedback.objects.filter(innovation__programme=programme).order_by("pk").first(),
    }
    # The person who met most people, and the organisation with most people, in 12 months.
    from network.models import GroupMeasure, PersonMeasure

    samples["person"] = (
        PersonMeasure.objects.filter(snapshot__programme=programme, snapshot__window="12m")
        .order_by("-contacts", "pk")
        .values_list("participant_id", flat=True)
        .first()
    )
    samples["organisation"] = (
        GroupMeasure.objects.filter(
            snapshot__programme=programme, snapshot__window="12m", boundary="organisation"
        )
        .order_by("-people", "pk")
        .values_list("organisation_id", flat=True)
        .first()
    )
    missing = [name for name, sample in samples.items() if sample is None]
    if missing:
        raise SystemExit(
            f"{programme.slug} has no {', '.join(missing)}: delete the benchmark database and "
            "run again."
        )
    return {name: getattr(sample, "pk", sample) for name, sample in samples.items()}


def hub_innovation(programme):
    """The programme's innovation with the most public learning; its hub must be public."""
    from django.db.models import Count, Q

    from convening.models import Innovation, Programme

    if programme.hub_visibility != Programme.HubVisibility.PUBLIC:
        raise SystemExit(
            f"The learning hub of {programme.slug} is not public: delete the benchmark "
            "database and run again."
        )
    public = Q(learning__status="published", learning__visibility="public")
    return (
        Innovation.objects.filter(programme=programme)
        .annotate(public_learning=Count("learning", filter=public))
        .order_by("-public_learning", "slug")
        .first()
    )


def region_dataset():
    """The region-wide programme led by the bench user, and its 200-attendee meeting."""
    from convening.models import User
    from demo.management.commands.seed_scale import BENCH_EMAIL, SUMMIT_TITLE
    from spaces.models import Meeting

    user = User.objects.get(email=BENCH_EMAIL)
    meeting = Meeting.objects.select_related("space__programme").get(
        title=SUMMIT_TITLE, space__programme__memberships__user=user
    )
    space = meeting.space
    innovation = hub_innovation(space.programme)
    return key_pages(space.programme, space, meeting, innovation, "Khan", "sha"), user


def demo_dataset():
    """The same pages on the demo data, as its lead, for the query-count comparison."""
    from convening.models import User
    from spaces.models import Meeting

    user = User.objects.get(email="lead@example.org")
    meeting = (
        Meeting.objects.select_related("space__programme")
        .filter(
            space__slug="virtual-ward-learning-collaborative",
            space__programme__slug="frailty-virtual-wards",
            logged_at__isnull=False,
        )
        .order_by("-starts_at")
        .first()
    )
    space = meeting.space
    innovation = hub_innovation(space.programme)
    return key_pages(space.programme, space, meeting, innovation, "Khan", "sha"), user


def client_for(user, page: Page):
    from django.test import Client

    client = Client()
    if not page.anonymous:
        client.force_login(user)
    return client


def get(client, page: Page):
    headers = {"HX-Request": "true"} if page.htmx else {}
    response = client.get(page.url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {page.url} answered {response.status_code}")
    return response


def query_count(user, page: Page, failures: list[str]) -> int | None:
    """Queries for one request, after one to settle the session; the lowest of three, so a
    once-a-minute session refresh does not count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(user, page)
    counts = []
    try:
        get(client, page)
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                get(client, page)
            counts.append(len(queries))
    except Exception as error:  # report every page, then fail at the end
        failures.append(f"{page.name} as {user.email}: {error!r}")
        return None
    return min(counts)


def measure(user, page: Page, warmup: int, requests: int, failures: list[str]) -> Result | None:
    client = client_for(user, page)
    timings = []
    try:
        for _ in range(warmup):
            get(client, page)
        queries = query_count(user, page, failures)
        for _ in range(requests):
            started = time.perf_counter()
            get(client, page)
            timings.append((time.perf_counter() - started) * 1000)
    except Exception as error:
        failures.append(f"{page.name} as {user.email}: {error!r}")
        return None
    timings.sort()
    p95 = timings[max(0, math.ceil(0.95 * len(timings)) - 1)]
    return Result(page, statistics.median(timings), p95, queries)


def print_results(results: list[Result | None]) -> None:
    print(f"{'Page':<34} {'median ms':>9} {'p95 ms':>8} {'queries':>8} {'target':>17}  meets")
    for result in results:
        if result is None:
            continue
        print(
            f"{result.page.name:<34} {result.median_ms:>9.1f} {result.p95_ms:>8.1f} "
            f"{result.queries!s:>8} {result.page.target:>17}  "
            f"{'yes' if result.meets_target else 'NO'}"
        )


def print_query_comparison(results: list[Result | None], demo: list, demo_email: str) -> None:
    print(
        f"\nQueries per request: demo data (as {demo_email}; anonymous pages anonymously) "
        "and region data"
    )
    print(f"{'Page':<34} {'demo':>6} {'region':>7}  same")
    for result, demo_count in zip(results, demo, strict=True):
        if result is None:
            continue
        name = result.page.name.split(" (")[0] if "attendees" in result.page.name else None
        same = "yes" if demo_count == result.queries else "NO"
        print(f"{name or result.page.name:<34} {demo_count!s:>6} {result.queries!s:>7}  {same}")


if __name__ == "__main__":
    sys.exit(main())
