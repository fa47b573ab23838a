#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The test command: every test under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the threaded engine tests under ThreadSanitizer.
set -e
cd "$(dirname "$0")/.."
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite threads
[ -d build-tsan ] || meson setup build-tsan -Db_sanitize=thread -Db_lundef=false
meson test -C build-tsan --print-errorlogs --suite threads
