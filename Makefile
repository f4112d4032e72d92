# Loa — see README.md. `make run` sets up everything and starts the site; `make test` tests.
PY := .venv/bin/python
PIP := .venv/bin/pip
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run install install-engine system-packages bootstrap serve test test-sqlite test-postgres lint messages bench

run: install bootstrap serve

# Debian packages first: the virtualenv needs python3-venv.
install: system-packages .venv/.installed

system-packages:
	@scripts/install-system-packages

.venv/.installed: pyproject.toml
	@command -v python3.11 >/dev/null && PYBIN=python3.11 || PYBIN=python3; \
	  [ -x $(PY) ] || $$PYBIN -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	@touch $@

# Output goes to var/log/; `make run` ends with the summary load_demo writes (var/demo.txt).
bootstrap:
	@mkdir -p var/log
	@echo "Chuẩn bị cơ sở dữ liệu, bản dịch, phông chữ và tỉnh mẫu (nhật ký: var/log/bootstrap.log)…"
	@( $(PY) manage.py migrate --no-input -v0 \
	  && $(PY) manage.py compilemessages -v0 --ignore=.venv \
	  && $(PY) manage.py build_fonts -v0 \
	  && $(PY) manage.py collectstatic --no-input -v0 \
	  && $(PY) manage.py load_demo --summary-file var/demo.txt ) > var/log/bootstrap.log 2>&1 \
	  || { tail -n 30 var/log/bootstrap.log; exit 1; }

serve:
	@scripts/run-dev

# The search engine (OpenSearch from Maven Central, Java 17): only the tests, the benchmarks
# and scale-out installations need it; `make run` searches the database.
install-engine:
	@scripts/search-node install

# The whole suite, on SQLite and then on a throwaway PostgreSQL server; one search node for
# both runs (its tests use an index prefix of their own).
test: install install-engine
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	$(PY) manage.py build_fonts -v0
	@url=$$(scripts/search-node start) && \
	  LOA_TEST_SEARCH_URL=$$url $(MAKE) --no-print-directory lint test-sqlite test-postgres; \
	  rc=$$?; scripts/search-node stop; exit $$rc

test-sqlite:  # two processes: CI has two cores
	$(PY) -m pytest -q -n 2

test-postgres:
	@url=$$(scripts/test-postgres start) && \
	  DATABASE_URL=$$url $(PY) -m pytest -q -n 2; rc=$$?; scripts/test-postgres stop; exit $$rc

lint:
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache

# Refresh the Vietnamese catalogue from the code (source strings are Vietnamese).
messages:
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-obsolete
	$(PY) scripts/fill_vi_catalogue.py locale/vi/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --ignore=.venv

bench:
	$(PY) -m bench
