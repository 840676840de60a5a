"""Locust journeys for `make loadtest` (loadtest/run.sh): organisation members and regulators.

Each simulated person signs in once when it starts (password hashing is deliberately slow, and a
person signs in once a day, not once a page), then repeats its journey with a pause between
pages. The figures are those of the journeys: the statistics are reset once everyone has signed
in, and the run stops LOADTEST_MEASURE_SECONDS (60) later; locust's --run-time is only a cap.
The accounts and object ids come from the JSON file that loadtest/seed.py wrote (LOADTEST_DATA).
"""

import http.cookiejar
import itertools
import json
import os
import re
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["LOADTEST_DATA"], encoding="utf-8").read())
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ORG_PEOPLE = itertools.count()  # gives each member its own organisation and question
REGULATOR_PEOPLE = itertools.count()
MEASURE_SECONDS = float(os.environ.get("LOADTEST_MEASURE_SECONDS", "60"))
SIGNED_IN: list[float] = []
STARTED = time.monotonic()


def everyone_signed_in(environment):
    """Reset the statistics when the last person has signed in; stop the run a minute later."""
    SIGNED_IN.append(time.monotonic())
    if len(SIGNED_IN) != environment.parsed_options.num_users:
        return
    environment.runner.stats.reset_all()
    gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)
    note = os.environ.get("LOADTEST_NOTE")
    if note:
        seconds = SIGNED_IN[-1] - STARTED
        Path(note).write_text(f"{len(SIGNED_IN)} people signed in within {seconds:.1f} s\n")


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send the portal's Secure cookies over plain HTTP: the load test talks to gunicorn on
    loopback, where a TLS proxy would otherwise stand (the browser sees HTTPS)."""

    def set_ok(self, cookie, request):
        cookie.secure = False  # stored as a plain cookie, so every request of the session sends it
        return super().set_ok(cookie, request)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies.set_policy(LoopbackCookiePolicy())
        page = self.client.get("/accounts/login/", name="sign in page")
        token = CSRF_INPUT.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.email,
                "password": DATA["password"],
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
                return
        everyone_signed_in(self.environment)

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class OrganisationMember(Person):
    weight = 4

    def on_start(self):
        n = next(ORG_PEOPLE)
        organisations = DATA["organisations"]
        self.org = organisations[n % len(organisations)]
        members = self.org["members"]
        self.email = members[(n // len(organisations)) % len(members)]
        questions = self.org["questions"]
        self.question = questions[(n // len(organisations)) % len(questions)]
        self.revision = None
        super().on_start()

    @task
    def journey(self):
        draft, section = self.org["draft"], self.org["section"]
        self.client.get("/assessments/", name="assessment list")
        self.client.get(f"/assessments/{draft}/", name="assessment overview")
        page = self.client.get(f"/assessments/{draft}/section/{section}/", name="section page")
        self.remember_revision(page.text)
        self.autosave(draft)
        self.client.get(f"/assessments/submissions/{self.org['submission']}/", name="result page")

    def remember_revision(self, html: str):
        found = re.search(rf'name="{re.escape(self.question)}-revision" value="(\d+)"', html)
        if found:
            self.revision = int(found.group(1))

    def autosave(self, draft: int):
        code = self.question
        level = (self.revision or 0) % 4
        with self.client.post(
            f"/assessments/{draft}/answer/{code}/",
            data={  # as the section page's form posts it, with the card's tidy mark
                f"{code}-revision": self.revision or 0,
                f"{code}-tidy": "1",
                f"{code}-answer": level,
                f"{code}-comment": "",
            },
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf()},
            name="autosave answer",
            catch_response=True,
        ) as response:
            # 409 is the protocol's answer to a concurrent save (the page shows the other one).
            if response.status_code in (200, 409):
                response.success()
                self.remember_revision(response.text)
            else:
                response.failure(f"autosave answered {response.status_code}")


class Regulator(Person):
    weight = 1

    def on_start(self):
        n = next(REGULATOR_PEOPLE)
        self.email = DATA["regulators"][n % len(DATA["regulators"])]
        self.reviews = itertools.cycle(
            DATA["reviews"][n % len(DATA["reviews"]) :] + DATA["reviews"]
        )
        super().on_start()

    @task
    def journey(self):
        self.client.get("/review/", name="review queue")
        self.client.get(f"/review/{next(self.reviews)}/", name="review page")
