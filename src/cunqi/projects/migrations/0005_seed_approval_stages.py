"""Seed the approval stages and their checklists; a deployment edits them as its own."""

from django.db import migrations

# code, Chinese, English, time limit, green-channel limit (working days), checklist
STAGES = [
    (
        "establishment",
        "项目立项",
        "Project establishment",
        20,
        5,
        [
            ("proposal", "项目建议书", "Project proposal"),
            ("feasibility", "可行性研究报告", "Feasibility study"),
        ],
    ),
    (
        "land_use",
        "用地审批",
        "Land use",
        20,
        10,
        [
            ("land_pre_review", "用地预审意见", "Land-use pre-review opinion"),
            ("land_transfer_contract", "土地流转合同", "Land transfer contract"),
        ],
    ),
    (
        "environment",
        "环境影响评价",
        "Environmental assessment",
        30,
        10,
        [("eia_form", "环境影响报告表", "Environmental impact report form")],
    ),
    (
        "construction_permit",
        "施工许可",
        "Construction permit",
        15,
        5,
        [
            ("drawing_review", "施工图审查合格书", "Construction drawing review certificate"),
            ("construction_contract", "施工合同", "Construction contract"),
        ],
    ),
]


def seed(apps, schema_editor):
    stage_model = apps.get_model("projects", "ApprovalStage")
    kind_model = apps.get_model("projects", "DocumentKind")
    for order, (code, name_zh, name_en, days, green_days, documents) in enumerate(STAGES, 1):
        stage, _ = stage_model.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "sort_order": order,
                "time_limit_days": days,
                "green_channel_days": green_days,
            },
        )
        for position, (kind_code, kind_zh, kind_en) in enumerate(documents, 1):
            kind_model.objects.update_or_create(
                code=kind_code,
                defaults={
                    "name_zh": kind_zh,
                    "name_en": kind_en,
                    "stage": stage,
                    "sort_order": order * 10 + position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_approvals")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
