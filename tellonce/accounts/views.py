"""Signing in and out, the second factor, and the home page for each role."""

from __future__ import annotations

import base64
import logging
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tellonce import posted, signed_in
from tellonce.access import audit
from tellonce.access.policy import (
    CASELOAD_ROLES,
    PRACTITIONER_ROLES,
    Basis,
    active_memberships,
    administered_organisations,
    family_children,
    leader_local_authorities,
    roles,
    visible_children,
)
from tellonce.accounts import oidc, readiness, sso
from tellonce.directory.policy import may_manage_local_offer
from tellonce.insight.aggregates import area_overview
from tellonce.invitations.session import PENDING_INVITATION_KEY
from tellonce.people.models import StaffMembership, User

Role = StaffMembership.Role
log = logging.getLogger(__name__)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask your organisation's administrator.",
        "sso_required": "Staff sign in with their organisation's account, not a password here. "
        "Select \u2018Sign in with your organisation\u2019s account\u2019",
    }

    def confirm_login_allowed(self, user: User) -> None:  # type: ignore[override]
        super().confirm_login_allowed(user)
        # With single sign-on required, the organisation decides who is staff: a password
        # here (perhaps one from before the organisation left) never signs staff in.
        if settings.STAFF_SSO_REQUIRED and active_memberships(user):
            raise forms.ValidationError(self.error_messages["sso_required"], code="sso_required")


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["one_login"] = oidc.provider(oidc.ONE_LOGIN) is not None
        context["staff_sso"] = oidc.provider(oidc.STAFF) is not None
        context["sso_required"] = settings.STAFF_SSO_REQUIRED
        return context


sign_in = SignInView.as_view()


class SignOutView(auth_views.LogoutView):
    """Signs out here, then (a One Login session) out of One Login too, which sends the
    person back to the signed-out page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        back = request.build_absolute_uri(reverse("accounts:signed_out"))
        end_session = oidc.end_session_url(request, back)
        response = super().post(request, *args, **kwargs)
        return redirect(end_session) if end_session else response


sign_out = SignOutView.as_view()


# ----- signing in through a provider (tellonce/accounts/oidc.py) -----


def _provider_or_404(name: str) -> oidc.Provider:
    config = oidc.provider(name)
    if config is None:
        raise Http404("This way of signing in is not set up here")
    return config


def _problem(request: HttpRequest, problem: oidc.SignInFailed) -> HttpResponse:
    log.warning("Sign-in through a provider refused: %s", problem)
    return render(request, "accounts/sign_in_problem.html", status=400)


@require_GET
def one_login_start(request: HttpRequest) -> HttpResponse:
    config = _provider_or_404(oidc.ONE_LOGIN)
    try:
        return oidc.start(request, config, request.build_absolute_uri(
            reverse("accounts:one_login_callback")))
    except oidc.SignInFailed as problem:
        return _problem(request, problem)


@require_GET
def one_login_callback(request: HttpRequest) -> HttpResponse:
    config = _provider_or_404(oidc.ONE_LOGIN)
    try:
        claims = oidc.finish(request, config)
    except oidc.SignInFailed as problem:
        return _problem(request, problem)
    id_token = request.session.get(oidc.ID_TOKEN_KEY)
    pending = request.session.get(PENDING_INVITATION_KEY)
    if sso.do_sign_in_family(request, claims) is None:
        request.session.flush()
        return render(request, "accounts/sign_in_problem.html", {"closed": True}, status=403)
    # login() starts a new session: what the sign-out and the invitation need is kept.
    request.session[oidc.PROVIDER_KEY] = oidc.ONE_LOGIN
    request.session[oidc.ID_TOKEN_KEY] = id_token
    if pending:
        request.session[PENDING_INVITATION_KEY] = pending
        return redirect("invitations:confirm")
    return redirect("accounts:home")


@require_GET
def staff_start(request: HttpRequest) -> HttpResponse:
    config = _provider_or_404(oidc.STAFF)
    try:
        return oidc.start(request, config, request.build_absolute_uri(
            reverse("accounts:staff_callback")))
    except oidc.SignInFailed as problem:
        return _problem(request, problem)


@require_GET
def staff_callback(request: HttpRequest) -> HttpResponse:
    config = _provider_or_404(oidc.STAFF)
    try:
        claims = oidc.finish(request, config)
    except oidc.SignInFailed as problem:
        return _problem(request, problem)
    user = sso.do_sign_in_staff(request, claims)
    if user is None:
        request.session.flush()
        return redirect("accounts:not_recognised")
    request.session[oidc.PROVIDER_KEY] = oidc.STAFF
    return redirect("accounts:home")


def not_recognised(request: HttpRequest) -> HttpResponse:
    """An organisation's identity no staff account here is linked to: who to ask."""
    return render(request, "accounts/not_recognised.html")


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
    user = signed_in.user(request)
    user_roles = roles(user)
    my_children = list(
        family_children(user).select_related("setting").order_by("date_of_birth")
    )
    if my_children:
        # The family's own reads are in their trail too, as the child record's are.
        own = all(child.user_id == user.pk for child in my_children)
        audit.record_list(
            user, "Home page: children", Basis.YOUNG_PERSON if own else Basis.FAMILY, my_children
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
