"""A multilingual, headless-first newsroom for Wagtail."""

__version__ = "0.1.0"
