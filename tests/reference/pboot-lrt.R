# tests/reference/pboot-lrt.R: reference values for the parametric bootstrap of the likelihood-ratio
# test (bin/lmm and bin/glmm --compare FORMULA0 --boot B), the p-value pbkrtest::PBmodcomp reports,
# computed here with lme4 alone (pbkrtest was not installed): simulate B responses from the smaller
# model fitted by maximum likelihood (simulate()), refit both models to each (refit(), ML), keep
# LRT* = max(0, 2 (logLik1 - logLik0)), and report p = (k + 1) / (B' + 1), k the number of LRT* at
# least the observed LRT, B' the number of replicates whose two refits gave a finite statistic.
# (PBmodcomp itself counts only LRT* > 0 in k and B'; see the book, eq. lmm-pboot-lrt-p.)
# The tolerance of each case is eq. (lmm-pboot-lrt-tol): 4 sqrt(2 p (1 - p) / B) + 2 / (B + 1).
#
# Run from the root of the repository (several minutes):
#
#     Rscript tests/reference/pboot-lrt.R
#
# It writes tests/reference/pboot-lrt/lrt.tsv, one line per case; tests/cli.sh checks the
# programs against it.
suppressMessages(library(lme4))
Sys.setlocale("LC_COLLATE", "C")
B <- 1000
cases <- list(
  list(name = "sleepstudy-slope", prog = "lmm", data = "sleepstudy",
       f0 = Reaction ~ Days + (1 | Subject), f1 = Reaction ~ Days + (Days | Subject)),
  list(name = "pastes-batch", prog = "lmm", data = "Pastes",
       f0 = strength ~ 1 + (1 | batch:cask), f1 = strength ~ 1 + (1 | batch) + (1 | batch:cask)),
  list(name = "sleepstudy-quadratic", prog = "lmm", data = "sleepstudy",
       f0 = Reaction ~ Days + (Days | Subject), f1 = Reaction ~ Days + I(Days^2) + (Days | Subject)),
  list(name = "cbpp-period", prog = "glmm", data = "cbpp",
       f0 = cbind(incidence, size - incidence) ~ 1 + (1 | herd),
       f1 = cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)),
  list(name = "cbpp-herd", prog = "glmm", data = "cbpp",
       f0 = cbind(incidence, size - incidence) ~ factor(period),
       f1 = cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)))
fit <- function(prog, f, d) {
  if (prog == "lmm") return(lmer(f, d, REML = FALSE))
  if (is.null(lme4::findbars(f))) return(glm(f, binomial, d))
  glmer(f, d, family = binomial)
}
refit_ll <- function(m, y) {
  r <- tryCatch(suppressWarnings(suppressMessages(
         refit(m, y))),
       error = function(e) NULL)
  if (is.null(r)) NA else as.numeric(logLik(r))
}
out <- "tests/reference/pboot-lrt/lrt.tsv"
cat("name\tprogram\tformula0\tformula1\tdata\treplicates\tstatistic\texceed\tused\tp_value\ttol\tseconds\n",
    file = out)
for (cs in cases) {
  d <- read.csv(file.path("data", paste0(cs$data, ".csv")), stringsAsFactors = TRUE)
  m0 <- fit(cs$prog, cs$f0, d)
  m1 <- fit(cs$prog, cs$f1, d)
  obs <- max(0, 2 * (as.numeric(logLik(m1)) - as.numeric(logLik(m0))))
  secs <- system.time({
    sims <- simulate(m0, nsim = B, seed = 1)
    lrt <- sapply(seq_len(B), function(b) {
      y <- sims[[b]]
      if (inherits(m0, "glm")) {
        d2 <- d; d2$.y <- y
        g0 <- tryCatch(glm(.y ~ factor(period), binomial, d2), error = function(e) NULL)
        l0 <- if (is.null(g0)) NA else as.numeric(logLik(g0))
      } else l0 <- refit_ll(m0, y)
      l1 <- refit_ll(m1, y)
      max(0, 2 * (l1 - l0))
    })
  })[["elapsed"]]
  ok <- is.finite(lrt)
  k <- sum(lrt[ok] >= obs)
  p <- (k + 1) / (sum(ok) + 1)
  tol <- 4 * sqrt(2 * p * (1 - p) / B) + 2 / (B + 1)
  cat(paste(cs$name, cs$prog, deparse(cs$f0), deparse(cs$f1), cs$data, B, sprintf("%.10g", obs),
            k, sum(ok), sprintf("%.10g", p), sprintf("%.6g", tol), secs, sep = "\t"), "\n",
      sep = "", file = out, append = TRUE)
  message(cs$name, ": LRT ", obs, ", ", k, " of ", sum(ok), " at least as large, p ", p,
          " (", secs, " s)")
}
