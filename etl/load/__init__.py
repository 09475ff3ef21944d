"""The load: files and folders into the warehouse in one transaction (`load_paths`, in etl.load.run).

Its stages are modules, in the order a row travels: read, validate, upsert, match, rollups, record; lock
holds the transaction and the load lock, types what they hand each other.
"""

from etl.load.run import load_paths
from etl.load.types import LoadBusy, LoadError, LoadResult, Progress

__all__ = ["LoadBusy", "LoadError", "LoadResult", "Progress", "load_paths"]
