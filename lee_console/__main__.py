from lee_console.cli import main

raise SystemExit(main())
