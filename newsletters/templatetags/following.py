"""`{% follow_button "trial_action" log.pk %}`: a Følg / Følger button (a POST form,
so it works without JavaScript). Shown to logged-in members only."""

from django import template

from ..following import is_following

register = template.Library()


@register.inclusion_tag("newsletters/includes/follow_button.html", takes_context=True)
def follow_button(context, kind, key, label=""):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "kind": kind,
        "key": str(key),
        "label": label,
        "following": is_following(user, kind, key),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
