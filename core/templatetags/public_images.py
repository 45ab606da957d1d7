"""``{% public_image image as image %}``: the image, or ``None`` when it may not be shown
publicly (``core.images.image_is_public``); the restricted collections are read once per
request."""

from django import template

from core.images import image_is_public

register = template.Library()


@register.simple_tag(takes_context=True)
def public_image(context, image):
    return image if image_is_public(image, context.get("request")) else None
