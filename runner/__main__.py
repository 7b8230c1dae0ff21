# `python -m runner` is the `lakehouse` command under its first name.
from lakehouse.cli import exit_process, main

exit_process(main())
