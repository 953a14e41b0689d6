from .conf import get_settings


def language_label(language_code):
    """The short label shown on cards, e.g. "JP" for ja (configurable)."""
    labels = get_settings()["LANGUAGE_LABELS"]
    code = (language_code or "").lower()
    return labels.get(code) or labels.get(code.split("-")[0]) or code.split("-")[0].upper()
