# Everything runs from the project's own .venv, built from uv.lock by `make setup`.
PYTHON3 ?= python3
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: setup demo serve index-worker test test-browser test-api test-corpus lint fmt bench clean \
	search-cluster test-cluster

setup: $(VENV)/.synced

# uv bootstraps from pip once; afterwards the lock file (which pins uv itself) owns the .venv.
$(VENV)/.synced: pyproject.toml uv.lock
	@test -x $(UV) || { $(PYTHON3) -m venv $(VENV) && $(VENV)/bin/pip install --quiet uv==$(UV_VERSION); }
	$(UV) sync --frozen --quiet
	@touch $@

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_unions
	$(PY) manage.py ingest sample/
	$(PY) manage.py demo_superuser
	@echo "Serving on http://$(HOST)/  (admin: http://$(HOST)/admin/, user admin / password admin)"
	$(PY) manage.py runserver $(HOST)

# Production-style serving on this machine: gunicorn (see gunicorn.conf.py) with whitenoise.
# Needs DEBUG=false, SECRET_KEY and ALLOWED_HOSTS in the environment (see README). Each gunicorn
# worker starts an index worker thread (SEARCH_INDEX_WORKER, on without DEBUG) that applies
# the search index queue; `make index-worker` runs the same loop alone, e.g. beside runserver.
serve: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn -c gunicorn.conf.py

index-worker: setup
	$(PY) manage.py index_worker

test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

fmt: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	$(PY) bench/parse_accuracy.py

clean:
	rm -rf $(VENV) var/

# Real-browser tests (Playwright + the system chromium), kept apart from `make test`.
test-browser: setup node_modules/.package-lock.json
	$(PY) -m pytest -m browser

# axe-core for the browser tests' accessibility checks, pinned in package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

# The JSON API against /api/openapi.json: schemathesis on the demo server (tests/contract/).
test-api: setup
	$(PY) -m pytest -m api

# The two-node OpenSearch cluster on loopback (deploy/search-cluster: Maven Central parts, Java
# 17), in the foreground; Ctrl-C stops both nodes. Then HAYSTACK_ENGINE=articles.search.
# opensearch.ArticleOpenSearchEngine points the archive at it (README, "A search cluster").
search-cluster:
	deploy/search-cluster/cluster run

# The cluster tests (pytest -m cluster) on a fresh cluster of their own, stopped afterwards
# whatever the outcome.
CLUSTER_TEST_HOME := $(CURDIR)/var/search-cluster-test
test-cluster: setup
	rm -rf $(CLUSTER_TEST_HOME)
	export SEARCH_CLUSTER_HOME=$(CLUSTER_TEST_HOME); \
	deploy/search-cluster/cluster start || { deploy/search-cluster/cluster stop; exit 1; }; \
	$(PY) -m pytest -m cluster; status=$$?; \
	deploy/search-cluster/cluster stop; exit $$status
