#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry and rewrite SHA256SUMS.
# Deployments run on intranets without internet: nothing is loaded from a CDN.
# Usage: src/cunqi/static/vendor/refresh.sh   (versions are pinned below)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TABLER=1.6.1
ECHARTS=6.1.0
HTMX=2.0.11
# Noto Sans SC (OFL-1.1), regular weight, as Google Fonts builds it, for documents (PDF, charts).
NOTO_SC=0.4.3  # @expo-google-fonts/noto-sans-sc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@tabler/core@$TABLER" "echarts@$ECHARTS" "htmx.org@$HTMX" \
  "@expo-google-fonts/noto-sans-sc@$NOTO_SC" >/dev/null
for tarball in *.tgz; do mkdir "${tarball%.tgz}" && tar -xzf "$tarball" -C "${tarball%.tgz}"; done
rm -rf "$here/tabler" "$here/echarts" "$here/htmx" "$here/fonts"
mkdir -p "$here/tabler" "$here/echarts" "$here/htmx" "$here/fonts"
cp tabler-core-$TABLER/package/dist/css/tabler.min.css "$here/tabler/"
cp tabler-core-$TABLER/package/dist/js/tabler.min.js "$here/tabler/"
# @tabler/core ships no licence file; its package.json says MIT (github.com/tabler/tabler).
node -e 'const p=require("./tabler-core-'"$TABLER"'/package/package.json"); console.log(p.name+" "+p.version+" — licence: "+p.license+" — "+(p.homepage||""))' \
  > "$here/tabler/LICENSE"
cat "$here/tabler-MIT.txt" >> "$here/tabler/LICENSE"
cp echarts-$ECHARTS/package/dist/echarts.min.js "$here/echarts/"
cp echarts-$ECHARTS/package/LICENSE "$here/echarts/LICENSE"
cp htmx.org-$HTMX/package/dist/htmx.min.js "$here/htmx/"
cp htmx.org-$HTMX/package/LICENSE "$here/htmx/LICENSE"
cp expo-google-fonts-noto-sans-sc-$NOTO_SC/package/400Regular/NotoSansSC_400Regular.ttf "$here/fonts/NotoSansSC-Regular.ttf"
cp expo-google-fonts-noto-sans-sc-$NOTO_SC/package/LICENSE_FONT "$here/fonts/OFL.txt"
# Source maps are not shipped: drop the comments that point at them.
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##' "$here/tabler/tabler.min.css"
sed -i 's#//\# sourceMappingURL=.*$##' "$here/tabler/tabler.min.js" "$here/echarts/echarts.min.js" "$here/htmx/htmx.min.js"
cd "$here"
find tabler echarts htmx fonts -type f | sort | xargs sha256sum > SHA256SUMS
