"""`gender-monitor`: the command-line interface, one module per command."""
