from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("DEMO_MODE", True)
ALLOWED_HOSTS = ["*"]
# Tiles are fetched only after the visitor clicks "Karte laden"; set MAP_TILE_URL="" to go offline.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
