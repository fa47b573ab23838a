# SPDX-License-Identifier: GPL-3.0-or-later
# The step target and learning-rate schedule of each stage, for schedule.sh
# and gpu_run.sh (sourced by both).  lr 5e-4 halves every HALVE steps.
STEPS=${RFDN_TRAIN_STEPS:-30000}
HALVE=${RFDN_TRAIN_HALVE:-8000}
# x4 learns slower: E-RFDN x4 flattened at 31.745 dB on Set5 by step
# 25,000 with the rate halved every 8,000 (6.25e-5 from 24,000), 0.06 dB
# below its bar, so the x4 stages halve it every 17,000 steps (from
# E-RFDN x4's step 25,049 on: back to 2.5e-4 there, until 34,000) and
# run longer
STEPS_X4=${RFDN_TRAIN_STEPS_X4:-60000}
HALVE_X4=${RFDN_TRAIN_HALVE_X4:-17000}
steps_of() { # scale
    if [ "$1" = 4 ]; then echo "$STEPS_X4"; else echo "$STEPS"; fi
}
halve_of() { # scale
    if [ "$1" = 4 ]; then echo "$HALVE_X4"; else echo "$HALVE"; fi
}
