import wagtail_factories

import factory

from core.models import CustomImage


class CustomImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Bild {n}")
    description = factory.Sequence(lambda n: f"Alte Scheune zwischen Feldern, Ansicht {n}")
    credit = "Foto: Testbild"
    file = factory.django.ImageField(width=800, height=500, color="green")

    class Meta:
        model = CustomImage
