#!/usr/bin/env bash
# Synthesises every context of infra/lint-contexts.ts and runs cfn-lint (AWS's CloudFormation
# linter; Python: `pip install cfn-lint`) over each template, with .cfnlintrc.yaml. Fails on any
# error or warning. Usage: infra/lint-templates.sh [outdir] (default: cdk.out/lint, ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-cdk.out/lint}"
command -v cfn-lint >/dev/null || { echo "cfn-lint not found: pip install cfn-lint" >&2; exit 1; }
rm -rf "$out"
node_modules/node/bin/node --import tsx infra/lint-contexts.ts "$out"
templates=("$out"/*/*.template.json)
cfn-lint --version
cfn-lint -- "${templates[@]}"
echo "cfn-lint: ${#templates[@]} templates, no errors or warnings"
