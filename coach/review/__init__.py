"""Pure analyses over stored records (no I/O): they take rows and return figures and renderings."""
