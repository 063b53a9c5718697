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
# Studentized (bootstrap-t) intervals: the statistic returns, beside the coefficients, their
# variances as summary.lm() computes them on the replicate (sigma*^2 times the diagonal of
# (X*'X*)^{-1}, by chol2inv of the replicate's R, as summary.lm does), and boot.ci(type = "stud",
# index = c(j, p + j)) turns them into t* = (theta* - theta)/se* and the interval
# theta - se t*_(1 - alpha/2), theta - se t*_(alpha/2), with the quantiles of norm.inter.  The
# replicates are fitted by lm.fit() on the model matrix, which is what lm() does, only faster; the
# random draws are those of the earlier version of this script, so the other intervals are unchanged.
#
# The bootstrap F test: a residual bootstrap under the null model of summary.lm's F test (the mean
# with an intercept, zero without), y* = fitted0 + e0[J], the full model refitted to each y*, and the
# p-value (1 + #{F* >= F})/(R + 1).  It is recorded as "boot_f_p_value", with R's F distribution
# p-value "f_p_value" beside it, from a second run of boot() with seed + 1000.
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

# coef_var: the coefficients of the least-squares fit of y on X and their variances, as lm() and
# summary.lm() compute them (NA for an aliased coefficient).
coef_var <- function(X, y) {
  f <- lm.fit(X, y)
  k <- f$rank
  v <- rep(NA_real_, ncol(X))
  if (k > 0) {
    p1 <- seq_len(k)
    v[f$qr$pivot[p1]] <- diag(chol2inv(f$qr$qr[p1, p1, drop = FALSE])) *
      sum(f$residuals^2) / (length(y) - k)
  }
  c(unname(f$coefficients), v)
}

# f_stat: summary.lm()'s overall F statistic of the fit of y on X.
f_stat <- function(X, y, intercept) {
  f <- lm.fit(X, y)
  k <- f$rank
  fv <- f$fitted.values
  mss <- if (intercept) sum((fv - mean(fv))^2) else sum(fv^2)
  (mss / (k - intercept)) / (sum(f$residuals^2) / (length(y) - k))
}

# one_case: bootstrap the coefficients of FORMULA on DATA with the given scheme, write CASE.json.
one_case <- function(name, formula, data, type, level = 0.95, seed = 1) {
  d <- read.csv(file.path("data", paste0(data, ".csv")), stringsAsFactors = TRUE)
  fm <- as.formula(formula)
  fit <- lm(fm, data = d)
  d <- d[rownames(model.frame(fit)), , drop = FALSE]
  X <- model.matrix(fit)
  y <- model.response(model.frame(fit))
  p <- ncol(X)
  est <- coef(fit)
  se <- coef(summary(fit))[, "Std. Error"]
  set.seed(seed)
  time <- system.time({
    if (type == "pairs") {
      b <- boot(d, function(d, i) coef_var(X[i, , drop = FALSE], y[i]), R = nrep)
    } else if (type == "residual") {
      fv <- fitted(fit)
      res <- residuals(fit)
      b <- boot(d, function(d, i) coef_var(X, fv + res[i]), R = nrep)
    } else if (type == "wild") {
      d$.y <- y
      b <- boot(d, function(d) coef_var(X, d$.y), R = nrep, sim = "parametric",
                ran.gen = function(d, mle) {
                  d$.y <- mle$fit + mle$res * sample(c(-1, 1), nrow(d), replace = TRUE)
                  d },
                mle = list(fit = fitted(fit), res = residuals(fit)))
    }
  })
  cat(sprintf("%s: %d replicates in %.1f s\n", name, nrep, time[["elapsed"]]))
  stopifnot(isTRUE(all.equal(b$t0, coef_var(X, y))))
  terms <- character(0)
  for (j in seq_along(est)) {
    ci <- boot.ci(b, conf = level, index = j, type = c("perc", "basic"))
    stud <- boot.ci(b, conf = level, index = c(j, p + j), type = "stud")$student[4:5]
    fields <- c(sprintf("\"term\": %s", str(names(est)[j])),
                sprintf("\"estimate\": %s", num(est[j])),
                sprintf("\"std_error\": %s", num(se[j])),
                sprintf("\"percentile\": %s", pair(ci$percent[4:5])),
                sprintf("\"basic\": %s", pair(ci$basic[4:5])),
                sprintf("\"studentized\": %s", pair(stud)))
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
  # The bootstrap F test, under summary.lm's null model.
  intercept <- attr(terms(fit), "intercept")
  fs <- summary(fit)$fstatistic
  F0 <- f_stat(X, y, intercept)
  stopifnot(isTRUE(all.equal(F0, unname(fs[1]))))
  fit0 <- if (intercept) rep(mean(y), length(y)) else rep(0, length(y))
  res0 <- y - fit0
  set.seed(seed + 1000)
  time0 <- system.time(b0 <- boot(res0, function(r, i) f_stat(X, fit0 + r[i], intercept),
                                  R = nrep))
  cat(sprintf("%s: %d null replicates of F in %.1f s\n", name, nrep, time0[["elapsed"]]))
  json <- c("{",
            sprintf("  \"case\": %s,", str(name)),
            sprintf("  \"formula\": %s,", str(formula)),
            sprintf("  \"data\": %s,", str(data)),
            sprintf("  \"type\": %s,", str(type)),
            sprintf("  \"level\": %s,", num(level)),
            sprintf("  \"replicates\": %d,", nrep),
            sprintf("  \"r_seconds\": %s,", num(time[["elapsed"]])),
            sprintf("  \"f_statistic\": %s,", num(F0)),
            sprintf("  \"f_p_value\": %s,", num(pf(fs[1], fs[2], fs[3], lower.tail = FALSE))),
            sprintf("  \"boot_f_p_value\": %s,", num((1 + sum(b0$t[, 1] >= F0)) / (nrep + 1))),
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
# Cases whose F test is not overwhelming, so that the bootstrap p-value is a real comparison.
one_case("qsec_wild",       "qsec ~ mpg + drat", "mtcars", "wild", seed = 5)
one_case("toothgrowth_pairs", "len ~ supp", "ToothGrowth", "pairs", seed = 6)
one_case("iris_width_residual", "Sepal.Width ~ Sepal.Length", "iris", "residual", seed = 7)
one_case("mtcars_zero",     "I(mpg - 20) ~ 0 + wt", "mtcars", "residual", seed = 8)
