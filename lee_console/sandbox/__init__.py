"""A local AWS for drills and tests: moto's HTTP server plus a PITR-fidelity extension.

Importable only by the CLI entry point and by tests, never by core/, aws/ or ui/.
"""

from lee_console.sandbox.cli_args import add_serve_arguments, options_from_args
from lee_console.sandbox.options import SCENARIOS, SandboxError, SandboxOptions
from lee_console.sandbox.runtime import Sandbox, serve, start_sandbox
from lee_console.sandbox.truth import ScenarioTruth

__all__ = [
    "SCENARIOS",
    "Sandbox",
    "SandboxError",
    "SandboxOptions",
    "ScenarioTruth",
    "add_serve_arguments",
    "options_from_args",
    "serve",
    "start_sandbox",
]
