"""`{% top_messages as top %}`: the messages shown at the top of the page. A page that
lands at one of its sections (a trial action's #kommentarer) names the sections in its
context's `message_sections` and shows their messages there
(includes/section_messages.html), where the reader is."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def top_messages(context) -> list:
    sections = context.get("message_sections") or ()
    return [
        m for m in context.get("messages", ()) if not m.extra_tags or m.extra_tags not in sections
    ]
