#!/bin/bash
# The written style, checked: every C file as .clang-format says, every
# Python file as .editorconfig says (and pyflakes), and every tracked text
# file as .editorconfig says (LF line ends, a final newline, no trailing
# blanks). Prints "style: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "  ok   $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL $*"; }

if ! command -v clang-format >/dev/null; then
	bad "clang-format is not installed (tools/setup installs it)"
else
	mapfile -t csrc < <(git ls-files '*.c' '*.h')
	if [ ${#csrc[@]} -eq 0 ]; then
		bad "no C files found to check"
	else
		out=$(clang-format --dry-run --Werror "${csrc[@]}" 2>&1)
		if [ -z "$out" ]; then
			ok "${#csrc[@]} C files as .clang-format says"
		else
			files=$(echo "$out" | grep -oE '^[^ :]+\.[ch]:[0-9]+:[0-9]+: (error|warning)' |
				cut -d: -f1 | sort -u)
			bad "not formatted (run: clang-format -i FILE): $(echo $files)"
		fi
	fi
fi

# Python: what .editorconfig says (four spaces, never a tab to indent),
# and pyflakes (unused imports, undefined names). A Python file is one
# ending in .py or starting with a python shebang.
mapfile -t py < <(git ls-files '*.py'; git grep -lI -e '^#!.*python' -- ':!*.py' | sort -u)
if [ ${#py[@]} -eq 0 ]; then
	bad "no Python files found to check"
else
	tabbed=$(grep -l $'^\t' "${py[@]}")
	[ -z "$tabbed" ] && ok "${#py[@]} Python files indented with spaces" ||
		bad "Python indented with tabs (.editorconfig: four spaces): $(echo $tabbed)"
	if ! command -v pyflakes3 >/dev/null; then
		bad "pyflakes3 is not installed (tools/setup installs it)"
	elif out=$(pyflakes3 "${py[@]}" 2>&1); then
		ok "pyflakes finds nothing in ${#py[@]} Python files"
	else
		bad "pyflakes: $out"
	fi
fi

# Text files only: git's own idea of binary keeps images and DTBs out.
# Serial logs kept byte for byte (tests/data/study/) keep their blanks:
# Xen wraps a record anywhere, so a line's last blank can be a record's.
mapfile -t text < <(git grep -I --name-only -e '' -- . ':!*.dtb')
mapfile -t verbatim < <(git ls-files 'tests/data/study/*')
crlf=() trailing=() nonl=()
for f in "${text[@]}"; do
	[ -s "$f" ] || continue
	grep -q $'\r$' "$f" && crlf+=("$f")
	[[ " ${verbatim[*]} " == *" $f "* ]] || ! grep -q '[[:blank:]]$' "$f" || trailing+=("$f")
	[ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || nonl+=("$f")
done
[ ${#text[@]} -gt 0 ] || bad "no text files found to check"
[ ${#crlf[@]} -eq 0 ] && ok "LF line ends in ${#text[@]} text files" || bad "CR LF line ends: ${crlf[*]}"
[ ${#trailing[@]} -eq 0 ] && ok "no trailing blanks" || bad "trailing blanks: ${trailing[*]}"
[ ${#nonl[@]} -eq 0 ] && ok "a final newline everywhere" || bad "no final newline: ${nonl[*]}"

echo "style: $passed passed, $failed failed"
[ $failed -eq 0 ]
