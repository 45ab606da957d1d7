"""Framing policy: CSP ``frame-ancestors`` alongside Django's X-Frame-Options.

Every response refuses to be framed (``frame-ancestors 'none'``), matching
``X_FRAME_OPTIONS = "DENY"``. Two exceptions:

- views marked with ``xframe_options_exempt`` (only the embeddable map) get
  ``frame-ancestors`` from ``settings.EMBED_FRAME_ANCESTORS`` (default ``*``);
- responses that already say ``X-Frame-Options: SAMEORIGIN`` (Wagtail's admin preview)
  get ``frame-ancestors 'self'`` so editors' previews keep working.

This sits before ``XFrameOptionsMiddleware`` in ``MIDDLEWARE`` and so sees its header.
A CSP set by someone else is extended, never replaced.
"""

from django.conf import settings


class FrameAncestorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "xframe_options_exempt", False):
            sources = " ".join(getattr(settings, "EMBED_FRAME_ANCESTORS", ["*"])) or "'none'"
        elif response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            sources = "'self'"
        else:
            sources = "'none'"
        directive = f"frame-ancestors {sources}"
        existing = response.get("Content-Security-Policy")
        if not existing:
            response["Content-Security-Policy"] = directive
        elif "frame-ancestors" not in existing:
            response["Content-Security-Policy"] = f"{existing.rstrip('; ')}; {directive}"
        return response
