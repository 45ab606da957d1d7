import wagtail_factories

import factory

from home.models import ContentPage, HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Kreativorte im Grünen"
    slug = factory.Sequence(lambda n: f"start-{n}")

    class Meta:
        model = HomePage


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Inhaltsseite {n}")
    slug = factory.Sequence(lambda n: f"inhalt-{n}")

    class Meta:
        model = ContentPage
