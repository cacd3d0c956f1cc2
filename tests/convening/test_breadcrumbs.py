"""One breadcrumb helper: Programmes, the programme, then the steps below it."""

from convening.breadcrumbs import breadcrumbs
from tests.factories import AdaptiveSpaceFactory


def test_a_trail_of_page_names_objects_and_pairs(programme):
    space = AdaptiveSpaceFactory(programme=programme, name="Frailty huddle", slug="frailty-huddle")
    trail = breadcrumbs(programme, "space_list", space, ("Calendar", "/somewhere/"), None)
    assert trail == [
        {"href": "/programmes/", "text": "Programmes"},
        {"href": "/programmes/virtual-wards/", "text": programme.name},
        {"href": "/programmes/virtual-wards/spaces/", "text": "Spaces"},
        {"href": "/programmes/virtual-wards/spaces/frailty-huddle/", "text": "Frailty huddle"},
        {"href": "/somewhere/", "text": "Calendar"},
    ]


def test_the_public_hub_trail_starts_at_the_hub():
    trail = breadcrumbs(None, ("Learning hub", "/learn/"), signed_in=False)
    assert trail == [{"href": "/learn/", "text": "Learning hub"}]
