from django.apps import apps
from django.http import HttpRequest

from cunqi.core import declarations
from cunqi.core.links import url_of
from cunqi.core.permissions import allows
from cunqi.core.roles import Role


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    role = Role.TASKFORCE if user.is_superuser else user.role
    items = []
    for entry in declarations.menu():
        label = entry.label
        if entry.url:
            if entry.shown_to(role):
                url = url_of(entry.url)
                items.append({"label": label, "url": url, "active": request.path == url})
            continue
        children = []
        for item in entry.menu_items():
            model = apps.get_model(item.model)
            if item.shown_to(role) and allows(user, "list", model):
                url = url_of(item.url or model.url_name("list"))
                child_label = item.label or model._meta.verbose_name_plural.capitalize()
                children.append({"label": child_label, "url": url})
        if len(children) == 1:
            items.append({**children[0], "active": request.path.startswith(children[0]["url"])})
        elif children:
            active = any(request.path.startswith(child["url"]) for child in children)
            items.append({"label": label, "children": children, "active": active})
    return {"navigation": items}
