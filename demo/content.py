"""The demo's words, read from the TOML files in demo/data/.

Everything a reader of the demo sees (organisations, programmes, meeting notes, learning,
narratives, the plan and the register) is written in those files; demo/region.py and
demo/scale.py only decide how many rows to make and when each thing happened. Enumerated
values (a sector, a learning kind, a rating) are written as the model's stored value, so a file
is checked against the models when the demo is seeded, not here.

Layout: `region.toml` (accounts, organisations, names, ground rules and the programmes in
order), then one folder per programme slug with `programme.toml` (the programme, its
innovations and their adoption histories and narratives, the agreed understanding and the
complexity assessments), `spaces.toml` (the adaptive spaces and their sessions), `plan.toml`
(planned activities and the local knowledge register) and `learning.toml` (hub learning and
feedback). `scale.toml` holds the word lists of the region-scale benchmark data.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import time
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def read(name: str) -> dict[str, Any]:
    """One data file, by its path under demo/data/."""
    with (DATA / name).open("rb") as file:
        return tomllib.load(file)


@dataclass(frozen=True)
class Session:
    """What one logged meeting covered: its notes, tensions, decisions, the practices it served
    (area.practice codes), the actions agreed and one learning point (title, kind, body)."""

    title: str
    practices: tuple[str, ...]
    notes: str
    tensions: str
    decisions: str
    actions: tuple[str, ...]
    learning: tuple[str, str, str]

    @classmethod
    def of(cls, data: dict[str, Any]) -> Session:
        learning = data["learning"]
        return cls(
            title=data["title"],
            practices=tuple(data["practices"]),
            notes=data["notes"],
            tensions=data["tensions"],
            decisions=data["decisions"],
            actions=tuple(data["actions"]),
            learning=(learning["title"], learning["kind"], learning["body"]),
        )


@dataclass(frozen=True)
class SpaceSpec:
    name: str
    slug: str
    kind: str
    purpose: str
    cadence: str
    meeting_label: str
    format: str
    location: str
    starts: time
    minutes: int
    sessions: tuple[Session, ...]
    confidentiality: str = "standard"
    # Sectors the other members come from (None: any); how many of them.
    sectors: tuple[str, ...] | None = None
    size: int = 10
    # The demo accounts in the space (index into the accounts -> space role).
    demo_members: tuple[tuple[int, str], ...] = ()
    # When no demo account facilitates: role groups to pick the facilitator from.
    facilitator_role_groups: tuple[str, ...] = ()
    # The order of the programme's shared sessions in this space (None: as written), so that
    # the spaces do not all end the year on the same ones.
    round_order: tuple[int, ...] | None = None

    @classmethod
    def of(cls, data: dict[str, Any], accounts: list[str]) -> SpaceSpec:
        """`accounts` are the demo accounts' roles in order; the file names a demo member by
        that role (`demo_members = { facilitator = "facilitator" }`)."""
        data = dict(data)
        data["sessions"] = tuple(Session.of(item) for item in data["sessions"])
        data["demo_members"] = tuple(
            (accounts.index(account), role)
            for account, role in data.get("demo_members", {}).items()
        )
        for name in ("sectors", "facilitator_role_groups", "round_order"):
            if name in data:
                data[name] = tuple(data[name])
        return cls(**data)


@dataclass(frozen=True)
class ActivitySpec:
    """A planned activity. `owner` is a demo account ("lead", "facilitator", "member") or a
    role group (the next person of that group); `due` is in days from today; `actions` are the
    titles of meeting actions that serve it; `from_domain` plans it from that domain's prompt,
    with the prompt's title and description."""

    practices: tuple[str, ...]
    title: str
    owner: str
    status: str
    due: int | None = None
    space: str = ""
    description: str = ""
    actions: tuple[str, ...] = ()
    from_domain: str = ""

    @classmethod
    def of(cls, data: dict[str, Any]) -> ActivitySpec:
        return cls(
            **{
                **data,
                "practices": tuple(data.get("practices", ())),
                "title": data.get("title", ""),
                "actions": tuple(data.get("actions", ())),
            }
        )


@dataclass(frozen=True)
class KnowledgeSpec:
    """An entry in the local knowledge register: `site` is an organisation's short name (empty
    for the whole programme); `closed` is how many days ago it was closed, if it was."""

    site: str
    kind: str
    title: str
    description: str
    impact: str
    mitigation: str
    owner: str
    closed: int | None = None


@dataclass(frozen=True)
class HubEntry:
    """A learning entry written directly (not from a meeting). `days` ago it was published (or,
    for a draft, written); `review` is its "still true?" date in days from today; `author` a
    demo account's role; `site` a short name; `areas` activity area numbers."""

    innovation: str | None
    kind: str
    title: str
    body: str
    days: int
    author: str = "facilitator"
    site: str = ""
    areas: tuple[int, ...] = ()
    visibility: str = "public"
    status: str = "published"
    review: int | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> HubEntry:
        return cls(
            **{
                **data,
                "innovation": data.get("innovation"),
                "areas": tuple(data.get("areas", ())),
            }
        )


@dataclass(frozen=True)
class FeedbackSpec:
    """Feedback from the hub, `days` ago; answered ones carry the response (and the title of
    the published learning entry that answers it, if any)."""

    innovation: str
    kind: str
    body: str
    days: int
    status: str = "new"
    name: str = ""
    email: str = ""
    site: str = ""
    response: str = ""
    answer_entry: str = ""


@dataclass(frozen=True)
class Assessment:
    """A complexity assessment `days` ago, with {domain: (rating, note)}."""

    days: int
    interdependence: str
    summary: str
    ratings: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Understanding:
    """The words agreed, oldest version first, as (days ago, {field: text})."""

    agreed_by: str
    versions: tuple[tuple[int, dict[str, str]], ...]


@dataclass(frozen=True)
class DemoContent:
    password: str
    # (email, name, membership role), the lead first.
    accounts: tuple[tuple[str, str, str], ...]
    # (name, short name, sector, place).
    organisations: tuple[tuple[str, str, str, str], ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    job_titles: dict[str, list[str]]
    sector_role_groups: dict[str, str]
    ground_rules: dict[str, str]
    programmes: list[dict[str, Any]]
    spaces: dict[str, tuple[tuple[SpaceSpec, ...], tuple[Session, ...]]] = field(repr=False)
    understanding: dict[str, Understanding] = field(repr=False)
    assessments: dict[str, tuple[Assessment, ...]] = field(repr=False)
    activities: dict[str, tuple[ActivitySpec, ...]] = field(repr=False)
    knowledge: dict[str, tuple[KnowledgeSpec, ...]] = field(repr=False)
    innovation_details: dict[str, dict[str, str]] = field(repr=False)
    # Per innovation and site (short name): the stage changes, as (stage, days ago, note).
    adoption_histories: dict[str, dict[str, tuple[tuple[str, int, str], ...]]] = field(repr=False)
    # Per innovation: the site whose local lead has not agreed to be contacted.
    not_contactable_leads: dict[str, str] = field(repr=False)
    narratives: dict[str, dict[str, str]] = field(repr=False)
    hub_learning: dict[str, tuple[HubEntry, ...]] = field(repr=False)
    feedback: tuple[FeedbackSpec, ...] = field(repr=False)


@cache
def demo_content() -> DemoContent:
    """All of the demo's content, read once."""
    region = read("region.toml")
    accounts = tuple((a["email"], a["name"], a["role"]) for a in region["accounts"])
    roles = [role for _email, _name, role in accounts]
    programmes, spaces, understanding, assessments = [], {}, {}, {}
    activities, knowledge, hub_learning, feedback = {}, {}, {}, []
    details, histories, quiet_leads, narratives = {}, {}, {}, {}
    for slug in region["programmes"]:
        programme = read(f"{slug}/programme.toml")
        innovations = programme.pop("innovations")
        words = programme.pop("understanding")
        assessed = programme.pop("assessments")
        programmes.append(
            {
                **programme,
                "slug": slug,
                "innovations": [
                    {key: item[key] for key in ("name", "slug", "summary", "innovator")}
                    | {"core": item["core"], "adaptable": item["adaptable"]}
                    for item in innovations
                ],
            }
        )
        for item in innovations:
            details[item["slug"]] = item["details"]
            histories[item["slug"]] = {
                site["site"]: tuple(
                    (stage["stage"], stage["days"], stage["note"]) for stage in site["stages"]
                )
                for site in item["adoptions"]
            }
            quiet_leads[item["slug"]] = item["not_contactable_lead"]
            narratives[item["slug"]] = item["narratives"]
        understanding[slug] = Understanding(
            agreed_by=words["agreed_by"],
            versions=tuple(
                (version.pop("days"), version) for version in map(dict, words["versions"])
            ),
        )
        assessments[slug] = tuple(
            Assessment(
                days=item["days"],
                interdependence=item["interdependence"],
                summary=item["summary"],
                ratings={
                    domain: (rating["rating"], rating["note"])
                    for domain, rating in item["ratings"].items()
                },
            )
            for item in assessed
        )
        space_data = read(f"{slug}/spaces.toml")
        spaces[slug] = (
            tuple(SpaceSpec.of(item, roles) for item in space_data["spaces"]),
            tuple(Session.of(item) for item in space_data["round"]),
        )
        plan = read(f"{slug}/plan.toml")
        activities[slug] = tuple(ActivitySpec.of(item) for item in plan["activities"])
        knowledge[slug] = tuple(KnowledgeSpec(**item) for item in plan["knowledge"])
        learning = read(f"{slug}/learning.toml")
        hub_learning[slug] = tuple(HubEntry.of(item) for item in learning["hub"])
        feedback += [FeedbackSpec(**item) for item in learning["feedback"]]
    return DemoContent(
        password=region["password"],
        accounts=accounts,
        organisations=tuple(
            (o["name"], o["short_name"], o["sector"], o["place"]) for o in region["organisations"]
        ),
        first_names=tuple(region["first_names"]),
        last_names=tuple(region["last_names"]),
        job_titles=region["job_titles"],
        sector_role_groups=region["sector_role_groups"],
        ground_rules=region["ground_rules"],
        programmes=programmes,
        spaces=spaces,
        understanding=understanding,
        assessments=assessments,
        activities=activities,
        knowledge=knowledge,
        innovation_details=details,
        adoption_histories=histories,
        not_contactable_leads=quiet_leads,
        narratives=narratives,
        hub_learning=hub_learning,
        feedback=tuple(feedback),
    )
