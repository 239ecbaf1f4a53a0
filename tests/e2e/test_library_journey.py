"""The project library in a real browser: a village cadre applies with the meeting's
minutes, the town and the county's joint review pass it into the library, the task force
plans it and the town starts the project, which the library-only fund source may pay."""

import re
from datetime import date, timedelta

from tests.e2e.test_journeys import choose, save

MINUTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def step(page, action: str, **fields: str) -> None:
    form = page.locator(f"form[action$='/{action}/']")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_an_application_goes_from_the_village_into_the_library_and_becomes_a_project(
    platform, people, tmp_path
):
    minutes = tmp_path / "村两委会议记录.pdf"
    minutes.write_bytes(MINUTES)
    met = date.today() - timedelta(days=3)
    cadre = people.page("shijiaota")
    cadre.goto("/projects/projectapplication/add/")
    choose(cadre, "pairing", "石角塔村")
    cadre.fill("input[name=year]", str(date.today().year))
    cadre.fill("input[name=name]", "浏览器申报冷库")
    cadre.fill("textarea[name=content]", "新建冷库 1 座")
    cadre.fill("input[name=location]", "石角塔村")
    cadre.select_option("select[name=industry]", index=1)
    cadre.select_option("select[name=cooperation_models]", index=0)
    cadre.fill("input[name=investment_estimate]", "500000.00")
    cadre.fill("input[name=from_enterprise]", "500000.00")
    cadre.fill("textarea[name=linkage]", "吸纳脱贫户务工")
    cadre.fill("input[name=households_linked]", "20")
    cadre.fill("input[name=poor_households_linked]", "6")
    cadre.fill("textarea[name=performance_targets]", "受益脱贫户 6 户")
    cadre.fill("input[name=meeting_on]", met.isoformat())
    cadre.fill("input[name=board_posted_on]", (met + timedelta(days=1)).isoformat())
    cadre.set_input_files("input[name=file]", str(minutes))
    save(cadre)
    assert re.search(r"/projects/projectapplication/\d+/$", cadre.url), cadre.content()[-2000:]
    detail = cadre.url.removeprefix(platform.url)
    step(cadre, "submit")
    assert "已上报乡镇" in cadre.inner_text("body")
    people.close(cadre)

    town = people.page("daliuta")
    town.goto(detail)
    step(town, "town_review", opinion="材料真实，同意上报")
    assert "已报县级联审" in town.inner_text("body")

    county = people.page("agriculture")
    county.goto(detail)
    step(county, "county_review", opinion="同意入库")
    code = re.search(r"XMK-\d{4}-\d{5}", county.inner_text("body"))[0]
    people.close(county)

    taskforce = people.page("taskforce")
    taskforce.goto(detail)
    step(taskforce, "plan", year=str(date.today().year))
    assert "已列入" in taskforce.inner_text("body")

    town.goto(detail)
    step(town, "start_project", code="E2E-XMK-001")
    assert "E2E-XMK-001" in town.inner_text("body")
    town.locator("a[href*='/projects/project/']", has_text="浏览器申报冷库").first.click()
    town.wait_for_load_state()
    assert re.search(r"/projects/project/\d+/$", town.url)
    assert f"入库项目 {code}" in town.inner_text("body")
    people.shot(town, "library-application-becomes-a-project")
    people.close(town)

    taskforce.goto(detail)
    timeline = taskforce.inner_text("body")
    for said in ("已报乡镇", "乡镇审核通过", "县级联审通过", "列入年度计划", "已立项实施"):
        assert said in timeline, said
    people.shot(taskforce, "library-application-timeline")
