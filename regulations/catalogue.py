"""The bundled catalogue (catalogue/*.yaml, one file per regulation): what the library knows
without official texts."""

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError

from regulations import services

CATALOGUE_PATH = Path(__file__).resolve().parent / "catalogue"


def read_catalogue(path: Path = CATALOGUE_PATH) -> list[dict[str, Any]]:
    """The entries of a catalogue folder (one regulation per file, in file-name order) or of
    one file holding a `regulations` list."""
    if path.is_dir():
        files = sorted(path.glob("*.yaml"))
        if not files:
            raise CommandError(f"{path}: no catalogue files (*.yaml) in this folder")
        return [read_entry(file) for file in files]
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("regulations"), list):
        raise CommandError(f"{path}: expected a mapping with a 'regulations' list")
    return data["regulations"]


def read_entry(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not data.get("code"):
        raise CommandError(f"{path}: expected one regulation, a mapping with a 'code'")
    return data


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CommandError(f"{path}: {error}") from None


def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, int]:
    return services.catalogue_load(read_catalogue(path))
