#!/usr/bin/env python3
"""tests/reference/same-doubles.py: check that R read the same numbers as our C reader does.

Run from the root of the repository (it needs Rscript):

    python3 tests/reference/same-doubles.py

The reference values are R's fits to the data frames that read.csv makes of our CSV files.  Our C
reader turns a numeric field into a double with C's strtod, which is correctly rounded (the double
nearest to the decimal number).  R's own parser is not always: for about 1 in 2000 arbitrary
6-decimal numbers it is 1 unit in the last place off.  This script has R print every numeric value it
read from data/*.csv and tests/data/*/*.csv in hexadecimal, parses the same fields with Python's
float() (correctly rounded, like strtod) and reports every difference.  None is expected.
"""
import csv
import glob
import re
import subprocess
import sys

R_DUMP = r'''
files <- commandArgs(TRUE)
for (f in files) {
  d <- read.csv(f, stringsAsFactors = TRUE)
  for (j in seq_along(d)) if (is.numeric(d[[j]])) {
    x <- as.double(d[[j]])
    writeLines(paste(f, j, seq_along(x), ifelse(is.na(x), "NA", sprintf("%a", x)), sep = "\t"))
  }
}
'''

files = sorted(glob.glob("data/*.csv") + glob.glob("tests/data/*/*.csv"))
if not files:
    sys.exit("same-doubles.py: run from the root of the repository (no data/*.csv here)")
out = subprocess.run(["Rscript", "-e", R_DUMP, *files], check=True, capture_output=True, text=True).stdout

tables = {}
checked = differences = 0
for line in out.splitlines():
    f, j, i, hexval = line.split("\t")
    if f not in tables:
        with open(f, newline="") as fh:
            tables[f] = list(csv.reader(fh))
    field = tables[f][int(i)][int(j) - 1].strip(" \t")
    checked += 1
    if hexval == "NA":
        ok = field in ("", "NA")
    else:
        ok = float(field) == float.fromhex(hexval)
    if not ok:
        differences += 1
        print(f"{f}: row {i}, column {j}: field {field!r}: R read {hexval}, "
              f"strtod reads {float(field).hex() if re.match(r'^[-+0-9.eE]+$', field) else '?'}")
print(f"{checked} numeric fields in {len(files)} files, {differences} read differently by R")
sys.exit(1 if differences else 0)
