"""Demo data for `make run`: a believable (fictional) region with two programmes.

Each programme has three or four adaptive spaces with a year of monthly meetings: logged ones
with attendance, notes, tensions, decisions, practices, actions and draft learning; one or two
held but not yet logged (for the reminder job); and two planned.

Idempotent: every row is found by its natural key before it is created, so running it again
changes nothing. The words come from demo/data/ (see demo/content.py); the `seed_demo` command
runs this, and refuses to when DEBUG is off, so it can never touch a real deployment.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from activities.complexity import activity_prefill
from activities.models import (
    ActivityArea,
    ComplexityAssessment,
    DomainRating,
    LocalKnowledge,
    PlannedActivity,
    Practice,
)
from convening.models import (
    Adoption,
    AdoptionEvent,
    Innovation,
    Level,
    Membership,
    Organisation,
    Participant,
    Programme,
    RoleGroup,
    User,
)
from demo.content import DemoContent, Session, SpaceSpec, demo_content, read
from learning.models import Audience, Feedback, LearningEntry, Narrative, Subscription
from network import introductions
from network.models import Introduction
from network.snapshots import build_snapshots
from spaces.models import Action, AdaptiveSpace, Attendance, Meeting, SpaceMember

FACILITATOR = SpaceMember.Role.FACILITATOR
PARTICIPANT = SpaceMember.Role.PARTICIPANT

# The frailty programme is complex and interdependent, and convenes enough to match. The falls
# programme is as complex, but its meetings lapsed over the last three months after the falls lead
# post lost its funding, so its match panel warns that convening is too light.
QUIET_PROGRAMMES = {"care-home-falls"}
NETWORK_STORY = "frailty-virtual-wards"  # the programme whose network tells a story
QUIET_DAYS = 100  # how long before the latest meeting the last logged one was held
PROGRAMME_AGE = 400  # days since each programme was set up: before anything else it records


class DemoRegion:
    """Builds the demo region from its content; `build()` adds only what is missing."""

    def build(self) -> None:
        """Create what is missing of the demo region."""
        self.content = content = demo_content()
        # History written by this run is dated afterwards to when the demo says it happened.
        self.started = timezone.now()
        rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not security
        users = self.demo_users()
        organisations = {
            name: Organisation.objects.get_or_create(
                name=name, defaults={"short_name": short, "sector": sector, "place": place}
            )[0]
            for name, short, sector, place in content.organisations
        }
        lead = users[0]
        names = iter(
            f"{first} {last}"
            for first, last in rng.sample(
                [(f, last) for f in content.first_names for last in content.last_names], k=200
            )
        )
        for spec in content.programmes:
            programme, _ = Programme.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "summary": spec["summary"],
                    "status": spec["status"],
                    "hub_visibility": spec["hub_visibility"],
                    "created_by": lead,
                    "created_at": self.started - timedelta(days=PROGRAMME_AGE),
                },
            )
            _date_history(programme, self.started, programme.created_at)
            for user, (_, _, role) in zip(users, content.accounts, strict=True):
                membership, _ = Membership.objects.get_or_create(
                    programme=programme, user=user, defaults={"role": role}
                )
                _date_history(membership, self.started, programme.created_at)
            innovations = [
                self.innovation(programme, item, organisations) for item in spec["innovations"]
            ]
            self.participants(programme, spec["participants"], organisations, names, rng, users)
            self.adoptions(programme, innovations, organisations, lead)
            self.innovation_details(programme, innovations, lead)
            for innovation in innovations:
                _date_history(innovation, self.started, programme.created_at, innovation.updated_at)
            self.spaces(programme, users)
            self.tag_learning(programme)
            self.understanding(programme, lead)
            self.assessments(programme, lead)
            owner = _owner_finder(programme, content)
            self.plan(programme, lead, owner)
            self.register(programme, lead, owner, organisations)
            self.hub_learning(programme, users, organisations)
            self.narratives(programme, innovations, users)
            self.feedback(programme, innovations, lead)
            self.subscriptions(programme, innovations, users)
            if programme.slug == NETWORK_STORY:
                self.network_story(programme, organisations, users)
        build_network_snapshots()

    def network_story(self, programme, organisations, users) -> None:
        """A huddle that meets the rest only through one broker, and an introduction that
        became a meeting (demo/data/<slug>/network.toml)."""
        story = read(f"{programme.slug}/network.toml")
        if programme.spaces.filter(slug=story["huddle"]["slug"]).exists():
            return
        huddle = story["huddle"]
        by_short = {org.short_name: org for org in organisations.values()}
        now = timezone.now()
        people = [
            Participant.objects.create(
                programme=programme,
                name=spec["name"],
                email=f"{spec['name'].lower().replace(' ', '.')}@example.org",
                organisation=by_short[spec["organisation"]],
                job_title=spec["job_title"],
                role_group=spec["role_group"],
                level=Level.FRONTLINE,
                lived_experience=spec["role_group"] == RoleGroup.PATIENT,
                consent_recorded=True,
                consent_contact=True,
                consent_named=True,
                consent_updated_at=now,
                consent_updated_by=users[1],
            )
            for spec in huddle["people"]
        ]
        broker = (
            programme.participants.filter(
                organisation=by_short[huddle["broker_organisation"]], consent_recorded=True
            )
            .annotate(came=Count("attendances"))
            .filter(came__gt=0)
            .order_by("-came", "pk")
            .first()
        )
        space = AdaptiveSpace.objects.create(
            programme=programme,
            name=huddle["name"],
            slug=huddle["slug"],
            kind=AdaptiveSpace.Kind.HUDDLE,
            purpose=huddle["purpose"].strip(),
            ground_rules=self.content.ground_rules["standard"],
            cadence=huddle["cadence"],
        )
        SpaceMember.objects.bulk_create(
            [SpaceMember(space=space, participant=broker, role=FACILITATOR)]
            + [SpaceMember(space=space, participant=p, role=PARTICIPANT) for p in people]
        )
        for k in range(huddle["meetings"], 0, -1):
            starts = _at(_weekday(now.date() - timedelta(days=30 * k - 12)), time(16, 0))
            meeting = self.held_meeting(
                space, f"{huddle['meeting_label']}: {starts:%B %Y}", starts, users[1]
            )
            Attendance.objects.bulk_create(
                [Attendance(meeting=meeting, participant=p) for p in [broker, *people]]
            )
        self.introduction_that_met(programme, story["introduction"], users)

    def held_meeting(self, space, title, starts, logger) -> Meeting:
        """A meeting planned four weeks ahead, then held and logged the next day (two history
        records, dated so)."""
        meeting = Meeting(
            space=space,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=45),
            status=Meeting.Status.PLANNED,
            created_at=starts - timedelta(days=28),
        )
        meeting._history_user = logger
        meeting.save()
        meeting.status = Meeting.Status.HELD
        meeting.logged_by = logger
        meeting.logged_at = starts + timedelta(hours=20)
        meeting.save()
        _date_history(meeting, self.started, meeting.created_at, meeting.logged_at)
        return meeting

    def introduction_that_met(self, programme, spec, users) -> None:
        """Two people at sites at different stages of one innovation are introduced; both came
        to a meeting of the collaborative later, so the snapshot build marks it met."""
        adoptions = Adoption.objects.filter(innovation__programme=programme)
        testing = set(
            adoptions.filter(stage=Adoption.Stage.TESTING).values_list("organisation", flat=True)
        )
        adopted = set(
            adoptions.filter(
                stage__in=[Adoption.Stage.ADOPTED, Adoption.Stage.SUSTAINED]
            ).values_list("organisation", flat=True)
        )
        reachable = programme.participants.filter(
            consent_recorded=True, consent_contact=True, user__isnull=True
        ).exclude(email="")
        a = reachable.filter(organisation__in=testing).order_by("pk").first()
        b = reachable.filter(organisation__in=adopted).order_by("pk").first()
        if a is None or b is None:
            return
        now = timezone.now()
        introduction = introductions.demo_story(
            programme,
            a,
            b,
            reason=spec["reason"],
            by=users[1],
            made_at=now - timedelta(days=spec["days_ago"]),
        )
        # The snapshot build marks it met (network.introductions.mark_met).
        Introduction.objects.filter(pk=introduction.pk).update(message=spec["message"].strip())

    def subscriptions(self, programme, innovations, users) -> None:
        """Digest subscriptions, for programmes that have none: on a public hub, confirmed
        email-only readers (daily, weekly) and one still waiting for confirmation; and the demo
        member's own subscription from their account."""
        if programme.subscriptions.exists():
            return
        now = timezone.now()
        member = users[-1]
        Subscription.objects.create(
            email=member.email,
            user=member,
            programme=programme,
            frequency=Subscription.Frequency.WEEKLY,
            weekday=0,
            confirmed_at=now - timedelta(days=30),
        )
        if programme.hub_visibility != Programme.HubVisibility.PUBLIC:
            return
        readers = [
            ("ward.manager@example.org", innovations[0], Subscription.Frequency.DAILY, None),
            ("gp.partner@example.org", None, Subscription.Frequency.WEEKLY, 2),
            ("carer.group@example.org", innovations[-1], Subscription.Frequency.WEEKLY, 4),
        ]
        for email, innovation, frequency, weekday in readers:
            Subscription.objects.create(
                email=email,
                programme=programme,
                innovation=innovation,
                frequency=frequency,
                weekday=weekday,
                confirmed_at=now - timedelta(days=20),
                confirmation_requested_at=now - timedelta(days=20, minutes=5),
                confirmation_sent_at=now - timedelta(days=20, minutes=5),
            )
        Subscription.objects.create(
            email="new.reader@example.org",
            programme=programme,
            frequency=Subscription.Frequency.DAILY,
            confirmation_requested_at=now - timedelta(hours=3),
            confirmation_sent_at=now - timedelta(hours=3),
        )

    def demo_users(self) -> list[User]:
        users = []
        for email, name, role in self.content.accounts:
            user, created = User.objects.get_or_create(email=email, defaults={"name": name})
            if created:
                user.set_password(self.content.password)
                if role == Membership.Role.LEAD:
                    user.is_staff = True
                user.save()
            users.append(user)
        return users

    def innovation(self, programme, item, organisations) -> Innovation:
        return Innovation.objects.get_or_create(
            programme=programme,
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "summary": item["summary"],
                "innovator_organisation": organisations[item["innovator"]],
                "core_components": item["core"],
                "adaptable_elements": item["adaptable"],
            },
        )[0]

    def participants(self, programme, count, organisations, names, rng, users) -> None:
        if programme.participants.exists():
            for name, user in zip(
                ("Priya Lead", "Tom Facilitator", "Ama Member"), users, strict=True
            ):
                programme.participants.filter(name=name, user__isnull=True).update(user=user)
            return
        orgs = list(organisations.values())
        now = timezone.now()
        people = [
            Participant(
                programme=programme,
                name=user.name,
                email=user.email,
                organisation=orgs[index],
                role_group=RoleGroup.OPERATIONAL,
                level=Level.MIDDLE,
                user=user,
                consent_recorded=True,
                consent_contact=True,
                consent_named=True,
                consent_updated_at=now,
                consent_updated_by=users[0],
            )
            for index, user in enumerate(users)
        ]
        for index in range(count - len(users)):
            organisation = orgs[index % len(orgs)]
            role_group = self.content.sector_role_groups.get(
                organisation.sector,
                rng.choice(
                    [
                        RoleGroup.CLINICAL,
                        RoleGroup.CLINICAL,
                        RoleGroup.OPERATIONAL,
                        RoleGroup.EXECUTIVE,
                        RoleGroup.ANALYST,
                    ]
                ),
            )
            name = next(names)
            lived = role_group == RoleGroup.PATIENT
            people.append(
                Participant(
                    programme=programme,
                    name=name,
                    email=""
                    if lived and index % 2
                    else f"{name.lower().replace(' ', '.')}@example.org",
                    organisation=organisation,
                    job_title=rng.choice(self.content.job_titles[role_group]),
                    role_group=role_group,
                    level=rng.choice(list(Level)) if not lived else Level.FRONTLINE,
                    lived_experience=lived,
                    consent_recorded=True,
                    consent_contact=rng.random() > 0.2,
                    consent_named=rng.random() > 0.4,
                    consent_updated_at=now - timedelta(days=rng.randint(1, 200)),
                    consent_updated_by=users[1],
                )
            )
        Participant.objects.bulk_create(people)

    def adoptions(self, programme, innovations, organisations, lead) -> None:
        """Each innovation's sites with their stage changes over the past year, and a local
        lead from the site. An adoption left as step 1 made it (no lead, no notes) is given
        its history; one with a lead or notes is left alone."""
        sites = {org.short_name: org for org in organisations.values()}
        # Site leads are managers or clinicians where the site has them.
        preferred = [RoleGroup.OPERATIONAL, RoleGroup.CLINICAL]
        people: dict[int, list[Participant]] = {}
        for person in sorted(
            programme.participants.filter(user__isnull=True).order_by("name", "pk"),
            key=lambda p: preferred.index(p.role_group) if p.role_group in preferred else 2,
        ):
            people.setdefault(person.organisation_id, []).append(person)
        today = timezone.localdate()
        for innovation in innovations:
            for short_name, events in self.content.adoption_histories[innovation.slug].items():
                site = sites[short_name]
                adoption, created = Adoption.objects.get_or_create(
                    innovation=innovation, organisation=site
                )
                if not created and (
                    adoption.local_lead_id or adoption.events.exclude(note="").exists()
                ):
                    continue
                adoption.events.all().delete()
                # A site lead who has not agreed to be contacted is the site's second person,
                # so the first can be contactable for another innovation.
                at_site = people.get(site.pk, [])
                quiet = self.content.not_contactable_leads.get(innovation.slug) == short_name
                local_lead = at_site[min(len(at_site) - 1, 1 if quiet else 0)] if at_site else None
                if local_lead is not None:
                    Participant.objects.filter(pk=local_lead.pk).update(consent_contact=not quiet)
                adoption.local_lead = local_lead
                adoption._history_user = lead
                adoption.save(update_fields=["local_lead"])
                dates = []
                for stage, days, note in events:
                    event = adoption.move_to(
                        stage, by=lead, on=today - timedelta(days=days), note=note
                    )
                    # Recorded on the day it happened, not today.
                    recorded = _at(event.date, time(17, 0))
                    AdoptionEvent.objects.filter(pk=event.pk).update(recorded_at=recorded)
                    dates.append(recorded)
                Adoption.objects.filter(pk=adoption.pk).update(updated_at=recorded)
                # Created and given its lead when the first stage was recorded.
                before = [dates[0]] * (2 if created else 1)
                _date_history(adoption, self.started, *before, *dates)

    def innovation_details(self, programme, innovations, lead) -> None:
        """Evidence, core components and adaptable elements in Markdown, for an innovation
        still without evidence; innovator contacts from its organisation, if it has none."""
        people = list(programme.participants.filter(user__isnull=True).order_by("name", "pk"))
        for innovation in innovations:
            details = self.content.innovation_details[innovation.slug]
            if not innovation.evidence_summary:
                innovation.evidence_summary = details["evidence"]
                innovation.core_components = details["core"]
                innovation.adaptable_elements = details["adaptable"]
                innovation.updated_at = timezone.now()
                innovation._history_user = lead
                innovation.save()
            if innovation.innovator_contacts.exists():
                continue
            contacts = [
                p for p in people if p.organisation_id == innovation.innovator_organisation_id
            ][:2] or people[:1]
            Participant.objects.filter(pk__in=[p.pk for p in contacts]).update(consent_contact=True)
            innovation.innovator_contacts.set(contacts)

    def hub_learning(self, programme, users, organisations) -> None:
        """Learning written for the hub: every kind published, most of it public, some for
        members only and some drafts. The first time, who may be named and contacted is set
        so that the hub shows both: the demo member does not want to be named in the
        frailty programme, and one facilitator of each programme does not want to be
        contacted."""
        specs = self.content.hub_learning[programme.slug]
        if LearningEntry.objects.filter(programme=programme, source_meeting__isnull=True).exists():
            return
        authors = dict(zip(("lead", "facilitator", "member"), users, strict=True))
        if programme.slug == "frailty-virtual-wards":
            programme.participants.filter(user=authors["member"]).update(consent_named=False)
        facilitators = list(
            Participant.objects.filter(
                space_memberships__space__programme=programme,
                space_memberships__role=FACILITATOR,
                user__isnull=True,
            )
            .distinct()
            .order_by("name", "pk")
        )
        for number, person in enumerate(facilitators):
            Participant.objects.filter(pk=person.pk).update(consent_contact=number != 0)
        sites = {org.short_name: org for org in organisations.values()}
        innovations = {i.slug: i for i in programme.innovations.all()}
        areas = {area.number: area for area in ActivityArea.objects.all()}
        now, today = timezone.now(), timezone.localdate()
        for spec in specs:
            published = spec.status == LearningEntry.Status.PUBLISHED
            written = now - timedelta(days=spec.days, hours=4)
            entry = LearningEntry(
                programme=programme,
                innovation=innovations.get(spec.innovation),
                title=spec.title,
                body=spec.body,
                kind=spec.kind,
                site=sites.get(spec.site),
                visibility=spec.visibility,
                status=LearningEntry.Status.DRAFT,
                author=authors[spec.author],
                created_at=written - timedelta(days=3) if published else written,
                review_by=None if spec.review is None else today + timedelta(days=spec.review),
            )
            entry._history_user = authors[spec.author]
            entry.save()
            entry.areas.set([areas[number] for number in spec.areas])
            if published:  # written as a draft, published three days later
                entry.status, entry.published_at = spec.status, written
                entry.save(update_fields=["status", "published_at"])
            _date_history(entry, self.started, entry.created_at, written)

    def narratives(self, programme, innovations, users) -> None:
        """One narrative for each audience, written by the innovator's contacts, the site
        leads and (for patients and carers) a patient partner; missing ones only."""
        lead, facilitator = users[0], users[1]
        patients = list(
            programme.participants.filter(lived_experience=True).order_by("name", "pk")[:2]
        )
        now = timezone.now()
        for innovation in innovations:
            have = set(innovation.narratives.values_list("audience", flat=True))
            contacts = list(innovation.innovator_contacts.all())
            site_leads = [
                a.local_lead
                for a in innovation.adoptions.select_related("local_lead").order_by("pk")
                if a.local_lead
            ]
            for number, (audience, text) in enumerate(
                self.content.narratives[innovation.slug].items()
            ):
                if audience in have:
                    continue
                author = lead if number % 2 else facilitator
                narrative = Narrative(
                    innovation=innovation,
                    audience=audience,
                    body=text,
                    updated_at=now - timedelta(days=10 + 9 * number),
                    updated_by=author,
                )
                narrative._history_user = author
                narrative.save()
                helpers = [*contacts[:1], *site_leads[number % max(1, len(site_leads)) :][:1]]
                if audience == Audience.PATIENTS:
                    helpers += patients
                narrative.contributors.set(helpers)
                _date_history(narrative, self.started, narrative.updated_at)

    def feedback(self, programme, innovations, lead) -> None:
        """Feedback from the hub of every kind and status, for innovations that have none."""
        now = timezone.now()
        for innovation in innovations:
            if innovation.feedback.exists():
                continue
            for spec in self.content.feedback:
                if spec.innovation != innovation.slug:
                    continue
                sent = now - timedelta(days=spec.days, hours=3)
                answered = spec.status == Feedback.Status.ANSWERED
                Feedback.objects.create(
                    innovation=innovation,
                    name=spec.name,
                    email=spec.email,
                    site=spec.site,
                    kind=spec.kind,
                    body=spec.body,
                    status=spec.status,
                    response=spec.response,
                    responded_at=sent + timedelta(days=2) if answered else None,
                    responded_by=lead if answered else None,
                    answer_entry=LearningEntry.objects.filter(
                        programme=programme, title=spec.answer_entry
                    ).first()
                    if spec.answer_entry
                    else None,
                    created_at=sent,
                )

    # Spaces, meetings, attendance, actions and learning ----------------------------------------

    def spaces(self, programme, users) -> None:
        """Three or four spaces with a year of monthly meetings each; a space that exists
        already is left as it is."""
        specs, round_sessions = self.content.spaces[programme.slug]
        people = list(programme.participants.select_related("organisation").order_by("name", "pk"))
        demo_people = {p.user_id: p for p in people if p.user_id}
        practices = {
            f"{practice.area.number}.{practice.number}": practice
            for practice in Practice.objects.select_related("area")
        }
        for spec in specs:
            if AdaptiveSpace.objects.filter(programme=programme, slug=spec.slug).exists():
                continue
            # One generator per space: the same space always gets the same content.
            rng = random.Random(f"{programme.slug}/{spec.slug}")  # noqa: S311 - demo data
            space = AdaptiveSpace.objects.create(
                programme=programme,
                name=spec.name,
                slug=spec.slug,
                kind=spec.kind,
                purpose=spec.purpose,
                ground_rules=self.content.ground_rules[spec.confidentiality],
                confidentiality=spec.confidentiality,
                cadence=spec.cadence,
            )
            members = self.space_members(space, spec, people, demo_people, users, rng)
            facilitates = any(
                m.role == FACILITATOR and m.participant.user_id == users[1].pk for m in members
            )
            order = spec.round_order or range(len(round_sessions))
            self.space_meetings(
                space,
                spec,
                sessions=_interleave(spec.sessions, tuple(round_sessions[i] for i in order)),
                quiet=programme.slug in QUIET_PROGRAMMES,
                members=[m.participant for m in members],
                people=people,
                practices=practices,
                logger=users[1] if facilitates else users[0],
                author=users[1],
                rng=rng,
            )

    def space_members(self, space, spec, people, demo_people, users, rng) -> list[SpaceMember]:
        pool = _pool(people, spec)
        chosen = sorted(rng.sample(pool, k=min(spec.size, len(pool))), key=lambda p: p.name)
        members = [
            SpaceMember(space=space, participant=demo_people[users[index].pk], role=role)
            for index, role in spec.demo_members
        ]
        facilitator = None
        if not any(member.role == FACILITATOR for member in members):
            facilitator = next(
                (p for p in chosen if p.role_group in spec.facilitator_role_groups), chosen[0]
            )
        members += [
            SpaceMember(
                space=space,
                participant=person,
                role=FACILITATOR if person is facilitator else PARTICIPANT,
            )
            for person in chosen
        ]
        SpaceMember.objects.bulk_create(members)
        return members

    def space_meetings(
        self, space, spec, *, sessions, quiet, members, people, practices, logger, author, rng
    ) -> None:
        """Twelve monthly meetings up to a few days ago and two planned ones.

        The most recent meeting, and one other in about half the spaces, was held but nobody has
        logged it yet (so the reminder job has work); the other spaces had one meeting
        cancelled. The remaining ten are logged from `sessions`, oldest first.

        In a quiet programme the ten logged meetings all ended more than 90 days ago; since
        then one meeting was cancelled and the latest was held but not logged.
        """
        today = timezone.localdate()
        latest = today - timedelta(days=rng.randint(2, 8))
        if quiet:
            last_logged = latest - timedelta(days=QUIET_DAYS)
            past = [
                _weekday(last_logged - timedelta(days=32 * k + rng.randint(-3, 3)))
                for k in range(9, -1, -1)
            ] + [_weekday(latest - timedelta(days=rng.randint(40, 55)))]
            other, other_status = len(past) - 1, Meeting.Status.CANCELLED
        else:
            past = [
                _weekday(latest - timedelta(days=30 * k + rng.randint(-3, 3)))
                for k in range(11, 0, -1)
            ]
        # Moved only off a weekend, so it stays in the reminder job's window.
        past.append(_weekday(latest, holidays=False))
        future = [_weekday(latest + timedelta(days=30 * k + rng.randint(0, 3))) for k in (1, 2)]
        if not quiet:
            other = rng.randint(2, 8)
            other_status = Meeting.Status.HELD if rng.random() < 0.5 else Meeting.Status.CANCELLED
        logged = iter(sessions)
        attendances, actions = [], []
        member_ids = {p.pk for p in members}
        guests = [p for p in _pool(people, spec) if p.pk not in member_ids]
        if len(guests) < 3:  # a small programme: anyone else may join
            taken = member_ids | {p.pk for p in guests}
            guests += [p for p in _pool(people, None) if p.pk not in taken]
        for index, day in enumerate(past + future):
            starts = datetime.combine(day, spec.starts, tzinfo=timezone.get_current_timezone())
            meeting = Meeting(
                space=space,
                title=f"{spec.meeting_label}: {day:%B %Y}",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=spec.minutes),
                format=spec.format,
                location=spec.location,
                status=Meeting.Status.PLANNED,
                # Planned four weeks ahead, or today for the furthest ones.
                created_at=min(starts - timedelta(days=28), self.started),
            )
            if index == len(past) - 1 or (index == other and other_status == Meeting.Status.HELD):
                meeting.status = Meeting.Status.HELD  # held, not logged yet
            elif index == other:
                meeting.status = Meeting.Status.CANCELLED
            elif index < len(past):
                session = next(logged)
                self.log(meeting, session, logger)
            meeting._history_user = logger
            meeting.save()
            if meeting.logged_at is None:
                _date_history(meeting, self.started, meeting.created_at)
                continue
            meeting.practices.set([practices[code] for code in session.practices])
            _date_history(meeting, self.started, meeting.created_at, meeting.logged_at)
            came = self.attendance(meeting, members, guests, rng, attendances)
            actions += self.meeting_actions(meeting, session, came, today, rng)
            self.learning(meeting, session, author)
        Attendance.objects.bulk_create(attendances)
        Action.objects.bulk_create(actions)

    def log(self, meeting, session, logger) -> None:
        meeting.title = session.title
        meeting.status = Meeting.Status.HELD
        meeting.notes = session.notes
        meeting.tensions = session.tensions
        meeting.decisions = session.decisions
        meeting.logged_by = logger
        meeting.logged_at = meeting.ends_at + timedelta(hours=20)

    def attendance(self, meeting, members, guests, rng, rows) -> list[Participant]:
        """Most members come, a few send apologies or miss it, and one to three others
        join; returns those who came."""
        came = []
        for person in members:
            roll = rng.random()
            status = (
                Attendance.Status.ATTENDED
                if person.user_id or roll < 0.78
                else Attendance.Status.APOLOGIES
                if roll < 0.92
                else Attendance.Status.ABSENT
            )
            rows.append(Attendance(meeting=meeting, participant=person, status=status))
            if status == Attendance.Status.ATTENDED:
                came.append(person)
        for person in rng.sample(guests, k=min(len(guests), rng.randint(1, 3))):
            rows.append(Attendance(meeting=meeting, participant=person))
            came.append(person)
        return came

    def meeting_actions(self, meeting, session, came, today, rng) -> list[Action]:
        actions = []
        for title in session.actions:
            due = meeting.starts_at.date() + timedelta(days=rng.randint(14, 42))
            done = due < today - timedelta(days=7) and rng.random() < 0.8
            actions.append(
                Action(
                    programme_id=meeting.space.programme_id,
                    meeting=meeting,
                    title=title,
                    owner=rng.choice(came),
                    due=due,
                    status=Action.Status.DONE if done else Action.Status.OPEN,
                    done_at=meeting.ends_at + timedelta(days=rng.randint(7, 30)) if done else None,
                    created_at=meeting.logged_at,
                )
            )
        return actions

    def learning(self, meeting, session, author) -> None:
        """A draft learning point from the meeting. A programme's shared session is held in
        each of its spaces: the spaces after the first name themselves in the title, so that
        no two entries of a programme share a title."""
        title, kind, body = session.learning
        programme_entries = LearningEntry.objects.filter(programme_id=meeting.space.programme_id)
        if programme_entries.filter(title=title).exists():
            title = f"{title} ({meeting.space.name})"
        entry = LearningEntry(
            programme_id=meeting.space.programme_id,
            source_meeting=meeting,
            title=title,
            kind=kind,
            body=body,
            visibility=LearningEntry.Visibility.SPACE
            if meeting.space.is_chatham_house
            else LearningEntry.Visibility.PROGRAMME,
            status=LearningEntry.Status.DRAFT,
            author=author,
            created_at=meeting.logged_at,
        )
        entry._history_user = author
        entry.save()
        _date_history(entry, self.started, entry.created_at)

    # Shared understanding, complexity, the plan and the register ------------------------------

    def tag_learning(self, programme) -> None:
        """Learning from a meeting is tagged with the areas of the practices it served."""
        untagged = (
            LearningEntry.objects.filter(programme=programme, source_meeting__isnull=False)
            .annotate(tagged=Count("areas"))
            .filter(tagged=0)
            .prefetch_related("source_meeting__practices")
        )
        through = LearningEntry.areas.through
        through.objects.bulk_create(
            through(learningentry_id=entry.pk, activityarea_id=area_id)
            for entry in untagged
            for area_id in sorted({p.area_id for p in entry.source_meeting.practices.all()})
        )

    def understanding(self, programme, lead) -> None:
        """The words agreed, each version saved in turn so the history shows how they changed;
        left alone once a programme has any."""
        if any(getattr(programme, field) for field in Programme.UNDERSTANDING_FIELDS):
            return
        spec = self.content.understanding[programme.slug]
        for days, words in spec.versions:
            for field, text in words.items():
                setattr(programme, field, text)
            programme.understanding_agreed_on = timezone.localdate() - timedelta(days=days)
            programme.understanding_agreed_by = spec.agreed_by
            programme._history_user = lead
            programme._history_date = timezone.now() - timedelta(days=days)
            programme.save(
                update_fields=[
                    *Programme.UNDERSTANDING_FIELDS,
                    "understanding_agreed_on",
                    "understanding_agreed_by",
                ]
            )
        del programme._history_date

    def assessments(self, programme, lead) -> None:
        if programme.complexity_assessments.exists():
            return
        now = timezone.now()
        for spec in self.content.assessments[programme.slug]:
            assessment = ComplexityAssessment.objects.create(
                programme=programme,
                interdependence=spec.interdependence,
                summary=spec.summary,
                assessed_at=now - timedelta(days=spec.days),
                assessed_by=lead,
            )
            DomainRating.objects.bulk_create(
                DomainRating(assessment=assessment, domain=domain, rating=rating, note=note)
                for domain, (rating, note) in spec.ratings.items()
            )

    def plan(self, programme, lead, owner) -> None:
        """The planned activities, with the meeting actions that serve them."""
        if programme.planned_activities.exists():
            return
        practices = {p.code: p for p in Practice.objects.select_related("area")}
        spaces = {space.slug: space for space in programme.spaces.all()}
        today, now = timezone.localdate(), timezone.now()
        for number, spec in enumerate(self.content.activities[programme.slug]):
            title, description, codes = spec.title, spec.description, spec.practices
            if spec.from_domain:
                prefill = activity_prefill(spec.from_domain)
                title, description = prefill["title"], prefill["description"]
                codes = prefill["practice_codes"]
            # Added a while before it was due; those planned from a domain, after the
            # assessment that rated it complex.
            age = 20 if spec.from_domain else max(30 + number, 60 - (spec.due or 0))
            activity = PlannedActivity(
                programme=programme,
                area=practices[codes[0]].area,
                title=title,
                description=description,
                owner=owner(spec.owner),
                space=spaces.get(spec.space),
                due=None if spec.due is None else today + timedelta(days=spec.due),
                status=spec.status,
                from_domain=spec.from_domain,
                created_by=lead,
                created_at=now - timedelta(days=age),
                updated_at=now - timedelta(days=min(age, 7 + number)),
            )
            activity._history_user = lead
            activity.save()
            activity.practices.set([practices[code] for code in codes])
            _date_history(activity, self.started, activity.created_at, activity.updated_at)
            if spec.actions:
                Action.objects.filter(programme=programme, title__in=spec.actions).update(
                    planned_activity=activity
                )

    def register(self, programme, lead, owner, organisations) -> None:
        """The local knowledge and disruption register."""
        if programme.local_knowledge.exists():
            return
        sites = {org.short_name: org for org in organisations.values()}
        now = timezone.now()
        for number, spec in enumerate(self.content.knowledge[programme.slug]):
            age = 220 - 10 * number if spec.closed is None else spec.closed + 60
            entry = LocalKnowledge(
                programme=programme,
                site=sites[spec.site] if spec.site else None,
                kind=spec.kind,
                title=spec.title,
                description=spec.description,
                impact=spec.impact,
                mitigation=spec.mitigation,
                owner=owner(spec.owner),
                created_by=lead,
                created_at=now - timedelta(days=age),
                updated_at=now - timedelta(days=age),
            )
            entry._history_user = lead
            entry.save()
            if spec.closed is not None:  # recorded open, closed later
                entry.status = LocalKnowledge.Status.CLOSED
                entry.closed_at = entry.updated_at = now - timedelta(days=spec.closed)
                entry.save(update_fields=["status", "closed_at", "updated_at"])
            _date_history(entry, self.started, entry.created_at, entry.updated_at)


def build_network_snapshots() -> None:
    """Every programme's network and the installation's, so the pages have them at once."""
    for programme_id in Programme.objects.values_list("pk", flat=True):
        build_snapshots(programme_id)
    build_snapshots(None)


def _pool(people: list[Participant], spec: SpaceSpec | None) -> list[Participant]:
    """People (other than the demo accounts) from the sectors the space draws on."""
    sectors = spec.sectors if spec else None
    return [
        p
        for p in people
        if p.user_id is None
        and (sectors is None or (p.organisation and p.organisation.sector in sectors))
    ]


def _owner_finder(programme: Programme, content: DemoContent):
    """A function from an owner in the specs above (a demo account's role, or a role group) to
    one of the programme's people: each role group's people take turns."""
    people = list(programme.participants.select_related("user").order_by("name", "pk"))
    demo = {
        role: person
        for email, _name, role in content.accounts
        for person in people
        if person.user and person.user.email == email
    }
    others = [p for p in people if not p.user_id]
    groups: dict[str, list[Participant]] = {}
    for person in others:
        groups.setdefault(person.role_group, []).append(person)
    turns: dict[str, int] = {}

    def owner(key: str) -> Participant:
        if key in demo:
            return demo[key]
        group = groups.get(key) or others
        turns[key] = turns.get(key, -1) + 1
        return group[turns[key] % len(group)]

    return owner


def _interleave(own: tuple[Session, ...], shared: tuple[Session, ...]) -> list[Session]:
    """The space's own sessions alternating with the programme's shared ones: ten in all."""
    sessions = []
    for index in range(max(len(own), len(shared))):
        sessions += [*own[index : index + 1], *shared[index : index + 1]]
    return sessions


def _at(day: date, clock: time) -> datetime:
    """That day at that time, in the local time zone, but never later than now."""
    return min(datetime.combine(day, clock, tzinfo=timezone.get_current_timezone()), timezone.now())


def _weekday(day: date, *, holidays: bool = True) -> date:
    """A working day near `day`: out of the Christmas break, and a weekend back to Friday."""
    if holidays and (day.month, day.day) >= (12, 23):
        day = date(day.year, 12, 22)
    elif holidays and (day.month, day.day) <= (1, 2):
        day = date(day.year, 1, 5)
    return day - timedelta(days=max(0, day.weekday() - 4))


def _date_history(obj, since: datetime, *dates: datetime) -> None:
    """Date the history records this run wrote for `obj` (those since `since`), oldest first, to
    `dates` (the last date again for any further records), and their `updated_at` with them.

    Seeding saves everything now, while the demo claims things happened over the past year: a
    page saying "last updated 25 November" beside a history saying "added today" reads as a bug.
    """
    records = obj.history.filter(history_date__gte=since).order_by("history_date", "pk")
    has_updated_at = hasattr(obj, "updated_at")
    for number, record in enumerate(records):
        when = dates[min(number, len(dates) - 1)]
        fields = {"history_date": when, **({"updated_at": when} if has_updated_at else {})}
        type(record).objects.filter(pk=record.pk).update(**fields)
