"""Synthetic data at national scale for measurements (seed_scale), and its removal.

Every row is labelled: organisations by their credit code ("ZZ" + the label + a counter),
users by their e-mail address (seed-<label>-…@seed.invalid), so `remove(label)` deletes
exactly what `seed(label, …)` made. Answers are the real questionnaire's applicable
questions (copied from a template submission) at varied levels; each answer profile is
scored once by the real scoring engine, and its result and findings are cloned, so every
stored result is what the engine computes for those answers.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from assessments import scoring_inputs
from assessments.models import Assessment, Finding, ScoreResult, Submission
from oversight import tallies
from oversight.bulk import RowWriter
from portal.models import Organisation, RegulatorProfile, User
from portal.regions import Province, Sector, Size
from supervision.models import Claim, Decision

BATCH = 2000
ORGS_PER_TRANSACTION = 1000
PROFILES = 16
EMAIL_DOMAIN = "seed.invalid"
# The share of assessments by the status of their latest submission (the rest: scored).
LATEST_STATUS = (
    ("accepted", 0.35),
    ("under_review", 0.15),
    ("changes_requested", 0.10),
    ("closed", 0.05),
    ("resubmitted", 0.05),
)


def label_prefix(label: str) -> str:
    code = "".join(ch for ch in label.upper() if ch.isalnum())[:4].ljust(4, "X")
    return "ZZ" + code


def email_prefix(label: str) -> str:
    return f"seed-{label.lower()}-"


@dataclass
class Profile:
    answers: dict
    tier: str
    index: object
    grade: str
    result: dict
    findings: list  # (code, module, level, gap, red_line)


def template_submission() -> Submission:
    """A scored submission of a published questionnaire (seed_demo makes one)."""
    template = (
        Submission.objects.filter(result__isnull=False, version__status="published")
        .order_by("-pk")
        .first()
    )
    if template is None:
        raise LookupError(
            "No scored submission of a published questionnaire to copy: run "
            "`manage.py load_questionnaire` and `manage.py seed_demo` first."
        )
    return template


def make_profiles(template: Submission, rng: random.Random) -> list[Profile]:
    """Answer profiles from excellent to poor, each scored by the real engine."""
    questions = scoring_inputs.version_questions(template.version)
    scored_codes = {q.code for q in questions}
    profiles = []
    for n in range(PROFILES):
        quality = 0.6 * n / (PROFILES - 1)  # 0: best, 0.6: poor (most answers fall short)
        answers = {}
        for code, frozen in template.answers.items():
            if code not in scored_codes or not isinstance(frozen, dict) or "level" not in frozen:
                answers[code] = frozen
                continue
            roll = rng.random()
            level = 3 if roll > quality else rng.choice((0, 1, 2) if quality > 0.4 else (1, 2))
            answers[code] = {**frozen, "level": level}
        probe = Submission(
            answers=answers,
            scoping=template.scoping,
            grade=template.grade,
            submitted_at=template.submitted_at,
        )
        result = scoring_inputs.inputs_for_submission(probe, questions).score()
        findings = [
            (q.code, q.module, q.level, round(q.gap, 3), q.red_line)
            for q in result.questions
            if q.level is not None and q.gap > 0
        ]
        profiles.append(
            Profile(
                answers,
                result.overall_tier,
                None if result.index is None else round(result.index, 1),
                result.grade,
                result.to_dict(),
                findings,
            )
        )
    return profiles


def seed(*, label: str, orgs: int, submissions: int, seed_value: int = 13, out=None) -> dict:
    """Create `orgs` organisations and about `submissions` submissions over two years."""
    rng = random.Random(seed_value)
    template = template_submission()
    profiles = make_profiles(template, rng)
    prefix, mail = label_prefix(label), email_prefix(label)
    if Organisation.objects.filter(uscc__startswith=prefix).exists():
        raise ValueError(f"Rows labelled {label!r} exist already: remove them first (--remove).")
    provinces, sectors, sizes = Province.values, Sector.values, Size.values
    now = timezone.now()
    start = now - dt.timedelta(days=730)
    per_org = max(1, submissions // max(1, orgs))
    extra = submissions - per_org * orgs
    counts = {"organisations": 0, "submissions": 0, "decisions": 0, "findings": 0}
    regulator = ensure_regulator(label, mail)
    writer = RowWriter()
    for first in range(0, orgs, ORGS_PER_TRANSACTION):
        with transaction.atomic():
            fast_writes(writer)
            chunk = range(first, min(orgs, first + ORGS_PER_TRANSACTION))
            made = seed_chunk(
                chunk, per_org, extra, rng, profiles, template, prefix, mail, provinces, sectors,
                sizes, start, now, regulator, writer,
            )  # fmt: skip
        for key, value in made.items():
            counts[key] += value
        if out:
            out(f"  {counts['organisations']} organisations, {counts['submissions']} submissions")
    counts["tally cells"] = tallies.refresh()  # the dashboard's findings figures
    return counts


def ensure_regulator(label: str, mail: str) -> User:
    """A national regulator of the label (every province), for the measurements."""
    user, _ = User.objects.get_or_create(
        email=f"{mail}regulator@{EMAIL_DOMAIN}", defaults={"full_name": f"合成监管员 {label}"}
    )
    user.set_unusable_password()
    user.save()
    RegulatorProfile.objects.update_or_create(
        user=user, defaults={"authority": "合成数据监管机构", "provinces": list(Province.values)}
    )
    return user


def fast_writes(writer: RowWriter) -> None:
    """For this transaction only (PostgreSQL): synthetic rows can be made again, so the
    commit need not wait for the disk, and large documents are compressed with lz4 (several
    times faster than the default pglz) where the server has it."""
    if not writer.postgres:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('synchronous_commit', 'off', true)")
        cursor.execute(
            "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings "
            "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )


def seed_chunk(chunk, per_org, extra, rng, profiles, template, prefix, mail, provinces, sectors,
               sizes, start, now, regulator, writer) -> dict:  # fmt: skip
    organisations = [
        Organisation(
            name=f"合成机构{prefix[2:]}-{n:06d}",
            uscc=f"{prefix}{n:012d}",
            province=rng.choice(provinces),
            sector=rng.choice(sectors),
            size=rng.choice(sizes),
        )
        for n in chunk
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    users = [
        User(email=f"{mail}{n}@{EMAIL_DOMAIN}", full_name=f"填报人{n}", password="!") for n in chunk
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    assessments, plans = [], []
    for organisation, user, n in zip(organisations, users, chunk, strict=True):
        k = per_org + (1 if n < extra else 0)
        # A drift per organisation: some improve, some worsen over their submissions.
        base = rng.randrange(PROFILES)
        drift = rng.choice((-2, -1, 0, 0, 1, 2))
        days = sorted(rng.uniform(0, 729) for _ in range(k))
        status = pick_status(rng)
        plans.append((organisation, user, base, drift, days, status))
        assessments.append(
            Assessment(
                organisation=organisation,
                version=template.version,
                status=status,
                grade=template.grade,
                modules=(template.scoping or {}).get("modules", []),
                scoping={},
                created_by=user,
            )
        )
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    # Submissions, results, findings, decisions and claims: written with COPY on PostgreSQL
    # (oversight.bulk), with ids reserved first so the rows can point at each other.
    planned = []  # (assessment, user, number, submitted_at, profile index)
    for assessment, (_organisation, user, base, drift, days, _status) in zip(
        assessments, plans, strict=True
    ):
        for number, day in enumerate(days, start=1):
            p = min(PROFILES - 1, max(0, base + drift * (number - 1) // 2))
            planned.append((assessment, user, number, start + dt.timedelta(days=day), p))
    sub_ids = writer.reserve_ids(Submission, len(planned))
    result_ids = writer.reserve_ids(ScoreResult, len(planned))
    version_id, grade = template.version_id, template.grade
    writer.write(
        Submission,
        SUBMISSION_COLUMNS,
        (
            (sid, a.pk, number, version_id, grade, template.scoping, profiles[p].answers,
             template.editions, {}, user.pk, at, None)
            for sid, (a, user, number, at, p) in zip(sub_ids, planned, strict=True)
        ),
    )  # fmt: skip
    writer.write(
        ScoreResult,
        RESULT_COLUMNS,
        (
            (rid, sid, profiles[p].tier, profiles[p].index, profiles[p].grade, "seed",
             profiles[p].result, at)
            for rid, sid, (_a, _u, _n, at, p) in zip(result_ids, sub_ids, planned, strict=True)
        ),
    )  # fmt: skip
    findings = write_findings(writer, profiles, result_ids, [plan[4] for plan in planned])
    decisions, claims = [], []
    by_assessment: dict[int, list[tuple[int, dt.datetime]]] = {}
    for sid, (a, _u, _n, at, _p) in zip(sub_ids, planned, strict=True):
        by_assessment.setdefault(a.pk, []).append((sid, at))
    for assessment, plan in zip(assessments, plans, strict=True):
        status = plan[5]
        own = by_assessment[assessment.pk]
        for sid, at in own[:-1]:  # every earlier snapshot was sent back for changes
            decisions.append(decision(assessment.pk, sid, at, "request_changes", regulator, 3))
        last, last_at = own[-1]
        if status in ("accepted", "closed", "changes_requested"):
            action = {"accepted": "accept", "closed": "close"}.get(status, "request_changes")
            decisions.append(decision(assessment.pk, last, last_at, action, regulator, 5))
        if status == "under_review":
            claims.append((assessment.pk, regulator.pk, now))
    writer.write(Decision, DECISION_COLUMNS, decisions)
    writer.write(Claim, ("assessment_id", "reviewer_id", "claimed_at"), claims)
    return {
        "organisations": len(organisations),
        "submissions": len(planned),
        "decisions": len(decisions),
        "findings": findings,
    }


SUBMISSION_COLUMNS = (
    "id", "assessment_id", "number", "version_id", "grade", "scoping", "answers", "editions",
    "attestation", "submitted_by_id", "submitted_at", "scoring_enqueued_at",
)  # fmt: skip
RESULT_COLUMNS = (
    "id", "submission_id", "overall_tier", "index", "grade", "ruleset_version", "result",
    "computed_at",
)  # fmt: skip
FINDING_COLUMNS = ("result_id", "question_code", "module", "level", "gap", "red_line")
DECISION_COLUMNS = (
    "assessment_id", "submission_id", "action", "from_status", "to_status", "actor_id", "note",
    "at",
)  # fmt: skip


def write_findings(writer: RowWriter, profiles, result_ids, chosen) -> int:
    """The findings of each result: its profile's, with the result's id (one COPY line
    each, the rest of the line made once per profile)."""
    if not writer.postgres:
        return writer.write(
            Finding,
            FINDING_COLUMNS,
            (
                (rid, *finding)
                for rid, p in zip(result_ids, chosen, strict=True)
                for finding in profiles[p].findings
            ),
        )
    tails = [
        ["\t" + "\t".join(writer.cell(v) for v in finding) + "\n" for finding in profile.findings]
        for profile in profiles
    ]
    return writer.copy_lines(
        Finding,
        FINDING_COLUMNS,
        (f"{rid}{tail}" for rid, p in zip(result_ids, chosen, strict=True) for tail in tails[p]),
    )


def pick_status(rng) -> str:
    roll, total = rng.random(), 0.0
    for status, share in LATEST_STATUS:
        total += share
        if roll < total:
            return status
    return "scored"


def decision(assessment_id, submission_id, at, action, regulator, days) -> tuple:
    """A decision row (DECISION_COLUMNS) `days` after the submission."""
    to = {"accept": "accepted", "close": "closed", "request_changes": "changes_requested"}
    return (
        assessment_id, submission_id, action, "under_review", to[action], regulator.pk, "",
        at + dt.timedelta(days=days),
    )  # fmt: skip


def remove(label: str) -> dict:
    """Delete every row `seed` made with this label (and the warnings about them)."""
    from oversight.models import RiskWarning

    prefix, mail = label_prefix(label), email_prefix(label)
    orgs = Organisation.objects.filter(uscc__startswith=prefix)
    assessments = Assessment.objects.filter(organisation__in=orgs)
    counts = {}
    with transaction.atomic():
        counts["warnings"] = RiskWarning.objects.filter(organisation__in=orgs)._raw_delete(
            connection.alias
        )
        for model, lookup in (
            (Decision, "assessment__in"),
            (Claim, "assessment__in"),
            (Finding, "result__submission__assessment__in"),
            (ScoreResult, "submission__assessment__in"),
        ):
            rows = model.objects.filter(**{lookup: assessments})
            counts[model._meta.model_name] = rows._raw_delete(connection.alias)
        from supervision.models import CommentReply, ReviewComment, TierOverride

        CommentReply.objects.filter(comment__assessment__in=assessments).delete()
        ReviewComment.objects.filter(assessment__in=assessments).delete()
        TierOverride.objects.filter(submission__assessment__in=assessments).delete()
        counts["submission"] = Submission.objects.filter(assessment__in=assessments)._raw_delete(
            connection.alias
        )
        # Audit events are append-only (reads of seeded pages by bench_pages stay recorded);
        # they point at organisations without a constraint, so the rows below can go.
        counts["assessment"] = assessments.delete()[0]
        counts["organisation"] = orgs.delete()[0]
        users = User.objects.filter(email__startswith=mail, email__endswith=f"@{EMAIL_DOMAIN}")
        RegulatorProfile.objects.filter(user__in=users).delete()
        counts["user"] = users.delete()[0]
    tallies.refresh()
    return counts
