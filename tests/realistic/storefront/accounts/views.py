from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.generic import UpdateView

from accounts.tasks import (
    ProfileChanges,
    apply_profile_changes,
    audit_login,
    send_password_changed,
    send_welcome_email,
)

User = get_user_model()


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput)


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.create_user(
            form.cleaned_data["username"], form.cleaned_data["email"], form.cleaned_data["password"]
        )
        login(request, user)
        send_welcome_email.enqueue(user.pk)
        send_welcome_email.enqueue(user_id=user.id, first_login=True)
        return redirect("profile")
    return render(request, "accounts/signup.html", {"form": form})


class ProfileUpdateView(LoginRequiredMixin, UpdateView):
    model = User
    fields = ["first_name", "last_name", "email"]
    success_url = reverse_lazy("profile")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        changes: ProfileChanges = {"email": form.cleaned_data["email"]}
        if "first_name" in form.changed_data:
            changes["first_name"] = form.cleaned_data["first_name"]
        user_id = self.request.user.pk
        assert user_id is not None
        apply_profile_changes.enqueue(user_id, changes)
        send_password_changed.enqueue(user_id, self.request.META.get("REMOTE_ADDR"))
        return super().form_valid(form)


def password_changed(request: HttpRequest) -> HttpResponse:
    if request.user.pk is None:
        raise PermissionDenied
    send_password_changed.enqueue(request.user.pk, request.META.get("REMOTE_ADDR"))
    audit_login.enqueue(request.user.pk, request.META.get("REMOTE_ADDR"))
    audit_login.enqueue(request.user, request.META.get("REMOTE_ADDR"))  # expect: task-arg
    return redirect("profile")
