"""Compiled kernels of the load (numba): FIFO matching over arrays (fifo) and its frames in and out
(match_frames). Compiled once per machine and cached on disk beside the module (`cache=True`): about
6 s of CPU the first time, then about 0.5 s per process to import numba and load the machine code."""
