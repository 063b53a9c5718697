# tests/reference/pboot-glmm.R: reference values for the parametric bootstrap of bin/glmm (--boot),
# from lme4::bootMer and boot::boot.ci, in the format of tests/reference/pboot.R (which see).
#
#     Rscript tests/reference/pboot-glmm.R
#
# writes tests/reference/pboot-glmm/CASE.tsv; tests/cli.sh checks bin/glmm --boot 1000 against them.
suppressMessages({ library(lme4); library(boot) })
Sys.setlocale("LC_COLLATE", "C")
B <- 1000
cases <- list(
  list(name = "cbpp", formula = cbind(incidence, size - incidence) ~ factor(period) + (1 | herd),
       data = "cbpp"))
par_fun <- function(fit) {
  vc <- as.data.frame(VarCorr(fit), order = "lower.tri")
  c(vc$sdcor, fixef(fit))
}
dir.create("tests/reference/pboot-glmm", showWarnings = FALSE)
for (cs in cases) {
  d <- read.csv(file.path("data", paste0(cs$data, ".csv")), stringsAsFactors = TRUE)
  fit <- glmer(cs$formula, d, family = binomial)
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
  vc <- as.data.frame(VarCorr(fit), order = "lower.tri")
  vnames <- ifelse(is.na(vc$var2), paste0("sd_", vc$var1, "|", vc$grp),
                   paste0("cor_", vc$var2, ".", vc$var1, "|", vc$grp))
  pnames <- c(vnames, names(fixef(fit)))
  out <- file.path("tests/reference/pboot-glmm", paste0(cs$name, ".tsv"))
  cat("# ", paste(deparse(cs$formula), collapse = ""), "\t", cs$data, "\tbootMer ", B,
      " replicates in ", secs, " s\n", sep = "", file = out)
  cat("parameter\testimate\tperc_low\tperc_high\tbasic_low\tbasic_high\ttol_low\ttol_high\n",
      file = out, append = TRUE)
  for (j in seq_along(est))
    cat(paste(c(pnames[j], sprintf("%.10g", tab[j, ])), collapse = "\t"), "\n", sep = "",
        file = out, append = TRUE)
  message(cs$name, ": bootMer ", B, " replicates in ", secs, " s")
}
