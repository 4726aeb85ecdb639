"""Signing in and out, the second factor, and the home page for each role."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tellonce import posted
from tellonce.access import audit
from tellonce.access.policy import (
    BASIS_FAMILY,
    BASIS_YOUNG_PERSON,
    CASELOAD_ROLES,
    PRACTITIONER_ROLES,
    administered_organisations,
    family_children,
    leader_local_authorities,
    may_manage_local_offer,
    roles,
    visible_children,
)
from tellonce.accounts import readiness
from tellonce.insight.aggregates import area_overview
from tellonce.people.models import StaffMembership, User

Role = StaffMembership.Role


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask your organisation's administrator.",
    }


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: the benchmark's baseline, and a load balancer's health check."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@transaction.non_atomic_requests
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: the database answers and its migrations are applied (503 if not).
    Outside a transaction, so it asks the database what a new request would see."""
    found = readiness.problems()
    if found:
        return JsonResponse({"ready": False, "problems": found}, status=503)
    return JsonResponse({"ready": True})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page per role; a user with several roles sees each part."""
    user: User = request.user  # type: ignore[assignment]
    user_roles = roles(user)
    my_children = list(
        family_children(user).select_related("setting").order_by("date_of_birth")
    )
    if my_children:
        # The family's own reads are in their trail too, as the child record's are.
        own = all(child.user_id == user.pk for child in my_children)
        audit.record_list(
            user, "Home page: children", BASIS_YOUNG_PERSON if own else BASIS_FAMILY, my_children
        )
    context: dict[str, object] = {
        "my_children": my_children,
        "is_practitioner": bool(user_roles & PRACTITIONER_ROLES),
        "is_caseworker": bool(user_roles & CASELOAD_ROLES),
        "is_leader": Role.LEADER in user_roles,
        "is_editor": Role.LOCAL_OFFER_EDITOR in user_roles,
        "manages_local_offer": bool(user_roles) and may_manage_local_offer(user),
        "organisations": administered_organisations(user) if Role.ORG_ADMIN in user_roles else [],
    }
    if context["is_practitioner"]:
        context["caseload_count"] = visible_children(user).count()
    if context["is_leader"]:
        context["aggregates"] = area_overview(leader_local_authorities(user))
    return render(request, "accounts/home.html", context)


# ----- second factor -----


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6-digit code: numbers only")
        return code


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator: show the QR code, confirm with one code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        return render(request, "accounts/two_factor_done.html", {"device": confirmed})
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return render(request, "accounts/two_factor_done.html", {"device": device, "new": True})
        form.add_error("code", "That code is not right. Check the time on your phone and try again")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": base64.b32encode(device.bin_key).decode(),
        },
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(posted.data(request))
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(next_url)
        form.add_error("code", "That code is not right, or it has expired. Try the next one")
    return render(request, "accounts/two_factor_verify.html", {"form": form})
