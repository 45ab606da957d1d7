from django.apps import AppConfig

import publishing


class StaticSiteConfig(AppConfig):
    name = "staticsite"
    verbose_name = "Statische Website"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import changes, tasks

        # The pending paths are stored with the change; the build runs after the commit.
        publishing.subscribe(changes.record_change, in_transaction=True)
        publishing.subscribe(tasks.build_after_commit)
