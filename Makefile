# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make demo   virtualenv, install, migrate, demo content, serve on 127.0.0.1:8000
#   make test   virtualenv, install test dependencies, run the suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# The demo's address; absolute URLs (API html_url, canonical, hreflang, feeds, sitemaps)
# follow it: `make demo DEMO_PORT=8011`.
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
SITE_URL ?= http://$(DEMO_HOST):$(DEMO_PORT)
MANAGE := cd example_site && DEBUG=1 SITE_URL=$(SITE_URL) ../$(BIN)/python manage.py

.PHONY: demo serve test lint format messages api-docs bench install-dev install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[$*]"
	touch $@

install-dev: $(VENV)/.installed-dev
install-test: $(VENV)/.installed-test

demo: install-dev
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Site: $(SITE_URL)/  Admin: $(SITE_URL)/admin/  user: admin  password: prism-news-demo"
	$(MANAGE) runserver $(DEMO_HOST):$(DEMO_PORT)

serve: install-dev
	$(MANAGE) runserver $(DEMO_HOST):$(DEMO_PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

TEMPLATES := prism_news/templates example_site/home/templates

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $(TEMPLATES)

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $(TEMPLATES)

# Refresh the ja/en catalogues after changing strings, then fill in msgstr and run again.
messages: install-dev
	for app in prism_news example_site/home; do \
		(cd $$app && DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH=$(CURDIR):$(CURDIR)/example_site $(CURDIR)/$(BIN)/django-admin makemessages -l ja -l en --no-obsolete \
		&& DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH=$(CURDIR):$(CURDIR)/example_site $(CURDIR)/$(BIN)/django-admin compilemessages) || exit 1; \
	done

clean:
	rm -rf $(VENV) example_site/db.sqlite3 example_site/media

# Regenerate the request/response examples in docs/api.md from the demo content.
api-docs: install-test
	UPDATE_API_DOCS=1 $(BIN)/python -m pytest -q tests/test_api_docs.py

# Time the API against Wagtail's stock endpoint; writes docs/performance.md.
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/api.py
