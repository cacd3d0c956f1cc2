"""Demo data for `make run`: a believable (fictional) region with two programmes.

Each programme has three or four adaptive spaces with a year of monthly meetings: logged ones
with attendance, notes, tensions, decisions, practices, actions and draft learning; one or two
held but not yet logged (for the reminder job); and two planned.

Idempotent: every row is found by its natural key before it is created, so running it again
changes nothing. Refuses to run when DEBUG is off, so it can never touch a real deployment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from inspect import cleandoc

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from activities.complexity import activity_prefill
from activities.models import (
    ActivityArea,
    ComplexityAssessment,
    Domain,
    DomainRating,
    LocalKnowledge,
    PlannedActivity,
    Practice,
    Rating,
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
    Sector,
    User,
)
from learning.models import Audience, Feedback, LearningEntry, Narrative, Subscription
from spaces.models import Action, AdaptiveSpace, Attendance, Meeting, SpaceMember

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


# Adaptive spaces, meetings, actions and learning -----------------------------------------------
#
# Notes never name a person, so the same sessions read correctly in a Chatham House space.


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
    confidentiality: str = AdaptiveSpace.Confidentiality.STANDARD
    # Sectors the other members come from (None: any); how many of them.
    sectors: tuple[str, ...] | None = None
    size: int = 10
    # The demo accounts in the space (index into DEMO_ACCOUNTS -> space role).
    demo_members: tuple[tuple[int, str], ...] = ()
    # When no demo account facilitates: role groups to pick the facilitator from.
    facilitator_role_groups: tuple[str, ...] = ()
    # The order of the programme's shared sessions in this space (None: as written), so that
    # the spaces do not all end the year on the same ones.
    round_order: tuple[int, ...] | None = None


FACILITATOR = SpaceMember.Role.FACILITATOR
PARTICIPANT = SpaceMember.Role.PARTICIPANT
STANDARD_RULES = (
    "- Share the real picture, not the polished one.\n"
    "- Challenge ideas, not people.\n"
    "- Data shared here stays in the room until its owner agrees to share it more widely."
)
CHATHAM_HOUSE_RULES = (
    "- Chatham House rule: use what is said here, but never say who said it.\n"
    "- Notes record themes and decisions, never names.\n"
    "- Anything said about patients or residents stays anonymous."
)

S = Session
FRAILTY_ROUND = (
    S(
        "Round of updates from each site",
        ("4.1", "5.1"),
        cleandoc("""
            Each site gave a five-minute update on where it has got to.

            - **Aireford**: average length of stay on the ward is down to just over four days;
              GP referrals are rising steadily.
            - **Calderbridge**: two nurses recruited; weekend medical cover is still the gap.
            - **Halsworth**: first patients admitted this month, with pharmacy input agreed for
              two sessions a week.

            Occupancy figures were compared, and it became clear that sites count them
            differently.
        """),
        "Some sites see occupancy as the measure their boards care about; others think avoided "
        "admissions tell the real story, and worry that chasing occupancy will pull in patients "
        "who do not need a virtual ward.",
        "- Report both occupancy and avoided admissions, using the regional definitions, from "
        "next month.\n- Each site shares a one-page summary before every meeting.",
        ("Circulate the regional data definitions to every site", "Send the first site summary"),
        (
            "Agree data definitions before comparing sites",
            "insight",
            "Comparing occupancy between sites was misleading until everyone counted the same "
            "way. Agreeing definitions first saved an argument about whose ward was working.",
        ),
    ),
    S(
        "Looking at the data together",
        ("4.2", "5.1", "3.1"),
        cleandoc("""
            The group went through the regional dashboard together.

            - Referrals are up across the region, but a third still come from one hospital.
            - Readmissions within 30 days are similar to those after an ordinary admission.
            - Few referrals come from care homes or the ambulance service.

            Most of the time went on why step-up referrals from the community are so low.
        """),
        "Hospital and primary care colleagues read the low step-up numbers differently: as GPs "
        "not yet trusting the ward, or as a referral route too slow to use in a busy surgery.",
        "- Look at ten recent community referrals in detail before the next meeting.\n"
        "- Show step-up and step-down admissions as separate lines on the dashboard.",
        (
            "Pull ten recent community referrals for a case review",
            "Ask the ICB analytics team to split step-up and step-down counts",
        ),
        (
            "Step-up referrals lag behind step-down",
            "barrier",
            "Most patients still reach the virtual ward after a hospital stay rather than "
            "instead of one. Community referrers describe the route as slow and uncertain, which "
            "is what the pathway work now needs to fix.",
        ),
    ),
    S(
        "Hearing from a patient and a carer",
        ("8.1", "1.4", "7.1"),
        cleandoc("""
            A former patient and a carer described their time on the virtual ward.

            - Being at home made it easier to keep to normal routines, and sleep was better.
            - The first night was frightening: nobody was sure who to ring if things got worse.
            - Equipment arrived late on the first day and took two calls to sort out.

            The group reflected on how small practical details decide whether people feel safe
            at home.
        """),
        "A frank discussion about whether the ward asks too much of unpaid carers, and whether "
        "that cost is counted anywhere.",
        "- Every patient and carer gets one phone number, printed on a card, on day one.\n"
        "- Carers are asked how they are coping at each review.",
        (
            "Design a day-one card with the single contact number",
            "Add a carer check-in question to the daily review template",
        ),
        (
            "Give carers one number to ring from the first hour",
            "enabler",
            "Patients and carers felt safe at home once they knew exactly who to ring, day or "
            "night. A printed card with one number, left by the phone, did more than the leaflet.",
        ),
    ),
    S(
        "What is getting in the way",
        ("9.1", "2.1"),
        cleandoc("""
            An open session on the barriers each team is facing.

            1. Weekend medical cover is still fragile in two places.
            2. Sign-off for sharing records with the ambulance service is still outstanding.
            3. Community nursing is stretched, and visits are being squeezed.

            Each barrier was rated for how much it holds back spread, and who is best placed to
            shift it.
        """),
        "Disagreement over whether to slow the roll-out until staffing is secure, or to keep "
        "going and accept a smaller ward for now.",
        "- Keep going with the roll-out, at a smaller size where staffing is thin.\n"
        "- Escalate the information sharing agreement to the ICB digital board.",
        (
            "Escalate the information sharing agreement to the ICB digital board",
            "Draft a weekend cover rota shared between two sites",
        ),
        (
            "Information governance took longer than the clinical set-up",
            "barrier",
            "Agreeing how records are shared with the ambulance service took months longer than "
            "training the team. Starting the paperwork alongside recruitment would have saved "
            "time.",
        ),
    ),
    S(
        "Planning the next quarter",
        ("5.2", "10.2"),
        cleandoc("""
            The group reviewed last quarter's plan and agreed priorities for the next three
            months.

            - Finish the step-up pathway and test it with two GP practices.
            - Bring care homes into the collaborative.
            - Agree what each site reports to its board.

            A short discussion on meeting more often over the winter.
        """),
        "Some wanted to add more sites this quarter; others felt the current sites need to be "
        "stable first.",
        "- No new sites this quarter; the next wave starts in the spring.\n"
        "- Meet every three weeks over the winter, then go back to monthly.",
        (
            "Update the spread plan with the agreed priorities",
            "Invite two care home managers to the next meeting",
        ),
        (
            "Stabilise before adding sites",
            "insight",
            "Sites that joined before the first wave was stable took longer to get going, "
            "because the people who could support them were still firefighting. Spreading in "
            "waves worked better.",
        ),
    ),
    S(
        "Celebrating progress and sharing stories",
        ("8.2", "4.1"),
        cleandoc("""
            A lighter session to mark the ward's first full year.

            - More than a thousand patients have been cared for at home across the region.
            - Staff from three sites told short stories of patients they were proud to have
              kept at home.
            - Two short clips were filmed for the ICB newsletter.

            The group thanked the teams who kept the ward open through the winter.
        """),
        "A worry that celebrating loudly hides the sites that are still struggling.",
        "- Share the stories in the ICB newsletter, with the patients' consent.\n"
        "- Hold a short learning event for sites yet to start.",
        ("Gather written consent for the patient stories", "Book a venue for the learning event"),
        (
            "Stories persuade boards where numbers alone do not",
            "success_story",
            "Two short patient stories, told alongside the figures, did more to win support at "
            "a trust board than the dashboard had done in six months.",
        ),
    ),
)

FALLS_ROUND = (
    S(
        "Round of updates from each home",
        ("4.1", "5.1"),
        cleandoc("""
            Each care home gave a short update.

            - **Moorside**: the daily huddle has run for six months; falls are down by about a
              quarter.
            - **Three new homes** started huddles this month and are finding the timing hard.
            - **One home** paused its huddle during a staffing crisis and restarted last week.

            A short huddle held every day beats a longer one held now and then.
        """),
        "Some managers feel falls figures are compared unfairly between homes with very "
        "different residents.",
        "- Compare each home with itself over time, not with other homes.\n"
        "- Homes share a monthly run chart.",
        ("Send each home a run chart template", "Collect the first month of run charts"),
        (
            "Compare each home with itself over time",
            "insight",
            "Comparing falls between homes with very different residents made people defensive. "
            "Run charts of each home against its own past turned the talk to improvement.",
        ),
    ),
    S(
        "Looking at the falls data together",
        ("4.2", "9.1"),
        cleandoc("""
            The group looked at the regional falls data together.

            - Most falls happen between 4pm and 8pm, around the evening shift change.
            - Ambulance call-outs to falls have dropped in homes running the huddle.
            - Data from homes outside the programme is patchy.
        """),
        "Whether homes outside the programme should be asked to share data before they join.",
        "- Homes that want to can move the huddle to just before the evening shift change.\n"
        "- Do not ask homes outside the programme for data yet.",
        ("Test an evening huddle in two homes",),
        (
            "Most falls cluster around the evening shift change",
            "insight",
            "Falls peaked between 4pm and 8pm. Homes that moved their huddle to just before the "
            "evening shift change saw the biggest drop.",
        ),
    ),
    S(
        "Hearing from residents and families",
        ("8.1", "7.1", "1.4"),
        cleandoc("""
            A resident and a resident's daughter spoke about falls and the fear of falling.

            - Fear of falling had stopped the resident walking to the dining room.
            - The family wanted to hear about near misses, not only falls.
            - Small changes, such as a night light and a chair by the bed, made a difference.
        """),
        "Balancing residents' freedom to move around with keeping them safe.",
        "- Huddles ask about fear of falling as well as risk.\n"
        "- Families are told about near misses when the resident agrees.",
        ("Add a fear-of-falling question to the huddle prompt card",),
        (
            "Ask about fear of falling, not only risk",
            "adaptation",
            "Residents who are afraid of falling move less and become frailer. One question "
            "about fear of falling in the huddle changed what staff noticed.",
        ),
    ),
    S(
        "What is getting in the way",
        ("9.1", "2.2"),
        cleandoc("""
            An open session on barriers.

            1. Agency staff do not know about the huddle.
            2. Managers struggle to protect ten minutes on busy days.
            3. Physiotherapy advice takes weeks to arrive.
        """),
        "Whether the huddle should be required, or left to each home.",
        "- The huddle stays voluntary but expected; homes say when it did not happen.\n"
        "- The huddle goes on the agency staff induction sheet.",
        (
            "Add the huddle to the agency staff induction sheet",
            "Ask community physiotherapy about a faster advice line",
        ),
        (
            "Agency staff need to know about the huddle",
            "barrier",
            "In homes that rely on agency staff, the huddle lapsed on days when regular staff "
            "were off. A line in the agency induction sheet helped.",
        ),
    ),
    S(
        "Planning the next phase",
        ("5.2", "10.2", "6.1"),
        cleandoc("""
            The group planned the next phase of spread.

            - Ten more homes have asked to join.
            - The Moorside team can support two new homes a month.
            - Funding for the falls lead post ends in the autumn.
        """),
        "Spreading faster, against keeping the support that made Moorside work.",
        "- Add two homes a month, each with a buddy home.\n"
        "- Make the case to the ICB for funding the falls lead post.",
        ("Pair each new home with a buddy home", "Draft the case for funding the falls lead post"),
        (
            "New homes do better with a buddy home",
            "enabler",
            "Homes with a buddy home to visit and phone got their huddle going in about half the "
            "time of those without one.",
        ),
    ),
    S(
        "Celebrating progress",
        ("8.2",),
        cleandoc("""
            A session to mark the huddle's progress.

            - Homes shared stories of residents who are walking again.
            - The ambulance service reported fewer call-outs to falls from taking-part homes.
            - Certificates went to homes that have run the huddle for three months.
        """),
        "Some homes felt left out of the celebration because they have only just started.",
        "- Include new homes in the next celebration, whatever their figures.\n"
        "- Share the stories in the ICB newsletter.",
        ("Write the newsletter piece with two homes",),
        (
            "Residents walking again is the story that spreads",
            "success_story",
            "Stories of residents walking to the dining room again persuaded more managers to "
            "join than the falls figures did.",
        ),
    ),
)

FRAILTY_SPACES = (
    SpaceSpec(
        name="Virtual ward learning collaborative",
        slug="virtual-ward-learning-collaborative",
        kind=AdaptiveSpace.Kind.LEARNING_COLLABORATIVE,
        purpose="Teams setting up or running frailty virtual wards share what works, test "
        "changes together and compare their data.",
        cadence="Monthly, second Tuesday",
        meeting_label="Collaborative meeting",
        format=Meeting.Format.HYBRID,
        location="Calderbridge Royal Infirmary, Education Centre room 2, and Microsoft Teams",
        starts=time(10, 0),
        minutes=120,
        size=11,
        demo_members=((1, FACILITATOR), (0, PARTICIPANT), (2, PARTICIPANT)),
        sessions=(
            S(
                "Launching the collaborative: what we want to learn together",
                ("1.1", "6.2", "7.2"),
                cleandoc("""
                    The first meeting of the collaborative.

                    - Agreed the shared aim: every place in the region offers a frailty virtual
                      ward by the end of next year.
                    - Each site named one thing it wants to learn from the others.
                    - Went through the core components of the Aireford model and what sites may
                      adapt.
                """),
                "Some sites felt the Aireford model was presented as the only right way. The "
                "group agreed that adapting it is expected, as long as the core components stay.",
                "- Meet monthly, hybrid, hosted by a different site each time.\n"
                "- Ground rules agreed (see the space page).",
                ("Write up the shared aim and send it round", "Each site to name its lead"),
                (
                    "Name what is core and what can change from the first meeting",
                    "adaptation",
                    "Setting out the core components and the adaptable elements on day one "
                    "stopped the collaborative becoming a debate about copying one hospital.",
                ),
            ),
            S(
                "Testing a single point of access",
                ("3.2", "10.1"),
                cleandoc("""
                    Two sites shared their first tests of a single point of access.

                    - One uses the community hub's existing phone line; the other set up a new
                      line staffed by the ward.
                    - Both saw faster decisions, but the new line struggles to cover evenings.
                    - The plan-do-study-act cycles were reviewed together.
                """),
                "Whether the single point of access must be run by the ward itself, or can sit "
                "with an existing hub.",
                "- Either model is fine, provided a senior clinician decides within the hour.\n"
                "- Both sites run one more test cycle and report back.",
                (
                    "Run one more test cycle of the single point of access",
                    "Write down the decision-within-the-hour standard",
                ),
                (
                    "The single point of access can sit with an existing hub",
                    "adaptation",
                    "A site that used its community hub's phone line got going faster than one "
                    "that built a new line. What mattered was a senior decision within the hour.",
                ),
            ),
            S(
                "Medicines on the virtual ward",
                ("9.1", "3.3"),
                cleandoc("""
                    Pharmacy colleagues joined to talk about medicines at home.

                    - Medicines reconciliation on day one happens in only half of cases.
                    - Intravenous antibiotics at home work well where community nursing has room.
                    - There is no shared approach to controlled drugs at home.
                """),
                "Pharmacy and nursing see the day-one gap differently: nobody clearly owns it.",
                "- Pharmacy owns reconciliation on day one, with a remote option at weekends.\n"
                "- A regional guide to controlled drugs at home will be drafted.",
                (
                    "Draft a regional guide to controlled drugs on the virtual ward",
                    "Set up remote medicines reconciliation at weekends",
                ),
                (
                    "Decide who owns medicines reconciliation before go-live",
                    "barrier",
                    "Where nobody owned medicines reconciliation on the first day, it happened "
                    "in only half of cases. Naming pharmacy as the owner fixed it within a month.",
                ),
            ),
            S(
                "Bringing care homes in",
                ("8.1", "1.3", "3.1"),
                cleandoc("""
                    Care home managers joined the collaborative for the first time.

                    - Care homes are keen, but worry about being left with the risk if a
                      resident gets worse overnight.
                    - Staff turnover makes training hard to keep up.
                    - The monitoring kit may need to be simpler for care home use.
                """),
                "Care homes and the ward team see overnight responsibility differently.",
                "- The virtual ward stays clinically responsible for every resident on the "
                "ward, day and night.\n- A short training video replaces the face-to-face session.",
                (
                    "Record a short training video for care home staff",
                    "Write to care homes setting out overnight responsibility",
                ),
                (
                    "Care homes need clarity about overnight responsibility",
                    "enabler",
                    "Care homes agreed to take part once it was written down that the virtual "
                    "ward stays clinically responsible overnight.",
                ),
            ),
        ),
    ),
    SpaceSpec(
        name="Frailty clinical leads' circle",
        slug="frailty-clinical-leads-circle",
        round_order=(0, 1, 4, 5, 2, 3),
        kind=AdaptiveSpace.Kind.COMMUNITY_OF_PRACTICE,
        confidentiality=AdaptiveSpace.Confidentiality.CHATHAM_HOUSE,
        purpose="A confidential space for the consultants, matrons and advanced practitioners "
        "who lead virtual wards to talk candidly about clinical risk, workload and what keeps "
        "them awake at night.",
        cadence="Monthly, first Thursday, online",
        meeting_label="Leads' circle",
        format=Meeting.Format.ONLINE,
        location="Microsoft Teams (link in the calendar invitation)",
        starts=time(13, 0),
        minutes=60,
        sectors=(Sector.ACUTE, Sector.COMMUNITY, Sector.PRIMARY_CARE, Sector.MENTAL_HEALTH),
        size=8,
        demo_members=((1, FACILITATOR),),
        sessions=(
            S(
                "What keeps us awake at night",
                ("1.2", "2.1"),
                cleandoc("""
                    An open conversation about clinical risk on the virtual ward.

                    - Several leads described the weight of being responsible for patients they
                      cannot see.
                    - Escalation out of hours was the most common worry.
                    - The group shared how they decide when a patient is too unwell for the ward.
                """),
                "Views differ on how much risk is acceptable at home: some feel the ward is too "
                "cautious and turns patients away, others that it takes patients who belong in "
                "hospital.",
                "- Build shared exclusion criteria from the cases discussed.\n"
                "- Nothing said here is attributed to anyone.",
                ("Draft shared exclusion criteria from the cases discussed",),
                (
                    "Leads need a confidential place to talk about risk",
                    "insight",
                    "Clinical leads had nowhere else to talk openly about the risk of caring for "
                    "acutely unwell people at home. Candour came easily once nothing was "
                    "attributed.",
                ),
            ),
            S(
                "Senior review: in person or remote?",
                ("3.2", "10.1"),
                cleandoc("""
                    How daily senior review is done.

                    - Practice ranges from a daily visit to a video review with a nurse at the
                      bedside.
                    - Remote review saves time, but some leads feel they miss things.
                    - No site has audited the difference.
                """),
                "A real disagreement about whether remote senior review is safe for the frailest "
                "patients.",
                "- Remote review is acceptable, with a face-to-face review within 48 hours of "
                "admission.\n- Two sites audit a month of reviews.",
                ("Audit a month of senior reviews at two sites",),
                (
                    "Combine remote review with one early face-to-face visit",
                    "adaptation",
                    "Daily senior review can be remote for most patients if there is one "
                    "face-to-face review early in the stay. This keeps the core component while "
                    "freeing consultant time.",
                ),
            ),
            S(
                "Workload and wellbeing",
                ("1.2", "2.2", "3.1"),
                cleandoc("""
                    How the leads are coping.

                    - Several described working beyond their job plans to keep the ward open.
                    - The virtual ward is not yet in consultant job plans at most sites.
                    - Peer support between sites was valued.
                """),
                "Some felt that raising workload with boards would put the ward at risk; others "
                "that it has to be raised.",
                "- Raise job planning through the medical directors' network, naming no site.\n"
                "- Pair leads across sites for informal peer support.",
                (
                    "Raise virtual ward job planning with the medical directors' network",
                    "Set up peer support pairs",
                ),
                (
                    "Virtual ward work must be in job plans",
                    "barrier",
                    "Leads cover the virtual ward on top of their job plans. Until it is planned "
                    "time, the ward depends on goodwill, which will not last.",
                ),
            ),
            S(
                "Learning from a serious incident",
                ("4.2", "1.2"),
                cleandoc("""
                    A confidential look at the themes from a recent serious incident.

                    - The discussion was about systems, not individuals.
                    - Handover between day and night teams was the weakest point.
                    - Learning was agreed for every site.
                """),
                "Unease about how much detail to share; the group agreed to share themes only.",
                "- Every site adopts a structured evening handover.\n"
                "- Themes, not details, are shared with the collaborative.",
                ("Share a structured evening handover template with every site",),
                (
                    "A structured evening handover closes a gap",
                    "insight",
                    "The weakest point found in an incident review was the handover from the day "
                    "team to the night team. A short structured handover is now used everywhere.",
                ),
            ),
        ),
    ),
    SpaceSpec(
        name="Step-up referral pathway workshop",
        slug="step-up-referral-workshop",
        round_order=(0, 1, 2, 4, 3, 5),
        kind=AdaptiveSpace.Kind.DESIGN_WORKSHOP,
        purpose="Ambulance crews, GPs, care homes and the virtual ward teams redesign how "
        "patients are referred in from the community, so that step-up happens within two hours.",
        cadence="Every four to six weeks",
        meeting_label="Design workshop",
        format=Meeting.Format.IN_PERSON,
        location="Calder and Aire ICB, Halsworth House, meeting room 4",
        starts=time(14, 0),
        minutes=150,
        sectors=(
            Sector.AMBULANCE,
            Sector.PRIMARY_CARE,
            Sector.COMMUNITY,
            Sector.ACUTE,
            Sector.COMMISSIONER,
            Sector.PATIENT_PUBLIC,
        ),
        size=10,
        demo_members=((1, PARTICIPANT), (2, PARTICIPANT)),
        facilitator_role_groups=(RoleGroup.OPERATIONAL, RoleGroup.EXECUTIVE),
        sessions=(
            S(
                "Mapping the current referral routes",
                ("5.1", "6.1", "1.3"),
                cleandoc("""
                    Crews, GPs, care home staff and the ward team mapped every route a patient
                    can take onto the virtual ward.

                    - Eleven different routes, with six different phone numbers.
                    - Only two routes lead to a decision within two hours.
                    - Ambulance crews have no direct route at all.
                """),
                "Each service felt its own route worked well for it; the map showed it worked "
                "well for nobody else.",
                "- Design one front door for step-up referrals.\n"
                "- Test a direct route for ambulance crews first.",
                (
                    "Turn the route map into a one-page diagram",
                    "Ask the ambulance service for a named clinical lead for the test",
                ),
                (
                    "Map the routes before redesigning them",
                    "insight",
                    "Mapping showed eleven routes and six phone numbers into the ward. Seeing it "
                    "on one wall built agreement for a single front door.",
                ),
            ),
            S(
                "Designing the ambulance crew route",
                ("3.1", "3.2"),
                cleandoc("""
                    The workshop designed a direct route for ambulance crews.

                    - Crews call the single point of access from the scene, and a senior
                      clinician decides within 30 minutes.
                    - The ward visits within two hours of accepting the patient.
                    - Crews asked to hear what happened to their patients.
                """),
                "The ambulance service worried about crews waiting on scene; the ward worried "
                "about accepting patients without seeing them.",
                "- Test for one month, weekdays 8am to 8pm.\n"
                "- The ward tells the crew how each patient got on within a week.",
                ("Brief crews at the two test stations", "Set up the weekly feedback to crews"),
                (
                    "Crews want to know what happened next",
                    "enabler",
                    "Crews referred more when they heard back about their patients. A weekly "
                    "feedback note cost little and built trust in the route.",
                ),
            ),
            S(
                "Reviewing the first month of crew referrals",
                ("4.2", "10.1"),
                cleandoc("""
                    The first month of the ambulance route.

                    - 38 referrals, 31 accepted, none back in hospital within 48 hours.
                    - Average time on scene rose by 12 minutes.
                    - Crews at one station referred far more than the other.
                """),
                "Whether the extra time on scene is acceptable when demand is high.",
                "- Extend the test to evenings and weekends.\n"
                "- Share the busier station's briefing with the other.",
                (
                    "Extend the crew route test to evenings and weekends",
                    "Share the busier station's briefing with the other station",
                ),
                (
                    "The crew route keeps people at home safely",
                    "result",
                    "In the first month, 31 of 38 patients referred by ambulance crews were "
                    "cared for at home, and none returned to hospital within 48 hours.",
                ),
            ),
            S(
                "Bringing GP practices onto the single front door",
                ("3.1", "7.2", "9.1"),
                cleandoc("""
                    GPs and practice managers tried the single front door.

                    - GPs value the speed but want a named clinician to talk to.
                    - Practice systems do not show that a patient is on the virtual ward.
                    - Two practices agreed to test it for a month.
                """),
                "Primary care asked who carries the risk while the ward decides; the ward team "
                "felt this was already clear.",
                "- A named senior clinician of the day answers the front door.\n"
                "- Ask for a virtual ward flag in the GP record.",
                (
                    "Publish the named senior clinician of the day for GP calls",
                    "Request a virtual ward flag in the GP record system",
                ),
                (
                    "GPs want a person, not just a number",
                    "enabler",
                    "GPs used the single front door once they knew which senior clinician they "
                    "would reach that day.",
                ),
            ),
        ),
    ),
    SpaceSpec(
        name="Remote monitoring users' network",
        slug="remote-monitoring-network",
        round_order=(0, 1, 3, 4, 2, 5),
        kind=AdaptiveSpace.Kind.ONLINE_NETWORK,
        purpose="Staff using the remote monitoring kit, the supplier and patient partners compare "
        "alert thresholds, fix practical problems and feed back to the innovator.",
        cadence="Monthly, online",
        meeting_label="Network call",
        format=Meeting.Format.ONLINE,
        location="Microsoft Teams (link in the calendar invitation)",
        starts=time(12, 30),
        minutes=60,
        sectors=(Sector.INDUSTRY, Sector.ACUTE, Sector.COMMUNITY, Sector.PATIENT_PUBLIC),
        size=9,
        facilitator_role_groups=(RoleGroup.ANALYST, RoleGroup.CLINICAL),
        sessions=(
            S(
                "Setting alert thresholds",
                ("7.2", "3.2"),
                cleandoc("""
                    Users compared the alert thresholds they use.

                    - Default thresholds raise too many alerts for people with long-term lung
                      disease.
                    - Each site has changed thresholds differently, with no record of why.
                    - The supplier explained what can and cannot be changed safely.
                """),
                "Clinicians want freedom to adjust thresholds; the supplier and the digital team "
                "want them kept within validated ranges.",
                "- Keep thresholds within the supplier's validated ranges.\n"
                "- Record every change and its reason in a shared log.",
                (
                    "Set up a shared log of threshold changes",
                    "Ask the supplier for threshold guidance for each group of patients",
                ),
                (
                    "Adjust alert thresholds within validated ranges",
                    "adaptation",
                    "Default thresholds caused alert fatigue for people with long-term lung "
                    "disease. Adjusting them within the validated ranges, and recording why, cut "
                    "false alerts without losing safety.",
                ),
            ),
            S(
                "Getting kit to patients on time",
                ("9.1", "8.1"),
                cleandoc("""
                    Delays in getting monitoring kit to patients.

                    - Kit arrives on day two in about a third of cases.
                    - Stock sits at the main hospital, far from two of the sites.
                    - Some patients cannot set the kit up on their own.
                """),
                "Who should install the kit: the ward team, a volunteer service or the supplier?",
                "- Hold small stocks at each site.\n- Test a volunteer installation service in "
                "one place.",
                (
                    "Move small stocks of kit to each site",
                    "Agree a test with the volunteer service",
                ),
                (
                    "Hold kit close to where patients live",
                    "enabler",
                    "With small stocks of kit at each site, rather than at one hospital, most "
                    "patients had their kit on the first day.",
                ),
            ),
            S(
                "Feedback to the supplier",
                ("4.2", "8.1"),
                cleandoc("""
                    A structured session to feed back to the supplier.

                    - Patients find the tablet screen small and the text hard to read.
                    - Sensors lose connection in some rural areas.
                    - The supplier shared its plans and asked the network to rank them.
                """),
                "Patient partners and clinicians ranked the priorities differently.",
                "- First: larger text and a simpler home screen.\n"
                "- Second: readings kept on the device when the connection drops.",
                ("Send the network's ranked priorities to the supplier",),
                (
                    "Patients' priorities differ from clinicians'",
                    "question",
                    "Patient partners ranked readability above every clinical feature; "
                    "clinicians put a reliable connection first. How should the network weigh "
                    "the two when they disagree?",
                ),
            ),
            S(
                "Monitoring data in the shared care record",
                ("4.1", "5.2"),
                cleandoc("""
                    The digital team showed monitoring data flowing into the shared care record.

                    - Readings appear in the shared record within an hour.
                    - GPs and crews can see the readings, but not the alerts.
                    - Information governance approval covers a pilot only.
                """),
                "Whether it is safe to show readings without the alerts beside them.",
                "- Show readings with a clear note that the ward manages alerts.\n"
                "- Seek approval to go beyond the pilot.",
                (
                    "Add a note about who manages alerts to the shared record view",
                    "Apply to extend the information governance approval",
                ),
                (
                    "Monitoring data in the shared record helps other services",
                    "result",
                    "Once readings appeared in the shared care record, ambulance crews used them "
                    "on scene to decide whether a patient could stay at home.",
                ),
            ),
        ),
    ),
)

FALLS_SPACES = (
    SpaceSpec(
        name="Falls huddle learning collaborative",
        slug="falls-huddle-collaborative",
        kind=AdaptiveSpace.Kind.LEARNING_COLLABORATIVE,
        purpose="Managers and senior carers from care homes starting the daily falls huddle "
        "learn from Moorside and from each other.",
        cadence="Monthly, last Wednesday",
        meeting_label="Collaborative meeting",
        format=Meeting.Format.HYBRID,
        location="Moorside Community Centre, and Microsoft Teams",
        starts=time(14, 0),
        minutes=90,
        size=10,
        demo_members=((1, FACILITATOR), (2, PARTICIPANT)),
        sessions=(
            S(
                "Starting the collaborative",
                ("1.1", "6.2", "7.2"),
                cleandoc("""
                    The first meeting brought together managers and senior carers from eight
                    homes.

                    - Moorside explained how the daily huddle works and what it took to start.
                    - Homes said what they hope to gain.
                    - The core of the huddle was agreed: daily, at the same time, with every
                      resident's risk reviewed weekly.
                """),
                "Some homes felt the Moorside huddle would not fit their size or staffing.",
                "- Homes choose who leads the huddle and which risk tool they use.\n"
                "- The daily rhythm and the weekly review of every resident stay.",
                ("Share the Moorside huddle prompt card with every home",),
                (
                    "Keep the rhythm, adapt the rest",
                    "adaptation",
                    "Homes took to the huddle once it was clear they could choose who leads it "
                    "and which risk tool they use, as long as the daily rhythm stays.",
                ),
            ),
            S(
                "Choosing a risk tool",
                ("3.2", "10.1"),
                cleandoc("""
                    Homes compared the falls risk tools they use.

                    - Four different tools are in use.
                    - Staff prefer short tools they can complete in the huddle.
                    - The community physiotherapy team offered to help homes choose.
                """),
                "Whether one regional tool should be required.",
                "- No single tool required; homes choose from a short list of three.\n"
                "- Physiotherapy runs a short session on each.",
                ("Agree the short list of three risk tools with physiotherapy",),
                (
                    "A short list of risk tools beats one required tool",
                    "adaptation",
                    "Requiring one tool would have meant retraining in most homes. A short list "
                    "of three that physiotherapy were happy with kept homes on board.",
                ),
            ),
            S(
                "Huddles on night shifts",
                ("3.2", "9.1"),
                cleandoc("""
                    Should night staff run their own huddle?

                    - Night staff feel left out of the day huddle.
                    - Two homes have tried a five-minute night huddle.
                    - Handover between shifts is where information about risk gets lost.
                """),
                "Some managers think a night huddle is one thing too many for a small night team.",
                "- Homes that want to can test a five-minute night huddle.\n"
                "- Every handover includes the day huddle's actions.",
                ("Share the night huddle prompt from the two test homes",),
                (
                    "Bring night staff into the huddle",
                    "question",
                    "Night staff felt left out of the day huddle, yet many falls happen at "
                    "night. Is a separate night huddle the answer, or a better handover?",
                ),
            ),
            S(
                "Six months of results",
                ("4.2", "8.2"),
                cleandoc("""
                    The collaborative reviewed six months of data.

                    - Falls are down by about a fifth across the first eight homes.
                    - Falls causing injury are down by a similar amount.
                    - Homes with the most regular huddles saw the biggest change.
                """),
                "Whether the results are strong enough to ask for funding.",
                "- Share the results with the ICB and ask for funding to continue.\n"
                "- Write up the results for the learning hub.",
                ("Send the six-month results to the ICB", "Write up the results as learning"),
                (
                    "Falls fell by a fifth in the first eight homes",
                    "result",
                    "Across the first eight homes, falls fell by about a fifth in six months, "
                    "with the biggest drop in homes that held the huddle every day.",
                ),
            ),
        ),
    ),
    SpaceSpec(
        name="Care home managers' circle",
        slug="care-home-managers-circle",
        kind=AdaptiveSpace.Kind.COMMUNITY_OF_PRACTICE,
        confidentiality=AdaptiveSpace.Confidentiality.CHATHAM_HOUSE,
        purpose="Care home managers talk candidly, in confidence, about falls, staffing and "
        "inspection, and support each other to keep the huddle going.",
        cadence="Monthly, online",
        meeting_label="Managers' circle",
        format=Meeting.Format.ONLINE,
        location="Microsoft Teams (link in the calendar invitation)",
        starts=time(10, 30),
        minutes=60,
        sectors=(Sector.PRIMARY_CARE, Sector.COMMUNITY, Sector.LOCAL_AUTHORITY, Sector.VCSE),
        size=8,
        demo_members=((1, PARTICIPANT), (2, PARTICIPANT)),
        facilitator_role_groups=(RoleGroup.OPERATIONAL, RoleGroup.COMMUNITY),
        sessions=(
            S(
                "Being honest about falls",
                ("1.2", "2.1"),
                cleandoc("""
                    An open conversation between managers.

                    - Managers spoke about the fear of inspection when falls are reported.
                    - Near misses go unreported in some homes.
                    - Honest reporting is the only way to learn.
                """),
                "Managers worry that being open about falls will be used against them at "
                "inspection.",
                "- Nothing said here is attributed to a person or a home.\n"
                "- Ask the ICB how falls data will, and will not, be used.",
                ("Ask the ICB for a written statement on how falls data is used",),
                (
                    "Fear of inspection hides near misses",
                    "barrier",
                    "Near misses go unreported because managers fear how the figures will be "
                    "used. A clear statement on the use of data has to come first.",
                ),
            ),
            S(
                "Keeping staff when times are hard",
                ("2.2", "9.2"),
                cleandoc("""
                    A discussion about staffing.

                    - Turnover is high, and new staff need to learn the huddle.
                    - Some managers cover shifts themselves, and the huddle slips.
                    - Managers shared what helps them keep staff.
                """),
                "Whether to ask commissioners for funding tied to the huddle, or keep it separate.",
                "- Collect examples of what helps keep staff, for every home.\n"
                "- Raise funding in the next commissioning round.",
                ("Collect examples of what helps keep care staff",),
                (
                    "Huddles slip when managers cover shifts",
                    "barrier",
                    "When managers have to cover shifts, the huddle is the first thing to go. "
                    "Naming a deputy to lead it keeps it going.",
                ),
            ),
            S(
                "When families disagree",
                ("7.1", "9.2", "8.1"),
                cleandoc("""
                    Families who disagree with falls prevention plans.

                    - Some families want bed rails or sensors that restrict residents.
                    - Others want residents to walk freely whatever the risk.
                    - Managers described how they hold these conversations.
                """),
                "Balancing a resident's own wishes with what the family wants.",
                "- Write a short guide to conversations with families, with a carers' group.\n"
                "- Start from what the resident wants.",
                ("Draft a guide to conversations with families, with Carers Together",),
                (
                    "Start from what the resident wants",
                    "insight",
                    "Conversations with families went better when they started from what the "
                    "resident wanted, rather than from the risk assessment.",
                ),
            ),
            S(
                "What would make us stop",
                ("9.2", "10.2"),
                cleandoc("""
                    What would make homes stop the huddle?

                    - Losing the falls lead's support is the biggest risk.
                    - Paperwork that grows over time puts people off.
                    - Managers want the huddle to stay light.
                """),
                "Some want more data to prove the benefit; others want less paperwork.",
                "- Keep data collection to one run chart a month.\n"
                "- Ask the programme to protect the falls lead post.",
                ("Review the paperwork asked of homes and cut it back",),
                (
                    "Keep the huddle light to make it last",
                    "insight",
                    "The huddle will survive only if the paperwork stays light. One run chart a "
                    "month is the most managers will keep up.",
                ),
            ),
        ),
    ),
    SpaceSpec(
        name="Falls response forum",
        slug="falls-response-forum",
        kind=AdaptiveSpace.Kind.CROSS_BOUNDARY_FORUM,
        purpose="The ambulance service, community teams, primary care, social care and care "
        "homes agree who responds when a resident falls, and how.",
        cadence="Monthly",
        meeting_label="Forum",
        format=Meeting.Format.IN_PERSON,
        location="Yorkshire Dales Ambulance Service, Aireford station training room",
        starts=time(9, 30),
        minutes=120,
        sectors=(
            Sector.AMBULANCE,
            Sector.COMMUNITY,
            Sector.PRIMARY_CARE,
            Sector.LOCAL_AUTHORITY,
            Sector.PATIENT_PUBLIC,
        ),
        size=9,
        facilitator_role_groups=(RoleGroup.CLINICAL,),
        sessions=(
            S(
                "Who responds when a resident falls",
                ("5.1", "1.3", "3.1"),
                cleandoc("""
                    Ambulance, community, primary care and care homes met together for the
                    first time.

                    - Homes call 999 for most falls, even without injury, for want of another
                      option.
                    - The ambulance service wants to end long waits for residents who have
                      fallen.
                    - A community falls response team exists in one area but is little known.
                """),
                "Each service felt another was not doing enough; mapping who responds helped "
                "move past this.",
                "- Tell every home in its area about the community falls response team.\n"
                "- Design a shared falls response pathway.",
                (
                    "Send every home the community falls response team's details",
                    "Draft the shared falls response pathway",
                ),
                (
                    "Homes call 999 because they have no other option",
                    "insight",
                    "Care homes called 999 for falls without injury because they did not know "
                    "about the community response team. Telling them was the first step.",
                ),
            ),
            S(
                "Lifting equipment in care homes",
                ("9.1", "3.2"),
                cleandoc("""
                    Lifting equipment for residents who fall without injury.

                    - Few homes have a lifting cushion, and fewer have trained staff.
                    - The ambulance service can train staff if homes have the equipment.
                    - Nobody is sure who pays for the equipment.
                """),
                "Who should pay for lifting equipment: homes, the ICB or the ambulance service?",
                "- Test lifting cushions in five homes, funded by the ICB for a year.\n"
                "- The ambulance service trains staff in the test homes.",
                (
                    "Order lifting cushions for the five test homes",
                    "Book training by the ambulance service",
                ),
                (
                    "Lifting cushions avoid long waits on the floor",
                    "enabler",
                    "With a lifting cushion and trained staff, residents who fell without injury "
                    "were helped up safely in minutes instead of waiting hours for an ambulance.",
                ),
            ),
            S(
                "Reviewing the lifting cushion test",
                ("4.2", "8.2"),
                cleandoc("""
                    The first three months of the test.

                    - 46 falls without injury were managed in the home.
                    - Ambulance call-outs to falls from the test homes fell sharply.
                    - Staff confidence rose after training.
                """),
                "Whether the ICB will fund equipment beyond the test.",
                "- Make the case to the ICB to fund equipment in every home.\n"
                "- Share the results with the learning collaborative.",
                ("Write the case for lifting equipment in every home",),
                (
                    "Call-outs fell sharply in homes with lifting cushions",
                    "result",
                    "In three months, 46 falls without injury were managed in the home, and "
                    "ambulance call-outs to falls from the test homes fell sharply.",
                ),
            ),
            S(
                "A shared pathway after a fall",
                ("5.2", "6.1", "7.2"),
                cleandoc("""
                    The forum agreed a shared pathway for residents after a fall.

                    - Every fall is reviewed at the next huddle.
                    - The GP hears about every fall with injury within a day.
                    - The community falls team visits within a week after a second fall.
                """),
                "GPs worry about the workload of hearing about every fall.",
                "- GPs hear only about falls with injury, or a second fall.\n"
                "- Test the pathway for three months.",
                (
                    "Publish the shared pathway after a fall",
                    "Brief GP practices on which falls they will hear about",
                ),
                (
                    "Agree who hears about which falls",
                    "enabler",
                    "Agreeing which falls the GP hears about kept primary care on board without "
                    "flooding practices with calls.",
                ),
            ),
        ),
    ),
)
del S

SPACES = {
    "frailty-virtual-wards": (FRAILTY_SPACES, FRAILTY_ROUND),
    "care-home-falls": (FALLS_SPACES, FALLS_ROUND),
}


# Step 3: shared understanding, complexity, the activity plan and the local knowledge register --
#
# The frailty programme is complex and interdependent, and convenes enough to match. The falls
# programme is as complex, but its meetings lapsed over the last three months after the falls lead
# post lost its funding, so its match panel warns that convening is too light.

QUIET_PROGRAMMES = {"care-home-falls"}
QUIET_DAYS = 100  # how long before the latest meeting the last logged one was held

UNDERSTANDING = {
    "frailty-virtual-wards": {
        "agreed_by": "Frailty virtual ward programme board",
        # (days ago, the words agreed then): the earlier version is kept as history.
        "versions": (
            (
                230,
                {
                    "problem": cleandoc("""
                        Older people living with frailty are admitted to hospital for care that
                        could safely be given at home. Many lose strength and independence
                        during a stay, and some never return home.
                    """),
                    "priority": cleandoc("""
                        Winter pressures are rising, and the region has agreed to offer
                        alternatives to admission in every place.
                    """),
                    "value": cleandoc("""
                        - Fewer avoidable admissions of older people with frailty.
                        - Shorter stays for those who are admitted.
                    """),
                    "shared_purpose": cleandoc("""
                        Every older person with frailty in Calder and Aire can be cared for at
                        home when that is safe and what they want.
                    """),
                },
            ),
            (
                41,
                {
                    "problem": cleandoc("""
                        Older people living with frailty are admitted to hospital for acute care
                        that could safely be given at home. In hospital, many lose strength and
                        confidence; **one in three** leaves less able to manage than when they
                        arrived, and some never return home.

                        Most patients still reach the virtual ward *after* a hospital stay
                        rather than instead of one, because referral routes from the community
                        are slow and differ from place to place.
                    """),
                    "priority": cleandoc("""
                        This is the region's first priority for urgent care this year:

                        1. Winter bed occupancy was above 95% for eleven weeks last year.
                        2. The ICB's plan commits every place to a frailty virtual ward by the end
                           of next year.
                        3. Funding for the wards is confirmed only to the end of the financial
                           year, so the case for keeping them must be made by the autumn.
                    """),
                    "value": cleandoc("""
                        - **For patients and carers**: acute care at home, with one number to
                          ring day or night.
                        - **For hospitals**: fewer avoidable admissions of older people, and
                          shorter stays for those who are admitted.
                        - **For the system**: a single front door that GPs, ambulance crews and
                          care homes trust, instead of eleven routes and six phone numbers.
                    """),
                    "shared_purpose": cleandoc("""
                        Every older person living with frailty in Calder and Aire can be cared
                        for at home, safely and with the support their carers need, whenever
                        that is what they want and a hospital bed is not needed.

                        We will get there together: each place adapts the ward to its own
                        services, keeps the core components, and shares what it learns.
                    """),
                },
            ),
        ),
    },
    "care-home-falls": {
        "agreed_by": "Falls prevention steering group",
        "versions": (
            (
                150,
                {
                    "problem": cleandoc("""
                        Residents of care homes fall far more often than older people living in
                        their own homes. A fall without injury can still mean hours on the floor
                        waiting for an ambulance, and the fear of falling again leads residents
                        to move less and become frailer.

                        Most falls happen between 4pm and 8pm, around the evening shift change.
                    """),
                    "priority": cleandoc("""
                        Falls from care homes are among the most common reasons for ambulance
                        call-outs in the region, and waits for a response have grown. Homes that
                        run the Moorside huddle have already seen falls drop by about a fifth.
                    """),
                    "value": cleandoc("""
                        - Fewer falls, and fewer falls causing injury.
                        - Fewer ambulance call-outs for falls without injury.
                        - Residents who feel confident to keep walking.
                    """),
                    "shared_purpose": cleandoc("""
                        Every care home in Calder and Aire holds a short daily falls huddle, so
                        that residents stay on their feet and, when they do fall, get the right
                        help quickly.
                    """),
                },
            ),
        ),
    },
}

R = Rating
# Per programme, oldest first: (days ago, interdependence, notes on the discussion,
# {domain: (rating, note)}).
ASSESSMENTS = {
    "frailty-virtual-wards": (
        (
            330,
            ComplexityAssessment.Interdependence.INTERDEPENDENT,
            "First look at the programme board, before the collaborative started.",
            {
                Domain.CONDITION: (R.COMPLEX, "Frailty comes with several conditions at once."),
                Domain.INNOVATION: (R.COMPLICATED, "Many parts, but Aireford has shown they fit."),
                Domain.VALUE: (R.UNKNOWN, "Nobody yet knows who gains and who pays."),
                Domain.ADOPTERS: (R.COMPLICATED, "New roles for nurses and therapists."),
                Domain.ORGANISATIONS: (R.COMPLEX, "Hospitals, community and GPs must all change."),
                Domain.WIDER_SYSTEM: (R.UNKNOWN, "National funding rules are still changing."),
                Domain.EMBEDDING: (R.UNKNOWN, "Too early to say."),
            },
        ),
        (
            180,
            ComplexityAssessment.Interdependence.INTERDEPENDENT,
            "Reviewed with the site leads after six months of the collaborative.",
            {
                Domain.CONDITION: (R.COMPLEX, "Unchanged: frailty is unpredictable."),
                Domain.INNOVATION: (R.COMPLICATED, "The monitoring kit adds a second supplier."),
                Domain.VALUE: (
                    R.COMPLEX,
                    "Hospitals gain beds while community teams carry the work.",
                ),
                Domain.ADOPTERS: (
                    R.COMPLEX,
                    "Carers take on more than expected; GPs do not yet trust the route.",
                ),
                Domain.ORGANISATIONS: (R.COMPLEX, "Eleven referral routes across five services."),
                Domain.WIDER_SYSTEM: (R.COMPLICATED, "Funding confirmed for a year."),
                Domain.EMBEDDING: (R.COMPLEX, "Depends on goodwill, not job plans."),
            },
        ),
        (
            21,
            ComplexityAssessment.Interdependence.INTERDEPENDENT,
            "Programme board, with two patient partners. The value case is clearer now that "
            "the ICB counts avoided admissions the same way at every site.",
            {
                Domain.CONDITION: (R.COMPLEX, "Unchanged."),
                Domain.INNOVATION: (R.COMPLICATED, "Sites now adapt within agreed limits."),
                Domain.VALUE: (R.COMPLICATED, "Shared definitions agreed with the ICB."),
                Domain.ADOPTERS: (R.COMPLEX, "Carers' load is still the biggest unknown."),
                Domain.ORGANISATIONS: (R.COMPLEX, "The single front door is only half built."),
                Domain.WIDER_SYSTEM: (R.COMPLICATED, "Information sharing still to be signed."),
                Domain.EMBEDDING: (R.COMPLEX, "Job plans and recurrent funding not yet agreed."),
            },
        ),
    ),
    "care-home-falls": (
        (
            270,
            ComplexityAssessment.Interdependence.INDEPENDENT,
            "Steering group, when the huddle was running in Moorside only.",
            {
                Domain.CONDITION: (R.COMPLICATED, "Falls have many causes, but they are known."),
                Domain.INNOVATION: (R.SIMPLE, "A ten-minute huddle with a prompt card."),
                Domain.VALUE: (R.UNKNOWN, "Who pays for lifting equipment is not settled."),
                Domain.ADOPTERS: (R.COMPLICATED, "Staff need training and protected time."),
                Domain.ORGANISATIONS: (R.COMPLICATED, "Each home can start on its own."),
                Domain.WIDER_SYSTEM: (R.UNKNOWN, "Not discussed."),
                Domain.EMBEDDING: (R.UNKNOWN, "Not discussed."),
            },
        ),
        (
            30,
            ComplexityAssessment.Interdependence.INTERDEPENDENT,
            "Steering group. Homes cannot make the huddle work on their own: they depend on "
            "the ambulance service, community physiotherapy and GPs to respond.",
            {
                Domain.CONDITION: (R.COMPLICATED, "Unchanged."),
                Domain.INNOVATION: (R.SIMPLE, "Unchanged: the huddle itself is simple."),
                Domain.VALUE: (
                    R.COMPLEX,
                    "Homes do the work; the ambulance service and hospitals see the savings.",
                ),
                Domain.ADOPTERS: (
                    R.COMPLEX,
                    "High staff turnover, agency staff, and families with differing views.",
                ),
                Domain.ORGANISATIONS: (
                    R.COMPLEX,
                    "Dozens of independent homes, with different owners and contracts.",
                ),
                Domain.WIDER_SYSTEM: (
                    R.COMPLEX,
                    "Inspection makes managers wary of reporting falls openly.",
                ),
                Domain.EMBEDDING: (R.COMPLEX, "The falls lead post is no longer funded."),
            },
        ),
    ),
}
del R


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


A = ActivitySpec
IDEA, PLANNED, IN_PROGRESS, DONE, DROPPED = (
    PlannedActivity.Status.IDEA,
    PlannedActivity.Status.PLANNED,
    PlannedActivity.Status.IN_PROGRESS,
    PlannedActivity.Status.DONE,
    PlannedActivity.Status.DROPPED,
)
ACTIVITIES = {
    "frailty-virtual-wards": (
        A(
            ("1.1", "1.2"),
            "Keep the learning collaborative meeting monthly through the winter",
            "facilitator",
            IN_PROGRESS,
            60,
            "virtual-ward-learning-collaborative",
            "Winter is when sites are busiest and most tempted to drop the collaborative. "
            "Book rooms and hosts to the end of March now.",
        ),
        A(
            (),
            "",
            "lead",
            PLANNED,
            35,
            "step-up-referral-workshop",
            from_domain=Domain.ORGANISATIONS,
        ),
        A(
            ("1.4",),
            "Pair each new site with an established virtual ward for a visit",
            "operational",
            PLANNED,
            28,
            "virtual-ward-learning-collaborative",
        ),
        A(
            ("2.1",),
            "Hold a session for site leads on holding clinical risk at home",
            "clinical",
            PLANNED,
            50,
            "frailty-clinical-leads-circle",
        ),
        A(
            ("2.2",),
            "Get virtual ward sessions into consultant job plans",
            "executive",
            IN_PROGRESS,
            -12,
            description="Raised with the medical directors' network; two trusts have agreed, "
            "three have not replied.",
            actions=("Raise virtual ward job planning with the medical directors' network",),
        ),
        A(
            ("3.1", "3.3"),
            "Build links with the care home and ambulance networks in each place",
            "facilitator",
            PLANNED,
            40,
            "step-up-referral-workshop",
        ),
        A(
            ("3.2",),
            "Collect the local adaptations each site has made to the ward",
            "analyst",
            IDEA,
        ),
        A(
            ("4.1",),
            "Publish a monthly regional dashboard with shared definitions",
            "analyst",
            DONE,
            -120,
            "virtual-ward-learning-collaborative",
            actions=(
                "Circulate the regional data definitions to every site",
                "Ask the ICB analytics team to split step-up and step-down counts",
            ),
        ),
        A(
            ("4.2",),
            "Feed back problems with the monitoring kit to the supplier every quarter",
            "clinical",
            IN_PROGRESS,
            20,
            "remote-monitoring-network",
            actions=("Send the network's ranked priorities to the supplier",),
        ),
        A(
            ("5.1",),
            "Map how the virtual ward fits with urgent community response",
            "operational",
            DONE,
            -60,
            "step-up-referral-workshop",
        ),
        A(
            ("5.2",),
            "Agree the spread plan for the next wave of sites",
            "lead",
            PLANNED,
            75,
            actions=("Update the spread plan with the agreed priorities",),
        ),
        A(
            ("6.1", "6.2"),
            "Refresh the shared purpose with the Halsworth and Moorside teams",
            "lead",
            DONE,
            -45,
        ),
        A(
            ("6.1",),
            "Agree with the ICB how avoided admissions are counted",
            "executive",
            IN_PROGRESS,
            15,
        ),
        A(
            ("7.1",),
            "Write short narratives for GPs, ambulance crews and care homes",
            "clinical",
            IN_PROGRESS,
            30,
        ),
        A(
            ("7.2",),
            "Publish a one-page guide to what sites may adapt",
            "facilitator",
            DONE,
            -90,
            "virtual-ward-learning-collaborative",
        ),
        A(
            ("8.1",),
            "Co-design the day-one contact card with patients and carers",
            "patient",
            IN_PROGRESS,
            10,
            actions=("Design a day-one card with the single contact number",),
        ),
        A(
            ("8.2",),
            "Share patient stories in the ICB newsletter",
            "community",
            DONE,
            -30,
            actions=("Gather written consent for the patient stories",),
        ),
        A(
            ("9.1",),
            "Agree information sharing with the ambulance service",
            "analyst",
            IN_PROGRESS,
            -20,
            description="Escalated to the ICB digital board; waiting for the Caldicott "
            "guardians to sign.",
            actions=("Escalate the information sharing agreement to the ICB digital board",),
        ),
        A(
            ("9.1",),
            "Set up weekend medical cover shared between two sites",
            "clinical",
            PLANNED,
            14,
            "frailty-clinical-leads-circle",
            actions=("Draft a weekend cover rota shared between two sites",),
        ),
        A(
            ("10.1",),
            "Run a plan-do-study-act workshop for sites about to start",
            "academic",
            PLANNED,
            45,
        ),
        A(
            ("10.1",),
            "Commission an external evaluation this year",
            "academic",
            DROPPED,
            -150,
            description="Dropped: the university's evaluation of the first wave covers it.",
        ),
        A(
            ("10.2",),
            "Review the complexity assessment with the board every six months",
            "lead",
            PLANNED,
            160,
        ),
    ),
    "care-home-falls": (
        A(
            ("1.1",),
            "Keep the falls huddle collaborative meeting monthly",
            "facilitator",
            IN_PROGRESS,
            -40,
            "falls-huddle-collaborative",
            "Two meetings were cancelled when the falls lead post ended. Find a new host.",
        ),
        A(("5.2",), "Agree the order in which homes join", "operational", IDEA),
        A((), "", "lead", PLANNED, 30, from_domain=Domain.VALUE),
        A(
            ("7.2",),
            "Share the Moorside huddle prompt card with every home",
            "facilitator",
            DONE,
            -200,
            "falls-huddle-collaborative",
            actions=("Share the Moorside huddle prompt card with every home",),
        ),
        A(
            ("8.2",),
            "Write a newsletter piece on residents walking again",
            "community",
            IDEA,
            actions=("Write the newsletter piece with two homes",),
        ),
        A(
            ("9.1",),
            "Fund lifting cushions for every home",
            "operational",
            PLANNED,
            -15,
            "falls-response-forum",
            actions=("Write the case for lifting equipment in every home",),
        ),
        A(
            ("9.1",),
            "Put the huddle on the agency staff induction sheet",
            "operational",
            DONE,
            -150,
            actions=("Add the huddle to the agency staff induction sheet",),
        ),
        A((), "", "lead", IDEA, from_domain=Domain.EMBEDDING),
        A(
            ("4.2",),
            "Collect falls data from homes outside the programme",
            "analyst",
            DROPPED,
            -100,
            description="Dropped: homes were not ready to share, and it put some off joining.",
        ),
    ),
}
del A


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


K = KnowledgeSpec
Kind, HIGH, MEDIUM, LOW = (
    LocalKnowledge.Kind,
    LocalKnowledge.Impact.HIGH,
    LocalKnowledge.Impact.MEDIUM,
    LocalKnowledge.Impact.LOW,
)
KNOWLEDGE = {
    "frailty-virtual-wards": (
        K(
            "CRI",
            Kind.WORKFORCE,
            "Weekend medical cover at Calderbridge is fragile",
            "Two consultants cover every weekend between them; one is leaving in the spring.",
            HIGH,
            "A rota shared with Aireford is being drafted; locum cover is agreed until March.",
            "clinical",
        ),
        K(
            "",
            Kind.IT_DATA,
            "Ambulance crews cannot see the virtual ward record",
            "Crews on scene cannot tell whether a patient is on the ward, so some are taken to "
            "hospital anyway.",
            HIGH,
            "The information sharing agreement is with the ICB digital board.",
            "analyst",
        ),
        K(
            "CCHS",
            Kind.WORKFORCE,
            "Community nursing visits are squeezed by vacancies",
            "One in five community nursing posts is vacant, and virtual ward visits compete "
            "with planned care.",
            HIGH,
            "",
            "operational",
        ),
        K(
            "",
            Kind.RESOURCES,
            "Funding for the wards is confirmed only to the end of the year",
            "Without recurrent funding, sites will not recruit to permanent posts.",
            HIGH,
            "The ICB will decide on recurrent funding in the autumn, using the avoided "
            "admissions figures.",
            "lead",
        ),
        K(
            "AVTH",
            Kind.ROUTINES,
            "Ward rounds are timed around the hospital's bed meeting",
            "The virtual ward's senior review waits for the 10am bed meeting, which delays "
            "step-up decisions.",
            MEDIUM,
            "Testing a senior clinician of the day who is exempt from the bed meeting.",
            "clinical",
        ),
        K(
            "North Aire PCN",
            Kind.ROUTINES,
            "Practices book home visits in the morning only",
            "Patients who need a visit after lunch wait until the next day.",
            MEDIUM,
            "",
            "operational",
        ),
        K(
            "",
            Kind.ESTATES,
            "Monitoring kit is stored at one hospital, far from two sites",
            "Kit reached patients on the second day in a third of cases.",
            MEDIUM,
            "Small stocks of kit are now held at each site.",
            "facilitator",
            closed=40,
        ),
        K(
            "PMFT",
            Kind.LOCAL_HISTORY,
            "Halsworth's hospital-at-home scheme closed in 2019",
            "Staff who worked in it remember it closing when funding stopped, and are wary.",
            MEDIUM,
            "Meet the clinicians who ran it; show what is different this time.",
            "facilitator",
        ),
        K(
            "Moorside PCN",
            Kind.VALUES,
            "Some GPs believe frail patients are safer in hospital",
            "",
            MEDIUM,
            "GP-to-GP conversations with practices already referring; share the readmission "
            "figures.",
            "clinical",
        ),
        K(
            "Aireford ASC",
            Kind.CUSTOMS,
            "Care packages start only on weekdays",
            "Patients ready to leave the ward on a Friday wait until Monday for care at home.",
            HIGH,
            "",
            "operational",
        ),
        K(
            "",
            Kind.IT_DATA,
            "Sensors lose their signal in rural areas",
            "Readings drop out in parts of the Dales.",
            LOW,
            "The supplier is adding storage so readings are sent when the signal returns.",
            "innovator",
        ),
        K(
            "YDAS",
            Kind.ROUTINES,
            "Crews' shift pattern leaves little time for calls from scene",
            "",
            LOW,
            "The single point of access now answers within ten minutes.",
            "member",
            closed=75,
        ),
    ),
    "care-home-falls": (
        K(
            "",
            Kind.WORKFORCE,
            "High turnover of care staff in most homes",
            "New and agency staff do not know the huddle, and it lapses when regular staff are "
            "off.",
            HIGH,
            "The huddle is on the agency induction sheet; a deputy leads it when the manager "
            "is away.",
            "operational",
        ),
        K(
            "",
            Kind.RESOURCES,
            "The falls lead post is no longer funded",
            "The post that supported new homes ended in the autumn; nobody now arranges the "
            "collaborative.",
            HIGH,
            "",
            "lead",
        ),
        K(
            "YDAS",
            Kind.ROUTINES,
            "Long waits for an ambulance after a fall without injury",
            "Residents wait hours on the floor when homes have no lifting equipment.",
            HIGH,
            "Lifting cushions tested in five homes; the case for every home is with the ICB.",
            "clinical",
        ),
        K(
            "Moorside PCN",
            Kind.LOCAL_HISTORY,
            "A falls audit was once used against homes at inspection",
            "Managers remember it, and some under-report near misses as a result.",
            HIGH,
            "",
            "operational",
        ),
        K(
            "Aireford ASC",
            Kind.CUSTOMS,
            "Council contracts with homes say nothing about falls",
            "",
            MEDIUM,
            "Raise at the next contract review.",
            "executive",
        ),
        K(
            "",
            Kind.VALUES,
            "Families hold different views on risk and freedom",
            "Some families want restraint; others want residents to walk freely whatever the risk.",
            MEDIUM,
            "A guide to conversations with families, written with Carers Together.",
            "community",
        ),
        K(
            "CCHS",
            Kind.WORKFORCE,
            "Physiotherapy advice takes weeks to reach homes",
            "",
            MEDIUM,
            "",
            "clinical",
        ),
        K(
            "",
            Kind.IT_DATA,
            "Homes record falls on paper or on four different systems",
            "",
            MEDIUM,
            "One run chart a month, on paper if need be.",
            "analyst",
        ),
        K(
            "",
            Kind.ESTATES,
            "Small homes have nowhere quiet for the huddle",
            "",
            LOW,
            "Homes hold it standing, by the nurses' station.",
            "facilitator",
            closed=120,
        ),
        K(
            "Carers Together",
            Kind.CUSTOMS,
            "Families visit in the evening, when falls peak",
            "",
            LOW,
            "",
            "community",
        ),
    ),
}
del K


# Step 4: innovations in full, adoption histories, hub learning, narratives and feedback -------
#
# Words for the learning hub. Every person, site and figure is invented.

INNOVATION_DETAILS = {
    "frailty-virtual-ward": {
        "evidence": cleandoc("""
            Aireford's ward has cared for more than 600 people since it opened. In its first
            year:

            - about four in five people referred stayed at home for their whole stay on the
              ward;
            - readmissions within 30 days were similar to those after a hospital stay;
            - patients and carers rated the care highly, above all for sleeping in their own bed.

            The figures come from one site and a mix of step-up and step-down patients, so they
            are a guide rather than a promise. The regional evaluation by the University of West
            Pennines reports next spring.
        """),
        "core": cleandoc("""
            - A senior clinician (consultant or advanced practitioner) reviews every patient
              every day.
            - **One point of access**, staffed from 8am to 8pm, takes every referral.
            - A patient who gets worse is seen in person **within two hours**.
            - Every patient and carer has one number to ring, day and night.
        """),
        "adaptable": cleandoc("""
            - Which organisation hosts the ward: an acute trust, a community provider, or both
              together.
            - Referral routes, for example straight from paramedics or care homes.
            - The mix of home visits and video or phone reviews.
            - Whether remote monitoring kit is used, and for whom.
        """),
    },
    "remote-monitoring-kit": {
        "evidence": cleandoc("""
            The kit has been used with about 250 virtual ward patients at two sites. Teams
            using it made fewer unplanned visits, and most alerts were dealt with by phone.

            About one patient in ten found the tablet hard to use without help; a carer, or a
            phone check-in instead, worked better for them. It has not yet been tried with
            people living with moderate or severe dementia.
        """),
        "core": cleandoc("""
            - Devices from the approved list, set up and checked before the first reading.
            - Every alert answered by a clinician **within the agreed time** (one hour in the
              day).
            - Readings go straight into the patient's record, not into a separate system.
        """),
        "adaptable": cleandoc("""
            - Alert thresholds for each group of patients, agreed by the senior clinician.
            - Who delivers and collects the kit: ward staff, a volunteer driver service or the
              supplier.
            - How often readings are taken, from once to four times a day.
        """),
    },
    "care-home-falls-huddle": {
        "evidence": cleandoc("""
            In the first eight Moorside homes, falls went down by about a quarter over six
            months, and falls that needed an ambulance by a third. Staff said the huddle helped
            them notice small changes, such as a new medicine or a resident sleeping badly,
            before they led to a fall.

            The homes were small to medium-sized with a settled workforce. How well it works in
            larger homes with more agency staff is not yet known.
        """),
        "core": cleandoc("""
            - Ten minutes, **every day, at the same time**.
            - Every resident's falls risk reviewed at least once a week.
            - Each huddle ends with one named action for every resident at high risk.
        """),
        "adaptable": cleandoc("""
            - Who leads the huddle: a senior carer, the nurse on shift or the manager.
            - The risk tool, as long as the whole home uses the same one.
            - Whether the GP practice or a community therapist joins once a week.
        """),
    },
}

# Per innovation and site (short name): the stage changes, as (stage, days ago, note).
EXPLORING, PREPARING, TESTING = "exploring", "preparing", "testing"
ADOPTED, SUSTAINED, PAUSED, ABANDONED = "adopted", "sustained", "paused", "abandoned"
ADOPTION_HISTORIES = {
    "frailty-virtual-ward": {
        "AVTH": (
            (EXPLORING, 360, "The frailty team visited a ward in another region."),
            (PREPARING, 330, "Business case agreed; recruiting two nurses and a therapist."),
            (TESTING, 285, "First ten patients admitted, step-down only."),
            (ADOPTED, 200, "Open to step-up referrals from GPs and paramedics."),
            (SUSTAINED, 40, "Funded in the trust's core budget from April."),
        ),
        "CRI": (
            (EXPLORING, 300, "Clinical leads joined the learning collaborative."),
            (PREPARING, 250, "Nurses recruited; weekend medical cover still to agree."),
            (TESTING, 170, "Testing with one consultant team and twelve beds."),
            (ADOPTED, 60, "Weekend cover now shared with Aireford."),
        ),
        "CCHS": (
            (EXPLORING, 240, "Asked whether the community team could host the ward."),
            (PREPARING, 190, "Agreed to host it, with consultant review by video."),
            (TESTING, 120, "First patients admitted from community nursing caseloads."),
        ),
        "North Aire PCN": (
            (EXPLORING, 200, "Practices keen to refer straight to the ward."),
            (PREPARING, 150, "Planning a direct referral route from practices."),
            (PAUSED, 75, "Paused while the PCN recruits a clinical lead for the work."),
        ),
        "Moorside PCN": (
            (EXPLORING, 120, "Heard about the ward at the cross-boundary forum."),
            (PREPARING, 70, "Working out referral routes with the community team."),
        ),
    },
    "remote-monitoring-kit": {
        "AVTH": (
            (EXPLORING, 340, "Compared three suppliers with the digital team."),
            (PREPARING, 300, "Data protection impact assessment signed off."),
            (TESTING, 230, "Kit in use with twenty patients."),
            (ADOPTED, 150, "Offered to every suitable patient on the ward."),
        ),
        "CRI": (
            (EXPLORING, 280, "Watched how Aireford uses the kit."),
            (PREPARING, 220, "Volunteer drivers agreed to deliver and collect it."),
            (TESTING, 140, "In use with step-down patients only."),
        ),
        "CCHS": (
            (EXPLORING, 260, "Looked at using the kit with the community ward."),
            (PREPARING, 200, "Devices ordered; training booked."),
            (
                ABANDONED,
                110,
                "Stopped: mobile signal is too poor in much of the patch. Phone check-ins "
                "work better here.",
            ),
        ),
        "North Aire PCN": ((EXPLORING, 90, "Asked whether practices could see the readings."),),
        "Moorside PCN": (
            (EXPLORING, 180, "Interested for people with heart failure at home."),
            (PREPARING, 130, "Thresholds agreed with the heart failure nurses."),
            (TESTING, 50, "Testing with eight patients."),
        ),
    },
    "care-home-falls-huddle": {
        "Moorside PCN": (
            (EXPLORING, 355, "Two homes asked to try the huddle after a run of falls."),
            (PREPARING, 320, "Huddle sheet and risk tool agreed with the homes."),
            (TESTING, 270, "Running in two homes."),
            (ADOPTED, 200, "Running in all eight homes in the PCN."),
            (SUSTAINED, 100, "Part of every home's daily routine for six months."),
        ),
        "North Aire PCN": (
            (EXPLORING, 250, "Care home managers visited a Moorside huddle."),
            (PREPARING, 210, "Training for shift leads booked."),
            (TESTING, 150, "Running in three homes."),
            (ADOPTED, 95, "All five homes huddle every day."),
        ),
        "CCHS": (
            (EXPLORING, 220, "Community therapists asked to join the huddles."),
            (PREPARING, 160, "Weekly therapist visits planned."),
            (PAUSED, 100, "Paused while the therapy team is short of staff."),
        ),
        "AVTH": ((EXPLORING, 150, "Frailty team asked how wards could learn from the huddle."),),
        "CRI": (
            (EXPLORING, 200, "Discharge team interested in the falls risk tool."),
            (PREPARING, 130, "Agreeing how risk information goes with residents."),
            (TESTING, 100, "Testing the handover with two homes."),
        ),
    },
}
# Local leads who have not agreed to be contacted (one per innovation), so the hub's
# "who to contact" list visibly leaves people out.
NOT_CONTACTABLE_LEADS = {
    "frailty-virtual-ward": "North Aire PCN",
    "remote-monitoring-kit": "CRI",
    "care-home-falls-huddle": "CCHS",
}

NARRATIVES = {
    "frailty-virtual-ward": {
        "clinicians": """
            The virtual ward is acute care, not a step down from it. The ward team visits,
            monitors and reviews your patient every day, with a consultant or advanced
            practitioner leading the review.

            Refer the way you would to an assessment unit: one call to the single point of
            access, and a decision within the hour. If the person gets worse, the ward sees them
            within two hours, and admission is always still an option.
        """,
        "managers": """
            A ward needs a small, steady team: nurses, therapists and a senior clinician every
            day, with cover at weekends. Sites found that staffing, not equipment, set the pace.
            Start with the number of beds you can staff every day, and grow from there.

            Agree early how you count occupancy and avoided admissions, using the regional
            definitions, so that your reports can be compared with other sites'.
        """,
        "executives": """
            The ward lets older people living with frailty be treated at home instead of in a
            hospital bed, with outcomes similar to an admission and a better experience. It
            eases pressure on beds in winter, but only if referrals come from the community as
            well as from the wards.

            What a board needs to back: a commitment to the team for more than one year,
            clinical governance shared across organisations, and a data sharing agreement with
            the ambulance service.
        """,
        "finance": """
            The costs are mostly staff: a ward of twenty beds needs about fourteen whole-time
            staff across the professions. The savings are bed days avoided rather than cash
            released, so plan for capacity rather than a budget cut.

            Commissioners in Calder and Aire fund the ward through a shared contract; the
            regional evaluation will give a cost per stay next spring.
        """,
        "patients": """
            If you are unwell and living with frailty, the virtual ward can care for you in your
            own home instead of in hospital. A team of nurses, doctors and therapists visits
            you, checks on you every day and can come quickly if things change.

            You and your carer get one phone number to ring, day or night. You can always say
            you would rather go into hospital, and the team will arrange it.
        """,
        "digital": """
            The ward works with the records systems you already have: notes go into the
            community record, and the GP can see them. Where remote monitoring is used, the
            readings arrive in the same record.

            The longest job is information governance. Agree data sharing with the ambulance
            service and out-of-hours services early, alongside recruitment, not after it.
        """,
    },
    "remote-monitoring-kit": {
        "clinicians": """
            The kit sends blood pressure, pulse, oxygen level and temperature twice a day, with
            answers to a few questions about how the person feels. Alerts come to the ward's
            screen; you decide what each one means for your patient.

            Set thresholds for each person rather than keeping the defaults, which raise too
            many alerts for people with long-term conditions.
        """,
        "managers": """
            Someone has to deliver, set up, clean and collect the kit. Sites that gave this job
            to a named team avoided the delays of the first weeks. Allow about an hour per
            patient for setting up and showing them how it works.

            Watch the number of alerts in the first month: it settles once thresholds are tuned.
        """,
        "executives": """
            Monitoring lets the ward care safely for more people at once, because staff visit
            when the readings say they are needed rather than on a fixed round. It adds to
            clinical judgement; it does not replace it.

            The risks to manage are digital exclusion and depending on one supplier's platform.
        """,
        "finance": """
            The supplier charges per patient per day while the kit is in use, plus a set-up fee
            for each device. Sites recovered the cost through fewer unplanned visits once the
            alert thresholds were tuned.

            Budget for replacements: about one device in twenty is lost or damaged each year.
        """,
        "patients": """
            You may be given a tablet and a small clip or cuff to check your health at home. It
            takes a few minutes, twice a day, and the team will show you how. If a reading is
            worrying, a nurse will ring you.

            If you find the tablet hard to use, say so: the team can check on you by phone
            instead, or a carer can help.
        """,
        "digital": """
            Devices connect over mobile data, so nobody needs broadband at home. Readings reach
            the ward platform and are copied into the community record through the standard
            interface.

            Before you start, check mobile signal in rural areas, agree who supports the devices
            out of hours, and complete the data protection impact assessment with the supplier.
        """,
    },
    "care-home-falls-huddle": {
        "clinicians": """
            The huddle is a short daily conversation among care staff about who is at risk of
            falling today, and why. Community therapists and GPs can join once a week to review
            the residents at highest risk; many found it the quickest way to hear about changes.

            Small things matter most: a new medicine, a urine infection, poor sleep or new shoes.
        """,
        "managers": """
            Ten minutes a day, at the same time, led by whoever is senior on shift. Homes that
            held it next to the shift handover kept it going; those that left the time open let
            it slip.

            Use one risk tool across the home, and keep the action sheet next to the handover
            notes.
        """,
        "executives": """
            Falls are the commonest reason care home residents go to hospital. The huddle costs
            almost nothing to run, and fewer falls mean fewer ambulance calls and admissions.

            It lasts where leaders protect the ten minutes and celebrate the falls that did not
            happen.
        """,
        "finance": """
            The main cost is staff time: ten minutes a day for each shift lead, and a short
            training session. There is no equipment to buy.

            The savings fall to the ambulance service and hospitals rather than to the homes, so
            commissioners should agree how homes are supported to keep it going.
        """,
        "patients": """
            Staff in your care home meet for a few minutes every day to talk about keeping
            residents safe from falls. They may ask about your sleep, your medicines or your
            shoes.

            If you or your relative have noticed something that worries you, tell the staff: it
            can be raised at the next huddle.
        """,
        "digital": """
            The huddle needs no new system. Most homes use a paper sheet; some record actions in
            their digital care record.

            If your home wants to share falls data with the GP practice or the ICB, agree what
            is shared, and how, before you start.
        """,
    },
}


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
    visibility: str = LearningEntry.Visibility.PUBLIC
    status: str = LearningEntry.Status.PUBLISHED
    review: int | None = None


H = HubEntry
KIND = LearningEntry.Kind
PROGRAMME_ONLY = LearningEntry.Visibility.PROGRAMME
DRAFT = LearningEntry.Status.DRAFT
WARD, KIT, HUDDLE = "frailty-virtual-ward", "remote-monitoring-kit", "care-home-falls-huddle"
ANSWERED_QUESTION = "Can the ward take people referred straight from care homes?"
HUB_LEARNING = {
    "frailty-virtual-wards": (
        H(
            WARD,
            KIND.SUCCESS_STORY,
            "A night at home instead of a night on a trolley",
            "A woman in her nineties with a chest infection was referred by a paramedic after a "
            "fall. Instead of a long wait in the emergency department, the ward team saw her at "
            "home within two hours, started antibiotics and visited twice a day. She left the "
            "ward after five days and still lives on her own.\n\nHer daughter said the single "
            "phone number made the difference: she never had to wonder who to ring.",
            12,
            site="CRI",
            areas=(8, 4),
        ),
        H(
            WARD,
            KIND.ADAPTATION,
            "The community team hosts the ward in Calderbridge",
            "Calderbridge runs the ward from its community nursing team rather than the "
            "hospital. A consultant geriatrician reviews patients by video each morning and "
            "visits twice a week; referrals still go through one point of access.\n\nThe core "
            "stayed the same and only the host changed. The ward started with a team that "
            "already knew many of its patients.",
            40,
            author="lead",
            site="CCHS",
            areas=(3, 7),
            review=120,
        ),
        H(
            WARD,
            KIND.ENABLER,
            "Two sites share one weekend rota",
            "Neither Calderbridge nor Aireford could staff senior review every weekend on its "
            "own. A shared rota, with one consultant covering both wards by video and visiting "
            "the sicker patients, closed the gap without new posts.",
            55,
            site="CRI",
            areas=(5, 2),
        ),
        H(
            WARD,
            KIND.BARRIER,
            "Care homes rarely refer to the ward",
            "Care home staff told us they did not know the ward existed, or thought it was only "
            "for people leaving hospital. Fewer than one referral in twenty comes from a care "
            "home, although their residents are the people most likely to benefit.",
            150,
            author="member",
            areas=(9, 8),
            review=-20,
        ),
        H(
            WARD,
            KIND.RESULT,
            "Nine in ten patients completed their care at home",
            "Over the last six months, 193 of the 214 people admitted to the Aireford ward "
            "finished their care at home. Of the 21 who went into hospital, most were admitted "
            "within the first two days, which suggests the ward's first assessment is where to "
            "look next.",
            30,
            author="lead",
            site="AVTH",
            areas=(4,),
            review=150,
        ),
        H(
            WARD,
            KIND.QUESTION,
            ANSWERED_QUESTION,
            "Yes. Care home staff can ring the single point of access like any other referrer. "
            "The ward team will ask for the resident's usual level of function and any advance "
            "care plan, so have those to hand.\n\nThe ward cannot replace the home's own "
            "staff: it adds clinical care, not personal care.",
            8,
            author="lead",
            areas=(7,),
        ),
        H(
            WARD,
            KIND.INSIGHT,
            "Patients trust the ward once they meet the team",
            "Several patients said they agreed to the ward only because they wanted to avoid "
            "hospital, and were anxious for the first day. After the first home visit, almost "
            "all said they felt safer than they expected. Meeting someone face to face early "
            "matters more than any leaflet.",
            70,
            areas=(1, 8),
        ),
        H(
            KIT,
            KIND.ADAPTATION,
            "Volunteer drivers deliver and collect the kit",
            "In Calderbridge the local volunteer driver service delivers, sets up and collects "
            "the monitoring kit, after a short training session from the supplier. Nurses no "
            "longer spend their first visit on equipment.",
            25,
            site="CRI",
            areas=(3, 9),
        ),
        H(
            KIT,
            KIND.BARRIER,
            "Some older people find the tablet hard to use",
            "About one patient in ten could not use the tablet without help, most often because "
            "of poor eyesight or a tremor. For them a daily phone call, or a carer taking the "
            "readings, works better than more training.",
            95,
            areas=(9,),
            review=30,
        ),
        H(
            KIT,
            KIND.RESULT,
            "Fewer unplanned visits once thresholds were tuned",
            "In the first month the kit raised more alerts than the team could follow up. After "
            "thresholds were set for each patient, alerts fell by half and unplanned visits by "
            "about a third.",
            60,
            author="lead",
            site="AVTH",
            areas=(4, 10),
        ),
        H(
            KIT,
            KIND.INSIGHT,
            "Default alert thresholds raise too many alerts",
            "The supplier's default thresholds suit people without long-term conditions. For "
            "people with heart failure or lung disease they raise alerts every day. Agree each "
            "patient's thresholds at the first review.",
            110,
            areas=(10,),
        ),
        H(
            KIT,
            KIND.SUCCESS_STORY,
            "Home in time for his granddaughter's wedding",
            "A man recovering from pneumonia went home from hospital three days early with the "
            "monitoring kit. His oxygen readings were checked twice a day, and he was well "
            "enough to go to his granddaughter's wedding that weekend.",
            18,
            author="member",
            areas=(8,),
        ),
        H(
            KIT,
            KIND.ENABLER,
            "Check mobile signal before the kit goes in",
            "Checking the signal at the patient's home with a spare device, before the kit is "
            "delivered, saved wasted journeys. Where the signal is poor, the team plans phone "
            "check-ins from the start.",
            45,
            site="CCHS",
            areas=(9,),
        ),
        H(
            None,
            KIND.INSIGHT,
            "Board reports differ from trust to trust",
            "Each trust reports the ward to its board in its own way, which makes the regional "
            "picture hard to read. A one-page summary using the regional definitions is being "
            "drafted for every board.",
            35,
            author="lead",
            areas=(5,),
            visibility=PROGRAMME_ONLY,
        ),
        H(
            WARD,
            KIND.ENABLER,
            "Pharmacy input was easier to arrange than we feared",
            "Two sessions a week from a community pharmacist covered most medicine reviews. "
            "The pharmacist joins the daily review by phone on those days.",
            80,
            site="CCHS",
            areas=(3,),
            visibility=PROGRAMME_ONLY,
        ),
        H(
            WARD,
            KIND.QUESTION,
            "Could ambulance crews have a direct line to the ward?",
            "Crews say the single point of access is sometimes busy when they are on scene. Is "
            "a direct line for crews worth the extra cost? To discuss with the ambulance "
            "service.",
            5,
            areas=(3,),
            visibility=PROGRAMME_ONLY,
            status=DRAFT,
        ),
        H(
            KIT,
            KIND.INSIGHT,
            "Weekend set-ups take twice as long",
            "Notes so far: fewer staff and no supplier helpline at weekends. Check with the other "
            "sites before publishing.",
            3,
            visibility=PROGRAMME_ONLY,
            status=DRAFT,
        ),
    ),
    # The falls programme has been quiet for three months: all of its learning is older.
    "care-home-falls": (
        H(
            HUDDLE,
            KIND.SUCCESS_STORY,
            "A year without a fall that needed an ambulance",
            "One Moorside home has gone a whole year without a fall that needed an ambulance. "
            "The manager puts it down to the huddle: night staff now tell the day team about "
            "anyone who slept badly, and that resident gets an extra check.",
            120,
            author="lead",
            site="Moorside PCN",
            areas=(8,),
        ),
        H(
            HUDDLE,
            KIND.ADAPTATION,
            "Night staff hold their own short huddle",
            "Two homes added a five-minute huddle for the night shift, because most falls there "
            "happen between midnight and six. The core stays the same: the same risk tool, one "
            "action per resident at high risk.",
            140,
            site="North Aire PCN",
            areas=(3, 7),
        ),
        H(
            HUDDLE,
            KIND.RESULT,
            "Falls down by a quarter in eight homes",
            "Across the first eight homes, falls went down by about a quarter over six months "
            "compared with the six months before, and falls needing an ambulance by a third.",
            200,
            author="lead",
            site="Moorside PCN",
            areas=(4,),
            review=-45,
        ),
        H(
            HUDDLE,
            KIND.QUESTION,
            "Which falls risk tool should a home use?",
            "Any validated tool works, as long as everyone in the home uses the same one and "
            "reviews every resident at least weekly. The homes in this programme mostly use the "
            "one their GP practice already knows.",
            110,
            author="lead",
            areas=(7,),
        ),
        H(
            HUDDLE,
            KIND.BARRIER,
            "Agency staff miss the huddle",
            "Homes that rely on agency staff find that many of them have never been to a "
            "huddle. A one-page guide on the huddle sheet helps, but does not replace taking "
            "part.",
            130,
            areas=(9,),
            visibility=PROGRAMME_ONLY,
        ),
        H(
            HUDDLE,
            KIND.INSIGHT,
            "Residents' families want to hear about the huddle",
            "Notes so far: several families asked what the huddle is. A short note for "
            "relatives might help.",
            100,
            visibility=PROGRAMME_ONLY,
            status=DRAFT,
        ),
    ),
}
del H


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


F = FeedbackSpec
FEEDBACK = (
    F(
        WARD,
        "question",
        "We are a residential home in Calderbridge. Can we refer a resident to the virtual "
        "ward ourselves, or does it have to go through the GP?",
        14,
        status="answered",
        name="Care home deputy manager",
        email="deputy.manager@example.com",
        site="Riverside Care Home",
        response="Thank you for asking. Yes, you can refer directly: ring the single point of "
        "access and have the resident's usual level of function and any advance care plan to "
        "hand. We have published the answer on the hub so other homes can see it too.",
        answer_entry=ANSWERED_QUESTION,
    ),
    F(
        WARD,
        "works_well",
        "My father was cared for at home by the ward last month. The nurses were kind and "
        "always rang when they said they would. Thank you.",
        20,
        status="acknowledged",
        name="",
        email="",
        site="",
    ),
    F(
        WARD,
        "problem",
        "The number on the card went to voicemail at about quarter to eight one evening. "
        "Someone rang back within twenty minutes, but it was worrying.",
        4,
        email="a.carer@example.com",
    ),
    F(
        WARD,
        "suggestion",
        "It would help practices if the daily ward list showed which patients came from us, "
        "so we know whom to expect back.",
        9,
        name="Practice manager",
        site="North Aire PCN",
    ),
    F(
        KIT,
        "problem",
        "The tablet stopped sending readings after a software update and nobody told us. "
        "We found out two days later.",
        30,
        status="acknowledged",
        email="ward.nurse@example.com",
        site="Calderbridge Royal Infirmary",
    ),
    F(
        KIT,
        "suggestion",
        "Could the kit use larger text? Several of our patients struggle to read the questions.",
        45,
        status="answered",
        name="Community nurse",
        email="community.nurse@example.com",
        response="Thank you: a large-text setting is now on every tablet. Ask the ward team "
        "to switch it on during set-up.",
    ),
    F(KIT, "works_well", "Setting up took ten minutes and the instructions were clear.", 2),
    F(
        HUDDLE,
        "question",
        "Does the huddle work in a home with nursing care, or only residential homes?",
        6,
        email="nursing.home@example.com",
    ),
    F(
        HUDDLE,
        "works_well",
        "We started the huddle in March. Staff say it is the most useful ten minutes of the day.",
        60,
        status="acknowledged",
        site="Moorside",
    ),
)
del F


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
            self.adoptions(programme, innovations, organisations, lead)
            self.innovation_details(programme, innovations, lead)
            self.spaces(programme, users)
            self.tag_learning(programme)
            self.understanding(programme, lead)
            self.assessments(programme, lead)
            owner = _owner_finder(programme)
            self.plan(programme, lead, owner)
            self.register(programme, lead, owner, organisations)
            self.hub_learning(programme, users, organisations)
            self.narratives(programme, innovations, users)
            self.feedback(programme, innovations, lead)
            self.subscriptions(programme, innovations, users)

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
            for short_name, events in ADOPTION_HISTORIES[innovation.slug].items():
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
                quiet = NOT_CONTACTABLE_LEADS.get(innovation.slug) == short_name
                local_lead = at_site[min(len(at_site) - 1, 1 if quiet else 0)] if at_site else None
                if local_lead is not None:
                    Participant.objects.filter(pk=local_lead.pk).update(consent_contact=not quiet)
                adoption.local_lead = local_lead
                adoption._history_user = lead
                adoption.save(update_fields=["local_lead"])
                for stage, days, note in events:
                    event = adoption.move_to(
                        stage, by=lead, on=today - timedelta(days=days), note=note
                    )
                    # Recorded on the day it happened, not today.
                    recorded = _at(event.date, time(17, 0))
                    AdoptionEvent.objects.filter(pk=event.pk).update(recorded_at=recorded)
                Adoption.objects.filter(pk=adoption.pk).update(updated_at=recorded)

    def innovation_details(self, programme, innovations, lead) -> None:
        """Evidence, core components and adaptable elements in Markdown, for an innovation
        still without evidence; innovator contacts from its organisation, if it has none."""
        people = list(programme.participants.filter(user__isnull=True).order_by("name", "pk"))
        for innovation in innovations:
            details = INNOVATION_DETAILS[innovation.slug]
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
        specs = HUB_LEARNING[programme.slug]
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
                status=spec.status,
                author=authors[spec.author],
                created_at=written - timedelta(days=3) if published else written,
                published_at=written if published else None,
                review_by=None if spec.review is None else today + timedelta(days=spec.review),
            )
            entry._history_user = authors[spec.author]
            entry.save()
            entry.areas.set([areas[number] for number in spec.areas])

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
            for number, (audience, text) in enumerate(NARRATIVES[innovation.slug].items()):
                if audience in have:
                    continue
                author = lead if number % 2 else facilitator
                narrative = Narrative(
                    innovation=innovation,
                    audience=audience,
                    body=cleandoc(text),
                    updated_at=now - timedelta(days=10 + 9 * number),
                    updated_by=author,
                )
                narrative._history_user = author
                narrative.save()
                helpers = [*contacts[:1], *site_leads[number % max(1, len(site_leads)) :][:1]]
                if audience == Audience.PATIENTS:
                    helpers += patients
                narrative.contributors.set(helpers)

    def feedback(self, programme, innovations, lead) -> None:
        """Feedback from the hub of every kind and status, for innovations that have none."""
        now = timezone.now()
        for innovation in innovations:
            if innovation.feedback.exists():
                continue
            for spec in FEEDBACK:
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
        specs, round_sessions = SPACES[programme.slug]
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
                ground_rules=CHATHAM_HOUSE_RULES
                if spec.confidentiality == AdaptiveSpace.Confidentiality.CHATHAM_HOUSE
                else STANDARD_RULES,
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
                created_at=starts - timedelta(days=28),
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
                continue
            meeting.practices.set([practices[code] for code in session.practices])
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
        title, kind, body = session.learning
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
        spec = UNDERSTANDING[programme.slug]
        # Earlier history (the programme being created) comes before the first agreed words.
        first = timezone.now() - timedelta(days=spec["versions"][0][0])
        programme.history.update(history_date=first - timedelta(days=1))
        for days, words in spec["versions"]:
            for field, text in words.items():
                setattr(programme, field, text)
            programme.understanding_agreed_on = timezone.localdate() - timedelta(days=days)
            programme.understanding_agreed_by = spec["agreed_by"]
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
        for days, interdependence, summary, ratings in ASSESSMENTS[programme.slug]:
            assessment = ComplexityAssessment.objects.create(
                programme=programme,
                interdependence=interdependence,
                summary=summary,
                assessed_at=now - timedelta(days=days),
                assessed_by=lead,
            )
            DomainRating.objects.bulk_create(
                DomainRating(assessment=assessment, domain=domain, rating=rating, note=note)
                for domain, (rating, note) in ratings.items()
            )

    def plan(self, programme, lead, owner) -> None:
        """The planned activities, with the meeting actions that serve them."""
        if programme.planned_activities.exists():
            return
        practices = {p.code: p for p in Practice.objects.select_related("area")}
        spaces = {space.slug: space for space in programme.spaces.all()}
        today, now = timezone.localdate(), timezone.now()
        for number, spec in enumerate(ACTIVITIES[programme.slug]):
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
        for number, spec in enumerate(KNOWLEDGE[programme.slug]):
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
            if spec.closed is not None:
                entry.status = LocalKnowledge.Status.CLOSED
                entry.closed_at = entry.updated_at = now - timedelta(days=spec.closed)
            entry._history_user = lead
            entry.save()


def _pool(people: list[Participant], spec: SpaceSpec | None) -> list[Participant]:
    """People (other than the demo accounts) from the sectors the space draws on."""
    sectors = spec.sectors if spec else None
    return [
        p
        for p in people
        if p.user_id is None
        and (sectors is None or (p.organisation and p.organisation.sector in sectors))
    ]


def _owner_finder(programme: Programme):
    """A function from an owner in the specs above (a demo account's role, or a role group) to
    one of the programme's people: each role group's people take turns."""
    people = list(programme.participants.select_related("user").order_by("name", "pk"))
    demo = {
        role: person
        for email, _name, role in DEMO_ACCOUNTS
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
