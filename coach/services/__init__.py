"""Use-cases shared by the command line and the terminal UI: each takes a connection or a library and
returns values; neither face re-implements them."""
