"""Pure functions over domain types: no Qt, no I/O, no globals."""
