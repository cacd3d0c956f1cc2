"""Create the ten activity areas and their practices, in our own wording (DESIGN section 6).

The data lives here, frozen with the migration; the admin may refine the wording afterwards.
Area titles are the framework's names; summaries and practice texts are ours.
"""

from django.db import migrations

AREAS: list[tuple[str, str, list[str]]] = [
    (
        "Enable a spread receptive environment",
        "Make room, apart from day-to-day business, where people can work on an innovation "
        "together and feel safe enough to be candid.",
        [
            "Hold adaptive spaces, away from business as usual, where local and national "
            "innovations are developed and adapted",
            "Keep those spaces psychologically safe so people can connect and disagree well",
            "Bring people from across boundaries to work toward a shared purpose",
            "Arrange meaningful, productive and stretching encounters between key people",
        ],
    ),
    (
        "Provide and encourage enabling leadership",
        "Lead in a way that suits uncertain, interdependent work and helps others lead too.",
        [
            "Think in complex, strategic and interdependent ways; hold polarities and uncertainty",
            "Use a range of approaches to mobilise staff and patients to spread and adopt",
        ],
    ),
    (
        "Be a bridge",
        "Link people, places and ideas that would otherwise stay apart.",
        [
            "Connect people within and between systems, across levels, and between old and new "
            "power",
            "Look for chances to adapt innovations locally",
            "Seek knowledge and relationships beyond your own area and use them for spread",
        ],
    ),
    (
        "Enable faster learning across the local system and wider",
        "Help what one place learns reach the others quickly, and reach the innovators too.",
        [
            "Use and share knowledge within and beyond the system, and get others doing it",
            "Gather learning from the innovation in use and feed it back to innovators and "
            "other adopters",
        ],
    ),
    (
        "Ensure system perspective",
        "Keep the whole system in view, not only one organisation's part of it.",
        [
            "Help people see the whole system and the part others play in it",
            "Coordinate spread strategically against agreed, aligned needs and expectations",
        ],
    ),
    (
        "Create a shared understanding",
        "Agree what problem is being solved and why it matters, in words everyone shares.",
        [
            "Agree the problem, its priority and the value the innovation is expected to bring",
            "Develop a shared purpose",
        ],
    ),
    (
        "Decrease ambiguity for adopters",
        "Make it clear to each adopting site what the innovation asks of them and what they "
        "may change.",
        [
            "Co-create a narrative that speaks to each stakeholder group",
            "Make clear how the innovation can be adapted and adopted locally",
        ],
    ),
    (
        "Champion innovation spread and adoption",
        "Bring people in, tell the story widely and celebrate progress.",
        [
            "Bring innovators and adopters in, patients and carers included",
            "Communicate widely, celebrate success and share learning",
        ],
    ),
    (
        "Provide local knowledge to predict and plan for likely disruption",
        "Use what is known about each place to foresee what adoption will disturb.",
        [
            "Understand the impact on routines and resources",
            "Use local history, values, beliefs and customs to make adoption last",
        ],
    ),
    (
        "Provide spread expertise and guidance",
        "Bring know-how on improvement, spread and complexity, and fit the approach to the "
        "situation.",
        [
            "Offer insight from quality improvement, spread and complexity",
            "Match the approach to the situation",
        ],
    ),
]


def create_areas(apps, schema_editor):
    ActivityArea = apps.get_model("activities", "ActivityArea")
    Practice = apps.get_model("activities", "Practice")
    for number, (title, summary, practices) in enumerate(AREAS, start=1):
        area = ActivityArea.objects.create(number=number, title=title, summary=summary)
        Practice.objects.bulk_create(
            Practice(area=area, number=index, text=text)
            for index, text in enumerate(practices, start=1)
        )


def remove_areas(apps, schema_editor):
    apps.get_model("activities", "ActivityArea").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_areas, remove_areas)]
