"""The admin for learning, narratives, feedback, hub messages, subscriptions and digests."""

from django.contrib import admin

from convening.admin_base import PersonalDataAdmin, PersonalDataHistoryAdmin

from .models import (
    ContactMessage,
    DigestDelivery,
    Feedback,
    LearningEntry,
    Narrative,
    Subscription,
)


@admin.register(LearningEntry)
class LearningEntryAdmin(PersonalDataHistoryAdmin):
    list_display = ["title", "programme", "kind", "status", "visibility", "created_at"]
    list_filter = ["status", "kind", "visibility", "programme"]
    search_fields = ["title", "body"]
    raw_id_fields = ["innovation", "source_meeting", "site"]


@admin.register(Narrative)
class NarrativeAdmin(PersonalDataHistoryAdmin):
    list_display = ["innovation", "audience", "updated_at"]
    list_filter = ["audience", "innovation__programme"]
    search_fields = ["innovation__name", "body"]


@admin.register(Feedback)
class FeedbackAdmin(PersonalDataAdmin):
    personal_fields = ("name", "email")
    list_display = ["innovation", "kind", "status", "name", "created_at"]
    list_filter = ["kind", "status", "innovation__programme"]
    search_fields = ["body", "name", "email"]
    raw_id_fields = ["innovation", "answer_entry"]


@admin.register(ContactMessage)
class ContactMessageAdmin(PersonalDataAdmin):
    personal_fields = ("name", "email")
    str_names_person = True
    list_display = ["innovation", "recipient", "name", "created_at", "sent_at"]
    list_filter = ["sent_at", "innovation__programme"]
    search_fields = ["name", "email", "body"]


@admin.register(Subscription)
class SubscriptionAdmin(PersonalDataAdmin):
    personal_fields = ("email",)
    str_names_person = True
    list_display = ["email", "programme", "innovation", "frequency", "confirmed_at"]
    list_filter = ["frequency", "programme"]
    search_fields = ["email"]
    exclude = ["unsubscribe_token"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(PersonalDataAdmin):
    # A subscription is named by its email address.
    personal_fields = ("subscription",)
    str_names_person = True
    list_display = ["subscription", "period_end", "status", "item_count", "attempts"]
    list_filter = ["status", "period_end"]
    search_fields = ["error"]
    raw_id_fields = ["subscription"]
