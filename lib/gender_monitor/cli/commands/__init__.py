"""One module per command; each exposes ``register(subparsers)`` and sets ``func`` on its parser.

Modules import only the standard library at module level: heavy imports happen inside ``func``.
"""
