"""Errors the ETL reports to a person: each carries a message meant to be read, not a traceback."""


class FileRefused(Exception):
    """A file that cannot be read as a whole (unknown format, a required column missing, ...).

    The message names what is wrong in words a finance person understands; the loader adds the file name.
    """
