from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from convening.models import (
    Innovation,
    Membership,
    Organisation,
    Participant,
    Programme,
    RoleGroup,
    Sector,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.ACUTE
    place = "Leeds"


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    summary = "Spreading a model of care across the region."
    status = Programme.Status.ACTIVE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role_group = RoleGroup.CLINICAL


class InnovationFactory(DjangoModelFactory):
    class Meta:
        model = Innovation

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Innovation {n}")
    slug = factory.Sequence(lambda n: f"innovation-{n}")
    summary = "A better way to do something."


class AdaptiveSpaceFactory(DjangoModelFactory):
    class Meta:
        model = "spaces.AdaptiveSpace"

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Space {n}")
    slug = factory.Sequence(lambda n: f"space-{n}")
    purpose = "A place to learn together."
    kind = "learning_collaborative"


class SpaceMemberFactory(DjangoModelFactory):
    class Meta:
        model = "spaces.SpaceMember"

    space = factory.SubFactory(AdaptiveSpaceFactory)
    participant = factory.SubFactory(
        ParticipantFactory, programme=factory.SelfAttribute("..space.programme")
    )
    role = "participant"


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = "spaces.Meeting"

    space = factory.SubFactory(AdaptiveSpaceFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + timedelta(hours=1))
    status = "planned"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = "spaces.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    participant = factory.SubFactory(
        ParticipantFactory, programme=factory.SelfAttribute("..meeting.space.programme")
    )
    status = "attended"


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = "spaces.Action"

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    status = "open"


class LearningEntryFactory(DjangoModelFactory):
    class Meta:
        model = "learning.LearningEntry"

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Learning {n}")
    body = "What we learned."
    kind = "insight"
    status = "draft"


class PlannedActivityFactory(DjangoModelFactory):
    """Needs `area` (an ActivityArea from the data migration)."""

    class Meta:
        model = "activities.PlannedActivity"

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Activity {n}")
    description = "Why and how."
    status = "planned"


class ComplexityAssessmentFactory(DjangoModelFactory):
    """`ratings={"condition": "complex", ...}` adds one DomainRating per domain given."""

    class Meta:
        model = "activities.ComplexityAssessment"
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    interdependence = "independent"

    @factory.post_generation
    def ratings(self, create, extracted, **kwargs):
        from activities.models import DomainRating

        for domain, rating in (extracted or {}).items():
            DomainRating.objects.create(assessment=self, domain=domain, rating=rating)


class LocalKnowledgeFactory(DjangoModelFactory):
    class Meta:
        model = "activities.LocalKnowledge"

    programme = factory.SubFactory(ProgrammeFactory)
    kind = "workforce"
    title = factory.Sequence(lambda n: f"Local knowledge {n}")
    description = "What we know."
    impact = "medium"


class AdoptionFactory(DjangoModelFactory):
    class Meta:
        model = "convening.Adoption"

    innovation = factory.SubFactory(InnovationFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    stage = "exploring"


class NarrativeFactory(DjangoModelFactory):
    class Meta:
        model = "learning.Narrative"

    innovation = factory.SubFactory(InnovationFactory)
    audience = "clinicians"
    body = "What it means for you."


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = "learning.Feedback"

    innovation = factory.SubFactory(InnovationFactory)
    kind = "question"
    body = "How do you handle weekends?"
    email = factory.Sequence(lambda n: f"adopter{n}@example.org")


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = "learning.Subscription"

    programme = factory.SubFactory(ProgrammeFactory)
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
