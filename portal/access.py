"""The single path from a user to the tenant data they may see.

Views never filter by organisation themselves: they ask here. Another organisation's object is
a 404 (its existence is not revealed); a read-only member attempting a write is a 403.
Regulators see organisations in their jurisdiction only, and never drafts.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from portal import page_cache, rows
from portal.models import Membership, Organisation, RegulatorProfile


def regulator_profile(user) -> RegulatorProfile | None:
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.regulator_profile
    except RegulatorProfile.DoesNotExist:
        return None


def is_regulator(user) -> bool:
    return regulator_profile(user) is not None


def is_member(user) -> bool:
    """Whether the user belongs to any organisation (read with the user when the sign-in
    backend loaded it, else one query)."""
    if not user.is_authenticated or not user.is_active:
        return False
    known = getattr(user, "has_membership", None)
    return known if known is not None else memberships_for_user(user).exists()


def memberships_for_user(user) -> QuerySet[Membership]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def organisations_for_user(user) -> QuerySet[Organisation]:
    """Organisations the user belongs to (any role)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def jurisdiction_q(profile: RegulatorProfile, prefix: str = "") -> Q:
    """A filter on organisations (through `prefix`) inside a regulator's jurisdiction."""
    q = Q(**{f"{prefix}province__in": profile.provinces})
    if profile.sectors:
        q &= Q(**{f"{prefix}sector__in": profile.sectors})
    return q


def organisations_in_jurisdiction(user) -> QuerySet[Organisation]:
    profile = regulator_profile(user)
    if profile is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(jurisdiction_q(profile))


def membership_for(user, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def get_organisation_for_user(user, pk, *, write: bool = False) -> Organisation:
    """The organisation `pk` if the user is a member; 404 otherwise, 403 for a read-only write."""
    membership = memberships_for_user(user).filter(organisation_id=pk).first()
    if membership is None:
        raise Http404("No such organisation.")
    if write and not membership.can_write:
        raise PermissionDenied("Viewers cannot change this organisation's data.")
    organisation = membership.organisation
    organisation.current_membership = membership
    return organisation


def require_owner(user, organisation: Organisation) -> Membership:
    membership = membership_for(user, organisation)
    if membership is None:
        raise Http404("No such organisation.")
    if membership.role != Membership.Role.OWNER:
        raise PermissionDenied("Only an owner can do this.")
    return membership


# --------------------------------------------------------------------------- assessments


def assessments_for_user(user):
    """Assessments of the organisations the user belongs to."""
    from assessments.models import Assessment

    return Assessment.objects.filter(organisation__in=organisations_for_user(user))


# The member pages ask only this before serving a page from the cache (portal/page_cache.py):
# one indexed join in plain SQL, since building it with the ORM costs more than running it.
ASSESSMENT_MEMBERSHIP = """
    SELECT m.organisation_id, m.role FROM {membership} m
    JOIN {assessment} a ON a.organisation_id = m.organisation_id
    WHERE a.id = %s AND m.user_id = %s
"""
ROLES = """
    SELECT organisation_id, role FROM {membership} WHERE user_id = %s ORDER BY organisation_id
"""
SUBMISSION_MEMBERSHIP = """
    SELECT m.organisation_id, m.role FROM {submission} s
    JOIN {assessment} a ON a.id = s.assessment_id
    JOIN {membership} m ON m.organisation_id = a.organisation_id
    WHERE s.id = %s AND m.user_id = %s
"""


def _signed_in_pk(user, pk) -> int | None:
    """`pk` as an integer when an active user is signed in, else None (nothing to look up)."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None


def _member_row(sql: str, user, pk) -> tuple | None:
    """The one row `sql` finds for submission or assessment `pk` and the user (its tables named
    {membership}, {assessment}, {submission}, {result}, {override}); None for anyone signed out
    or inactive, or when it finds none."""
    from assessments.models import Assessment, ScoreResult, Submission
    from supervision.models import TierOverride

    pk = _signed_in_pk(user, pk)
    if pk is None:
        return None
    models = {
        "membership": Membership,
        "assessment": Assessment,
        "submission": Submission,
        "result": ScoreResult,
        "override": TierOverride,
    }
    names = {name: rows.table(model) for name, model in models.items()}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**names), [pk, user.pk])
        return cursor.fetchone()


def organisation_roles(user) -> list[tuple[int, str]]:
    """(organisation id, role) of each of the user's memberships, by organisation id."""
    if not user.is_authenticated or not user.is_active:
        return []
    with connection.cursor() as cursor:
        cursor.execute(ROLES.format(membership=rows.table(Membership)), [user.pk])
        return [(row[0], row[1]) for row in cursor.fetchall()]


MEMBER_REPORT = """
    SELECT s.assessment_id, s.number,
           EXISTS (SELECT 1 FROM {result} r WHERE r.submission_id = s.id),
           (SELECT o.id FROM {override} o WHERE o.submission_id = s.id
            ORDER BY o.at DESC, o.id DESC LIMIT 1)
    FROM {submission} s
    JOIN {assessment} a ON a.id = s.assessment_id
    JOIN {membership} m ON m.organisation_id = a.organisation_id
    WHERE s.id = %s AND m.user_id = %s
"""


def member_report_submission(user, pk):
    """For a member of its organisation, submission `pk` with only what serving its stored
    report needs: the assessment id, the number, `scored` and `override_pk` (the tier override
    in force); None for anyone else (a regulator goes through get_submission_for_user)."""
    from assessments.models import Submission

    row = _member_row(MEMBER_REPORT, user, pk)
    if row is None:
        return None
    submission = Submission(pk=int(pk), assessment_id=row[0], number=row[1])
    submission.scored, submission.override_pk = bool(row[2]), row[3]
    return submission


def assessment_membership(user, pk) -> tuple[int, str] | None:
    """(organisation id, role) when the user belongs to the organisation of assessment `pk`."""
    row = _member_row(ASSESSMENT_MEMBERSHIP, user, pk)
    return (row[0], row[1]) if row else None


def submission_membership(user, pk) -> tuple[int, str] | None:
    """(organisation id, role) when the user belongs to the organisation of submission `pk`."""
    row = _member_row(SUBMISSION_MEMBERSHIP, user, pk)
    return (row[0], row[1]) if row else None


# The assessment with its organisation, version and questionnaire (as
# Assessment.objects.with_context() loads them) and the membership that lets the user in, in
# one join; written in plain SQL because composing it with the ORM cost more CPU than running
# it, on every autosave. The version's large JSON fields stay deferred, as with_context does.
VERSION_DEFERRED = frozenset({"rules", "red_line_policy", "removed"})


@functools.cache
def _assessment_sql() -> str:
    from assessments.models import Assessment, Questionnaire, QuestionnaireVersion

    fk = rows.column
    return (
        f"SELECT m.id, m.role, {rows.columns(Assessment, 'a')}, "
        f"{rows.columns(Organisation, 'o')}, "
        f"{rows.columns(QuestionnaireVersion, 'v', VERSION_DEFERRED)}, "
        f"{rows.columns(Questionnaire, 'q')} "
        f"FROM {rows.table(Assessment)} a "
        f"JOIN {rows.table(Membership)} m ON m.{fk(Membership, 'organisation')} = "
        f"a.{fk(Assessment, 'organisation')} "
        f"JOIN {rows.table(Organisation)} o ON o.id = a.{fk(Assessment, 'organisation')} "
        f"JOIN {rows.table(QuestionnaireVersion)} v ON v.id = a.{fk(Assessment, 'version')} "
        f"JOIN {rows.table(Questionnaire)} q "
        f"ON q.id = v.{fk(QuestionnaireVersion, 'questionnaire')} "
        f"WHERE a.id = %s AND m.{fk(Membership, 'user')} = %s"
    )


def get_assessment_for_user(user, pk, *, write: bool = False):
    """An assessment of one of the user's organisations: 404 otherwise, 403 for a viewer's write."""
    from assessments.models import Assessment, Questionnaire, QuestionnaireVersion

    row, pk = None, _signed_in_pk(user, pk)
    if pk is not None:
        with connection.cursor() as cursor:
            cursor.execute(_assessment_sql(), [pk, user.pk])
            row = cursor.fetchone()
    if row is None:
        raise Http404("No such assessment.")
    membership_id, role = row[0], row[1]
    assessment, at = rows.take(Assessment, row, 2)
    organisation, at = rows.take(Organisation, row, at)
    version, at = rows.take(QuestionnaireVersion, row, at, VERSION_DEFERRED)
    questionnaire, _at = rows.take(Questionnaire, row, at)
    rows.attach(version, "questionnaire", questionnaire)
    rows.attach(assessment, "version", version)
    rows.attach(assessment, "organisation", organisation)
    membership = Membership(id=membership_id, user=user, organisation=organisation, role=role)
    if write and not membership.can_write:
        raise PermissionDenied("Viewers cannot change this assessment.")
    assessment.current_membership = membership
    page_cache.remember_organisation(assessment)
    return assessment


def submissions_for_regulator(user):
    """Submissions of organisations inside the regulator's jurisdiction (never drafts)."""
    from assessments.models import Submission

    profile = regulator_profile(user)
    if profile is None:
        return Submission.objects.none()
    return Submission.objects.filter(jurisdiction_q(profile, prefix="assessment__organisation__"))


SUBMISSION_RELATED = (
    "assessment__organisation",
    "assessment__version__questionnaire",
    "submitted_by",
)


def get_submission_for_user(
    user, pk, *, defer: tuple[str, ...] = (), annotate=None, related=SUBMISSION_RELATED
):
    """A submission the user may read: a member of its organisation, or a regulator whose
    jurisdiction covers it. Anything else is a 404. `defer` leaves large fields the caller
    may not need in the database (read on first access); `annotate`: expressions read in the
    same query; `related`: the relations read with it."""
    from assessments.models import Submission

    base = Submission.objects.select_related(*related).defer(*defer)
    if annotate:
        base = base.annotate(**annotate)
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such submission.")
    submission = base.filter(
        pk=pk, assessment__organisation__in=organisations_for_user(user)
    ).first()
    if submission is None:
        submission = (
            submissions_for_regulator(user)
            .select_related(*related)
            .defer(*defer)
            .annotate(**(annotate or {}))
            .filter(pk=pk)
            .first()
        )
    if submission is None:
        raise Http404("No such submission.")
    return submission


def get_evidence_for_user(user, pk):
    """An evidence file: for members of its organisation (any role), and for regulators whose
    jurisdiction covers a submission of its assessment. Anyone else gets a 404."""
    from assessments.models import Evidence

    evidence = Evidence.objects.select_related("answer__assessment").filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such file.")
    assessment = evidence.answer.assessment
    member = organisations_for_user(user).filter(pk=assessment.organisation_id).exists()
    if not member and not submissions_for_regulator(user).filter(assessment=assessment).exists():
        raise Http404("No such file.")
    return evidence


# --------------------------------------------------------------------------- regulators


def profile_covers(profile: RegulatorProfile, organisation: Organisation) -> bool:
    """Whether a regulator's jurisdiction (provinces; sectors when given) covers `organisation`."""
    in_province = organisation.province in (profile.provinces or [])
    return in_province and (not profile.sectors or organisation.sector in profile.sectors)


def regulators_for_organisation(organisation: Organisation) -> list:
    """Active regulators whose jurisdiction covers the organisation (one query; the number of
    regulator profiles is small, and JSON membership is not portable across databases)."""
    profiles = RegulatorProfile.objects.select_related("user").filter(user__is_active=True)
    return [p.user for p in profiles if profile_covers(p, organisation)]


def assessments_for_regulator(user):
    """Assessments with at least one frozen submission, of organisations in the regulator's
    jurisdiction. Drafts never submitted are not here; a reopened one shows only its snapshots."""
    from assessments.models import Assessment

    profile = regulator_profile(user)
    if profile is None:
        return Assessment.objects.none()
    return Assessment.objects.filter(
        jurisdiction_q(profile, prefix="organisation__"), submissions__isnull=False
    ).distinct()


def get_assessment_for_regulator(user, pk):
    """An assessment a regulator may review: 404 for anyone else (members included: the review
    workspace is the regulator's; members see the decision on their own pages)."""
    from assessments.models import Assessment

    profile = regulator_profile(user)
    if profile is None:
        raise Http404("No such submission.")
    assessment = (
        Assessment.objects.with_context()
        .filter(jurisdiction_q(profile, prefix="organisation__"), pk=pk)
        .filter(submissions__isnull=False)
        .first()
    )
    if assessment is None:
        raise Http404("No such submission.")
    return assessment
