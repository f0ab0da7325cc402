# Two commands a new user needs: `make review` and `make test`. Both create .venv/ when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
KERNEL := gender-monitor

.PHONY: setup review test bench clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); } || { rm -rf $(VENV); \
	  echo "Could not create $(VENV): on Debian/Ubuntu install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.txt -e ".[test,lab]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (gender-monitor)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

review: setup
	$(BIN)/gender-monitor review -f parameters/annual_2026.yaml

test: setup
	$(BIN)/python -m pytest -n 2

bench: setup
	$(BIN)/python benchmarks/backtest.py
	$(BIN)/python benchmarks/holdout.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/big_csv.py
	$(BIN)/python benchmarks/review_time.py

clean:
	rm -rf $(VENV) outputs/*/
