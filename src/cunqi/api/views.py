from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cunqi.accounts.models import ApiToken
from cunqi.api import tokens


def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens; a new one's key is shown once, here."""
    key = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, _("Name the token (what will use it)."))
        else:
            _token, key = tokens.create(request.user, name)
    return render(
        request,
        "api/tokens.html",
        {"tokens": ApiToken.objects.filter(user=request.user), "key": key},
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    tokens.revoke(get_object_or_404(ApiToken, pk=pk, user=request.user))
    messages.success(request, _("The token no longer works."))
    return redirect("api_tokens")
