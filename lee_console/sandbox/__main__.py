"""`python -m lee_console.sandbox [--host] [--port] [--scenario] ...`: serve a sandbox."""

from __future__ import annotations

import argparse
import sys

from lee_console.sandbox import add_serve_arguments, options_from_args, serve
from lee_console.sandbox.options import SandboxError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lee_console.sandbox",
        description="Serve a local AWS (moto + PITR fidelity) for lee-console drills and tests.",
    )
    add_serve_arguments(parser)
    ns = parser.parse_args(argv)
    try:
        return serve(options_from_args(ns), sys.stdout)
    except SandboxError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
