from cunqi.supervision import views

app_name = "supervision"
urlpatterns = [
    *views.CardViews.urls(),
    *views.MonthlyReportViews.urls(),
    *views.ReportAttachmentViews.urls(),
    *views.MeetingViews.urls(),
    *views.ActionItemViews.urls(),
    *views.BulletinViews.urls(),
    *views.RuleSettingViews.urls(),
    *views.DemonstrationCriteriaViews.urls(),
    *views.EvaluationSchemeViews.urls(),
    *views.QuarterlyReviewViews.urls(),
    *views.NominationViews.urls(),
    *views.AwardViews.urls(),
]
