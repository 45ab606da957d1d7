from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"
    verbose_name = "Bewerbungen"

    def ready(self):
        from django.db.models.signals import post_delete, pre_delete

        from wagtail.signals import page_published

        from .models import Application, ApplicationPhoto
        from .photos import on_page_published
        from .signals import delete_photo_file, delete_unpublished_images

        post_delete.connect(
            delete_photo_file, sender=ApplicationPhoto, dispatch_uid="applications-photo-file"
        )
        pre_delete.connect(
            delete_unpublished_images, sender=Application, dispatch_uid="applications-images"
        )
        # Applicants' photos on a page become public when the page is published (photos.py).
        page_published.connect(on_page_published, dispatch_uid="applications-photos-published")
