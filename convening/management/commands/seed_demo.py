"""Demo data for `make run`: a believable (fictional) region with two programmes.

Idempotent: every row is found by its natural key before it is created, so running it again
changes nothing. Refuses to run when DEBUG is off, so it can never touch a real deployment.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

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
    Sector,
    User,
)

DEMO_PASSWORD = "convening-demo-2026"  # noqa: S105 - demo accounts exist only with DEBUG on
DEMO_ACCOUNTS = [
    ("lead@example.org", "Priya Lead", Membership.Role.LEAD),
    ("facilitator@example.org", "Tom Facilitator", Membership.Role.FACILITATOR),
    ("member@example.org", "Ama Member", Membership.Role.MEMBER),
]

# Fictional organisations in a fictional region ("Calder and Aire").
ORGANISATIONS = [
    ("Aire Valley Teaching Hospitals NHS Trust", "AVTH", Sector.ACUTE, "Aireford"),
    ("Calderbridge Royal Infirmary NHS Trust", "CRI", Sector.ACUTE, "Calderbridge"),
    ("Pennine Minds NHS Foundation Trust", "PMFT", Sector.MENTAL_HEALTH, "Halsworth"),
    ("Calder Community Health Services", "CCHS", Sector.COMMUNITY, "Calderbridge"),
    ("North Aire Primary Care Network", "North Aire PCN", Sector.PRIMARY_CARE, "Aireford"),
    ("Moorside and Dale Primary Care Network", "Moorside PCN", Sector.PRIMARY_CARE, "Moorside"),
    ("Yorkshire Dales Ambulance Service", "YDAS", Sector.AMBULANCE, "Region-wide"),
    ("Calder and Aire Integrated Care Board", "C&A ICB", Sector.COMMISSIONER, "Region-wide"),
    ("Aireford City Council Adult Social Care", "Aireford ASC", Sector.LOCAL_AUTHORITY, "Aireford"),
    ("Carers Together Calder", "Carers Together", Sector.VCSE, "Calderbridge"),
    ("University of West Pennines", "UWP", Sector.ACADEMIC, "Halsworth"),
    ("Brightpath Health Technology Ltd", "Brightpath", Sector.INDUSTRY, "Leeds"),
    ("Calder Patients' Voice", "Patients' Voice", Sector.PATIENT_PUBLIC, "Calderbridge"),
]

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Efua",
    "Fatima",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kwame",
    "Laura",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Parveen",
    "Rhys",
    "Sarah",
    "Tariq",
    "Una",
    "Vikram",
    "Wendy",
    "Yusuf",
    "Zara",
    "Alan",
    "Bethan",
    "Callum",
    "Deborah",
    "Emeka",
    "Fiona",
]
LAST_NAMES = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Dawson",
    "Evans",
    "Farooq",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nolan",
    "Okafor",
    "Patel",
    "Quinn",
    "Robinson",
    "Singh",
    "Taylor",
    "Usman",
    "Walsh",
    "Wood",
    "Young",
]
JOB_TITLES = {
    RoleGroup.CLINICAL: [
        "Advanced nurse practitioner",
        "Consultant geriatrician",
        "Physiotherapist",
        "Community matron",
        "GP partner",
        "Paramedic",
    ],
    RoleGroup.OPERATIONAL: ["Service manager", "Operations lead", "Care home manager"],
    RoleGroup.EXECUTIVE: ["Director of nursing", "Chief operating officer"],
    RoleGroup.ANALYST: ["Digital lead", "Population health analyst"],
    RoleGroup.PATIENT: ["Patient partner", "Carer representative"],
    RoleGroup.COMMUNITY: ["Community connector", "Volunteer coordinator"],
    RoleGroup.ACADEMIC: ["Improvement researcher"],
    RoleGroup.INNOVATOR: ["Product lead"],
}
SECTOR_ROLE_GROUPS = {
    Sector.PATIENT_PUBLIC: RoleGroup.PATIENT,
    Sector.VCSE: RoleGroup.COMMUNITY,
    Sector.ACADEMIC: RoleGroup.ACADEMIC,
    Sector.INDUSTRY: RoleGroup.INNOVATOR,
}

PROGRAMMES = [
    {
        "name": "Frailty virtual wards across Calder and Aire",
        "slug": "frailty-virtual-wards",
        "summary": "Spreading hospital-at-home care for older people living with frailty from "
        "Aireford, where it began, to every place in the region.",
        "status": Programme.Status.ACTIVE,
        "hub_visibility": Programme.HubVisibility.PUBLIC,
        "innovations": [
            {
                "name": "Frailty virtual ward",
                "slug": "frailty-virtual-ward",
                "summary": "Acute care at home for older people with frailty, led by a "
                "consultant-supervised team, instead of an admission.",
                "innovator": "Aire Valley Teaching Hospitals NHS Trust",
                "core": "Daily senior clinical review; a single point of access; step-up "
                "within two hours.",
                "adaptable": "Which team hosts the ward; referral routes; the mix of "
                "in-person and remote visits.",
            },
            {
                "name": "Remote monitoring kit for virtual wards",
                "slug": "remote-monitoring-kit",
                "summary": "Tablets and wearable sensors that send observations to the "
                "virtual ward team twice a day.",
                "innovator": "Brightpath Health Technology Ltd",
                "core": "Validated devices; a clinical response to every alert within the "
                "agreed time.",
                "adaptable": "Alert thresholds for each cohort; who installs the kit.",
            },
        ],
        "participants": 36,
    },
    {
        "name": "Falls prevention in care homes",
        "slug": "care-home-falls",
        "summary": "A shared falls huddle for care home staff, first tried in Moorside, "
        "spreading to homes across the region.",
        "status": Programme.Status.PLANNING,
        "hub_visibility": Programme.HubVisibility.MEMBERS,
        "innovations": [
            {
                "name": "Care home falls huddle",
                "slug": "care-home-falls-huddle",
                "summary": "A ten-minute daily huddle in which care staff review who is at "
                "risk of falling and agree one action each.",
                "innovator": "Moorside and Dale Primary Care Network",
                "core": "Daily, at the same time; every resident's risk reviewed weekly.",
                "adaptable": "Who leads the huddle; the risk tool used.",
            }
        ],
        "participants": 24,
    },
]


class Command(BaseCommand):
    help = "Create demo data for development (refuses to run when DEBUG is off)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any programme exists already (used by `make run`).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs in development mode (DEBUG=true).")
        if options["if_empty"] and Programme.objects.exists():
            self.stdout.write("Programmes exist already: demo data left as it is.")
            return
        with transaction.atomic():
            self.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))

    def seed(self) -> None:
        rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not security
        users = self.demo_users()
        organisations = {
            name: Organisation.objects.get_or_create(
                name=name, defaults={"short_name": short, "sector": sector, "place": place}
            )[0]
            for name, short, sector, place in ORGANISATIONS
        }
        lead = users[0]
        names = iter(
            f"{first} {last}"
            for first, last in rng.sample(
                [(f, last) for f in FIRST_NAMES for last in LAST_NAMES], k=200
            )
        )
        for spec in PROGRAMMES:
            programme, _ = Programme.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "summary": spec["summary"],
                    "status": spec["status"],
                    "hub_visibility": spec["hub_visibility"],
                    "created_by": lead,
                },
            )
            for user, (_, _, role) in zip(users, DEMO_ACCOUNTS, strict=True):
                Membership.objects.get_or_create(
                    programme=programme, user=user, defaults={"role": role}
                )
            innovations = [
                self.innovation(programme, item, organisations) for item in spec["innovations"]
            ]
            self.participants(programme, spec["participants"], organisations, names, rng, users)
            self.adoptions(innovations, organisations, lead, rng)

    def demo_users(self) -> list[User]:
        users = []
        for email, name, role in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(email=email, defaults={"name": name})
            if created:
                user.set_password(DEMO_PASSWORD)
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
            role_group = SECTOR_ROLE_GROUPS.get(
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
                    job_title=rng.choice(JOB_TITLES[role_group]),
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

    def adoptions(self, innovations, organisations, lead, rng) -> None:
        sites = [
            org
            for org in organisations.values()
            if org.sector in {Sector.ACUTE, Sector.COMMUNITY, Sector.PRIMARY_CARE}
        ]
        path = [
            Adoption.Stage.EXPLORING,
            Adoption.Stage.PREPARING,
            Adoption.Stage.TESTING,
            Adoption.Stage.ADOPTED,
        ]
        today = timezone.localdate()
        for innovation in innovations:
            for site in sites:
                adoption, created = Adoption.objects.get_or_create(
                    innovation=innovation, organisation=site
                )
                if not created:
                    continue
                steps = path[: rng.randint(1, len(path))]
                for step_number, stage in enumerate(steps):
                    AdoptionEvent.objects.create(
                        adoption=adoption,
                        stage=stage,
                        date=today - timedelta(days=60 * (len(steps) - step_number)),
                        note="",
                        recorded_by=lead,
                    )
                adoption.stage = steps[-1]
                adoption.save(update_fields=["stage"])
