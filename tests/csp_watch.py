"""Content-Security-Policy violations in a Playwright browser context.

``wait_until(page, expression)`` replaces ``page.wait_for_function``, which runs its string
through the page's ``eval()``: a policy without ``'unsafe-eval'`` (the site's and the
admin's) refuses that.

``watch(context)`` before the first page loads: every ``securitypolicyviolation`` event
in any frame of the context (the admin's preview iframes included) and every console
message about the policy is collected; ``assert_none(context, where)`` fails with what
was refused, and starts a new collection.
"""

import time

REPORT = """
document.addEventListener('securitypolicyviolation', (event) => {
    window.prismCspViolation({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile + ':' + event.lineNumber,
        sample: event.sample,
        document: document.location.href,
    });
});
"""


class CspWatch:
    def __init__(self, context):
        self.violations = []
        context.expose_binding("prismCspViolation", lambda source, v: self.violations.append(v))
        context.add_init_script(REPORT)
        context.on("console", self.console)

    def console(self, message):
        if "Content Security Policy" in message.text:
            page = message.page
            self.violations.append({"console": message.text, "document": page and page.url})


def watch(context):
    context.prism_csp = CspWatch(context)
    return context


def assert_none(context, where, page=None):
    """No violation so far; ``page`` (when given) first finishes loading what it loads."""
    if page is not None:
        page.wait_for_load_state("networkidle")
    found, context.prism_csp.violations = context.prism_csp.violations, []
    assert found == [], f"{where}: Content-Security-Policy violations: {found}"


def wait_until(page, expression, timeout=20):
    """Poll ``expression`` (evaluated by the browser's debugger, which no policy limits)
    until it is true."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(100)
