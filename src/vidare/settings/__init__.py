"""Settings are chosen by the environment: VIDARE_PRODUCTION=1 selects production."""

import os


def settings_module() -> str:
    if os.environ.get("VIDARE_PRODUCTION") == "1":
        return "vidare.settings.production"
    return "vidare.settings.development"
