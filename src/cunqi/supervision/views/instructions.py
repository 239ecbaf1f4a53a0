"""Leaders' instructions (批示): given, answered, closed or sent back."""

from django.http import HttpRequest

from cunqi.core.permissions import allows
from cunqi.core.views import Action, ObjectActionView, ObjectViews
from cunqi.supervision import filtersets, forms, services, tables
from cunqi.supervision.models import Instruction
from cunqi.supervision.models.instructions import INSTRUCTION_RELATED
from cunqi.supervision.services.instructions import answers


class InstructionActionView(ObjectActionView):
    actions = {
        "answer": Action(
            "answer",
            lambda row, request: services.answer_instruction(
                row, request.user, request.POST.get("answer", "")
            ),
        ),
        "close": Action(
            "close",
            lambda row, request: services.follow_up_instruction(
                row, request.user, close=True, comment=request.POST.get("follow_up", "")
            ),
        ),
        "return": Action(
            "close",
            lambda row, request: services.follow_up_instruction(
                row, request.user, close=False, comment=request.POST.get("follow_up", "")
            ),
        ),
    }


class InstructionViews(ObjectViews):
    model = Instruction
    table = tables.InstructionTable
    filterset = filtersets.InstructionFilterSet
    form = forms.InstructionForm
    select_related = INSTRUCTION_RELATED
    detail_template = "supervision/instruction_detail.html"
    action_view = InstructionActionView

    @classmethod
    def extra_context(cls, instruction: Instruction, request: HttpRequest) -> dict:
        user = request.user
        answered = instruction.status == Instruction.Status.ANSWERED
        return {
            "can_answer": instruction.status == Instruction.Status.OPEN
            and answers(instruction, user),
            "can_follow_up": answered
            and allows(user, "close", Instruction)
            and Instruction.objects.editable_by(user).filter(pk=instruction.pk).exists(),
        }
