# `python -m runner` is the `lakehouse` command under its first name.
from lakehouse.cli import main

raise SystemExit(main())
