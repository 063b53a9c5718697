# tests/reference/datasets.R: write the project's embedded data sets as CSV files in data/,
# together with data/README.md, which says where each one comes from.
#
# Run from the root of the repository:
#
#     Rscript tests/reference/datasets.R
#
# R is only a development tool here: the CSV files this script writes are committed, and the
# programs and the test suite use those files, never R.
#
# Every file is written by write.csv (header row, comma separated, factor columns quoted) and then
# read back with read.csv(stringsAsFactors = TRUE), the way our C reader reads it, to check that
# nothing was lost on the way:
#   - a numeric column must come back as numbers identical, bit for bit, to the original doubles.
#     write.csv prints 15 significant digits, which is not always enough (lme4's grouseticks$cHEIGHT
#     is a centred height such as 2.7568238213399655); such a column is rewritten with, for each
#     value, the fewest of 15, 16 or 17 significant digits that read back to the same double;
#   - a factor column must come back with the same labels.  A factor whose labels all look like
#     numbers (cbpp's herd and period, sleepstudy's Subject) comes back as a numeric column: that
#     is how read.csv (and our reader) types it, and users write factor(herd) for it.

suppressPackageStartupMessages(library(lme4))
invisible(Sys.setlocale("LC_COLLATE", "C"))   # factor levels in byte order, as our C reader sorts them

out_dir <- "data"
if (!dir.exists(out_dir)) stop("run this script from the root of the repository (no data/ here)")

cat(R.version.string, "\n")
cat("lme4", format(packageVersion("lme4")), "\n")

# A data frame whose row names become its first column, called `name`.
with_row_names <- function(d, name) {
  out <- data.frame(rownames(d), d, check.names = FALSE, stringsAsFactors = TRUE)
  names(out)[1] <- name
  rownames(out) <- NULL
  out
}

# Format a numeric vector so that each value reads back as the same double: the shortest of 15, 16
# and 17 significant digits that does.  17 digits always suffice for an IEEE double.
format_exact <- function(x) {
  s <- rep("NA", length(x))
  ok <- !is.na(x)
  for (digits in c(17, 16, 15)) {          # each pass keeps the shorter form where it is exact
    t <- sprintf(paste0("%.", digits, "g"), x[ok])
    exact <- as.numeric(t) == x[ok]
    s[ok][exact] <- t[exact]
  }
  s
}

# The data sets.  `what`, `source` and `licence` go into data/README.md.
r_licence    <- "R's `datasets` package is part of R, licensed GPL-2 | GPL-3; the data themselves are public facts."
lme4_licence <- paste0("Shipped with the lme4 package, licensed ", packageDescription("lme4")$License, ".")
r_pkg        <- paste("R", paste(R.version$major, R.version$minor, sep = "."), "package `datasets`")
lme4_pkg     <- paste("R package `lme4`", format(packageVersion("lme4")))

sets <- list(
  mtcars = list(
    data = with_row_names(mtcars, "model"),
    what = "Fuel consumption (`mpg`) and ten aspects of design and performance of 32 cars (1973-74 models); the first column `model` is R's row names.",
    source = c(r_pkg, "Henderson, H. V. and Velleman, P. F. (1981). Building multiple regression models interactively. *Biometrics* 37, 391-411. The data were extracted from the 1974 *Motor Trend* US magazine."),
    licence = r_licence),
  iris = list(
    data = iris,
    what = "Sepal and petal length and width (cm) of 50 flowers from each of three species of iris.",
    source = c(r_pkg, "Fisher, R. A. (1936). The use of multiple measurements in taxonomic problems. *Annals of Eugenics* 7, 179-188. Measured by Edgar Anderson (1935), *Bulletin of the American Iris Society* 59, 2-5."),
    licence = r_licence),
  warpbreaks = list(
    data = warpbreaks,
    what = "The number of warp breaks per loom, for two types of wool (`A`, `B`) and three levels of tension (`L`, `M`, `H`); 9 looms per combination. R's level order (`L`, `M`, `H`, so the baseline level is `L`) is kept in `data/warpbreaks.levels`, written by `tests/reference/levels.R`.",
    source = c(r_pkg, "Tippett, L. H. C. (1950). *Technological Applications of Statistics*. Wiley, page 106."),
    licence = r_licence),
  swiss = list(
    data = with_row_names(swiss, "province"),
    what = "A standardized fertility measure and five socio-economic indicators for 47 French-speaking provinces of Switzerland, about 1888; the first column `province` is R's row names.",
    source = c(r_pkg, "Mosteller, F. and Tukey, J. W. (1977). *Data Analysis and Regression: A Second Course in Statistics*. Addison-Wesley, project 16P5, pages 549-551. Originally from the Office of Population Research, Princeton University."),
    licence = r_licence),
  ToothGrowth = list(
    data = ToothGrowth,
    what = "Length of odontoblasts (`len`) in 60 guinea pigs given one of three doses of vitamin C (`dose`, mg/day) by one of two delivery methods (`supp`: orange juice `OJ` or ascorbic acid `VC`).",
    source = c(r_pkg, "Crampton, E. W. (1947). The growth of the odontoblast of the incisor teeth as a criterion of vitamin C intake of the guinea pig. *The Journal of Nutrition* 33, 491-504."),
    licence = r_licence),
  sleepstudy = list(
    data = sleepstudy,
    what = "Average reaction time (ms) per day for 18 subjects restricted to 3 hours of sleep a night, days 0 to 9. `Subject`'s labels are numbers (308, 309, ...), so the column reads as numeric; a grouping term `(1 | Subject)` treats it as a factor anyway.",
    source = c(lme4_pkg, "Belenky, G., Wesensten, N. J., Thorne, D. R., Thomas, M. L., Sing, H. C., Redmond, D. P., Russo, M. B. and Balkin, T. J. (2003). Patterns of performance degradation and restoration during sleep restriction and subsequent recovery: a sleep dose-response study. *Journal of Sleep Research* 12, 1-12."),
    licence = lme4_licence),
  Dyestuff = list(
    data = Dyestuff,
    what = "Yield of dyestuff (grams of standard colour) from 5 preparations from each of 6 batches of an intermediate product.",
    source = c(lme4_pkg, "Davies, O. L. and Goldsmith, P. L. (eds) (1972). *Statistical Methods in Research and Production*, 4th ed. Oliver and Boyd, section 6.4."),
    licence = lme4_licence),
  Dyestuff2 = list(
    data = Dyestuff2,
    what = "Constructed data with the layout of `Dyestuff` (6 batches of 5) but a residual variance large relative to the batch variance, so that the batch variance is estimated as zero.",
    source = c(lme4_pkg, "Box, G. E. P. and Tiao, G. C. (1973). *Bayesian Inference in Statistical Analysis*. Addison-Wesley, section 5.1.2."),
    licence = lme4_licence),
  Penicillin = list(
    data = Penicillin,
    what = "Diameter (mm) of the zone of growth inhibition for 6 penicillin samples (`A`-`F`) each tested on 24 plates (`a`-`x`): two crossed grouping factors.",
    source = c(lme4_pkg, "Davies, O. L. and Goldsmith, P. L. (eds) (1972). *Statistical Methods in Research and Production*, 4th ed. Oliver and Boyd, section 6.6."),
    licence = lme4_licence),
  Pastes = list(
    data = Pastes,
    what = "Strength of a chemical paste, two assays for each of 3 casks from each of 10 delivery batches: casks nested in batches (`sample` is `batch:cask`).",
    source = c(lme4_pkg, "Davies, O. L. and Goldsmith, P. L. (eds) (1972). *Statistical Methods in Research and Production*, 4th ed. Oliver and Boyd, section 6.5."),
    licence = lme4_licence),
  cbpp = list(
    data = cbpp,
    what = "New serological cases of contagious bovine pleuropneumonia (`incidence`) out of `size` zebu cattle, in 15 herds over up to 4 periods in Ethiopia. `herd` and `period` have numeric labels and read as numeric columns: write `factor(period)` to use period as a factor.",
    source = c(lme4_pkg, "Lesnoff, M., Laval, G., Bonnet, P., Abdicho, S., Workalemahu, A., Kifle, D., Peyraud, A., Lancelot, R. and Thiaucourt, F. (2004). Within-herd spread of contagious bovine pleuropneumonia in Ethiopian highlands. *Preventive Veterinary Medicine* 64, 27-40."),
    licence = lme4_licence),
  VerbAgg = list(
    data = VerbAgg,
    what = "Responses (`resp`: no, perhaps, yes; `r2`: N or Y) of 316 subjects to 24 items of a questionnaire on verbal aggression, with the subject's trait anger score and gender. `id` reads as numeric; in R `resp` is an ordered factor and `mode` has levels `want`, `do`, and `data/VerbAgg.levels` keeps R's order of `mode` and `item`.",
    source = c(lme4_pkg, "De Boeck, P. and Wilson, M. (eds) (2004). *Explanatory Item Response Models: A Generalized Linear and Nonlinear Approach*. Springer. Data from the UC Berkeley BEAR Center."),
    licence = lme4_licence)
)
if (exists("grouseticks")) {           # in lme4 since 1.1-?; skipped when absent
  sets$grouseticks <- list(
    data = grouseticks,
    what = "Number of ticks on the heads of 403 red grouse chicks, by brood, location, year (95-97) and height above sea level (m); `cHEIGHT` is the centred height. `INDEX`, `BROOD`, `YEAR` and `LOCATION` have numeric labels and read as numeric columns.",
    source = c(lme4_pkg, "Elston, D. A., Moss, R., Boulinier, T., Arrowsmith, C. and Lambin, X. (2001). Analysis of aggregation, a worked example: numbers of ticks on red grouse chicks. *Parasitology* 122, 563-569."),
    licence = lme4_licence)
}

# Write one data set, read it back and check it.  Returns the data frame as read.csv sees it.
write_and_check <- function(name, d) {
  file <- file.path(out_dir, paste0(name, ".csv"))
  is_text <- vapply(d, function(x) is.factor(x) || is.character(x), TRUE)
  # Quote only the factor columns (write.csv's default quotes those too, but the columns that
  # format_exact turns into character strings must stay unquoted numbers).
  write_it <- function(d) write.csv(d, file, row.names = FALSE, quote = which(is_text))
  write_it(d)
  back <- read.csv(file, stringsAsFactors = TRUE)
  fixed <- character(0)
  for (j in which(!is_text)) {
    if (!identical(as.double(back[[j]]), as.double(d[[j]]))) {
      d[[j]] <- format_exact(d[[j]])
      fixed <- c(fixed, names(d)[j])
    }
  }
  if (length(fixed) > 0) {
    write_it(d)
    back <- read.csv(file, stringsAsFactors = TRUE)
    cat(sprintf("  %s: rewritten with up to 17 significant digits: %s\n", name, paste(fixed, collapse = ", ")))
  }
  # The checks.
  stopifnot(identical(names(back), names(d)), nrow(back) == nrow(d))
  for (j in seq_along(d)) {
    if (!is_text[j]) {
      stopifnot(is.numeric(back[[j]]), identical(as.double(back[[j]]), as.double(as.numeric(d[[j]]))))
    } else if (is.factor(back[[j]])) {
      stopifnot(identical(as.character(back[[j]]), as.character(d[[j]])))
    } else {                            # numeric labels: the column came back as numbers
      stopifnot(is.numeric(back[[j]]), identical(as.character(back[[j]]), as.character(d[[j]])))
    }
  }
  back
}

# The type of each column as read.csv sees it, e.g. "Subject (integer)" or "Species (factor: 3 levels)".
describe_columns <- function(back) {
  vapply(names(back), function(n) {
    x <- back[[n]]
    if (is.factor(x)) sprintf("`%s` (factor, %d levels)", n, nlevels(x))
    else sprintf("`%s` (%s)", n, if (is.integer(x)) "integer" else "double")
  }, "")
}

readme <- c(
  "# The embedded data sets",
  "",
  "Small public data sets that ship inside the programs (`bin/ols 'mpg ~ wt' mtcars`) and that the book",
  "uses in its examples. Each is a CSV file written from R by `write.csv(..., row.names = FALSE)`; numbers",
  "are written with enough digits to read back as exactly the same doubles, and factor columns are quoted.",
  "",
  "They are read as R's `read.csv(file, stringsAsFactors = TRUE)` reads them, except that factor levels are",
  "sorted in byte (C locale) order. A factor whose labels all look like numbers (such as `cbpp`'s `period`)",
  "therefore becomes a numeric column; write `factor(period)` in a formula to use it as a factor. Grouping",
  "factors of random-effect terms are always factors, whatever the column type. The column lists below",
  "give the types `read.csv` gives; `integer` and `double` columns are both plain numbers to our programs.",
  "",
  "All files were regenerated, from the root of the repository, by",
  "",
  "    Rscript tests/reference/datasets.R",
  "",
  sprintf("with %s and lme4 %s.", R.version.string, format(packageVersion("lme4"))),
  ""
)

total <- 0
for (name in names(sets)) {
  s <- sets[[name]]
  back <- write_and_check(name, s$data)
  file <- file.path(out_dir, paste0(name, ".csv"))
  total <- total + file.size(file)
  cols <- describe_columns(back)
  cat(sprintf("%-12s %5d x %2d  %s\n", name, nrow(back), ncol(back), paste(cols, collapse = ", ")))
  readme <- c(readme,
    paste0("## ", name), "",
    s$what, "",
    sprintf("- **Size:** %d rows x %d columns (`data/%s.csv`, %s bytes).", nrow(back), ncol(back), name,
            format(file.size(file), big.mark = ",")),
    paste0("- **Columns, as `read.csv` types them:** ", paste(cols, collapse = ", "), "."),
    paste0("- **Source:** ", s$source[1], ". ", s$source[2]),
    paste0("- **Licence:** ", s$licence),
    "- **Regenerated by:** `Rscript tests/reference/datasets.R`",
    "")
}
writeLines(readme, file.path(out_dir, "README.md"))
cat(sprintf("%d data sets, %s bytes in all\n", length(sets), format(total, big.mark = ",")))
