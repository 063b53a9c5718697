# tests/reference/pboot.R: reference values for the parametric bootstrap of bin/lmm (--boot), from
# lme4::bootMer and boot::boot.ci, and the timing of bootMer for `make bench`.
#
# Run from the root of the repository (a few minutes: lme4 refits each model 1000 times):
#
#     Rscript tests/reference/pboot.R
#
# For each case it writes tests/reference/pboot/CASE.tsv: a header, then one row per parameter in the
# order of lme4's confint(oldNames = FALSE) (standard deviations and correlations of the random
# effects, sigma, the fixed effects), with the estimate, boot.ci's percentile and basic intervals
# from B = 1000 replicates, and the tolerance of each end, eq. (lmm-pboot-tol) of the book:
# 4 sqrt(2) times the Monte Carlo standard deviation of the end, half the distance between R's
# replicate quantiles at a -/+ sqrt(a (1 - a) / B).  tests/cli.sh checks bin/lmm --boot 1000 against
# these within the tolerance.
suppressMessages({ library(lme4); library(boot) })
Sys.setlocale("LC_COLLATE", "C")
B <- 1000
cases <- list(
  list(name = "sleepstudy", formula = Reaction ~ Days + (Days | Subject), data = "sleepstudy"),
  list(name = "dyestuff", formula = Yield ~ 1 + (1 | Batch), data = "Dyestuff"),
  list(name = "penicillin", formula = diameter ~ 1 + (1 | plate) + (1 | sample), data = "Penicillin"))
par_fun <- function(fit) {
  vc <- as.data.frame(VarCorr(fit), order = "lower.tri")
  c(vc$sdcor, fixef(fit))
}
dir.create("tests/reference/pboot", showWarnings = FALSE)
for (cs in cases) {
  d <- read.csv(file.path("data", paste0(cs$data, ".csv")), stringsAsFactors = TRUE)
  fit <- lmer(cs$formula, d)
  set.seed(1)
  secs <- system.time(bt <- bootMer(fit, par_fun, nsim = B))[["elapsed"]]
  est <- par_fun(fit)
  rows <- lapply(seq_along(est), function(j) {
    ci <- boot.ci(bt, index = j, type = c("perc", "basic"))
    t <- bt$t[is.finite(bt$t[, j]), j]
    m <- length(t)
    tol <- sapply(c(0.025, 0.975), function(a) {
      s <- sqrt(a * (1 - a) / m)
      q <- quantile(t, c(a - s, a + s), type = 6, names = FALSE)
      4 * sqrt(2) * (q[2] - q[1]) / 2
    })
    c(est[j], ci$percent[4:5], ci$basic[4:5], tol)
  })
  tab <- do.call(rbind, rows)
  out <- file.path("tests/reference/pboot", paste0(cs$name, ".tsv"))
  cat("# ", deparse(cs$formula), "\t", cs$data, "\tbootMer ", B, " replicates in ", secs,
      " s\n", sep = "", file = out)
  cat("parameter\testimate\tperc_low\tperc_high\tbasic_low\tbasic_high\ttol_low\ttol_high\n",
      file = out, append = TRUE)
  vc <- as.data.frame(VarCorr(fit), order = "lower.tri")
  vnames <- ifelse(vc$grp == "Residual", "sigma",
                   ifelse(is.na(vc$var2), paste0("sd_", vc$var1, "|", vc$grp),
                          paste0("cor_", vc$var2, ".", vc$var1, "|", vc$grp)))
  pnames <- c(vnames, names(fixef(fit)))
  for (j in seq_along(est))
    cat(paste(c(pnames[j], sprintf("%.10g", tab[j, ])), collapse = "\t"), "\n", sep = "",
        file = out, append = TRUE)
  message(cs$name, ": bootMer ", B, " replicates in ", secs, " s")
}
