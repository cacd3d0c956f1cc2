"""Input that once made server errors: a year of many digits, NUL characters, posts too large to
read and forms sent without a valid CSRF token. Each gets our own page or a form error."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.test import Client

from convening.forms import NhsDateField
from tests.factories import AdaptiveSpaceFactory, MeetingFactory

LONG_YEAR = "9" * 40
DATE_FORM_PACKAGES = ("convening.forms", "spaces.forms", "activities.forms", "learning.forms")


def _form_classes():
    for package_name in DATE_FORM_PACKAGES:
        package = importlib.import_module(package_name)
        modules = [package]
        if hasattr(package, "__path__"):
            modules += [
                importlib.import_module(f"{package_name}.{info.name}")
                for info in pkgutil.iter_modules(package.__path__)
            ]
        for module in modules:
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_date_field_of_every_form_is_the_checked_date_field():
    date_fields = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | NhsDateField)
    }
    assert len(date_fields) >= 6  # meeting, action, activity, understanding, learning, adoption
    assert all(isinstance(field, NhsDateField) for field in date_fields.values()), date_fields


@pytest.mark.parametrize("year", [LONG_YEAR, "9" * 5000, "99999", "-1", "0"])
def test_a_year_out_of_range_is_a_form_error_not_a_server_error(year):
    with pytest.raises(forms.ValidationError) as error:
        NhsDateField().clean(["1", "2", year])
    assert error.value.messages == ["Enter a real date, for example 27 3 2026."]


@pytest.fixture
def meeting(programme, space):
    return MeetingFactory(space=space)


@pytest.mark.parametrize(
    ("url", "prefix"),
    [
        ("/programmes/{p}/plan/new/", "due"),
        ("/programmes/{p}/understanding/edit/", "agreed_on"),
        ("/programmes/{p}/learning/new/", "review_by"),
        ("/programmes/{p}/adoption/record/", "date"),
        ("/programmes/{p}/spaces/{s}/meetings/plan/", "date"),
        ("/programmes/{p}/spaces/{s}/meetings/{m}/log/actions/add/", "action-due"),
    ],
)
def test_every_date_field_page_answers_a_long_year_with_a_message(
    as_user, lead, programme, meeting, url, prefix
):
    url = url.format(p=programme.slug, s=meeting.space.slug, m=meeting.pk)
    data = {f"{prefix}_day": "1", f"{prefix}_month": "2", f"{prefix}_year": LONG_YEAR}
    response = as_user(lead).post(url, data)
    assert response.status_code in (200, 400, 409, 422)
    assert "Enter a real date" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/{p}/people/?q=Ann%00e",
        "/programmes/{p}/spaces/{s}/meetings/{m}/log/attendees/search/?q=Ann%00e",
        "/programmes/{p}/spaces/{s}/meetings/{m}/log/?q=Ann%00e",
        "/programmes/{p}/spaces/{s}/?member_q=Ann%00e",
        "/programmes/{p}/learning/?q=falls%00",
        "/programmes/{p}/digests/preview/?q=a%00b",
        "/programmes/{p}/plan/?owner=%00",
    ],
)
def test_a_nul_character_in_a_search_box_is_ignored(as_user, lead, programme, meeting, url):
    url = url.format(p=programme.slug, s=meeting.space.slug, m=meeting.pk)
    assert as_user(lead).get(url, follow=True).status_code == 200
    # Plain and htmx searches alike.
    assert as_user(lead).get(url, headers={"HX-Request": "true"}).status_code == 200


def test_a_nul_character_in_a_posted_field_is_dropped(as_user, lead, programme):
    space = AdaptiveSpaceFactory(programme=programme)
    response = as_user(lead).post(
        f"/programmes/{programme.slug}/learning/new/", {"title": "Falls\x00 huddles"}
    )
    assert response.status_code in (200, 302, 400, 422)
    assert "Falls huddles" in response.content.decode() or response.status_code == 302
    assert space.pk


def test_a_post_too_large_to_read_gets_our_page(as_user, lead, programme, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = as_user(lead).post(
        f"/programmes/{programme.slug}/learning/new/", {"title": "x", "body": "y" * 2000}
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "<title>What you sent is too large – Convening</title>" in body
    assert "most browsers keep what you typed" in body


def test_a_form_without_a_valid_csrf_token_gets_our_page_with_what_was_typed(lead, programme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(
        f"/programmes/{programme.slug}/learning/new/",
        {"title": "What we learned", "body": "Three <b>pages</b> of notes", "password": "x"},
        headers={"Referer": "http://testserver/programmes/"},
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "<title>Your form could not be sent – Convening</title>" in body
    assert "Three &lt;b&gt;pages&lt;/b&gt; of notes" in body
    assert "What we learned" in body
    assert ">x<" not in body  # nothing secret is shown back
    assert 'href="http://testserver/programmes/"' in body
    assert "nonce=" in body  # our layout, with its CSP nonce, not Django's inline-styled page
