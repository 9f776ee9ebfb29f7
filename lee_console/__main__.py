from lee_console.cli import program

raise SystemExit(program())
