from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from . import permissions
from .forms import ProfileForm
from .models import Municipality, Region, User
from .sections import member_sections, municipality_sections


def municipality_list(request):
    regions = Region.objects.prefetch_related("municipalities").order_by("name")
    return render(request, "network/municipality_list.html", {"regions": regions})


def municipality_detail(request, slug):
    municipality = get_object_or_404(Municipality.objects.select_related("region"), slug=slug)
    members = (
        permissions.visible_members(request.user, municipality.members.filter(is_active=True))
        .select_related("organisation")
        .order_by("first_name", "last_name")
    )
    return render(
        request,
        "network/municipality_detail.html",
        {
            "municipality": municipality,
            "members": members,
            "organisations": municipality.organisations.all(),
            "sections": municipality_sections.render_data(request, municipality),
        },
    )


def member_detail(request, public_id):
    member = get_object_or_404(
        User.objects.select_related("municipality", "organisation", "photo"),
        public_id=public_id,
    )
    # 404 rather than 403: a hidden profile must not confirm that the person is a member.
    if not permissions.can_view_profile(request.user, member):
        raise Http404
    return render(
        request,
        "network/member_detail.html",
        {
            "member": member,
            "show_contact": permissions.can_view_contact(request.user, member),
            "is_self": request.user.is_authenticated and request.user.pk == member.pk,
            "sections": member_sections.render_data(request, member),
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Din profil er gemt.")
        return redirect("network:profile")
    return render(request, "network/profile_form.html", {"form": form})
