from activities.models import ActivityArea, Practice


def test_the_ten_areas_and_their_practices_exist_from_the_migration(db):
    areas = list(ActivityArea.objects.order_by("number"))
    assert [area.number for area in areas] == list(range(1, 11))
    assert areas[0].title == "Enable a spread receptive environment"
    assert areas[9].title == "Provide spread expertise and guidance"
    # DESIGN section 6 lists 23 practices (4 + 2 + 3 + 7 × 2); see the README's Decisions.
    counts = [area.practices.count() for area in areas]
    assert counts == [4, 2, 3, 2, 2, 2, 2, 2, 2, 2]
    assert Practice.objects.count() == 23


def test_activity_areas_page_lists_every_area_and_practice(as_user, outsider):
    body = as_user(outsider).get("/activity-areas/").content.decode()
    assert body.count('<h2 id="area-') == 10
    assert "<strong>3.2</strong> Look for chances to adapt innovations locally" in body
    assert "<title>Activity areas – Convening</title>" in body
