"""The month-end rush that bench/load.py drives with locust: village cadres write, attach
a photo to and submit their monthly reports; town officers read what came in and open the
Excel page; leaders open the cockpit and the cards; an API client lists projects.

Run by bench/load.py (which prepares the platform and the accounts); not on its own."""

import itertools
import json
import os
import random
import re
from datetime import date
from pathlib import Path

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from urllib3 import encode_multipart_formdata

PEOPLE = json.loads(Path(os.environ["CUNQI_LOAD_PEOPLE"]).read_text())
PAUSES = [float(seconds) for seconds in os.environ["CUNQI_LOAD_PAUSES"].split(",")]
LEDGER = Path(os.environ["CUNQI_LOAD_LEDGER"])
VILLAGES = iter(PEOPLE["villages"])
TOWNS = itertools.cycle(PEOPLE["towns"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPORT = re.compile(r"/supervision/monthlyreport/(\d+)/$")
# A real (1×1) PNG: uploads are checked by their magic bytes.
PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
# What the server confirmed, compared with the database afterwards (nothing lost).
confirmed = {"submitted": [], "attachments": 0}


@events.quitting.add_listener
def _write_ledger(environment, **_kwargs) -> None:
    LEDGER.write_text(json.dumps(confirmed))


def month_back(start: date, months: int) -> str:
    index = start.year * 12 + start.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class Person(FastHttpUser):
    abstract = True
    wait_time = between(*PAUSES)  # reading a page, or typing into a form

    def sign_in(self, username: str) -> None:
        login = "/accounts/login/"
        self.post_form(
            login, login, {"username": username, "password": PEOPLE["password"]}, "sign in"
        )

    def post_form(self, form_url: str, url: str, data: dict, name: str, files=None):
        """Open the form, fill it in, then send it as the browser does (CSRF included)."""
        form = self.client.get(form_url, name=f"{name} (form)")
        self.wait()
        fields = {**data, "csrfmiddlewaretoken": CSRF.search(form.text)[1]}
        body, content_type = encode_multipart_formdata({**fields, **(files or {})})
        with self.client.post(
            url,
            data=body,
            headers={"Content-Type": content_type},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{answer.status_code}: not saved")
            return answer


class VillageCadre(Person):
    """One per village: each writes its pairing's reports, one month after another."""

    fixed_count = len(PEOPLE["villages"])

    def on_start(self) -> None:
        village = next(VILLAGES)
        self.pairing, self.months = village["pairing"], itertools.count()
        self.sign_in(village["username"])

    @task
    def report_the_month(self) -> None:
        """Seven pages, with a person's pause (``wait``) after each as everywhere else."""
        self.client.get("/supervision/monthlyreport/", name="monthly reports")
        self.wait()
        data = {
            "pairing": self.pairing,
            "month": month_back(date.today(), next(self.months)),
            # A pairing's report: investment is reported by project (docs/figures.md).
            "investment_completed": "0",
            "milestones": "大棚主体完工，滴灌安装中",
            "output_value": f"{random.randint(0, 800_000)}.00",
            "sales": f"{random.randint(0, 600_000)}.00",
            "problems": "",
        }
        add = "/supervision/monthlyreport/add/"
        created = self.post_form(add, add, data, "monthly report: save")
        self.wait()
        if not (found := REPORT.search(created.headers.get("Location") or "")):
            return
        report = found[1]
        attach = "/supervision/reportattachment/add/"
        attached = self.post_form(
            f"{attach}?report={report}",
            attach,
            {"report": report, "caption": "现场照片"},
            "monthly report: attach photo",
            files={"file": ("site.png", PHOTO, "image/png")},
        )
        if attached.status_code == 302:
            confirmed["attachments"] += 1
        self.wait()
        detail = f"/supervision/monthlyreport/{report}/"
        submitted = self.post_form(detail, f"{detail}submit/", {}, "monthly report: submit")
        if submitted.status_code == 302:
            confirmed["submitted"].append(int(report))


class TownOfficer(Person):
    weight = 5

    def on_start(self) -> None:
        self.sign_in(next(TOWNS))

    @task(3)
    def what_came_in(self) -> None:
        self.client.get("/supervision/monthlyreport/?status=submitted", name="reports submitted")

    @task(2)
    def projects(self) -> None:
        self.client.get("/projects/project/", name="projects")

    @task(1)
    def excel_page(self) -> None:
        self.client.get("/exchange/", name="excel page")


class Leader(Person):
    weight = 4

    def on_start(self) -> None:
        self.sign_in(PEOPLE["leader"])

    @task(3)
    def cockpit(self) -> None:
        self.client.get("/", name="cockpit")

    @task(1)
    def cards(self) -> None:
        self.client.get("/supervision/card/", name="cards")


class ApiClient(FastHttpUser):
    weight = 2
    wait_time = between(1, 3)

    @task
    def list_projects(self) -> None:
        self.client.get(
            f"/api/v1/projects/project/?limit=50&offset={random.randrange(0, 80, 10)}",
            headers={"Authorization": f"Bearer {PEOPLE['api_key']}"},
            name="API: projects",
        )
