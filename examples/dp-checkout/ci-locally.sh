#!/usr/bin/env bash
# Run this project's two CI jobs on your machine, as .github/workflows/prakerja.yml and .gitlab-ci.yml do.
# Outputs go to reports/ (tests.log, contract.log and the reports the jobs upload).
set -u
cd "$(dirname "$0")"
mkdir -p reports
pytest --junitxml=reports/junit.xml --prakerja-coverage=reports/prakerja-coverage.md 2>&1 | tee reports/tests.log
tests=${PIPESTATUS[0]}
prakerja-sandbox --port "${PORT:-5000}" --database :memory: --no-access-log > reports/sandbox.log 2>&1 &
sandbox=$!
PRAKERJA_SIGN_KEY=9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81 prakerja-contract check --wait 30 \
    --base-url "http://127.0.0.1:${PORT:-5000}" --client-code SBX-DP-TOKOPEDIA --allow-reset --seed "${SEED:-42}" \
    --junit reports/contract-junit.xml --report reports/contract-report.md 2>&1 | tee reports/contract.log
contract=${PIPESTATUS[0]}
kill "$sandbox"
wait "$sandbox" 2>/dev/null
echo "tests: exit $tests; contract-check: exit $contract"
[ "$tests" -eq 0 ] && [ "$contract" -eq 0 ]
