"""wagtail-localize's admin views with the regions' rules (``regions.translation``), served at
wagtail-localize's own addresses (``wagtail_hooks.register_translation_urls``), and the
translators' „Zur Freigabe einreichen“.

wagtail-localize checks only the model permission ``submit_translation``: with it, anyone
could translate (and see the titles of) every region's pages, sync and publish every
translation, and read every source title in its report.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.models import Page, WorkflowState
from wagtail_localize.views.report import TranslationsReportView
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

from .translation import (
    deletes_only_through_browsing_grant,
    may_translate,
    moderation_translation,
    other_locales,
    translate_as_draft,
    translations_visible_to,
)


class RegionDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of pages, without the pages whose children only a browsing
    grant would let the user delete (:func:`deletes_only_through_browsing_grant`)."""

    def check_perm(self, page):
        return super().check_perm(page) and not deletes_only_through_browsing_grant(
            self.request.user, page
        )


class RegionSubmitPageTranslationView(SubmitPageTranslationView):
    """„Übersetzen“: only into the languages where :func:`may_translate` allows it, one
    page at a time, and the translation starts as a draft."""

    def get_object(self):
        page = super().get_object()
        user, locales = self.request.user, other_locales()
        self.allowed_locales = [locale for locale in locales if may_translate(user, page, locale)]
        if not self.allowed_locales:
            raise PermissionDenied
        return page

    def get_form(self):
        form = super().get_form()
        form.fields["locales"].queryset = form.fields["locales"].queryset.filter(
            pk__in=[locale.pk for locale in self.allowed_locales]
        )
        if not form.is_bound and len(self.allowed_locales) == 1:
            form.initial.setdefault("locales", self.allowed_locales)  # English, ticked
        # A subtree would be translated in the background with wagtail-localize's own
        # rule (live German pages give live translations): one page at a time here.
        form.fields["include_subtree"].widget = forms.HiddenInput()
        return form

    @transaction.atomic
    def form_valid(self, form):
        locales = list(form.cleaned_data["locales"])
        translate_as_draft(self.object, locales, self.request.user, self.components)
        names = ", ".join(locale.get_display_name() for locale in locales)
        translated = self.object.get_translation(locales[0]) if len(locales) == 1 else None
        messages.success(self.request, self.get_success_message(names))
        return redirect(self.get_success_url() or self.get_default_success_url(translated))


class RegionUpdateTranslationsView(UpdateTranslationsView):
    """„Übersetzte Seiten synchronisieren“: only for a page whose every translation the
    user may edit; „Sofort veröffentlichen“ only for those who may publish them all."""

    def get_object(self):
        source = super().get_object()
        user = self.request.user
        if user.is_superuser:
            self.may_publish = True
            return source
        try:
            instance = source.get_source_instance()
        except Exception as exc:  # the source object is gone
            raise Http404 from exc
        if not isinstance(instance, Page):
            raise PermissionDenied
        permissions = []
        for translation in source.translations.filter(enabled=True):
            try:
                permissions.append(translation.get_target_instance().permissions_for_user(user))
            except Page.DoesNotExist as exc:
                raise Http404 from exc
        if not permissions or not all(p.can_edit() for p in permissions):
            raise PermissionDenied
        self.may_publish = all(p.can_publish() for p in permissions)
        return source

    def get_form(self):
        form = super().get_form()
        if not self.may_publish:
            del form.fields["publish_translations"]
        return form

    def form_valid(self, form):
        form.cleaned_data.setdefault("publish_translations", False)
        return super().form_valid(form)


class RegionTranslationsReportView(TranslationsReportView):
    """The translations report, narrowed to the translations the user works on."""

    def get_queryset(self):
        translations = translations_visible_to(self.request.user, super().get_queryset())
        return translations.order_by("-pk")  # newest first, and pages that stay put


class SubmitTranslationForModerationView(View):
    """„Zur Freigabe einreichen“ in wagtail-localize's editor, for those who may not publish:
    the translated text becomes the page's newest draft and goes into the region's
    approval (or back into it after „Änderungen erbeten“, or, while it waits, the
    moderators approve the newest draft)."""

    def post(self, request, page_id):
        page = get_object_or_404(Page, id=page_id).specific
        translation = moderation_translation(page)
        if translation is None:
            raise Http404
        permissions = page.permissions_for_user(request.user)
        if not permissions.can_edit():
            raise PermissionDenied
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        state = page.current_workflow_state
        if state is None and not permissions.can_submit_for_moderation():
            messages.error(request, moderation_unavailable_reason(page, request.user))
            return redirect(edit_url)
        try:
            with transaction.atomic():
                translation.save_target(user=request.user, publish=False)
                if state is None:
                    page.get_workflow().start(page, request.user)
                elif state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                    state.resume(request.user)
        except ValidationError as exc:
            messages.error(
                request,
                _("Die Übersetzung ließ sich nicht speichern: %(errors)s")
                % {"errors": " ".join(exc.messages)},
            )
            return redirect(edit_url)
        title = Page.objects.get(pk=page.pk).get_admin_display_title()
        if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            message = _("Die Änderungen an „%(title)s“ sind zur laufenden Freigabe nachgereicht.")
        else:
            message = _("„%(title)s“ ist zur Freigabe eingereicht.")
        messages.success(request, message % {"title": title})
        return redirect(edit_url)


def moderation_unavailable_reason(page, user) -> str:
    if page.get_lock() and page.get_lock().for_user(user):
        return _("Die Seite ist gesperrt; sie lässt sich gerade nicht einreichen.")
    return _(
        "Für diese Seite ist keine Freigabe eingerichtet. Bitte wenden Sie sich ans Portalteam."
    )
