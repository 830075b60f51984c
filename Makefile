# Skin-concern assistant: `make run` to start everything, `make test` to test it.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/skin-assistant.tar.gz
PIPELINE := nlp/build/skin_pipeline/meta.json
KNOWLEDGE := $(shell find assistant/knowledge -name '*.yml')
GENERATED := data/nlu/concern_vocabulary.yml domain/responses.yml
TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) $(shell find data -name "*.yml") $(wildcard nlp/*.py)
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help setup pipeline nlu-data validate lint train run shell test test-unit evaluate clean constraints purge \
	report review system-packages

help:
	@echo "make run       set up (venv, packages, spaCy pipeline), train if needed, start servers"
	@echo "make shell     chat in the terminal (rasa shell) with the action server"
	@echo "make test      the whole test suite (what CI runs); installs the system tools it needs"
	@echo "make train     train the model when data or config changed"
	@echo "make validate  rasa data validate, failing on warnings"
	@echo "make lint      ruff and mypy on the project's code"
	@echo "make evaluate  concern recognition: blind set, classifier and rasa cross-validation"
	@echo "make nlu-data  regenerate the concern vocabulary and the domain's fixed replies from the knowledge base"
	@echo "make pipeline  rebuild the spaCy pipeline from the knowledge base"
	@echo "make purge     delete conversations older than RETENTION_DAYS (default 30)"
	@echo "make report    the clinic's report (counts and charts, no visitor's data): reports/assistant-report.html"
	@echo "make review    messages it did not understand, masked, to label: review/to_label.yml"
	@echo "make clean     remove models, build output and test results (keeps .venv)"

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt scripts/setup_venv.sh
	scripts/setup_venv.sh

WIDGET_DEPS := web/node_modules/.package-lock.json

$(WIDGET_DEPS): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund

setup: $(VENV)/.installed $(PIPELINE) $(WIDGET_DEPS)

$(PIPELINE): $(VENV)/.installed $(KNOWLEDGE) pipeline/spacy_pipeline.py pipeline/patterns.py
	$(BIN)/python -m pipeline.spacy_pipeline

pipeline: $(PIPELINE)

$(GENERATED) &: $(VENV)/.installed $(KNOWLEDGE) pipeline/generated.py
	$(BIN)/python -m pipeline.generated

nlu-data: $(GENERATED)

validate: setup
	$(BIN)/rasa data validate --domain domain --fail-on-warnings

LINTED := assistant actions nlp channels privacy pipeline evaluation harness clinic_view bench tests scripts/serve_demo_page.py

lint: $(VENV)/.installed
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy $(LINTED)

# Rasa itself also skips training when its fingerprint is unchanged; this rule
# avoids even loading it when nothing the model depends on has changed. The
# spaCy pipeline is order-only: its patterns are read at start-up, so
# knowledge-base edits that change no NLU data need no retraining.
# A data or config change retrains only the components it reaches (Rasa's cache,
# .rasa/cache); a change to the components' code (nlp/*.py), which Rasa's cache
# cannot see, retrains everything (--force).
$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS) $(GENERATED) | $(PIPELINE)
	$(BIN)/rasa train --domain domain --fixed-model-name skin-assistant --out models \
	  $(if $(filter nlp/%.py,$?),--force)
	@touch $(MODEL)

train: $(MODEL)

run: setup $(MODEL)
	scripts/run.sh

shell: setup $(MODEL)
	scripts/shell.sh

# The system tools the tests need (tmux, curl, PostgreSQL, Redis, Chromium): installed
# with apt-get when missing, or the one command to run is printed.
system-packages:
	scripts/system_packages.sh

test: system-packages setup
	$(MAKE) lint
	$(BIN)/python -m pipeline.generated --check
	$(MAKE) validate
	$(MAKE) train
	$(BIN)/python -m pytest

test-unit: setup
	$(BIN)/python -m pytest tests/unit

# How well concerns are understood: the blind set (report, misses and confusion
# matrix in test-artifacts/), 5-fold cross-validation of the concern classifier,
# and Rasa's own 5-fold cross-validation of intents and entities (results/).
evaluate: setup $(MODEL)
	$(BIN)/python -m evaluation.concerns --model $(MODEL) --out test-artifacts
	$(BIN)/python -m evaluation.concerns --cross-validation --out test-artifacts
	$(BIN)/python -m evaluation.round2 --model $(MODEL) --out test-artifacts
	$(BIN)/python -m evaluation.questions --cross-validation --out test-artifacts
	$(BIN)/python -m evaluation.conversations --out test-artifacts
	$(BIN)/rasa test nlu --nlu data/nlu --cross-validation --folds 5 --out results/cross-validation

# Delete conversations older than RETENTION_DAYS (default 30); schedule it daily.
purge: $(VENV)/.installed
	$(BIN)/python -m privacy.purge --endpoints $${ENDPOINTS:-endpoints.yml}

# The clinic's view (docs/deploying.md, "The clinic's view"): counts of the conversations
# within RETENTION_DAYS in the store of $ENDPOINTS (default endpoints.yml), and the
# messages it did not understand, masked, as NLU data to label.
report: $(VENV)/.installed
	$(BIN)/python -m clinic_view.report --endpoints $${ENDPOINTS:-endpoints.yml}

review: $(VENV)/.installed
	$(BIN)/python -m clinic_view.review --endpoints $${ENDPOINTS:-endpoints.yml}

constraints: $(VENV)/.installed
	{ echo "# Every package version, transitive ones included, as installed and tested."; \
	  echo "# Regenerate with: make constraints"; \
	  $(BIN)/pip freeze --all | grep -v '^pip=='; } > constraints.txt

clean:
	rm -rf models nlp/build results .run test-artifacts .pytest_cache .hypothesis
