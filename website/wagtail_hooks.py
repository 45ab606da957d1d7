from wagtail import hooks

from website.place_page import place_details


@hooks.register("place_page_context")
def place_page_details(place, request) -> dict:
    return {"details": place_details(place, request)}
