#!/usr/bin/env bash
# Installs what the tests need beyond the Rust toolchain, on a fresh Debian machine:
#   - xmllint (Debian package libxml2-utils): the JUnit report is checked against junit-10.xsd;
#   - the official CometD packages for Node (tests/node): the interoperability tests' real peers;
#   - the report consumers (tests/consumers): Python junitparser, xunitparser, junit2html into
#     tests/consumers/python, npm junit-report-merger, allure-commandline (Allure 2, needs a
#     Java runtime), cucumber-html-reporter and multiple-cucumber-html-reporter into
#     tests/consumers/node; the report tests read the suite's reports with them;
#   - Debian's chromium: the HTML report is rendered headless in a test.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v xmllint >/dev/null 2>&1; then
  echo "setup: installing libxml2-utils (xmllint)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing nodejs and npm"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

if [ -f tests/node/package-lock.json ] && [ ! -d tests/node/node_modules ]; then
  echo "setup: installing the CometD packages for Node (tests/node)"
  npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "setup: installing python3 and pip"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-pip >/dev/null
fi

if [ ! -d tests/consumers/python/junitparser ]; then
  echo "setup: installing the Python report consumers (tests/consumers/python)"
  timeout 300 python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --target tests/consumers/python -r tests/consumers/requirements.txt
fi

if [ ! -d tests/consumers/node/node_modules ]; then
  echo "setup: installing the npm report consumers (tests/consumers/node)"
  timeout 300 npm ci --prefix tests/consumers/node --no-audit --no-fund --loglevel=error
fi
if ! command -v java >/dev/null 2>&1; then
  echo "setup: installing a Java runtime (Allure, a JUnit consumer of the report tests)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing chromium (the HTML report's rendering test)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "setup: ready"
