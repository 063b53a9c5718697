# tests/reference/levels.R: record the order of the factor levels of the embedded data sets.
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/levels.R
#
# A CSV file cannot say in which order a factor's levels come, and read.csv sorts them; but the data
# frames that ship with R and lme4 keep their own order (warpbreaks$tension is L, M, H, not H, L, M),
# and a user who fits breaks ~ wool + tension to R's warpbreaks expects R's coefficients.  So for each
# embedded data set this script writes data/NAME.levels, one line per factor column of R's own data
# frame that read.csv reads as a factor: the column name and then its levels in R's order, separated
# by tabs.  tool-embed compiles the file beside the CSV file, and the reader puts the levels in that
# order (Section "Data sets that ship inside the programs" of the data chapter).  Columns made from
# row names (mtcars' model, swiss' province) are no factor in R and get no line.

suppressPackageStartupMessages(library(lme4))
if (!file.exists("data/mtcars.csv")) stop("run from the repository root")

for (file in list.files("data", pattern = "\\.csv$", full.names = TRUE)) {
  name <- sub("\\.csv$", "", basename(file))
  d <- get(name)
  back <- read.csv(file, stringsAsFactors = TRUE)
  lines <- character(0)
  for (v in names(d)) {
    if (is.factor(d[[v]]) && is.factor(back[[v]])) {
      lev <- levels(droplevels(d[[v]]))
      stopifnot(setequal(lev, levels(back[[v]])), !any(grepl("[\t\n]", lev)))
      lines <- c(lines, paste(c(v, lev), collapse = "\t"))
    }
  }
  out <- file.path("data", paste0(name, ".levels"))
  if (length(lines) > 0) writeLines(lines, out) else if (file.exists(out)) file.remove(out)
  if (length(lines) > 0) cat(name, ":", sub("\t.*", "", lines), "\n")
}
