"""Derived tables a load keeps up to date and queries read: like materialized views, part of the warehouse."""
