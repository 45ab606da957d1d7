from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from .admin_views import locate_address
from .models import ActorType, Category, Offer


class TaxonomyAdmin(ModelAdmin):
    list_display = ("name", "name_en", "slug", "sort_order")
    search_fields = ("name", "name_en", "slug")
    ordering = ("sort_order", "name")
    add_to_settings_menu = False
    exclude_from_explorer = True


class CategoryAdmin(TaxonomyAdmin):
    model = Category
    menu_icon = "folder-open-1"


class OfferAdmin(TaxonomyAdmin):
    model = Offer
    menu_icon = "tag"


class ActorTypeAdmin(TaxonomyAdmin):
    model = ActorType
    menu_icon = "group"


@modeladmin_register
class ReferenceDataGroup(ModelAdminGroup):
    menu_label = _("Stammdaten")
    menu_icon = "list-ul"
    menu_order = 300
    items = (CategoryAdmin, OfferAdmin, ActorTypeAdmin)


@hooks.register("register_admin_urls")
def register_place_admin_urls():
    return [path("orte/punkt-aus-adresse/", locate_address, name="places_locate_address")]
