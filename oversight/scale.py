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
from portal.models import Organisation, RegulatorProfile, User
from portal.regions import Province, Sector, Size
from supervision.models import Claim, Decision

BATCH = 2000
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
    for first in range(0, orgs, 500):
        with transaction.atomic():
            chunk = range(first, min(orgs, first + 500))
            made = seed_chunk(
                chunk, per_org, extra, rng, profiles, template, prefix, mail, provinces, sectors,
                sizes, start, now, regulator,
            )  # fmt: skip
        for key, value in made.items():
            counts[key] += value
        if out:
            out(f"  {counts['organisations']} organisations, {counts['submissions']} submissions")
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


def seed_chunk(chunk, per_org, extra, rng, profiles, template, prefix, mail, provinces, sectors,
               sizes, start, now, regulator) -> dict:  # fmt: skip
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
    subs, chosen = [], []
    for assessment, (_organisation, user, base, drift, days, _status) in zip(
        assessments, plans, strict=True
    ):
        for number, day in enumerate(days, start=1):
            p = min(PROFILES - 1, max(0, base + drift * (number - 1) // 2))
            profile = profiles[p]
            subs.append(
                Submission(
                    assessment=assessment,
                    number=number,
                    version=template.version,
                    grade=template.grade,
                    scoping=template.scoping,
                    answers=profile.answers,
                    editions=template.editions,
                    attestation={},
                    submitted_by=user,
                    submitted_at=start + dt.timedelta(days=day),
                )
            )
            chosen.append(profile)
    Submission.objects.bulk_create(subs, batch_size=500)
    results = [
        ScoreResult(
            submission=s,
            overall_tier=p.tier,
            index=p.index,
            grade=p.grade,
            ruleset_version="seed",
            result=p.result,
            computed_at=s.submitted_at,
        )
        for s, p in zip(subs, chosen, strict=True)
    ]
    ScoreResult.objects.bulk_create(results, batch_size=500)
    findings = [
        Finding(result=r, question_code=c, module=m, level=lv, gap=g, red_line=red)
        for r, p in zip(results, chosen, strict=True)
        for c, m, lv, g, red in p.findings
    ]
    Finding.objects.bulk_create(findings, batch_size=5000)
    decisions, claims = [], []
    by_assessment: dict[int, list[Submission]] = {}
    for s in subs:
        by_assessment.setdefault(s.assessment_id, []).append(s)
    for assessment, plan in zip(assessments, plans, strict=True):
        status = plan[5]
        own = by_assessment[assessment.pk]
        for s in own[:-1]:  # every earlier snapshot was sent back for changes
            decisions.append(decision(assessment, s, "request_changes", regulator, 3))
        last = own[-1]
        if status in ("accepted", "closed", "changes_requested"):
            action = {"accepted": "accept", "closed": "close"}.get(status, "request_changes")
            decisions.append(decision(assessment, last, action, regulator, 5))
        if status == "under_review":
            claims.append(Claim(assessment=assessment, reviewer=regulator, claimed_at=now))
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    Claim.objects.bulk_create(claims, batch_size=BATCH)
    return {
        "organisations": len(organisations),
        "submissions": len(subs),
        "decisions": len(decisions),
        "findings": len(findings),
    }


def pick_status(rng) -> str:
    roll, total = rng.random(), 0.0
    for status, share in LATEST_STATUS:
        total += share
        if roll < total:
            return status
    return "scored"


def decision(assessment, submission, action, regulator, days) -> Decision:
    to = {"accept": "accepted", "close": "closed", "request_changes": "changes_requested"}
    return Decision(
        assessment=assessment,
        submission=submission,
        action=action,
        from_status="under_review",
        to_status=to[action],
        actor=regulator,
        note="",
        at=submission.submitted_at + dt.timedelta(days=days),
    )


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
    return counts
