"""Extract, validate, match and load accounting exports into the warehouse."""

from etl.allocator import configure

configure()  # before any etl module imports polars: its allocator reads the setting as it starts
