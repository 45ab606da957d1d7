import wagtail_factories

import factory

from regions.models import RegionPage


class RegionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    intro = "<p>Weite Landschaft, alte Höfe und viel Platz für Ideen.</p>"
    contact_email = "region@example.org"

    class Meta:
        model = RegionPage
