"""`python -m gender_monitor` runs the command-line interface."""

from gender_monitor.cli.main import main

raise SystemExit(main())
