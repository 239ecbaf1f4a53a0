"""Seed the reference data with Chinese and English names. A deployment may add rows."""

from django.db import migrations

INDUSTRIES = [
    ("planting_breeding", "种养殖", "Planting and breeding"),
    ("processing", "农产品加工", "Agricultural product processing"),
    ("agri_culture_tourism", "农文旅融合", "Agriculture, culture and tourism"),
]
COOPERATION_MODELS = [
    ("leading_enterprise", "龙头带动", "Leading-enterprise driven"),
    ("enclave", "飞地抱团", "Enclave clustering"),
    ("labour", "劳务合作", "Labour cooperation"),
    ("chain_sinking", "产业链下沉", "Industrial chain sinking"),
    ("agri_tourism", "农旅融合", "Agriculture–tourism fusion"),
    ("orders", "订单合作", "Order cooperation"),
]
DIMENSIONS = [
    ("industry", "产业振兴", "Industry"),
    ("talent", "人才振兴", "Talent"),
    ("culture", "文化振兴", "Culture"),
    ("ecology", "生态振兴", "Ecology"),
    ("organisation", "组织振兴", "Organisation"),
]
DEPARTMENTS = [
    ("agriculture", "农业农村局", "Agriculture and Rural Affairs Bureau"),
    ("forestry", "林业局", "Forestry Bureau"),
    ("water", "水利局", "Water Resources Bureau"),
    ("culture_tourism", "文化和旅游局", "Culture and Tourism Bureau"),
    ("finance", "财政局", "Finance Bureau"),
    ("natural_resources", "自然资源局", "Natural Resources Bureau"),
    ("development_reform", "发展和改革局", "Development and Reform Bureau"),
    ("rural_revitalisation", "乡村振兴局", "Rural Revitalisation Bureau"),
]
RESOURCE_KINDS = [
    ("arable_land", "耕地", "Arable land", "land", "亩"),
    ("abandoned_land", "撂荒地", "Abandoned land", "land", "亩"),
    ("forest_land", "林地", "Forest land", "land", "亩"),
    ("idle_factory", "闲置厂房", "Idle factory", "asset", "平方米"),
    ("idle_courtyard", "闲置院落", "Idle courtyard", "asset", "处"),
    ("labour", "劳动力", "Labour", "labour", "人"),
    ("specialty_product", "特色农产品", "Specialty product", "product", "吨"),
    ("tourism_asset", "旅游资源", "Tourism asset", "asset", "处"),
    ("capital", "资金", "Capital", "capital", "万元"),
    ("technology", "技术", "Technology", "know_how", "项"),
    ("market_channel", "市场渠道", "Market channel", "know_how", "个"),
]


def seed(apps, schema_editor):
    for model_name, rows in (
        ("Industry", INDUSTRIES),
        ("CooperationModel", COOPERATION_MODELS),
        ("Dimension", DIMENSIONS),
        ("Department", DEPARTMENTS),
    ):
        model = apps.get_model("core", model_name)
        for order, (code, name_zh, name_en) in enumerate(rows, start=1):
            model.objects.update_or_create(
                code=code, defaults={"name_zh": name_zh, "name_en": name_en, "sort_order": order}
            )
    resource_kind = apps.get_model("core", "ResourceKind")
    for order, (code, name_zh, name_en, category, unit) in enumerate(RESOURCE_KINDS, start=1):
        resource_kind.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "category": category,
                "default_unit": unit,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
