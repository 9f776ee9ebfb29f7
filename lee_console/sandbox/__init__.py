"""A local AWS for drills and tests: moto's HTTP server plus a PITR-fidelity extension.

Importable only by the CLI entry point and by tests, never by core/, aws/ or ui/.
"""
