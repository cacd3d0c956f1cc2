"""The programme navigation: sections, the current section's pages, and who sees what."""

from django.urls import reverse

from convening.access import LEAD
from convening.navigation import SECTIONS, programme_sections
from tests.factories import ProgrammeFactory

P = "/programmes/virtual-wards"


def _programme(role):
    programme = ProgrammeFactory()
    programme.my_role = role
    return programme


def test_five_sections_and_the_current_one_marked(db):
    programme = _programme(LEAD)
    sections = programme_sections(programme, "coverage")
    assert [section.text for section in sections] == [
        "Overview",
        "Plan",
        "Spaces and meetings",
        "Learning and adoption",
        "People",
    ]
    plan = sections[1]
    assert plan.current
    assert plan.href == reverse("plan", args=[programme.slug])
    assert [(link.text, link.current) for link in plan.links] == [
        ("Plan", False),
        ("Coverage", True),
        ("Complexity", False),
        ("Local knowledge", False),
    ]
    assert not any(section.current for section in sections if section is not plan)


def test_feedback_and_digests_are_for_leads_only(db):
    def learning_pages(role):
        sections = programme_sections(_programme(role), "learning_log")
        return [link.text for link in sections[3].links]

    assert learning_pages("lead") == ["Learning", "Innovations", "Adoption", "Feedback", "Digests"]
    assert learning_pages("member") == ["Learning", "Innovations", "Adoption"]
    assert learning_pages("facilitator") == ["Learning", "Innovations", "Adoption"]


def test_every_page_is_two_clicks_from_any_other(db):
    """Every page shows every section; a section's link opens its first page, which shows the
    links to all the section's pages."""
    programme = _programme(LEAD)
    everywhere = [section.href for section in programme_sections(programme, "people")]
    for _, pages in SECTIONS:
        first = pages[0][0]
        shown = programme_sections(programme, first)
        assert [section.href for section in shown] == everywhere
        (section,) = [section for section in shown if section.current]
        assert section.href == reverse(first, args=[programme.slug])
        assert [link.href for link in section.links] == [
            reverse(name, args=[programme.slug]) for name, _, _ in pages
        ]


def test_the_pages_show_the_sections(as_user, programme, member):
    page = as_user(member).get(f"{P}/spaces/").content.decode()
    assert 'aria-label="Spaces and meetings"' in page
    assert f'href="{P}/actions/">Actions</a>' in page
    assert reverse("digest_log", args=[programme.slug]) not in page
    assert reverse("feedback_inbox", args=[programme.slug]) not in page
