"""A local AWS for drills and tests: moto's HTTP server plus a PITR-fidelity extension.

Importable only by the CLI entry point and by tests, never by core/, aws/ or ui/. The options,
truth and argparse helpers are light; ``Sandbox``, ``start_sandbox`` and ``serve`` import moto
on first use, so that bad options are refused without paying for moto's import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lee_console.sandbox.cli_args import add_serve_arguments, options_from_args
from lee_console.sandbox.options import SCENARIOS, SandboxError, SandboxOptions
from lee_console.sandbox.truth import ScenarioTruth

if TYPE_CHECKING:
    from lee_console.sandbox.runtime import Sandbox, serve, start_sandbox

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


def __getattr__(name: str) -> Any:
    if name in ("Sandbox", "serve", "start_sandbox"):
        from lee_console.sandbox import runtime

        return getattr(runtime, name)
    raise AttributeError(f"module 'lee_console.sandbox' has no attribute {name!r}")
