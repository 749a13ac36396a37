#!/usr/bin/env bash
# bench/profile.sh — where budgetpdf's time goes, with perf (Debian: linux-perf).
#
#   bench/profile.sh [BIN] [PDF or folder...]     (default: ./budgetpdf, fixtures/pdf and the corpora)
#
# Records `BIN -j 1 -o TMP INPUTS` with DWARF call graphs (workers included: perf
# follows forks), then prints
#   1. the share of samples per shared object (self time);
#   2. the inclusive share of the pipeline's stages and of the poppler calls they make;
#   3. the 25 hottest functions (self time).
# The recording (about 200 MB) is removed, unless PROFILE_KEEP=1 keeps it in
# $TMPDIR for `perf report -i` (its path is then printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${1:-./budgetpdf}
shift || true
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  inputs=(fixtures/pdf)
  shared=${BUDGETPDF_SHARED:-../shared}
  for c in jiangsu china; do
    [ -d "$shared/corpus/$c" ] && inputs+=("$shared/corpus/$c") || echo "profile: no corpus at $shared/corpus/$c"
  done
fi
command -v perf >/dev/null || { echo "profile: perf is not installed (apt-get install linux-perf)" >&2; exit 1; }
tmp=$(mktemp -d)
data=${TMPDIR:-/tmp}/budgetpdf-perf.data
trap 'rm -rf "$tmp"; [ "${PROFILE_KEEP:-0}" = 1 ] || rm -f "$data"' EXIT
perf record -q -F 999 --call-graph dwarf,65528 -o "$data" -- "$bin" -q -j 1 -o "$tmp/out" "${inputs[@]}" 2>/dev/null
echo "== samples per shared object (self)"
perf report -i "$data" --stdio --no-children --sort dso -g none 2>/dev/null | grep -E '^ +[0-9]' | head -12
echo "== inclusive share of the stages (children included; first row per symbol)"
perf report -i "$data" --stdio --children --sort sym -g none 2>/dev/null | grep -E '^ +[0-9]' |
  awk '{ sym = substr($0, index($0, "] ") + 2); if (!(sym in seen)) { seen[sym] = 1; print $1 "\t" sym } }' |
  grep -E $'\t(bpb_worker|bpx_document_load_data|read_text|bpx_plan_page|bpx_ocr_read_page|render_ink|strokes_of|bpx_find_rulings|Page::displaySlice|Gfx::initDisplayProfile|Gfx::go|TextPage::coalesce|poppler_page_get_text|poppler_page_get_text_layout|poppler_page_get_text_attributes|scan|askew_ink.*|covered_by_text|bpn_builder_add_page|bpn_builder_finish|bpn_meaning_build|bpn_capture|pcre2_compile_8|bpe_document_json|bpb_write_atomically|_dl_start_user|_dl_init)$' |
  awk -F'\t' '{printf "  %8s  %s\n", $1, $2}'
echo "== hottest functions (self)"
perf report -i "$data" --stdio --no-children --sort dso,sym -g none 2>/dev/null | grep -E '^ +[0-9]' | head -25
[ "${PROFILE_KEEP:-0}" = 1 ] && echo "(recording kept: $data)"
exit 0
