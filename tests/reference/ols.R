# tests/reference/ols.R: reference values for bin/ols, computed by R's lm().
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/ols.R
#
# It writes
#   - the test inputs tests/data/ols/*.csv that are not embedded data sets (always the same bytes:
#     the simulated one comes from a fixed seed);
#   - tests/reference/ols/CASE.json for every case below: what `bin/ols --json FORMULA DATA` must
#     print (the JSON contract of the book's output appendix), as R computes it;
#   - tests/reference/ols/cases.tsv: one line per case, "case<TAB>formula<TAB>data", which the test
#     runner (tests/run) reads to run bin/ols on each case and compare with the JSON file.
#
# R is a development tool only: these files are committed and the tests never call R.
#
# Every model is fitted to the data frame that read.csv(stringsAsFactors = TRUE) makes of the very
# CSV file the test gives bin/ols, with factor levels sorted in byte order (the C locale), so that R
# sees exactly the numbers and the factor levels our C reader sees.  An embedded data set's factors
# then get the level order of R's own data frame, recorded in data/NAME.levels by levels.R, as our
# programs give them (warpbreaks' tension is L, M, H, and the coefficients are tensionM and tensionH).

invisible(Sys.setlocale("LC_COLLATE", "C"))

if (!file.exists("data/mtcars.csv")) stop("run from the repository root, after tests/reference/datasets.R")
cat(R.version.string, "\n")

ref_dir  <- "tests/reference/ols"
data_dir <- "tests/data/ols"
dir.create(ref_dir, recursive = TRUE, showWarnings = FALSE)
dir.create(data_dir, recursive = TRUE, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------------
# 1. The test inputs that are not embedded data sets.

# missing.csv: rows with missing values, written out by hand so that every kind of missing field is
# visible: the bare NA, the quoted "NA", an empty field, and an empty quoted field "".  Column z is
# in no formula, so its missing values must not drop any row.  (There is no empty field in the factor
# column g on purpose: read.csv reads an empty field in a text column as the level "", not as NA,
# where our reader reads it as missing.)
writeLines(c(
  "y,x1,x2,g,z",
  "4.17,1.2,0.5,a,1",
  "5.58,2.4,1.5,b,2",
  "5.18,3.1,NA,a,3",
  "6.11,4.8,2.5,c,NA",
  ",5.0,3.5,b,5",
  "4.50,,1.0,c,6",
  "4.61,1.9,0.0,NA,7",
  "5.17,2.2,\"NA\",a,8",
  "5.33,3.3,1.75,b,",
  "NA,3.9,2.25,c,10",
  "5.14,4.4,3.0,a,11",
  "4.81,\"\",2.0,b,12",
  "6.50,6.1,4.5,c,13",
  "5.01,2.8,1.25,\"NA\",14",
  "5.95,5.5,3.25,a,15",
  "6.30,6.6,4.0,b,16",
  "4.36,1.1,0.75,c,17",
  "5.57,4.0,2.75,a,18",
  "6.12,5.2,3.75,c,19",
  "5.89,4.7,3.5,b,20"),
  file.path(data_dir, "missing.csv"))

# collinear.csv: x3 is exactly x1 + x2 (small integers, so the sum is exact in floating point),
# so the design of y ~ x1 + x2 + x3 has rank 3 of 4 and R reports x3's coefficient as NA.
set.seed(101)
x1 <- sample(0:9, 15, replace = TRUE)
x2 <- sample(0:9, 15, replace = TRUE)
collinear <- data.frame(y = round(3 + 0.5 * x1 - 0.25 * x2 + rnorm(15), 2),
                        x1 = x1, x2 = x2, x3 = x1 + x2)
write.csv(collinear, file.path(data_dir, "collinear.csv"), row.names = FALSE)

# quoted.csv: numbers in double quotes (read.csv reads a column whose every field is a number as
# numeric, quoted or not), quoted and unquoted spellings of the same factor level, a quoted header,
# blanks around numbers (read.csv ignores them in numeric fields) and CRLF line ends.
writeLines(c(
  "\"y\",\"x\",\"g\"",
  "\"2.5\",\"1\",\"lo\"",
  "\"3.1\",2,lo",
  "3.9,\"3\",\"hi\"",
  "\"4.2\",\"4.5\",hi",
  "\" 5.0\",\"5\",\"lo\"",
  "5.8 ,\"6.25\",hi",
  "\"6.1\",7,\"lo\"",
  "7.4,\"8\",\"hi\""),
  file.path(data_dir, "quoted.csv"), sep = "\r\n")

# sim5000.csv: 5000 simulated rows, y = 1 + 2 x1 - 0.5 x2 + 0.01 x3 + (effect of g) + noise, where
# x3 is about 1000 (a badly centred column, to exercise the numerics).
# Every value is rounded to a multiple of 1/64 before it is written.  Such a number has an exact,
# short decimal form (at most 6 decimals: 1/64 = 0.015625), so reading it back gives exactly that
# double, whoever reads it.  With arbitrary 6-decimal numbers that would not be so: R's own number
# parser is not always correctly rounded, and for about 1 value in 2000 read.csv gives a double 1 unit
# in the last place away from what C's strtod (and so our reader) gives; "12.199573" is one of them.
set.seed(20240601)
n <- 5000
sim <- data.frame(x1 = rnorm(n), x2 = runif(n, 0, 10), x3 = rnorm(n, 1000, 10),
                  g = sample(c("a", "b", "c", "d"), n, replace = TRUE))
sim$y <- 1 + 2 * sim$x1 - 0.5 * sim$x2 + 0.01 * sim$x3 +
         c(a = 0, b = 0.5, c = -1, d = 2)[sim$g] + rnorm(n, sd = 1.5)
sim <- sim[c("y", "x1", "x2", "x3", "g")]
for (v in c("y", "x1", "x2", "x3")) {
  sim[[v]] <- round(sim[[v]] * 64) / 64             # exact: a multiple of 2^-6
  sim[[v]] <- sprintf("%.15g", sim[[v]])            # its exact decimal form (at most 10 digits)
}
write.csv(sim, file.path(data_dir, "sim5000.csv"), row.names = FALSE, quote = 5)
stopifnot(identical(as.numeric(sim$x3), round(as.numeric(sim$x3) * 64) / 64))

# missing_poly.csv: x1 complete, x2 missing on some rows, so that poly(x1, 2) and scale(x1) are
# computed on every row (as model.frame evaluates them) before na.omit drops the rows where x2 is
# missing.
set.seed(7)
mp <- data.frame(y = round(rnorm(12, 5), 2), x1 = c(1:12) / 2, x2 = round(rnorm(12), 2))
mp$x2[c(3, 8)] <- NA
write.csv(mp, file.path(data_dir, "missing_poly.csv"), row.names = FALSE)
# scale.csv (issue 15, scale-invariant rank decisions): x and z are of order 1, and the same x
# is given again multiplied by 1e200, 1e-200, 1e300 and 1e-300; w = (x + z) * 1e250 is collinear
# with x and z.  R keeps every rescaled x (its rank test compares a column with its own length)
# and drops w.  Written with 17 significant digits.
set.seed(15)
x <- round(rnorm(20), 2); z <- round(rnorm(20), 2)
sc <- data.frame(y = round(1 + 2 * x + 3 * z + rnorm(20), 2), x = x, z = z,
                 x_e200 = x * 1e200, x_em200 = x * 1e-200, x_e300 = x * 1e300, x_em300 = x * 1e-300,
                 w = (x + z) * 1e250)
for (v in names(sc)) sc[[v]] <- sprintf("%.17g", sc[[v]])
write.csv(sc, file.path(data_dir, "scale.csv"), row.names = FALSE, quote = FALSE)

# ---------------------------------------------------------------------------------------------
# 2. The cases: name, formula, data (an embedded data set's name or a path from the repository root).

cases <- read.table(header = TRUE, sep = "|", strip.white = TRUE, stringsAsFactors = FALSE,
                    quote = "", comment.char = "", text = "
  case                       | formula                                          | data
  mtcars_wt_hp               | mpg ~ wt + hp                                    | mtcars
  mtcars_wt                  | mpg ~ wt                                         | mtcars
  mtcars_intercept_only      | mpg ~ 1                                          | mtcars
  mtcars_wt_by_hp            | mpg ~ wt * hp                                    | mtcars
  mtcars_factor_cyl          | mpg ~ wt + factor(cyl)                           | mtcars
  mtcars_log_quadratic       | log(mpg) ~ wt + I(wt^2)                          | mtcars
  mtcars_no_intercept_zero   | mpg ~ 0 + wt + hp                                | mtcars
  mtcars_no_intercept_minus  | mpg ~ wt - 1                                     | mtcars
  mtcars_sqrt_exp            | mpg ~ sqrt(hp) + exp(wt)                         | mtcars
  mtcars_arithmetic          | mpg ~ I(disp - hp) + log(hp)                     | mtcars
  iris_species               | Sepal.Length ~ Species                           | iris
  iris_species_no_intercept  | Sepal.Length ~ 0 + Species                       | iris
  iris_petal_by_species      | Sepal.Length ~ Petal.Length * Species            | iris
  warpbreaks_additive        | breaks ~ wool + tension                          | warpbreaks
  warpbreaks_interaction     | breaks ~ wool * tension                          | warpbreaks
  warpbreaks_no_margins      | breaks ~ wool:tension                            | warpbreaks
  toothgrowth_dose_slopes    | len ~ dose + dose:supp                           | ToothGrowth
  toothgrowth_nested_slopes  | len ~ supp + supp:dose                           | ToothGrowth
  swiss_dots                 | Fertility ~ Agriculture + Infant.Mortality       | swiss
  swiss_full                 | Fertility ~ Agriculture + Examination + Education + Catholic + Infant.Mortality | swiss
  missing_rows               | y ~ x1 + x2 + g                                  | tests/data/ols/missing.csv
  missing_rows_subset        | y ~ x1                                           | tests/data/ols/missing.csv
  collinear                  | y ~ x1 + x2 + x3                                 | tests/data/ols/collinear.csv
  quoted_fields              | y ~ x + g                                        | tests/data/ols/quoted.csv
  simulated_5000             | y ~ x1 + x2 + x3 + g                             | tests/data/ols/sim5000.csv
  relevel_tension            | breaks ~ wool + relevel(tension, 'M')            | warpbreaks
  relevel_ref_number         | breaks ~ relevel(wool, ref = 2) * tension        | warpbreaks
  factor_levels_order        | breaks ~ factor(tension, levels = c('H', 'M', 'L')) | warpbreaks
  factor_levels_subset       | breaks ~ factor(tension, levels = c('M', 'L'))   | warpbreaks
  factor_levels_numeric      | mpg ~ wt + factor(cyl, levels = c(8, 4, 6))      | mtcars
  contr_sum                  | breaks ~ wool * C(tension, contr.sum)            | warpbreaks
  contr_helmert              | breaks ~ C(tension, helmert) + wool              | warpbreaks
  contr_treatment_base       | breaks ~ C(tension, contr.treatment, base = 2)   | warpbreaks
  contr_sum_no_intercept     | breaks ~ 0 + C(tension, contr.sum) + wool        | warpbreaks
  poly_quadratic             | mpg ~ poly(wt, 2)                                | mtcars
  poly_cubic_interaction     | mpg ~ poly(hp, 3) * factor(am)                   | mtcars
  poly_raw                   | mpg ~ poly(wt, degree = 2, raw = TRUE) + hp      | mtcars
  poly_missing_other         | y ~ poly(x1, 2) + x2                             | tests/data/ols/missing_poly.csv
  scale_one                  | mpg ~ scale(wt) + hp                             | mtcars
  scale_options              | mpg ~ scale(wt, center = FALSE) + scale(hp, scale = FALSE) | mtcars
  scale_missing_other        | y ~ scale(x1) + x2                               | tests/data/ols/missing_poly.csv
  compare_factor             | mpg ~ factor(cyl > 4) + wt                       | mtcars
  compare_ge                 | mpg ~ I(wt >= 3) * hp                            | mtcars
  compare_eq_ne              | mpg ~ I(gear == 4) + I(carb != 1)                | mtcars
  compare_bare               | mpg ~ wt + (hp > 120)                            | mtcars
  compare_string             | breaks ~ I(tension == 'L') + wool                | warpbreaks
  dot_all                    | Sepal.Length ~ .                                 | iris
  dot_log_response           | log(Sepal.Length) ~ Petal.Width:Species + .      | iris
  dot_minus                  | Fertility ~ . - province                         | swiss
  scale_invariant_rank_e200  | y ~ x_e200 + z                                   | tests/data/ols/scale.csv
  scale_invariant_rank_em200 | y ~ x_em200 + z                                  | tests/data/ols/scale.csv
  scale_invariant_rank_e300  | y ~ x_e300 + z                                   | tests/data/ols/scale.csv
  scale_invariant_rank_em300 | y ~ x_em300 + z                                  | tests/data/ols/scale.csv
  scale_invariant_rank_order | y ~ x + x_em300 + z                              | tests/data/ols/scale.csv
  scale_invariant_rank_collinear | y ~ x + z + w                                | tests/data/ols/scale.csv
  scale_invariant_rank_mtcars | mpg ~ I(wt * 1e154) + hp                        | mtcars
")

# The CSV file behind a case's data argument.
csv_path <- function(data) if (grepl("/", data)) data else file.path("data", paste0(data, ".csv"))

# Read a case's data as our programs see it: read.csv, and for an embedded data set the levels in the
# order recorded in data/NAME.levels (R's own order).
read_case_data <- function(data) {
  d <- read.csv(csv_path(data), stringsAsFactors = TRUE)
  lev_file <- file.path("data", paste0(data, ".levels"))
  if (!grepl("/", data) && file.exists(lev_file))
    for (line in strsplit(readLines(lev_file), "\t"))
      d[[line[1]]] <- factor(d[[line[1]]], levels = line[-1])
  d
}

# ---------------------------------------------------------------------------------------------
# 3. JSON, written by hand (no packages needed).

num <- function(x) {                       # a number with 17 significant digits, or null
  if (length(x) == 0 || is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)
}
str_json <- function(s) {                  # a JSON string (our formulas need only \ and " escaped)
  paste0("\"", gsub("\"", "\\\"", gsub("\\", "\\\\", s, fixed = TRUE), fixed = TRUE), "\"")
}
field <- function(name, value) paste0("  ", str_json(name), ": ", value)

# The JSON object for one fitted lm.
ols_json <- function(fit, formula) {
  s  <- summary(fit)
  ci <- confint(fit, level = 0.95)
  est <- coef(fit)                         # every coefficient, NA where aliased
  tab <- s$coefficients                    # only the estimable ones
  coefs <- vapply(names(est), function(term) {
    if (is.na(est[[term]])) {              # aliased: all fields null except the name
      vals <- rep("null", 6)
    } else {
      vals <- c(num(tab[term, "Estimate"]), num(tab[term, "Std. Error"]), num(tab[term, "t value"]),
                num(tab[term, "Pr(>|t|)"]), num(ci[term, 1]), num(ci[term, 2]))
    }
    paste0("    {\"term\": ", str_json(term),
           ", \"estimate\": ", vals[1], ", \"std_error\": ", vals[2], ", \"statistic\": ", vals[3],
           ", \"p_value\": ", vals[4], ", \"conf_low\": ", vals[5], ", \"conf_high\": ", vals[6], "}")
  }, "")
  f <- s$fstatistic                        # NULL for a model with only an intercept
  if (is.null(f)) {
    f_stat <- "null"; f_df <- "null"; f_p <- "null"
  } else {
    f_stat <- num(f[["value"]])
    f_df   <- sprintf("[%s, %s]", num(f[["numdf"]]), num(f[["dendf"]]))
    f_p    <- num(pf(f[["value"]], f[["numdf"]], f[["dendf"]], lower.tail = FALSE))
  }
  n_dropped <- if (is.null(fit$na.action)) 0L else length(fit$na.action)
  paste0("{\n", paste(c(
    field("model", str_json("ols")),
    field("formula", str_json(formula)),
    field("n_obs", sprintf("%d", nobs(fit))),
    field("n_dropped", sprintf("%d", n_dropped)),
    paste0("  \"coefficients\": [\n", paste(coefs, collapse = ",\n"), "\n  ]"),
    field("log_lik", num(as.numeric(logLik(fit)))),
    field("aic", num(AIC(fit))),
    field("bic", num(BIC(fit))),
    field("converged", "true"),
    field("sigma", num(s$sigma)),
    field("r_squared", num(s$r.squared)),
    field("adj_r_squared", num(s$adj.r.squared)),
    field("f_statistic", f_stat),
    field("f_df", f_df),
    field("f_p_value", f_p),
    field("df_residual", sprintf("%d", fit$df.residual))
  ), collapse = ",\n"), "\n}\n")
}

# ---------------------------------------------------------------------------------------------
# 4. Fit every case and write its JSON file and its line of cases.tsv.

tsv <- "# case\tformula\tdata   (reference values from R's lm(); regenerate with Rscript tests/reference/ols.R)"
for (i in seq_len(nrow(cases))) {
  cs <- cases[i, ]
  d <- read_case_data(cs$data)
  fit <- lm(as.formula(cs$formula), data = d)     # na.action = na.omit, R's default
  writeLines(ols_json(fit, cs$formula), file.path(ref_dir, paste0(cs$case, ".json")), sep = "")
  tsv <- c(tsv, paste(cs$case, cs$formula, cs$data, sep = "\t"))
  aliased <- sum(is.na(coef(fit)))
  cat(sprintf("%-26s %-45s n=%4d dropped=%d coefs=%d%s\n", cs$case, cs$formula, nobs(fit),
              if (is.null(fit$na.action)) 0L else length(fit$na.action), length(coef(fit)),
              if (aliased > 0) sprintf(" (%d aliased)", aliased) else ""))
}
writeLines(tsv, file.path(ref_dir, "cases.tsv"))
cat(sprintf("%d cases written to %s\n", nrow(cases), ref_dir))
