# tests/reference/lmm.R: reference values for bin/lmm, computed by lme4::lmer().
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/lmm.R
#
# It writes
#   - data/InstEval.csv, lme4's InstEval (73421 ratings of lecturers by students), the large crossed
#     design of the benchmark (tests/bench.d/lmm.sh); all its columns have numeric labels and read as
#     numeric columns, which is all a grouping factor needs;
#   - the test inputs tests/data/lmm/*.csv (simulated from fixed seeds, always the same bytes);
#   - tests/reference/lmm/CASE.json for every case below: what `bin/lmm --json [OPTIONS] FORMULA DATA`
#     must print (the JSON contract of the book's output appendix), as lme4 computes it;
#   - tests/reference/lmm/cases.tsv: "case<TAB>formula<TAB>data<TAB>options", read by tests/run;
#   - tests/reference/lmm/default/CASE.json: the same for lmer with its default optimizer settings,
#     which the tests do not compare with (see section 5) but the book's comparison table reports;
#   - tests/reference/lmm/lme4.tsv: lme4's number of criterion evaluations and its fitting time for
#     each case, both ways, for the book's comparison table (not compared by the tests).
#
# R is a development tool only: these files are committed and the tests never call R.
#
# Every model is fitted to the data frame that read.csv(stringsAsFactors = TRUE) makes of the very
# CSV file the test gives bin/lmm, with factor levels sorted in byte order (the C locale).
#
# The JSON fields:
#   coefficients   fixef(m, add.dropped = TRUE), sqrt(diag(vcov(m))), t = estimate / std_error,
#                  p_value null (lme4 gives none), confint(m, method = "Wald"); a column lme4 drops
#                  as aliased has null in every field but term;
#   sigma          sigma(m);  reml_criterion = REMLcrit(m) for REML fits, deviance = deviance(m) for
#                  ML fits;  log_lik = logLik(m), aic = AIC(m), bic = BIC(m);
#   theta          getME(m, "theta"): lme4's order (terms by decreasing number of levels, each term's
#                  lower triangle column by column);
#   random_effects one record per column of each term: group = the term's grouping factor as lme4
#                  names it in m@cnms (the two halves of (x || g) are both "g", without VarCorr's ".1"),
#                  term = the column's name, variance and std_dev from VarCorr(m); the residual is
#                  not a record (it is sigma);
#   correlations   one record per pair of columns of a vector term, from VarCorr(m);
#   n_groups       ngrps(m);  singular = isSingular(m);  converged = (optimizer's code == 0).

suppressPackageStartupMessages(library(lme4))
invisible(Sys.setlocale("LC_COLLATE", "C"))

if (!file.exists("data/sleepstudy.csv")) stop("run from the repository root, after tests/reference/datasets.R")
cat(R.version.string, " lme4", format(packageVersion("lme4")), "\n")

ref_dir  <- "tests/reference/lmm"
data_dir <- "tests/data/lmm"
dir.create(ref_dir, recursive = TRUE, showWarnings = FALSE)
dir.create(data_dir, recursive = TRUE, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------------
# 1. InstEval for the benchmark: every column as its integer labels, unquoted (1.6 MB).
ie <- InstEval
ie_out <- data.frame(lapply(ie, function(x) as.integer(as.character(x))))
write.csv(ie_out, "data/InstEval.csv", row.names = FALSE, quote = FALSE)
back <- read.csv("data/InstEval.csv")
stopifnot(identical(dim(back), dim(ie)), all(vapply(back, is.numeric, TRUE)))
cat(sprintf("data/InstEval.csv: %d rows, %.1f MB\n", nrow(back), file.size("data/InstEval.csv") / 1e6))

# ---------------------------------------------------------------------------------------------
# 2. The test inputs.  Values are multiples of 1/64, whose decimal forms are short and exact, so R's
#    parser and C's strtod read them as the same doubles (see README.md).
q64 <- function(x) round(x * 64) / 64

# unbalanced.csv: 40 subjects with 2 to 12 observations each, a numeric covariate x, a three-level
# treatment, and missing values in the response, the covariate, the subject and the treatment.
# x2 = 2 x exactly, for the rank-deficient case.
set.seed(20240501)
nsub <- 40
sizes <- sample(2:12, nsub, replace = TRUE)
subject <- rep(sprintf("s%02d", seq_len(nsub)), sizes)
n <- length(subject)
b0 <- rnorm(nsub, 0, 2)
b1 <- rnorm(nsub, 0, 0.5)
x <- q64(runif(n, 0, 10))
trt <- sample(c("A", "B", "C"), n, replace = TRUE)
si <- match(subject, sprintf("s%02d", seq_len(nsub)))
y <- q64(20 + 1.5 * x + c(A = 0, B = 1, C = -2)[trt] + b0[si] + b1[si] * x + rnorm(n, 0, 1.5))
unb <- data.frame(y = y, x = x, x2 = 2 * x, trt = trt, subject = subject)
unb$y[sample(n, 6)] <- NA
unb$x[sample(n, 4)] <- NA
unb$subject[sample(n, 3)] <- NA
unb$trt[sample(n, 3)] <- NA
write.csv(unb, file.path(data_dir, "unbalanced.csv"), row.names = FALSE)

# sim60.csv: 60 groups g (numeric labels) of 8 observations, crossed with 12 sites; correlated
# random intercepts and slopes for g (correlation 0.5), random intercepts for site, three covariates
# x, z and a factor f.
set.seed(60)
ng <- 60; per <- 8
g <- rep(seq_len(ng), each = per)
n <- ng * per
site <- sample(LETTERS[1:12], n, replace = TRUE)
S <- matrix(c(4, 0.5 * 2 * 0.7, 0.5 * 2 * 0.7, 0.49), 2)
B <- matrix(rnorm(ng * 2), ng) %*% chol(S)
cz <- rnorm(ng, 0, 0.3)
cs <- rnorm(12, 0, 1)
x <- q64(rnorm(n))
z <- q64(runif(n, -1, 1))
f <- sample(c("lo", "mid", "hi"), n, replace = TRUE)
y <- q64(10 + 2 * x + c(lo = 0, mid = 0.5, hi = 1)[f] + B[g, 1] + B[g, 2] * x + cz[g] * z +
         cs[match(site, LETTERS)] + rnorm(n))
sim60 <- data.frame(y = y, x = x, z = z, f = f, g = g, site = site)
write.csv(sim60, file.path(data_dir, "sim60.csv"), row.names = FALSE)

# ---------------------------------------------------------------------------------------------
# 3. The cases: name, formula, data (an embedded data set or a path), options of bin/lmm.
cases <- read.table(text = "
sleep_intercept     ;Reaction ~ Days + (1 | Subject)                   ;sleepstudy;
sleep_slope         ;Reaction ~ Days + (Days | Subject)                ;sleepstudy;
sleep_slope_ml      ;Reaction ~ Days + (Days | Subject)                ;sleepstudy;--ml
sleep_uncorrelated  ;Reaction ~ Days + (Days || Subject)               ;sleepstudy;
sleep_slope_only    ;Reaction ~ Days + (0 + Days | Subject)            ;sleepstudy;
sleep_factor_days   ;Reaction ~ factor(Days) + (1 | Subject)           ;sleepstudy;
dyestuff            ;Yield ~ 1 + (1 | Batch)                           ;Dyestuff;
dyestuff_ml         ;Yield ~ 1 + (1 | Batch)                           ;Dyestuff;--ml
dyestuff2_singular  ;Yield ~ 1 + (1 | Batch)                           ;Dyestuff2;
penicillin_crossed  ;diameter ~ 1 + (1 | plate) + (1 | sample)         ;Penicillin;
penicillin_ml       ;diameter ~ 1 + (1 | plate) + (1 | sample)         ;Penicillin;--ml
pastes_nested       ;strength ~ 1 + (1 | batch/cask)                   ;Pastes;
pastes_interaction  ;strength ~ 1 + (1 | batch) + (1 | batch:cask)     ;Pastes;
cbpp_proportion     ;I(incidence/size) ~ factor(period) + (1 | herd)   ;cbpp;
grouse_log          ;log(TICKS + 1) ~ factor(YEAR) + cHEIGHT + (1 | BROOD) + (1 | LOCATION);grouseticks;
unbalanced_missing  ;y ~ x + trt + (x | subject)                       ;tests/data/lmm/unbalanced.csv;
unbalanced_aliased  ;y ~ x + x2 + trt + (1 | subject)                  ;tests/data/lmm/unbalanced.csv;
sim60_crossed_slope ;y ~ x + f + (x | g) + (1 | site)                  ;tests/data/lmm/sim60.csv;
sim60_crossed_ml    ;y ~ x + f + (x | g) + (1 | site)                  ;tests/data/lmm/sim60.csv;--ml
sim60_three_columns ;y ~ x + z + (1 + x + z | g)                       ;tests/data/lmm/sim60.csv;
sim60_factor_term   ;y ~ x + (f | g)                                   ;tests/data/lmm/sim60.csv;
sim60_uncorrelated  ;y ~ x + (x || g) + (1 | site)                     ;tests/data/lmm/sim60.csv;
sim60_reorder_ties  ;y ~ x + (1 | site) + (x || g)                     ;tests/data/lmm/sim60.csv;
sim60_uncorr_factor ;y ~ x + (0 + f || g)                              ;tests/data/lmm/sim60.csv;
", sep = ";", strip.white = TRUE, col.names = c("case", "formula", "data", "options"),
   colClasses = "character", comment.char = "")

data_path <- function(d) if (grepl("/", d)) d else file.path("data", paste0(d, ".csv"))

# ---------------------------------------------------------------------------------------------
# 4. JSON: the writers shared with the other reference scripts, and lmm_json.
source("tests/reference/json.R")

# ---------------------------------------------------------------------------------------------
# 5. Fit every case and write the files.
# Each case is fitted twice.  The reference values, which the tests compare with, come from lmer
# with its optimizer run to full precision: lme4's default settings stop BOBYQA when its trust
# region has shrunk by a factor of 10^4 (nloptr's default xtol_rel = 1e-4), which on a flat criterion
# leaves standard errors and variance components a few parts in 10^5 from the optimum, depending on
# the path the optimizer happened to take (sleep_slope_ml, penicillin_crossed and sim60_three_columns
# show it; in sim60_three_columns the default fit even misses that the optimum is singular).  With
# xtol_rel = 0 and absolute tolerances of 1e-12, lmer converges to the optimum itself, which any
# correct program can reproduce.  lme4's default fit is written to tests/reference/lmm/default/ for
# the book, which reports how far that is from ours and from the optimum.
tight <- lmerControl(optCtrl = list(xtol_rel = 0, xtol_abs = 1e-12, ftol_abs = 1e-12))
dir.create(file.path(ref_dir, "default"), showWarnings = FALSE)
info <- character(0)
for (i in seq_len(nrow(cases))) {
  cs <- cases[i, ]
  d <- read.csv(data_path(cs$data), stringsAsFactors = TRUE)
  reml <- !grepl("--ml", cs$options, fixed = TRUE)
  f <- as.formula(cs$formula)
  t0 <- system.time(m0 <- suppressMessages(lmer(f, data = d, REML = reml)))
  t <- system.time(m <- suppressMessages(lmer(f, data = d, REML = reml, control = tight)))
  n_dropped <- nrow(d) - nobs(m)
  writeLines(lmm_json(m, cs$formula, n_dropped), file.path(ref_dir, paste0(cs$case, ".json")), sep = "")
  writeLines(lmm_json(m0, cs$formula, n_dropped), file.path(ref_dir, "default", paste0(cs$case, ".json")),
             sep = "")
  info <- c(info, sprintf("%s\t%d\t%.3f\t%d\t%.3f", cs$case, m0@optinfo$feval, t0[["elapsed"]],
                          m@optinfo$feval, t[["elapsed"]]))
  cat(sprintf("%-20s %-62s n=%4d dropped=%2d theta=%d%s%s\n", cs$case, cs$formula, nobs(m), n_dropped,
              length(getME(m, "theta")), if (isSingular(m)) " singular" else "",
              if (length(fixef(m)) < length(fixef(m, add.dropped = TRUE))) " (aliased)" else ""))
}
writeLines(c("# case\tformula\tdata\toptions: read by tests/run (written by tests/reference/lmm.R)",
             sprintf("%s\t%s\t%s\t%s", cases$case, cases$formula, cases$data, cases$options)),
           file.path(ref_dir, "cases.tsv"))
writeLines(c(paste("# case\tevaluations\tseconds (lme4's defaults)\tevaluations\tseconds (to full",
                   "precision): written by tests/reference/lmm.R"), info),
           file.path(ref_dir, "lme4.tsv"))
cat(sprintf("%d cases written to %s\n", nrow(cases), ref_dir))
