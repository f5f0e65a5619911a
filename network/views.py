import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import permissions, personal_data
from .forms import DeleteAccountForm, ProfileForm
from .models import Municipality, Region, User
from .sections import member_sections, municipality_sections
from .shortcuts import one_or_404


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
    member = one_or_404(
        User.objects.select_related("municipality", "organisation", "photo"),
        public_id=public_id,
    )
    # 404 rather than 403: a hidden profile must not confirm that the person is a member.
    if not permissions.can_view_profile(request.user, member):
        raise Http404
    is_self = request.user.is_authenticated and request.user.pk == member.pk
    # Your own profile is shown as another signed-in member sees it: the e-mail and
    # phone only if you agreed to be contacted.
    viewer = User() if is_self else request.user
    return render(
        request,
        "network/member_detail.html",
        {
            "member": member,
            "show_contact": permissions.can_view_contact(viewer, member),
            "is_self": is_self,
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


@login_required
def my_data(request):
    """Download everything we hold about me, as JSON (GDPR art. 15 and 20)."""
    if request.GET.get("download"):
        data = personal_data.export(request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "network/my_data.html")


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        personal_data.delete_account(user, form.cleaned_data["mode"])
        messages.success(request, "Din konto er slettet. Tak for din deltagelse.")
        return redirect("/")
    return render(request, "network/delete_account.html", {"form": form})
