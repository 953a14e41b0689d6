# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make demo   virtualenv, install, migrate, demo content, serve on 127.0.0.1:8000
#               (with the background task worker that delivers webhooks)
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
# The web server with the task worker beside it; the worker stops with the server and
# logs only failures (`make worker` shows every task).
SERVE_WITH_WORKER := cd example_site && export DEBUG=1 SITE_URL=$(SITE_URL) && \
	( ../$(BIN)/python manage.py demo_worker --no-reload --interval 2 & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  ../$(BIN)/python manage.py runserver $(DEMO_HOST):$(DEMO_PORT) )

.PHONY: demo serve worker test test-wagtail-latest lint format messages api-docs settings-docs bench search-bench loadtest docs dist mutants install-dev install-test install-example clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[$*]"
	touch $@

# The checkers the accessibility tests run (package.json: axe-core, the Nu HTML checker's
# vnu-jar, Lighthouse), from package-lock.json; without npm the tests that need them skip
# and say why.
# --ignore-scripts: vnu-jar's install script would download a Java runtime.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm is not installed: the axe-core, Nu checker and Lighthouse tests will skip"; fi

install-dev: $(VENV)/.installed-dev
install-test: $(VENV)/.installed-test node_modules/.package-lock.json
# What the example site needs, and nothing for tests, docs or releases.
install-example: $(VENV)/.installed-example

demo: install-example
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_demo
	@printf '\nSite:  %s/\nAdmin: %s/admin/\nLogin: admin / prism-news-demo\n\n' $(SITE_URL) $(SITE_URL)
	@$(SERVE_WITH_WORKER)

serve: install-example
	$(SERVE_WITH_WORKER)

# The background task worker alone (webhook deliveries, purges, renditions, Wagtail's tasks).
worker: install-example
	$(MANAGE) db_worker --no-reload

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite (without the slow tests: no scaffolded projects, browsers or Varnish) against the
# newest Wagtail release on the package index, above pyproject's cap, in its own virtualenv:
# the test extra first, then Wagtail upgraded past the cap (with whatever newer dependencies
# it needs; pip then says prism-news's cap is not met, as intended). `pip check` must find
# nothing broken but that cap. `make test-wagtail-latest PYTEST_ARGS=tests/test_x.py` for one module.
LATEST_VENV := .venv-wagtail-latest
test-wagtail-latest:
	$(MAKE) install-test VENV=$(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade wagtail
	@broken="$$($(LATEST_VENV)/bin/python -m pip check \
		| grep -v -e '^prism-news .* has requirement wagtail[<>=!]' -e '^No broken')"; \
	if [ -n "$$broken" ]; then echo "$$broken"; exit 1; fi
	$(LATEST_VENV)/bin/python -c "from importlib.metadata import version; print(', '.join( \
		f'{name} {version(name)}' for name in ('Django', 'wagtail', 'wagtail-localize', 'django-ninja')))"
	$(LATEST_VENV)/bin/python -m pytest -m "not slow" $(PYTEST_ARGS)

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
	rm -rf $(VENV) $(LATEST_VENV) example_site/db.sqlite3 example_site/media site dist

# Regenerate the request/response examples in docs/api.md from the demo content.
api-docs: install-test
	UPDATE_API_DOCS=1 $(BIN)/python -m pytest -q tests/test_api_docs.py

# Regenerate the tables in docs/settings.md and docs/checks.md from conf.py and checks.py.
settings-docs: install-test
	UPDATE_SETTINGS_DOCS=1 $(BIN)/python -m pytest -q tests/test_settings_docs.py

# Time the API against Wagtail's stock endpoint at 1k/10k/100k articles, in process and
# under gunicorn, in a PostgreSQL database of its own (dropped afterwards). Writes
# benchmarks/results/bench-latest.json; BENCH_ARGS=--record also writes docs/performance.md
# and its plots. Bounded by BENCH_SIZES, BENCH_ROUNDS and BENCH_LOAD_SECONDS.
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/api.py $(BENCH_ARGS)

# Search quality (recall@10, MRR per language over benchmarks/search_relevance.json) and
# speed (search next to the listing, interleaved) through the v2 API at 1k/10k/100k
# articles, in a PostgreSQL database of its own (dropped afterwards). Writes
# benchmarks/results/search-latest.json; SEARCH_BENCH_ARGS=--record also writes the
# "Measured quality and speed" section of docs/search.md. SEARCH_BENCH_SIZES=1000,10000.
search-bench: install-test
	$(BIN)/python benchmarks/search.py $(SEARCH_BENCH_ARGS)

# The example site under load with Redis stopped in the middle (docs/operations.md): its own
# PostgreSQL database, redis-server, gunicorn, task worker and editor, all removed afterwards.
# Writes benchmarks/results/loadtest-latest.json; LOADTEST_ARGS="--record after" also
# writes docs/operations.md. Fails on a 5xx, a stale answer, or a stale answer at the end.
loadtest: $(VENV)/.installed-loadtest
	$(BIN)/python benchmarks/loadtest.py $(LOADTEST_ARGS)

# The documentation site (mkdocs.yml); --strict turns every warning (a broken link,
# a page missing from the nav) into a failure. Output in site/.
docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

# The sdist and wheel in dist/, checked as PyPI checks them (metadata, README rendering).
dist: $(VENV)/.installed-release
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# Mutation testing ([tool.mutmut] in pyproject.toml): mutate the checked modules, run the
# tests that reach each mutant, list the survivors. One worker (the test database is one
# SQLite file, migrated once); stops by itself after MUTANTS_TIMEOUT seconds.
MUTANTS_TIMEOUT ?= 3600
mutants: $(VENV)/.installed-mutation
	rm -rf mutants
	PRISM_TEST_DB_FILE=$(CURDIR)/mutants/test-db.sqlite3 timeout $(MUTANTS_TIMEOUT) \
		$(BIN)/mutmut run --max-children 1; status=$$?; \
	$(BIN)/mutmut results; exit $$status
