# The two set-up commands of the README are `make run` and `make test`; both make .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTEST_JOBS ?= 2

.PHONY: run test test-unit test-browser lint format bench messages lock clean

$(INSTALLED): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/daphne -b 127.0.0.1 -p 8000 helpdesk.asgi:application

# Playwright's sync API leaves an event loop behind that breaks pytest-asyncio in the same
# process (its loop is still set when the async tests start), so browser tests run in a
# pytest process of their own.
# The apps' own tests run a second time on PostgreSQL (a throwaway cluster, tests/on_postgres.py).
POSTGRES_TESTS ?= portal tickets livechat
test: $(INSTALLED)
	$(BIN)/pytest -m "not browser" -n $(PYTEST_JOBS)
	$(BIN)/python -m tests.on_postgres -m "not browser" -n $(PYTEST_JOBS) $(POSTGRES_TESTS)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser -n $(PYTEST_JOBS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(INSTALLED)
	$(BIN)/python -m bench

# Needs gettext. Strings go to the catalog of the app that holds them (portal/locale,
# tickets/locale, livechat/locale) and the project's templates to locale/.
messages: $(INSTALLED)
	$(BIN)/python manage.py makemessages -l pl --no-location --no-obsolete \
		-i '.venv/*' -i 'static/*' -i 'staticfiles/*' -i 'tests/*' -i 'bench/*' -i 'var/*'
	$(BIN)/python manage.py compilemessages -l pl -i '.venv'

# Re-resolve the dependencies (needs uv): pyproject.toml -> uv.lock -> requirements.lock.
lock:
	UV_PYTHON_DOWNLOADS=never uv lock
	UV_PYTHON_DOWNLOADS=never uv export --frozen --no-emit-project --all-groups \
		--format requirements-txt -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles
