#!/usr/bin/env bash
# Installs the Linux one-folder bundle for the current user only (no root): the app under
# ~/.local/opt/llm-advisor, a `llm-advisor` link in ~/.local/bin, the menu entry, the icons and the
# .llmassess MIME type, and makes the app the default for .llmassess files (double-click opens them).
#
#   install-user.sh [BUNDLE_DIR]      # default: the folder holding this script when it sits in a bundle
#                                     # (packaging/build copies it there), else <repo>/dist/llm-advisor
#   install-user.sh --uninstall
#
# Honours XDG_DATA_HOME; set HOME to a scratch folder to try it out. Uses xdg-mime and
# update-desktop-database when installed (package xdg-utils, desktop-file-utils), else writes the
# same files directly and runs update-mime-database.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
opt_dir="$HOME/.local/opt/llm-advisor"
bin_link="$HOME/.local/bin/llm-advisor"
apps_dir="$data_home/applications"
mime_dir="$data_home/mime"
icons_dir="$data_home/icons/hicolor"
desktop_name="llm-advisor.desktop"
mime_type="application/x-llmassess"
have() { command -v "$1" >/dev/null 2>&1; }

refresh_databases() {
  if have update-mime-database; then update-mime-database "$mime_dir" >/dev/null 2>&1 || true; fi
  if have update-desktop-database; then update-desktop-database "$apps_dir" >/dev/null 2>&1 || true; fi
  if have gtk-update-icon-cache; then gtk-update-icon-cache -q -t "$icons_dir" >/dev/null 2>&1 || true; fi
}

if [[ "${1:-}" == "--uninstall" ]]; then
  rm -rf "$opt_dir"
  rm -f "$bin_link" "$apps_dir/$desktop_name" "$mime_dir/packages/llm-advisor-mime.xml"
  find "$icons_dir" -name 'llm-advisor.png' -o -name 'llm-advisor.svg' 2>/dev/null | xargs -r rm -f
  refresh_databases
  echo "llm-advisor: uninstalled from $HOME/.local"
  exit 0
fi

if [[ $# -ge 1 ]]; then
  bundle="$(cd "$1" && pwd)"
elif [[ -x "$here/llm-advisor" && -d "$here/_internal" ]]; then
  bundle="$here"
else
  bundle="$(cd "$here/../.." && pwd)/dist/llm-advisor"
fi
[[ -x "$bundle/llm-advisor" ]] || { echo "install-user.sh: no llm-advisor executable in $bundle" >&2; exit 1; }

# Files that travel beside this script in a bundle, or in the repository.
pick() { for f in "$@"; do [[ -e "$f" ]] && { echo "$f"; return; }; done; echo "install-user.sh: missing $1" >&2; exit 1; }
desktop_src="$(pick "$here/$desktop_name" "$bundle/$desktop_name")"
mime_src="$(pick "$here/llm-advisor-mime.xml" "$bundle/llm-advisor-mime.xml")"
icon_src_dir="$(pick "$bundle/_internal/icons" "$here/../../app/assets/icons")"

echo "llm-advisor: installing $bundle -> $opt_dir"
mkdir -p "$(dirname "$opt_dir")" "$(dirname "$bin_link")" "$apps_dir" "$mime_dir/packages"
if [[ "$bundle" != "$opt_dir" ]]; then
  rm -rf "$opt_dir.new" && cp -a "$bundle" "$opt_dir.new" && rm -rf "$opt_dir" && mv "$opt_dir.new" "$opt_dir"
fi
ln -sfn "$opt_dir/llm-advisor" "$bin_link"

# Menu entry: absolute Exec, since ~/.local/bin is not always on a desktop session's PATH.
sed -e "s|^Exec=llm-advisor|Exec=$opt_dir/llm-advisor|" -e "s|^TryExec=llm-advisor|TryExec=$opt_dir/llm-advisor|" \
  "$desktop_src" > "$apps_dir/$desktop_name"
chmod 644 "$apps_dir/$desktop_name"

for png in "$icon_src_dir"/llm-advisor-*.png; do
  size="$(basename "$png" .png)"; size="${size#llm-advisor-}"
  mkdir -p "$icons_dir/${size}x${size}/apps"
  cp "$png" "$icons_dir/${size}x${size}/apps/llm-advisor.png"
done
if [[ -f "$icon_src_dir/llm-advisor.svg" ]]; then
  mkdir -p "$icons_dir/scalable/apps" && cp "$icon_src_dir/llm-advisor.svg" "$icons_dir/scalable/apps/llm-advisor.svg"
fi

if have xdg-mime; then
  xdg-mime install --mode user --novendor "$mime_src"
  xdg-mime default "$desktop_name" "$mime_type"
else
  cp "$mime_src" "$mime_dir/packages/llm-advisor-mime.xml"
  # Same effect as `xdg-mime default`: the user's mimeapps.list names our entry first.
  config_home="${XDG_CONFIG_HOME:-$HOME/.config}"; mimeapps="$config_home/mimeapps.list"
  mkdir -p "$config_home"; touch "$mimeapps"
  grep -q '^\[Default Applications\]' "$mimeapps" || printf '[Default Applications]\n' >> "$mimeapps"
  sed -i "\|^$mime_type=|d" "$mimeapps"
  sed -i "/^\[Default Applications\]/a $mime_type=$desktop_name" "$mimeapps"
fi
refresh_databases
echo "llm-advisor: installed. Run 'llm-advisor' (if ~/.local/bin is on PATH) or open it from the menu;"
echo "             .llmassess files now open with it."
