# tests/reference/nist.R: R's lm() on the NIST StRD linear regression data sets (tests/data/nist),
# written to tests/reference/nist/r.tsv (set, coefficient index, estimate, standard error; NA for a
# coefficient R drops as aliased), for the table of digits of Chapter "ols" and the tests that we
# reach R's digits. Run from the root of the repository: Rscript tests/reference/nist.R
sets <- list(norris = y ~ x, pontius = y ~ x + I(x^2), noint1 = y ~ 0 + x, noint2 = y ~ 0 + x,
             filip = y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5) + I(x^6) + I(x^7) + I(x^8) +
                     I(x^9) + I(x^10),
             longley = y ~ x1 + x2 + x3 + x4 + x5 + x6)
for (k in 1:5) sets[[paste0("wampler", k)]] <- y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5)
out <- "# set\tindex\testimate\tstd_error   (R's lm(); tests/reference/nist.R)"
num <- function(x) if (is.na(x)) "NA" else sprintf("%.17g", x)
for (name in names(sets)) {
  d <- read.csv(file.path("tests/data/nist", paste0(name, ".csv")))
  fit <- lm(sets[[name]], data = d)
  est <- coef(fit)
  se <- rep(NA_real_, length(est))
  se[!is.na(est)] <- summary(fit)$coefficients[, "Std. Error"]
  for (j in seq_along(est))
    out <- c(out, paste(name, j - 1, num(est[[j]]), num(se[j]), sep = "\t"))
  out <- c(out, paste(name, "sigma", num(summary(fit)$sigma), "0", sep = "\t"))
}
writeLines(out, "tests/reference/nist/r.tsv")
