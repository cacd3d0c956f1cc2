"""Downloads of a programme's lists, and the ones prepared in the background.

Every list page's "Download" links come here through `export_response`: a CSV streams at once,
and so does an XLSX of up to `EXPORT_JOB_THRESHOLD_ROWS` rows; a larger XLSX gets a page that
offers to prepare it. Preparing, and the programme archive (leads only), make an `ExportJob`
that a worker builds (convening/export_jobs.py); its page shows progress, polled by htmx, with
a refresh link that does the same without JavaScript. Each person sees only their own jobs, and
downloads a file only while their role still allows what it holds.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from convening import access, audit, export_jobs
from convening.breadcrumbs import breadcrumbs
from convening.exports import TABLES, check_format, table_response
from convening.forms import ExportStartForm
from convening.jinja2 import render_fragment
from convening.models import ExportJob, Programme

JOB_TEMPLATE = "convening/export_job.jinja"
# Downloads one person may have waiting or being prepared at once, in one programme.
MAX_UNFINISHED = 3
JOBS_LISTED = 20


def export_response(request: HttpRequest, slug: str, fmt: str, name: str) -> HttpResponse:
    """The download of the table registered as `name`, for the list pages' export views."""
    registered = TABLES[name]
    programme = access.get_programme_for_roles(request, slug, registered.roles)
    check_format(fmt)
    table = registered.build(request, programme)
    if fmt == "xlsx" and (rows := table.count()) > export_jobs.threshold():
        context = {
            "programme": programme,
            "table": table,
            "rows": rows,
            "threshold": export_jobs.threshold(),
            "form": ExportStartForm(initial={"export": name, "query": request.GET.urlencode()}),
            "csv_url": request.path.removesuffix(".xlsx") + ".csv" + _query(request),
            "breadcrumbs": breadcrumbs(programme),
            "nav": "programmes",
        }
        return render(request, "convening/export_prepare.jinja", context)
    _audit(request, programme, name, fmt + (f", {request.GET.urlencode()}" if request.GET else ""))
    return table_response(
        fmt, filename=table.filename, title=table.title, headers=table.headers, rows=table.rows()
    )


# Downloads of personal data in bulk go in the audit log, whether sent at once or prepared.
AUDITED = {
    "people": audit.Action.DOWNLOADED_PEOPLE,
    "attendance": audit.Action.DOWNLOADED_ATTENDANCE,
    ExportJob.ARCHIVE: audit.Action.DOWNLOADED_ARCHIVE,
}


def _audit(request: HttpRequest, programme: Programme, name: str, detail: str) -> None:
    if name in AUDITED:
        audit.record(request, AUDITED[name], programme=programme, detail=detail)


def _query(request: HttpRequest) -> str:
    return "?" + request.GET.urlencode() if request.GET else ""


def _crumbs(programme: Programme, *below):
    return breadcrumbs(programme, "downloads", *below)


@require_GET
def downloads(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_view(request, slug)
    jobs = ExportJob.objects.for_user(request.user, programme)[:JOBS_LISTED]
    for job in jobs:
        job.programme = programme
    context = {
        "programme": programme,
        "jobs": jobs,
        "can_archive": programme.my_role == access.LEAD,
        "days": settings.EXPORT_FILE_DAYS,
        "threshold": export_jobs.threshold(),
        "breadcrumbs": breadcrumbs(programme),
        "nav": "programmes",
    }
    return render(request, "convening/downloads.jinja", context)


@require_POST
def export_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Prepare a large spreadsheet of one of the programme's lists, with its page's filters."""
    programme = access.get_programme_for_view(request, slug)
    form = ExportStartForm(request.POST)
    if not form.is_valid():
        raise BadRequest("That is not one of the downloads this programme offers")
    registered = TABLES[form.cleaned_data["export"]]
    if programme.my_role not in registered.roles:
        raise PermissionDenied("Your role in this programme does not allow this download")
    query = form.cleaned_data["query"]
    table = registered.build(export_jobs.request_as(request.user, query), programme)
    return _start(
        request, programme, export=registered.name, title=table.title, fmt="xlsx", query=query
    )


@require_POST
def archive_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Build the programme archive: for leads, who may see everything it holds."""
    programme = access.get_programme_for_roles(request, slug, (access.LEAD,))
    title = "Everything in the programme"
    return _start(request, programme, export=ExportJob.ARCHIVE, title=title, fmt="zip", query="")


def _start(request: HttpRequest, programme: Programme, **job) -> HttpResponse:
    unfinished = ExportJob.objects.for_user(request.user, programme).filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
    )
    if unfinished.count() >= MAX_UNFINISHED:
        messages.error(
            request,
            f"You already have {MAX_UNFINISHED} downloads being prepared. "
            "Wait for one of them to finish, then ask again.",
        )
        return redirect("downloads", slug=programme.slug)
    new = export_jobs.start(request, programme, **job)
    return redirect("export_job", slug=programme.slug, job_id=new.pk)


@require_GET
def export_job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The job's progress; htmx polls its `job_status` block until it is finished. `seen` is
    the status the page last showed, so the live region speaks only when it changes."""
    programme, job = access.get_export_job(request, slug, job_id)
    context = {
        "programme": programme,
        "job": job,
        "announce": request.GET.get("seen") != job.status,
        "days": settings.EXPORT_FILE_DAYS,
        "breadcrumbs": _crumbs(programme, (job.title, job.get_absolute_url())),
        "nav": "programmes",
    }
    if request.htmx:
        return render_fragment(request, JOB_TEMPLATE, "job_status", context)
    return render(request, JOB_TEMPLATE, context)


@require_GET
def export_job_file(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The prepared file, for the person who asked, while their role still allows it."""
    programme, job = access.get_export_job(request, slug, job_id)
    if programme.my_role not in _roles_for(job):
        raise PermissionDenied("Your role in this programme no longer allows this download")
    if job.status != ExportJob.Status.READY or not job.file:
        raise Http404("This download is not ready, or has been deleted")
    _audit(request, programme, job.export, f"prepared file {job.download_name}")
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.download_name)
    response["Cache-Control"] = "private, no-store"
    return response


def _roles_for(job: ExportJob) -> tuple[str, ...]:
    if job.export == ExportJob.ARCHIVE:
        return (access.LEAD,)
    registered = TABLES.get(job.export)
    return registered.roles if registered else ()
