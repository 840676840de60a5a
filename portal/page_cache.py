"""Whole-page cache for the signed-in pages of an organisation's assessments.

A member who opens the overview, a section or a result again sees what they saw last time
unless something it shows has changed, so the rendered page is kept in the shared cache under
a key made of everything it depends on:

- the page: the view, the full path with its query string, whether htmx asked for it;
- the reader: the user's id, short name and roles (the page shell), and what the view passes
  (the membership's role, for instance), the language, the time zone and today's date;
- the data: a stamp per organisation the page reads, replaced (portal.stamps) after every
  write to a row that belongs to the organisation (ORGANISATION_PATHS, found by following the
  foreign keys to Organisation); a stamp of the shared content (questionnaires, schedules, law
  changes, people's names and jurisdictions: GLOBAL_MODELS); the library's stamp (regulations);
- the code: a digest of the project's Python files, templates, compiled translations and
  plain-data settings, taken once per process.

The views decide who may see the page before asking the cache (a membership check, one query
in portal.access, runs on every request, and so does the audit of a regulator's reading), and
only a 200 with no header but its content type is stored. The CSRF tokens of the page are cut
out before storing and a fresh one is put in for each request. A request with a flash message
waiting is always rendered.

Writes the ORM does not signal (QuerySet.update, bulk_create, raw SQL) bump the stamps
themselves (`bump_organisations`, `bump_global`); tests/portal/test_page_cache.py checks that
every model of the project is either covered or listed as shown on no cached page.

Only with a shared cache (PAGE_CACHE_SECONDS, settings.py): the stamps must be seen by every
process.
"""

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from portal import stamps
from portal.memo import ProcessMemo

SENTINEL = "__HEGUI_CSRF_TOKEN__"
TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{64})')
GLOBAL = "content"
# Every organisation's submissions as regulators see them (the review queue): bumped by every
# write that bumps an organisation, except the draft-editing rows no regulator page shows.
SUPERVISION = "supervision"
DRAFT_ONLY_MODELS = {"assessments.Answer", "assessments.SectionAssignment"}
# Models without an organisation that the cached pages show: a write bumps the global stamp.
GLOBAL_MODELS = {
    "portal.User",  # names (who answered, who submitted, who commented) and roles
    "portal.RegulatorProfile",
    "assessments.Questionnaire",
    "assessments.QuestionnaireVersion",
    "assessments.Section",
    "assessments.Question",
    "assessments.Choice",
    "assessments.Citation",
    "assessments.LawChange",
    "assessments.LawChangeQuestion",
    "duedates.ReassessmentSchedule",
}
# Models that no cached page shows. Their writes leave the stamps alone (an audit event is
# written on every regulator's reading, a notification on every decision: bumping for them
# would empty the cache for nothing).
UNSHOWN_MODELS = {
    "portal.AuditEvent",
    "notifications.Notification",
    "notifications.NotificationPreference",
    "duedates.ReminderSent",
    "assessments.LawChangeNotified",
    "oversight.ExportJob",
    "oversight.FindingTally",
    "oversight.TrendTally",
    "oversight.DecisionTally",
    "oversight.RiskWarning",
    "onboarding.RegistrationRequest",
}
# The library's models bump the library's own stamp (regulations.public_cache), also in the key.
LIBRARY_APP = "regulations"


# ----------------------------------------------------------------------------------- stamps


def organisation_paths() -> dict[type, list[str]]:
    """Each project model that belongs to an organisation, with the shortest chain of foreign
    keys that leads from it to Organisation (empty for Organisation itself)."""
    from portal.models import Organisation

    labels = set(project_apps())

    def path(model, seen):
        if model is Organisation:
            return []
        best = None
        for field in model._meta.get_fields():
            target = field.related_model
            if not ((field.many_to_one or field.one_to_one) and field.concrete and target):
                continue
            if target._meta.app_label not in labels or target in seen:
                continue
            rest = path(target, seen | {model})
            if rest is not None and (best is None or len(rest) + 1 < len(best)):
                best = [field.name, *rest]
        return best

    paths = {}
    for model in project_models():
        found = path(model, frozenset())
        if found is not None and model._meta.label not in UNSHOWN_MODELS:
            paths[model] = found
    return paths


def project_apps() -> list[str]:
    """The labels of the project's own apps (those inside the repository, not installed
    packages), so that a new app is covered without being named here."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
        and ".venv" not in Path(config.path).parts
        and "site-packages" not in Path(config.path).parts
    ]


def project_models() -> list:
    return [model for label in project_apps() for model in apps.get_app_config(label).get_models()]


ORGANISATION_PATHS: dict[type, list[str]] = {}
# An assessment never moves to another organisation (nor an answer to another assessment), and
# PostgreSQL never gives an id twice (a sequence does not roll back): what a process has learnt
# of these links stays true there. SQLite can give a rolled-back row's id again, so there the
# links are always read.
_parents = ProcessMemo(20000)


def _memo_on() -> bool:
    return connection.vendor == "postgresql"


def clear_local() -> None:
    _parents.clear()


def remember_organisation(assessment) -> None:
    """Note which organisation `assessment` belongs to (saves a query when its rows change)."""
    if _memo_on():
        _parents.put(("assessments.Assessment", assessment.pk), assessment.organisation_id)


def organisation_id_of(instance, *, query: bool = True) -> int | None:
    """The organisation `instance` belongs to, following its foreign keys: through the objects
    already loaded or the links this process knows, else with one query (unless `query` is
    false); None when it cannot be found."""
    obj = instance
    path = ORGANISATION_PATHS[type(instance)]
    if not path:
        return instance.pk
    for position, name in enumerate(path):
        field = obj._meta.get_field(name)
        parent_id = getattr(obj, field.attname)
        if parent_id is None:
            return None
        if position == len(path) - 1:
            return parent_id
        if field.is_cached(obj):
            obj = getattr(obj, name)
            continue
        memo_key = (field.related_model._meta.label, parent_id)
        found = _parents.get(memo_key) if _memo_on() else None
        if found is None and not query:
            return None
        if found is None:
            rest = "__".join(path[position + 1 :])
            found = (
                field.related_model._default_manager.filter(pk=parent_id)
                .values_list(rest, flat=True)
                .first()
            )
            if found is None:
                return None
            if _memo_on():
                _parents.put(memo_key, found)
        return found
    return None


def organisation_scope(organisation_id) -> str:
    return f"org:{organisation_id}"


def bump_organisations(organisation_ids: Iterable, *, supervision: bool = True) -> None:
    """After a write the ORM does not signal: the pages of these organisations are out of date
    (and the regulators' queue, unless `supervision` is false: a draft's own rows)."""
    scopes = {organisation_scope(pk) for pk in organisation_ids if pk}
    if scopes and supervision:
        scopes.add(SUPERVISION)
    stamps.bump_in_transaction(scopes)


def bump_global() -> None:
    stamps.bump_in_transaction({GLOBAL})


def _on_organisation_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    _bump_for(instance, organisation_id_of(instance))


def _on_organisation_delete(sender, instance, **kwargs):
    # A cascade sends this for every row it deletes, with nothing loaded: no query per row.
    _bump_for(instance, organisation_id_of(instance, query=False))


def _bump_for(instance, organisation_id) -> None:
    if organisation_id is None:  # cannot tell whose: every page is out of date
        bump_global()
    else:
        supervision = instance._meta.label not in DRAFT_ONLY_MODELS
        bump_organisations([organisation_id], supervision=supervision)


def _on_global_row(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in: nothing a page shows
    bump_global()


def _on_groups(sender, **kwargs):
    bump_global()


def connect() -> None:
    ORGANISATION_PATHS.clear()
    ORGANISATION_PATHS.update(organisation_paths())
    for model in ORGANISATION_PATHS:
        uid = f"page_cache.org.{model._meta.label}"
        post_save.connect(_on_organisation_save, sender=model, dispatch_uid=uid + ".save")
        pre_delete.connect(_on_organisation_delete, sender=model, dispatch_uid=uid + ".delete")
    for label in GLOBAL_MODELS:
        model = apps.get_model(label)
        uid = f"page_cache.global.{label}"
        post_save.connect(_on_global_row, sender=model, dispatch_uid=uid + ".save")
        pre_delete.connect(_on_global_row, sender=model, dispatch_uid=uid + ".delete")
    user_model = apps.get_model("portal.User")
    m2m_changed.connect(_on_groups, sender=user_model.groups.through, dispatch_uid="page_cache.g")


# ------------------------------------------------------------------------------------ pages


SKIPPED_DIRS = {".git", ".venv", "node_modules", "staticfiles", "static", "tests", "var"}
CODE_SUFFIXES = (".py", ".html", ".mo")


def _code_digest() -> str:
    """The project's Python files, templates and compiled translations as they are in this
    process (a deployment that changes any of them starts with new keys): their names, sizes
    and modification times."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(CODE_SUFFIXES):
                path = Path(folder, name)
                stat = path.stat()
                line = f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n"
                digest.update(line.encode())
    return digest.hexdigest()[:16]


def _settings_digest() -> str:
    """The settings as this process has them (an operator who changes, say, the review service
    level and restarts gets new keys): every upper-case setting whose value is plain data."""
    import json

    plain = {}
    for name in dir(settings):
        if name.isupper():
            try:
                plain[name] = json.dumps(getattr(settings, name), sort_keys=True)
            except (TypeError, ValueError):
                continue  # objects (classes, callables) have no stable text
    return hashlib.sha256(repr(sorted(plain.items())).encode()).hexdigest()[:16]


_code = ProcessMemo(1)


def code_digest() -> str:
    """The code's digest and the settings' (taken once per process)."""
    return _code.get_or_make("code", lambda: f"{_code_digest()}:{_settings_digest()}")


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def cacheable(request) -> bool:
    return (
        enabled()
        and request.method == "GET"
        and CookieStorage.cookie_name not in request.COOKIES
        and "_messages" not in request.session
    )


def reader(request) -> tuple:
    """What the page shell shows of the signed-in user."""
    from portal.context_processors import navigation

    user = request.user
    roles = tuple(sorted(navigation(request)["nav_roles"]))
    return (user.pk, user.get_short_name(), roles)


def page_key(
    request, view: str, organisation_ids: Iterable, parts: tuple, scopes: Iterable = ()
) -> str:
    from regulations import public_cache

    organisation_ids = sorted(set(organisation_ids))
    scopes = [
        GLOBAL,
        public_cache.STAMP_SCOPE,
        *sorted(scopes),
        *(organisation_scope(pk) for pk in organisation_ids),
    ]
    found = stamps.get_many(scopes)  # one round trip
    material = repr(
        (
            1,  # the layout of this tuple
            code_digest(),
            view,
            request.get_full_path(),
            request.headers.get("HX-Request") == "true",
            reader(request),
            parts,
            get_language() or "",
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
            [found[scope] for scope in scopes],
        )
    )
    return "page:" + hashlib.sha256(material.encode()).hexdigest()


def cut_tokens(body: str) -> str:
    """The page with its CSRF tokens replaced by a placeholder (they are the reader's own)."""
    return TOKENS.sub(rf"\g<1>{SENTINEL}", body)


def put_token(request, body: str) -> str:
    return body.replace(SENTINEL, get_token(request))


def serve(
    request,
    view: str,
    render: Callable[[], HttpResponse],
    *,
    organisations: Iterable = (),
    parts: tuple = (),
    scopes: Iterable = (),
) -> HttpResponse:
    """The page `render()` makes, from the cache when nothing it shows has changed.

    `organisations`: the ids of the organisations whose data the page shows; `scopes`: other
    stamps it depends on (SUPERVISION for a page over every organisation a regulator sees);
    `parts`: what else the rendering depends on that the key does not already hold (see the
    module's text). Call it only once the reader is known to be allowed to see the page."""
    if not cacheable(request):
        return render()
    key = page_key(request, view, organisations, parts, scopes)
    stored = cache.get(key)
    if stored is not None:
        content_type, body = stored
        return HttpResponse(put_token(request, body), content_type=content_type)
    response = render()
    if (
        response.status_code == 200
        and not getattr(response, "streaming", False)
        and set(response.headers) <= {"Content-Type"}
    ):
        body = cut_tokens(response.content.decode(response.charset))
        cache.set(key, (response["Content-Type"], body), settings.PAGE_CACHE_SECONDS)
    return response
