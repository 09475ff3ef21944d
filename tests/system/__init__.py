"""Promises no one package keeps alone: a manager sees only their clients (access), passwords never show
(secrets), hostile text never runs (injection), the design's invariants hold over demo data. A test
belongs here when it holds one promise across the pages, the CLI, the files and the queries at once; a
test of one package's rule goes to that package's folder."""
