#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Inside a fresh Debian root (scripts/test-debs.sh): installs the packages
# in /out with apt, their dependencies from Debian, and checks the system as
# a user would find it: the CLI by model name with the packaged models, the
# app started from its desktop entry (D-Bus actions, icon, translated title,
# screenshots in /out/shots), the GIMP plug-in in gimp-console, a C program
# built with pkg-config, and `apt purge` leaving no file behind.
#   check-installed.sh 2.10|3.0      (the distribution's GIMP)
set -u
GV=$1
DATA=/src/tests/data
T=$(mktemp -d)
fail=0
check() { d=$1; shift; if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi; }
# a PNG's size from its header: "WxH"
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $3 * 256 + $4, $7 * 256 + $8 }'; }
twice() { echo "$1" | awk -F x -v s="$2" '{ printf "%dx%d", $1 * s, $2 * s }'; }
IN=$DATA/sample.png
IN_SIZE=$(png_size "$IN")

PKGS=$(ls /out/*.deb | grep -v -- -dbgsym_)
NAMES=$(for p in $PKGS; do dpkg-deb -f "$p" Package; done)
echo "installing: $(echo $NAMES)"
if ! apt-get update -q > "$T/apt.log" 2>&1 ||
    ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PKGS \
        >> "$T/apt.log" 2>&1; then
    tail -30 "$T/apt.log"
    echo "FAIL apt installs the packages and their dependencies"
    exit 1
fi
echo "ok   apt installs the packages and their dependencies from Debian ($(grep -c '^Setting up' "$T/apt.log") packages set up)"
export HOME=$T/home XDG_RUNTIME_DIR=$T/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# --- the CLI, by model name, with the packaged models ---------------------
rfdn-upscale models > "$T/models" 2>&1
check "rfdn-upscale models: the installed folder" grep -q '^  /usr/share/rfdn-upscaler/models$' "$T/models"
n=0
for f in $(dpkg -L rfdn-models | grep '\.safetensors$'); do
    n=$((n + 1))
    grep -q " $f  (own weights)\$" "$T/models" || { echo "FAIL rfdn-upscale models lists $f (own weights)"; fail=1; }
done
check "rfdn-upscale models lists the $n packaged models" [ "$n" -ge 6 ]
rfdn-upscale -q -n e-rfdn -s 2 "$IN" -o "$T/cli-x2.png"
check "CLI: -n e-rfdn -s 2 by name ($IN_SIZE -> $(png_size "$T/cli-x2.png" 2>/dev/null))" \
    [ "$(png_size "$T/cli-x2.png" 2>/dev/null)" = "$(twice "$IN_SIZE" 2)" ]
check "CLI: the defaults (E-RFDN x4)" sh -c "rfdn-upscale -q '$IN' -o '$T/cli-x4.png' && [ -s '$T/cli-x4.png' ]"
check "CLI: its man page" [ -f /usr/share/man/man1/rfdn-upscale.1.gz ]

# --- a C program on the engine, through pkg-config ------------------------
if gcc -Wall -Werror /src/tests/debs/example.c $(pkg-config --cflags --libs rfdn) \
    -o "$T/example" > "$T/cc.log" 2>&1; then
    echo "ok   a C program builds with pkg-config --cflags --libs rfdn"
    "$T/example" /usr/share/rfdn-upscaler/models/e-rfdn-x2.safetensors > "$T/example.out" 2>&1
    check "... and upscales ($(cat "$T/example.out"))" grep -q '^success 16x12 ' "$T/example.out"
else
    cat "$T/cc.log"
    echo "FAIL a C program builds with pkg-config --cflags --libs rfdn"
    fail=1
fi

# --- the app, from its desktop entry, under Xvfb with a D-Bus session -----
EXEC=$(sed -n 's/^Exec=//p' /usr/share/applications/org.rfdn.Upscaler.desktop | sed 's/ *%[fFuU]//g')
check "the desktop entry's command ($EXEC) is installed" sh -c "command -v '${EXEC%% *}' > /dev/null"
mkdir -p /out/shots "$T/locale"
localedef -i zh_CN -f UTF-8 "$T/locale/zh_CN.UTF-8" 2> /dev/null
cat > "$T/app.sh" <<EOF
set -u
export RFDN_APP_STATE_FILE=$T/state NO_AT_BRIDGE=1 LOCPATH=$T/locale LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
field() { sed -n "s/^\$1=//p" $T/state 2>/dev/null; }
wait_for() { n=\$((\$3 * 10)); while [ \$n -gt 0 ]; do [ "\$(field "\$1")" = "\$2" ] && return 0; sleep 0.1; n=\$((n - 1)); done; return 1; }
act() { gapplication action org.rfdn.Upscaler "\$@"; }
$EXEC > $T/app.log 2>&1 &
pid=\$!
wait_for state idle 60 || { echo "FAIL the app starts from its desktop entry's command"; cat $T/app.log; exit 1; }
echo "ok   the app starts from its desktop entry's command"
[ "\$(field title)" = "RFDN 图像放大器" ] && echo "ok   its title translated (zh_CN: \$(field title))" || echo "FAIL its title translated (zh_CN: \$(field title))"
[ "\$(field icon)" = "org.rfdn.Upscaler 1" ] && echo "ok   its icon in the icon theme (\$(field icon))" || echo "FAIL its icon in the icon theme (\$(field icon))"
act screenshot "'/out/shots/installed-app-empty-zh_CN.png'"
act set-model "'e-rfdn'"; act set-scale 2
act open-file "'$IN'"
wait_for state done 120 && echo "ok   D-Bus actions: open, E-RFDN x2, upscaled" || echo "FAIL D-Bus actions: open, E-RFDN x2, upscaled (\$(field state): \$(field message))"
act screenshot "'/out/shots/installed-app-result-zh_CN.png'"
act save-to "'$T/app-x2.png'"
wait_for state saved 30 && echo "ok   saved" || echo "FAIL saved"
act quit; wait \$pid
EOF
timeout 300 dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" sh "$T/app.sh" > "$T/app.out" 2>&1
grep -E '^(ok|FAIL) ' "$T/app.out"
grep -q '^FAIL' "$T/app.out" && fail=1
grep -q '^ok   saved' "$T/app.out" || { fail=1; tail -20 "$T/app.out"; }
check "... the app's result the CLI's, byte for byte" cmp -s "$T/app-x2.png" "$T/cli-x2.png"
check "... screenshots written" [ -s /out/shots/installed-app-result-zh_CN.png ]

# --- the GIMP plug-in, in the distribution's GIMP --------------------------
if [ "$GV" = 2.10 ]; then
    SCM="(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$IN\" \"$IN\")))
                (d (car (gimp-image-get-active-drawable img)))
                (out (car (plug-in-rfdn-upscale RUN-NONINTERACTIVE img d 0 2 0 0 0 0))))
           (file-png-save2 RUN-NONINTERACTIVE out (car (gimp-image-get-active-drawable out))
                           \"$T/gimp-x2.png\" \"$T/gimp-x2.png\" 0 9 0 0 0 1 0 0 0))"
else
    SCM="(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$IN\")))
                (d (vector-ref (car (gimp-image-get-selected-drawables img)) 0))
                (out (car (plug-in-rfdn-upscale #:run-mode RUN-NONINTERACTIVE #:image img
                            #:drawables (vector d) #:model \"e-rfdn\" #:scale 2
                            #:output \"new-image\"))))
           (file-png-export #:run-mode RUN-NONINTERACTIVE #:image out #:file \"$T/gimp-x2.png\"
                            #:options -1 #:compression 9))"
fi
timeout 300 gimp-console-$GV -i -d -f --batch-interpreter=plug-in-script-fu-eval -b "$SCM" \
    -b '(gimp-quit 0)' > "$T/gimp.log" 2>&1
check "gimp-console-$GV runs the plug-in with the packaged models ($(png_size "$T/gimp-x2.png" 2>/dev/null))" \
    [ "$(png_size "$T/gimp-x2.png" 2>/dev/null)" = "$(twice "$IN_SIZE" 2)" ]
[ -s "$T/gimp-x2.png" ] || tail -20 "$T/gimp.log"

# --- apt purge: every file the packages installed is gone ------------------
for n in $NAMES; do dpkg -L "$n"; done | sort -u | while read -r f; do
    [ -d "$f" ] || echo "$f"
done > "$T/files"
purged=0
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $NAMES > "$T/purge.log" 2>&1 || purged=$?
check "apt purge ($(echo $NAMES))" [ "$purged" -eq 0 ]
left=$(while read -r f; do [ -e "$f" ] && echo "$f"; done < "$T/files")
check "... removes each of their $(wc -l < "$T/files") files${left:+ (left: $left)}" [ -z "$left" ]
# nothing else of theirs either: no file named after them, none that
# mentions them (caches the triggers rebuilt: GSettings schemas, icons,
# desktop and MIME databases)
named=$(find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /src \
    -o -path /out -o -path /shared -o -path /var/cache/apt \) -prune -o -iname '*rfdn*' -print)
check "... no file named after them is left${named:+ (left: $named)}" [ -z "$named" ]
mention=$(grep -rlI -e rfdn -e org.rfdn /etc /usr/share /usr/lib /var/lib --exclude-dir=dpkg \
    --exclude-dir=apt 2>/dev/null; grep -rl org.rfdn /usr/share/icons /usr/lib/*/gio /usr/share/glib-2.0 2>/dev/null)
check "... no file mentions them${mention:+ (in: $(echo $mention))}" [ -z "$mention" ]
exit $fail
