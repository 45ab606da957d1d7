from django.apps import AppConfig


class StaticSiteConfig(AppConfig):
    name = "staticsite"
    verbose_name = "Statische Website"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.register_signal_handlers()
