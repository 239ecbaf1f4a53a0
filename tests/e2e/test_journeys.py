"""What real people do in a real browser, end to end: each journey runs against the
platform as deployed (see conftest) and leaves a screenshot of its end."""

import json
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import DESKTOP, PHONE
from tests.processes import rows

ACCOUNTS = ("taskforce", "leader", "agriculture", "daliuta", "shijiaota", "longhua", "advisor")

# What each account may see, worked out by the platform's own scoping in a process of its own.
SCOPE_ORACLE = """
import json
from cunqi.accounts.models import User
from cunqi.projects.models import Project
from cunqi.registry.models import Village
seen = {}
for user in User.objects.filter(username__in=%r):
    projects = Project.objects.visible_to(user)
    hidden = Project.objects.exclude(pk__in=projects.values("pk")).order_by("pk").first()
    seen[user.username] = {
        "villages": Village.objects.visible_to(user).count(),
        "projects": projects.count(),
        "hidden_project": hidden and hidden.pk,
    }
print(json.dumps(seen))
"""


def row_count(page) -> int:
    return int(
        re.search(r"\d+", page.locator(".card-header .text-secondary").first.inner_text())[0]
    )


def choose(page, field: str, text: str) -> None:
    """Pick ``text`` in a search-as-you-type select: type, wait for the match, select it."""
    page.fill(f"input[name=q-{field}]", text)
    option = page.locator(f"select[name={field}] option", has_text=text).first
    option.wait_for(state="attached")
    page.select_option(f"select[name={field}]", value=option.get_attribute("value"))


def save(page) -> None:
    page.locator("form button[type=submit]", has_text="保存").click()
    page.wait_for_load_state()


def test_each_role_sees_only_its_scope(platform, people):
    oracle = platform.command("shell", "-c", SCOPE_ORACLE % (ACCOUNTS,))
    expected = json.loads(oracle.strip().splitlines()[-1])
    assert expected["shijiaota"]["projects"] < expected["daliuta"]["projects"]
    for username in ACCOUNTS:
        page = people.page(username)
        page.goto("/registry/village/")
        assert row_count(page) == expected[username]["villages"], username
        page.goto("/projects/project/")
        assert row_count(page) == expected[username]["projects"], username
        if hidden := expected[username]["hidden_project"]:
            answer = page.goto(f"/projects/project/{hidden}/")
            assert answer.status == 404, username
        people.shot(page, f"scope-{username}")


def test_the_task_force_creates_a_pairing_and_a_project(platform, people):
    village, enterprise = rows(
        platform.database_url,
        "SELECT v.name, e.name FROM registry_village v, registry_enterprise e "
        "ORDER BY v.id DESC, e.id DESC LIMIT 1",
    )[0]
    page = people.page("taskforce")
    page.goto("/pairing/pairing/add/")
    choose(page, "village", village)
    choose(page, "enterprise", enterprise)
    page.fill("input[name=start_date]", "2026-12-01")
    page.select_option("select[name=status]", "proposed")
    save(page)
    assert re.search(r"/pairing/pairing/\d+/$", page.url), page.content()[-2000:]
    assert village in page.inner_text("body")

    page.goto("/projects/project/add/")
    page.fill("input[name=code]", "E2E-2026-001")
    page.fill("input[name=name]", "浏览器测试项目")
    choose(page, "villages", village)
    choose(page, "enterprises", enterprise)
    page.select_option("select[name=cooperation_models]", index=0)
    page.select_option("select[name=industry]", index=1)
    page.fill("input[name=planned_investment]", "1200000.50")
    save(page)
    assert re.search(r"/projects/project/\d+/$", page.url), page.content()[-2000:]
    assert "浏览器测试项目" in page.inner_text("body")
    people.shot(page, "taskforce-creates-project")


# The month whose reports come due next, and its reminders as the scheduler's daily job
# sends them the day before they are due (the journey cannot wait for 07:00).
REMIND = """
import json
from datetime import timedelta
from django.utils import timezone
from cunqi.supervision import notices, rules
from cunqi.supervision.models import RuleSetting
day = RuleSetting.report_due_day()
last = rules.last_due_month(timezone.localdate(), day)
month = (last + timedelta(days=32)).replace(day=1)
due = rules.report_due_on(month, day)
print(json.dumps([month.isoformat(), notices.notify_due(due - timedelta(days=1))]))
"""


def test_a_month_runs_end_to_end_without_cron(platform, people):
    """Reminded, a village reports from a phone, from its home page, and loses the network
    as it saves: the report is sent once the network returns; the town returns it, the village mends
    and resubmits it, the town accepts it and it becomes the month's investment; the cards
    are evaluated; a leader opens the quarter's review, filled in from the figures."""
    month, reminded = json.loads(platform.command("shell", "-c", REMIND).strip().splitlines()[-1])
    month = date.fromisoformat(month)
    assert reminded > 0
    village = people.page("shijiaota", viewport=PHONE)
    village.goto("/notifications/")
    assert village.locator("a", has_text=f"{month.year}年{month.month}月").count()
    # The home page leads to the month's report in one tap, the project and month filled in.
    village.goto("/")
    people.shot(village, "month-0-village-home-phone")
    village.locator("#reports-due a", has_text=f"{month.year}年{month.month}月").first.click()
    village.wait_for_load_state()
    assert "/supervision/monthlyreport/add/?project=" in village.url
    assert village.input_value("input[name=month]") == f"{month:%Y-%m}"
    for field, value in {
        "investment_completed": "350000.00",
        "output_value": "210000.00",
        "sales": "180000.00",
    }.items():
        village.fill(f"input[name={field}]", value)
    village.fill("textarea[name=milestones]", "大棚主体完工")
    # The network drops as the report is saved: it waits on the phone, then goes out once.
    village.context.set_offline(True)
    save(village)
    village.locator("#offline-status", has_text="等待发送").wait_for()
    village.context.set_offline(False)
    village.locator("#offline-status", has_text="已发送").wait_for()
    assert count_reports(platform, "大棚主体完工") == (1, 0)
    village.goto("/")
    village.locator("#reports-due a", has_text=f"{month.year}年{month.month}月").first.click()
    village.wait_for_load_state()
    assert re.search(r"/supervision/monthlyreport/\d+/$", village.url), village.url
    report_url = village.url
    village.locator("form button[type=submit]", has_text="报送").click()
    village.wait_for_load_state()
    assert "已报送" in village.inner_text("body")
    assert village.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    people.shot(village, "month-1-village-submits-phone")

    town = people.page("daliuta")
    town.goto(report_url)
    town.fill("textarea[name=comment]", "补充工资发放明细")
    town.locator("button[formaction$='/return/']").click()
    town.wait_for_load_state()
    assert "已退回" in town.inner_text("body")

    village.goto("/notifications/")
    assert "补充工资发放明细" in village.inner_text("body")
    village.goto(report_url + "edit/")
    village.fill("textarea[name=milestones]", "大棚主体完工，工资已按月发放")
    save(village)
    village.locator("form button[type=submit]", has_text="报送").click()
    village.wait_for_load_state()

    town.goto(report_url)
    town.locator("button[formaction$='/accept/']").click()
    town.wait_for_load_state()
    body = town.inner_text("body")
    assert "已通过" in body and "350,000.00" in body  # the month's investment, as recorded
    people.shot(town, "month-2-town-accepts")
    ((completed, reported),) = rows(
        platform.database_url,
        "SELECT sum(i.completed_amount), min(CASE WHEN i.reported THEN 1 ELSE 0 END) "
        "FROM projects_investment i JOIN supervision_monthlyreport r "
        "ON r.project_id = i.project_id AND r.month = i.month "
        f"WHERE r.id = {int(report_url.rstrip('/').rsplit('/', 1)[1])}",
    )
    assert (int(completed), int(reported)) == (35_000_000, 1)  # fen, from the report alone

    platform.command("evaluate_cards")
    board = people.page("taskforce")
    board.goto("/supervision/card/board/")
    text = board.inner_text("body")
    assert "红牌" in text and "黄牌" in text and "绿牌" in text
    people.shot(board, "month-3-card-board")

    leader = people.page("leader")
    leader.goto("/pairing/pairing/?q=石角塔村")
    leader.locator("#results a[href*='/pairing/pairing/']").first.click()
    leader.wait_for_load_state()
    leader.locator("a[href*='/supervision/quarterlyreview/add/?']").click()
    leader.wait_for_load_state()
    assert "应报月报" in leader.input_value("textarea[name=comments]")
    assert leader.input_value("input[name=progress_score]")
    leader.fill("input[name=benefit_score]", "25")
    leader.fill("input[name=reviewer]", "市级领导")
    save(leader)
    assert re.search(r"/supervision/quarterlyreview/\d+/$", leader.url), leader.content()[-2000:]
    people.shot(leader, "month-4-leader-reviews-the-quarter")


def test_a_town_officer_imports_households_fixes_an_error_and_imports_again(
    platform, people, tmp_path
):
    village = rows(
        platform.database_url,
        "SELECT v.code FROM registry_village v JOIN registry_town t ON t.id = v.town_id "
        "WHERE t.name = '大柳塔镇' ORDER BY v.code LIMIT 1",
    )[0][0]
    page = people.page("daliuta")
    page.goto("/exchange/")
    with page.expect_download() as download:
        page.click("a[href$='/exchange/template/households/']")
    download.value.save_as(tmp_path / "template.xlsx")
    workbook = load_workbook(tmp_path / "template.xlsx")
    sheet = workbook.worksheets[0]
    sheet.append([village, "", "E2E-001", "王浏览", 4])
    sheet.append([village, "", "E2E-002", "李测试", 0])  # a household of no one
    wrong_row = sheet.max_row
    wrong = tmp_path / "households.xlsx"
    workbook.save(wrong)

    page.select_option("select[name=kind]", "households")
    page.set_input_files("input[name=file]", wrong)
    page.locator("form button[type=submit]", has_text="检查文件").click()
    error = page.locator("table tbody tr")
    error.first.wait_for()
    assert error.count() == 1
    assert error.locator("td").first.inner_text().strip() == str(wrong_row)
    people.shot(page, "town-import-error")

    sheet.cell(row=wrong_row, column=5, value=3)
    workbook.save(tmp_path / "fixed.xlsx")
    page.goto("/exchange/")
    page.select_option("select[name=kind]", "households")
    page.set_input_files("input[name=file]", tmp_path / "fixed.xlsx")
    page.locator("form button[type=submit]", has_text="检查文件").click()
    page.locator("form button[type=submit]", has_text="导入").click()
    page.get_by_text("已导入").first.wait_for(timeout=60_000)
    assert rows(
        platform.database_url,
        "SELECT count(*) FROM registry_household WHERE number IN ('E2E-001', 'E2E-002')",
    ) == [(2,)]
    people.shot(page, "town-import-fixed")


def test_matching_is_run_and_a_recommendation_accepted(platform, people):
    page = people.page("taskforce")
    page.goto("/pairing/matchingrun/add/")
    page.uncheck("input[name=keep_existing]")
    save(page)
    accept = page.locator("form button[type=submit]", has_text="采纳").first
    accept.wait_for(timeout=60_000)  # the run works in the background; the page follows it
    people.shot(page, "matching-run")
    accept.click()
    page.wait_for_load_state()
    assert "已创建拟结对" in page.inner_text("body")
    people.shot(page, "matching-recommendation-accepted")


def test_a_distribution_prepared_by_one_person_is_approved_by_another(platform, people):
    project, year = rows(
        platform.database_url,
        "SELECT p.name, max(d.year) FROM projects_project p "
        "JOIN benefits_distribution d ON d.project_id = p.id "
        "GROUP BY p.name ORDER BY p.name LIMIT 1",
    )[0]
    maker = people.page("taskforce")
    maker.goto("/benefits/distribution/add/")
    choose(maker, "project", project)
    maker.fill("input[name=year]", str(year + 1))
    maker.fill("input[name=profit]", "100000.00")
    save(maker)
    assert re.search(r"/benefits/distribution/\d+/$", maker.url), maker.content()[-2000:]
    distribution = maker.url
    approve = 'form button[type=submit]:has-text("审核")'
    maker.click(approve)
    maker.wait_for_load_state()
    assert "分红编制人不能审核自己编制的分红" in maker.inner_text("body")
    assert "草稿" in maker.inner_text("body")

    checker = people.page("leader")
    checker.goto(distribution)
    checker.click(approve)
    checker.wait_for_load_state()
    assert "已审核" in checker.inner_text("body")

    maker.goto(distribution)
    maker.click('form button[type=submit]:has-text("入账")')
    maker.wait_for_load_state()
    assert "已入账" in maker.inner_text("body")
    people.shot(maker, "distribution-approved-by-another-and-posted")


def test_the_monthly_bulletin_is_generated_and_downloaded(platform, people, tmp_path):
    page = people.page("taskforce")
    page.goto("/supervision/bulletin/add/")
    # The form offers the latest month whose reports are due: taken as it is.
    assert page.input_value("input[name=month]")
    page.locator("form button[type=submit]").last.click()
    for _ in range(60):
        if page.locator("a[href$='/pdf/']").count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    files = {}
    for extension, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")):
        with page.expect_download() as download:
            page.click(f"a[href$='/{extension}/']")
        files[extension] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[extension])
        assert files[extension].read_bytes().startswith(magic), extension
    people.shot(page, "bulletin-downloaded")
    people.document_pages(files["pdf"], "bulletin-pdf")
    people.document_pages(files["docx"], "bulletin-docx", convert=True)


def test_the_language_is_switched(platform, people):
    page = people.page("daliuta")
    page.goto("/projects/project/")
    assert "项目" in page.title()
    page.locator("button[name=language]").click()
    page.wait_for_load_state()
    assert "Projects" in page.title(), page.title()
    # The English menu is longer: it wraps rather than pushing the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    people.shot(page, "language-english")
    page.locator("button[name=language]").click()
    page.wait_for_load_state()
    assert "项目" in page.title()


def test_a_leader_instructs_a_town_answers_and_the_leader_closes(platform, people):
    """On a phone: the leader's home lists the pairings they lead; from one of them the
    leader gives an instruction (批示) to its town; the town officer finds it on their home
    page and answers; the leader, told, reads the answer and closes it."""
    leader = people.page("leader", viewport=PHONE)
    leader.goto("/")
    pairings = leader.locator("#my-pairings")
    assert "石角塔村" in pairings.inner_text()
    people.shot(leader, "instruction-1-leader-home-phone")
    pairings.locator("a", has_text="石角塔村").first.click()
    leader.wait_for_load_state()
    leader.locator("a[href*='/supervision/instruction/add/?pairing=']").first.click()
    leader.wait_for_load_state()
    # Opened from the pairing: the leader, the pairing and its town are filled in.
    assert leader.locator("select[name=answer_town] option:checked").inner_text() == "大柳塔镇"
    leader.fill("textarea[name=text]", "请督促企业本周内完成大棚验收，并报送验收记录。")
    leader.fill("input[name=deadline]", "2099-12-31")
    save(leader)
    assert re.search(r"/supervision/instruction/\d+/$", leader.url), leader.content()[-2000:]
    instruction_url = leader.url
    assert leader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    town = people.page("daliuta", viewport=PHONE)
    town.goto("/")
    waiting = town.locator("#instructions")
    assert "完成大棚验收" in waiting.inner_text()
    waiting.locator("a", has_text="完成大棚验收").first.click()
    town.wait_for_load_state()
    town.fill("textarea[name=answer]", "已于周三完成验收，验收记录已上传至项目。")
    town.locator("button", has_text="提交办复").click()
    town.wait_for_load_state()
    assert "已办复" in town.inner_text("body")
    people.shot(town, "instruction-2-town-answers-phone")

    leader.goto("/notifications/")
    assert "已办复" in leader.inner_text("body")
    leader.goto(instruction_url)
    assert "已于周三完成验收" in leader.inner_text("body")
    leader.locator("button", has_text="办结").click()
    leader.wait_for_load_state()
    assert "已办结" in leader.inner_text("body")
    people.shot(leader, "instruction-3-leader-closes-phone")
    leader.goto("/")
    assert "完成大棚验收" not in leader.locator("#instructions").inner_text()


def test_a_report_and_its_photo_typed_offline_wait_on_the_phone_until_sent_once(
    platform, people, tmp_path
):
    """On a phone, the village writes its pairing's report for a month and takes a photo,
    closes the page and opens it again, then loses the network as it saves: the report and
    its photo wait on the phone, say so, and are sent once when the network comes back."""
    ((pairing,),) = rows(
        platform.database_url,
        "SELECT p.id FROM pairing_pairing p JOIN registry_village v ON v.id = p.village_id "
        "WHERE v.name = '石角塔村' AND p.status = 'active'",
    )
    photo = tmp_path / "冷库.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(256))
    village = people.page("shijiaota", viewport=PHONE)
    village.goto("/")  # the service worker starts looking after the site's pages
    form_url = f"/supervision/monthlyreport/add/?pairing={pairing}&month=2026-05"
    village.goto(form_url)
    village.fill("textarea[name=milestones]", "冷库主体完工")
    village.fill("textarea[name=problems]", "道路未硬化")
    village.set_input_files("input[name=photos]", str(photo))
    village.locator("#offline-status", has_text="照片已保存在本机").wait_for()
    # Typed, then the page is closed and opened again: the draft and its photo are back.
    village.goto("/")
    village.goto(form_url)
    village.locator("#offline-status", has_text="已从本机恢复").wait_for()
    assert village.input_value("textarea[name=milestones]") == "冷库主体完工"
    photos = village.locator("input[name=photos]")
    assert photos.evaluate("input => input.files.length && input.files[0].name") == "冷库.png"
    village.context.set_offline(True)
    village.locator("form button[type=submit]", has_text="保存").click()
    village.locator("#offline-status", has_text="等待发送").wait_for()
    people.shot(village, "offline-1-report-waits-on-the-phone")
    assert count_reports(platform, "冷库主体完工") == (0, 0)
    village.context.set_offline(False)
    village.locator("#offline-status", has_text="已发送").wait_for()
    people.shot(village, "offline-2-report-sent")
    assert count_reports(platform, "冷库主体完工") == (1, 1)
    village.reload()  # nothing is sent twice
    village.wait_for_load_state()
    assert count_reports(platform, "冷库主体完工") == (1, 1)


def count_reports(platform, milestones: str) -> tuple[int, int]:
    """The reports saying ``milestones``, and the photos attached to them."""
    ((reports, photos),) = rows(
        platform.database_url,
        "SELECT count(DISTINCT r.id), count(a.id) FROM supervision_monthlyreport r "
        "LEFT JOIN supervision_reportattachment a ON a.report_id = r.id "
        f"WHERE r.milestones = '{milestones}'",
    )
    return int(reports), int(photos)


def test_an_anonymous_visitor_finds_the_public_page_and_its_map(platform, people):
    """The site's address shows an anonymous visitor the public headline page, whose map
    draws the paired villages from vendored files only (no online tiles)."""
    visitor = people.anonymous(viewport=PHONE)
    requested = []
    visitor.on("request", lambda request: requested.append(request.url))
    visitor.goto("/")
    assert visitor.url.rstrip("/").endswith("/public"), visitor.url
    visitor.locator("#map canvas").first.wait_for()
    assert "村" in visitor.inner_text("#map")
    assert all(url.startswith(platform.url) for url in requested), requested
    people.shot(visitor, "public-map-phone")


HOMES = (None, *ACCOUNTS, "expert")  # None: the anonymous visitor's public page
SERIOUS = ("serious", "critical")


def test_every_home_page_passes_axe_in_both_languages_and_is_kept_to_be_looked_at(platform, people):
    """Each role's home page in Chinese and English: axe-core finds no serious or critical
    violation on a phone, and a screenshot of each, on a phone and a desktop, is kept.
    The pages' markup does not depend on the database: CI checks them on SQLite only."""
    if platform.database_url.startswith("postgres"):
        pytest.skip("the same pages as on SQLite")
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for username in HOMES:
        for language in ("zh-hans", "en"):
            for screen, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                if username is None:
                    page = people.anonymous(viewport=viewport, language=language)
                else:
                    page = people.page(username, viewport=viewport, language=language)
                page.goto("/")
                assert page.locator("html").get_attribute("lang") == language, username
                if screen == "phone":
                    violations = axe.run(page).response["violations"]
                    if serious := [
                        f"{rule['id']} ({len(rule['nodes'])}): {rule['help']}"
                        for rule in violations
                        if rule["impact"] in SERIOUS
                    ]:
                        found[username, language] = serious
                people.shot(page, f"home-{username or 'public'}-{language}-{screen}")
                people.close(page)
    assert not found, found
