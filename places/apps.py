from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = "Orte"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
