# tests/bench.d/pboot.sh -- the parametric bootstrap of bin/lmm and bin/glmm against lme4::bootMer
# (sourced by tests/bench, from the root of the repository, with have_r defined).  1000 replicates of
# Reaction ~ Days + (Days | Subject) on sleepstudy and of cbpp's (1 | herd) model: ours end to end
# (fit, bootstrap, JSON) with one thread and with two (--threads 2); bootMer timed for the bootMer call
# alone (the fit excluded), with the same 1000 replicates (nsim = 1000, one R process).  The ratio is
# R's time over ours.  On a loaded machine both sides slow down; the ratios are what to read.

pb_now() { date +%s.%N; }
pb_bench() {   # pb_bench PROGRAM NAME FORMULA DATA
  local prog=$1 name=$2 formula=$3 data=$4 t0 t1 one two fit
  fit="lmer($formula, d)"; [ "$prog" = glmm ] && fit="glmer($formula, d, family = binomial)"
  echo "== $prog --boot 1000: $name: $formula"
  t0=$(pb_now); bin/$prog --json --quiet --boot 1000 --seed 1 --threads 1 "$formula" "$data" > build/bench/pboot-$name.json || return
  t1=$(pb_now); one=$(echo "$t1 - $t0" | bc -l)
  t0=$(pb_now); bin/$prog --json --quiet --boot 1000 --seed 1 --threads 2 "$formula" "$data" > build/bench/pboot-$name.json || return
  t1=$(pb_now); two=$(echo "$t1 - $t0" | bc -l)
  printf "   bin/$prog: %.3f s with 1 thread, %.3f s with --threads 2\n" "$one" "$two"
  if have_r; then
    local r
    r=$(Rscript -e "suppressMessages(library(lme4)); d <- read.csv('data/$data.csv', stringsAsFactors = TRUE);
      m <- $fit; set.seed(1)
      f <- function(x) c(as.data.frame(VarCorr(x), order = 'lower.tri')\$sdcor, fixef(x))
      cat(system.time(bootMer(m, f, nsim = 1000))[['elapsed']])" 2>/dev/null)
    printf "   lme4::bootMer (nsim = 1000): %.3f s; ratio %.0fx (1 thread), %.0fx (--threads 2)\n" "$r" \
      "$(echo "$r / $one" | bc -l)" "$(echo "$r / $two" | bc -l)"
  fi
}
pb_bench lmm sleepstudy 'Reaction ~ Days + (Days | Subject)' sleepstudy
pb_bench glmm cbpp 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp

# --- Profile intervals (--confint profile) against confint(method = "profile"): to be added here with
# the profile intervals themselves (same models, same layout: ours with 1 and 2 threads, R's time, the
# ratio), e.g.  pf_bench lmm sleepstudy 'Reaction ~ Days + (Days | Subject)' sleepstudy
