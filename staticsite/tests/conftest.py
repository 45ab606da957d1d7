import pytest


@pytest.fixture(scope="session", autouse=True)
def _fast_avif_encoding():
    """A full build creates every rendition the pages use, among them the heroes' AVIFs,
    which libavif encodes slowly at Pillow's default speed (6): ~9 s for a 1200×675 image on
    a busy machine. Here they are encoded at speed 10 — still real AVIF files, ~10× faster."""
    from PIL import Image, features

    if not features.check("avif"):
        yield
        return
    Image.init()
    original = Image.SAVE["AVIF"]

    def save(image, fp, filename):
        image.encoderinfo.setdefault("speed", 10)
        return original(image, fp, filename)

    Image.SAVE["AVIF"] = save
    yield
    Image.SAVE["AVIF"] = original
