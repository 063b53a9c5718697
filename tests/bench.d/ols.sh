# tests/bench.d/ols.sh -- sourced by tests/bench: bin/ols end to end on a 200 000 x 20 CSV file,
# beside R's read.csv + lm + summary on the same file; and the fit alone against one dgeqrf.
olscsv=build/bench/ols-200k.csv
if [ ! -s "$olscsv" ]; then
  awk 'BEGIN { srand(42);
         printf "y"; for (j = 1; j <= 20; j++) printf ",x%d", j; print "";
         for (i = 0; i < 200000; i++) { s = 0; line = "";
           for (j = 1; j <= 20; j++) { x = rand() * 10 - 5; s += x * j / 10; line = line sprintf(",%.6f", x) }
           printf "%.6f%s\n", s + (rand() + rand() + rand() - 1.5) * 2, line } }' > "$olscsv"
fi
olsformula="y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11 + x12 + x13 + x14 + x15 + x16 + x17 + x18 + x19 + x20"
echo "== ols: $olsformula on $(du -m "$olscsv" | cut -f1) MB (200000 rows)"
TIMEFORMAT=%R
best=
for run in 1 2 3; do
  t=$( { time bin/ols "$olsformula" "$olscsv" > /dev/null; } 2>&1 )
  echo "   bin/ols end to end: $t s"
  if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
done
build/tool-olsbench "$olsformula" "$olscsv" | sed 's/^/   /'
if have_r; then
  rt=$(Rscript -e "t <- system.time({ d <- read.csv('$olscsv'); s <- summary(lm($olsformula, data = d)); capture.output(print(s)) }); cat(t[['elapsed']])")
  echo "   R read.csv + lm + summary: $rt s; ratio R / ols (best of 3): $(awk "BEGIN { printf \"%.1f\", $rt / $best }")"
fi
