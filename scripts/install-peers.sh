#!/usr/bin/env bash
# Installs the third-party programs the interop tests and benchmarks run against, when they are
# missing, from Debian: `prometheus` (prometheus + promtool), `victoria-metrics` (a storage peer),
# `prometheus-pushgateway` (Pushgateway parity) and `prometheus-node-exporter` (a scrape target).
# A test that needs them fails loudly if this did not work; nothing is skipped.
set -euo pipefail

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
# Checked by path: the package installs /usr/bin/victoria-metrics, which is what the benchmark runs.
[ -x /usr/bin/victoria-metrics ] || missing+=(victoria-metrics)
command -v prometheus-pushgateway >/dev/null 2>&1 || missing+=(prometheus-pushgateway)
command -v prometheus-node-exporter >/dev/null 2>&1 || missing+=(prometheus-node-exporter)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

# Deduplicate the package list.
mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-peers: installing ${pkgs[*]} from Debian" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
