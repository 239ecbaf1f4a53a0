from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cunqi.benefits import filtersets, forms, services, tables
from cunqi.benefits.models import EquityStructure
from cunqi.core.views import ObjectEditView, ObjectViews


class EquityStructureEditView(ObjectEditView):
    """The structure and its stakes on one page, saved together through the service."""

    template = "benefits/equitystructure_edit.html"

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_editable(pk) if pk else None
        form = self.views.form(instance=obj, user=request.user)
        stakes = forms.StakeFormSet(instance=obj or EquityStructure(), user=request.user)
        return self.render_form(form, obj, stakes=stakes)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_editable(pk) if pk else None
        form = self.views.form(request.POST, instance=obj, user=request.user)
        stakes = forms.StakeFormSet(
            request.POST, instance=obj or EquityStructure(), user=request.user
        )
        if form.is_valid() and stakes.is_valid():
            new_stakes = [
                stake_form.save(commit=False)
                for stake_form in stakes.forms
                if stake_form.cleaned_data and not stake_form.cleaned_data.get("DELETE")
            ]
            try:
                with transaction.atomic():
                    structure = services.save_structure(form.save(commit=False), new_stakes)
                    if (
                        self.model.objects.editable_by(request.user)
                        .filter(pk=structure.pk)
                        .exists()
                    ):
                        messages.success(request, _("Saved."))
                        return redirect(structure.get_absolute_url())
                    transaction.set_rollback(True)
                form.add_error(None, _("You can only save rows that lie within your own scope."))
            except ValidationError as error:
                form.add_error(None, error)
            except IntegrityError:
                form.add_error(
                    None,
                    _("The structure could not be saved: the shares must sum to exactly 100%."),
                )
        return self.render_form(form, obj, stakes=stakes, status=400)

    def render_form(self, form, obj, status: int = 200, **extra) -> HttpResponse:
        from django.shortcuts import render

        return render(
            self.request, self.template, self.context(form=form, object=obj, **extra), status=status
        )


class EquityStructureViews(ObjectViews):
    model = EquityStructure
    table = tables.EquityStructureTable
    filterset = filtersets.EquityStructureFilterSet
    form = forms.EquityStructureForm
    select_related = ("project",)
    prefetch_related = ("stakes__village", "stakes__village_group", "stakes__enterprise")
    detail_template = "benefits/equitystructure_detail.html"
    edit_view = EquityStructureEditView
