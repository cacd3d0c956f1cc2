"""Where a person's or an organisation's name on a programme page links to: their page in the
programme's network (DESIGN section 11). Core imports no feature app, so the pages are named
by URL name; `components/people.jinja` draws the names with these.

Leads and facilitators open anyone's person page; a member opens only their own, so for a
member only their own name is a link. Every member opens the programme's organisations' pages.
"""

from __future__ import annotations

from django.urls import reverse

from .access import FACILITATOR, LEAD

# Who opens anyone's person page: the same roles as network.access.PEOPLE_VIEWERS (a test
# checks they agree).
PERSON_PAGE_VIEWERS = (LEAD, FACILITATOR)


def person_url(programme, person, user) -> str:
    """The address of the person's page, if the signed-in user may open it; otherwise "".
    `programme` carries the user's role as `my_role` (convening.access). Runs no query."""
    if programme is None or person is None or not getattr(person, "pk", None):
        return ""
    own = person.user_id is not None and person.user_id == getattr(user, "pk", None)
    if getattr(programme, "my_role", None) not in PERSON_PAGE_VIEWERS and not own:
        return ""
    return reverse("network_person", args=[programme.slug, person.pk])


def organisation_url(programme, organisation) -> str:
    """The address of the organisation's page in the programme. Only for an organisation of
    the programme (a participant's or an adopting site's): any other is 404 there."""
    if programme is None or organisation is None or not getattr(organisation, "pk", None):
        return ""
    return reverse("network_organisation", args=[programme.slug, organisation.pk])
