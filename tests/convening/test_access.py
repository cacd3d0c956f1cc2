"""Who may open each core page and who may change things (DESIGN section 5)."""

import pytest

from convening.models import Invitation, Membership
from tests.access import (
    LOGIN,
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    htmx_fragments,
    programme_case,
)
from tests.factories import MembershipFactory, ParticipantFactory, UserFactory

P = "/programmes/virtual-wards"
EVERYONE_OK = dict.fromkeys(VISITORS, OK)
SIGNED_IN_OK = {**EVERYONE_OK, "anonymous": LOGIN}

# Versioned forms post the version they were opened at: a new object is at version 1.
PARTICIPANT = {"name": "Jo Bloggs", "role_group": "clinical", "version": "1"}

CASES = [
    # Someone not signed in is offered sign-in and the public learning hub.
    # Signed in, the home page sends you to your programmes.
    AccessCase("home", "/", {**dict.fromkeys(VISITORS, 302), "anonymous": OK}),
    AccessCase("healthz", "/healthz", EVERYONE_OK),
    AccessCase("accessibility", "/accessibility/", EVERYONE_OK),
    AccessCase("privacy", "/privacy/", EVERYONE_OK),
    AccessCase("activity_areas", "/activity-areas/", SIGNED_IN_OK),
    AccessCase(
        "keep_signed_in",
        "/session/keep-signed-in/",
        {**dict.fromkeys(VISITORS, 204), "anonymous": LOGIN},
        method="post",
    ),
    AccessCase("unsent_changes", "/signed-out-changes/", SIGNED_IN_OK),
    AccessCase(
        "unsent_changes",
        "/signed-out-changes/",
        {**dict.fromkeys(VISITORS, 405), "anonymous": LOGIN},
        method="post",
    ),
    AccessCase("unsent_discard", "/signed-out-changes/discard/", SIGNED_IN_OK, method="post"),
    AccessCase("programme_list", "/programmes/", SIGNED_IN_OK),
    # Creating programmes is for staff or holders of the permission; the lead here is staff.
    AccessCase(
        "programme_create",
        "/programmes/new/",
        {**dict.fromkeys(VISITORS, 403), "anonymous": LOGIN, "lead": OK},
    ),
    AccessCase(
        "programme_create",
        "/programmes/new/",
        {**dict.fromkeys(VISITORS, 403), "anonymous": LOGIN, "lead": OK},
        method="post",
        data={"name": "New one", "status": "planning", "hub_visibility": "members"},
    ),
    programme_case("programme_overview", P + "/"),
    programme_case("programme_edit", P + "/edit/", view=False),
    programme_case(
        "programme_edit",
        P + "/edit/",
        method="post",
        data={"name": "Renamed", "status": "active", "hub_visibility": "public", "version": "1"},
    ),
    programme_case("programme_history", P + "/history/"),
    programme_case("member_list", P + "/members/"),
    programme_case(
        "member_invite",
        P + "/members/invite/",
        method="post",
        data={"email": "new.person@example.org", "role": "member"},
    ),
    programme_case(
        "member_role",
        P + "/members/{other_membership}/role/",
        method="post",
        data={"role": "facilitator"},
    ),
    programme_case("member_remove", P + "/members/{other_membership}/remove/", view=False),
    programme_case("member_remove", P + "/members/{other_membership}/remove/", method="post"),
    programme_case("invitation_revoke", P + "/invitations/{invitation}/withdraw/", method="post"),
    # The invitation is for someone without an account: anyone signed in is the wrong person.
    AccessCase(
        "invitation_accept",
        "/invitations/{token}/",
        {**dict.fromkeys(VISITORS, 403), "anonymous": OK},
        programme_ids=False,  # a token stands alone: it names its own programme
    ),
    AccessCase(
        "invitation_accept",
        "/invitations/{token}/",
        {**dict.fromkeys(VISITORS, 403), "anonymous": OK},
        method="post",
        data={"name": "New Person", "password": "a-long-enough-passphrase"},
        programme_ids=False,
    ),
    programme_case("people", P + "/people/"),
    # People in bulk, with contact details and consent, are for leads only.
    programme_case("people_export", P + "/people/export.csv", view=False),
    programme_case("people_export", P + "/people/export.xlsx?q=org", view=False),
    AccessCase(
        "people_export",
        P + "/people/export.pdf",
        {"anonymous": LOGIN, "outsider": 404, "member": 403, "facilitator": 403, "lead": 404},
    ),
    programme_case(
        "participant_create", P + "/people/new/", view=False, change_roles=("lead", "facilitator")
    ),
    programme_case(
        "participant_create",
        P + "/people/new/",
        method="post",
        data=PARTICIPANT,
        change_roles=("lead", "facilitator"),
    ),
    programme_case(
        "participant_edit",
        P + "/people/{participant}/edit/",
        view=False,
        change_roles=("lead", "facilitator"),
    ),
    programme_case(
        "participant_edit",
        P + "/people/{participant}/edit/",
        method="post",
        data=PARTICIPANT,
        change_roles=("lead", "facilitator"),
    ),
    programme_case(
        "participant_history",
        P + "/people/{participant}/history/",
        view=False,
        change_roles=("lead", "facilitator"),
    ),
    # Linking a person to an account grants what the person may do: leads only.
    programme_case(
        "participant_account",
        P + "/people/{participant}/account/",
        method="post",
        data={"account": ""},
    ),
    programme_case(
        "organisation_create",
        P + "/organisations/new/",
        view=False,
        change_roles=("lead", "facilitator"),
    ),
    programme_case(
        "organisation_create",
        P + "/organisations/new/",
        method="post",
        data={"name": "Brand New Trust", "sector": "acute"},
        change_roles=("lead", "facilitator"),
    ),
]
# Answered by htmx with the block that changed, not a redirect.
CASES = htmx_fragments(CASES, {"member_invite"})


@pytest.fixture
def users(lead, facilitator, member, outsider):
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme, lead) -> dict:
    other = MembershipFactory(programme=programme, user=UserFactory(), role=Membership.Role.MEMBER)
    invitation, token = Invitation.issue(
        programme=programme, email=f"invited@{programme.slug}.example.org", role="member", by=lead
    )
    return {
        "other_membership": other.pk,
        "participant": ParticipantFactory(programme=programme).pk,
        "invitation": invitation.pk,
        "token": token,
    }


@pytest.fixture
def objects(programme, users):
    return _objects(programme, users["lead"])


@pytest.fixture
def other_objects(other_programme, users):
    """The same kinds of object in the outsider's programme."""
    return _objects(other_programme, users["outsider"])


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)
