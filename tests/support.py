"""Helpers shared by the test modules (not fixtures)."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_regulations_dir() -> Path | None:
    """The folder of official texts: $HEGUI_REGULATIONS_DIR, else ../shared/regulations.

    The texts are reference data kept beside the repository, never inside it.
    Returns None when the folder is absent (a developer's clone without it).
    """
    configured = os.environ.get("HEGUI_REGULATIONS_DIR")
    folder = Path(configured) if configured else REPO_ROOT.parent / "shared" / "regulations"
    return folder if folder.is_dir() else None
