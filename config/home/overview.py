"""*Mit overblik*: where a member lands after login.

Each app contributes sections (network.sections.overview_sections) and decides itself,
through its own permissions, what the member may see: projects (my projects, next
events, my trial actions, a to-do list) and newsletters (what is new on what I follow).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from network.sections import overview_sections


@login_required
def overview(request):
    return render(
        request,
        "home/overview.html",
        {"sections": overview_sections.render_data(request, request.user)},
    )
