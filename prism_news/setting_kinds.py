"""The kinds of values PRISM_NEWS settings take (declared in conf.py).

A kind says which type a setting takes (a wrong type is prism_news.E001) and which
values of that type it accepts (anything else is prism_news.E002). ``name`` is what
the check messages and docs/settings.md call it.
"""

import ipaddress
import reprlib
from collections.abc import Mapping
from numbers import Real

from django.conf import settings


class Kind:
    name = ""

    def fits_type(self, value):
        raise NotImplementedError

    def wrong_type(self, value):
        """What has the wrong type in ``value``, or None: ``"is '50' (type str)"``."""
        return None if self.fits_type(value) else f"is {describe(value)}"

    def reason(self, value):
        """Why ``value``, of the right type, is not accepted: None when it is, "" when
        the kind's name says it all."""
        return None

    def problems(self, value):
        """What is wrong with ``value`` (of the right type): ``["is 0"]``."""
        reason = self.reason(value)
        return [] if reason is None else [_detail("is", _show(value), reason)]


def _is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def _show(value):
    return reprlib.repr(value)


def _detail(verb, shown, reason):
    return f"{verb} {shown} ({reason})" if reason else f"{verb} {shown}"


class Boolean(Kind):
    name = "bool"

    def fits_type(self, value):
        return isinstance(value, bool)


class Integer(Kind):
    def __init__(self, minimum, maximum=None):
        self.minimum, self.maximum = minimum, maximum
        if maximum is None:
            self.name = f"int ≥ {minimum}"
        else:
            self.name = f"int, {minimum} ≤ n ≤ {maximum:,}"

    def fits_type(self, value):
        return isinstance(value, int) and not isinstance(value, bool)

    def reason(self, value):
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            return ""
        return None


class Number(Kind):
    """An int or a float, above ``above``, or within [at_least, below)."""

    def __init__(self, *, above=None, at_least=None, below=None):
        self.above, self.at_least, self.below = above, at_least, below
        if above is not None:
            self.name = f"number > {above}"
        else:
            self.name = f"number, {at_least} ≤ n < {below}"

    def fits_type(self, value):
        return _is_number(value)

    def reason(self, value):
        fits = (
            (self.above is None or value > self.above)
            and (self.at_least is None or value >= self.at_least)
            and (self.below is None or value < self.below)
        )
        return None if fits else ""


class Text(Kind):
    name = "str"

    def __init__(self, *, empty=True):
        self.empty = empty
        if not empty:
            self.name = "non-empty str"

    def fits_type(self, value):
        return isinstance(value, str)

    def reason(self, value):
        return None if value or self.empty else ""


class RenditionSpec(Text):
    """A Wagtail image filter spec such as ``fill-480x270`` or ``width-960|format-webp``."""

    name = "rendition spec"

    def reason(self, value):
        from wagtail.images.exceptions import InvalidFilterSpecError
        from wagtail.images.models import Filter

        try:
            Filter(spec=value).operations  # noqa: B018  (parsing is the check)
        except InvalidFilterSpecError as error:
            return str(error) or "not a filter spec"
        return None


class Network(Text):
    name = "IP network"

    def reason(self, value):
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            return "not an IP network such as '127.0.0.1/32' or '::1/128'"
        return None


class Alias(Text):
    """The name of a backend configured in another Django setting (TASKS, CACHES);
    a name that is not configured there is prism_news.E004, not E002."""

    def __init__(self, setting, fallback=("default",)):
        super().__init__()
        self.setting = setting
        self.fallback = fallback  # what that setting holds when a project leaves it out
        self.name = f"alias in {setting}"

    def configured(self):
        return getattr(settings, self.setting, None) or dict.fromkeys(self.fallback)


class Collection(Kind):
    """A container of ``item``s: the container's type, then each entry's, is checked."""

    container = object

    def __init__(self, item):
        self.item = item

    def entries(self, value):
        """``(label, item value)`` for each entry; a label names it in messages."""
        raise NotImplementedError

    def fits_type(self, value):
        return self.wrong_type(value) is None

    def wrong_type(self, value):
        if not isinstance(value, self.container):
            return f"is {describe(value)}"
        for label, v in self.entries(value):
            if not self.item.fits_type(v):
                return f"has {label}{describe(v)}"
        return None

    def problems(self, value):
        return [
            _detail("has", f"{label}{_show(v)}", reason)
            for label, v in self.entries(value)
            if (reason := self.item.reason(v)) is not None
        ]


class ListOf(Collection):
    """A list (or tuple) of ``item``s."""

    container = list | tuple

    def __init__(self, item):
        super().__init__(item)
        self.name = f"list[{item.name}]"

    def entries(self, value):
        return (("", v) for v in value)


class DictOf(Collection):
    """A dict of str keys (names, language codes) to ``item``s."""

    container = Mapping

    def __init__(self, item):
        super().__init__(item)
        self.name = f"dict[str, {item.name}]"

    def wrong_type(self, value):
        if isinstance(value, self.container):
            for k in value:
                if not isinstance(k, str):
                    return f"has the key {describe(k)}"
        return super().wrong_type(value)

    def entries(self, value):
        return ((f"{k!r}: ", v) for k, v in value.items())


def describe(value):
    """``value`` for a check message: its repr (shortened) and type."""
    return f"{_show(value)} (type {type(value).__name__})"
