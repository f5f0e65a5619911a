# Beskæftigelsesnetværket – `make help` lists the targets.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install run serve migrate seed test lint format check clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# axe-core for the accessibility tests (tests/browser/test_axe.py), when npm is there.
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the axe-core accessibility tests will be skipped"; fi

install: $(VENV)/.installed node_modules/.installed ## Create the virtualenv and install the pinned requirements (and axe-core for tests)

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

seed: migrate ## Load the demo content (safe to run again)
	$(MANAGE) seed_demo

run: export PORT := $(PORT)
run: seed ## Install, migrate, seed and serve on http://127.0.0.1:$(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

TEST_PROCESSES ?= auto
# Bytecode is cached (__pycache__/, git-ignored) even where the environment turns it off
# (PYTHONDONTWRITEBYTECODE): each test process would otherwise compile and rewrite the
# ~80 test modules again (3–4 s of its start).
test: install ## Run the whole test suite (set DATABASE_URL to test on PostgreSQL)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist worksteal $(PYTEST_ARGS)

lint: install ## Check code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django system checks and missing migrations
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

clean: ## Remove the virtualenv, the SQLite database and uploaded media
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles

serve: export PORT := $(PORT)
serve: seed ## Production settings locally: gunicorn + WhiteNoise on http://127.0.0.1:$(PORT)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=$${SECRET_KEY:-local-serve-only-$$(hostname)-not-secret} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	TASKS_BACKEND=$${TASKS_BACKEND:-immediate} \
	SECURE_SSL_REDIRECT=false \
	$(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=$${SECRET_KEY:-local-serve-only-$$(hostname)-not-secret} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	TASKS_BACKEND=$${TASKS_BACKEND:-immediate} \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false \
	$(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) \
		--workers $${WORKERS:-4} --threads $${THREADS:-1} --access-logfile - --timeout 30
