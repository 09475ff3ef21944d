"""What the tests share, so that no test module imports another: paths, ledgers, databases, the CLI, acts,
SMTP, the browser app, the load server. Shared fixtures are in the conftest.py of the narrowest folder."""
