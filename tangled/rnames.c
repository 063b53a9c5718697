#line 435 "chunks/formula-tests.nw"
#include <stddef.h>
#include "rnames.h"

#line 443 "chunks/formula-tests.nw"
const char *const r_names[][2] = {
    { "y ~ x", "(Intercept)|x" },
    { "y ~ x + z", "(Intercept)|x|z" },
    { "y ~ f", "(Intercept)|fb|fc" },
    { "y ~ 0 + f", "fa|fb|fc" },
    { "y ~ f - 1", "fa|fb|fc" },
    { "y ~ -1 + f", "fa|fb|fc" },
    { "y ~ x + f", "(Intercept)|x|fb|fc" },
    { "y ~ f + x", "(Intercept)|fb|fc|x" },
    { "y ~ x*f", "(Intercept)|x|fb|fc|x:fb|x:fc" },
    { "y ~ f*x", "(Intercept)|fb|fc|x|fb:x|fc:x" },
    { "y ~ f*g", "(Intercept)|fb|fc|gv|gw|fb:gv|fc:gv|fb:gw|fc:gw" },
    { "y ~ f:g", "(Intercept)|fa:gu|fb:gu|fc:gu|fa:gv|fb:gv|fc:gv|fa:gw|fb:gw|fc:gw" },
    { "y ~ 0 + f:g", "fa:gu|fb:gu|fc:gu|fa:gv|fb:gv|fc:gv|fa:gw|fb:gw|fc:gw" },
    { "y ~ g:f + f", "(Intercept)|fb|fc|gv:fa|gw:fa|gv:fb|gw:fb|gv:fc|gw:fc" },
    { "y ~ x + x:f", "(Intercept)|x|x:fb|x:fc" },
    { "y ~ x:f", "(Intercept)|x:fa|x:fb|x:fc" },
    { "y ~ f + x:f", "(Intercept)|fb|fc|fa:x|fb:x|fc:x" },
    { "y ~ f/x", "(Intercept)|fb|fc|fa:x|fb:x|fc:x" },
    { "y ~ f/g", "(Intercept)|fb|fc|fa:gv|fb:gv|fc:gv|fa:gw|fb:gw|fc:gw" },
    { "y ~ x:z + x", "(Intercept)|x|x:z" },
    { "y ~ z:x", "(Intercept)|z:x" },
    { "y ~ (x + z + f)^2", "(Intercept)|x|z|fb|fc|x:z|x:fb|x:fc|z:fb|z:fc" },
    { "y ~ x*z*f - x:z:f", "(Intercept)|x|z|fb|fc|x:z|x:fb|x:fc|z:fb|z:fc" },
    { "y ~ 0 + x + f", "x|fa|fb|fc" },
    { "y ~ x - 0", "(Intercept)|x" },
    { "y ~ 0 + x + 1", "(Intercept)|x" },
    { "y ~ x:x", "(Intercept)|x" },
    { "y ~ x + x", "(Intercept)|x" },
    { "y ~ f + g + f:g:x",
      "(Intercept)|fb|fc|gv|gw|fa:gu:x|fb:gu:x|fc:gu:x|fa:gv:x|fb:gv:x|fc:gv:x|fa:gw:x|"
      "fb:gw:x|fc:gw:x" },
    { "y ~ 1:x", "(Intercept)" },
    { "y ~ x %in% f", "(Intercept)|x:fa|x:fb|x:fc" },
    { "y ~ factor(n)", "(Intercept)|factor(n)3.5|factor(n)10" },
    { "y ~ factor(n) + x", "(Intercept)|factor(n)3.5|factor(n)10|x" },
    { "y ~ x:factor(n)", "(Intercept)|x:factor(n)2|x:factor(n)3.5|x:factor(n)10" },
    { "y ~ I(x^2) + log(x) + exp(z) + sqrt(x) + abs(x)",
      "(Intercept)|I(x^2)|log(x)|exp(z)|sqrt(x)|abs(x)" },
    { "y ~ I(x - z) + I(x * z) + I(x/z) + I(-x) + I(x^-1)",
      "(Intercept)|I(x - z)|I(x * z)|I(x/z)|I(-x)|I(x^-1)" },
    { "y ~ log(x + 1) + I((x + z)^2) + I(2^x)",
      "(Intercept)|log(x + 1)|I((x + z)^2)|I(2^x)" },
    { "y ~ I(1e5 * x) + I(x * 0.0001) + I(x/1e3)",
      "(Intercept)|I(1e+05 * x)|I(x * 1e-04)|I(x/1000)" },
    { "log(y) ~ x", "(Intercept)|x" },
    { "y ~ 1", "(Intercept)" },
    { "y ~ 0", "" },
    { "y ~ x - x", "(Intercept)" },
    { "y ~ 0 + f + g", "fa|fb|fc|gv|gw" },
    { "y ~ 0 + x:f + g", "gu|gv|gw|x:fa|x:fb|x:fc" },
    { "y ~ f*g*x",
      "(Intercept)|fb|fc|gv|gw|x|fb:gv|fc:gv|fb:gw|fc:gw|fb:x|fc:x|gv:x|gw:x|fb:gv:x|"
      "fc:gv:x|fb:gw:x|fc:gw:x" },
    { "y ~ (f + g)/x",
      "(Intercept)|fb|fc|gv|gw|fa:gu:x|fb:gu:x|fc:gu:x|fa:gv:x|fb:gv:x|fc:gv:x|fa:gw:x|"
      "fb:gw:x|fc:gw:x" },
    { "y ~ x/(f + g)", "(Intercept)|x|x:fb|x:fc|x:gv|x:gw" },
    { "y ~ f %in% g", "(Intercept)|fa:gu|fb:gu|fc:gu|fa:gv|fb:gv|fc:gv|fa:gw|fb:gw|fc:gw" },
    { "y ~ I(f)", "(Intercept)|I(f)b|I(f)c" },
    { "y ~ factor(f)", "(Intercept)|factor(f)b|factor(f)c" },
    { "y ~ factor(n*2)", "(Intercept)|factor(n * 2)7|factor(n * 2)20" },
    { "y ~ factor(x) + 0",
      "factor(x)1.5|factor(x)2|factor(x)3|factor(x)4|factor(x)5|factor(x)6|factor(x)7|"
      "factor(x)9" },
    { "y ~ g + x:f:g",
      "(Intercept)|gv|gw|gu:x:fa|gv:x:fa|gw:x:fa|gu:x:fb|gv:x:fb|gw:x:fb|gu:x:fc|"
      "gv:x:fc|gw:x:fc" },
    { "y ~ (x + f)^3", "(Intercept)|x|fb|fc|x:fb|x:fc" },
    { "y ~ x + z + f + x:z - 1", "x|z|fa|fb|fc|x:z" },
    { "y ~ -x + z", "(Intercept)|z" },
    { "y ~ (x + z) - x", "(Intercept)|z" },
    { "y ~ exp(-x) + sqrt(abs(z - 4))", "(Intercept)|exp(-x)|sqrt(abs(z - 4))" },
    { "y ~ I(x^2):f", "(Intercept)|I(x^2):fa|I(x^2):fb|I(x^2):fc" },
    { "y ~ f:I(x^2)", "(Intercept)|fa:I(x^2)|fb:I(x^2)|fc:I(x^2)" },
    { "y ~ I(+x) + I(x - -z) + I(2 * -x) + I((x))",
      "(Intercept)|I(+x)|I(x - -z)|I(2 * -x)|I((x))" },
    { "y ~ f + g + n", "(Intercept)|fb|fc|gv|gw|n" },
    { "y ~ log(x, 2)", "(Intercept)|log(x, 2)" },
    { NULL, NULL }
};
#line 533 "chunks/formula-tests.nw"
const char *const r_dataset_names[][3] = {
    { "mtcars", "mpg ~ wt + factor(cyl)", "(Intercept)|wt|factor(cyl)6|factor(cyl)8" },
    { "mtcars", "mpg ~ wt:factor(cyl)",
      "(Intercept)|wt:factor(cyl)4|wt:factor(cyl)6|wt:factor(cyl)8" },
    { "mtcars", "mpg ~ wt*factor(cyl)",
      "(Intercept)|wt|factor(cyl)6|factor(cyl)8|wt:factor(cyl)6|wt:factor(cyl)8" },
    { "mtcars", "log(mpg) ~ I(wt^2) + hp", "(Intercept)|I(wt^2)|hp" },
    { "mtcars", "mpg ~ factor(cyl):factor(gear)",
      "(Intercept)|factor(cyl)4:factor(gear)3|factor(cyl)6:factor(gear)3|"
      "factor(cyl)8:factor(gear)3|factor(cyl)4:factor(gear)4|factor(cyl)6:factor(gear)4|"
      "factor(cyl)8:factor(gear)4|factor(cyl)4:factor(gear)5|factor(cyl)6:factor(gear)5|"
      "factor(cyl)8:factor(gear)5" },
    { "mtcars", "mpg ~ 0 + factor(am)", "factor(am)0|factor(am)1" },
    { "iris", "Sepal.Length ~ Species", "(Intercept)|Speciesversicolor|Speciesvirginica" },
    { "iris", "Sepal.Length ~ Petal.Width*Species",
      "(Intercept)|Petal.Width|Speciesversicolor|Speciesvirginica|"
      "Petal.Width:Speciesversicolor|Petal.Width:Speciesvirginica" },
    { "iris", "Sepal.Length ~ Species/Petal.Width",
      "(Intercept)|Speciesversicolor|Speciesvirginica|Speciessetosa:Petal.Width|"
      "Speciesversicolor:Petal.Width|Speciesvirginica:Petal.Width" },
    { "warpbreaks", "breaks ~ wool*tension",
      "(Intercept)|woolB|tensionM|tensionH|woolB:tensionM|woolB:tensionH" },
    { "warpbreaks", "breaks ~ wool:tension",
      "(Intercept)|woolA:tensionL|woolB:tensionL|woolA:tensionM|woolB:tensionM|"
      "woolA:tensionH|woolB:tensionH" },
    { "warpbreaks", "breaks ~ tension:wool",
      "(Intercept)|tensionL:woolA|tensionM:woolA|tensionH:woolA|tensionL:woolB|"
      "tensionM:woolB|tensionH:woolB" },
    { "warpbreaks", "breaks ~ 0 + wool:tension",
      "woolA:tensionL|woolB:tensionL|woolA:tensionM|woolB:tensionM|woolA:tensionH|"
      "woolB:tensionH" },
    { "swiss", "Fertility ~ Infant.Mortality + Education",
      "(Intercept)|Infant.Mortality|Education" },
    { "ToothGrowth", "len ~ supp*factor(dose)",
      "(Intercept)|suppVC|factor(dose)1|factor(dose)2|suppVC:factor(dose)1|"
      "suppVC:factor(dose)2" },
    { NULL, NULL, NULL }
};
