#!/usr/bin/env bash
# An install bundle for a bastion host without a package index:
#
#   bash scripts/offline-bundle.sh [--sandbox] [OUT_DIR]      (default OUT_DIR: dist/)
#
# makes OUT_DIR/lee-console-offline-VERSION-pyXY-PLATFORM.tar.gz: every wheel lee-console needs
# (its own and its dependencies', plus the sandbox's with --sandbox) and install.sh. Wheels are
# per Python version and platform (duckdb is compiled): build it with the same Python minor
# version on the same OS and architecture as the bastion. On the bastion:
#
#   tar xzf lee-console-offline-*.tar.gz && bash lee-console-offline-*/install.sh [PREFIX]
#
# installs into a virtual environment at PREFIX (default ~/.local/lee-console) with pip's index
# switched off, and links PREFIX/bin/lee-console into ~/.local/bin.
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
if [[ "${1:-}" == "--sandbox" ]]; then
    extra="[sandbox]"
    shift
fi
out="${1:-dist}"
python="${PYTHON:-python3}"
version="$("$python" -c 'import re,pathlib; print(re.search(r"__version__ = \"(.+)\"", pathlib.Path("lee_console/__init__.py").read_text()).group(1))')"
tag="$("$python" -c 'import sys, sysconfig; print(f"py{sys.version_info[0]}{sys.version_info[1]}-{sysconfig.get_platform()}")')"
name="lee-console-offline-${version}-${tag}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/$name/wheelhouse" "$out"

"$python" -m pip wheel --quiet --wheel-dir "$work/$name/wheelhouse" ".${extra}"

cat > "$work/$name/install.sh" <<INSTALL
#!/usr/bin/env bash
# Install lee-console${extra} from the wheels beside this script, without a package index.
set -euo pipefail
here="\$(cd "\$(dirname "\$0")" && pwd)"
prefix="\${1:-\$HOME/.local/lee-console}"
python="\${PYTHON:-python3}"
"\$python" -m venv "\$prefix"
"\$prefix/bin/python" -m pip install --quiet --no-index --find-links "\$here/wheelhouse" 'lee-console${extra}'
mkdir -p "\$HOME/.local/bin"
ln -sf "\$prefix/bin/lee-console" "\$HOME/.local/bin/lee-console"
"\$prefix/bin/lee-console" --version
INSTALL
chmod +x "$work/$name/install.sh"
tar -C "$work" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
