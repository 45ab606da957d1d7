"""``{% title_for_user page as title %}``: a page's title as this admin user may see it
(``regions.isolation.title_for_user``); used by the page chooser's templates."""

from django import template

from regions.isolation import title_for_user as _title_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def title_for_user(context, page):
    request = context.get("request")
    if page is None:
        return ""
    if request is None:  # no user to ask: nothing but the published title
        return page.title if page.live else ""
    return _title_for_user(page, request)
