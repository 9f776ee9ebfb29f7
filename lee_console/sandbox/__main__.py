"""`python -m lee_console.sandbox [--host] [--port] [--scenario] ...`: serve a sandbox."""

from __future__ import annotations

import argparse
import sys

from lee_console.sandbox.cli_args import add_serve_arguments, options_from_args
from lee_console.sandbox.options import SandboxError, validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lee_console.sandbox",
        description="Serve a local AWS (moto + PITR fidelity) for lee-console drills and tests.",
    )
    add_serve_arguments(parser)
    ns = parser.parse_args(argv)
    try:
        options = options_from_args(ns)
        validate(options)  # before importing moto: a bad option is refused at once
        from lee_console.sandbox.runtime import serve

        return serve(options, sys.stdout)
    except SandboxError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
