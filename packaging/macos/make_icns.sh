#!/usr/bin/env bash
# macOS only: builds app/assets/icons/llm-advisor.icns from the PNG renders (packaging/make_icons.py) with
# Apple's iconutil. Run before `pyinstaller packaging/llm-advisor.spec` on the Mac; the spec uses the .icns
# when it exists.
set -euo pipefail
icons="$(cd "$(dirname "$0")/../../app/assets/icons" && pwd)"
command -v iconutil >/dev/null || { echo "make_icns.sh: iconutil not found (it ships with macOS)" >&2; exit 1; }
set_dir="$(mktemp -d)/llm-advisor.iconset"; mkdir -p "$set_dir"
for size in 16 32 128 256 512; do
  cp "$icons/llm-advisor-$size.png" "$set_dir/icon_${size}x${size}.png"
  double=$((size * 2))
  if [[ -f "$icons/llm-advisor-$double.png" ]]; then
    cp "$icons/llm-advisor-$double.png" "$set_dir/icon_${size}x${size}@2x.png"
  fi
done
iconutil -c icns "$set_dir" -o "$icons/llm-advisor.icns"
echo "make_icns.sh: wrote $icons/llm-advisor.icns"
