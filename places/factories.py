from decimal import Decimal

import wagtail_factories

import factory

from places.models import ActorType, Category, Offer, PlacePage


class CategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Themenfeld {n}")
    slug = factory.Sequence(lambda n: f"themenfeld-{n}")

    class Meta:
        model = Category
        django_get_or_create = ("slug",)


class OfferFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Angebot {n}")
    slug = factory.Sequence(lambda n: f"angebot-{n}")

    class Meta:
        model = Offer
        django_get_or_create = ("slug",)


class ActorTypeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Träger {n}")
    slug = factory.Sequence(lambda n: f"traeger-{n}")

    class Meta:
        model = ActorType
        django_get_or_create = ("slug",)


class PlacePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Testhof {n}")
    slug = factory.Sequence(lambda n: f"testhof-{n}")
    teaser = "Ein umgebauter Vierseitenhof mit Werkstatt und Coworking."
    municipality = "Salzwedel"
    district = "Altmarkkreis Salzwedel"
    postcode = "29410"
    latitude = Decimal("52.850000")
    longitude = Decimal("11.150000")

    class Meta:
        model = PlacePage
        skip_postgeneration_save = True

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [Category.objects.get(slug="arbeiten-wirtschaft")]
        self.categories.set(extracted)
        self.save()
