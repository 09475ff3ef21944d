"""Strings of individual pages, merged into dashboard.i18n.CATALOG (one catalog, kept in pieces)."""
