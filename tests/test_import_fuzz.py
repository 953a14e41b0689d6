"""Generated values for every field of an import line: whatever a line holds, the command
ends without a traceback, a failing line is reported as ``line N: <field>: reason`` and
leaves nothing behind.

Hypothesis puts one arbitrary JSON value (huge and negative numbers, NaN, NUL, lone
surrogates, nested lists and objects) at one place of a valid line: a top-level field, a
source's field, or a body block's value. Runs are deterministic and bounded (200
examples, or ``PRISM_FUZZ_EXAMPLES``; ``PRISM_FUZZ_RANDOM=1`` draws new ones); what
earlier runs found is kept as explicit cases in ``test_import_adversarial``.
"""

import io
import json
import os
import re

from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.images import get_image_model
from wagtail.models import Revision

from prism_news.models import ArticlePage

from . import test_import
from .test_import import line

categories = test_import.categories  # the fixture

FUZZ = settings(
    max_examples=int(os.environ.get("PRISM_FUZZ_EXAMPLES") or 200),
    deadline=None,
    derandomize=not os.environ.get("PRISM_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30) | st.sampled_from(
    ["", " ", "\x00", "\ud800", "a\udfffb", "<script>x</script>", "../../etc/hostname",
     "/etc/fonts/fonts.conf", "evil.svg", "ja", "politics", "analysis", "https://a.test/"]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, -(2**63) - 1, 10**30, 0, -1])
    | st.floats(allow_nan=True, allow_infinity=True)
    | TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = [
    "external_id", "locale", "category", "title", "summary", "body", "tags", "sources",
    "ai_involvement", "ai_model", "hero_image", "hero_image_alt",
]  # fmt: skip
BLOCKS = ["paragraph", "heading", "list", "quote", "image", "embed", "key_points"]
SOURCE_FIELDS = ["title", "publisher", "url", "language", "published_at"]
HUGE = "9" * 5000


@st.composite
def lines(draw):
    """A valid line with one value replaced (or a body block of any type made of it)."""
    data = json.loads(line(external_id=f"fuzz-{draw(st.integers(0, 3))}"))
    value = draw(VALUES | st.just(HUGE))
    where = draw(st.sampled_from(["field", "source", "block"]))
    if where == "field":
        data[draw(st.sampled_from(FIELDS))] = value
    elif where == "source":
        data["sources"][0][draw(st.sampled_from(SOURCE_FIELDS))] = value
    else:
        data["body"].append({"type": draw(st.sampled_from(BLOCKS)), "value": value})
    text = json.dumps(data, ensure_ascii=True, allow_nan=True)
    return text.replace(f'"{HUGE}"', HUGE)  # a 5,000-digit integer, not a string


def counts():
    return (
        ArticlePage.objects.count(),
        Revision.objects.count(),
        get_image_model().objects.count(),
    )


@FUZZ
@given(text=lines())
def test_any_value_anywhere_is_a_line_error_or_a_draft(categories, tmp_path, capfd, text):
    path = tmp_path / "fuzz.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    before = counts()
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", str(path), stdout=out, stderr=err)
        ok = True
    except CommandError as error:
        ok = False
        err.write(str(error))
    captured = capfd.readouterr()
    errors = err.getvalue()
    assert "Traceback" not in errors + captured.err + captured.out
    if ok:
        assert counts() != before or "1 unchanged" in out.getvalue()
        return
    reported = re.findall(r"^line 1: ([^:\n]+): \S.*$", errors, re.MULTILINE)
    assert len(reported) == 1, errors
    assert "unexpected" not in errors, errors  # every failure is a known, named reason
    assert counts() == before  # nothing written for the failed line
