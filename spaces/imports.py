"""Reading a Microsoft Teams attendance report or a Zoom participants export, and matching the
people in it to a programme's participants.

`read_attendance_report(data)` turns the bytes of an uploaded file into an `AttendanceReport`
(or raises `UnreadableReport` with a message for the person who uploaded it);
`match_report(report, meeting)` compares it with the programme; `save_import(...)` records the
attendance. Nothing here knows about requests or responses.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from convening.models import NAME_MAX, Organisation, Participant, RoleGroup
from convening.status import Tag

from .models import Attendance, Meeting

MAX_BYTES = 2 * 1024 * 1024
# Teams and Zoom meetings top out at 1,000 interactive attendees; the preview is kept in the
# session until it is confirmed, so it must stay small.
MAX_PEOPLE = 1000

NAME_HEADERS = {"name", "full name", "name (original name)", "participant"}
EMAIL_HEADERS = {"email", "user email", "email address", "e-mail", "e-mail address"}
# The meeting's own details, above the list (Teams' summary, Zoom's meeting row), and each
# person's first join, which dates a report that has no summary.
TITLE_HEADERS = {"meeting title", "topic", "title"}
START_HEADERS = {"start time", "meeting start time"}
JOIN_HEADERS = {"first join", "join time"}
# Zoom writes "Display name (Original name)" when someone renamed themselves in the meeting.
RENAMED_HEADER = "name (original name)"
DELIMITERS = ("\t", ",", ";")

TOO_LARGE = "The selected file must be smaller than 2 MB"
EMPTY = "The selected file is empty"
NOT_TEXT = (
    "The selected file is not a CSV or TSV file. Upload the file that Teams or Zoom downloaded"
)
NOT_UNICODE = (
    "The selected file could not be read as UTF-8 or UTF-16 text. Upload the file exactly as "
    "Teams or Zoom downloaded it"
)
NO_NAMES = (
    "This is not a Teams attendance report or a Zoom participants export: "
    "no column of names was found"
)
NO_PEOPLE = "The selected file has a list of participants with no one in it"
TOO_MANY = f"The selected file lists more than {MAX_PEOPLE:,} people. Split it into smaller files"

DUPLICATE_JOIN = "Duplicate join"
NO_NAME = "No name"
NAME_TOO_LONG = f"Name longer than {NAME_MAX} characters"


class UnreadableReport(ValidationError):
    """The file is not an attendance report we can read; the message says why, for the user."""


@dataclass(frozen=True)
class ReportRow:
    """One person in the file, after repeated joins are collapsed."""

    name: str
    email: str = ""
    original_name: str = ""  # Zoom's name before the person renamed themselves


@dataclass(frozen=True)
class IgnoredRow:
    name: str
    reason: str
    count: int = 1


@dataclass(frozen=True)
class AttendanceReport:
    people: tuple[ReportRow, ...]
    ignored: tuple[IgnoredRow, ...] = ()
    title: str = ""  # the meeting's title in the report, when it gives one
    started: str = ""  # when the meeting started, as the report wrote it

    def as_session_data(self) -> dict:
        return {
            "people": [[row.name, row.email, row.original_name] for row in self.people],
            "ignored": [[row.name, row.reason, row.count] for row in self.ignored],
            "title": self.title,
            "started": self.started,
        }

    @classmethod
    def from_session_data(cls, data: dict) -> AttendanceReport:
        """The report stored by `as_session_data`; ValueError if it is not in that shape."""
        try:
            people = tuple(ReportRow(str(n), str(e), str(o)) for n, e, o in data["people"])
            ignored = tuple(IgnoredRow(str(n), str(r), int(c)) for n, r, c in data["ignored"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError("Not a stored attendance report") from error
        return cls(people, ignored, str(data.get("title", "")), str(data.get("started", "")))


# Reading the file


def read_attendance_report(data: bytes) -> AttendanceReport:
    """The people listed in a Teams attendance report or a Zoom participants export.

    Accepts CSV or TSV in UTF-8 (with or without a byte order mark) or UTF-16 (with one, as
    Teams downloads it), with or without the summary or meeting details above the list.
    """
    if len(data) > MAX_BYTES:
        raise UnreadableReport(TOO_LARGE)
    text = _decode(data)
    if not text.strip():
        raise UnreadableReport(EMPTY)
    for delimiter in DELIMITERS:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        header_at = _header_row(rows)
        if header_at is not None:
            report = _people(rows[header_at], rows[header_at + 1 :])
            title, started = _meeting_details(rows[:header_at])
            return replace(report, title=title, started=started or report.started)
    raise UnreadableReport(NO_NAMES)


def _meeting_details(rows: list[list[str]]) -> tuple[str, str]:
    """The title and start time above the list: in Teams, rows of a label and its value; in
    Zoom, a row of headings with the values in the row below."""
    found = {"title": "", "started": ""}
    for index, row in enumerate(rows):
        cells = [" ".join(cell.split()) for cell in row]
        for column, cell in enumerate(cells):
            key = _details_key(cell)
            if key is None or found[key]:
                continue
            if column == 0 and len([c for c in cells if c]) == 2:
                found[key] = cells[1]
            elif index + 1 < len(rows):
                found[key] = _cell([" ".join(c.split()) for c in rows[index + 1]], column)
    return found["title"], found["started"]


def _details_key(cell: str) -> str | None:
    heading = _heading(cell)
    if heading in TITLE_HEADERS:
        return "title"
    if heading in START_HEADERS:
        return "started"
    return None


def _decode(data: bytes) -> str:
    if not data:
        raise UnreadableReport(EMPTY)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableReport(NOT_TEXT) from error
    elif b"\x00" in data:
        raise UnreadableReport(NOT_TEXT)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableReport(NOT_UNICODE) from error
    if "\x00" in text:
        raise UnreadableReport(NOT_TEXT)
    return text


def _heading(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").lower().split())


def _header_row(rows: list[list[str]]) -> int | None:
    for index, row in enumerate(rows):
        if any(_heading(cell) in NAME_HEADERS for cell in row):
            return index
    return None


def _column(header: list[str], names: set[str]) -> int | None:
    for index, cell in enumerate(header):
        if _heading(cell) in names:
            return index
    return None


# "3. In-Meeting Activities": the Teams section after the participant list.
SECTION_HEADING = re.compile(r"^\d+\.\s+\S")


def _ends_the_list(cells: list[str], name_column: int) -> bool:
    filled = [cell for cell in cells if cell]
    if len(filled) == 1 and SECTION_HEADING.match(filled[0]):
        return True
    # A second header row starts another section (Teams lists every join again there).
    return name_column < len(cells) and _heading(cells[name_column]) in NAME_HEADERS


def _people(header: list[str], rows: list[list[str]]) -> AttendanceReport:
    name_column = _column(header, NAME_HEADERS)
    email_column = _column(header, EMAIL_HEADERS)
    join_column = _column(header, JOIN_HEADERS)
    first_join = ""
    renamed = _heading(header[name_column]) == RENAMED_HEADER
    collector = _Collector()
    for row in rows:
        cells = [" ".join(cell.split()) for cell in row]
        if not any(cells):
            continue
        if _ends_the_list(cells, name_column):
            break
        email = _valid_email(_cell(cells, email_column))
        collector.add(_cell(cells, name_column), email, renamed)
        first_join = first_join or _cell(cells, join_column)
    if not collector.people:
        raise UnreadableReport(NO_PEOPLE)
    if len(collector.people) > MAX_PEOPLE:
        raise UnreadableReport(TOO_MANY)
    return AttendanceReport(tuple(collector.people), collector.ignored_rows(), started=first_join)


def _cell(cells: list[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


def _valid_email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text


def name_key(name: str) -> str:
    """Names compare without regard to case or spacing."""
    return " ".join(name.casefold().split())


RENAMED = re.compile(r"^(?P<shown>.*\S)\s*\((?P<original>[^()]+)\)$")
# Labels Teams adds to the names of people from outside the organisation.
TEAMS_LABEL = re.compile(r"\s*\((guest|external|unverified)\)$", re.IGNORECASE)


@dataclass
class _Collector:
    """Collapses repeated joins into one row per person."""

    people: list[ReportRow] = field(default_factory=list)
    ignored: dict[tuple[str, str], int] = field(default_factory=dict)
    by_email: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, email: str, renamed: bool) -> None:
        original = ""
        name = TEAMS_LABEL.sub("", name)
        if renamed and (found := RENAMED.match(name)):
            name, original = found["shown"], found["original"].strip()
        if not name:
            self._ignore(email or "(no name)", NO_NAME)
        elif len(name) > NAME_MAX:
            self._ignore(name[:60] + "…", NAME_TOO_LONG)
        elif self._joined_before(name, email):
            self._ignore(name, DUPLICATE_JOIN)
        else:
            self._keep(ReportRow(name, email, original))

    def _joined_before(self, name: str, email: str) -> bool:
        """Whether this person is already listed; an address seen only now is kept."""
        if email and email.casefold() in self.by_email:
            return True
        index = self.by_name.get(name_key(name))
        if index is None:
            return False
        earlier = self.people[index]
        if email and earlier.email:
            return False  # namesakes with different addresses are different people
        if email:
            self.people[index] = ReportRow(earlier.name, email, earlier.original_name)
            self.by_email[email.casefold()] = index
        return True

    def _keep(self, row: ReportRow) -> None:
        self.people.append(row)
        index = len(self.people) - 1
        self.by_name.setdefault(name_key(row.name), index)
        if row.email:
            self.by_email[row.email.casefold()] = index

    def _ignore(self, name: str, reason: str) -> None:
        key = (name, reason)
        self.ignored[key] = self.ignored.get(key, 0) + 1

    def ignored_rows(self) -> tuple[IgnoredRow, ...]:
        return tuple(
            IgnoredRow(name, reason, count) for (name, reason), count in self.ignored.items()
        )


# Checking the report is this meeting's

DATE = re.compile(r"(?P<a>\d{1,4})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{2,4})")


def report_dates(text: str) -> set[datetime.date]:
    """The days a report's date can mean. Teams writes dates in the downloader's own order
    (14/03/2024 in the UK, 3/14/2024 in the US) and Zoom month first, so 03/04/2024 may be
    either day: both are kept rather than guessed."""
    found = DATE.search(text)
    if found is None:
        return set()
    a, b, c = (int(found[part]) for part in "abc")
    if len(found["a"]) == 4:
        orders = [(a, b, c)]
    else:
        year = c + 2000 if c < 100 else c
        orders = [(year, b, a), (year, a, b)]
    dates = set()
    for year, month, day in orders:
        try:
            dates.add(datetime.date(year, month, day))
        except ValueError:
            continue
    return dates


def _title_words(title: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", title.casefold()).split())


def report_warnings(report: AttendanceReport, meeting: Meeting) -> tuple[str, ...]:
    """What in the report suggests it is from another meeting: another day, or another title
    (one title containing the other, ignoring case and punctuation, counts as the same)."""
    warnings = []
    held_on = timezone.localtime(meeting.starts_at).date()
    dates = report_dates(report.started)
    if dates and held_on not in dates:
        written = DATE.search(report.started)[0]
        warnings.append(
            f"The report is dated {written}, but this meeting was on {held_on.day} {held_on:%B %Y}."
        )
    theirs, ours = _title_words(report.title), _title_words(meeting.title)
    if theirs and theirs not in ours and ours not in theirs:
        warnings.append(
            f"The report is for a meeting called “{report.title}”, but this meeting is "
            f"called “{meeting.title}”."
        )
    return tuple(warnings)


# Matching with the programme


@dataclass(frozen=True)
class MatchedPerson:
    row: ReportRow
    participant: Participant
    matched_by: str  # "email" or "name"
    already_recorded: bool

    ALREADY_RECORDED_TAG = Tag("Already recorded", "grey")
    WILL_BE_ADDED_TAG = Tag("Will be added", "green")

    @property
    def status_tag(self) -> Tag:
        return self.ALREADY_RECORDED_TAG if self.already_recorded else self.WILL_BE_ADDED_TAG


@dataclass(frozen=True)
class NewPerson:
    row: ReportRow
    namesakes: int = 0  # programme participants with this exact name: 2 or more needs a decision
    index: int = 0  # the person's place in the report, which names their organisation field

    NEEDS_DECISION_TAG = Tag("Needs a decision", "orange")
    NOT_IN_PROGRAMME_TAG = Tag("Not in the programme", "blue")

    @property
    def needs_decision(self) -> bool:
        return self.namesakes > 1

    @property
    def status_tag(self) -> Tag:
        return self.NEEDS_DECISION_TAG if self.needs_decision else self.NOT_IN_PROGRAMME_TAG


@dataclass(frozen=True)
class ImportPreview:
    matched: tuple[MatchedPerson, ...]
    new: tuple[NewPerson, ...]
    ignored: tuple[IgnoredRow, ...]
    warnings: tuple[str, ...] = ()  # why the report may not be this meeting's

    @property
    def creatable(self) -> tuple[NewPerson, ...]:
        """New people who can be created; a name shared by several participants cannot."""
        return tuple(person for person in self.new if not person.needs_decision)


def match_report(report: AttendanceReport, meeting: Meeting) -> ImportPreview:
    """Who in the report is already a participant of the meeting's programme: by email first,
    then by exact name. A name that several participants share matches nobody."""
    programme_id = meeting.space.programme_id
    by_email: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for pk, name, email in Participant.objects.filter(programme_id=programme_id).values_list(
        "pk", "name", "email"
    ):
        if email:
            by_email[email.casefold()] = pk
        by_name.setdefault(name_key(name), []).append(pk)

    found: list[tuple[ReportRow, int, str]] = []
    new: list[NewPerson] = []
    ignored = list(report.ignored)
    taken: set[int] = set()
    for index, row in enumerate(report.people):
        pk, matched_by, namesakes = _match(row, by_email, by_name)
        if pk is None:
            new.append(NewPerson(row, namesakes, index))
        elif pk in taken:
            ignored.append(IgnoredRow(row.name, DUPLICATE_JOIN))
        else:
            taken.add(pk)
            found.append((row, pk, matched_by))

    participants = (
        Participant.objects.filter(programme_id=programme_id).with_organisation().in_bulk(taken)
    )
    recorded = set(
        Attendance.objects.filter(
            meeting=meeting, participant__in=taken, status=Attendance.Status.ATTENDED
        ).values_list("participant_id", flat=True)
    )
    matched = tuple(
        MatchedPerson(row, participants[pk], matched_by, pk in recorded)
        for row, pk, matched_by in found
    )
    return ImportPreview(matched, tuple(new), tuple(ignored), report_warnings(report, meeting))


def _match(
    row: ReportRow, by_email: dict[str, int], by_name: dict[str, list[int]]
) -> tuple[int | None, str, int]:
    if row.email and row.email.casefold() in by_email:
        return by_email[row.email.casefold()], "email", 0
    namesakes = 0
    for name in filter(None, (row.name, row.original_name)):
        candidates = by_name.get(name_key(name), [])
        if len(candidates) == 1:
            return candidates[0], "name", 0
        namesakes = max(namesakes, len(candidates))
    return None, "", namesakes


# Saving


@dataclass(frozen=True)
class ImportOutcome:
    added: int  # people newly recorded as attended
    created: int  # of whom, new to the programme
    already_recorded: int
    left_out: int  # new people not created, and names that need a decision


@transaction.atomic
def save_import(
    meeting: Meeting,
    preview: ImportPreview,
    *,
    create_new: bool,
    role_group: str = "",
    organisations: dict[int, Organisation] | None = None,
) -> ImportOutcome:
    """Record everyone in the preview as attended, creating the new people only if asked, each
    with the organisation chosen for them (by their place in the report) or none.

    The attendance constraint means nobody is ever recorded twice, however often a file is
    imported.
    """
    if create_new and role_group not in RoleGroup.values:
        raise ValueError(f"Unknown role group {role_group!r}")
    people = [m.participant for m in preview.matched if not m.already_recorded]
    created = 0
    if create_new:
        for person in preview.creatable:
            organisation = (organisations or {}).get(person.index)
            participant, is_new = _create_participant(meeting, person.row, role_group, organisation)
            people.append(participant)
            created += is_new
    for participant in people:
        meeting.record_attendance(participant, Attendance.Status.ATTENDED)
    return ImportOutcome(
        added=len(people),
        created=created,
        already_recorded=sum(m.already_recorded for m in preview.matched),
        left_out=len(preview.new) - (len(preview.creatable) if create_new else 0),
    )


def _create_participant(
    meeting: Meeting, row: ReportRow, role_group: str, organisation: Organisation | None
) -> tuple[Participant, bool]:
    programme_id = meeting.space.programme_id
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                programme_id=programme_id,
                name=row.name,
                email=row.email,
                organisation=organisation,
                role_group=role_group,
                consent_recorded=False,
            )
    except IntegrityError:
        # Someone added this email address to the programme since the preview.
        return Participant.objects.get(programme_id=programme_id, email__iexact=row.email), False
    return participant, True
