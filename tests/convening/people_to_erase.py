"""One person with something in every place Convening holds personal data, in two programmes,
for the subject access and erasure tests."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from activities.models import ActivityArea
from convening import audit
from convening.models import Invitation, Membership, Participant, User
from learning.models import ContactMessage
from spaces.models import PulseResponse
from tests.factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    AdoptionFactory,
    AttendanceFactory,
    ComplexityAssessmentFactory,
    FeedbackFactory,
    InnovationFactory,
    LearningEntryFactory,
    LocalKnowledgeFactory,
    MeetingFactory,
    MembershipFactory,
    NarrativeFactory,
    ParticipantFactory,
    PlannedActivityFactory,
    ProgrammeFactory,
    SpaceMemberFactory,
    SubscriptionFactory,
    UserFactory,
)

NAME = "Priya Raman"
EMAIL = "priya.raman@example.org"
NEEDLES = (NAME, EMAIL, "Raman")


@dataclass
class Held:
    user: User
    first: Participant
    second: Participant
    bystander: Participant


def person_everywhere(programme=None) -> Held:
    """Priya has an account and a record in the first programme (with history: her job title
    changed) and a record under her email, differently cased, in a second one."""
    first_programme = programme or ProgrammeFactory()
    second_programme = ProgrammeFactory()
    user = UserFactory(email=EMAIL, name=NAME)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    # A linked NHS work account keeps what the identity provider said about the person.
    SocialAccount.objects.create(
        user=user, provider="nhs", uid="entra-object-id", extra_data={"email": EMAIL, "name": NAME}
    )
    MembershipFactory(programme=first_programme, user=user, role=Membership.Role.FACILITATOR)
    first = ParticipantFactory(
        programme=first_programme, name=NAME, email=EMAIL, user=user, job_title="Ward sister"
    )
    first.job_title = "Matron, Raman ward team"
    first.consent_named = True
    first.stamp_consent(by=user)
    first.save()
    second = ParticipantFactory(
        programme=second_programme, name="Priya  Raman".replace("  ", " "), email=EMAIL.upper()
    )
    bystander = ParticipantFactory(programme=first_programme, name="Sam Okafor")
    bystander.stamp_consent(by=user)
    bystander.save()

    space = AdaptiveSpaceFactory(programme=first_programme)
    SpaceMemberFactory(space=space, participant=first, role="facilitator")
    meeting = MeetingFactory(space=space, status="held", logged_by=user, logged_at=timezone.now())
    AttendanceFactory(meeting=meeting, participant=first)
    AttendanceFactory(meeting=meeting, participant=bystander)
    PulseResponse.objects.create(
        meeting=meeting, respondent_key="k" * 64, felt_safe=4, useful=5, stretching=3
    )
    ActionFactory(programme=first_programme, meeting=meeting, owner=first)

    innovation = InnovationFactory(programme=first_programme)
    innovation.innovator_contacts.add(first)
    adoption = AdoptionFactory(innovation=innovation, local_lead=first)
    adoption.move_to("testing", by=user, note="Moved on")
    LearningEntryFactory(programme=first_programme, author=user, title="Weekend cover works")
    narrative = NarrativeFactory(innovation=innovation, updated_by=user)
    narrative.contributors.add(first)
    FeedbackFactory(innovation=innovation, participant=first, name=NAME, email=EMAIL)
    FeedbackFactory(innovation=innovation, name="P. Raman", email=EMAIL.title())
    FeedbackFactory(innovation=innovation, responded_by=user, response="Thank you")
    ContactMessage.objects.create(
        innovation=innovation, recipient=bystander, name=NAME, email=EMAIL, body="Hello"
    )
    ContactMessage.objects.create(
        innovation=innovation, recipient=first, name="Someone", email="x@example.org", body="Hi"
    )
    SubscriptionFactory(programme=first_programme, user=user, participant=first, email=EMAIL)
    SubscriptionFactory(programme=second_programme, email=EMAIL, confirmed_at=timezone.now())
    Invitation.issue(programme=second_programme, email=EMAIL, role="member", by=None)

    # A transactional test may follow one that emptied the tables the data migration filled.
    area = ActivityArea.objects.first() or ActivityArea.objects.create(number=1, title="Area")
    PlannedActivityFactory(programme=first_programme, area=area, owner=first, created_by=user)
    LocalKnowledgeFactory(programme=first_programme, owner=first, created_by=user)
    ComplexityAssessmentFactory(programme=first_programme, assessed_by=user)

    audit.record(None, audit.Action.VIEWED_PERSON, subject=first)
    audit.record(None, audit.Action.SUBJECT_ACCESS, subject_label=EMAIL)
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(first.pk),
        object_repr=str(first),
        action_flag=CHANGE,
        change_message=f"Changed name to {NAME}",
    )
    return Held(user=user, first=first, second=second, bystander=bystander)
