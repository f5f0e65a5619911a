"""The page for a form whose security token was stale (CSRF_FAILURE_VIEW).

It happens to members, not only to attackers: a form opened before they logged out and in
again in another tab carries the old token. Django's own page is English and technical,
and the text was lost. This one says what happened in Danish, and keeps the text for the
page it was written on (network.drafts: only a Referer of this site's own origin counts,
so a post from another site never puts text into a member's form).
"""

from django.shortcuts import render

from network import drafts


def csrf_failure(request, reason: str = ""):
    page, kept = drafts.keep(request) if request.method == "POST" else (None, False)
    return render(request, "403_csrf.html", {"page": page, "kept": kept}, status=403)
