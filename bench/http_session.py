"""Sign in the benchmark's member and regulator and name the pages to measure (bench/http.sh).

Usage: http_session.py <portal URL> <accounts JSON from loadtest/seed.py> <output file>

Reads the ids from the seed's accounts (the first organisation: its draft, its submitted
assessment and that submission) and the current revision of every applicable level question of
the draft, for the autosave POST; signs in the organisation's first member and the first
regulator over HTTP; writes shell assignments (BENCH_*) for http.sh to source. The portal's
cookies are Secure, so they are kept here by hand rather than by a cookie jar that would not
send them back over plain HTTP on loopback.
"""

import http.client
import json
import os
import re
import shlex
import sys
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from assessments import selectors  # noqa: E402
from assessments.models import Assessment, Question  # noqa: E402

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def fetch(base: str, method: str, path: str, cookies: dict, form: dict | None = None):
    """One request with the cookies given; the cookies it sets are added to them."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            cookies[name] = morsel.value
    connection.close()
    return response.status, text


def sign_in(base: str, email: str, password: str) -> dict:
    cookies: dict = {}
    status, page = fetch(base, "GET", "/accounts/login/", cookies)
    token = CSRF_INPUT.search(page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": email, "password": password}
    status, _page = fetch(base, "POST", "/accounts/login/", cookies, form)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"bench-http: signing in {email} answered {status}")
    return cookies


def autosave_questions(draft: Assessment) -> list[str]:
    """CODE:REVISION of every applicable level question of the draft, in questionnaire order."""
    revisions = dict(draft.answers.values_list("question__code", "revision"))
    found = []
    for section in draft.version.sections.all():
        for question in selectors.section_questions(draft, section):
            if question.answer_type == Question.AnswerType.LEVEL:
                found.append(f"{question.code}:{revisions.get(question.code, 0)}")
    return found


def main(base: str, accounts: Path, out: Path) -> None:
    data = json.loads(accounts.read_text(encoding="utf-8"))
    organisation = data["organisations"][0]
    draft = Assessment.objects.get(pk=organisation["draft"])
    member = sign_in(base, organisation["members"][0], data["password"])
    regulator = sign_in(base, data["regulators"][0], data["password"])
    values = {
        "BENCH_DRAFT": organisation["draft"],
        "BENCH_SECTION": organisation["section"],
        "BENCH_SUBMISSION": organisation["submission"],
        "BENCH_REVIEW": organisation["submitted"],
        "BENCH_QUESTIONS": " ".join(autosave_questions(draft)),
        "BENCH_MEMBER_COOKIE": "; ".join(f"{k}={v}" for k, v in member.items()),
        "BENCH_MEMBER_CSRF": member["csrftoken"],
        "BENCH_REGULATOR_COOKIE": "; ".join(f"{k}={v}" for k, v in regulator.items()),
    }
    out.write_text("".join(f"{k}={shlex.quote(str(v))}\n" for k, v in values.items()))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
