"""One module per `gpscrape` command: `HELP`, `add_arguments(parser)`, `run(args) -> int`."""
