# tests/reference/compare-glm.R: reference values for glmm --compare with a smaller model that has no
# random effects (a logistic regression), as lme4's anova(glmer_fit, glm_fit) computes the test.
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/compare-glm.R
#
# It writes tests/reference/glmm/compare_glm_CASE.json (the member compare, as infer.R writes it for
# the other comparisons) and tests/reference/glmm/cases-compare-glm.tsv, which tests/run runs.
# The glmer fits use infer.R's tight optimizer settings.
suppressPackageStartupMessages(library(lme4))
invisible(Sys.setlocale("LC_COLLATE", "C"))
cat(R.version.string, " lme4", format(packageVersion("lme4")), "\n")
num <- function(x) if (length(x) == 0 || is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)
str_json <- function(s) paste0("\"", gsub("([\"\\\\])", "\\\\\\1", s), "\"")
tight_glmer <- glmerControl(optimizer = "nloptwrap", tolPwrss = 1e-10,
                            optCtrl = list(xtol_rel = 1e-12, xtol_abs = 1e-12, ftol_abs = 1e-12))
data_path <- function(d) if (grepl("/", d)) d else file.path("data", paste0(d, ".csv"))
cases <- list(
  list("compare_glm_cbpp", "cbind(incidence, size - incidence) ~ factor(period)",
       "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp"),
  list("compare_glm_cbpp_intercept", "cbind(incidence, size - incidence) ~ 1",
       "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp"),
  list("compare_glm_clusters", "y ~ x1 + x2",
       "y ~ x1 + x2 + (1 | cluster)", "tests/data/glmm/clusters.csv"))
lines <- character(0)
for (cs in cases) {
  d <- read.csv(data_path(cs[[4]]), stringsAsFactors = TRUE)
  g <- glm(as.formula(cs[[2]]), family = binomial, data = d)
  m <- glmer(as.formula(cs[[3]]), data = d, family = binomial, control = tight_glmer)
  a <- anova(m, g)
  cmp <- c(df0 = a$npar[1], df1 = a$npar[2], statistic = a$Chisq[2], df = a$Df[2],
           p_value = a[["Pr(>Chisq)"]][2])
  json <- c("{", paste0("  \"model\": \"glmm\",\n  \"formula\": ", str_json(cs[[3]]), ",\n  \"compare\": {\n",
                        paste0("    ", c(paste0("\"formula0\": ", str_json(cs[[2]])),
                                         sprintf("%s: %s", vapply(names(cmp), str_json, ""), vapply(cmp, num, "")),
                                         "\"test\": \"Chisq\""), collapse = ",\n"), "\n  }"), "}")
  writeLines(json, file.path("tests/reference/glmm", paste0(cs[[1]], ".json")))
  lines <- c(lines, paste(cs[[1]], cs[[3]], cs[[4]], paste("--compare", shQuote(cs[[2]])), sep = "\t"))
  cat(sprintf("%s: Chisq %.6g on %d, p %.4g\n", cs[[1]], cmp[["statistic"]], cmp[["df"]], cmp[["p_value"]]))
}
writeLines(c("# glmm --compare with a logistic regression as the smaller model (tests/reference/compare-glm.R)",
             lines), "tests/reference/glmm/cases-compare-glm.tsv")
