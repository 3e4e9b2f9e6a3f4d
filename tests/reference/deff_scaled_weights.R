# Design effects of weights scaled to the sample (they add up to the 12 rows): R's
# deff=TRUE compares with SRS without replacement from a population of sum(w) = n people,
# which is Inf here; deff="replace" compares with SRS with replacement, as the library does
# for such weights. Run from tests/reference: Rscript deff_scaled_weights.R
# (survey 4.1.1 printed the values below; tests/test_stats_analyst_frames.py holds them).
suppressPackageStartupMessages(library(survey))
x <- read.csv("deff_scaled_weights_data.csv")
d <- svydesign(ids=~1, strata=~s, weights=~w, data=x)
print(deff(svymean(~y, d, deff="replace")), digits=15)   # 1.11086069586554
print(deff(svytotal(~y, d, deff="replace")), digits=15)  # 0.96029287524641
print(svyby(~y, ~g, d, svymean, deff="replace"), digits=15)   # a 0.747581636470526, b 1.051605622242742
print(svyby(~y, ~g, d, svytotal, deff="replace"), digits=15)  # a 0.727272727272727, b 2.685185185185186
print(deff(svymean(~y, d, deff=TRUE)), digits=15)        # Inf
