from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Veröffentlichung"

    def ready(self):
        from . import receivers

        receivers.listen()
