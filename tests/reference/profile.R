# tests/reference/profile.R: reference values for the profile-likelihood intervals of bin/lmm and
# bin/glmm (--confint profile), from lme4's confint(fit, method = "profile", oldNames = FALSE), and the
# time lme4 takes for them.
#
# Run from the root of the repository (about a minute):
#
#     Rscript tests/reference/profile.R
#
# For each case it writes tests/reference/profile/CASE.tsv: a first line "# FORMULA<TAB>DATA<TAB>PROGRAM
# <TAB>OPTIONS", a header, then one row per parameter in lme4's order (standard deviations and
# correlations of the random effects, sigma for lmer, the fixed effects) with the two ends of the
# interval, in full precision.  tests/cli.sh checks `PROGRAM --confint profile OPTIONS` against them to
# 1e-3 relative.  The median time of confint(method = "profile") over 3 runs goes to
# tests/reference/profile/timing.tsv, for `make bench` and the book's remark on speed.
suppressMessages(library(lme4))
Sys.setlocale("LC_COLLATE", "C")
cases <- list(
  list(name = "sleepstudy", prog = "lmm", formula = Reaction ~ Days + (Days | Subject),
       data = "sleepstudy", opts = ""),
  list(name = "sleepstudy_ml", prog = "lmm", formula = Reaction ~ Days + (Days | Subject),
       data = "sleepstudy", opts = "--ml", REML = FALSE),
  list(name = "sleepstudy_90", prog = "lmm", formula = Reaction ~ Days + (Days | Subject),
       data = "sleepstudy", opts = "--level 0.9", level = 0.9),
  list(name = "penicillin", prog = "lmm", formula = diameter ~ 1 + (1 | plate) + (1 | sample),
       data = "Penicillin", opts = ""),
  list(name = "pastes", prog = "lmm", formula = strength ~ 1 + (1 | batch/cask),
       data = "Pastes", opts = ""),
  list(name = "dyestuff", prog = "lmm", formula = Yield ~ 1 + (1 | Batch),
       data = "Dyestuff", opts = ""),
  list(name = "cbpp", prog = "glmm", formula = cbind(incidence, size - incidence) ~ factor(period) + (1 | herd),
       data = "cbpp", opts = "", glmm = TRUE),
  list(name = "cbpp_agq5", prog = "glmm", formula = cbind(incidence, size - incidence) ~ factor(period) + (1 | herd),
       data = "cbpp", opts = "--nagq 5", glmm = TRUE, nAGQ = 5))
dir.create("tests/reference/profile", showWarnings = FALSE)
timing <- data.frame()
for (cs in cases) {
  d <- read.csv(file.path("data", paste0(cs$data, ".csv")), stringsAsFactors = TRUE)
  level <- if (is.null(cs$level)) 0.95 else cs$level
  fit <- if (isTRUE(cs$glmm)) glmer(cs$formula, d, family = binomial, nAGQ = if (is.null(cs$nAGQ)) 1 else cs$nAGQ)
         else lmer(cs$formula, d, REML = !isFALSE(cs$REML))
  ci <- NULL
  tm <- replicate(3, system.time(ci <<- suppressWarnings(suppressMessages(
          confint(fit, method = "profile", oldNames = FALSE, level = level, quiet = TRUE))))[["elapsed"]])
  out <- file.path("tests/reference/profile", paste0(cs$name, ".tsv"))
  con <- file(out, "w")
  writeLines(paste0("# ", paste(deparse(cs$formula, width.cutoff = 500L), collapse = ""), "\t",
                    cs$data, "\t", cs$prog, "\t", cs$opts), con)
  writeLines("parameter\tlow\thigh", con)
  for (i in seq_len(nrow(ci)))
    writeLines(sprintf("%s\t%.17g\t%.17g", rownames(ci)[i], ci[i, 1], ci[i, 2]), con)
  close(con)
  timing <- rbind(timing, data.frame(case = cs$name, seconds = median(tm)))
  cat(cs$name, median(tm), "s\n")
  print(ci)
}
write.table(timing, "tests/reference/profile/timing.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
