"""SQLite storage: ``db`` opens and migrates the one database; one module per record kind."""
