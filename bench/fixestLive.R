# fixest side of bench/cli.bench.ts (run only when Rscript with fixest is installed; nothing in the
# tests needs it). As the reference BENCH.md measures its anchors: one thread, the data read by
# data.table::fread first (timed apart), then feols from the columns in memory (factor making, sample,
# fixed effects and the clustered VCOV all inside feols), one untimed warm-up, then REPS timed fits.
#   Rscript bench/fixestLive.R FILE two|three REPS
# Prints one JSON line: fread seconds, the fit times, the coefficients and the number of observations.
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
fe <- args[2]
reps <- as.integer(args[3])
suppressMessages({
  library(data.table)
  library(fixest)
})
setDTthreads(1)
setFixest_nthreads(1)
setFixest_notes(FALSE)
t_read <- system.time(d <- fread(file))[["elapsed"]]
fml <- if (fe == "three") {
  d[, g := id %% 1000L]
  y ~ x1 + x2 + x3 + x4 + x5 | id + year + g^year
} else {
  y ~ x1 + x2 + x3 + x4 + x5 | id + year
}
fit <- feols(fml, d, cluster = ~id, nthreads = 1) # warm-up
times <- numeric(reps)
for (r in seq_len(reps)) times[r] <- system.time(fit <- feols(fml, d, cluster = ~id, nthreads = 1))[["elapsed"]]
cat(sprintf(
  '{"fread": %.4f, "times": [%s], "b": [%s], "se": [%s], "nobs": %d, "fixest": "%s", "data.table": "%s"}\n',
  t_read, paste(sprintf("%.4f", times), collapse = ","), paste(sprintf("%.10g", coef(fit)), collapse = ","),
  paste(sprintf("%.10g", se(fit)), collapse = ","), nobs(fit), format(packageVersion("fixest")), format(packageVersion("data.table"))
))
