"""The baseline of BenchmarkReadXLSX: how an analyst reads a ward's workbook
with pandas and openpyxl (Debian: python3-pandas python3-openpyxl).

    python3 pandas_read_xlsx.py WORKBOOK ROWS

prints the seconds read_excel took (pandas' import not counted) and the
process's peak resident memory in MB, and fails unless ROWS rows came out.
"""

import sys
import time

import pandas as pd

path, rows = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
df = pd.read_excel(path, engine="openpyxl")
elapsed = time.perf_counter() - t0
if len(df) != rows:
    sys.exit(f"{len(df)} rows, want {rows}")
with open("/proc/self/status") as f:
    peak = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024
print(f"{elapsed:.3f} {peak:.1f}")
