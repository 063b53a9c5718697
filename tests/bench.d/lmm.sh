# tests/bench.d/lmm.sh -- the linear mixed model benchmarks (sourced by tests/bench, from the root
# of the repository, with have_r defined).  Two designs:
#   - lme4's InstEval (data/InstEval.csv, 73421 ratings; 2972 students crossed with 1128 lecturers
#     and 14 departments), y ~ service + (1 | s) + (1 | d) + (1 | dept), REML;
#   - a simulated nested design of 100000 rows: 10 pupils in each of 20 classes in each of 500
#     schools, y ~ x + (1 | school/class), REML.
# bin/lmm runs end to end (reading the CSV file, fitting, printing JSON) and reports its number of
# criterion evaluations and the time per evaluation; Rscript runs lmer on the same file, timed end to
# end (start-up, loading lme4, read.csv, lmer) and for the lmer call alone.  The ratios are R's time
# over ours; the criteria are printed side by side (ours must not be worse).

lmm_now() { date +%s.%N; }
lmm_field() { grep -o "\"$1\": [-0-9.e+]*" "$2" | head -1 | sed 's/.*: //'; }

lmm_bench() {   # lmm_bench NAME FORMULA FILE
  local name=$1 formula=$2 file=$3 out=build/bench/lmm-$1.json t0 t1 ours
  echo "== lmm: $name: $formula  ($(($(wc -l < "$file") - 1)) rows)"
  for run in 1 2 3; do
    t0=$(lmm_now)
    bin/lmm --json --verbose "$formula" "$file" > "$out" 2> "$out.err" || { echo "   bin/lmm failed"; return; }
    t1=$(lmm_now)
    ours=$(echo "$t1 - $t0" | bc -l)
    printf "   bin/lmm: %.3f s end to end; %d evaluations of the criterion, %.2f ms each; REML criterion %s\n" \
      "$ours" "$(lmm_field evaluations "$out")" \
      "$(sed -n 's/.*, \([0-9.e+-]*\) ms each$/\1/p' "$out.err" | head -1)" "$(lmm_field reml_criterion "$out")"
  done
  if have_r; then
    t0=$(lmm_now)
    local r
    r=$(Rscript -e "suppressMessages(library(lme4)); d <- read.csv('$file');
      t <- system.time(m <- lmer($formula, d));
      cat(sprintf('%.3f %d %.10f\n', t[['elapsed']], m@optinfo\$feval, REMLcrit(m)))" 2>/dev/null)
    t1=$(lmm_now)
    local total fit feval crit
    total=$(echo "$t1 - $t0" | bc -l)
    read -r fit feval crit <<< "$r"
    printf "   Rscript lmer: %.3f s end to end, %.3f s in lmer(); %d evaluations; REML criterion %s\n" \
      "$total" "$fit" "$feval" "$crit"
    printf "   ratio R / ours: %.1f end to end, %.1f lmer() alone against all of bin/lmm\n" \
      "$(echo "$total / $ours" | bc -l)" "$(echo "$fit / $ours" | bc -l)"
  fi
}

lmm_bench InstEval 'y ~ service + (1 | s) + (1 | d) + (1 | dept)' data/InstEval.csv

nested=build/bench/lmm-nested.csv
if [ ! -s "$nested" ]; then
  awk 'BEGIN { srand(20240611); pi = 3.141592653589793;
         print "y,x,school,class";
         for (s = 1; s <= 500; s++) {
           bs = 0.8 * sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand());
           for (c = 1; c <= 20; c++) {
             bc = 0.5 * sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand());
             for (p = 1; p <= 10; p++) {
               x = int(rand() * 1000) / 100;
               e = sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand());
               printf "%.4f,%.2f,s%03d,c%02d\n", 10 + 0.3 * x + bs + bc + e, x, s, c } } } }' > "$nested"
fi
lmm_bench nested 'y ~ x + (1 | school/class)' "$nested"
