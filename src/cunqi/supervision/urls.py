from cunqi.supervision.views import (
    bulletins,
    cards,
    evaluation,
    instructions,
    meetings,
    recognition,
    reports,
)

app_name = "supervision"
urlpatterns = [
    *cards.CardViews.urls(),
    *reports.MonthlyReportViews.urls(),
    *reports.ReportAttachmentViews.urls(),
    *meetings.MeetingViews.urls(),
    *meetings.ActionItemViews.urls(),
    *instructions.InstructionViews.urls(),
    *bulletins.BulletinViews.urls(),
    *cards.RuleSettingViews.urls(),
    *recognition.DemonstrationCriteriaViews.urls(),
    *evaluation.EvaluationSchemeViews.urls(),
    *reports.QuarterlyReviewViews.urls(),
    *recognition.NominationViews.urls(),
    *recognition.AwardViews.urls(),
]
