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
# photo stages (issue 23) are fine-tuned from the clean model of the same
# name with the degradations of tools/train/degrade.py, at every scale:
# lr 2e-4 halving every 6,000 steps, PHOTO_STEPS in all; the first pass
# exports each one at PHOTO_FIRST steps so that all ship early
STEPS_PHOTO=${RFDN_TRAIN_STEPS_PHOTO:-24000}
FIRST_PHOTO=${RFDN_TRAIN_FIRST_PHOTO:-6000}
HALVE_PHOTO=${RFDN_TRAIN_HALVE_PHOTO:-6000}
LR_PHOTO=${RFDN_TRAIN_LR_PHOTO:-2e-4}
steps_of() { # scale [photo]
    if [ "${2:-}" = photo ]; then echo "$STEPS_PHOTO"
    elif [ "$1" = 4 ]; then echo "$STEPS_X4"; else echo "$STEPS"; fi
}
halve_of() { # scale [photo]
    if [ "${2:-}" = photo ]; then echo "$HALVE_PHOTO"
    elif [ "$1" = 4 ]; then echo "$HALVE_X4"; else echo "$HALVE"; fi
}
# train.py's options that make a stage of this kind: the photo stages'
# degradations and learning rate (clean stages: train.py's defaults)
kind_opts() { # clean|photo
    if [ "$1" = photo ]; then echo "--degrade photo --lr $LR_PHOTO"; fi
}
kind_of() { # stage name: photo for <arch>-x<scale>-photo, else clean
    case $1 in *-photo) echo photo ;; *) echo clean ;; esac
}
