# Two commands matter: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "sso-bot needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

## run: start the Slack app (reads a .env file if there is one)
run: $(STAMP)
	@set -a; [ -f .env ] && . ./.env; set +a; exec $(BIN)/sso-bot serve

## test: run the test suite (SQLite; set SSO_BOT_TEST_POSTGRES_URL to add PostgreSQL)
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: measure ack latency against a bare Bolt app
bench: $(STAMP)
	$(BIN)/python bench/ack_latency.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
