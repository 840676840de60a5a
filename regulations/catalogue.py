"""The bundled catalogue (catalogue.yaml): what the library knows without official texts."""

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError

from regulations import services

CATALOGUE_PATH = Path(__file__).resolve().parent / "catalogue.yaml"


def read_catalogue(path: Path = CATALOGUE_PATH) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CommandError(f"{path}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("regulations"), list):
        raise CommandError(f"{path}: expected a mapping with a 'regulations' list")
    return data["regulations"]


def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, int]:
    return services.catalogue_load(read_catalogue(path))
