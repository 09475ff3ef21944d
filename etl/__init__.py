"""Extract, validate, match and load accounting exports into the warehouse."""
