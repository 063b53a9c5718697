# tests/reference/boot.R: reference values for the bootstrap of bin/ols, computed by R's boot package.
#
# Run from the root of the repository (it takes a few minutes: R fits lm() 200 000 times a case):
#
#     Rscript tests/reference/boot.R
#
# (BOOT_NREP=500 Rscript tests/reference/boot.R is a quick trial run; do not commit its output.)
#
# It writes tests/reference/boot/CASE.json for every case below.  The unit-test program test-boot
# (chunks/boot.nw) reads them, runs our bootstrap on the same model with as many replicates, and
# checks that every interval endpoint agrees with R's within 0.05 standard errors of the coefficient.
# (There is deliberately no cases.tsv here: tests/run would take the directory for a program.)
#
# A bootstrap interval is random, and two correct programs with different random numbers agree only
# up to Monte Carlo error.  With R = 200 000 replicates the standard deviation of an endpoint of a 95%
# percentile interval is about 0.006 standard errors of the coefficient, in R's file and in ours, so a
# difference larger than 0.05 is a real disagreement, not bad luck.
#
# The intervals are boot.ci()'s: "perc", "basic" and "bca".  boot.ci() estimates the acceleration
# of BCa from empirical influence values, by default by regressing the replicates on the resampling
# frequencies (empinf(type = "reg")); the book, like Efron and Tibshirani, takes them from the
# jackknife, so we pass L = empinf(type = "jack") and record the default's interval beside it, as
# "bca_regression", for the book's comparison.  BCa is given for the pairs bootstrap only: for the
# residual bootstrap boot's influence values are those of the residuals, and for the wild bootstrap
# (a "parametric" bootstrap to boot) it has none.
#
# Every model is fitted to the data frame that read.csv(stringsAsFactors = TRUE) makes of the very CSV
# file the programs embed, with factor levels in byte order, as in tests/reference/ols.R.
#
# R is a development tool only: these files are committed and the tests never call R.

invisible(Sys.setlocale("LC_COLLATE", "C"))
if (!file.exists("data/mtcars.csv")) stop("run from the repository root")
suppressPackageStartupMessages(library(boot))
cat(R.version.string, "; boot", format(packageVersion("boot")), "\n")

ref_dir <- "tests/reference/boot"
dir.create(ref_dir, recursive = TRUE, showWarnings = FALSE)
nrep <- as.integer(Sys.getenv("BOOT_NREP", "200000"))

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
pair <- function(x) sprintf("[%s, %s]", num(x[1]), num(x[2]))
str <- function(s) sprintf("\"%s\"", gsub("\"", "\\\\\"", s))

# one_case: bootstrap the coefficients of FORMULA on DATA with the given scheme, write CASE.json.
one_case <- function(name, formula, data, type, level = 0.95, seed = 1) {
  d <- read.csv(file.path("data", paste0(data, ".csv")), stringsAsFactors = TRUE)
  fm <- as.formula(formula)
  fit <- lm(fm, data = d)
  d <- d[rownames(model.frame(fit)), , drop = FALSE]
  yname <- all.vars(fm)[1]
  est <- coef(fit)
  se <- coef(summary(fit))[, "Std. Error"]
  set.seed(seed)
  time <- system.time({
    if (type == "pairs") {
      b <- boot(d, function(d, i) coef(lm(fm, data = d[i, ])), R = nrep)
    } else if (type == "residual") {
      d$.fit <- fitted(fit)
      d$.res <- residuals(fit)
      b <- boot(d, function(d, i) { d[[yname]] <- d$.fit + d$.res[i]; coef(lm(fm, data = d)) },
                R = nrep)
    } else if (type == "wild") {
      b <- boot(d, function(d) coef(lm(fm, data = d)), R = nrep, sim = "parametric",
                ran.gen = function(d, mle) {
                  d[[yname]] <- mle$fit + mle$res * sample(c(-1, 1), nrow(d), replace = TRUE)
                  d },
                mle = list(fit = fitted(fit), res = residuals(fit)))
    }
  })
  cat(sprintf("%s: %d replicates in %.1f s\n", name, nrep, time[["elapsed"]]))
  terms <- character(0)
  for (j in seq_along(est)) {
    ci <- boot.ci(b, conf = level, index = j, type = c("perc", "basic"))
    fields <- c(sprintf("\"term\": %s", str(names(est)[j])),
                sprintf("\"estimate\": %s", num(est[j])),
                sprintf("\"std_error\": %s", num(se[j])),
                sprintf("\"percentile\": %s", pair(ci$percent[4:5])),
                sprintf("\"basic\": %s", pair(ci$basic[4:5])))
    if (type == "pairs") {
      L <- empinf(b, index = j, type = "jack")
      bca <- boot.ci(b, conf = level, index = j, type = "bca", L = L)$bca[4:5]
      bca_reg <- boot.ci(b, conf = level, index = j, type = "bca")$bca[4:5]
      fields <- c(fields,
                  sprintf("\"bca\": %s", pair(bca)),
                  sprintf("\"acceleration\": %s", num(sum(L^3) / (6 * sum(L^2)^1.5))),
                  sprintf("\"bca_regression\": %s", pair(bca_reg)))
    }
    terms <- c(terms, sprintf("    {%s}", paste(fields, collapse = ", ")))
  }
  json <- c("{",
            sprintf("  \"case\": %s,", str(name)),
            sprintf("  \"formula\": %s,", str(formula)),
            sprintf("  \"data\": %s,", str(data)),
            sprintf("  \"type\": %s,", str(type)),
            sprintf("  \"level\": %s,", num(level)),
            sprintf("  \"replicates\": %d,", nrep),
            sprintf("  \"r_seconds\": %s,", num(time[["elapsed"]])),
            "  \"coefficients\": [",
            paste(terms, collapse = ",\n"),
            "  ]",
            "}")
  writeLines(json, file.path(ref_dir, paste0(name, ".json")))
}

one_case("mtcars_pairs",    "mpg ~ wt + hp", "mtcars", "pairs",    seed = 1)
one_case("mtcars_residual", "mpg ~ wt + hp", "mtcars", "residual", seed = 2)
one_case("mtcars_wild",     "mpg ~ wt + hp", "mtcars", "wild",     seed = 3)
one_case("iris_pairs_90",   "Sepal.Length ~ Petal.Width + Species", "iris", "pairs",
         level = 0.90, seed = 4)
