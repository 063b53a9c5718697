# tests/bench.d/pboot.sh -- the parametric bootstrap of bin/lmm and bin/glmm against lme4::bootMer
# (sourced by tests/bench, from the root of the repository, with have_r defined).  1000 replicates of
# Reaction ~ Days + (Days | Subject) on sleepstudy and of cbpp's (1 | herd) model: ours end to end
# (fit, bootstrap, JSON) with one thread and with one per core; bootMer timed for the bootMer call
# alone (the fit excluded), with the same 1000 replicates.  The ratio is R's time over ours.

pb_now() { date +%s.%N; }
pb_bench() {   # pb_bench PROGRAM NAME FORMULA DATA
  local prog=$1 name=$2 formula=$3 data=$4 t0 t1 one all fit
  fit="lmer($formula, d)"; [ "$prog" = glmm ] && fit="glmer($formula, d, family = binomial)"
  echo "== $prog --boot 1000: $name: $formula"
  t0=$(pb_now); bin/$prog --json --quiet --boot 1000 --seed 1 --threads 1 "$formula" "$data" > build/bench/pboot-$name.json || return
  t1=$(pb_now); one=$(echo "$t1 - $t0" | bc -l)
  t0=$(pb_now); bin/$prog --json --quiet --boot 1000 --seed 1 "$formula" "$data" > build/bench/pboot-$name.json || return
  t1=$(pb_now); all=$(echo "$t1 - $t0" | bc -l)
  printf "   bin/$prog: %.3f s with 1 thread, %.3f s with one per core (%d)\n" "$one" "$all" "$(nproc)"
  if have_r; then
    local r
    r=$(Rscript -e "suppressMessages(library(lme4)); d <- read.csv('data/$data.csv', stringsAsFactors = TRUE);
      m <- $fit; set.seed(1)
      f <- function(x) c(as.data.frame(VarCorr(x), order = 'lower.tri')\$sdcor, fixef(x))
      cat(system.time(bootMer(m, f, nsim = 1000))[['elapsed']])" 2>/dev/null)
    printf "   lme4::bootMer: %.3f s; ratio %.0fx (1 thread), %.0fx (all cores)\n" "$r" \
      "$(echo "$r / $one" | bc -l)" "$(echo "$r / $all" | bc -l)"
  fi
}
pb_bench lmm sleepstudy 'Reaction ~ Days + (Days | Subject)' sleepstudy
pb_bench glmm cbpp 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
