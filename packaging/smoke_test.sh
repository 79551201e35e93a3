#!/usr/bin/env bash
# Smoke test of the FROZEN app (packaging/build runs it after every build).
#
#   packaging/smoke_test.sh [FROZEN_EXE]     # default: dist/llm-advisor/llm-advisor
#
# Runs the frozen executable the way a consultant's laptop would: empty environment (`env -i`), a PATH with
# no Python on it (an empty folder), no network (`unshare -n`: a network namespace with no interfaces up;
# skipped with a notice where the kernel refuses it), a throw-away HOME, LLM_ADVISOR_HOME, TMPDIR and
# XDG_RUNTIME_DIR, the offscreen Qt platform. Checks:
#   1. `llm-advisor --startup-check` exits 0 and prints `startup_ms=<int>` and `ready_ms=<int>`, offscreen, and on X11
#      (Xvfb) and Wayland (weston, headless) when those are installed;
#   2. `llm-advisor report examples/<X>.llmassess -o OUT.pdf` exits 0 and writes a PDF, and with
#      `--encrypt --password-file F` an AES-256 encrypted one; `export --format docx` with an SVG logo
#      writes a Word report with its pictures;
#   3. it used nothing outside the bundle: no Python, no .venv, no site-packages (strace, when installed);
#   4. it wrote only under LLM_ADVISOR_HOME, the report's output folder and the session's runtime folder:
#      nothing in HOME, the working folder, TMPDIR, the bundle, the examples (strace: every file it created,
#      changed, renamed or removed anywhere; without strace, a scan of those folders).
# The last line says PASS or FAIL; exit status 0 only on PASS. The result is also written to
# build/smoke-last-result.txt.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
exe="${1:-$repo/dist/llm-advisor/llm-advisor}"
exe="$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")"
[[ -x "$exe" ]] || { echo "smoke_test: no frozen executable at $exe (run packaging/build)" >&2; exit 2; }
bundle_dir="$(dirname "$exe")"
example="${LLM_ADVISOR_SMOKE_EXAMPLE:-$(ls "$repo"/examples/*.llmassess | head -1)}"
failures=()
fail() { failures+=("$1"); echo "   FAIL: $1"; }

scratch="$(mktemp -d "${TMPDIR:-/tmp}/llm-advisor-smoke.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch"/{home,advisor-home,cwd,tmp,runtime,out,bin,trace}
chmod 700 "$scratch/runtime"
example_sum="$(sha256sum "$example" | cut -d' ' -f1)"
touch "$scratch/marker"; sleep 1

# No network: a fresh network namespace (root, or an unprivileged user namespace).
isolate=()
if /usr/bin/unshare -n /bin/true 2>/dev/null; then isolate=(/usr/bin/unshare -n)
elif /usr/bin/unshare -rn /bin/true 2>/dev/null; then isolate=(/usr/bin/unshare -rn)
else echo "   notice: cannot create a network namespace here; network NOT isolated"; fi
tracer=()
if command -v strace >/dev/null 2>&1; then
  tracer=(strace -f -y -qq -e trace=execve,open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,symlink,symlinkat,link,linkat,truncate)
else
  echo "   notice: strace not installed; checking writes by scanning folders only"
fi

run_no=0
run_frozen() {  # run_frozen TRACE(0|1) ARGS...  -> stdout+stderr in $scratch/output, status in $status
  local trace="$1"; shift
  local prefix=("${isolate[@]}")
  run_no=$((run_no + 1))
  [[ "$trace" == 1 && ${#tracer[@]} -gt 0 ]] && prefix+=("${tracer[@]}" -o "$scratch/trace/run-$run_no")
  (cd "$scratch/cwd" && /usr/bin/timeout 120 "${prefix[@]}" /usr/bin/env -i \
      PATH="$scratch/bin" HOME="$scratch/home" LLM_ADVISOR_HOME="$scratch/advisor-home" \
      TMPDIR="$scratch/tmp" XDG_RUNTIME_DIR="$scratch/runtime" QT_QPA_PLATFORM=offscreen \
      "$exe" "$@") > "$scratch/output" 2>&1
  status=$?
}

echo "== smoke test of $exe"
echo "   environment: env -i, PATH=<empty folder>, ${isolate[*]:-network not isolated}, QT_QPA_PLATFORM=offscreen"

# 1. startup check (traced: the checks 3 and 4 cover it), then once untraced for an honest time.
run_frozen 1 --startup-check
if [[ $status -ne 0 ]]; then fail "--startup-check exited $status"; sed 's/^/     | /' "$scratch/output" | tail -20
elif ! grep -qE '^startup_ms=[0-9]+$' "$scratch/output"; then
  fail "--startup-check printed no startup_ms=<int> line"; sed 's/^/     | /' "$scratch/output" | tail -20
elif ! grep -qE '^ready_ms=[0-9]+$' "$scratch/output"; then  # the wizard (pydantic, the questionnaire) loaded
  fail "--startup-check printed no ready_ms=<int> line"; sed 's/^/     | /' "$scratch/output" | tail -20
fi
run_frozen 0 --startup-check
startup_ms="$(grep -oE '^startup_ms=[0-9]+$' "$scratch/output" | cut -d= -f2)"
ready_ms="$(grep -oE '^ready_ms=[0-9]+$' "$scratch/output" | cut -d= -f2)"
peak_kib="$(grep -oE '^peak_rss_kib_at_first_paint=[0-9]+$' "$scratch/output" | cut -d= -f2)"
if [[ $status -eq 0 && -n "$startup_ms" && -n "$ready_ms" ]]; then
  echo "   startup-check: OK, startup_ms=$startup_ms ready_ms=$ready_ms, peak ${peak_kib:-?} KiB at first paint (untraced run)"
else fail "second --startup-check run failed (exit $status)"; fi
unexpected_output="$(grep -vE '^(startup_ms|ready_ms|peak_rss_kib_at_first_paint)=[0-9]+$' "$scratch/output" | head -5)"
[[ -z "$unexpected_output" ]] || echo "   note: startup-check also printed: $unexpected_output"

# 1b. The same on a real X server (Xvfb: xcb plugin, the system's X11 libraries) and a real Wayland
#     compositor (weston, headless: wayland plugin), when those are installed (Debian: xvfb, weston); untraced.
startup_on() {  # startup_on LABEL VAR=VALUE...   (display variables for the frozen app)
  local label="$1"; shift
  (cd "$scratch/cwd" && /usr/bin/timeout 120 "${isolate[@]}" /usr/bin/env -i PATH="$scratch/bin" HOME="$scratch/home" \
      LLM_ADVISOR_HOME="$scratch/advisor-home" TMPDIR="$scratch/tmp" XDG_RUNTIME_DIR="$scratch/runtime" "$@" \
      "$exe" --startup-check) > "$scratch/output" 2>&1
  local rc=$? ms; ms="$(grep -oE '^startup_ms=[0-9]+$' "$scratch/output" | cut -d= -f2)"
  if [[ $rc -eq 0 && -n "$ms" ]]; then echo "   startup-check on $label: OK, startup_ms=$ms"
  else fail "--startup-check on $label exited $rc"; sed 's/^/     | /' "$scratch/output" | tail -20; fi
}
if command -v Xvfb >/dev/null 2>&1; then
  display=$(( 100 + RANDOM % 800 ))
  while [[ -e "/tmp/.X11-unix/X$display" || -e "/tmp/.X$display-lock" ]]; do display=$(( display + 1 )); done
  Xvfb ":$display" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do [[ -S "/tmp/.X11-unix/X$display" ]] && break; sleep 0.1; done
  startup_on "X11 (Xvfb, xcb plugin)" DISPLAY=":$display" QT_QPA_PLATFORM=xcb
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
else
  echo "   notice: Xvfb not installed; the xcb (X11) platform was not tried"
fi
if command -v weston >/dev/null 2>&1; then
  XDG_RUNTIME_DIR="$scratch/runtime" weston --backend=headless-backend.so --socket=wayland-smoke --idle-time=0 \
    >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do [[ -S "$scratch/runtime/wayland-smoke" ]] && break; sleep 0.1; done
  startup_on "Wayland (weston, wayland plugin)" WAYLAND_DISPLAY=wayland-smoke QT_QPA_PLATFORM=wayland
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
else
  echo "   notice: weston not installed; the Wayland platform was not tried"
fi

# 2. PDF report from an example assessment, with the frozen CLI; then an AES-256 encrypted one (pypdf +
#    cryptography in the frozen app), its password read from a file as the CLI requires.
pdf="$scratch/out/report.pdf"
run_frozen 1 report "$example" -o "$pdf"
if [[ $status -ne 0 ]]; then fail "report exited $status"; sed 's/^/     | /' "$scratch/output" | tail -20
elif [[ ! -s "$pdf" ]] || [[ "$(head -c 5 "$pdf")" != "%PDF-" ]] || ! tail -c 1024 "$pdf" | grep -q '%%EOF'; then
  fail "report did not write a complete PDF"
else
  pages=""; command -v pdfinfo >/dev/null && pages=", $(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages"
  echo "   report: OK, $(basename "$example") -> $(( $(stat -c %s "$pdf") / 1024 )) KB PDF$pages"
fi
mkdir -p "$scratch/secret" && printf 'smoke-test-password\n' > "$scratch/secret/password"
encrypted="$scratch/out/report-encrypted.pdf"
run_frozen 1 report "$example" -o "$encrypted" --encrypt --password-file "$scratch/secret/password"
if [[ $status -ne 0 ]]; then fail "report --encrypt exited $status"; sed 's/^/     | /' "$scratch/output" | tail -20
elif [[ "$(head -c 5 "$encrypted" 2>/dev/null)" != "%PDF-" ]] || ! grep -aq '/Encrypt' "$encrypted"; then
  fail "report --encrypt did not write an encrypted PDF"
else
  echo "   report --encrypt: OK, $(( $(stat -c %s "$encrypted") / 1024 )) KB encrypted PDF$(grep -aq '/AESV3' "$encrypted" && echo ' (AESV3)')"
fi
# 2b. The Word report with an SVG logo styled by a CSS class (svglib, lxml, python-docx's own templates, the
#     charts rasterised by PDFium, numpy through the bundle's BLAS drop-in): a .docx with pictures in it.
mkdir -p "$scratch/brand"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><style>.b{fill:#1f77b4}</style><rect class="b" width="100" height="100"/><path d="M110 50A40 40 0 0 1 190 50A40 40 0 0 1 110 50Z" fill="#d62728"/></svg>\n' > "$scratch/brand/logo.svg"
printf 'consultancy_name: Smoke Test Consulting\nlogo_path: logo.svg\n' > "$scratch/brand/brand.yaml"
docx="$scratch/out/report.docx"
run_frozen 1 export "$example" --format docx -o "$docx" --brand "$scratch/brand/brand.yaml"
if [[ $status -ne 0 ]]; then fail "export --format docx exited $status"; sed 's/^/     | /' "$scratch/output" | tail -20
elif [[ "$(head -c 2 "$docx" 2>/dev/null)" != "PK" ]] || ! grep -aq 'word/media/' "$docx"; then
  fail "export --format docx did not write a Word file with pictures"
else
  echo "   export --format docx with an SVG logo: OK, $(( $(stat -c %s "$docx") / 1024 )) KB"
fi
extra_out="$(find "$scratch/out" -mindepth 1 ! -path "$pdf" ! -path "$encrypted" ! -path "$docx")"
[[ -z "$extra_out" ]] || fail "report left other files beside the PDF: $extra_out"

# 3 + 4, from the traces: what it executed, read from outside the bundle, and wrote.
if [[ ${#tracer[@]} -gt 0 ]]; then
  traces=("$scratch"/trace/run-*)
  # Paths in the traces: "path" or dirfd<path>, "name" (strace -y). Successful calls only.
  ok_calls="$(cat "${traces[@]}" | grep -v ' = -1 ' | grep -v 'resumed>' || true)"
  executed="$(grep -oE 'execve\("[^"]+"' <<<"$ok_calls" | cut -d'"' -f2 | sort -u)"
  bad_exec="$(grep -vxF -e "$exe" -e /usr/bin/env <<<"$executed" | grep -v '^$' || true)"
  [[ -z "$bad_exec" ]] || fail "it executed programs: $(tr '\n' ' ' <<<"$bad_exec")"
  opened="$(grep -oE '"(/[^"]*)"' <<<"$ok_calls" | tr -d '"' | sort -u)"
  python_outside="$(grep -E '(/\.venv/|site-packages|/lib/python3|/bin/python)' <<<"$opened" | grep -vF "$bundle_dir/" || true)"
  if [[ -n "$python_outside" ]]; then fail "it used a Python outside the bundle:"; head -5 <<<"$python_outside" | sed 's/^/     | /'
  else echo "   no Python, venv or site-packages outside the bundle was touched"; fi
  write_calls="$(grep -E '(O_WRONLY|O_RDWR|O_CREAT|O_TRUNC)|^[0-9]+ +(creat|mkdir|mkdirat|rename|renameat2?|unlink|unlinkat|rmdir|symlink|symlinkat|link|linkat|truncate)\(' <<<"$ok_calls" || true)"
  # Each path argument: "abs", or dirfd<dir>, "rel" (strace -y names the folder), made absolute.
  # (symlink/symlinkat: the first argument is the link's text, not a path written.)
  written="$(sed -E 's/ (symlink|symlinkat)\("[^"]*", / \1(/' <<<"$write_calls" \
    | grep -oE '(AT_FDCWD|[0-9]+)<[^>]*>, "[^"]*"|"[^"]*"' | while IFS= read -r arg; do
      path="${arg%\"}"; path="${path##*\"}"
      if [[ "$path" != /* ]]; then
        dir="$scratch/cwd"; [[ "$arg" == *'>, "'* ]] && { dir="${arg#*<}"; dir="${dir%%>, \"*}"; }
        path="$dir/$path"
      fi
      echo "$path"
    done | sed -E 's#/+#/#g' | sort -u)"
  allowed_re="^($scratch/advisor-home|$scratch/out|$scratch/runtime|/dev/|/proc/)"
  # A single-file build unpacks itself into TMPDIR/_MEIxxxxxx at each start and removes it at exit (the
  # folder scan below checks that nothing is left there).
  [[ -d "$exe" || ! -d "$bundle_dir/_internal" ]] && allowed_re="^($scratch/advisor-home|$scratch/out|$scratch/runtime|$scratch/tmp/_MEI[A-Za-z0-9]+(/|$)|/dev/|/proc/)"
  bad_writes="$(grep -vE "$allowed_re" <<<"$written" | grep -v '^$' || true)"
  if [[ -n "$bad_writes" ]]; then fail "it wrote outside LLM_ADVISOR_HOME:"; sed "s#$scratch#<scratch>#; s/^/     | /" <<<"$bad_writes" | head -20
  else echo "   all $(grep -c . <<<"$written") paths it wrote are under LLM_ADVISOR_HOME, the report's folder, XDG_RUNTIME_DIR, /dev$([[ "$allowed_re" == *_MEI* ]] && echo ' or its TMPDIR/_MEI* unpack folder') (strace)"; fi
fi
# Folder scan (always): nothing new in HOME, the working folder, TMPDIR, the bundle, the examples.
scan="$(find "$scratch/home" "$scratch/cwd" "$scratch/tmp" "$bundle_dir" "$(dirname "$example")" -newer "$scratch/marker" 2>/dev/null \
  | grep -vxF -e "$scratch/home" -e "$scratch/cwd" -e "$scratch/tmp" || true)"
[[ -z "$scan" ]] || { fail "new files outside LLM_ADVISOR_HOME:"; sed 's/^/     | /' <<<"$scan" | head -20; }
[[ "$(sha256sum "$example" | cut -d' ' -f1)" == "$example_sum" ]] || fail "the example assessment was modified"
home_files="$(find "$scratch/advisor-home" -type f | sed "s#$scratch/advisor-home/##" | tr '\n' ' ')"
echo "   LLM_ADVISOR_HOME after the runs: ${home_files:-<empty>}"

stamp="$(date -u '+%Y-%m-%d %H:%M UTC')"
mkdir -p "$repo/build"
if [[ ${#failures[@]} -eq 0 ]]; then
  result="smoke_test: PASS ($stamp; startup_ms=$startup_ms; report, encrypted report and Word report OK; no network, no Python on PATH, writes only under LLM_ADVISOR_HOME)"
  echo "$result" | tee "$repo/build/smoke-last-result.txt"
  exit 0
fi
result="smoke_test: FAIL ($stamp): $(printf '%s; ' "${failures[@]}")"
echo "$result" | tee "$repo/build/smoke-last-result.txt"
exit 1
