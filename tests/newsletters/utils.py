import re

from network.models import WorkArea

LINK = re.compile(r"https?://[^\s\"<>]+/nyhedsbrev/(bekraeft|indstillinger|afmeld)/([^/\s\"<>]+)/")


def link(message, kind: str) -> str:
    """The path of the first link of a kind (bekraeft, indstillinger, afmeld) in a mail."""
    for found in LINK.finditer(message.body):
        if found.group(1) == kind:
            return f"/nyhedsbrev/{kind}/{found.group(2)}/"
    raise AssertionError(f"No {kind} link in: {message.body}")


def area_ids(*slugs) -> list[int]:
    return list(WorkArea.objects.filter(slug__in=slugs).values_list("pk", flat=True))


def subscribe(client, email, *slugs, **meta):
    """POST the subscribe form; keyword arguments go to the request's META (REMOTE_ADDR)."""
    return client.post("/nyhedsbrev/", {"email": email, "work_areas": area_ids(*slugs)}, **meta)


def by_recipient(outbox) -> dict:
    return {message.to[0]: message for message in outbox}


def html_of(message) -> str:
    return next(content for content, mime in message.alternatives if mime == "text/html")
