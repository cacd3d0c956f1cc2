"""The feedback inbox: what adopters told the innovators through the learning hub.

Only the programme's leads read and answer it (DESIGN section 5; learning/access.py). The text
comes from the public, so it is always shown escaped, never as Markdown or HTML.
"""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from convening.breadcrumbs import breadcrumbs
from convening.jinja2 import render_fragment
from convening.models import NAME_MAX, Innovation, Programme

from ..access import get_feedback_for_change, get_programme_for_feedback
from ..forms.feedback import FeedbackFilterForm, ReplyForm, StatusForm
from ..models import Feedback, LearningEntry

INBOX_TEMPLATE = "learning/feedback_inbox.jinja"
DETAIL_TEMPLATE = "learning/feedback_detail.jinja"
EMAIL_TEMPLATE = "learning/email/feedback_reply.txt"
FEEDBACK_PER_PAGE = 50
STATUS_SHOWN = {
    "open": "New and acknowledged feedback",
    "new": "New feedback",
    "acknowledged": "Acknowledged feedback",
    "answered": "Answered feedback",
    "all": "Feedback",
}
# Markdown would read these in a quoted question as formatting or links.
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]#!|])")


def _crumbs(programme: Programme, *, inbox: bool = False) -> list[dict[str, str]]:
    return breadcrumbs(programme, "feedback_inbox" if inbox else None)


@require_GET
def feedback_inbox(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_feedback(request, slug)
    innovations = list(Innovation.objects.filter(programme=programme).order_by("name", "pk"))
    filters = FeedbackFilterForm(request.GET, innovations=innovations)
    everything = Feedback.objects.filter(innovation__programme=programme)
    feedback = filters.apply(everything).select_related("innovation").order_by("-created_at", "-pk")
    page = Paginator(feedback, FEEDBACK_PER_PAGE).get_page(request.GET.get("page"))
    inbox_url = reverse("feedback_inbox", args=[programme.slug])
    count = page.paginator.count
    status = filters.values["status"]
    return render(
        request,
        INBOX_TEMPLATE,
        {
            "programme": programme,
            "filters": filters,
            "new_count": everything.filter(status=Feedback.Status.NEW).count(),
            "count_text": f"{count} {'item' if count == 1 else 'items'} shown.",
            "caption": f"{STATUS_SHOWN[status]}, newest first",
            "feedback": page.object_list,
            "page": page,
            "page_urls": {
                "previous": filters.page_url(inbox_url, page.number - 1),
                "next": filters.page_url(inbox_url, page.number + 1),
            },
            "filtered": len(filters.values) > 1 or status != "open",
            "export_query": filters.query_string(),
            "breadcrumbs": _crumbs(programme),
            "nav": "programmes",
        },
    )


def _detail_page(
    request: HttpRequest,
    programme: Programme,
    feedback: Feedback,
    *,
    reply_form: ReplyForm | None = None,
    status_form: StatusForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    if reply_form is None:
        initial = {"response": feedback.response} if feedback.response else None
        reply_form = ReplyForm(initial=initial)
    return render(
        request,
        DETAIL_TEMPLATE,
        {
            "programme": programme,
            "item": feedback,
            "form": reply_form,
            "status_form": status_form,
            "problem": problem,
            "breadcrumbs": _crumbs(programme, inbox=True),
            "nav": "programmes",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def feedback_detail(request: HttpRequest, slug: str, feedback_id: int) -> HttpResponse:
    programme, feedback = get_feedback_for_change(request, slug, feedback_id)
    if request.method != "POST":
        return _detail_page(request, programme, feedback)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, programme, feedback, reply_form=form, status=400)
    form.save(feedback, by=request.user)
    if feedback.email:
        _email_reply(feedback)
        messages.success(request, f"Your answer was sent to {feedback.email}.")
    else:
        messages.success(request, "Your answer was saved.")
    return redirect("feedback_detail", slug=programme.slug, feedback_id=feedback.pk)


def _email_reply(feedback: Feedback) -> None:
    """Email the answer to the person who sent the feedback, once the answer is saved."""
    innovation = feedback.innovation
    body = render_to_string(
        EMAIL_TEMPLATE,
        {
            "feedback": feedback,
            "innovation": innovation,
            "programme": innovation.programme,
            "quoted": _quoted(feedback.body),
            "link": settings.SITE_URL
            + reverse("hub_innovation", args=[innovation.programme.slug, innovation.slug]),
        },
    )
    # A line break in a name would make the header invalid.
    subject = "Your feedback about " + " ".join(innovation.name.split())
    address = feedback.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


@require_POST
def feedback_status(request: HttpRequest, slug: str, feedback_id: int) -> HttpResponse:
    programme, feedback = get_feedback_for_change(request, slug, feedback_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        feedback.status = form.cleaned_data["status"]
        feedback.save(update_fields=["status"])
        notice = f"Marked as {feedback.get_status_display().lower()}."
    if request.htmx:
        context = {
            "programme": programme,
            "item": feedback,
            "status_form": form,
            "notice": notice if form.is_valid() else "",
        }
        response = render_fragment(
            request, DETAIL_TEMPLATE, "status", context, status=200 if form.is_valid() else 422
        )
        return trigger_client_event(
            response, "convening:focus", {"target": "#status-heading"}, after="settle"
        )
    if not form.is_valid():
        return _detail_page(request, programme, feedback, status_form=form, status=400)
    messages.success(request, notice)
    return redirect("feedback_detail", slug=programme.slug, feedback_id=feedback.pk)


@require_POST
def feedback_publish(request: HttpRequest, slug: str, feedback_id: int) -> HttpResponse:
    programme, feedback = get_feedback_for_change(request, slug, feedback_id)
    if feedback.status != Feedback.Status.ANSWERED or not feedback.response:
        problem = "Answer the feedback before publishing the answer as learning."
        return _detail_page(request, programme, feedback, problem=problem, status=400)
    with transaction.atomic():
        # Lock the feedback so that two presses of the button make one entry.
        published = (
            Feedback.objects.select_for_update()
            .filter(pk=feedback.pk)
            .values_list("answer_entry_id", flat=True)
            .first()
        )
        if published is not None:
            messages.info(request, "The answer is already published as learning.")
            return redirect("feedback_detail", slug=programme.slug, feedback_id=feedback.pk)
        entry = _publish_answer(programme, feedback, by=request.user)
    messages.success(request, f"The answer is published as learning: “{entry.title}”.")
    return redirect("feedback_detail", slug=programme.slug, feedback_id=feedback.pk)


def _publish_answer(programme: Programme, feedback: Feedback, *, by) -> LearningEntry:
    """A public question entry from the feedback and its answer. It never names the sender."""
    entry = LearningEntry.objects.create(
        programme=programme,
        innovation=feedback.innovation,
        kind=LearningEntry.Kind.QUESTION,
        title=question_title(feedback.body),
        body=f"{quoted_markdown(feedback.body)}\n\n{feedback.response}",
        visibility=LearningEntry.Visibility.PUBLIC,
        author=by,
    )
    entry.publish()
    feedback.answer_entry = entry
    feedback.save(update_fields=["answer_entry"])
    return entry


def question_title(text: str) -> str:
    """The first words of the feedback, cut at a word to fit a title."""
    words = " ".join(text.split())
    if len(words) <= NAME_MAX:
        return words or "A question from an adopter"
    cut = words[: NAME_MAX - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def quoted_markdown(text: str) -> str:
    """The feedback as a Markdown blockquote that shows exactly what was written: HTML and
    Markdown's own characters are escaped, so nothing in it becomes markup or a link."""
    lines = text.replace("\r\n", "\n").strip().split("\n")
    escaped = (MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(line, quote=False)) for line in lines)
    return "\n".join(f"> {line}".rstrip() for line in escaped)
