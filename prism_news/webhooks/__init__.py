"""Signed webhooks for front ends: what happened to a page, delivered after commit.

- ``events``: the event types and the signal handlers that emit them;
- ``models``: endpoints (configured in the admin) and deliveries (one per
  endpoint and event, with its attempts);
- ``payloads``: the JSON body, with the API's card for publications;
- ``signing``: the ``X-Prism-Signature`` header;
- ``safety``: which targets may be called, checked on every address a name resolves to;
- ``client``: one HTTP POST with timeouts, no redirects;
- ``tasks``: the django-tasks tasks that dispatch events and deliver them, with retries;
- ``admin``: the admin's endpoint and delivery views.

See docs/webhooks.md.
"""
