from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Gemeinsame Bausteine"

    def ready(self):
        from wagtail.signals import page_published

        from places.renditions import on_publish

        from .images import register_signal_handlers as register_image_signal_handlers
        from .page_cache import register_signal_handlers

        register_signal_handlers()
        register_image_signal_handlers()
        # Image renditions at publish time, not on a visitor's first request.
        page_published.connect(on_publish, dispatch_uid="places-renditions-on-publish")
